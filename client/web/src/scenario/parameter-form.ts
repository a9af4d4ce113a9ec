/**
 * The scenario page's parameter form, outside React: every parameter of @envelope/scenario (so a
 * parameter another session adds shows up by itself, under "Other"), grouped for a reader, each
 * with its default and provenance from PARAMETER_INFO; what a person typed turned into overrides,
 * or into errors in plain words before anything runs. The package's own resolveParameters has the
 * last word on ranges; the page adds the limits a browser tab needs.
 */
import { DEFAULTS, PARAMETER_INFO, resolveParameters, ScenarioError, type ParameterInfo, type ScenarioParameters } from '@envelope/scenario';

export type ParameterKey = keyof ScenarioParameters;
/** What each field holds as typed: numbers as text, padding as 'true'/'false', discoverability as its value. */
export type FormValues = Record<ParameterKey, string>;

/**
 * Limits for a run in a browser tab. The run holds every account's contacts and one simulated
 * day's traffic in memory: 10,000 accounts × 30 days (the package's defaults) took 24 s and about
 * 500 MB in Node (docs/scenario.md, "What the runs show"); a tab on a classroom laptop has less
 * of both, and a room waits for it. Larger runs belong to `npm run scenario`.
 */
export const PAGE_MAX_USERS = 20_000;
export const PAGE_MAX_DAYS = 30;
export const PAGE_MAX_USER_DAYS = 300_000;
export const PAGE_LIMIT_REASON =
  'A run in this tab keeps every account and a whole simulated day of messages in memory: 10,000 accounts for 30 days took about 24 seconds and 500 MB on a server. Larger runs: npm run scenario on a computer.';

export interface ParameterGroup {
  readonly id: string;
  readonly title: string;
  readonly keys: readonly ParameterKey[];
}

const GROUPS: readonly ParameterGroup[] = [
  { id: 'run', title: 'The run', keys: ['users', 'days', 'seed', 'ukUsers'] },
  { id: 'privacy', title: 'Privacy features and discoverability', keys: ['sealedSenderShare', 'padding', 'discoverability', 'harvestedNumbersShare'] },
  {
    id: 'prevalence',
    title: 'How many offenders (prevalence)',
    keys: ['groomerShareOfAdults', 'sextortionAccountShare', 'spamBotShare', 'drugSellerShare', 'traderShareOfAdults', 'newMaterialTraderShare'],
  },
  {
    id: 'people',
    title: 'Ordinary people (and the confounders among them)',
    keys: [
      'minorShare', 'communitySize', 'friendsInCommunity', 'friendsElsewhere', 'sessionsPerUserPerDay', 'messagesPerSession',
      'newAcquaintancesPerUserPerDay', 'joinersShare', 'coachShareOfAdults', 'viralSharerShare', 'teenCoupleShareOfMinors',
      'ordinaryImageShare', 'parentPhotoShare', 'teenSextingShare', 'politicalImageShare',
    ],
  },
  {
    id: 'offenders',
    title: 'How offenders behave',
    keys: [
      'groomerTargetsMin', 'groomerTargetsMax', 'groomerDeclaresTeenShare', 'groomingReplyProbability', 'offPlatformProbability',
      'sextortionAccountsPerOperator', 'sextortionTargetsMinorShare', 'sextortionReplyProbability', 'traderImagesPerDay',
      'knownMaterialShare', 'viralKnownImageShare',
    ],
  },
  {
    id: 'reports',
    title: 'User reports',
    keys: [
      'victimReportProbability', 'blockProbability', 'adultTargetReportProbability', 'spamReportProbability', 'buyerReportProbability',
      'viralReportProbability', 'falseReportsPerUserPerMonth', 'reportDelayMaxDays',
    ],
  },
  { id: 'scanning', title: 'Client-side scanning', keys: ['hashRecall', 'hashFalseMatchRate', 'matchThreshold', 'evasionShare', 'listTamperedShare'] },
  {
    id: 'classifier',
    title: 'The content classifier (full and targeted access)',
    keys: [
      'groomingClassifierTpr', 'groomingClassifierFpr', 'sextortionClassifierTpr', 'sextortionClassifierFpr', 'spamClassifierTpr',
      'spamClassifierFpr', 'drugsClassifierTpr', 'drugsClassifierFpr', 'imageClassifierTpr', 'imageClassifierFpr', 'childPhotoFlagProbability',
    ],
  },
];

