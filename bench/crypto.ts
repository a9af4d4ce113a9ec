/**
 * The `crypto` benchmark section: Envelope's PQXDH handshake and Double Ratchet,
 * and beside them, in the same process, Signal's own library (bench/libsignal).
 * Each figure is timed in rounds that alternate between the two (compareRates),
 * and the ratio is the median of the ratios of back-to-back rounds.
 *
 * One "message" is what an app does per message: load the sender's state from
 * its stored JSON, encrypt 100 bytes, store the state again; then the same on
 * the receiving side with decrypt. libsignal's stores likewise deserialize and
 * serialize its session record on every message, so both pay for persistence.
 */
import { cryptoReady, bytesEqual } from '@envelope/crypto-public';
import {
  acceptInitialMessage,
  createInitiatorSession,
  decryptMessage,
  deserializeSession,
  encryptMessage,
  serializeSession,
  type SessionState,
} from '@envelope/crypto';
import { establishSessions, makeDevice, takeBundle, type TestDevice } from '@envelope/testkit/crypto-fixtures.js';
import { prepareLibsignal } from './libsignal/bench.js';
import { COMPARE_RATE_OPTIONS, compareRates, HANDSHAKE_POOL_SIZE, HANDSHAKE_RATE_OPTIONS, measureRate, type RateOptions } from './measure.js';

const MESSAGE_BYTES = 100;

export interface CryptoFigures {
  x3dh_per_s: number;
  ratchet_oneway_msgs_per_s: number;
  ratchet_pingpong_msgs_per_s: number;
}

/** What this section times for each library, one call per handshake or message. */
export interface CryptoOps {
  /** One full handshake, bundle to first reply, on a fresh bundle each call (at most HANDSHAKE_POOL_SIZE calls). */
  handshake(): unknown;
  /** One message, always the same direction: a symmetric chain step. */
  oneway(): unknown;
  /** One message, the direction alternating: a DH ratchet step every message. */
  pingpong(): unknown;
}

export interface CryptoSection extends CryptoFigures {
  message_bytes: number;
  handshake: 'pqxdh';
  rounds: { handshakes: number; messages: number };
  libsignal: CryptoFigures | null;
  /** Median of the per-round ratios Envelope / libsignal; null without libsignal. */
  ratio_vs_libsignal: Record<keyof CryptoFigures, number> | null;
  /** Every round's ratio, in the order measured, for the spread. */
  ratio_rounds: Record<keyof CryptoFigures, number[]> | null;
}

/** A session as it lives in storage: JSON text. */
const store = (session: SessionState) => JSON.stringify(serializeSession(session));
const load = (json: string) => deserializeSession(JSON.parse(json));

function check(got: Uint8Array, sent: Uint8Array, what: string): void {
  if (!bytesEqual(got, sent)) throw new Error(`crypto bench: ${what}: decrypted plaintext differs`);
}

/** One message from the sender's stored state to the receiver's stored state. */
function sendStored(from: { json: string }, to: { json: string }, plaintext: Uint8Array, what: string): void {
  const sent = encryptMessage(load(from.json), plaintext);
  from.json = store(sent.session);
  const received = decryptMessage(load(to.json), sent.ciphertext);
  to.json = store(received.session);
  check(received.plaintext, plaintext, what);
}

/** Envelope's operations, ready to time: Bob's devices (and their prekeys) are made here, before any timing. */
export async function prepareEnvelope(): Promise<CryptoOps> {
  await cryptoReady();
  const plaintext = crypto.getRandomValues(new Uint8Array(MESSAGE_BYTES));
  const alice = makeDevice();
  const bobs: TestDevice[] = Array.from({ length: HANDSHAKE_POOL_SIZE }, () => makeDevice({ oneTimePreKeys: 1, oneTimeKemPreKeys: 1 }));
  let next = 0;

  const oneway = establishSessions();
  const onewayAlice = { json: store(oneway.alice) };
  const onewayBob = { json: store(oneway.bob) };

  const pingpong = establishSessions();
  const sides = [{ json: store(pingpong.alice) }, { json: store(pingpong.bob) }] as const;
  let turn = 0;

  return {
    handshake: () => {
      const bob = bobs[next++];
      if (!bob) throw new Error('crypto bench: ran out of pre-generated bundles');
      const first = encryptMessage(createInitiatorSession(alice.identity, takeBundle(bob)), plaintext);
      const aliceJson = store(first.session);
      const accepted = acceptInitialMessage(bob.identity, first.ciphertext, bob.lookup);
      check(accepted.plaintext, plaintext, 'handshake first message');
      const reply = encryptMessage(accepted.session, plaintext);
      store(reply.session);
      const opened = decryptMessage(load(aliceJson), reply.ciphertext);
      store(opened.session);
      check(opened.plaintext, plaintext, 'handshake reply');
    },
    oneway: () => sendStored(onewayAlice, onewayBob, plaintext, 'one-way'),
    pingpong: () => {
      const from = sides[turn]!;
      const to = sides[1 - turn]!;
      turn = 1 - turn;
      sendStored(from, to, plaintext, 'ping-pong');
    },
  };
}

const FIGURES: readonly [keyof CryptoFigures, keyof CryptoOps, RateOptions][] = [
  ['x3dh_per_s', 'handshake', HANDSHAKE_RATE_OPTIONS],
  ['ratchet_oneway_msgs_per_s', 'oneway', COMPARE_RATE_OPTIONS],
  ['ratchet_pingpong_msgs_per_s', 'pingpong', COMPARE_RATE_OPTIONS],
];

export async function benchCrypto(): Promise<CryptoSection> {
  const envelope = await prepareEnvelope();
  const libsignal = await prepareLibsignal();
  const ours = {} as CryptoFigures;
  const theirs = {} as CryptoFigures;
  const ratio = {} as Record<keyof CryptoFigures, number>;
  const rounds = {} as Record<keyof CryptoFigures, number[]>;
  for (const [figure, op, options] of FIGURES) {
    process.stderr.write(`bench crypto: ${figure}\n`);
    if (!libsignal) {
      ours[figure] = await measureRate(envelope[op], options);
      continue;
    }
    const compared = await compareRates(envelope[op], libsignal[op], options);
    ours[figure] = compared.a;
    theirs[figure] = compared.b;
    ratio[figure] = compared.ratio;
    rounds[figure] = compared.roundRatios;
  }
  return {
    ...ours,
    message_bytes: MESSAGE_BYTES,
    handshake: 'pqxdh',
    rounds: { handshakes: HANDSHAKE_RATE_OPTIONS.rounds, messages: COMPARE_RATE_OPTIONS.rounds },
    libsignal: libsignal ? theirs : null,
    ratio_vs_libsignal: libsignal ? ratio : null,
    ratio_rounds: libsignal ? rounds : null,
  };
}
