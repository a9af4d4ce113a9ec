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
import sodium from 'libsodium-wrappers-sumo';
import { cryptoReady, bytesEqual, randomBytes } from '@envelope/crypto-public';
import {
  acceptInitialMessage,
  createInitiatorSession,
  decryptMessage,
  deserializeSession,
  encryptMessage,
  libsodiumX25519,
  serializeSession,
  useX25519Backend,
  type SessionState,
  type X25519Backend,
} from '@envelope/crypto';
import { nativeX25519, selfTest as nativeX25519Works } from '@envelope/cli/native-x25519.js';
import { establishSessions, makeDevice, takeBundle, type TestDevice } from '@envelope/testkit/crypto-fixtures.js';
import { prepareLibsignal } from './libsignal/bench.js';
import { COMPARE_RATE_OPTIONS, compareRates, HANDSHAKE_POOL_SIZE, HANDSHAKE_RATE_OPTIONS, measureRate, type RateOptions } from './measure.js';

const MESSAGE_BYTES = 100;

export interface CryptoFigures {
  /** As the command-line client runs it: X25519 in libsodium compiled for this machine (sodium-native), everything else in libsodium's WebAssembly. */
  x3dh_per_s: number;
  /** As the browser runs it: everything in libsodium's WebAssembly. */
  x3dh_webassembly_per_s: number;
  ratchet_oneway_msgs_per_s: number;
  ratchet_pingpong_msgs_per_s: number;
}

/** What this section times for each library, one call per handshake or message. */
export interface CryptoOps {
  /** One full handshake, bundle to first reply, on a fresh bundle each call (at most HANDSHAKE_POOL_SIZE calls). */
  handshake(): unknown;
  /** The same on libsodium's WebAssembly alone (for libsignal: its one handshake again, on a pool of its own). */
  handshakeWebAssembly(): unknown;
  /** One message, always the same direction: a symmetric chain step. */
  oneway(): unknown;
  /** One message, the direction alternating: a DH ratchet step every message. */
  pingpong(): unknown;
}

/**
 * libsodium's share of a handshake, with none of our code: the calls one handshake above makes
 * (bundle to first reply, counted by wrapping every libsodium function for one handshake on
 * 6 December 2026), on inputs of the same sizes, and nothing else. Timed against libsignal's
 * whole handshake, it is the most our handshake could reach on libsodium's WebAssembly: what
 * is left once all of our JavaScript (encoding, state, storage) costs nothing.
 */
export const HANDSHAKE_LIBSODIUM_CALLS = {
  crypto_scalarmult: 12,
  crypto_scalarmult_base: 3,
  crypto_sign_verify_detached: 2,
  crypto_kem_mlkem768_enc_deterministic: 1,
  crypto_kem_mlkem768_dec: 1,
  crypto_auth_hmacsha256: 25,
  crypto_aead_xchacha20poly1305_ietf_encrypt: 2,
  crypto_aead_xchacha20poly1305_ietf_decrypt: 2,
} as const;

