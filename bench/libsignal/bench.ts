/**
 * Benchmark of Signal's own library, @signalapp/libsignal-client: the same
 * operations as our own (bench/crypto.ts), timed in the same process in rounds
 * that alternate with ours (compareRates), so the figures compare side by side.
 *
 * What is counted, and why, so the comparison is fair:
 *  - Every message is encrypted, serialised to bytes (what would go on the
 *    wire), parsed back and decrypted; the plaintext is checked, so a failing
 *    run throws instead of silently measuring errors.
 *  - Session state is persisted as bytes: the session store keeps
 *    record.serialize() and returns SessionRecord.deserialize(bytes) on load.
 *    Our own figures count state serialisation as part of each message (state
 *    is persisted in real use), so libsignal must pay for it too; keeping the
 *    live SessionRecord objects in a Map would skip that cost and flatter it.
 *  - The other stores (prekeys, remote identities) are stand-ins for a database
 *    too, so they also keep bytes. Only the local identity key pair is kept as
 *    an object: apps hold their own identity key in memory.
 *
 * The module is loaded at run time from bench/.libsignal/ (see install.ts), so
 * it cannot be imported for its types here: a fresh checkout, where that folder
 * does not exist yet, must still type-check. `Libsignal` below is a minimal,
 * hand-written description of the parts this file uses, following the
 * library's own .d.ts (dist/index.d.ts, ProtocolTypes.d.ts, EcKeys.d.ts,
 * KemKeys.d.ts, Address.d.ts of version 0.103.0).
 */

import type { CryptoOps } from '../crypto.js';
import { HANDSHAKE_POOL_SIZE } from '../measure.js';
import { loadLibsignal } from './install.js';

// ---------------------------------------------------------------------------
// Minimal types for the dynamically loaded module.

type Bytes = Uint8Array<ArrayBuffer>;

/** Every libsignal object wraps a native handle; used here as a brand. */
interface Native {
  readonly _nativeHandle: unknown;
}
interface PublicKey extends Native {
  serialize(): Bytes;
  equals(other: PublicKey): boolean;
}
interface PrivateKey extends Native {
  sign(msg: Bytes): Bytes;
  getPublicKey(): PublicKey;
}
interface IdentityKeyPair {
  readonly publicKey: PublicKey;
  readonly privateKey: PrivateKey;
}
interface KEMPublicKey extends Native {
  serialize(): Bytes;
}
interface KEMKeyPair extends Native {
  getPublicKey(): KEMPublicKey;
}
interface ProtocolAddress extends Native {
  toString(): string;
}
interface Serializable extends Native {
  serialize(): Bytes;
}
type SessionRecord = Serializable;
type PreKeyRecord = Serializable;
type SignedPreKeyRecord = Serializable;
type KyberPreKeyRecord = Serializable;
type PreKeyBundle = Native;
type SignalMessage = Native;
type PreKeySignalMessage = Native;
interface CiphertextMessage extends Native {
  serialize(): Bytes;
  type(): number;
}

interface SessionStore {
  saveSession(name: ProtocolAddress, record: SessionRecord): Promise<void>;
  getSession(name: ProtocolAddress): Promise<SessionRecord | null>;
  getExistingSessions(addresses: ProtocolAddress[]): Promise<SessionRecord[]>;
}
interface IdentityKeyStore {
  getIdentityKey(): Promise<PrivateKey>;
  getIdentityKeyPair(): Promise<IdentityKeyPair>;
  getLocalRegistrationId(): Promise<number>;
  saveIdentity(name: ProtocolAddress, key: PublicKey): Promise<number>;
  isTrustedIdentity(name: ProtocolAddress, key: PublicKey, direction: number): Promise<boolean>;
  getIdentity(name: ProtocolAddress): Promise<PublicKey | null>;
}
interface PreKeyStore {
  savePreKey(id: number, record: PreKeyRecord): Promise<void>;
  getPreKey(id: number): Promise<PreKeyRecord>;
  removePreKey(id: number): Promise<void>;
}
interface SignedPreKeyStore {
  saveSignedPreKey(id: number, record: SignedPreKeyRecord): Promise<void>;
  getSignedPreKey(id: number): Promise<SignedPreKeyRecord>;
}
interface KyberPreKeyStore {
  saveKyberPreKey(kyberPreKeyId: number, record: KyberPreKeyRecord): Promise<void>;
  getKyberPreKey(kyberPreKeyId: number): Promise<KyberPreKeyRecord>;
  markKyberPreKeyUsed(kyberPreKeyId: number, signedPreKeyId: number, baseKey: PublicKey): Promise<void>;
}

