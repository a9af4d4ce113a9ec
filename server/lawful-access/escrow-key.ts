/**
 * The escrow key (key-escrow mode; shared/protocol policy.ts and escrow.ts):
 * an X25519 key pair whose public half every client seals message keys to,
 * and whose private half exists only as shares.
 *
 * Made the first time the mode becomes key-escrow: the private key is split
 * at once with shamir-secret-sharing (audited; never written by hand) into one
 * share per holder (court, agency, provider), any ESCROW_THRESHOLD of which
 * rebuild it. Each share goes to its own file, DATA_DIR/escrow-shares/<holder>.share
 * (0600, base64url text), the public key and the check's width to
 * DATA_DIR/escrow-public.json; then the private key is wiped. The server holds
 * only the public key and cannot open anything by itself.
 *
 * The demo's caveat (said on screen): here all three share files sit on one
 * machine, beside the server. In reality each holder keeps its own, elsewhere,
 * and the server never sees them until they are brought together.
 *
 * Combining checks the result against the stored public key
 * (crypto_scalarmult_base): shares that rebuild any other key are
 * SHARES_DO_NOT_FIT, never a wrong key used silently.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { combine, split } from 'shamir-secret-sharing';
import { fromBase64Url, toBase64Url, wipe } from '@envelope/crypto-public';
import { ESCROW_HOLDERS, ESCROW_THRESHOLD, type EscrowCheckBits, type EscrowHolder, type EscrowShare } from '@envelope/protocol';
import { sodium } from './sodium.js';

export const ESCROW_PUBLIC_FILE = 'escrow-public.json';
export const ESCROW_SHARES_DIR = 'escrow-shares';
const PRIVATE_FILE_MODE = 0o600;
const PRIVATE_DIR_MODE = 0o700;

/** What key-escrow announces (policy.ts EscrowAnnouncementSchema, as sent). */
export interface EscrowPublic {
  readonly publicKey: string;
  readonly checkBits: EscrowCheckBits;
  readonly holders: ['court', 'agency', 'provider'];
  readonly threshold: typeof ESCROW_THRESHOLD;
}

/** A refused request about the escrow key: the route turns it into a problem with this code. */
export class EscrowError extends Error {
  override readonly name = 'EscrowError';
  constructor(
    readonly code: 'BAD_REQUEST' | 'SHARES_DO_NOT_FIT' | 'ESCROW_NOT_SET_UP',
    message: string,
  ) {
    super(message);
  }
}

export interface EscrowKeyStore {
  /** Makes the key and its share files if there are none; sets the check's width. Returns what to announce. */
  prepare(checkBits: EscrowCheckBits): Promise<EscrowPublic>;
  /** What to announce, or null before the key exists. */
  current(): EscrowPublic | null;
  /** The public key's bytes, or null. */
  publicKey(): Uint8Array | null;
  /** Each holder's share file (the path), for the agency page's "who holds which". */
  shareFiles(): { holder: EscrowHolder; file: string }[];
  /** A holder's share as its file holds it: what a holder brings (the demo reads it from the one machine). */
  readShare(holder: EscrowHolder): string;
  /**
   * The private key rebuilt from `shares`, checked against the public key. The
   * caller wipes it when done. BAD_REQUEST for fewer than ESCROW_THRESHOLD
   * shares or one that is not a share; SHARES_DO_NOT_FIT for shares that
   * rebuild another key; ESCROW_NOT_SET_UP before the key exists.
   */
  combine(shares: readonly EscrowShare[]): Promise<Uint8Array>;
  /**
   * Deletes the key's files (its public half and every share): the class was
   * reset, and what escrow kept is gone, so the key has nothing left to open and
   * is not kept for the next class. A later switch to key-escrow makes a new one.
   * Returns whether there were files.
   */
  forget(): Promise<boolean>;
}

interface StoredPublic {
  publicKey: string;
  checkBits: EscrowCheckBits;
  createdAt: number;
}

