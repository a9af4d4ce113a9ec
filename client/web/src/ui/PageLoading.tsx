export function PageLoading() {
  return (
    <main className="page-loading" aria-busy="true">
      <p>Loading…</p>
    </main>
  );
}
