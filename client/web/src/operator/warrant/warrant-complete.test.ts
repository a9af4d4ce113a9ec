/**
 * Nothing the server hands over is left out of the warrant answer's view.
 * A real answer comes from the real server in process (STORE_ADDRESSES on),
 * after real clients with real encryption talked, reported a message and a
 * sealed one, and left envelopes waiting, so every field of the schema holds a
 * value. Then, for every single value in that answer: the exported document
 * shows it (ids, keys, fingerprints, texts verbatim; times as written), and
 * changing that one value changes the document and the page, so a field the
 * view drops is caught whatever its type.
 */
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { EnvelopeClient, MemoryStore } from '@envelope/client-core';
import { toBase64Url } from '@envelope/crypto-public';
import { type MessageId } from '@envelope/protocol';
import { getJson, PATIENCE_MS, RawSocket, randomMessageId, register, startInProcess, type RegisteredDevice } from '@envelope/testkit/harness.js';
import { setPolicyMode, textMessageBytes, transportBody } from '@envelope/server/integration/testing.js';
import { wireTap } from '@envelope/testkit/wire-tap.js';
import { WarrantAnswerSchema, type WarrantAnswer } from './schemas.js';
import { WarrantAnswerView } from './WarrantAnswerView.js';
import { warrantDocument } from './WarrantDocument.js';
import { utcTime } from './warrant-format.js';

/**
 * Fields a real answer leaves null by design, so the scenario cannot fill
 * them: the account's own address events carry no envelope, and a sealed send
 * names no device. The view still writes them when they are set.
 */
const NULL_BY_DESIGN = ['.networkAddresses.account.events[].messageId', '.networkAddresses.sealedFromSameAddresses.events[].deviceId'];

type Segment = string | number;
type Scalar = string | number | boolean | null;
interface Leaf {
  readonly at: readonly Segment[];
  readonly value: Scalar;
}
type JsonSchema = { type?: string; enum?: string[]; const?: unknown; properties?: Record<string, JsonSchema>; items?: JsonSchema; anyOf?: JsonSchema[]; oneOf?: JsonSchema[] };

/** `.devices[].signedPreKey.id`: a value's place in the answer, with list positions left out. */
const pathOf = (at: readonly Segment[]) => at.map((s) => (typeof s === 'number' ? '[]' : `.${s}`)).join('');

/** Every scalar in the answer, with where it sits. */
function leaves(value: unknown, at: Segment[] = []): Leaf[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => leaves(v, [...at, i]));
  if (value !== null && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => leaves(v, [...at, k]));
  return [{ at, value: value as Scalar }];
}

/** Every scalar field the schema allows, by path (from its JSON Schema: object, array, nullable and union nodes walked through). */
function schemaFields(node: JsonSchema, path = '', out = new Map<string, JsonSchema>()): Map<string, JsonSchema> {
  const variants = node.anyOf ?? node.oneOf;
  if (variants) for (const v of variants.filter((v) => v.type !== 'null')) schemaFields(v, path, out);
  else if (node.type === 'object') for (const [key, v] of Object.entries(node.properties ?? {})) schemaFields(v, `${path}.${key}`, out);
  else if (node.type === 'array') schemaFields(node.items!, `${path}[]`, out);
  else out.set(path, { ...out.get(path), ...node });
  return out;
}

const FIELDS = schemaFields(z.toJSONSchema(WarrantAnswerSchema, { io: 'output' }) as JsonSchema);

/** Another value of the same kind, unlike the first in how it is written; undefined for a literal (fixed by the section it sits in). */
function changed(value: Scalar, field: JsonSchema): Scalar | undefined {
  if (field.const !== undefined) return undefined;
  if (typeof value === 'boolean') return !value;
  // Past a day in milliseconds, past any rounding of a size, and never equal to another count.
  if (typeof value === 'number') return value + 1_000_000_007;
  if (field.enum) return field.enum.find((option) => option !== value)!;
  // In front, so the page's cut (the start of a ciphertext) shows it too.
  return `Q${value}`;
}

function withValue(answer: WarrantAnswer, at: readonly Segment[], value: Scalar): WarrantAnswer {
  const copy = structuredClone(answer);
  let node: any = copy;
  for (const segment of at.slice(0, -1)) node = node[segment];
  node[at.at(-1)!] = value;
  return copy;
}

/** A value as it is written in markup (React escapes these five). */
const escaped = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#x27;');

const page = (answer: WarrantAnswer) => renderToStaticMarkup(createElement(WarrantAnswerView, { answer }));

let env: Awaited<ReturnType<typeof startInProcess>>;
const clients: EnvelopeClient[] = [];
let answer: WarrantAnswer;

async function person(name: string, options: Parameters<EnvelopeClient['register']>[1] = {}): Promise<EnvelopeClient> {
  const client = await EnvelopeClient.open({ serverUrl: env.url, store: new MemoryStore(), WebSocket: wireTap().WebSocket });
  clients.push(client);
  await client.register(name, options);
  const ready = client.whenReady(PATIENCE_MS);
  client.connect();
  await ready;
  return client;
}

