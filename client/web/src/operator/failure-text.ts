/**
 * The one place a failed request becomes the plain words the operator page
 * shows. A failure is one of a few kinds (operator-api.ts): the token refused,
 * the server out of reach, an answer outside the contract, or "not found";
 * each reads the same in every section. A section says only what it loads,
 * and what "not found" means for it (no such account, a feature this server
 * does not offer). The live stream's breaks are worded here too, for the
 * connection badge.
 */
import { OperatorApiError } from './operator-api.js';

export interface Loads {
  /** What the section loads, as it reads after "could not load": "the accounts". */
  readonly what: string;
  /** What a 404 means for this section, in a sentence; without it, a 404 reads as any other failure. */
  readonly missing?: string;
}

export const REFUSED_TEXT = 'The server refused the operator token. Lock the page and open it again with the start-up link.';
export const UNREACHABLE_TEXT = 'The server could not be reached. Try again in a moment.';
export const OFF_CONTRACT_TEXT = 'The server’s answer did not match what this page expects.';

export function failureText(error: unknown, loads: Loads): string {
  const fallback = `The page could not load ${loads.what}.`;
  if (!(error instanceof OperatorApiError)) return fallback;
  switch (error.code) {
    case 'UNAUTHORIZED':
      return REFUSED_TEXT;
    case 'NETWORK':
      return UNREACHABLE_TEXT;
    case 'BAD_RESPONSE':
      return OFF_CONTRACT_TEXT;
    case 'NOT_FOUND':
      return loads.missing ?? fallback;
    case 'REJECTED':
      return `The server refused it: ${error.message}`;
  }
}

/** Why the live stream dropped, as the connection badge says it: "Connection lost (…); trying again". */
export function streamLostText(error: unknown, wentQuiet: boolean): string {
  if (wentQuiet) return 'the server went quiet';
  if (error instanceof OperatorApiError && error.code === 'BAD_RESPONSE') return 'the server sent something this page does not expect';
  return 'the connection to the server broke';
}
