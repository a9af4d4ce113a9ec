/** Message ids: 16 random bytes (128 bits: no collision in any realistic mailbox), base64url. */
import { toBase64Url } from '../crypto/bytes.js';
import { randomBytes } from '../crypto/sodium.js';
import type { MessageId } from '../protocol/ids.js';

export const MESSAGE_ID_BYTES = 16;

export function newMessageId(): MessageId {
  return toBase64Url(randomBytes(MESSAGE_ID_BYTES)) as MessageId;
}
