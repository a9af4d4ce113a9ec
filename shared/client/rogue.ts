/**
 * A rogue app, for the key-escrow demonstration (Blaze, 1994;
 * docs/lawful-access.md). Nothing here is used by a compliant send. The web
 * app's classroom and the tests drive these through
 * EnvelopeClient.sendAsRogue (the compliant send's own path, outgoing.ts,
 * with trialSearch's forge standing in for the field builder) and
 * sendEncryptedInside.
 *
 * Two escapes from escrow, both by a sender whose app does not comply:
 *
 * 1. A forged access field (Blaze 1994). The message is encrypted with the
 *    Double Ratchet as any other, but the field beside it carries random
 *    bytes where the sealed message key should be, under a checkword that the
 *    recipient's compliant check accepts. It is found by trial against that
 *    check (@envelope/crypto forgeAccessField), in slices that yield to the
 *    event loop between them, so a page stays responsive and can cancel. The
 *    recipient reads the message; the escrow's holders open the field to
 *    nothing. About 2^checkBits tries on average (2^16 = 65,536; at 64 bits,
 *    2^63 on average: out of reach).
 *    Honest note: Clipper's check ran inside a sealed chip, so Blaze had to
 *    search by trial, asking the chip. In software the family key ships in
 *    every app, so a rogue could compute a passing field outright; the
 *    search is done anyway, to show that 16 bits falls to trial.
 *
 * 2. Encryption inside the message (sealInside): a compliant field whose
 *    message key opens to a text that is itself ciphertext, under a key the
 *    two people agreed elsewhere. The escrow opens the message and finds only
 *    that ciphertext: escrow binds only compliant apps. The demo's inner key
 *    is one fixed value (below): two real rogue apps would agree theirs in
 *    person.
 */
import { fromBase64Url, toBase64Url, utf8Decode, utf8Encode } from '@envelope/crypto-public';
import { forgeAccessField, sodium, type EscrowCheckBits, type SessionDisclosure } from '@envelope/crypto';
import { ClientError } from './errors.js';
import { MAX_TEXT_LENGTH } from './message-codec.js';

/** How long one slice of the search runs before it yields to the event loop: short enough for a page to repaint and take a click. */
export const ROGUE_SLICE_MS = 40;
/** Tries in the first slice, before the rate is known (a fraction of a slice on a slow machine). */
const FIRST_SLICE_TRIES = 1_000;
const MAX_SLICE_TRIES = 200_000;

export interface RogueSearchProgress {
  readonly checkBits: EscrowCheckBits;
  /** Tries so far, over every device's field. */
  readonly tries: number;
  /** Wall-clock time since the search began (yields to the event loop included). */
  readonly elapsedMs: number;
  /** Tries per second while searching (the checks only, not the yields): measured here, on this machine. */
  readonly triesPerSecond: number;
}

export interface RogueSendOptions {
  /** Stop after this many tries (over every device's field). */
  readonly maxTries: number;
  /** Stop after this long searching (wall clock); no limit if absent. */
  readonly maxMs?: number;
  /** Called after every slice. */
  readonly onProgress?: (progress: RogueSearchProgress) => void;
  /** Aborting it stops the search at the next slice; nothing is sent or stored then. */
  readonly signal?: AbortSignal;
  readonly now?: () => number;
}

const yieldToEventLoop = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/**
 * A search by trial with one budget over every field it is asked for (one per
 * recipient device): `forge` has the shape of key-escrow's RogueAccessField
 * (a disclosure and the width in, a passing field or null out), so it can
 * stand in for the compliant field builder wherever one is asked for.
 */
