/**
 * The exported document: self-contained (no scripts, nothing loaded from
 * elsewhere), every value escaped, and it always ends with what the server
 * could not provide. Values are hostile on purpose: the server restricts
 * usernames, but the document must not depend on that.
 */
import { describe, expect, it } from 'vitest';
import { notProvided } from '@envelope/server/domain/warrant.js';
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { WarrantAnswerSchema, type WarrantAnswer } from './schemas.js';
import { WarrantAnswerView } from './WarrantAnswerView.js';
import { warrantDocument, warrantFileName } from './WarrantDocument.js';

const T0 = Date.UTC(2026, 11, 2, 18, 0, 0);
const HOSTILE = [
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  "'><svg onload=alert(1)>",
  '</style><script src="https://evil.example/x.js"></script>',
  '<a href="javascript:alert(1)">x</a>',
  '&lt;already-escaped&gt;',
];

/** A valid answer (it passes the real schema), then fields replaced with `hostile`. */
function answer(hostile: string | null = null): WarrantAnswer {
  const valid = WarrantAnswerSchema.parse({
    account: 'alice',
    generatedAt: T0,
    metadataRetentionDays: 30,
    record: { createdAt: T0 - 1000, ageBand: '13-15' },
    devices: [
      {
        deviceId: 1,
        registeredAt: T0 - 1000,
        identityKey: 'A'.repeat(43),
        signedPreKey: { id: 1, publicKey: 'B'.repeat(43), uploadedAt: T0 - 900 },
        oneTimePreKeysLeft: 4,
        kemPreKeysLeft: 1,
        hasLastResortKemKey: true,
        activeSignIns: 1,
      },
    ],
    contacts: { total: 1, list: [{ username: 'bob', sent: 2, received: 1, bytesSent: 600, bytesReceived: 300, receipts: 2, firstAt: T0 - 500, lastAt: T0 - 100 }] },
    receivedFromHiddenSenders: 1,
    timeline: {
      total: 2,
      events: [
        { seq: 2, messageId: 'message-0002', direction: 'received', device: 1, peer: null, peerDevice: null, at: T0 - 100, size: 300, kind: 'message', receipt: null, mode: 'e2ee', deliveredAt: null, ciphertextSha256: null },
        { seq: 1, messageId: 'message-0001', direction: 'sent', device: 1, peer: 'bob', peerDevice: 1, at: T0 - 500, size: 600, kind: 'session-start', receipt: false, mode: 'e2ee', deliveredAt: T0 - 400, ciphertextSha256: 'C'.repeat(43) },
      ],
    },
    waitingForAccount: {
      total: 1,
      envelopes: [{ seq: 2, messageId: 'message-0002', sender: null, senderDevice: null, recipient: 'alice', recipientDevice: 1, storedAt: T0 - 100, mode: 'e2ee', size: 3, ciphertext: 'AQID' }],
    },
    sentStillWaiting: { total: 0, envelopes: [] },
    verifiedReports: {
      total: 1,
      reports: [
        { id: 1, messageId: 'message-0001', sender: 'alice', senderVerified: true, reporter: 'bob', reason: 'threat', sentAt: T0 - 500, reportedAt: T0 - 50, text: 'reported words', seq: 1 },
      ],
    },
    unverifiedClaims: {
      total: 1,
      reports: [
        { id: 2, messageId: 'message-0003', sender: 'alice', senderVerified: false, reporter: 'carol', reason: 'spam', sentAt: T0 - 40, reportedAt: T0 - 30, text: 'claimed words', seq: null },
      ],
    },
    readableMessages: {
      total: 1,
      messages: [
        { seq: 3, messageId: 'message-0004', direction: 'received', peer: 'carol', senderSource: 'signed-in', at: T0 - 20, mode: 'transport-only', kind: 'text', text: 'words the server read' },
      ],
    },
    networkAddresses: {
      stored: true,
      retentionDays: 7,
      account: { total: 1, events: [{ seq: 1, at: T0 - 600, address: '192.0.2.7', event: 'signed-in', deviceId: 1, messageId: null }] },
      sealedFromSameAddresses: { total: 1, events: [{ seq: 2, at: T0 - 40, address: '192.0.2.7', event: 'sealed-send', deviceId: null, messageId: 'message-0003' }] },
    },
    notProvided: notProvided(30, 1, true, 1),
  });
  if (hostile === null) return valid;
  // Past the schema on purpose: as if a value had slipped through.
  const user = hostile as WarrantAnswer['account'];
  return {
    ...valid,
    account: user,
    contacts: { total: 1, list: [{ ...valid.contacts.list[0]!, username: user }] },
    timeline: { ...valid.timeline, events: valid.timeline.events.map((e) => ({ ...e, peer: user, messageId: hostile as never })) },
    waitingForAccount: { total: 1, envelopes: [{ ...valid.waitingForAccount.envelopes[0]!, sender: user, ciphertext: hostile }] },
    verifiedReports: { total: 1, reports: [{ ...valid.verifiedReports.reports[0]!, sender: user, reporter: user, text: hostile }] },
    unverifiedClaims: { total: 1, reports: [{ ...valid.unverifiedClaims.reports[0]!, sender: user, reporter: user, text: hostile }] },
    readableMessages: { total: 1, messages: [{ ...valid.readableMessages.messages[0]!, peer: user, text: hostile }] },
    networkAddresses: {
      stored: true,
      retentionDays: 7,
      account: { total: 1, events: [{ seq: 1, at: T0, address: hostile, event: 'connected', deviceId: null, messageId: null }] },
      sealedFromSameAddresses: { total: 1, events: [{ seq: 2, at: T0, address: hostile, event: 'sealed-send', deviceId: null, messageId: hostile as never }] },
    },
    notProvided: [{ what: hostile, why: hostile }, ...valid.notProvided],
  };
}

