/**
 * Sealed sender (shapes: shared/protocol/sealed.ts).
 *
 *   GET  /api/sender-certificate  a signed-in device gets a certificate naming it, valid CERTIFICATE_LIFETIME_MS
 *   POST /api/sealed              an envelope on a request with no token: stored with no sender,
 *                                 only if it carries the recipient's access key (sealed-access.ts)
 *   PUT  /api/accounts/self/access-key  a signed-in account registers its access key
 *
 * The POST route must never look at an Authorization header: if a client sent
 * one anyway, the server would learn the sender it is meant not to know. The
 * route ignores it (and the test checks that nothing names the sender).
 */
import { Router, type Response } from 'express';
import { encodeSenderCertificate, issueSenderCertificate, toBase64Url } from '@envelope/crypto-public';
import {
  AccessKeyHeaderSchema,
  AccessKeyUploadSchema,
  SealedSendRequestSchema,
  UNIDENTIFIED_ACCESS_HEADER,
  type SealedStored,
} from '@envelope/protocol';
import type { AddressLog } from '../../domain/address-log.js';
import type { AuthService } from '../../domain/auth.js';
import type { RelayService } from '../../domain/relay.js';
import type { SealedAccess } from '../../domain/sealed-access.js';
import type { ServerError } from '../../errors.js';
import type { AccountsRepo } from '../../storage/accounts-repo.js';
import { deviceOf, requireDevice } from '../authenticate.js';
import { addressKey } from '../client-address.js';
import { parseBody, sendProblem } from '../problem.js';

/** A day, as Signal's are: long enough to send offline for a while, short enough that a stolen one soon lapses. */
export const CERTIFICATE_LIFETIME_MS = 24 * 60 * 60 * 1000;

export interface SealedApiDeps {
  auth: AuthService;
  relay: RelayService;
  accounts: AccountsRepo;
  access: SealedAccess;
  signingKey: Uint8Array;
  /** Records the address each sealed envelope came from, if STORE_ADDRESSES is on: the one thing that can name its sender. */
  addresses: AddressLog;
  now?: () => number;
}

export function sealedApi(deps: SealedApiDeps): Router {
  const router = Router();
  const now = deps.now ?? Date.now;

  router.get('/api/sender-certificate', requireDevice(deps.auth), (_req, res) => {
    const device = deviceOf(res);
    const record = deps.accounts.device(device.username, device.deviceId)!;
    const expiresAt = now() + CERTIFICATE_LIFETIME_MS;
    const certificate = issueSenderCertificate(deps.signingKey, { sender: device.username, deviceId: device.deviceId, identityKey: record.identityKey, expiresAt });
    res.set('cache-control', 'no-store').json({ certificate: toBase64Url(encodeSenderCertificate(certificate)), expiresAt });
  });

  router.post('/api/sealed', (req, res: Response) => {
    const message = parseBody(SealedSendRequestSchema, req.body);
    // Before anything is queued or stored: a stranger's envelope costs the recipient nothing.
    const presented = AccessKeyHeaderSchema.safeParse(req.get(UNIDENTIFIED_ACCESS_HEADER));
    deps.access.check(message.to, presented.success ? presented.data : undefined);
    deps.relay.submitSealed(addressKey(req.ip), message, {
      stored: (id, result) => {
        if (!result.duplicate) deps.addresses.record('sealed-send', req.ip, null, id);
        const body: SealedStored = { id: id as SealedStored['id'], storedAt: result.storedAt, duplicate: result.duplicate };
        res.status(201).json(body);
      },
      failed: (_id, error: ServerError) => sendProblem(res, error.code, error.message),
    });
  });

  router.put('/api/accounts/self/access-key', requireDevice(deps.auth), (req, res) => {
    const { accessKey } = parseBody(AccessKeyUploadSchema, req.body);
    deps.access.register(deviceOf(res).username, accessKey);
    res.status(204).end();
  });

  return router;
}
