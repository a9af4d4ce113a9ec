/**
 * Settings come from the environment, each with a default that needs no setup
 * (DESIGN.md "Defaults a user expects"). A bad value stops the server with a
 * message naming the variable, rather than running with a surprise.
 */
import { fileURLToPath } from 'node:url';
import { join, resolve } from 'node:path';
import { DEFAULT_ESCROW_CHECK_BITS, ESCROW_CHECK_BITS, isPolicyMode, POLICY_MODES, STREAM_PING_MS, type EscrowCheckBits, type PolicyMode } from '@envelope/protocol';
import type { RateLimit } from './domain/rate-limit.js';
import { DEFAULT_RELAY_OPTIONS, type RelayOptions } from './domain/relay-types.js';
import { MAX_STREAM_BUFFERED_BYTES } from './http/operator-stream.js';

/** The checkout this server runs from (the built web app lives in dist/web under it). */
export const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));

/** How fast key bundles and one-time prekeys are handed out (domain/prekeys.ts explains the numbers). */
export interface BundleFetchLimits {
  /** Bundle fetches per requesting account (beyond: 429). */
  readonly perAccount: RateLimit;
  /** Bundle fetches per requesting address, whatever the accounts (beyond: 429). */
  readonly perAddress: RateLimit;
  /** One-time prekeys handed out per target account (beyond: bundles carry the last-resort keys only). */
  readonly oneTimePerTarget: RateLimit;
}

export interface ServerConfig {
  readonly host: string;
  readonly port: number;
  readonly dataDir: string;
  /** Fixed operator token, or undefined to use (and on first start create) the one in DATA_DIR. */
  readonly operatorToken: string | undefined;
  /** Fixed agency token (the lawful-intercept console's own), or undefined to use (and on first start create) the one in DATA_DIR. */
  readonly agencyToken: string | undefined;
  readonly metadataRetentionDays: number;
  /**
   * Envelopes waiting in a mailbox longer than this are deleted unread (hourly),
   * so a mailbox nobody collects cannot stay full for ever. 14 days by default:
   * the default time-to-live of Signal-Server's message store
   * (MessageDynamoDbConfiguration.timeToLive; 7 days in its first version).
   */
  readonly mailboxRetentionDays: number;
  readonly relay: RelayOptions;
  readonly bundleFetchLimits: BundleFetchLimits;
  readonly signInLimit: { perSecond: number; burst: number };
  /** The built web app (vite's outDir); served when it holds an index.html. */
  readonly webDir: string;
  readonly operatorStream: { pingMs: number; maxBufferedBytes: number };
  /**
   * Metadata signals run on every commit (true, the default). SIGNALS=off keeps
   * them off the relay's hot path (the benchmark compares both); the operator
   * can still compute them on demand (GET /api/operator/signals?rescan=1).
   */
  readonly liveSignals: boolean;
  /**
   * STORE_ADDRESSES=on keeps the network address of each sign-up, sign-in,
   * relay connection and sealed send (off by default: addresses are then only
   * shown live), for ADDRESS_RETENTION_DAYS (7).
   */
  readonly addresses: { readonly stored: boolean; readonly retentionDays: number };
  /**
   * POLICY_MODE=e2ee|transport-only|key-escrow sets the policy mode at start (recorded as a
   * change made at 'start' when it differs from the stored one); unset, the
   * stored mode stays (e2ee on a new server).
   */
  readonly policyMode: PolicyMode | undefined;
  /**
   * ESCROW_CHECK_BITS=16|64: the key-escrow checkword's width (16, Clipper's
   * LEAF, by default), used when the mode becomes key-escrow without its own
   * `checkBits` (POST /api/operator/policy may pass one).
   */
  readonly escrowCheckBits: EscrowCheckBits;
}

export const DEFAULT_MAILBOX_RETENTION_DAYS = 14;

function onOff(env: NodeJS.ProcessEnv, name: string, fallback: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (raw === 'on') return true;
  if (raw === 'off') return false;
  throw new Error(`${name} must be "on" or "off" (got "${raw}")`);
}

function integer(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new Error(`${name} must be a whole number from ${min} to ${max} (got "${raw}")`);
  }
  return value;
}

