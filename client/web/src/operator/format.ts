/** How the operator page writes times, sizes and kinds: short, plain, the same in every view. */
import type { EnvelopeKind, OperatorEnvelope } from './schemas.js';

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

/** What the server knows an envelope is, in words: from its first byte, and from the receipt mark the app put on it. */
export function kindLabel(envelope: Pick<OperatorEnvelope, 'kind' | 'receipt'>): string {
  return envelope.receipt === true ? 'delivery receipt' : KIND_LABELS[envelope.kind];
}

/** What the first byte tells the server, in words. */
export const KIND_LABELS: Record<EnvelopeKind, string> = {
  'session-start': 'first contact',
  message: 'message',
  sealed: 'sealed (sender hidden)',
  unknown: 'unknown',
};
