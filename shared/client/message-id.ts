/** Message ids: 16 random bytes (128 bits: no collision in any realistic mailbox), base64url. */
import { toBase64Url, randomBytes } from '@envelope/crypto-public';
import type { MessageId } from '@envelope/protocol';

export const MESSAGE_ID_BYTES = 16;

export function newMessageId(): MessageId {
  return toBase64Url(randomBytes(MESSAGE_ID_BYTES)) as MessageId;
}