/** Sends `text` and waits until the recipient has read it and the sender knows it was delivered; its envelope id. */
async function deliver(from: EnvelopeClient, to: EnvelopeClient, text: string): Promise<MessageId> {
  const read = new Promise<MessageId>((resolve) => {
    const off = to.events.on('message', (entry) => {
      if (entry.kind === 'text' && entry.text === text) {
        off();
        resolve(entry.id);
      }
    });
  });
  // Listening before sending: the receipt may come back before enqueue returns.
  const confirmed = new Set<string>();
  let check = () => {};
  const off = from.events.on('delivered', (event) => {
    confirmed.add(event.id).add(event.messageId);
    check();
  });
  const pending = await from.enqueue(to.account!.username, text);
  // The recipient acknowledges an envelope before its app sends the receipt, on the same socket: the log says delivered by now.
  const delivered = new Promise<void>((resolve) => {
    check = () => confirmed.has(pending.id) && resolve();
    check();
  }).finally(off);
  await pending.stored;
  const [id] = await Promise.all([read, delivered]);
  return id;
}

beforeAll(async () => {
  env = await startInProcess({}, { STORE_ADDRESSES: 'on' });
  const alice = await person('alice', { ageBand: '16-17' });
  const bob = await person('bob');
  // Bob writes first, so Alice can later seal to him; she reads it, and her app's receipt goes back marked.
  await deliver(bob, alice, 'hello alice');
  await bob.report(await deliver(alice, bob, 'a message bob reports'), 'harassment');
  await alice.setSealedSender(true);
  // Sealed: the server never sees that Alice sent it; Bob's report of it names her only on his word.
  await bob.report(await deliver(alice, bob, 'a sealed message bob reports'), 'threat');
  // Carol never reads: what Alice sends her waits in Carol's mailbox, and what Carol sends waits for Alice once she is offline.
  const carol: RegisteredDevice = await register(env.url, 'carol');
  await (await alice.enqueue('carol', 'for carol, who is away')).stored;
  await alice.close();
  const carolsSocket = await RawSocket.authenticated(env.url, carol);
  const id = randomMessageId();
  carolsSocket.send({ type: 'send', id, to: 'alice', toDevice: 1, body: toBase64Url(new Uint8Array(200).fill(7).map((v, i) => (i === 0 ? 0x01 : v))) });
  await carolsSocket.next((f) => f.type === 'stored' && f.id === id);
  // Then the server is set to read messages, and Carol writes one it reads (built as a client builds it).
  const { transportKey } = await setPolicyMode(env.url, env.server.operatorToken, 'transport-only');
  const readable = randomMessageId();
  carolsSocket.send({ type: 'send', id: readable, to: 'alice', toDevice: 1, body: transportBody(transportKey!, textMessageBytes('words the server read')), mode: 'transport-only' });
  await carolsSocket.next((f) => f.type === 'stored' && f.id === readable);
  carolsSocket.close();
  const { status, json } = await getJson(`${env.url}/api/operator/warrant/alice`, env.server.operatorToken);
  expect(status).toBe(200);
  answer = WarrantAnswerSchema.parse(json);
});
afterAll(async () => {
  for (const client of clients) await client.close();
  await env.close();
});

describe('a real warrant answer, in the exported document and on the page', () => {
  it('sets every field the schema has (so the checks below leave none out)', () => {
    const set = new Set(leaves(answer).flatMap((leaf) => (leaf.value === null ? [] : [pathOf(leaf.at)])));
    expect([...FIELDS.keys()].filter((path) => !set.has(path) && !NULL_BY_DESIGN.includes(path))).toEqual([]);
    expect(answer.timeline.events.length).toBeGreaterThan(0);
  });

  it('writes every id, key, fingerprint, name, address and text verbatim, and every time as the view writes times', () => {
    const doc = warrantDocument(answer);
    const missing = leaves(answer).filter(({ at, value }) => {
      if (typeof value === 'string' && !FIELDS.get(pathOf(at))!.enum) return !doc.includes(escaped(value));
      if (typeof value === 'number' && /At$/.test(String(at.at(-1)))) return !doc.includes(utcTime(value));
      return false;
    });
    expect(missing.map((leaf) => `${pathOf(leaf.at)} = ${leaf.value}`)).toEqual([]);
  });

  it('shows every value: changing any one of them changes the document and the page', () => {
    const [doc, onPage] = [warrantDocument(answer), page(answer)];
    const unseen: string[] = [];
    let checked = 0;
    for (const { at, value } of leaves(answer)) {
      if (value === null) continue;
      const other = changed(value, FIELDS.get(pathOf(at))!);
      if (other === undefined) continue;
      const variant = withValue(answer, at, other);
      checked++;
      if (warrantDocument(variant) === doc) unseen.push(`document: ${pathOf(at)}`);
      if (page(variant) === onPage) unseen.push(`page: ${pathOf(at)}`);
    }
    expect(unseen).toEqual([]);
    expect(checked).toBeGreaterThan(100);
  });
});
