/**
 * The handshake's libsodium floor (bench/crypto.ts) stays what it claims to be: exactly the
 * libsodium calls a real handshake makes. Every libsodium function is wrapped to count its
 * calls during one handshake as the benchmark times it; the floor's table must match, so a
 * change to the handshake that adds or removes a call fails here until the floor follows.
 */
import sodium from 'libsodium-wrappers-sumo';
import { afterEach, beforeAll, expect, it } from 'vitest';
import { cryptoReady } from '@envelope/crypto-public';
import { makeDevice } from '@envelope/testkit/crypto-fixtures.js';
import { HANDSHAKE_LIBSODIUM_CALLS, handshakeOnce, prepareLibsodiumFloor } from './crypto.js';

const library = sodium as unknown as Record<string, unknown>;
const originals = new Map<string, unknown>();

/** Counts calls to every crypto_* function until afterEach puts the originals back. */
function countCalls(): Map<string, number> {
  const counts = new Map<string, number>();
  for (const name of Object.keys(library)) {
    const original = originals.get(name) ?? library[name];
    if (typeof original !== 'function' || !name.startsWith('crypto_')) continue;
    originals.set(name, original);
    library[name] = (...args: unknown[]) => {
      counts.set(name, (counts.get(name) ?? 0) + 1);
      return (original as (...a: unknown[]) => unknown)(...args);
    };
  }
  return counts;
}

beforeAll(() => cryptoReady());
afterEach(() => {
  for (const [name, original] of originals) library[name] = original;
  originals.clear();
});

it("the floor makes exactly the libsodium calls of one real handshake, bundle to first reply", () => {
  const alice = makeDevice();
  const bob = makeDevice({ oneTimePreKeys: 1, oneTimeKemPreKeys: 1 });
  const floor = prepareLibsodiumFloor();
  const plaintext = new Uint8Array(100);

  const inHandshake = countCalls();
  handshakeOnce(alice, bob, plaintext);
  const handshakeCalls = Object.fromEntries([...inHandshake].sort());
  expect(handshakeCalls).toEqual(Object.fromEntries(Object.entries(HANDSHAKE_LIBSODIUM_CALLS).sort()));

  const inFloor = countCalls();
  floor();
  expect(Object.fromEntries([...inFloor].sort())).toEqual(handshakeCalls);
});
