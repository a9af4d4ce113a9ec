/**
 * Key escrow against clients that do not comply, and across a key reset:
 * real server in process, Bob a real client, Mallory a rogue made of the
 * crypto core and a raw socket (she encrypts with a real session, as any app
 * would, and chooses what access field to attach).
 */
import { describe, expect, it, vi } from 'vitest';
import { commitToMessage, toBase64Url, utf8Encode } from '@envelope/crypto-public';
import { buildAccessField, createInitiatorSession, encryptMessage, forgeAccessField, type SessionState } from '@envelope/crypto';
import { BundleResponseSchema, EscrowOpenResultSchema, PolicyAnnouncementSchema, type EscrowAnnouncement } from '@envelope/protocol';
import { liveClients } from '@envelope/testkit/live-clients.js';
import { getJson, randomMessageId, RawSocket, register, type RegisteredDevice } from '@envelope/testkit/harness.js';
import { allDelivered, openAccount, person, shares } from './testing.js';
import { setPolicyMode, shapedAccessField } from './testing.js';

const live = liveClients();

/** Mallory: a session with Bob's device from his bundle, and a socket; she sends texts with whatever access field she likes. */
async function rogue(url: string, escrow: EscrowAnnouncement) {
  const mallory: RegisteredDevice = await register(url, 'mallory');
  const bundle = BundleResponseSchema.parse((await getJson(`${url}/api/accounts/bob/bundle`, mallory.token)).json).devices[0]!;
  let session: SessionState = createInitiatorSession(mallory.keys.identity, {
    identityKey: bundle.identityKey,
    signedPreKey: bundle.signedPreKey,
    oneTimePreKey: bundle.oneTimePreKey,
    kemPreKey: bundle.kemPreKey,
  });
  const socket = await RawSocket.authenticated(url, mallory);
  return {
    /** Sends `text`; `access` makes the field from the message's disclosure (compliant: buildAccessField). */
    async send(text: string, access: (disclosure: NonNullable<ReturnType<typeof encryptMessage>['disclosure']>) => Uint8Array | string): Promise<string> {
      const franking = commitToMessage(utf8Encode(text));
      const plaintext = utf8Encode(JSON.stringify({ v: 1, kind: 'text', text, sentAt: Date.now(), fk: toBase64Url(franking.frankingKey) }));
      const encrypted = encryptMessage(session, plaintext, { disclose: true });
      session = encrypted.session;
      const field = access(encrypted.disclosure!);
      const id = randomMessageId();
      socket.send({
        type: 'send',
        id,
        to: 'bob',
        toDevice: bundle.deviceId,
        body: toBase64Url(encrypted.ciphertext),
        commitment: toBase64Url(franking.commitment),
        mode: 'key-escrow',
        access: typeof field === 'string' ? field : toBase64Url(field),
      });
      const answer = await socket.next((f) => (f.type === 'stored' || f.type === 'error') && f.id === id);
      if (answer.type === 'error') throw new Error(`${answer.code}: ${answer.message}`);
      return id;
    },
    compliant: (disclosure: Parameters<typeof buildAccessField>[2]) => buildAccessField(escrow.publicKey, escrow.checkBits, disclosure),
    socket,
  };
}

