/**
 * The rogue-app demonstration (Blaze, 1994) as a persona's dialog: under key
 * escrow, "send as a rogue app" searches by trial for an access field that
 * opens to nothing yet passes the recipient's check, showing tries and time as
 * it goes (the core searches in slices and yields, so the page stays live;
 * Cancel stops it), then sends with it. At 64 bits it searches for a short
 * fixed time, and the figures say why trial fails; then the other escape,
 * a text encrypted inside a compliant message, is one button away.
 */
import type { MessageId, Username } from '@envelope/protocol';
import { errorCode, type ChatClient, type RogueSearchProgress } from './client-api.js';
import { explainError } from './explain-error.js';

/**
 * 16 bits: stop after 64 × 65,536 tries, about 4.2 million. The chance of no passing field by then is
 * (1 - 2^-16)^(2^22) ≈ e^-64: it never binds; Cancel is the real limit.
 */
export const SIXTEEN_BIT_MAX_TRIES = 64 * 2 ** 16;
/** 64 bits: a short fixed search, long enough to measure the rate, short enough for a class to wait. */
export const SIXTY_FOUR_BIT_SEARCH_MS = 4_000;

export const DEFAULT_ROGUE_TEXT = 'The escrow will not read this.';

/**
 * ready: nothing tried yet; searching; sent: found and sent (16 bits); out-of-reach: the 64-bit
 * search spent its time and sent nothing; cancelled; failed: an error (`error` says it).
 */
export type RoguePhase = 'ready' | 'searching' | 'sent' | 'out-of-reach' | 'cancelled' | 'failed';

export interface RogueInside {
  readonly phase: 'idle' | 'sending' | 'sent' | 'failed';
  /** What the compliant app sent (and the escrow will find): the text encrypted inside. */
  readonly sentText: string | null;
  readonly error: string | null;
}

export interface RogueDialogState {
  readonly kind: 'rogue';
  readonly to: Username;
  readonly checkBits: 16 | 64;
  readonly text: string;
  readonly phase: RoguePhase;
  readonly progress: RogueSearchProgress | null;
  readonly messageId: MessageId | null;
  readonly error: string | null;
  readonly inside: RogueInside;
}

export interface RogueHost {
  client(): ChatClient | null;
  dialog(): { readonly kind: string } | null;
  setDialog(dialog: RogueDialogState | null): void;
  /** A message went with a forged field: its row says so on the sender's side (the recipient's app cannot tell). */
  forged(id: MessageId): void;
  refresh(): Promise<void>;
}

export class RogueDemo {
  readonly #host: RogueHost;
  #search: AbortController | null = null;

  constructor(host: RogueHost) {
    this.#host = host;
  }

  open(to: Username, checkBits: 16 | 64): void {
    this.#host.setDialog({
      kind: 'rogue',
      to,
      checkBits,
      text: DEFAULT_ROGUE_TEXT,
      phase: 'ready',
      progress: null,
      messageId: null,
      error: null,
      inside: { phase: 'idle', sentText: null, error: null },
    });
  }

  setText(text: string): void {
    this.#patch({ text });
  }

  /** Searches, then sends with the field found; resolves when the search ends, either way. */
  async start(): Promise<void> {
    const client = this.#host.client();
    const dialog = this.#current();
    if (!client || !dialog || dialog.phase === 'searching' || dialog.text.trim() === '') return;
    const search = new AbortController();
    this.#search = search;
    this.#patch({ phase: 'searching', progress: null, error: null, messageId: null });
    try {
      const result = await client.sendAsRogue(dialog.to, dialog.text, {
        ...(dialog.checkBits === 64 ? { maxTries: Number.MAX_SAFE_INTEGER, maxMs: SIXTY_FOUR_BIT_SEARCH_MS } : { maxTries: SIXTEEN_BIT_MAX_TRIES }),
        signal: search.signal,
        onProgress: (progress) => this.#patch({ progress }),
      });
      if (result.outcome === 'sent') {
        this.#host.forged(result.pending.id);
        this.#patch({ phase: 'sent', progress: result.progress, messageId: result.pending.id });
      }
      else if (result.outcome === 'cancelled') this.#patch({ phase: 'cancelled', progress: result.progress });
      else
        this.#patch(
          dialog.checkBits === 64
            ? { phase: 'out-of-reach', progress: result.progress }
            : { phase: 'failed', progress: result.progress, error: 'No passing field within the budget of tries (very unlikely at 16 bits). Nothing was sent: try again.' },
        );
    } catch (error) {
      this.#patch({ phase: 'failed', error: rogueError(error, dialog.to, 'forged') });
    } finally {
      if (this.#search === search) this.#search = null;
    }
    void this.#host.refresh();
  }

  /** Stops the search at its next slice; nothing is sent. */
  cancel(): void {
    this.#search?.abort();
  }

  /** The other escape: a compliant message whose text is itself encrypted, with a key the two agreed elsewhere. */
  async sendInside(): Promise<void> {
    const client = this.#host.client();
    const dialog = this.#current();
    if (!client || !dialog || dialog.inside.phase === 'sending' || dialog.text.trim() === '') return;
    this.#patch({ inside: { phase: 'sending', sentText: null, error: null } });
    try {
      const sent = await client.sendEncryptedInside(dialog.to, dialog.text);
      this.#patch({ inside: { phase: 'sent', sentText: sent.sentText, error: null } });
    } catch (error) {
      this.#patch({ inside: { phase: 'failed', sentText: null, error: rogueError(error, dialog.to, 'inside') } });
    }
    void this.#host.refresh();
  }

  /** Closing stops a search still running. */
  close(): void {
    this.cancel();
    if (this.#current()) this.#host.setDialog(null);
  }

  #current(): RogueDialogState | null {
    const dialog = this.#host.dialog();
    return dialog?.kind === 'rogue' ? (dialog as RogueDialogState) : null;
  }

  /** Changes the dialog only while it is still open (the user may have closed it meanwhile). */
  #patch(change: Partial<RogueDialogState>): void {
    const dialog = this.#current();
    if (dialog) this.#host.setDialog({ ...dialog, ...change });
  }
}

/** The core says INVALID_ARGUMENT for the two ways these sends go wrong that a name never causes here. */
function rogueError(error: unknown, to: Username, send: 'forged' | 'inside'): string {
  if (errorCode(error) !== 'INVALID_ARGUMENT') return explainError(error, { name: to });
  return send === 'forged'
    ? 'Not sent: the server is no longer in key escrow, so there is no access field to forge.'
    : 'Not sent: this text is too long to encrypt inside one message. Shorten it.';
}
