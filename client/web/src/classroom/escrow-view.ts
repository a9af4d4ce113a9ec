/**
 * Key escrow as the classroom shows it: a message's access field laid out in
 * plain words (the X-ray), and the figures of the rogue-app demonstration
 * (Blaze, 1994): how many tries a check of a given width takes on average,
 * and how long that is at a rate measured on this computer.
 *
 * The field's layout is shared/protocol/escrow.ts; the core describes it
 * (shared/client/xray.ts describeAccessField), and this file only words it.
 */
import type { XRay } from './client-api.js';
import { byteCount, fromBase64Url, spacedHex } from './format.js';

type DescribedField = NonNullable<XRay['envelopes'][number]['escrow']>;

/** One line of the field, as the X-ray lists it: the part's name, its value, and what it tells whom. */
export interface AccessFieldPart {
  readonly key: 'version' | 'width' | 'conversation' | 'number' | 'sealed' | 'checkword';
  readonly name: string;
  readonly value: string;
  readonly meaning: string;
}

export interface AccessFieldView {
  readonly bytes: number;
  readonly checkBits: 16 | 64;
  readonly parts: readonly AccessFieldPart[];
  /** The whole field, as it travelled (shown as bytes). */
  readonly field: Uint8Array;
}

/** The access field beside an envelope, in plain words. */
export function accessFieldView(described: DescribedField): AccessFieldView {
  const field = fromBase64Url(described.field);
  const parts: AccessFieldPart[] = [
    { key: 'version', name: 'Version', value: String(field[0] ?? '?'), meaning: 'which layout the field follows' },
    {
      key: 'width',
      name: 'Check width',
      value: `${described.checkBits} bits`,
      meaning:
        described.checkBits === 16
          ? 'as in the Clipper chip of 1993: short enough for a rogue app to find a passing field by trial'
          : 'too wide to find a passing field by trial',
    },
    {
      key: 'conversation',
      name: 'Conversation',
      value: spacedHex(described.conversation),
      meaning: 'a fingerprint of this conversation’s keys: it marks which conversation, not who is in it',
    },
    {
      key: 'number',
      name: 'Message number',
      value: `${described.chainIndex} in the chain of ratchet key ${spacedHex(described.ratchetKeyPrefix)}…`,
      meaning: 'which message of the conversation this is',
    },
    {
      key: 'sealed',
      name: 'The sealed message key',
      value: byteCount(described.sealedBytes),
      meaning:
        'this message’s key (with what is needed to find and open the message), sealed to the escrow key. The server cannot open it; any two of its three holders (a court, an agency, this provider) together can',
    },
    {
      key: 'checkword',
      name: 'Checkword',
      value: spacedHex(described.checkword),
      meaning: 'the recipient’s app checks it against the message key and refuses the message if it does not match',
    },
  ];
  return { bytes: described.bytes, checkBits: described.checkBits, parts, field };
}

// --- The rogue app's figures ---

const SECONDS_PER_YEAR = 365.25 * 24 * 3600;

/**
 * Average tries to find a passing field by random trial: each try passes with
 * probability 2^-bits, so 2^bits on average (65,536 for 16 bits), as `npm run
 * bench -- escrow` counts it too.
 */
export function expectedTries(checkBits: 16 | 64): number {
  return 2 ** checkBits;
}

/** How long `tries` take at `triesPerSecond`, in plain words: seconds, minutes, hours, days or years. */
export function durationWords(tries: number, triesPerSecond: number): string {
  if (triesPerSecond <= 0) return 'an unknown time';
  const seconds = tries / triesPerSecond;
  if (seconds < 90) return `about ${round(seconds)} seconds`;
  if (seconds < 90 * 60) return `about ${round(seconds / 60)} minutes`;
  if (seconds < 48 * 3600) return `about ${round(seconds / 3600)} hours`;
  if (seconds < 2 * SECONDS_PER_YEAR) return `about ${round(seconds / 86_400)} days`;
  return `about ${bigNumberWords(seconds / SECONDS_PER_YEAR)} years`;
}

/** 8,850,000 → "8.9 million"; 1.2e13 → "12 trillion"; small numbers as they are. */
export function bigNumberWords(n: number): string {
  const scales: [number, string][] = [
    [1e12, 'trillion'],
    [1e9, 'billion'],
    [1e6, 'million'],
  ];
  for (const [scale, word] of scales) if (n >= scale) return `${round(n / scale)} ${word}`;
  return Math.round(n).toLocaleString('en');
}

function round(n: number): string {
  return n >= 10 ? Math.round(n).toLocaleString('en') : n.toFixed(1);
}

/** "12,345 tries · 0.4 s · 30,000 tries a second": the search's running figures. */
export function searchFigures(progress: { tries: number; elapsedMs: number; triesPerSecond: number }): string {
  return `${progress.tries.toLocaleString('en')} tries · ${(progress.elapsedMs / 1000).toFixed(1)} s · ${progress.triesPerSecond.toLocaleString('en')} tries a second`;
}