/** The tags and attributes the document itself uses; anything else would be injected. */
const OWN_TAGS = new Set(['html', 'head', 'meta', 'title', 'style', 'body', 'header', 'h1', 'h2', 'h3', 'h4', 'p', 'section', 'div', 'dl', 'dt', 'dd', 'code', 'strong', 'table', 'thead', 'tbody', 'tr', 'th', 'td', 'ul', 'li', 'q']);

const OWN_ATTRIBUTES = new Set(['lang', 'charset', 'http-equiv', 'content', 'name', 'id', 'class', 'data-testid', 'data-account', 'data-username']);

/** Text as a browser reads it back from escaped markup (the five references React writes). */
function unescape(markup: string): string {
  return markup.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#x27;/g, "'").replace(/&amp;/g, '&');
}

/** An answer whose activity log is longer than the page shows. */
function longAnswer(events: number): WarrantAnswer {
  const valid = answer();
  const event = valid.timeline.events[0]!;
  return { ...valid, timeline: { total: events, events: Array.from({ length: events }, (_, i) => ({ ...event, seq: events - i, at: T0 - i * 1000 })) } };
}

describe('the warrant document', () => {
  it('is self-contained: no scripts, no links, nothing loaded from elsewhere', () => {
    const doc = warrantDocument(answer());
    expect(doc.startsWith('<!doctype html>')).toBe(true);
    expect(doc).not.toMatch(/<script|<link|<img|<iframe|src=|href=|url\(|@import/i);
    // Addresses of the sources are written out as text, never as something to load or follow.
    expect(doc).not.toMatch(/="https?:/i);
    expect(unescape(doc)).toContain(`<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'"/>`);
  });

  it('contains every section and ends with what the server could not provide', () => {
    const doc = warrantDocument(answer());
    const at = (text: string) => doc.indexOf(text);
    for (const text of ['The account', 'Devices and their public keys', 'Who this account was in contact with', 'Activity log', 'Envelopes waiting', 'Messages the server read', 'Verified user reports', 'Unverified claims by reporters', 'Network addresses']) {
      expect(at(text), text).toBeGreaterThan(0);
      expect(at(text), text).toBeLessThan(at('What the server could not provide'));
    }
    expect(doc).toContain('id="not-provided"');
    expect(doc).toContain('The content of messages sent end-to-end encrypted');
    expect(doc).toContain('encrypted end to end');
    // What the server read is handed over, with its text and the mode.
    expect(at('words the server read')).toBeGreaterThan(at('Messages the server read'));
    expect(doc).toContain('received from carol at 2026-12-02 17:59:59 UTC (sender signed in; transport-only: the server read it)');
    expect(doc).toContain('2026-12-02 18:00:00 UTC');
    expect(doc).toContain('hidden (sealed sender)');
    // A sealed message's report is the reporter's claim, in its own section after the verified ones.
    expect(at('claimed words')).toBeGreaterThan(at('Unverified claims by reporters'));
    expect(at('reported words')).toBeLessThan(at('Unverified claims by reporters'));
    expect(doc).toContain('carol says alice sent this');
    expect(doc).toContain('signed in (device 1) from <code>192.0.2.7</code>');
    expect(doc).toContain('sent a sealed envelope (id <code>message-0003</code>) from <code>192.0.2.7</code>');
    expect(doc).toContain('327 arrests');
    expect(doc).toContain('National Crime Agency');
  });

  it('is the page’s own answer view, uncut: every event and the whole of every ciphertext', () => {
    const long = { ...longAnswer(40), waitingForAccount: { total: 1, envelopes: [{ ...answer().waitingForAccount.envelopes[0]!, ciphertext: 'Z'.repeat(500) }] } };
    const page = renderToStaticMarkup(createElement(WarrantAnswerView, { answer: long }));
    const doc = warrantDocument(long);
    const rows = (markup: string) => markup.match(/received from \(message\)/g)?.length ?? 0;
    expect(rows(doc)).toBe(40);
    expect(rows(page)).toBeLessThan(40);
    expect(page).toContain('older events are in the exported document');
    expect(doc).not.toContain('older events are in the exported document');
    expect(doc).toContain('Z'.repeat(500));
    expect(page).not.toContain('Z'.repeat(500));
    // One view, not a second template: the document holds the view's own markup.
    expect(warrantDocument(answer())).toContain(renderToStaticMarkup(createElement(WarrantAnswerView, { answer: answer(), complete: true })));
  });

  it.each(HOSTILE)('escapes every value: %s cannot inject markup', (hostile) => {
    const doc = warrantDocument(answer(hostile));
    expect(doc).not.toContain(hostile);
    // Still there, as text a reader sees.
    expect(unescape(doc)).toContain(hostile);
    // Every tag in the output is one the document writes, with only the attributes it writes.
    for (const [tag, name, attributes] of doc.matchAll(/<\/?([a-zA-Z][a-zA-Z0-9]*)([^>]*)>/g)) {
      expect(OWN_TAGS, tag).toContain(name!.toLowerCase());
      for (const [, attribute] of attributes!.replace(/"[^"]*"/g, '').matchAll(/([^\s=]+)=/g)) expect(OWN_ATTRIBUTES, tag).toContain(attribute!.toLowerCase());
    }
    expect(doc.match(/<style>/g)).toHaveLength(1);
    expect(doc.match(/<\/style>/g)).toHaveLength(1);
    expect(warrantFileName(answer(hostile))).toMatch(/^warrant-answer-[A-Za-z0-9_-]+-2026-12-02\.html$/);
  });
});