// Static factories are literally named `new` in the library; quoted, so they
// are read as methods rather than as construct signatures.
interface Libsignal {
  PublicKey: { deserialize(buf: Bytes): PublicKey };
  PrivateKey: { generate(): PrivateKey };
  IdentityKeyPair: { generate(): IdentityKeyPair };
  KEMKeyPair: { generate(): KEMKeyPair };
  ProtocolAddress: { 'new'(name: string, deviceId: number): ProtocolAddress };
  SessionRecord: { deserialize(buf: Bytes): SessionRecord };
  PreKeyRecord: {
    'new'(id: number, pubKey: PublicKey, privKey: PrivateKey): PreKeyRecord;
    deserialize(buf: Bytes): PreKeyRecord;
  };
  SignedPreKeyRecord: {
    'new'(id: number, timestamp: number, pubKey: PublicKey, privKey: PrivateKey, signature: Bytes): SignedPreKeyRecord;
    deserialize(buf: Bytes): SignedPreKeyRecord;
  };
  KyberPreKeyRecord: {
    'new'(id: number, timestamp: number, keyPair: KEMKeyPair, signature: Bytes): KyberPreKeyRecord;
    deserialize(buf: Bytes): KyberPreKeyRecord;
  };
  PreKeyBundle: {
    'new'(
      registrationId: number,
      deviceId: number,
      prekeyId: number | null,
      prekey: PublicKey | null,
      signedPrekeyId: number,
      signedPrekey: PublicKey,
      signedPrekeySignature: Bytes,
      identityKey: PublicKey,
      kyberPrekeyId: number,
      kyberPrekey: KEMPublicKey,
      kyberPrekeySignature: Bytes,
    ): PreKeyBundle;
  };
  SignalMessage: { deserialize(buf: Bytes): SignalMessage };
  PreKeySignalMessage: { deserialize(buf: Bytes): PreKeySignalMessage };
  CiphertextMessageType: { readonly Whisper: number; readonly PreKey: number };
  IdentityChange: { readonly NewOrUnchanged: number; readonly ReplacedExisting: number };

  // The store base classes are abstract in the library; extending the real
  // ones (rather than writing look-alikes) keeps their non-abstract helpers,
  // such as IdentityKeyStore.getIdentityKeyPair.
  SessionStore: abstract new () => SessionStore;
  IdentityKeyStore: abstract new () => IdentityKeyStore;
  PreKeyStore: abstract new () => PreKeyStore;
  SignedPreKeyStore: abstract new () => SignedPreKeyStore;
  KyberPreKeyStore: abstract new () => KyberPreKeyStore;

  processPreKeyBundle(
    bundle: PreKeyBundle,
    address: ProtocolAddress,
    localAddress: ProtocolAddress,
    sessionStore: SessionStore,
    identityStore: IdentityKeyStore,
  ): Promise<void>;
  signalEncrypt(
    message: Bytes,
    address: ProtocolAddress,
    localAddress: ProtocolAddress,
    sessionStore: SessionStore,
    identityStore: IdentityKeyStore,
  ): Promise<CiphertextMessage>;
  signalDecrypt(
    message: SignalMessage,
    address: ProtocolAddress,
    localAddress: ProtocolAddress,
    sessionStore: SessionStore,
    identityStore: IdentityKeyStore,
  ): Promise<Bytes>;
  signalDecryptPreKey(
    message: PreKeySignalMessage,
    address: ProtocolAddress,
    localAddress: ProtocolAddress,
    sessionStore: SessionStore,
    identityStore: IdentityKeyStore,
    prekeyStore: PreKeyStore,
    signedPrekeyStore: SignedPreKeyStore,
    kyberPrekeyStore: KyberPreKeyStore,
  ): Promise<Bytes>;
}