/** One handshake's libsodium calls (HANDSHAKE_LIBSODIUM_CALLS) alone; inputs made before timing, randomness drawn as the handshake draws it. */
export function prepareLibsodiumFloor(): () => void {
  const calls = HANDSHAKE_LIBSODIUM_CALLS;
  const peers = Array.from({ length: calls.crypto_scalarmult }, () => sodium.crypto_box_keypair().publicKey);
  const signer = sodium.crypto_sign_seed_keypair(randomBytes(32));
  const kem = sodium.crypto_kem_mlkem768_seed_keypair(randomBytes(64));
  // What the two signatures cover: a signed prekey (a type byte and 32 bytes) and a KEM prekey (a type byte and 1,184).
  const signed = [new Uint8Array(33), new Uint8Array(1 + kem.publicKey.length)].map((message) => ({ message, signature: sodium.crypto_sign_detached(message, signer.privateKey) }));
  const { ciphertext } = sodium.crypto_kem_mlkem768_enc_deterministic(kem.publicKey, randomBytes(32));
  const macKey = randomBytes(32);
  const macInput = randomBytes(64);
  // One key and nonce for every call: this times what the calls cost and protects nothing (the
  // product never uses a message key twice: each comes from the ratchet's chain, once).
  const aeadKey = randomBytes(32);
  const nonce = new Uint8Array(24);
  const associated = randomBytes(66);
  const padded = randomBytes(160); // the 100-byte message in its padding bucket
  const sealed = sodium.crypto_aead_xchacha20poly1305_ietf_encrypt(padded, associated, null, nonce, aeadKey);
  return () => {
    for (let i = 0; i < calls.crypto_scalarmult_base; i++) sodium.crypto_scalarmult_base(randomBytes(32));
    let scalar = randomBytes(32);
    for (const peer of peers) scalar = sodium.crypto_scalarmult(scalar, peer);
    for (const { message, signature } of signed) {
      if (!sodium.crypto_sign_verify_detached(signature, message, signer.publicKey)) throw new Error('crypto bench: floor: signature refused');
    }
    sodium.crypto_kem_mlkem768_enc_deterministic(kem.publicKey, randomBytes(32));
    sodium.crypto_kem_mlkem768_dec(ciphertext, kem.privateKey);
    for (let i = 0; i < calls.crypto_auth_hmacsha256; i++) sodium.crypto_auth_hmacsha256(macInput, macKey);
    for (let i = 0; i < calls.crypto_aead_xchacha20poly1305_ietf_encrypt; i++) {
      sodium.crypto_aead_xchacha20poly1305_ietf_encrypt(padded, associated, null, nonce, aeadKey);
      sodium.crypto_aead_xchacha20poly1305_ietf_decrypt(null, sealed, associated, nonce, aeadKey);
    }
  };
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
  /**
   * One handshake's libsodium calls alone (prepareLibsodiumFloor), per second, against libsignal's
   * whole handshake in alternating rounds: the ceiling of x3dh_per_s's ratio on libsodium. Null without libsignal.
   */
  libsodium_floor: { per_s: number; libsignal_x3dh_per_s: number; ratio_vs_libsignal: number; ratio_rounds: number[] } | null;
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

/** One handshake as timed: Alice's first message from Bob's bundle, Bob's reply, each side's state stored. */
export function handshakeOnce(alice: TestDevice, bob: TestDevice, plaintext: Uint8Array): void {
  const first = encryptMessage(createInitiatorSession(alice.identity, takeBundle(bob)), plaintext);
  const aliceJson = store(first.session);
  const accepted = acceptInitialMessage(bob.identity, first.ciphertext, bob.lookup);
  check(accepted.plaintext, plaintext, 'handshake first message');
  const reply = encryptMessage(accepted.session, plaintext);
  store(reply.session);
  const opened = decryptMessage(load(aliceJson), reply.ciphertext);
  store(opened.session);
  check(opened.plaintext, plaintext, 'handshake reply');
}

/**
 * Envelope's operations, ready to time: Bob's devices (and their prekeys) are made here, before
 * any timing. Every call first selects its X25519 backend, since rounds of different figures
 * alternate: Node's own, as the command-line client runs (if this Node passes its self-test),
 * except for handshakeWebAssembly.
 */
export async function prepareEnvelope(): Promise<CryptoOps> {
  await cryptoReady();
  const node: X25519Backend = nativeX25519 && nativeX25519Works() ? nativeX25519 : libsodiumX25519;
  const plaintext = crypto.getRandomValues(new Uint8Array(MESSAGE_BYTES));
  const alice = makeDevice();
  const pool = () => Array.from({ length: HANDSHAKE_POOL_SIZE }, () => makeDevice({ oneTimePreKeys: 1, oneTimeKemPreKeys: 1 }));
  const bobs = { node: pool(), webAssembly: pool() };
  const next = { node: 0, webAssembly: 0 };
  const handshakeOn = (backend: X25519Backend, which: keyof typeof bobs) => () => {
    const bob = bobs[which][next[which]++];
    if (!bob) throw new Error('crypto bench: ran out of pre-generated bundles');
    useX25519Backend(backend);
    handshakeOnce(alice, bob, plaintext);
  };

  const oneway = establishSessions();
  const onewayAlice = { json: store(oneway.alice) };
  const onewayBob = { json: store(oneway.bob) };

  const pingpong = establishSessions();
  const sides = [{ json: store(pingpong.alice) }, { json: store(pingpong.bob) }] as const;
  let turn = 0;

  return {
    handshake: handshakeOn(node, 'node'),
    handshakeWebAssembly: handshakeOn(libsodiumX25519, 'webAssembly'),
    oneway: () => {
      useX25519Backend(node);
      sendStored(onewayAlice, onewayBob, plaintext, 'one-way');
    },
    pingpong: () => {
      useX25519Backend(node);
      const from = sides[turn]!;
      const to = sides[1 - turn]!;
      turn = 1 - turn;
      sendStored(from, to, plaintext, 'ping-pong');
    },
  };
}

const FIGURES: readonly [keyof CryptoFigures, keyof CryptoOps, RateOptions][] = [
  ['x3dh_per_s', 'handshake', HANDSHAKE_RATE_OPTIONS],
  ['x3dh_webassembly_per_s', 'handshakeWebAssembly', HANDSHAKE_RATE_OPTIONS],
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
  let floor: CryptoSection['libsodium_floor'] = null;
  if (libsignal) {
    process.stderr.write('bench crypto: libsodium_floor (one handshake\'s libsodium calls alone, against libsignal\'s handshake)\n');
    // A fresh pool of libsignal's bundles: each handshake above used one up.
    const freshLibsignal = (await prepareLibsignal())!;
    const compared = await compareRates(prepareLibsodiumFloor(), freshLibsignal.handshake, HANDSHAKE_RATE_OPTIONS);
    floor = { per_s: compared.a, libsignal_x3dh_per_s: compared.b, ratio_vs_libsignal: compared.ratio, ratio_rounds: compared.roundRatios };
  }
  return {
    ...ours,
    message_bytes: MESSAGE_BYTES,
    handshake: 'pqxdh',
    rounds: { handshakes: HANDSHAKE_RATE_OPTIONS.rounds, messages: COMPARE_RATE_OPTIONS.rounds },
    libsignal: libsignal ? theirs : null,
    ratio_vs_libsignal: libsignal ? ratio : null,
    ratio_rounds: libsignal ? rounds : null,
    libsodium_floor: floor,
  };
}
