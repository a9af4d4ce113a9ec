import { beforeAll, describe, expect, it } from 'vitest';
import { concatBytes, cryptoReady, decodeAccessField, decodeEscrowSealedContent, encodeAccessField, unpad, utf8Decode, utf8Encode } from '@envelope/crypto-public';
import { acceptInitialMessage, createInitiatorSession, decryptMessage, encryptMessage, type SessionDisclosure } from './session.js';
import { buildAccessField, checkAccessField, forgeAccessField } from './escrow.js';
import { sodium } from './sodium.js';
import { establishSessions, makeDevice, takeBundle } from '@envelope/testkit/crypto-fixtures.js';

beforeAll(async () => {
  await cryptoReady();
});

/** What the escrow does with the private key (server/lawful-access/escrow-open.ts does the same with libsodium alone). */
function escrowOpens(keys: { publicKey: Uint8Array; privateKey: Uint8Array }, field: Uint8Array, body: Uint8Array): string | null {
  const s = sodium();
  try {
    const content = decodeEscrowSealedContent(s.crypto_box_seal_open(decodeAccessField(field).sealed, keys.publicKey, keys.privateKey));
    const padded = s.crypto_aead_xchacha20poly1305_ietf_decrypt(null, body.subarray(content.ciphertextOffset), content.associatedData, new Uint8Array(24), content.messageKey);
    return utf8Decode(unpad(padded));
  } catch {
    return null;
  }
}

describe('key escrow: the message key leaves the ratchet only when asked', () => {
  it('without `disclose` nothing leaves (e2ee); with it, sender and recipient see the same key, AD and offset', () => {
    const { alice, bob } = establishSessions();
    expect(encryptMessage(alice, utf8Encode('plain')).disclosure).toBeUndefined();
    const sent = encryptMessage(alice, utf8Encode('escrowed'), { disclose: true });
    const received = decryptMessage(bob, sent.ciphertext, { disclose: true });
    const a = sent.disclosure!;
    const b = received.disclosure!;
    expect(a.messageKey).toHaveLength(32);
    expect(b.messageKey).toEqual(a.messageKey);
    expect(b.sessionAssociatedData).toEqual(a.sessionAssociatedData);
    expect(b.header).toEqual(a.header);
    expect(b.ciphertextOffset).toBe(a.ciphertextOffset);
  });

  it('a compliant field opens the body with the escrow key alone, for a first (prekey) message and a later one', () => {
    const escrow = sodium().crypto_box_keypair();
    const aliceDevice = makeDevice();
    const bobDevice = makeDevice();
    // The first message carries the 1.2 KB PQXDH header before the ratchet message: the offset must skip it.
    const first = encryptMessage(createInitiatorSession(aliceDevice.identity, takeBundle(bobDevice)), utf8Encode('first words'), { disclose: true });
    const firstField = buildAccessField(escrow.publicKey, 16, first.disclosure!);
    expect(escrowOpens(escrow, firstField, first.ciphertext)).toBe('first words');
    const accepted = acceptInitialMessage(bobDevice.identity, first.ciphertext, bobDevice.lookup, { disclose: true });
    expect(checkAccessField(firstField, accepted.disclosure as SessionDisclosure)).toEqual({ ok: true, checkBits: 16 });

    const reply = encryptMessage(accepted.session, utf8Encode('a reply'), { disclose: true });
    const replyField = buildAccessField(escrow.publicKey, 64, reply.disclosure!);
    expect(escrowOpens(escrow, replyField, reply.ciphertext)).toBe('a reply');
    // Another key opens nothing.
    expect(escrowOpens(sodium().crypto_box_keypair(), replyField, reply.ciphertext)).toBeNull();
  });
});

describe('the recipient’s check (compliant software)', () => {
  const escrow = () => sodium().crypto_box_keypair();

  it('refuses a wrong checkword, a field of another message, and one narrower than the server asks', () => {
    const { alice, bob } = establishSessions();
    const keys = escrow();
    const one = encryptMessage(alice, utf8Encode('one'), { disclose: true });
    const two = encryptMessage(one.session, utf8Encode('two'), { disclose: true });
    const oneAtBob = decryptMessage(bob, one.ciphertext, { disclose: true }).disclosure!;
    const field = buildAccessField(keys.publicKey, 16, one.disclosure!);
    expect(checkAccessField(field, oneAtBob).ok).toBe(true);

    const flipped = field.slice();
    flipped[flipped.length - 1]! ^= 0x01;
    expect(checkAccessField(flipped, oneAtBob)).toEqual({ ok: false, reason: 'the checkword does not match' });
    // A valid field copied from message two does not pass for message one.
    expect(checkAccessField(buildAccessField(keys.publicKey, 16, two.disclosure!), oneAtBob)).toEqual({ ok: false, reason: 'the access field names another message' });
    // Narrowing the width byte breaks the checkword; a real 16-bit field is refused where 64 bits are asked.
    expect(checkAccessField(field, oneAtBob, 64).ok).toBe(false);
    const parsed = decodeAccessField(buildAccessField(keys.publicKey, 64, one.disclosure!));
    const narrowed = encodeAccessField({ ...parsed, checkBytes: 2, checkword: parsed.checkword.slice(0, 2) });
    expect(checkAccessField(narrowed, oneAtBob).ok).toBe(false);
    expect(checkAccessField(new Uint8Array(10), oneAtBob).ok).toBe(false);
  });

  it('Blaze’s attack: a random field passes the 16-bit check after trial, and opens to nothing', () => {
    const { alice, bob } = establishSessions();
    const keys = escrow();
    const sent = encryptMessage(alice, utf8Encode('rogue words'), { disclose: true });
    // 2^16 tries on average; the cap makes a miss a 1 in e^32 event.
    const forged = forgeAccessField(sent.disclosure!, 16, 2 ** 21);
    expect(forged.field).not.toBeNull();
    expect(forged.tries).toBeGreaterThan(0);
    expect(forged.triesPerSecond).toBeGreaterThan(0);
    const atBob = decryptMessage(bob, sent.ciphertext, { disclose: true }).disclosure!;
    expect(checkAccessField(forged.field!, atBob)).toEqual({ ok: true, checkBits: 16 });
    // Same size as a compliant field: the forgery's length gives nothing away.
    expect(forged.field!.length).toBe(buildAccessField(keys.publicKey, 16, sent.disclosure!).length);
    expect(escrowOpens(keys, forged.field!, sent.ciphertext)).toBeNull();
  });

  it('at 64 bits trial gets nowhere within the cap', () => {
    const { alice } = establishSessions();
    const sent = encryptMessage(alice, utf8Encode('x'), { disclose: true });
    const forged = forgeAccessField(sent.disclosure!, 64, 5_000);
    expect(forged.field).toBeNull();
    expect(forged.tries).toBe(5_000);
  });
});

// Keeps concatBytes used for readers of the AD layout: the AEAD's AD is the session's AD ‖ the header.
it('the sealed AD is the session AD followed by the ratchet header', () => {
  const keys = sodium().crypto_box_keypair();
  const { alice } = establishSessions();
  const sent = encryptMessage(alice, utf8Encode('ad'), { disclose: true });
  const field = buildAccessField(keys.publicKey, 16, sent.disclosure!);
  const content = decodeEscrowSealedContent(sodium().crypto_box_seal_open(decodeAccessField(field).sealed, keys.publicKey, keys.privateKey));
  expect(content.associatedData).toEqual(concatBytes(sent.disclosure!.sessionAssociatedData, sent.disclosure!.header));
  expect(content.messageKey).toEqual(sent.disclosure!.messageKey);
});
