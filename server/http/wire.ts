/** Server records → wire shapes (bytes as base64url), matching shared/protocol/http.ts. */
import { toBase64Url } from '@envelope/crypto-public';
import type { TakenBundle } from '../storage/prekeys-repo.js';

export function wireDeviceBundle(device: TakenBundle & { deviceId: number; identityKey: Uint8Array }) {
  return {
    deviceId: device.deviceId,
    identityKey: toBase64Url(device.identityKey),
    signedPreKey: {
      id: device.signedPreKey.id,
      publicKey: toBase64Url(device.signedPreKey.publicKey),
      signature: toBase64Url(device.signedPreKey.signature),
    },
    ...(device.oneTimePreKey ? { oneTimePreKey: { id: device.oneTimePreKey.id, publicKey: toBase64Url(device.oneTimePreKey.publicKey) } } : {}),
    ...(device.kemPreKey
      ? {
          kemPreKey: {
            id: device.kemPreKey.id,
            publicKey: toBase64Url(device.kemPreKey.publicKey),
            signature: toBase64Url(device.kemPreKey.signature),
            lastResort: device.kemPreKey.lastResort,
          },
        }
      : {}),
  };
}
