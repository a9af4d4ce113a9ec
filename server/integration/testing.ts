/**
 * Test support for the policy modes: transport-only envelopes built as a
 * client builds them (the message JSON of shared/client/message-codec.ts, the
 * payload of protocol's transport.ts, sealed with @envelope/crypto's
 * sealToServer), and the operator's switch. Tests only.
 */
import { fromBase64Url, randomBytes, toBase64Url, utf8Encode } from '@envelope/crypto-public';
import { sealToServer } from '@envelope/crypto';
import { encodeTransportPayload, type PolicyMode } from '@envelope/protocol';
import { postJson } from '@envelope/testkit/harness.js';

/** A v1 text message's JSON bytes, as the client encodes it (franking key included). */
export function textMessageBytes(text: string, sentAt = Date.now()): Uint8Array {
  return utf8Encode(JSON.stringify({ v: 1, kind: 'text', text, sentAt, fk: toBase64Url(randomBytes(32)) }));
}

/** `message` sealed to the server's transport key (base64url, as the announcement gives it): a send frame's body. */
export function transportBody(transportKey: string, message: Uint8Array, certificate: Uint8Array | null = null): string {
  return toBase64Url(sealToServer(fromBase64Url(transportKey, 'transportKey', 32), encodeTransportPayload({ certificate, message })));
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
