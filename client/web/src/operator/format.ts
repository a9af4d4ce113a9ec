/** How the operator page writes times, sizes and kinds: short, plain, the same in every view. */
import type { EnvelopeKind } from './schemas.js';

export function clockTime(ms: number): string {
  return new Date(ms).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' });
}

export function dateAndTime(ms: number): string {
  return new Date(ms).toLocaleString([], { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' });
}

export function byteSize(bytes: number): string {
  if (bytes < 10_000) return `${bytes} B`;
  if (bytes < 10_000_000) return `${Math.round(bytes / 1000)} kB`;
  return `${Math.round(bytes / 1_000_000)} MB`;
}

export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}

/** What the first byte tells the server, in words. */
export const KIND_LABELS: Record<EnvelopeKind, string> = {
  'session-start': 'first contact',
  message: 'message',
  sealed: 'sealed (sender hidden)',
  unknown: 'unknown',
};
