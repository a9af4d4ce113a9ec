/**
 * The `escrow` benchmark section (key-escrow mode; shared/crypto/escrow.ts):
 *
 * - The forgery's speed: tries per second of Blaze's trial against the
 *   compliant check (forgeAccessField), timed on a 64-bit check so no try
 *   passes and every round does the same work; with it, the expected time to
 *   forge a 16-bit field (2^16 tries on average) and a 64-bit one (2^64).
 * - Forgeries of a 16-bit field: how many tries each took and how long, over
 *   BENCH_ESCROW_FORGERIES of them (a geometric spread around 65,536).
 * - What escrow costs a sender: messages per second encrypted with and without
 *   the access field, in alternating rounds, and the ratio.
 *
 * BENCH_ESCROW_TRIES (tries per timed round, 20,000) and BENCH_ESCROW_FORGERIES
 * (5) make it small for a quick check.
 */
import { cryptoReady, utf8Encode } from '@envelope/crypto-public';
import { buildAccessField, encryptMessage, forgeAccessField, sodium, wipeDisclosure, type SessionState } from '@envelope/crypto';
import { establishSessions } from '@envelope/testkit/crypto-fixtures.js';
import { compareRates, median } from './measure.js';

const DEFAULT_TRIES_PER_ROUND = 20_000;
const DEFAULT_FORGERIES = 5;
const ROUNDS = 5;
/** A cap no 16-bit forgery reaches in practice (the chance of missing is e^-64). */
const FORGERY_CAP = 2 ** 22;
const SECONDS_PER_YEAR = 365.25 * 24 * 3600;

export interface EscrowSection {
  forgery_tries_per_s: number;
  expected_seconds_to_forge_16_bits: number;
  expected_years_to_forge_64_bits: number;
  forgeries_16_bits: { tries: number[]; seconds: number[]; median_tries: number; median_seconds: number };
  send_msgs_per_s: { e2ee: number; key_escrow: number; ratio_key_escrow_vs_e2ee: number };
  tries_per_round: number;
}

export async function benchEscrow(): Promise<EscrowSection> {
  await cryptoReady();
  const triesPerRound = Number(process.env.BENCH_ESCROW_TRIES ?? DEFAULT_TRIES_PER_ROUND);
  const forgeries = Number(process.env.BENCH_ESCROW_FORGERIES ?? DEFAULT_FORGERIES);
  const { alice } = establishSessions();
  const message = encryptMessage(alice, utf8Encode('a message a rogue app sends'), { disclose: true });
  const disclosure = message.disclosure!;

  const rates: number[] = [];
  forgeAccessField(disclosure, 64, Math.min(triesPerRound, 2_000)); // warm-up
  for (let round = 0; round < ROUNDS; round++) rates.push(forgeAccessField(disclosure, 64, triesPerRound).triesPerSecond);
  const triesPerSecond = Math.round(median(rates));

  const tries: number[] = [];
  const seconds: number[] = [];
  for (let i = 0; i < forgeries; i++) {
    const forged = forgeAccessField(disclosure, 16, FORGERY_CAP);
    if (forged.field === null) throw new Error('escrow bench: a 16-bit forgery reached the cap');
    tries.push(forged.tries);
    seconds.push(Number((forged.elapsedMs / 1000).toFixed(3)));
  }

  // Sending: encrypt 100 bytes, with the access field built (and the key wiped) or without.
  const escrowKey = sodium().crypto_box_keypair().publicKey;
  const plaintext = new Uint8Array(100);
  let plain: SessionState = establishSessions().alice;
  let escrowed: SessionState = establishSessions().alice;
  const sending = await compareRates(
    () => {
      plain = encryptMessage(plain, plaintext).session;
    },
    () => {
      const out = encryptMessage(escrowed, plaintext, { disclose: true });
      buildAccessField(escrowKey, 16, out.disclosure!);
      wipeDisclosure(out.disclosure);
      escrowed = out.session;
    },
    { rounds: ROUNDS, minMs: 200 },
  );

  return {
    forgery_tries_per_s: triesPerSecond,
    expected_seconds_to_forge_16_bits: Number((2 ** 16 / triesPerSecond).toFixed(2)),
    expected_years_to_forge_64_bits: Number((2 ** 64 / triesPerSecond / SECONDS_PER_YEAR).toExponential(2)),
    forgeries_16_bits: { tries, seconds, median_tries: median(tries), median_seconds: median(seconds) },
    send_msgs_per_s: { e2ee: sending.a, key_escrow: sending.b, ratio_key_escrow_vs_e2ee: Number((sending.b / sending.a).toFixed(3)) },
    tries_per_round: triesPerRound,
  };
}
