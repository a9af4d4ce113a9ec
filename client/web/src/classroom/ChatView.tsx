/** A joined persona's chat: add a contact, pick one, read and send, with delivery state in words. */
import { useEffect, useId, useRef, useState, type RefObject } from 'react';
import { Explain } from '../ui/Explain.js';
import type { ConversationEntry } from './client-api.js';
import { KeyChangeWarning } from './KeyChangeWarning.js';
import { missingTextWords, rogueMark } from './format.js';
import { MessageRow } from './MessageRow.js';
import type { PersonaModel, PersonaSnapshot } from './persona-model.js';

export interface ChatViewProps {
  readonly snapshot: PersonaSnapshot;
  readonly model: PersonaModel;
  /** Put the focus on the first control when shown (right after joining). */
  readonly focusOnShow?: boolean;
}

export function ChatView({ snapshot: s, model, focusOnShow = false }: ChatViewProps) {
  const selected = s.contacts.find((c) => c.username === s.selected) ?? null;
  const announcements = useAnnouncements(s.conversation);
  return (
    <div className="chat">
      <div role="log" className="visually-hidden" data-testid="message-announcements" aria-label={`New messages for ${s.username}`}>
        {announcements.map((line) => (
          <p key={line.id}>{line.words}</p>
        ))}
      </div>
      <AddContact error={s.addContactError} onAdd={(name) => model.addContact(name)} autoFocus={focusOnShow} />
      {s.contacts.length > 0 && (
        <nav className="contacts" aria-label={`${s.username}’s contacts`}>
          {s.contacts.map((c) => (
            <button
              key={c.username}
              type="button"
              className={`contact ${c.username === s.selected ? 'selected' : ''} ${c.keyChanged ? 'changed' : ''}`}
              aria-pressed={c.username === s.selected}
              data-testid={`contact-${c.username}`}
              onClick={() => model.select(c.username)}
            >
              {c.keyChanged && <span aria-label="safety number changed">⚠ </span>}
              {c.username}
              {c.verified && !c.keyChanged && <span className="badge-verified" aria-label="verified"> ✓</span>}
              {c.unread && <span className="badge-unread" aria-label="new messages"> ●</span>}
            </button>
          ))}
        </nav>
      )}
      {selected === null ? (
        <p className="muted empty">
          {s.contacts.length === 0 ? 'Add someone by their name to start a conversation.' : 'Pick a contact to open the conversation.'}
        </p>
      ) : (
        <>
          <div className="conversation-header">
            <h3>
              Chat with {selected.username}
              {selected.verified && !selected.keyChanged && (
                <span className="verified" data-testid="verified-badge">
                  {' '}
                  ✓ Verified
                </span>
              )}
            </h3>
            <button type="button" className="secondary small" data-testid="safety-number-button" onClick={() => void model.dialogs.openSafetyNumber(selected.username)}>
              Safety number
            </button>
          </div>
          {selected.keyChanged && (
            <KeyChangeWarning
              contact={selected.username}
              afterVerification={selected.changedAfterVerification}
              onCheck={() => void model.dialogs.openSafetyNumber(selected.username)}
              onAccept={() => void model.acceptNewKey(selected.username)}
            />
          )}
          <Conversation
            // A new list per contact, so each opens at its newest message (a key of its own: the composer's is the bare name).
            key={`conversation-${selected.username}`}
            entries={s.conversation}
            forgedSent={s.forgedSent}
            peer={selected.username}
            onXray={(id) => void model.dialogs.openXray(id)}
            onReport={(entry) => entry.text !== null && model.dialogs.openReport(entry.id, entry.text, selected.username)}
            {...(selected.keyChanged ? {} : { onResend: (text: string) => void model.send(text) })}
          />
          <Composer key={selected.username} peer={selected.username} error={s.sendError} onSend={(text) => model.send(text)} />
          {s.escrowCheckBits !== null && !selected.keyChanged && (
            <p className="rogue-button-row">
              <button
                type="button"
                className="secondary small"
                data-testid="rogue-button"
                title="An app that dodges the key escrow (a demonstration)"
                onClick={() => model.rogue.open(selected.username, s.escrowCheckBits!)}>
                Send as a rogue app…
              </button>{' '}
              <span className="muted">an app that dodges the key escrow (a demonstration)</span>
            </p>
          )}
          <Explain title="What the delivery words mean, and who says so" open={false}>
            <p data-testid="delivery-legend">
              <strong>Queued on this device</strong>: this device says so. It encrypted the message and is waiting to reach the server.{' '}
              <strong>Stored at the server</strong>: the server says so. It keeps the scrambled bytes until {selected.username}’s device
              picks them up, even if it is switched off now. <strong>Delivered</strong>: {selected.username}’s device says so. Once it has
              decrypted and saved the message it sends back a small encrypted receipt, which only this device can read. That works with a
              hidden sender name too, and the server learns nothing it did not know. The receipt is an envelope like any other: the server
              sees it pass, and unless it is sealed, the app marks it as a receipt.
            </p>
          </Explain>
        </>
      )}
    </div>
  );
}

