/**
 * Fixtures for tests: devices with real keys and MemoryStores, and a stand-in
 * for the server's prekey directory and mailbox, so two devices can talk with
 * real crypto and no server. Nothing here is mocked crypto. Not used by the
 * product itself.
 */
import { fromBase64Url, toBase64Url, stampCommitment } from '@envelope/crypto-public';
import { BundleResponseSchema, type BundleResponse, type DeviceId, type MessageId, type Username } from '@envelope/protocol';
import { orderCounter, type DeviceContext } from './device.js';
import { isClientError } from './errors.js';
import type { MessageFrame } from './incoming.js';
import { loadIdentity, type SelfRecord } from './key-storage.js';
import type { OutboxEntry } from './outgoing.js';
import { generateAccountKeys, type NewAccountKeys } from './own-prekeys.js';
import { MemoryStore } from './store.js';
import { keys } from './store-keys.js';

type Upload = NewAccountKeys['upload'];

/** The server's prekey directory: public keys per device, one-time keys handed out once. */
export class TestDirectory {
  readonly #devices = new Map<Username, Map<DeviceId, Upload>>();

  publish(username: Username, deviceId: DeviceId, upload: Upload): void {
    const devices = this.#devices.get(username) ?? new Map<DeviceId, Upload>();
    devices.set(deviceId, structuredClone(upload));
    this.#devices.set(username, devices);
  }

  /** Removes a device, as if it had been deleted. */
  remove(username: Username, deviceId: DeviceId): void {
    this.#devices.get(username)?.delete(deviceId);
  }

  has(username: string): boolean {
    return (this.#devices.get(username as Username)?.size ?? 0) > 0;
  }

  fetchBundle = async (username: Username): Promise<BundleResponse> => {
    // Through the real schema, as a client parses a real server's answer.
    return BundleResponseSchema.parse(this.wireBundle(username));
  };

  /** The bundle as JSON on the wire; takes one-time keys as the server does (once each). */
  wireBundle(username: Username): unknown {
    const devices = this.#devices.get(username);
    if (!devices || devices.size === 0) throw new Error(`TestDirectory: no user ${username}`);
    const wire = {
      username,
      devices: [...devices].map(([deviceId, upload]) => {
        const oneTimePreKey = upload.oneTimePreKeys.shift();
        const oneTimeKem = upload.kemPreKeys.findIndex((k) => !k.lastResort);
        const kemPreKey = oneTimeKem === -1 ? upload.kemPreKeys.find((k) => k.lastResort) : upload.kemPreKeys.splice(oneTimeKem, 1)[0];
        return { deviceId, identityKey: upload.identityKey, signedPreKey: upload.signedPreKey, oneTimePreKey, kemPreKey };
      }),
    };
    return JSON.parse(JSON.stringify(wire)) as unknown;
  }
}

export interface TestDevice extends DeviceContext {
  readonly store: MemoryStore;
  /** Every key change reported, in order. */
  readonly keyChanges: { contact: Username; deviceId: DeviceId }[];
  /** The public keys it published (for re-publishing after a simulated reinstall). */
  readonly upload: Upload;
}

/** A registered device: keys generated and stored, public halves published in `directory`. */
export async function makeTestDevice(
  username: string,
  directory: TestDirectory,
  options: { deviceId?: number; clock?: () => number } = {},
): Promise<TestDevice> {
  const now = options.clock ?? Date.now;
  const generated = generateAccountKeys(username as Username, 'http://test.invalid', now());
  const self: SelfRecord = { ...generated.self, deviceId: (options.deviceId ?? 1) as DeviceId, registered: true };
  const store = new MemoryStore();
  await store.put({ ...generated.entries, [keys.self]: self });
  directory.publish(self.username, self.deviceId, generated.upload);
  const keyChanges: TestDevice['keyChanges'] = [];
  return {
    store,
    self,
    identity: loadIdentity(self.identity),
    now,
    nextOrder: orderCounter(now),
    onKeyChange: (contact, deviceId) => keyChanges.push({ contact, deviceId }),
    keyChanges,
    upload: generated.upload,
  };
}

/** The stand-in server's franking key: `deliver` stamps commitments with it, as the relay does with its own. */
export const TEST_SERVER_FRANKING_KEY = new Uint8Array(32).fill(0x5a);

/** The frame the server would push to the recipient for an outbox entry (stamping its franking commitment, if any). */
export function deliver(envelope: OutboxEntry, sender: DeviceContext, storedAt = Date.now()): MessageFrame {
  const frame: MessageFrame = {
    type: 'message',
    id: envelope.id as MessageId,
    from: sender.self.username,
    fromDevice: sender.self.deviceId,
    sentAt: storedAt,
    body: envelope.body,
  };
  if (envelope.commitment === undefined) return frame;
  const stamp = stampCommitment(TEST_SERVER_FRANKING_KEY, {
    commitment: fromBase64Url(envelope.commitment, 'commitment', 32),
    messageId: envelope.id,
    sender: sender.self.username,
    recipient: envelope.to,
    timestamp: storedAt,
  });
  return { ...frame, commitment: envelope.commitment, stamp: toBase64Url(stamp) };
}

/** The code of the ClientError `promise` rejects with, the error's text for any other, "resolved" if it resolves. */
export async function clientErrorCode(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    return isClientError(error) ? error.code : String(error);
  }
  return 'resolved';
}