describe('key escrow against a rogue client', () => {
  it('the relay refuses a missing or malformed field (BAD_ACCESS_FIELD, nothing stored); Bob refuses a wrong checkword; a forged 16-bit field passes Bob and opens to nothing for the agency', async () => {
    const server = await live.server();
    const escrow = PolicyAnnouncementSchema.parse(await setPolicyMode(server.url, server.server.operatorToken, 'key-escrow')).escrow!;
    const bob = await person(live, server, 'bob');
    const mallory = await rogue(server.url, escrow);
    const logged = () => (server.server.db.prepare('SELECT count(*) AS n FROM metadata_log').get() as { n: number }).n;

    // The relay checks what it can: that a field is there and has the layout (it cannot check the checkword).
    const missing = randomMessageId();
    mallory.socket.send({ type: 'send', id: missing, to: 'bob', toDevice: 1, body: toBase64Url(Uint8Array.of(1, 2, 3)), mode: 'key-escrow' });
    expect(await mallory.socket.next((f) => f.type === 'error' && f.id === missing)).toMatchObject({ code: 'BAD_ACCESS_FIELD' });
    await expect(mallory.send('malformed', () => 'AAAAAAAAAAAA')).rejects.toThrow(/BAD_ACCESS_FIELD/);
    expect(logged()).toBe(0);

    // A compliant field with its checkword bent: the relay passes it (it cannot know), Bob's app refuses the message.
    await mallory.send('bent checkword', (d) => {
      const field = mallory.compliant(d);
      field[field.length - 1]! ^= 0x01;
      return field;
    });
    // A field of the right shape with nothing sealed in it, not trialled: refused too.
    await mallory.send('random field', () => shapedAccessField());
    // Blaze's attack: trial until the 16-bit check passes (2^16 tries on average; the cap makes a miss 1 in e^32).
    let tries = 0;
    const forgedId = await mallory.send('forged and read', (d) => {
      const forged = forgeAccessField(d, 16, 2 ** 21);
      tries = forged.tries;
      return forged.field!;
    });
    expect(tries).toBeGreaterThan(0);
    await vi.waitFor(async () => expect(await bob.conversation('mallory')).toHaveLength(3), { timeout: 10_000 });
    const seen = (await bob.conversation('mallory')).map((e) => [e.state, e.text, e.reason ?? null, e.mode]);
    expect(seen).toEqual([
      ['undecryptable', null, 'ESCROW_CHECK_FAILED', 'key-escrow'],
      ['undecryptable', null, 'ESCROW_CHECK_FAILED', 'key-escrow'],
      ['received', 'forged and read', null, 'key-escrow'],
    ]);

    // The agency: the bent field's seal is real (it opens), the random one and the forgery open to nothing.
    const opened = EscrowOpenResultSchema.parse((await openAccount(server, 'mallory', shares(server, 'court', 'agency'))).json);
    const byText = opened.messages.filter((m) => m.sender === 'mallory').map((m) => [m.messageId === forgedId ? 'forged' : m.outcome, m.text]);
    expect(byText).toEqual([
      ['opened', 'bent checkword'],
      ['opens-to-nothing', null],
      ['forged', null],
    ]);
    expect(opened.messages.find((m) => m.messageId === forgedId)?.outcome).toBe('opens-to-nothing');
  });

  it('at 64 bits a 16-bit forgery is refused by Bob, and trial within a cap finds nothing', async () => {
    const server = await live.server();
    const escrow = (await setPolicyMode(server.url, server.server.operatorToken, 'key-escrow')) as { escrow?: unknown };
    await (await fetch(`${server.url}/api/operator/policy`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${server.server.operatorToken}` },
      body: JSON.stringify({ mode: 'key-escrow', checkBits: 64 }),
    })).json();
    expect(escrow.escrow).toBeDefined();
    const wide = PolicyAnnouncementSchema.parse((await getJson(`${server.url}/api/policy`)).json).escrow!;
    expect(wide.checkBits).toBe(64);
    const bob = await person(live, server, 'bob');
    const mallory = await rogue(server.url, wide);
    let missed = false;
    await mallory.send('narrow forgery', (d) => forgeAccessField(d, 16, 2 ** 21).field!);
    await mallory.send('wide trial', (d) => {
      const forged = forgeAccessField(d, 64, 2_000);
      missed = forged.field === null;
      return mallory.compliant(d); // she gives up and complies
    });
    expect(missed).toBe(true);
    await vi.waitFor(async () => expect(await bob.conversation('mallory')).toHaveLength(2), { timeout: 10_000 });
    expect((await bob.conversation('mallory')).map((e) => [e.state, e.reason ?? null])).toEqual([
      ['undecryptable', 'ESCROW_CHECK_FAILED'],
      ['received', null],
    ]);
  });
});

describe('key escrow across a key reset', () => {
  it('messages before and after Bob resets his keys both open with the escrow key', async () => {
    const server = await live.server();
    await setPolicyMode(server.url, server.server.operatorToken, 'key-escrow');
    const alice = await person(live, server, 'alice');
    const bob = await person(live, server, 'bob');
    await alice.send('bob', 'before the reset');
    await allDelivered(alice, 'bob');
    // Bob's new keys (as after a reinstall): his next message is held on Alice's side until she trusts them.
    await bob.resetKeys();
    await bob.send('alice', 'new keys here');
    await vi.waitFor(async () => expect((await alice.conversation('bob')).some((e) => e.state === 'held')).toBe(true), { timeout: 10_000 });
    await alice.trustNewKey('bob');
    // Released from hold with its access field, and checked then: Alice reads it, under key-escrow.
    const released = (await alice.conversation('bob')).find((e) => e.text === 'new keys here');
    expect([released?.state, released?.mode]).toEqual(['received', 'key-escrow']);
    await alice.send('bob', 'after the reset');
    await allDelivered(alice, 'bob');
    const opened = EscrowOpenResultSchema.parse((await openAccount(server, 'bob', shares(server, 'provider', 'court'))).json);
    expect(opened.messages.filter((m) => m.kind === 'text').map((m) => m.text)).toEqual(['before the reset', 'new keys here', 'after the reset']);
    expect(opened.opensToNothing).toBe(0);
  });
});