function AddContact({ error, onAdd, autoFocus }: { readonly error: string | null; readonly onAdd: (name: string) => Promise<boolean>; readonly autoFocus: boolean }) {
  const [name, setName] = useState('');
  const [busy, setBusy] = useState(false);
  const inputId = useId();
  return (
    <form
      className="add-contact"
      onSubmit={(event) => {
        event.preventDefault();
        setBusy(true);
        void onAdd(name).then((added) => {
          setBusy(false);
          if (added) setName('');
        });
      }}
    >
      <div className="row">
        <label htmlFor={inputId}>Add a contact</label>
        <input
          id={inputId}
          data-testid="add-contact-name"
          autoFocus={autoFocus}
          value={name}
          onChange={(event) => setName(event.target.value)}
          placeholder="e.g. bob"
          autoComplete="off"
          autoCapitalize="none"
          spellCheck={false}
          maxLength={32}
        />
        <button type="submit" className="secondary" data-testid="add-contact-submit" disabled={busy || name.trim() === ''}>
          Add
        </button>
      </div>
      {error && (
        <p className="warning" role="alert" data-testid="add-contact-error">
          {error}
        </p>
      )}
    </form>
  );
}

interface ConversationProps {
  readonly entries: readonly ConversationEntry[];
  readonly peer: string;
  readonly onXray: (id: ConversationEntry['id']) => void;
  readonly onReport: (entry: ConversationEntry) => void;
  readonly onResend?: (text: string) => void;
  readonly forgedSent: readonly string[];
}

/** How many announcements the log keeps: older lines were read out already and only fill the page. */
const ANNOUNCEMENTS_KEPT = 5;

/**
 * Each message that arrives while this chat is shown, once, as "bob: text", for a screen reader's log
 * region. The message list itself is not live: it changes on every delivery word ("Sent",
 * "Delivered"), which a live list would read out again and again. What was stored before the chat was
 * shown (the history, on a reload) is not news and is not announced. A message that arrived while
 * another conversation was open is announced when its conversation is opened, once.
 */
function useAnnouncements(entries: readonly ConversationEntry[]): readonly { id: string; words: string }[] {
  // This device's clock on both sides: entries' `at` for received messages is when this device stored them.
  const [shownAt] = useState(() => Date.now());
  const announced = useRef(new Set<string>());
  const [lines, setLines] = useState<readonly { id: string; words: string }[]>([]);
  useEffect(() => {
    const news = entries
      .filter((entry) => entry.direction === 'received' && entry.at >= shownAt && !announced.current.has(String(entry.id)))
      .map((entry) => ({ id: String(entry.id), words: `${entry.peer}: ${entry.text ?? missingTextWords(entry, entry.peer)}` }));
    for (const line of news) announced.current.add(line.id);
    if (news.length > 0) setLines((current) => [...current, ...news].slice(-ANNOUNCEMENTS_KEPT));
  }, [entries, shownAt]);
  return lines;
}

