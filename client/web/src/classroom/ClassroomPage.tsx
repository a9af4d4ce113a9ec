// Placeholder until the classroom page lands (issue 4).
export default function ClassroomPage() {
  return <main><h1>Envelope</h1></main>;
}
