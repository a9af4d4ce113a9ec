/**
 * Test support for the policy modes: transport-only envelopes built as a
 * client builds them (the message JSON of shared/client/message-codec.ts, the
 * payload of protocol's transport.ts, sealed with @envelope/crypto's
 * sealToServer), and the operator's switch. Tests only.
 */
import { encodeAccessField, fromBase64Url, randomBytes, toBase64Url, utf8Encode, ACCESS_FIELD_VERSION } from '@envelope/crypto-public';
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
