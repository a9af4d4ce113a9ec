/**
 * The agency token: read from the link the server prints at start-up
 * (`/agency#token=…`; the fragment never reaches the server), removed from
 * the address bar at once, and kept in this tab's sessionStorage under a key
 * of its own, apart from the operator's token.
 */
import { tokenFromFragment } from '../operator/token.js';

const STORAGE_KEY = 'envelope.agencyToken';
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{8,256}$/;

/** Takes the token out of the address bar (if there) and returns the token to use, or null. */
export function takeAgencyToken(): string | null {
  const fromFragment = tokenFromFragment(window.location.hash);
  if (window.location.hash !== '') window.history.replaceState(null, '', window.location.pathname + window.location.search);
  if (fromFragment) {
    rememberAgencyToken(fromFragment);
    return fromFragment;
  }
  try {
    const stored = sessionStorage.getItem(STORAGE_KEY);
    return stored && TOKEN_PATTERN.test(stored) ? stored : null;
  } catch {
    return null;
  }
}

export function rememberAgencyToken(token: string): void {
  try {
    sessionStorage.setItem(STORAGE_KEY, token);
  } catch {
    // Storage can be refused (private windows): the page still works until reload.
  }
}

export function forgetAgencyToken(): void {
  try {
    sessionStorage.removeItem(STORAGE_KEY);
  } catch {
    // Nothing was stored.
  }
}
