/**
 * The server's policy mode as every page shows it (the classroom, the
 * operator page, the agency page): which words to use, whether it is the calm
 * line (e2ee) or the banner (anything else), and the one sentence a screen
 * reader hears when the mode changes. Words come from POLICY_WORDS and
 * POLICY_DEMO_CAVEAT (shared/protocol/policy.ts), so the web app, the CLI and
 * the README say the same thing.
 */
import { DEFAULT_POLICY_MODE, isPolicyMode, POLICY_DEMO_CAVEAT, POLICY_WORDS, type PolicyAnnouncement, type PolicyExposure, type PolicyMode } from '@envelope/protocol';

export type PolicyView =
  /** Not known yet (the page is still asking), or the server could not say. */
  | { readonly kind: 'unknown-yet' }
  /** e2ee: a small calm line; `exposed` says what earlier modes left readable. */
  | { readonly kind: 'protected'; readonly mode: PolicyMode; readonly name: string; readonly line: string; readonly exposed: string | null }
  /** A mode this build knows that lets the server read content: the banner. */
  | { readonly kind: 'readable'; readonly mode: PolicyMode; readonly name: string; readonly banner: string; readonly detail: string; readonly caveat: string }
  /** A mode this build does not know: it refuses to send (fail closed), and says why. */
  | { readonly kind: 'not-understood'; readonly mode: string; readonly banner: string; readonly detail: string; readonly caveat: string };

export function policyView(announcement: PolicyAnnouncement | null): PolicyView {
  if (announcement === null) return { kind: 'unknown-yet' };
  const { mode } = announcement;
  if (!isPolicyMode(mode)) {
    return {
      kind: 'not-understood',
      mode,
      banner: 'This app refuses to send: the server announced a mode it does not know.',
      detail:
        `The server says it runs in the mode “${mode}”, which this version of the app cannot explain. ` +
        'It might let the server, or someone else, read messages, so nothing is sent until the app knows what the mode means. Received messages still arrive.',
      caveat: POLICY_DEMO_CAVEAT,
    };
  }
  const words = POLICY_WORDS[mode];
  if (mode === DEFAULT_POLICY_MODE) {
    return { kind: 'protected', mode, name: words.name, line: words.banner, exposed: exposureText(announcement.exposure) };
  }
  return { kind: 'readable', mode, name: words.name, banner: words.banner, detail: words.detail, caveat: POLICY_DEMO_CAVEAT };
}

/** "12 earlier messages of 3 people …" while the server still holds text from an earlier mode; null when it holds none. */
export function exposureText(exposure: PolicyExposure): string | null {
  if (exposure.messages === 0) return null;
  return (
    `${countOf(exposure.messages, 'message')} of ${countOf(exposure.people, 'person', 'people')}, sent while the server could read them, ` +
    'stay readable to it until they expire.'
  );
}

/** The sentence a screen reader hears once when the mode changes (or first becomes known and is not e2ee). */
export function policyAnnouncementText(view: PolicyView): string {
  switch (view.kind) {
    case 'unknown-yet':
      return '';
    case 'protected':
      return `Mode now: ${view.name}. ${view.line}`;
    case 'readable':
      return `Mode now: ${view.name}. ${view.banner}`;
    case 'not-understood':
      return view.banner;
  }
}

export function countOf(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}
