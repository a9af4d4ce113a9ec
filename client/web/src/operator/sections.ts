/**
 * What each section of the operator page loads (the data layer, queries.ts,
 * does the rest): its answer, what a failure to load it is called, what a 404
 * means for it, and how often it is fetched again.
 */
import type { ReportQueue } from '@envelope/protocol';
import type { OperatorAccountsResponse } from './schemas.js';
import type { SectionSpec } from './queries.js';
import type { SignalsResponse } from './signals/schemas.js';
import type { WarrantAnswer } from './warrant/schemas.js';
import type { ScannerRules } from './content/schemas.js';

/** A drain or a new connection shows within this long: one small request. */
export const ACCOUNTS_POLL_MS = 4_000;
/** A report shows up within this long without a click: one small request, and reports are rare. */
export const REPORTS_POLL_MS = 4_000;

/**
 * Every account with its devices, the one-time prekeys each has left and the
 * address it is connected from: polled, because prekeys are taken by bundle
 * fetches and devices connect and leave, none of it on the envelope stream.
 */
export const ACCOUNTS: SectionSpec<OperatorAccountsResponse> = {
  key: ['accounts'],
  load: (api) => api.accounts(),
  loads: { what: 'the accounts' },
  pollMs: ACCOUNTS_POLL_MS,
};

/** The moderators' queue: polled, because reports arrive by HTTP, not on the envelope stream. */
export const REPORTS: SectionSpec<ReportQueue> = {
  key: ['reports'],
  load: (api) => api.reports(),
  loads: { what: 'the reports', missing: 'This server does not take user reports.' },
  pollMs: REPORTS_POLL_MS,
};

/** What the metadata detectors flag: fetched again as the live stream shows newer envelopes (signals/follow-stream.ts). */
export const SIGNALS: SectionSpec<SignalsResponse> = {
  key: ['signals'],
  load: (api) => api.signals(),
  loads: { what: 'the signals', missing: 'This server does not offer metadata signals.' },
};

/** Everything the server holds about one account: asked for only when the operator asks. */
export function warrantFor(username: string): SectionSpec<WarrantAnswer> {
  return {
    key: ['warrant', username],
    load: (api) => api.warrant(username),
    loads: { what: `the answer for ${username}`, missing: `The server has no account called “${username}”.` },
  };
}

/** The content scanner's rules: fetched on opening, and again after the page adds or deletes one. */
export const SCANNER_RULES: SectionSpec<ScannerRules> = {
  key: ['scanner-rules'],
  load: (api) => api.scannerRules(),
  loads: { what: 'the content scanner’s rules', missing: 'This server has no content scanner.' },
};
