import { describe, expect, it } from 'vitest';
import { POLICY_WORDS } from '@envelope/protocol';
import { explainError } from './explain-error.js';
import { checkAgainstServer, encodedFieldLegend } from './xray-view.js';
import { INSIDE_PREFIX as CORE_INSIDE_PREFIX } from '@envelope/client-core';
import type { MessageId } from '@envelope/protocol';
import { fromBase64Url, INSIDE_PREFIX, missingTextWords, modeTagWords, rogueMark, safetyNumberGroups, sha256Base64Url, spacedHex, splitPadding, STATE_WORDS, toBase64Url } from './format.js';
import type { StoredEnvelope } from './client-api.js';

describe('classroom formatting', () => {
  it('says every delivery state in plain words', () => {
    expect(STATE_WORDS.queued).toBe('Queued on this device');
    expect(STATE_WORDS.stored).toBe('Stored at the server');
    expect(STATE_WORDS.delivered).toBe('Delivered');
    for (const words of Object.values(STATE_WORDS)) expect(words).toMatch(/^[A-Z][a-z]/);
  });

  it('gives every message without text words of its own, never an empty bubble', () => {
    expect(missingTextWords({ state: 'held' }, 'bob')).toMatch(/^Held: .*accept/);
    // Written to keys we reset: the sender can resend; other failures say only that it could not be read.
    expect(missingTextWords({ state: 'undecryptable', reason: 'NO_SESSION' }, 'bob')).toMatch(/no longer has .*bob can send it again/);
    expect(missingTextWords({ state: 'undecryptable', reason: 'FRANKING_INVALID' }, 'bob')).toMatch(/^Refused: bob’s app .*never be reported/);
    expect(missingTextWords({ state: 'undecryptable', reason: 'INVALID_MESSAGE' }, 'bob')).toBe('This message could not be decrypted.');
    for (const state of ['queued', 'stored', 'delivered', 'failed', 'received', 'held', 'undecryptable'] as const)
      expect(missingTextWords({ state }, 'bob').trim()).not.toBe('');
  });

  it('base64url round-trips every byte value and refuses what is not base64url', () => {
    const all = Uint8Array.from({ length: 256 }, (_, i) => i);
    for (const length of [0, 1, 2, 3, 4, 255, 256]) {
      const bytes = all.subarray(0, length);
      const text = toBase64Url(bytes);
      expect(text).toMatch(/^[A-Za-z0-9_-]*$/);
      expect(fromBase64Url(text)).toEqual(bytes);
    }
    for (const bad of ['a', 'ab+c', 'ab/c', 'abc=', 'a b']) expect(() => fromBase64Url(bad)).toThrow();
  });

  it('SHA-256 digests as base64url (FIPS 180-2 “abc” vector)', async () => {
    expect(await sha256Base64Url(new TextEncoder().encode('abc'))).toBe('ungWv48Bz-pBQUDeXa4iI7ADYaOWF3qctBD_YfIAFa0');
  });

  it('splits a padded plaintext at the message length, so the padding can be shown apart', () => {
    const padded = new Uint8Array([1, 2, 3, 0x80, 0, 0, 0, 0]);
    const { message, padding } = splitPadding(padded, 3);
    expect([...message]).toEqual([1, 2, 3]);
    expect([...padding]).toEqual([0x80, 0, 0, 0, 0]);
    expect(spacedHex(padding)).toBe('8000 0000 00');
  });

  it('shows a safety number as twelve groups of five digits', () => {
    const digits = Array.from({ length: 60 }, (_, i) => String(i % 10)).join('');
    const groups = safetyNumberGroups(digits.replace(/(.{5})/g, '$1 ').trim());
    expect(groups).toHaveLength(12);
    expect(groups.every((g) => /^\d{5}$/.test(g))).toBe(true);
    expect(groups.join('')).toBe(digits);
  });
});

