/**
 * Who may leave a sealed envelope (shared/crypto-public/access-key.ts): only someone
 * presenting the recipient's unidentified access key, which the recipient's
 * client gives, inside the encryption, to the people it writes to. As
 * Signal-Server's UnidentifiedAccessUtil.checkUnidentifiedAccess: the key is
 * compared in constant time, and an account without a key, an unknown account
 * and a wrong key are refused alike, so the answer does not tell which.
 */
import { timingSafeEqual } from 'node:crypto';
import { ServerError } from '../errors.js';
import type { AccountsRepo } from '../storage/accounts-repo.js';

export class SealedAccess {
  constructor(private readonly accounts: AccountsRepo) {}

  /** Throws SEALED_ACCESS_DENIED unless `presented` is `recipient`'s access key. */
  check(recipient: string, presented: Uint8Array | undefined): void {
    const expected = this.accounts.accessKey(recipient);
    const matches =
      presented !== undefined &&
      expected !== undefined &&
      // timingSafeEqual needs equal lengths; the header's schema already fixed it at 16 bytes.
      presented.length === expected.length &&
      timingSafeEqual(presented, expected);
    if (!matches) {
      throw new ServerError(
        'SEALED_ACCESS_DENIED',
        `a sealed envelope to "${recipient}" needs their access key, which only people they have written to hold: send it with your name instead`,
      );
    }
  }

  /** The account registers (or replaces) its access key. */
  register(username: string, accessKey: Uint8Array): void {
    if (!this.accounts.setAccessKey(username, accessKey)) throw new ServerError('UNAUTHORIZED', 'no such account');
  }
}
