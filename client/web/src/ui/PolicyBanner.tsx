/**
 * The server's policy mode, on every page. While the mode lets the server
 * read content (or is one this app does not know), a banner across the page
 * in high contrast: the plain words, what they mean, and the demo's caveat.
 * In e2ee a small calm line instead. A screen reader hears the mode once when
 * it changes (a polite status region), never again on every render.
 *
 * Used by the classroom, the operator page and the agency page; each passes
 * the announcement it follows live (the client's 'policy' event, or the
 * operator stream's `policy` event).
 */
import { useEffect, useId, useRef, useState } from 'react';
import type { PolicyAnnouncement } from '@envelope/protocol';
import { policyAnnouncementText, policyView } from './policy-view.js';
import './policy-banner.css';

export interface PolicyBannerProps {
  /** The server's current announcement; null while it is not known. */
  readonly policy: PolicyAnnouncement | null;
  /**
   * Who reads the page: the operator and agency pages show the banner as what every person's chat now says
   * (its "you" is them), and leave the count of messages still readable to their own sections.
   */
  readonly audience?: 'writer' | 'observer';
}

export function PolicyBanner({ policy, audience = 'writer' }: PolicyBannerProps) {
  const view = policyView(policy);
  const titleId = useId();
  const announcement = useAnnouncement(view.kind === 'unknown-yet' ? null : `${view.kind}:${view.mode}`, policyAnnouncementText(view), view.kind === 'protected');

  return (
    <>
      <p className="visually-hidden" role="status" data-testid="policy-announcement">
        {announcement}
      </p>
      {/* The line's room is kept while the mode is being asked, so the page under it does not jump when it arrives. */}
      {view.kind === 'unknown-yet' && (
        <p className="policy-line" aria-hidden="true">
          {'\u00a0'}
        </p>
      )}
      {view.kind === 'protected' && (
        <p className="policy-line" data-testid="policy-line" data-mode={view.mode}>
          {view.line}
          {view.exposed && audience === 'writer' && (
            <>
              {' '}
              <span className="policy-line-exposed" data-testid="policy-exposed">
                {view.exposed}
              </span>
            </>
          )}
        </p>
      )}
      {(view.kind === 'readable' || view.kind === 'not-understood') && (
        <section className={`policy-banner policy-${view.kind}`} data-testid="policy-banner" data-mode={view.mode} aria-labelledby={titleId}>
          {audience === 'observer' && view.kind === 'readable' && <p className="policy-banner-kicker">Every person’s chat now says:</p>}
          <h2 className="policy-banner-title" id={titleId}>
            <span aria-hidden="true">⚠ </span>
            {view.banner}
          </h2>
          <p className="policy-banner-detail">
            {view.kind === 'readable' && <strong>{view.name}. </strong>}
            {view.detail}
          </p>
          <p className="policy-banner-caveat">{view.caveat}</p>
        </section>
      )}
    </>
  );
}

/**
 * The status text: set when `key` changes after it was first known (and at
 * first sight when `quietAtFirst` is false), and not otherwise, so a
 * re-render with the same mode says nothing new.
 */
function useAnnouncement(key: string | null, text: string, quietAtFirst: boolean): string {
  const [said, setSaid] = useState('');
  const last = useRef<string | null>(null);
  useEffect(() => {
    if (key === null || key === last.current) return;
    const first = last.current === null;
    last.current = key;
    if (!(first && quietAtFirst)) setSaid(text);
  }, [key, text, quietAtFirst]);
  return said;
}
