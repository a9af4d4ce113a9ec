/**
 * The API clients use: sign-up, sign-in, the prekey directory, the server's
 * row of an envelope for the X-ray. Bodies are
 * validated against shared/protocol before a handler runs; handlers call the
 * domain services and never touch SQL.
 */
import { Router } from 'express';
import { toBase64Url, PROTOCOL_VERSION } from '@envelope/crypto-public';
import {
  IdentityResetRequestSchema,
  PreKeyUploadSchema,
  RegisterRequestSchema,
  SealedEnvelopeQuerySchema,
  SessionRequestSchema,
} from '@envelope/protocol';
import { MessageIdSchema, UsernameSchema } from '@envelope/protocol';
import type { AccountService } from '../../domain/accounts.js';
import type { AddressLog } from '../../domain/address-log.js';
import type { AuthService } from '../../domain/auth.js';
import type { PrekeyService } from '../../domain/prekeys.js';
import { RateLimiter } from '../../domain/rate-limit.js';
import { storedEnvelopeFor, storedSealedEnvelopeFor } from '../../domain/stored-envelopes.js';
import type { MetadataRepo } from '../../storage/metadata-repo.js';
import { ServerError } from '../../errors.js';
import { deviceOf, requireDevice } from '../authenticate.js';
import { addressKey } from '../client-address.js';
import { parseBody } from '../problem.js';
import { wireDeviceBundle } from '../wire.js';

export interface ClientApiDeps {
  auth: AuthService;
  accounts: AccountService;
  prekeys: PrekeyService;
  metadata: MetadataRepo;
  /** Records the address of each sign-up and sign-in, if STORE_ADDRESSES is on. */
  addresses: AddressLog;
  senderCertificateKey: Uint8Array;
  /**
   * Sign-up and sign-in requests (a challenge, then its use) per client
   * address. The only limit on sign-in: challenges cost the server nothing to
   * hand out (domain/challenges.ts), so no flood from other addresses can
   * refuse anyone else.
   */
  signInLimit: { perSecond: number; burst: number };
}

/**
 * Sealed-envelope lookups per client address: an X-ray asks once per envelope
 * it shows; the bound keeps a script from scanning the log with guessed ids
 * (each lookup reads the log by id, which has no index of its own).
 */
const SEALED_LOOKUP_LIMIT = { perSecond: 2, burst: 30 };

export function clientApi(deps: ClientApiDeps): Router {
  const router = Router();
  const signInLimiter = new RateLimiter(deps.signInLimit);
  const limitSignIn = (ip: string | undefined) => {
    if (!signInLimiter.tryTake(addressKey(ip))) throw new ServerError('RATE_LIMITED', 'too many sign-in attempts: wait a moment');
  };

  const sealedLookupLimiter = new RateLimiter(SEALED_LOOKUP_LIMIT);

  router.get('/api/info', (_req, res) => {
    res.json({ name: 'envelope', protocolVersion: PROTOCOL_VERSION, senderCertificateKey: toBase64Url(deps.senderCertificateKey), time: Date.now() });
  });

  router.post('/api/auth/challenge', (req, res) => {
    limitSignIn(req.ip);
    const { challenge, expiresAt } = deps.auth.issueChallenge();
    res.json({ challenge: toBase64Url(challenge), expiresAt });
  });

  router.post('/api/accounts', (req, res) => {
    limitSignIn(req.ip);
    const request = parseBody(RegisterRequestSchema, req.body);
    const registered = deps.accounts.register(request);
    deps.addresses.record('registered', req.ip, { username: request.username, deviceId: registered.deviceId });
    res.status(201).json(registered);
  });

  router.post('/api/auth/session', (req, res) => {
    limitSignIn(req.ip);
    const request = parseBody(SessionRequestSchema, req.body);
    const granted = deps.auth.signIn(request.username, request.deviceId, request.challenge, request.signature);
    deps.addresses.record('signed-in', req.ip, { username: request.username, deviceId: request.deviceId });
    res.json({ username: request.username, deviceId: request.deviceId, ...granted });
  });

  router.get('/api/accounts/:username/bundle', requireDevice(deps.auth), (req, res) => {
    const username = UsernameSchema.safeParse(req.params.username);
    if (!username.success) throw new ServerError('NOT_FOUND', 'no user by that name');
    const bundle = deps.prekeys.fetchBundle(deviceOf(res), addressKey(req.ip), username.data);
    res.json({ username: bundle.username, devices: bundle.devices.map(wireDeviceBundle) });
  });

  router.get('/api/keys', requireDevice(deps.auth), (_req, res) => {
    const device = deviceOf(res);
    res.json(deps.prekeys.status(device.username, device.deviceId));
  });

  router.put('/api/keys', requireDevice(deps.auth), (req, res) => {
    res.json(deps.prekeys.upload(deviceOf(res), parseBody(PreKeyUploadSchema, req.body)));
  });

  router.put('/api/devices/self/identity', requireDevice(deps.auth), (req, res) => {
    limitSignIn(req.ip);
    res.json(deps.accounts.resetIdentity(deviceOf(res), parseBody(IdentityResetRequestSchema, req.body)));
  });

  router.get('/api/envelopes/:id', requireDevice(deps.auth), (req, res) => {
    const id = MessageIdSchema.safeParse(req.params.id);
    if (!id.success) throw new ServerError('NOT_FOUND', 'no envelope with that id that you sent or received');
    res.set('cache-control', 'no-store').json(storedEnvelopeFor(deps.metadata, deviceOf(res), id.data));
  });

  // No requireDevice, and no look at an Authorization header: asking must not say who sent it (stored-envelopes.ts).
  router.get('/api/envelopes/:id/sealed', (req, res) => {
    if (!sealedLookupLimiter.tryTake(req.ip ?? 'unknown')) throw new ServerError('RATE_LIMITED', 'too many envelope lookups: wait a moment');
    const id = MessageIdSchema.safeParse(req.params.id);
    const query = SealedEnvelopeQuerySchema.safeParse(req.query);
    if (!id.success || !query.success) throw new ServerError('NOT_FOUND', 'no sealed envelope with that id for that device');
    res.set('cache-control', 'no-store').json(storedSealedEnvelopeFor(deps.metadata, id.data, query.data.to, query.data.toDevice));
  });

  return router;
}
