/**
 * The frames the relay sends for every envelope (`stored` to its sender,
 * `message` to its recipient), serialised by hand: they are most of what the
 * relay writes, and a template is cheaper than JSON.stringify walking an object.
 *
 * They cannot drift from the contract (ws.ts): each function takes the frame as
 * the schema's own wire type, so a field the schema renames, retypes or makes
 * required breaks the build here and at every caller; and frame-json.test.ts
 * checks, for frames covering every field of the schema, that the text is byte
 * for byte what JSON.stringify makes of the same object and that
 * ServerFrameSchema accepts it. (server/ws/server-frames.test.ts then watches a
 * real server send every frame type.)
 *
 * Nothing is escaped: the schemas let these string fields hold only URL-safe
 * ASCII (message ids, usernames, base64url, policy mode names), and the relay only ever sends what
 * it validated on the way in or read back from its own store.
 */
import type { z } from 'zod';
import type { MessageFrameSchema, StoredFrameSchema } from './ws.js';

export type StoredFrameWire = z.input<typeof StoredFrameSchema>;
export type MessageFrameWire = z.input<typeof MessageFrameSchema>;

/** JSON.stringify(frame), for a `stored` frame. */
export function storedFrameJson(frame: StoredFrameWire): string {
  return `{"type":"stored","id":"${frame.id}","storedAt":${frame.storedAt}}`;
}

/** JSON.stringify(frame), for a `message` frame (absent optional fields stay absent). */
export function messageFrameJson(frame: MessageFrameWire): string {
  const { from, fromDevice, commitment, stamp, receipt, mode, access } = frame;
  return (
    `{"type":"message","id":"${frame.id}","from":${from === null ? 'null' : `"${from}"`},` +
    `"fromDevice":${fromDevice === null ? 'null' : fromDevice},"sentAt":${frame.sentAt},"body":"${frame.body}"` +
    (commitment === undefined ? '' : `,"commitment":"${commitment}"`) +
    (stamp === undefined ? '' : `,"stamp":"${stamp}"`) +
    (receipt === undefined ? '' : `,"receipt":${receipt}`) +
    (mode === undefined ? '' : `,"mode":"${mode}"`) +
    (access === undefined ? '}' : `,"access":"${access}"}`)
  );
}