export function escrowKeyStore(dataDir: string, now: () => number = Date.now): EscrowKeyStore {
  const publicPath = join(dataDir, ESCROW_PUBLIC_FILE);
  const sharesDir = join(dataDir, ESCROW_SHARES_DIR);
  const sharePath = (holder: EscrowHolder) => join(sharesDir, `${holder}.share`);
  let stored: StoredPublic | null = existsSync(publicPath) ? readPublic(publicPath) : null;
  let preparing: Promise<EscrowPublic> | null = null;

  const announce = (s: StoredPublic): EscrowPublic => ({
    publicKey: s.publicKey,
    checkBits: s.checkBits,
    holders: [...ESCROW_HOLDERS],
    threshold: ESCROW_THRESHOLD,
  });
  const writePublic = (s: StoredPublic) => writeFileSync(publicPath, JSON.stringify(s, null, 2) + '\n', { mode: PRIVATE_FILE_MODE });

  async function create(checkBits: EscrowCheckBits): Promise<StoredPublic> {
    const pair = sodium().crypto_box_keypair();
    try {
      const shares = await split(pair.privateKey, ESCROW_HOLDERS.length, ESCROW_THRESHOLD);
      mkdirSync(sharesDir, { recursive: true, mode: PRIVATE_DIR_MODE });
      chmodSync(sharesDir, PRIVATE_DIR_MODE);
      ESCROW_HOLDERS.forEach((holder, i) => {
        writeFileSync(sharePath(holder), toBase64Url(shares[i]!) + '\n', { mode: PRIVATE_FILE_MODE });
        wipe(shares[i]!);
      });
    } finally {
      // From here on the server holds only the public key.
      wipe(pair.privateKey);
    }
    const created: StoredPublic = { publicKey: toBase64Url(pair.publicKey), checkBits, createdAt: now() };
    writePublic(created);
    return created;
  }

  return {
    async prepare(checkBits) {
      // One at a time: two switches at once must not make two keys.
      while (preparing) await preparing.catch(() => undefined);
      preparing = (async () => {
        if (stored === null) stored = await create(checkBits);
        else if (stored.checkBits !== checkBits) writePublic((stored = { ...stored, checkBits }));
        return announce(stored);
      })().finally(() => (preparing = null));
      return preparing;
    },
    async forget() {
      while (preparing) await preparing.catch(() => undefined);
      const existed = stored !== null || existsSync(publicPath) || existsSync(sharesDir);
      stored = null;
      rmSync(sharesDir, { recursive: true, force: true });
      rmSync(publicPath, { force: true });
      return existed;
    },
    current: () => (stored === null ? null : announce(stored)),
    publicKey: () => (stored === null ? null : fromBase64Url(stored.publicKey, 'escrow publicKey', 32)),
    shareFiles: () => ESCROW_HOLDERS.map((holder) => ({ holder, file: sharePath(holder) })),
    readShare(holder) {
      if (stored === null) throw new EscrowError('ESCROW_NOT_SET_UP', 'there is no escrow key yet: the mode was never key-escrow');
      return readFileSync(sharePath(holder), 'utf8').trim();
    },
    async combine(shares) {
      if (stored === null) throw new EscrowError('ESCROW_NOT_SET_UP', 'there is no escrow key yet: the mode was never key-escrow');
      if (shares.length < ESCROW_THRESHOLD) {
        throw new EscrowError(
          'BAD_REQUEST',
          `${shares.length === 0 ? 'no share was' : `only ${shares.length} share was`} given: the escrow key needs ${ESCROW_THRESHOLD} of the ${ESCROW_HOLDERS.length} holders (${ESCROW_HOLDERS.join(', ')})`,
        );
      }
      let bytes: Uint8Array[];
      try {
        bytes = shares.map((s) => fromBase64Url(s.share, `${s.holder}'s share`));
      } catch {
        throw new EscrowError('BAD_REQUEST', 'a share is not base64url text as its file holds it');
      }
      let secret: Uint8Array;
      try {
        secret = await combine(bytes);
      } catch {
        // Different lengths, or two shares with the same x-coordinate: not shares of one key.
        throw new EscrowError('SHARES_DO_NOT_FIT', 'these shares are not shares of one escrow key');
      } finally {
        bytes.forEach((b) => wipe(b));
      }
      const expected = fromBase64Url(stored.publicKey, 'escrow publicKey', 32);
      const fits = secret.length === 32 && sodium().memcmp(sodium().crypto_scalarmult_base(secret), expected);
      if (!fits) {
        wipe(secret);
        throw new EscrowError('SHARES_DO_NOT_FIT', 'these shares rebuild a key that is not the escrow key: at least one of them is wrong');
      }
      return secret;
    },
  };
}

function readPublic(path: string): StoredPublic {
  chmodSync(path, PRIVATE_FILE_MODE);
  const raw = JSON.parse(readFileSync(path, 'utf8')) as Partial<StoredPublic>;
  fromBase64Url(raw.publicKey, 'escrow publicKey', 32);
  if (raw.checkBits !== 16 && raw.checkBits !== 64) throw new Error(`${path}: checkBits must be 16 or 64`);
  return { publicKey: raw.publicKey as string, checkBits: raw.checkBits, createdAt: typeof raw.createdAt === 'number' ? raw.createdAt : 0 };
}
