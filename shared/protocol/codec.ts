/**
 * Schema building blocks. Bytes travel as base64url; these fields check the
 * length and decode once, at the boundary, so handlers only ever see
 * Uint8Arrays of the right size (or never run).
 */
import { z } from 'zod';
import { fromBase64Url } from '@envelope/crypto-public';
import { MAX_DEVICE_ID, MAX_PREKEY_ID, MESSAGE_ID_PATTERN, USERNAME_PATTERN, USERNAME_RULE } from './limits.js';

/** A base64url field that decodes to exactly `bytes` bytes. */
export function fixedBytes(bytes: number) {
  const chars = Math.ceil((bytes * 4) / 3);
  return z
    .string()
    .length(chars, `must be ${bytes} bytes as base64url (${chars} characters)`)
    .transform((text, ctx) => decodeOrIssue(text, ctx, bytes));
}

const BASE64URL = /^[A-Za-z0-9_-]*$/;

/**
 * An opaque base64url field of 1..maxBytes bytes, kept as the string: envelope
 * bodies, which the relay forwards exactly as received and cannot read.
 * Checked to be canonical base64url; endpoints decode it (fromBase64Url).
 */
export function opaqueBytes(maxBytes: number) {
  const maxChars = Math.ceil((maxBytes * 4) / 3);
  return stringRules((text) =>
    text.length > maxChars ? `must be at most ${maxBytes} bytes`
    : text.length < 2 ? 'must be at least 1 byte'
    : !BASE64URL.test(text) || text.length % 4 === 1 ? 'is not valid base64url'
    : undefined,
  );
}

/**
 * A string checked by one function that names the first rule it breaks
 * (undefined: none). One check rather than a chain of min, max, regex and
 * refine: zod calls each check separately, and these fields are checked on
 * every frame the relay takes.
 */
export function stringRules(firstBroken: (text: string) => string | undefined) {
  return z.string().check((ctx) => {
    const message = firstBroken(ctx.value);
    if (message) ctx.issues.push({ code: 'custom', message, input: ctx.value });
  });
}

function decodeOrIssue(text: string, ctx: z.RefinementCtx, bytes?: number): Uint8Array {
  try {
    return fromBase64Url(text, 'value', bytes);
  } catch {
    ctx.addIssue({ code: 'custom', message: 'is not valid base64url' });
    return z.NEVER;
  }
}

export const UsernameSchema = z.string().regex(USERNAME_PATTERN, USERNAME_RULE).brand<'Username'>();
export const DeviceIdSchema = z.number().int().min(1).max(MAX_DEVICE_ID).brand<'DeviceId'>();
export const MessageIdSchema = z.string().regex(MESSAGE_ID_PATTERN, 'must be 8 to 64 base64url characters').brand<'MessageId'>();
export const PreKeyIdSchema = z.number().int().min(0).max(MAX_PREKEY_ID);
/** Milliseconds since the epoch. */
export const TimestampSchema = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
