/**
 * What the pages say about the server's mode: e2ee is a calm line (with what
 * earlier modes left readable), transport-only the banner in POLICY_WORDS
 * with the demo's caveat, and a mode this build does not know says that
 * sending is refused.
 */
import { describe, expect, it } from 'vitest';
import { POLICY_DEMO_CAVEAT, POLICY_WORDS, type PolicyAnnouncement } from '@envelope/protocol';
import { exposureText, policyAnnouncementText, policyView } from './policy-view.js';

const announce = (mode: string, since: number, messages = 0, people = 0): PolicyAnnouncement => ({ mode, since, exposure: { messages, people } });

describe('policyView', () => {
  it('says nothing before the mode is known', () => {
    expect(policyView(null)).toEqual({ kind: 'unknown-yet' });
    expect(policyAnnouncementText(policyView(null))).toBe('');
  });

  it('shows e2ee as a calm line, with the messages earlier modes left readable', () => {
    const calm = policyView(announce('e2ee', 1));
    expect(calm).toMatchObject({ kind: 'protected', line: POLICY_WORDS.e2ee.banner, exposed: null });
    const after = policyView(announce('e2ee', 2, 12, 3));
    expect(after).toMatchObject({ kind: 'protected', exposed: '12 messages of 3 people, sent while the server could read them, stay readable to it until they expire.' });
    expect(exposureText({ messages: 1, people: 1 })).toContain('1 message of 1 person,');
  });

  it('shows transport-only with its plain words and the demo caveat', () => {
    const view = policyView(announce('transport-only', 1));
    expect(view).toEqual({
      kind: 'readable',
      mode: 'transport-only',
      name: POLICY_WORDS['transport-only'].name,
      banner: POLICY_WORDS['transport-only'].banner,
      detail: POLICY_WORDS['transport-only'].detail,
      caveat: POLICY_DEMO_CAVEAT,
    });
    expect(policyAnnouncementText(view)).toBe(`Mode now: ${POLICY_WORDS['transport-only'].name}. ${POLICY_WORDS['transport-only'].banner}`);
  });

  it('says sending is refused, and why, for a mode this build does not know', () => {
    const view = policyView(announce('client-scanning', 1));
    expect(view.kind).toBe('not-understood');
    if (view.kind !== 'not-understood') return;
    expect(view.banner).toContain('refuses to send');
    expect(view.detail).toContain('“client-scanning”');
    expect(policyAnnouncementText(view)).toBe(view.banner);
  });
});