describe('the X-ray check against the server’s row', () => {
  const ciphertext = new Uint8Array([9, 8, 7, 6, 5]);
  const body = toBase64Url(ciphertext);
  const row = async (change: Partial<StoredEnvelope>): Promise<StoredEnvelope> =>
    ({
      id: 'x',
      sender: 'alice',
      senderDevice: 1,
      recipient: 'bob',
      recipientDevice: 1,
      receivedAt: 1,
      size: 5,
      kind: 'message',
      deliveredAt: null,
      ciphertextSha256: await sha256Base64Url(ciphertext),
      ciphertext: body,
      ...change,
    }) as StoredEnvelope;

  it('compares the bytes while the server still holds them', async () => {
    expect(await checkAgainstServer(body, ciphertext, await row({}))).toMatchObject({ by: 'bytes', matches: true });
    expect(await checkAgainstServer(body, ciphertext, await row({ ciphertext: toBase64Url(new Uint8Array([9, 8, 7, 6, 4])) }))).toMatchObject({
      by: 'bytes',
      matches: false,
    });
  });

  it('compares the digest once the server has deleted the ciphertext', async () => {
    expect(await checkAgainstServer(body, ciphertext, await row({ ciphertext: null, deliveredAt: 2 }))).toMatchObject({ by: 'digest', matches: true });
    const other = await sha256Base64Url(new Uint8Array([1]));
    expect(await checkAgainstServer(body, ciphertext, await row({ ciphertext: null, ciphertextSha256: other }))).toMatchObject({ by: 'digest', matches: false });
  });
});

describe('the policy mode in the classroom’s words', () => {
  it('tags only messages the server could read, with the mode’s plain words', () => {
    expect(modeTagWords('e2ee')).toBeNull();
    expect(modeTagWords('transport-only')).toEqual({
      tag: 'server could read this',
      title: `Sent under “${POLICY_WORDS['transport-only'].name}”: ${POLICY_WORDS['transport-only'].detail}`,
    });
  });

  it('a rogue app’s messages say what it did: a forged field on its sender’s row, a text encrypted inside on both', () => {
    expect(INSIDE_PREFIX).toBe(CORE_INSIDE_PREFIX);
    const row = (id: string, text: string, mode: 'key-escrow' | 'e2ee' = 'key-escrow') => ({ id: id as MessageId, text, mode });
    expect(rogueMark(row('m1', 'hello'), ['m1'])).toBe('forged');
    expect(rogueMark(row('m2', `${INSIDE_PREFIX}abcd`), [])).toBe('inside');
    expect(rogueMark(row('m3', 'hello'), ['m1'])).toBeNull();
    expect(rogueMark(row('m1', 'hello', 'e2ee'), ['m1'])).toBeNull();
    expect(modeTagWords('key-escrow', 'forged')!.tag).toBe('rogue app: the escrow opens this to nothing');
    expect(modeTagWords('key-escrow', 'inside')!.tag).toBe('escrow finds only ciphertext');
    expect(modeTagWords('e2ee', 'forged')).toBeNull();
  });

  it('under key escrow the tag names the escrow holders, not the server (which cannot read it)', () => {
    const tag = modeTagWords('key-escrow')!;
    expect(tag.tag).toBe('escrow holders could read this');
    expect(tag.tag).not.toContain('server');
    expect(tag.title).toContain(POLICY_WORDS['key-escrow'].detail);
  });

  it('explains a send refused under a mode this app does not know, without the developer’s message', () => {
    const refused = Object.assign(new Error('the server announces the policy mode "key-escrow"'), { code: 'UNKNOWN_POLICY_MODE' });
    const words = explainError(refused);
    expect(words).toContain('Not sent.');
    expect(words).toContain('does not know');
    expect(words).not.toContain('key-escrow');
  });
});

describe('the X-ray legend of the encoded message', () => {
  it('explains each field of a text message in plain words, franking key included, in the order sent', () => {
    const encoded = JSON.stringify({ v: 1, kind: 'text', text: 'hi', sentAt: 1, fk: 'x', pk: 'y' });
    const legend = encodedFieldLegend(encoded);
    expect(legend.map((row) => row.field)).toEqual(['v', 'kind', 'text', 'sentAt', 'fk', 'pk']);
    const words = Object.fromEntries(legend.map((row) => [row.field, row.words]));
    expect(words['fk']).toMatch(/prove this message to the moderators if they report it/);
    expect(words['pk']).toMatch(/seal messages back/);
    for (const row of legend) expect(row.words).not.toBe('a field this app does not explain');
  });

  it('says so for a field it does not know, and shows nothing for what is not a JSON object', () => {
    expect(encodedFieldLegend('{"zz":1}')).toEqual([{ field: 'zz', words: 'a field this app does not explain' }]);
    expect(encodedFieldLegend('not json')).toEqual([]);
    expect(encodedFieldLegend('[1]')).toEqual([]);
  });
});
