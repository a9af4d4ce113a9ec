// Placeholder until the operator page lands (issue 4).
export default function OperatorPage() {
  return <main><h1>What the server sees</h1></main>;
}
