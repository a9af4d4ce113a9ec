/** Times on the agency page: the day and the time to the second (messages follow each other quickly in a class). */
export function when(ms: number): string {
  return new Date(ms).toLocaleString([], { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit', second: '2-digit' });
}
