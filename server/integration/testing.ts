/**
 * Test support for the policy modes: transport-only envelopes built as a
 * client builds them (the message JSON of shared/client/message-codec.ts, the
 * payload of protocol's transport.ts, sealed with @envelope/crypto's
 * sealToServer), and the operator's switch; for key escrow, people as real
 * clients, the agency's calls, and a look through every table for a text.
 * Tests only.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { vi, expect } from 'vitest';
import { encodeAccessField, fromBase64Url, randomBytes, toBase64Url, utf8Encode, ACCESS_FIELD_VERSION } from '@envelope/crypto-public';
import { sealToServer } from '@envelope/crypto';
import { MemoryStore, type EnvelopeClient } from '@envelope/client-core';
import { encodeTransportPayload, ESCROW_HOLDERS, type EscrowHolder, type PolicyMode } from '@envelope/protocol';
import { getJson, postJson } from '@envelope/testkit/harness.js';
import { FAST_BACKOFF, online, type InProcessServer, type LiveClients } from '@envelope/testkit/live-clients.js';
import { wireTap } from '@envelope/testkit/wire-tap.js';


/** A v1 text message's JSON bytes, as the client encodes it (franking key included). */
export function textMessageBytes(text: string, sentAt = Date.now()): Uint8Array {
  return utf8Encode(JSON.stringify({ v: 1, kind: 'text', text, sentAt, fk: toBase64Url(randomBytes(32)) }));
}

/** `message` sealed to the server's transport key (base64url, as the announcement gives it): a send frame's body. */
export function transportBody(transportKey: string, message: Uint8Array, certificate: Uint8Array | null = null): string {
  return toBase64Url(sealToServer(fromBase64Url(transportKey, 'transportKey', 32), encodeTransportPayload({ certificate, message })));
}

/**
 * An access field of the right shape whose seal holds nothing (random bytes):
 * what the relay can check (the layout), and what a rogue client sends.
 */
export function shapedAccessField(checkBytes: 2 | 8 = 2): string {
  return toBase64Url(
    encodeAccessField({
      version: ACCESS_FIELD_VERSION,
      checkBytes,
      conversation: randomBytes(8),
      chainIndex: 0,
      ratchetKeyPrefix: randomBytes(8),
      sealed: randomBytes(48 + 32 + 2 + 107 + 4),
      checkword: randomBytes(checkBytes),
    }),
  );
}

/** Sets the server's mode as the operator; returns the announcement. */
export async function setPolicyMode(url: string, operatorToken: string, mode: PolicyMode): Promise<{ mode: string; transportKey?: string }> {
  const { status, json } = await postJson(`${url}/api/operator/policy`, { mode }, operatorToken);
  if (status !== 200) throw new Error(`setting the mode to ${mode}: ${status} ${JSON.stringify(json)}`);
  return json;
}

/** Every way a secret could sit in stored or answered bytes: plain, hex, base64 and base64url at any alignment. */
export function encodingsOf(secret: string): string[] {
  const bytes = Buffer.from(secret);
  const forms = [secret, bytes.toString('hex'), bytes.toString('hex').toUpperCase()];
  for (let shift = 0; shift < 3; shift++) {
    const shifted = Buffer.concat([Buffer.alloc(shift, 0x41), bytes]);
    for (const encoding of ['base64', 'base64url'] as const) {
      const text = shifted.toString(encoding).replace(/=+$/, '');
      forms.push(text.slice(Math.ceil((shift * 4) / 3) + 1, text.length - 2));
    }
  }
  return forms;
}

/** The forms of `secret` found in `text` (a response, or a file read as latin1). */
export function leaksOf(secret: string, text: string): string[] {
  return encodingsOf(secret).filter((form) => form.length >= 6 && text.includes(form));
}

// --- Key escrow ---

export async function person(live: LiveClients, server: InProcessServer, name: string): Promise<EnvelopeClient> {
  const client = await live.open({ serverUrl: server.url, store: new MemoryStore(), WebSocket: wireTap().WebSocket, backoff: FAST_BACKOFF }, name);
  await online(client);
  return client;
}

/** The agency token (DATA_DIR/agency-token.json), as the agency holds it. */
export function agencyToken(server: InProcessServer): string {
  return (JSON.parse(readFileSync(join(server.config.dataDir, 'agency-token.json'), 'utf8')) as { agencyToken: string }).agencyToken;
}

/** A holder's share, as its file holds it (the demo: every file is on this machine). */
export function shareOf(server: InProcessServer, holder: EscrowHolder): { holder: EscrowHolder; share: string } {
  return { holder, share: readFileSync(join(server.config.dataDir, 'escrow-shares', `${holder}.share`), 'utf8').trim() };
}

export function shares(server: InProcessServer, ...holders: EscrowHolder[]) {
  return holders.map((holder) => shareOf(server, holder));
}

export const ALL_HOLDERS = ESCROW_HOLDERS;

export function openAccount(server: InProcessServer, username: string, given: { holder: EscrowHolder; share: string }[], token = agencyToken(server)) {
  return postJson(`${server.url}/api/agency/escrow/open`, { username, reference: 'court order 2026-17', shares: given }, token);
}

export function leak(server: InProcessServer, given: { holder: EscrowHolder; share: string }[]) {
  return postJson(`${server.url}/api/agency/escrow/leak`, { shares: given }, agencyToken(server));
}

export function escrowStatus(server: InProcessServer) {
  return getJson(`${server.url}/api/agency/escrow`, agencyToken(server));
}

/** Waits until every message `from` sent `to` is delivered (the recipient's receipts came back). */
export async function allDelivered(from: EnvelopeClient, to: string): Promise<void> {
  await vi.waitFor(async () => expect((await from.conversation(to)).every((e) => e.direction !== 'sent' || e.state === 'delivered')).toBe(true), { timeout: 10_000 });
}

/** Every text and blob cell of every table that contains `needle` (as UTF-8), as "table.column". */
export function cellsContaining(server: InProcessServer, needle: string): string[] {
  const db = server.server.db;
  const found: string[] = [];
  const tables = db.prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").all();
  for (const { name } of tables) {
    for (const row of db.prepare(`SELECT * FROM ${name}`).all() as Record<string, unknown>[]) {
      for (const [column, value] of Object.entries(row)) {
        const text = typeof value === 'string' ? value : Buffer.isBuffer(value) ? value.toString('utf8') : '';
        if (text.includes(needle)) found.push(`${name}.${column}`);
      }
    }
  }
  return found;
}
