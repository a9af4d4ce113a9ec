/**
 * What the server reads inside a message it opened (transport-only): the
 * message's kind and, for a text, the text. The message bytes are the JSON a
 * client would have end-to-end encrypted (shared/client/message-codec.ts, which
 * this package must not import: it is the client core); this reader knows just
 * enough of that format to find the words, and says 'unknown' for anything
 * else rather than guessing. The recipient's client still decodes the whole
 * message strictly; the server only records what it read.
 */
import { z } from 'zod';
import { utf8Decode } from '@envelope/crypto-public';
import { MAX_CONTENT_TEXT, type ContentKind } from '@envelope/protocol';

/** The message format's version this reader knows (message-codec.ts MESSAGE_CODEC_VERSION). */
const MESSAGE_VERSION = 1;
/** The longest text a client sends (message-codec.ts MAX_TEXT_LENGTH); anything longer is not a text the apps made. */
export const MAX_CONTENT_TEXT_LENGTH = MAX_CONTENT_TEXT;

export type { ContentKind };

export interface MessageText {
  readonly kind: ContentKind;
  /** The text of a 'text' message; null for every other kind. */
  readonly text: string | null;
}

// Not .strict(): the other fields (sentAt, franking key, profile key, receipt ids) are
// the client's business; only the two read here are checked, and checked exactly.
const TextSchema = z.object({ v: z.literal(MESSAGE_VERSION), kind: z.literal('text'), text: z.string().min(1).max(MAX_CONTENT_TEXT_LENGTH) });
const ControlSchema = z.object({ v: z.literal(MESSAGE_VERSION), kind: z.enum(['receipt', 'session-reset']) });

const UNKNOWN: MessageText = { kind: 'unknown', text: null };

/** The kind and text of `message` (UTF-8 JSON); { kind: 'unknown', text: null } for anything this reader does not know. */
export function readMessageText(message: Uint8Array): MessageText {
  let parsed: unknown;
  try {
    parsed = JSON.parse(utf8Decode(message));
  } catch {
    return UNKNOWN;
  }
  const text = TextSchema.safeParse(parsed);
  if (text.success) return { kind: 'text', text: text.data.text };
  const control = ControlSchema.safeParse(parsed);
  if (control.success) return { kind: control.data.kind, text: null };
  return UNKNOWN;
}
