/**
 * A device as the server shows it to the operator (operator-view.ts) and in
 * the warrant answer (warrant.ts): the same three stored fields in both, so
 * they are mapped in one place.
 */
import { toBase64Url } from '@envelope/crypto-public';
import type { DeviceRecord } from '../storage/accounts-repo.js';

export function deviceOnTheWire(device: DeviceRecord): { deviceId: number; registeredAt: number; identityKey: string } {
  return { deviceId: device.deviceId, registeredAt: device.registeredAt, identityKey: toBase64Url(device.identityKey) };
}