// ---------------------------------------------------------------------------
// In-memory stores. Each keeps bytes, as a database would (see the top comment).

interface Stores {
  sessions: SessionStore;
  identity: IdentityKeyStore;
  preKeys: PreKeyStore;
  signedPreKeys: SignedPreKeyStore;
  kyberPreKeys: KyberPreKeyStore;
}

/** One user's (one device's) stores, built on the loaded library's base classes. */
function makeStores(lib: Libsignal, identityKeyPair: IdentityKeyPair, registrationId: number): Stores {
  class MemorySessionStore extends lib.SessionStore {
    readonly #records = new Map<string, Bytes>();
    // Serialise on save and deserialise on load: this is the per-message cost
    // of persisting ratchet state, which our own figures include.
    override async saveSession(name: ProtocolAddress, record: SessionRecord): Promise<void> {
      this.#records.set(name.toString(), record.serialize());
    }
    override async getSession(name: ProtocolAddress): Promise<SessionRecord | null> {
      const bytes = this.#records.get(name.toString());
      return bytes ? lib.SessionRecord.deserialize(bytes) : null;
    }
    override async getExistingSessions(addresses: ProtocolAddress[]): Promise<SessionRecord[]> {
      return addresses.map((address) => {
        const bytes = this.#records.get(address.toString());
        if (!bytes) throw new Error(`no session for ${address.toString()}`);
        return lib.SessionRecord.deserialize(bytes);
      });
    }
  }

  class MemoryIdentityKeyStore extends lib.IdentityKeyStore {
    readonly #remote = new Map<string, Bytes>();
    override async getIdentityKey(): Promise<PrivateKey> {
      return identityKeyPair.privateKey;
    }
    override async getLocalRegistrationId(): Promise<number> {
      return registrationId;
    }
    override async saveIdentity(name: ProtocolAddress, key: PublicKey): Promise<number> {
      const known = this.#remote.get(name.toString());
      this.#remote.set(name.toString(), key.serialize());
      return known && !lib.PublicKey.deserialize(known).equals(key)
        ? lib.IdentityChange.ReplacedExisting
        : lib.IdentityChange.NewOrUnchanged;
    }
    // Trust on first use, then only the same key (what an app does before the
    // user verifies a safety number).
    override async isTrustedIdentity(name: ProtocolAddress, key: PublicKey): Promise<boolean> {
      const known = this.#remote.get(name.toString());
      return known === undefined || lib.PublicKey.deserialize(known).equals(key);
    }
    override async getIdentity(name: ProtocolAddress): Promise<PublicKey | null> {
      const known = this.#remote.get(name.toString());
      return known ? lib.PublicKey.deserialize(known) : null;
    }
  }

  class MemoryPreKeyStore extends lib.PreKeyStore {
    readonly #records = new Map<number, Bytes>();
    override async savePreKey(id: number, record: PreKeyRecord): Promise<void> {
      this.#records.set(id, record.serialize());
    }
    override async getPreKey(id: number): Promise<PreKeyRecord> {
      const bytes = this.#records.get(id);
      if (!bytes) throw new Error(`no prekey ${id}`);
      return lib.PreKeyRecord.deserialize(bytes);
    }
    // One-time prekeys are deleted once used, as the protocol requires.
    override async removePreKey(id: number): Promise<void> {
      this.#records.delete(id);
    }
  }

  class MemorySignedPreKeyStore extends lib.SignedPreKeyStore {
    readonly #records = new Map<number, Bytes>();
    override async saveSignedPreKey(id: number, record: SignedPreKeyRecord): Promise<void> {
      this.#records.set(id, record.serialize());
    }
    override async getSignedPreKey(id: number): Promise<SignedPreKeyRecord> {
      const bytes = this.#records.get(id);
      if (!bytes) throw new Error(`no signed prekey ${id}`);
      return lib.SignedPreKeyRecord.deserialize(bytes);
    }
  }

  class MemoryKyberPreKeyStore extends lib.KyberPreKeyStore {
    readonly #records = new Map<number, Bytes>();
    readonly #used = new Set<number>();
    override async saveKyberPreKey(id: number, record: KyberPreKeyRecord): Promise<void> {
      this.#records.set(id, record.serialize());
    }
    override async getKyberPreKey(id: number): Promise<KyberPreKeyRecord> {
      const bytes = this.#records.get(id);
      if (!bytes) throw new Error(`no kyber prekey ${id}`);
      return lib.KyberPreKeyRecord.deserialize(bytes);
    }
    // A one-time Kyber prekey may be used only once; refuse reuse loudly so a
    // benchmark bug (reusing a bundle) cannot go unnoticed.
    override async markKyberPreKeyUsed(id: number): Promise<void> {
      if (this.#used.has(id)) throw new Error(`kyber prekey ${id} used twice`);
      this.#used.add(id);
    }
  }

  return {
    sessions: new MemorySessionStore(),
    identity: new MemoryIdentityKeyStore(),
    preKeys: new MemoryPreKeyStore(),
    signedPreKeys: new MemorySignedPreKeyStore(),
    kyberPreKeys: new MemoryKyberPreKeyStore(),
  };
}

// ---------------------------------------------------------------------------
// Parties and handshakes.

interface Party {
  address: ProtocolAddress;
  stores: Stores;
}

/** Bob with his prekeys generated and stored, and the bundle the server would hand out. */
interface BobWithBundle extends Party {
  bundle: PreKeyBundle;
}

const DEVICE_ID = 1;
const MESSAGE_BYTES = 100;

function randomRegistrationId(): number {
  // Registration ids are 14-bit, non-zero.
  return 1 + (crypto.getRandomValues(new Uint16Array(1))[0]! % 16380);
}

function newParty(lib: Libsignal): Party {
  return {
    address: lib.ProtocolAddress.new(crypto.randomUUID(), DEVICE_ID),
    stores: makeStores(lib, lib.IdentityKeyPair.generate(), randomRegistrationId()),
  };
}

/**
 * A fresh Bob (new identity and address) with one signed prekey, one one-time
 * prekey and one Kyber prekey, stored on his side, and his PreKeyBundle.
 * Untimed: in real use prekeys are generated and uploaded ahead, in batches.
 */
async function newBobWithBundle(lib: Libsignal): Promise<BobWithBundle> {
  const identity = lib.IdentityKeyPair.generate();
  const registrationId = randomRegistrationId();
  const stores = makeStores(lib, identity, registrationId);
  const now = Date.now();

  const preKeyId = 1;
  const preKey = lib.PrivateKey.generate();
  await stores.preKeys.savePreKey(preKeyId, lib.PreKeyRecord.new(preKeyId, preKey.getPublicKey(), preKey));

  const signedId = 2;
  const signed = lib.PrivateKey.generate();
  const signedSignature = identity.privateKey.sign(signed.getPublicKey().serialize());
  await stores.signedPreKeys.saveSignedPreKey(
    signedId,
    lib.SignedPreKeyRecord.new(signedId, now, signed.getPublicKey(), signed, signedSignature),
  );

  const kyberId = 3;
  const kyber = lib.KEMKeyPair.generate();
  const kyberSignature = identity.privateKey.sign(kyber.getPublicKey().serialize());
  await stores.kyberPreKeys.saveKyberPreKey(kyberId, lib.KyberPreKeyRecord.new(kyberId, now, kyber, kyberSignature));

  const bundle = lib.PreKeyBundle.new(
    registrationId,
    DEVICE_ID,
    preKeyId,
    preKey.getPublicKey(),
    signedId,
    signed.getPublicKey(),
    signedSignature,
    identity.publicKey,
    kyberId,
    kyber.getPublicKey(),
    kyberSignature,
  );
  return { address: lib.ProtocolAddress.new(crypto.randomUUID(), DEVICE_ID), stores, bundle };
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function checkPlaintext(got: Uint8Array, sent: Uint8Array, what: string): void {
  if (!sameBytes(got, sent)) throw new Error(`libsignal bench: ${what}: decrypted plaintext differs from what was sent`);
}

function checkType(message: CiphertextMessage, expected: number, what: string): void {
  if (message.type() !== expected) {
    throw new Error(`libsignal bench: ${what}: message type ${message.type()}, expected ${expected}`);
  }
}

/** One message from `from` to `to` over a fresh-looking wire: encrypt, bytes, parse, decrypt, check. */
async function sendWhisper(lib: Libsignal, from: Party, to: Party, plaintext: Bytes, what: string): Promise<void> {
  const sent = await lib.signalEncrypt(plaintext, to.address, from.address, from.stores.sessions, from.stores.identity);
  checkType(sent, lib.CiphertextMessageType.Whisper, what);
  const received = lib.SignalMessage.deserialize(sent.serialize());
  const got = await lib.signalDecrypt(received, from.address, to.address, to.stores.sessions, to.stores.identity);
  checkPlaintext(got, plaintext, what);
}

/**
 * The full handshake as an app runs it, from bundle to first reply: Alice
 * processes Bob's bundle (PQXDH), sends a PreKeySignalMessage, Bob decrypts it
 * (consuming his one-time and Kyber prekeys), Bob replies, Alice decrypts.
 */
async function handshake(lib: Libsignal, alice: Party, bob: BobWithBundle, plaintext: Bytes): Promise<void> {
  const a = alice.stores;
  const b = bob.stores;
  await lib.processPreKeyBundle(bob.bundle, bob.address, alice.address, a.sessions, a.identity);

  const first = await lib.signalEncrypt(plaintext, bob.address, alice.address, a.sessions, a.identity);
  checkType(first, lib.CiphertextMessageType.PreKey, 'handshake first message');
  const firstReceived = lib.PreKeySignalMessage.deserialize(first.serialize());
  const got = await lib.signalDecryptPreKey(
    firstReceived,
    alice.address,
    bob.address,
    b.sessions,
    b.identity,
    b.preKeys,
    b.signedPreKeys,
    b.kyberPreKeys,
  );
  checkPlaintext(got, plaintext, 'handshake first message');

  await sendWhisper(lib, bob, alice, plaintext, 'handshake reply');
}

/** A fresh Alice and Bob with an established session (handshake and one reply done). */
async function establishedPair(lib: Libsignal, plaintext: Bytes): Promise<{ alice: Party; bob: Party }> {
  const alice = newParty(lib);
  const bob = await newBobWithBundle(lib);
  await handshake(lib, alice, bob, plaintext);
  return { alice, bob };
}

// ---------------------------------------------------------------------------
// The operations the benchmark times.

/**
 * libsignal's operations, ready to time; null (with a line on stderr) where the
 * library cannot be installed or loaded. Handshakes use one Alice and a pool of
 * fresh Bobs prepared here, before any timing.
 */
export async function prepareLibsignal(): Promise<CryptoOps | null> {
  const lib = (await loadLibsignal()) as Libsignal | null;
  if (lib === null) return null;

  const plaintext: Bytes = crypto.getRandomValues(new Uint8Array(MESSAGE_BYTES));
  const alice = newParty(lib);
  // Two pools: libsignal's handshake is timed twice, beside each of Envelope's two (crypto.ts).
  const pools: BobWithBundle[][] = [[], []];
  for (const pool of pools) for (let i = 0; i < HANDSHAKE_POOL_SIZE; i++) pool.push(await newBobWithBundle(lib));
  const next = [0, 0];
  const handshakeFrom = (p: 0 | 1) => async () => {
    const bob = pools[p]![next[p]!++];
    if (!bob) throw new Error('libsignal bench: ran out of pre-generated bundles');
    await handshake(lib, alice, bob, plaintext);
  };

  const oneway = await establishedPair(lib, plaintext);
  // The pair's last message was Bob's reply, so Alice goes first.
  const pingpong = await establishedPair(lib, plaintext);
  let aliceTurn = true;

  return {
    handshake: handshakeFrom(0),
    handshakeWebAssembly: handshakeFrom(1),
    oneway: () => sendWhisper(lib, oneway.alice, oneway.bob, plaintext, 'one-way message'),
    pingpong: () => {
      const [from, to] = aliceTurn ? [pingpong.alice, pingpong.bob] : [pingpong.bob, pingpong.alice];
      aliceTurn = !aliceTurn;
      return sendWhisper(lib, from, to, plaintext, 'ping-pong message');
    },
  };
}
