/**
 * The `crypto` benchmark section: Envelope's PQXDH handshake and Double Ratchet,
 * and beside them, in the same process and with the same measuring helper,
 * Signal's own library (bench/libsignal).
 *
 * One "message" is what an app does per message: load the sender's state from
 * its stored JSON, encrypt 100 bytes, store the state again; then the same on
 * the receiving side with decrypt. libsignal's stores likewise deserialize and
 * serialize its session record on every message, so both pay for persistence.
 */
import { cryptoReady } from '../shared/crypto/sodium.js';
import {
  acceptInitialMessage,
  createInitiatorSession,
  decryptMessage,
  deserializeSession,
  encryptMessage,
  serializeSession,
  type SessionState,
} from '../shared/crypto/session.js';
import { bytesEqual } from '../shared/crypto/bytes.js';
import { establishSessions, makeDevice, takeBundle, type TestDevice } from '../shared/crypto/testing.js';
import { benchLibsignal, type LibsignalFigures } from './libsignal/bench.js';
import { HANDSHAKE_POOL_SIZE, HANDSHAKE_RATE_OPTIONS, measureRate } from './measure.js';

const MESSAGE_BYTES = 100;

export interface CryptoFigures {
  x3dh_per_s: number;
  ratchet_oneway_msgs_per_s: number;
  ratchet_pingpong_msgs_per_s: number;
}

export interface CryptoSection extends CryptoFigures {
  message_bytes: number;
  handshake: 'pqxdh';
  libsignal: LibsignalFigures | null;
  /** Envelope's figure divided by libsignal's, measured in the same run; null without libsignal. */
  ratio_vs_libsignal: Record<keyof CryptoFigures, number> | null;
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

export async function benchEnvelopeCrypto(): Promise<CryptoFigures> {
  await cryptoReady();
  const plaintext = crypto.getRandomValues(new Uint8Array(MESSAGE_BYTES));

  // Handshakes from bundle to first reply; Bob's devices (and their prekeys) are made before timing.
  const alice = makeDevice();
  const bobs: TestDevice[] = Array.from({ length: HANDSHAKE_POOL_SIZE }, () => makeDevice({ oneTimePreKeys: 1, oneTimeKemPreKeys: 1 }));
  let next = 0;
  const x3dh_per_s = await measureRate(() => {
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
  }, HANDSHAKE_RATE_OPTIONS);

  const oneway = establishSessions();
  const onewayAlice = { json: store(oneway.alice) };
  const onewayBob = { json: store(oneway.bob) };
  const ratchet_oneway_msgs_per_s = await measureRate(() => sendStored(onewayAlice, onewayBob, plaintext, 'one-way'));

  const pingpong = establishSessions();
  const sides = [{ json: store(pingpong.alice) }, { json: store(pingpong.bob) }] as const;
  let turn = 0;
  const ratchet_pingpong_msgs_per_s = await measureRate(() => {
    const from = sides[turn]!;
    const to = sides[1 - turn]!;
    turn = 1 - turn;
    sendStored(from, to, plaintext, 'ping-pong');
  });

  return { x3dh_per_s, ratchet_oneway_msgs_per_s, ratchet_pingpong_msgs_per_s };
}

export async function benchCrypto(): Promise<CryptoSection> {
  const envelope = await benchEnvelopeCrypto();
  const libsignal = await benchLibsignal();
  const ratio = (key: keyof CryptoFigures) => (libsignal ? Math.round((envelope[key] / libsignal[key]) * 100) / 100 : 0);
  return {
    ...envelope,
    message_bytes: MESSAGE_BYTES,
    handshake: 'pqxdh',
    libsignal,
    ratio_vs_libsignal: libsignal
      ? {
          x3dh_per_s: ratio('x3dh_per_s'),
          ratchet_oneway_msgs_per_s: ratio('ratchet_oneway_msgs_per_s'),
          ratchet_pingpong_msgs_per_s: ratio('ratchet_pingpong_msgs_per_s'),
        }
      : null,
  };
}