const ALL_KEYS = Object.keys(DEFAULTS) as ParameterKey[];

/** The groups in page order, keeping only keys the package has, and "Other" for any key no group names. */
export function parameterGroups(): ParameterGroup[] {
  const known = new Set<string>(ALL_KEYS);
  const groups = GROUPS.map((g) => ({ ...g, keys: g.keys.filter((k) => known.has(k)) }));
  const listed = new Set<string>(groups.flatMap((g) => g.keys));
  const other = ALL_KEYS.filter((k) => !listed.has(k));
  return other.length === 0 ? groups : [...groups, { id: 'other', title: 'Other', keys: other }];
}

/** The groups shown open; the rest fold under "All other parameters". */
export const MAIN_GROUPS = new Set(['run', 'privacy', 'prevalence']);

const LABELS: Partial<Record<ParameterKey, string>> = {
  users: 'Accounts',
  days: 'Days',
  seed: 'Seed',
  ukUsers: 'Accounts of a UK-sized service (for the scaled figures)',
  sealedSenderShare: 'Share of accounts using sealed sender',
  padding: 'Padding',
  discoverability: 'Who can write to whom (discoverability)',
};

/** A label in words: "groomerShareOfAdults" reads "Groomer share of adults", "spamClassifierFpr" "Spam classifier false-positive rate". */
export function parameterLabel(key: ParameterKey): string {
  const own = LABELS[key];
  if (own) return own;
  const words = key
    .replace(/Tpr$/, 'TruePositiveRate')
    .replace(/Fpr$/, 'FalsePositiveRate')
    .replace(/([A-Z])/g, ' $1')
    .toLowerCase()
    .replace('true positive', 'true-positive')
    .replace('false positive', 'false-positive')
    .replace(/ per 10k/, ' per 10,000');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

export const parameterInfo = (key: ParameterKey): ParameterInfo => PARAMETER_INFO[key];

/** The default as a person reads it: 10,000 for counts, 3e-8 for a tiny rate, on/off for padding. */
export function formatDefault(key: ParameterKey): string {
  const value = DEFAULTS[key];
  if (typeof value === 'boolean') return value ? 'on' : 'off';
  if (typeof value === 'number') return value !== 0 && Math.abs(value) < 1e-4 ? String(value) : value.toLocaleString('en-GB', { maximumFractionDigits: 6 });
  return String(value);
}

/** The form as first shown: every field at the package's default. */
export function defaultValues(): FormValues {
  return Object.fromEntries(ALL_KEYS.map((k) => [k, String(DEFAULTS[k])])) as FormValues;
}

export interface FieldError {
  readonly key: ParameterKey;
  readonly message: string;
}

export type ParsedForm =
  | { readonly ok: true; readonly overrides: Partial<ScenarioParameters>; readonly parameters: ScenarioParameters }
  | { readonly ok: false; readonly errors: readonly FieldError[] };

/** "10,000" is ten thousand; a lone comma ("0,25") is not accepted, since it would be read as 25. */
const GROUPED_THOUSANDS = /^\d{1,3}(,\d{3})+$/;

function parseNumber(key: ParameterKey, text: string): number | FieldError {
  const trimmed = text.trim();
  const plain = GROUPED_THOUSANDS.test(trimmed) ? trimmed.replaceAll(',', '') : trimmed;
  const value = Number(plain);
  if (plain === '') return { key, message: `${parameterLabel(key)}: enter a number (the default is ${formatDefault(key)}).` };
  if (!Number.isFinite(value)) return { key, message: `${parameterLabel(key)} must be a number, such as ${formatDefault(key)}; “${trimmed}” is not one.` };
  return value;
}

/** Whole numbers of four digits or more, not inside a decimal: 1000000 reads 1,000,000. */
const LONG_WHOLE_NUMBER = /(?<![.\d])\d{4,}(?![.\d])/g;

/** The package's message names the parameter by its code name; the page says it in words. */
function inWords(error: ScenarioError): FieldError | null {
  const key = ALL_KEYS.find((k) => error.message.startsWith(`${k} `));
  if (!key) return null;
  const rest = error.message.slice(key.length).replace(LONG_WHOLE_NUMBER, (n) => Number(n).toLocaleString('en-GB'));
  return { key, message: `${parameterLabel(key)}${rest}.` };
}

const MIN_USERS = 100;
const MIN_DAYS = 1;

/** Reads the form: overrides of the defaults, or every error found, each naming its field in words. */
export function parseForm(values: FormValues): ParsedForm {
  const errors: FieldError[] = [];
  const overrides: Record<string, unknown> = {};
  for (const key of ALL_KEYS) {
    const fallback = DEFAULTS[key];
    const text = values[key] ?? String(fallback);
    let value: unknown;
    if (typeof fallback === 'boolean') value = text === 'true';
    else if (typeof fallback === 'number') {
      const parsed = parseNumber(key, text);
      if (typeof parsed !== 'number') {
        errors.push(parsed);
        continue;
      }
      value = parsed;
    } else value = text;
    if (value !== fallback) overrides[key] = value;
  }
  if (errors.length > 0) return { ok: false, errors };
  const users = (overrides.users as number | undefined) ?? DEFAULTS.users;
  const days = (overrides.days as number | undefined) ?? DEFAULTS.days;
  // The run's size with the page's own bounds, so the range said is the one that holds here (the package allows more).
  if (!Number.isInteger(users) || users < MIN_USERS) errors.push({ key: 'users', message: `Accounts must be a whole number from ${MIN_USERS} to ${PAGE_MAX_USERS.toLocaleString('en-GB')} in the browser, not ${users}.` });
  else if (users > PAGE_MAX_USERS) errors.push({ key: 'users', message: `In the browser, at most ${PAGE_MAX_USERS.toLocaleString('en-GB')} accounts (not ${users.toLocaleString('en-GB')}). ${PAGE_LIMIT_REASON}` });
  if (!Number.isInteger(days) || days < MIN_DAYS) errors.push({ key: 'days', message: `Days must be a whole number from ${MIN_DAYS} to ${PAGE_MAX_DAYS} in the browser, not ${days}.` });
  else if (days > PAGE_MAX_DAYS) errors.push({ key: 'days', message: `In the browser, at most ${PAGE_MAX_DAYS} days (not ${days.toLocaleString('en-GB')}). ${PAGE_LIMIT_REASON}` });
  if (errors.length === 0 && users * days > PAGE_MAX_USER_DAYS) {
    errors.push({
      key: 'users',
      message: `In the browser, accounts × days may be at most ${PAGE_MAX_USER_DAYS.toLocaleString('en-GB')} (${users.toLocaleString('en-GB')} × ${days} is ${(users * days).toLocaleString('en-GB')}): fewer accounts or fewer days. ${PAGE_LIMIT_REASON}`,
    });
  }
  try {
    const parameters = resolveParameters(overrides as Partial<ScenarioParameters>);
    return errors.length > 0 ? { ok: false, errors } : { ok: true, overrides: overrides as Partial<ScenarioParameters>, parameters };
  } catch (error) {
    if (!(error instanceof ScenarioError)) throw error;
    const found = inWords(error);
    return { ok: false, errors: [...errors, found ?? { key: 'users', message: error.message }] };
  }
}
