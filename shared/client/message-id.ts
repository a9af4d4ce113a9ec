/** Message ids: 16 random bytes (128 bits: no collision in any realistic mailbox), base64url. */
import { toBase64Url } from '../crypto/bytes.js';
import type { MessageId } from '../protocol/ids.js';

export const MESSAGE_ID_BYTES = 16;

export function newMessageId(): MessageId {
  const bytes = new Uint8Array(MESSAGE_ID_BYTES);
  globalThis.crypto.getRandomValues(bytes);
  return toBase64Url(bytes) as MessageId;
}