function Conversation({ entries, peer, onXray, onReport, onResend, forgedSent }: ConversationProps) {
  const list = useRef<HTMLOListElement>(null);
  const newestSent = entries.length > 0 && entries[entries.length - 1]!.direction === 'sent';
  useStickToNewest(list, entries.length, newestSent);
  // Not a live region: new messages are announced once by the log beside it (useAnnouncements), not every delivery-word change.
  return (
    <ol
      ref={list}
      className="conversation"
      data-testid="conversation"
      aria-label={`Messages with ${peer}`}
      onScroll={(event) => {
        pinned.set(event.currentTarget, isAtBottom(event.currentTarget));
      }}>
      {entries.length === 0 && <li className="muted empty">No messages yet. Say hello!</li>}
      {entries.map((entry) => (
        <MessageRow
          key={entry.id}
          entry={entry}
          peer={peer}
          onXray={onXray}
          onReport={onReport}
          rogue={rogueMark(entry, forgedSent)}
          {...(onResend ? { onResend } : {})}
        />
      ))}
    </ol>
  );
}

/** How close to the bottom (px) still counts as reading the newest message: about a line, so a pixel's rounding does not unpin it. */
const AT_BOTTOM_SLACK_PX = 24;
/** Whether each conversation list was at its newest message when last scrolled (true until the reader scrolls up). */
const pinned = new WeakMap<HTMLElement, boolean>();

function isAtBottom(element: HTMLElement): boolean {
  return element.scrollHeight - element.scrollTop - element.clientHeight <= AT_BOTTOM_SLACK_PX;
}

/**
 * Keeps the newest message in view while the reader is at the bottom: when
 * messages arrive (or this device sends one), and when anything changes the
 * list's height, such as large text (Alt+L), which makes every message taller
 * without adding one, or a delivery state that wraps to a second line. A
 * reader who scrolled up to read older messages is left where they are.
 * Only the list scrolls, never the page around it.
 */
function useStickToNewest(list: RefObject<HTMLOListElement | null>, count: number, newestSent: boolean): void {
  useEffect(() => {
    const element = list.current;
    if (!element) return;
    const toBottom = () => {
      element.scrollTop = element.scrollHeight;
      pinned.set(element, true);
    };
    if (pinned.get(element) !== false || newestSent) toBottom();
    // The list's own box changes with the text size; its items change with their contents.
    const observer = new ResizeObserver(() => {
      if (pinned.get(element) !== false) toBottom();
    });
    observer.observe(element);
    for (const item of Array.from(element.children)) observer.observe(item);
    return () => observer.disconnect();
  }, [list, count, newestSent]);
}

function Composer({ peer, error, onSend }: { readonly peer: string; readonly error: string | null; readonly onSend: (text: string) => Promise<boolean> }) {
  const [text, setText] = useState('');
  const inputId = useId();
  return (
    <form
      className="composer"
      onSubmit={(event) => {
        event.preventDefault();
        const sending = text;
        void onSend(sending).then((queued) => {
          // Keep what was typed if it could not be queued, so nothing is lost.
          if (queued) setText((current) => (current === sending ? '' : current));
        });
      }}
    >
      <label htmlFor={inputId} className="visually-hidden">
        Message to {peer}
      </label>
      <input
        id={inputId}
        data-testid="message-input"
        value={text}
        onChange={(event) => setText(event.target.value)}
        placeholder={`Message to ${peer}`}
        autoComplete="off"
        maxLength={4000}
      />
      <button type="submit" data-testid="send-button" disabled={text.trim() === ''}>
        Send
      </button>
      {error && (
        <p className="warning" role="alert" data-testid="send-error">
          {error}
        </p>
      )}
    </form>
  );
}
