/**
 * Branded id types (as Signal-Desktop does), so a username, a device id and a
 * message id cannot be swapped by accident. Values become branded only by
 * passing a schema or a guard. The brand is zod's, so a schema's `.brand()`
 * produces these types with no work at run time (a `.transform` to a cast was
 * a function call per field on every frame the relay validates).
 */
import type { z } from 'zod';
import { MAX_DEVICE_ID, MESSAGE_ID_PATTERN, USERNAME_PATTERN } from './limits.js';

export type Username = string & z.$brand<'Username'>;
export type DeviceId = number & z.$brand<'DeviceId'>;
export type MessageId = string & z.$brand<'MessageId'>;

export function isUsername(value: unknown): value is Username {
  return typeof value === 'string' && USERNAME_PATTERN.test(value);
}

export function isDeviceId(value: unknown): value is DeviceId {
  return typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= MAX_DEVICE_ID;
}

export function isMessageId(value: unknown): value is MessageId {
  return typeof value === 'string' && MESSAGE_ID_PATTERN.test(value);
}
