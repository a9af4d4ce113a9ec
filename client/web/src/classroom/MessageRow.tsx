/**
 * One message in a conversation. Every row says something: a held message
 * (its sender's key changed) or one that could not be read has no text, so it
 * shows what happened and what to do instead of an empty bubble.
 */
import type { ConversationEntry } from './client-api.js';
import { clock, missingTextWords, modeTagWords, STATE_WORDS } from './format.js';
import './policy-mode.css';
import './escrow.css';

export interface MessageRowProps {
  readonly entry: ConversationEntry;
  readonly peer: string;
  readonly onXray: (id: ConversationEntry['id']) => void;
  /** Sends the text again; absent while the peer's new key waits for a decision (it would be refused). */
  readonly onResend?: (text: string) => void;
  /** Opens the report dialog for a received message. */
  readonly onReport?: (entry: ConversationEntry) => void;
  /** What a rogue app did to it, if anything this device knows (format.ts rogueMark). */
  readonly rogue?: 'forged' | 'inside' | null;
}

export function MessageRow({ entry, peer, onXray, onResend, onReport, rogue = null }: MessageRowProps) {
  const modeTag = modeTagWords(entry.mode, rogue);
  const unreadable = entry.direction === 'sent' && entry.unreadableByPeer === true;
  return (
    <li
      className={`message ${entry.direction} state-${entry.state} ${unreadable ? 'unreadable-by-peer' : ''}`}
      data-testid="message"
      data-direction={entry.direction}
      data-state={entry.state}
      data-unreadable-by-peer={unreadable}
      data-mode={entry.mode}
    >
      {/* Who wrote it, for a screen reader: the bubble's side and colour say it to the eye only. */}
      <span className="visually-hidden" data-testid="message-sender">
        {entry.direction === 'sent' ? 'You' : peer}:{' '}
      </span>
      {entry.text !== null ? (
        <p className="message-text" data-testid="message-text">
          {entry.text}
        </p>
      ) : (
        <p className="message-text message-missing" data-testid={entry.state === 'held' ? 'held-message' : 'message-missing'}>
          {missingTextWords(entry, peer)}
        </p>
      )}
      {unreadable && (
        <p className="message-unreadable" data-testid="unreadable-by-peer">
          ⚠ {peer} could not read this: their keys changed. Send it again after checking the new safety number.
          {onResend && entry.text !== null && (
            <>
              {' '}
              <button type="button" className="link" data-testid="resend-button" onClick={() => onResend(entry.text!)}>
                Send again
              </button>
            </>
          )}
        </p>
      )}
      <p className="message-meta">
        <span>{clock(entry.at)}</span>
        {modeTag && (
          <span className={`message-mode ${rogue ? 'is-rogue' : ''}`} data-testid="message-mode" data-rogue={rogue ?? ''} title={modeTag.title}>
            {modeTag.tag}
          </span>
        )}
        {entry.direction === 'sent' && (
          <span className="message-state" data-testid="message-state">
            {STATE_WORDS[entry.state]}
            {entry.state === 'failed' && entry.reason ? `: ${entry.reason}` : ''}
          </span>
        )}
        {entry.text !== null && (
          <button type="button" className="link" data-testid="xray-button" onClick={() => onXray(entry.id)} aria-label={`X-ray of the message “${entry.text.slice(0, 40)}”`}>
            X-ray
          </button>
        )}
        {entry.reported && (
          <span className="message-reported" data-testid="message-reported">
            Reported to the server
          </span>
        )}
        {onReport && entry.reportable && !entry.reported && entry.text !== null && (
          <button type="button" className="link" data-testid="report-button" onClick={() => onReport(entry)} aria-label={`Report the message “${entry.text.slice(0, 40)}”`}>
            Report
          </button>
        )}
      </p>
    </li>
  );
}