function escrowCheckBits(env: NodeJS.ProcessEnv): EscrowCheckBits {
  const raw = env.ESCROW_CHECK_BITS;
  if (raw === undefined || raw === '') return DEFAULT_ESCROW_CHECK_BITS;
  if (raw !== '16' && raw !== '64') throw new Error(`ESCROW_CHECK_BITS must be ${ESCROW_CHECK_BITS.join(' or ')} (got "${raw}")`);
  return Number(raw) as EscrowCheckBits;
}

function policyMode(env: NodeJS.ProcessEnv): PolicyMode | undefined {
  const raw = env.POLICY_MODE;
  if (raw === undefined || raw === '') return undefined;
  if (!isPolicyMode(raw)) throw new Error(`POLICY_MODE must be one of ${POLICY_MODES.map((m) => `"${m}"`).join(', ')} (got "${raw}")`);
  return raw;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): ServerConfig {
  const operatorToken = env.OPERATOR_TOKEN || undefined;
  if (operatorToken !== undefined && !/^[A-Za-z0-9_-]{16,128}$/.test(operatorToken)) {
    throw new Error('OPERATOR_TOKEN must be 16 to 128 characters of A-Z, a-z, 0-9, "-" or "_"');
  }
  const agencyToken = env.AGENCY_TOKEN || undefined;
  if (agencyToken !== undefined && !/^[A-Za-z0-9_-]{16,128}$/.test(agencyToken)) {
    throw new Error('AGENCY_TOKEN must be 16 to 128 characters of A-Z, a-z, 0-9, "-" or "_"');
  }
  if (agencyToken !== undefined && agencyToken === operatorToken) throw new Error('AGENCY_TOKEN must differ from OPERATOR_TOKEN: they open different things');
  const sendPerSecond = integer(env, 'SEND_RATE_PER_SECOND', DEFAULT_RELAY_OPTIONS.sendLimit.perSecond, 1, 1_000_000);
  return {
    host: env.HOST || '127.0.0.1',
    port: integer(env, 'PORT', 3000, 0, 65535),
    dataDir: resolve(env.DATA_DIR || './data'),
    operatorToken,
    agencyToken,
    metadataRetentionDays: integer(env, 'METADATA_RETENTION_DAYS', 30, 1, 3650),
    mailboxRetentionDays: integer(env, 'MAILBOX_RETENTION_DAYS', DEFAULT_MAILBOX_RETENTION_DAYS, 1, 3650),
    relay: { ...DEFAULT_RELAY_OPTIONS, sendLimit: { perSecond: sendPerSecond, burst: Math.max(sendPerSecond * 2, 10) } },
    bundleFetchLimits: {
      perAccount: { perSecond: integer(env, 'BUNDLE_FETCHES_PER_MINUTE', 60, 1, 1_000_000) / 60, burst: 30 },
      perAddress: (() => {
        const perMinute = integer(env, 'BUNDLE_FETCHES_PER_ADDRESS_PER_MINUTE', 60, 1, 1_000_000);
        return { perSecond: perMinute / 60, burst: Math.max(perMinute, 60) };
      })(),
      oneTimePerTarget: { perSecond: integer(env, 'ONE_TIME_PREKEYS_PER_TARGET_PER_HOUR', 60, 1, 1_000_000) / 3600, burst: 10 },
    },
    signInLimit: (() => {
      const perMinute = integer(env, 'SIGN_INS_PER_MINUTE', 60, 1, 1_000_000);
      return { perSecond: perMinute / 60, burst: Math.max(perMinute, 10) };
    })(),
    webDir: join(REPO_ROOT, 'dist', 'web'),
    operatorStream: { pingMs: STREAM_PING_MS, maxBufferedBytes: MAX_STREAM_BUFFERED_BYTES },
    liveSignals: onOff(env, 'SIGNALS', true),
    addresses: { stored: onOff(env, 'STORE_ADDRESSES', false), retentionDays: integer(env, 'ADDRESS_RETENTION_DAYS', 7, 1, 3650) },
    policyMode: policyMode(env),
    escrowCheckBits: escrowCheckBits(env),
  };
}
