/**
 * One owner per profile. A message key keys XChaCha20-Poly1305 with a zero
 * nonce (ratchet.ts), which is safe only because each ratchet state is used
 * once: two clients that load the same stored session (two browser tabs of one
 * persona) and both encrypt would use the same key twice, and the XOR of the
 * two ciphertexts would give away the XOR of the texts.
 *
 * The shell keeps a second client from starting (the web app's Web Lock per
 * persona, the CLI's profile lock), but a lock alone cannot stop a client that
 * was stolen from in the middle of an operation. So the store fences: the
 * profile holds an owner record with an epoch; a client claims the profile by
 * raising the epoch (compare-and-set), and every put it makes carries its
 * epoch, which the store checks in the same atomic step as the write
 * (store.ts, `ifEpoch`). Once another client has claimed the profile, every
 * put of the old one is refused with NOT_OWNER, so a session it encrypted with
 * is never stored, and what is not stored is never sent (the outbox is written
 * before the wire). The new owner loads the sessions after its claim, so it
 * starts from the last state the old owner managed to store.
 */
import { toBase64Url, randomBytes } from '@envelope/crypto-public';
import { ClientError, isClientError } from './errors.js';
import { OwnerKind } from './record-schemas.js';
import { OWNER_KEY, type ClientStore, type PutOptions } from './store.js';
import { readRecord } from './store-records.js';

export const OWNER_RECORD_VERSION = 1;

/** Claims race only with other claims; one that keeps losing means something is claiming in a loop. */
const MAX_CLAIM_ATTEMPTS = 10;

export interface OwnerRecord {
  v: typeof OWNER_RECORD_VERSION;
  /** Raised by one at every claim: the fencing token. */
  epoch: number;
  /** A random id of the claiming client instance, for diagnostics. */
  holder: string;
  since: number;
}

const HOLDER_ID_BYTES = 8;

function newHolderId(): string {
  return toBase64Url(randomBytes(HOLDER_ID_BYTES));
}

/** Takes the profile over: raises the owner epoch (compare-and-set), so every older owner's writes are refused from now on. */
export async function claimOwnership(store: ClientStore, now: number): Promise<OwnerRecord> {
  const holder = newHolderId();
  for (let attempt = 0; attempt < MAX_CLAIM_ATTEMPTS; attempt++) {
    const current = await readRecord(store, OwnerKind, OWNER_KEY);
    const epoch = current?.epoch ?? 0;
    const claimed: OwnerRecord = { v: OWNER_RECORD_VERSION, epoch: epoch + 1, holder, since: now };
    try {
      await store.put({ [OWNER_KEY]: claimed }, { ifEpoch: epoch });
      return claimed;
    } catch (error) {
      if (!isClientError(error, 'NOT_OWNER')) throw error; // another client claimed in between: read again
    }
  }
  throw new ClientError('NOT_OWNER', 'other clients kept taking this profile over: try again');
}

/**
 * The store as one owner sees it: reads pass through, every put is fenced with
 * the owner's epoch. The first refusal marks the ownership lost (and tells
 * `onLost`, once); later puts are refused without asking the store.
 */
export class OwnedStore implements ClientStore {
  #lost: ClientError | null = null;

  constructor(
    private readonly inner: ClientStore,
    readonly owner: OwnerRecord,
    private readonly onLost: (error: ClientError) => void,
    /** Told each put once the store has committed it (what keeps the conversation view current: conversation-view.ts). */
    private readonly onCommitted: (entries: Readonly<Record<string, unknown>>) => void = () => undefined,
  ) {}

  get lost(): boolean {
    return this.#lost !== null;
  }

  get(key: string): Promise<unknown> {
    return this.inner.get(key);
  }

  list(prefix: string): Promise<string[]> {
    return this.inner.list(prefix);
  }

  async put(entries: Readonly<Record<string, unknown>>, options?: PutOptions): Promise<void> {
    if (OWNER_KEY in entries || options?.ifEpoch !== undefined) {
      throw new ClientError('INVALID_ARGUMENT', 'the owner record is written only by claimOwnership');
    }
    if (this.#lost) throw this.#lost;
    try {
      await this.inner.put(entries, { ifEpoch: this.owner.epoch });
    } catch (error) {
      if (isClientError(error, 'NOT_OWNER')) this.#lose(error);
      throw error;
    }
    this.onCommitted(entries);
  }

  /** Throws NOT_OWNER (and marks the ownership lost) if another client has claimed the profile since. */
  async assertOwner(): Promise<void> {
    if (this.#lost) throw this.#lost;
    const current = await readRecord(this.inner, OwnerKind, OWNER_KEY);
    if (current?.epoch !== this.owner.epoch) {
      this.#lose(new ClientError('NOT_OWNER', 'this profile was taken over by another client (another tab or window)'));
      throw this.#lost!;
    }
  }

  #lose(error: ClientError): void {
    if (this.#lost) return;
    this.#lost = error;
    this.onLost(error);
  }
}