export function trialSearch(options: RogueSendOptions): {
  forge: (disclosure: SessionDisclosure, checkBits: EscrowCheckBits) => Promise<Uint8Array | null>;
  progress: () => RogueSearchProgress;
  /** Why the last forge gave null; null while nothing stopped it. */
  stopped: () => 'budget-spent' | 'cancelled' | null;
} {
  const now = options.now ?? (() => performance.now());
  const startedAt = now();
  let tries = 0;
  let computeMs = 0;
  let width: EscrowCheckBits = 16;
  let stopped: 'budget-spent' | 'cancelled' | null = null;
  const progress = (): RogueSearchProgress => ({
    checkBits: width,
    tries,
    elapsedMs: now() - startedAt,
    triesPerSecond: Math.round((tries * 1000) / Math.max(computeMs, 0.001)),
  });
  const forge = async (disclosure: SessionDisclosure, checkBits: EscrowCheckBits): Promise<Uint8Array | null> => {
    width = checkBits;
    let slice = FIRST_SLICE_TRIES;
    for (;;) {
      const left = options.maxTries - tries;
      if (options.signal?.aborted) stopped = 'cancelled';
      else if (left <= 0 || (options.maxMs !== undefined && now() - startedAt >= options.maxMs)) stopped = 'budget-spent';
      if (stopped !== null) return null;
      const result = forgeAccessField(disclosure, checkBits, Math.min(slice, left), now);
      tries += result.tries;
      computeMs += result.elapsedMs;
      const current = progress();
      options.onProgress?.(current);
      if (result.field) return result.field;
      slice = Math.max(FIRST_SLICE_TRIES, Math.min(MAX_SLICE_TRIES, Math.round((current.triesPerSecond * ROGUE_SLICE_MS) / 1000)));
      await yieldToEventLoop();
    }
  };
  return { forge, progress, stopped: () => stopped };
}

// --- Escape 2: encryption inside the message ---

/** What an inside-encrypted text starts with, so a rogue app (and the classroom) knows one when it sees one. */
export const INSIDE_PREFIX = 'sealed inside: ';
/**
 * The demo's inner key: one fixed value from a label, standing for a key the
 * two rogue apps agreed in person. Not a secret: it is in this source.
 */
const INSIDE_KEY_LABEL = 'Envelope rogue app: the key two people agreed in person (demo)';
const NONCE_BYTES = 24; // XChaCha20-Poly1305
const TAG_BYTES = 16;
/** The longest text that still fits a message once encrypted and written out (base64url: 4 characters per 3 bytes). */
export const MAX_INSIDE_TEXT_BYTES = Math.floor(((MAX_TEXT_LENGTH - INSIDE_PREFIX.length) * 3) / 4) - NONCE_BYTES - TAG_BYTES;

function insideKey(): Uint8Array {
  return sodium().crypto_generichash(32, utf8Encode(INSIDE_KEY_LABEL), null);
}

/** `text` encrypted under the inner key (XChaCha20-Poly1305, a fresh random nonce), as the text a compliant app then sends. */
export function sealInside(text: string): string {
  const s = sodium();
  const bytes = utf8Encode(text);
  if (bytes.length === 0 || bytes.length > MAX_INSIDE_TEXT_BYTES) {
    throw new ClientError('INVALID_ARGUMENT', `a text to encrypt inside must be 1 to ${MAX_INSIDE_TEXT_BYTES} bytes`);
  }
  const nonce = s.randombytes_buf(NONCE_BYTES);
  const ciphertext = s.crypto_aead_xchacha20poly1305_ietf_encrypt(bytes, null, null, nonce, insideKey());
  const out = new Uint8Array(NONCE_BYTES + ciphertext.length);
  out.set(nonce, 0);
  out.set(ciphertext, NONCE_BYTES);
  return INSIDE_PREFIX + toBase64Url(out);
}

/** The text inside a sealInside text, as the rogue app at the other end reads it; null if it is not one, or does not open. */
export function openInside(text: string): string | null {
  if (!text.startsWith(INSIDE_PREFIX)) return null;
  try {
    const bytes = fromBase64Url(text.slice(INSIDE_PREFIX.length), 'inside');
    if (bytes.length < NONCE_BYTES + TAG_BYTES) return null;
    const opened = sodium().crypto_aead_xchacha20poly1305_ietf_decrypt(null, bytes.subarray(NONCE_BYTES), null, bytes.subarray(0, NONCE_BYTES), insideKey());
    return utf8Decode(opened);
  } catch {
    return null;
  }
}
