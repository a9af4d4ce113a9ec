/**
 * The operator token: read from the link the server prints at start-up
 * (`/operator#token=…`), where the fragment never reaches the server or its
 * logs. It is removed from the address bar at once (so it does not end up on
 * a projected screen or in the history) and kept in sessionStorage, so a
 * reload of this tab still works but a new tab or browser asks again.
 */

const STORAGE_KEY = 'envelope.operatorToken';
/** Tokens the server makes are base64url; this bounds what we accept from a paste. */
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{8,256}$/;

/** The token in a URL fragment such as `#token=abc`, or null. */
export function tokenFromFragment(fragment: string): string | null {
  const params = new URLSearchParams(fragment.replace(/^#/, ''));
  const token = params.get('token')?.trim() ?? '';
  return TOKEN_PATTERN.test(token) ? token : null;
}

/**
 * What a person pasted: either the bare token or the whole operator link
 * (people copy the link from the terminal more often than the token).
 */
export function tokenFromInput(text: string): string | null {
  const trimmed = text.trim();
  const hashAt = trimmed.indexOf('#');
  if (hashAt >= 0) return tokenFromFragment(trimmed.slice(hashAt));
  return TOKEN_PATTERN.test(trimmed) ? trimmed : null;
}

/** Takes the token out of the address bar (if there) and returns the token to use, or null. */
export function takeTokenFromLocation(): string | null {
  const fromFragment = tokenFromFragment(window.location.hash);
  if (window.location.hash !== '') {
    // Whatever the fragment held, it should not stay on screen or in history.
    window.history.replaceState(null, '', window.location.pathname + window.location.search);
  }
  if (fromFragment) {
    rememberToken(fromFragment);
    return fromFragment;
  }
  return rememberedToken();
}

/**
 * Calls `onToken` with each token a link opened later in this tab brings. A
 * link to the page already open changes only the fragment, so the page does
 * not reload and the start-up read above never sees it: `take` reads it (and
 * clears the address bar) on `hashchange` instead. Returns the unsubscribe.
 */
export function watchFragmentTokens(take: () => string | null, onToken: (token: string) => void): () => void {
  const onHashChange = () => {
    if (!window.location.hash) return;
    // Only a fragment that carries a token opens anything; `take` still clears any other from the address bar.
    const carried = tokenFromFragment(window.location.hash) !== null;
    const token = take();
    if (carried && token) onToken(token);
  };
  window.addEventListener('hashchange', onHashChange);
  return () => window.removeEventListener('hashchange', onHashChange);
}

export function rememberToken(token: string): void {
  try {
    sessionStorage.setItem(STORAGE_KEY, token);
  } catch {
    // Storage can be refused (private windows): the page still works until reload.
  }
}

export function forgetToken(): void {
  try {
    sessionStorage.removeItem(STORAGE_KEY);
  } catch {
    // Nothing was stored.
  }
}

function rememberedToken(): string | null {
  try {
    const stored = sessionStorage.getItem(STORAGE_KEY);
    return stored && TOKEN_PATTERN.test(stored) ? stored : null;
  } catch {
    return null;
  }
}
