/**
 * The dialogs a persona pane opens (safety number, X-ray, reset keys,
 * remove), split from persona-model.ts: each is one short exchange with the
 * client core whose result lands in the snapshot's `dialog`, and none of them
 * touches the contact list or the conversation except through `refresh`.
 */
import type { MessageId, Username, ReportReason } from '@envelope/protocol';
import type { ChatClient, SafetyNumber } from './client-api.js';
import { explainError } from './explain-error.js';
import { loadXrayView, type XrayView } from './xray-view.js';
import type { RogueDialogState } from './rogue-dialog.js';

export type PersonaDialog =
  | { readonly kind: 'safety'; readonly contact: Username; readonly number: SafetyNumber | null; readonly error: string | null }
  | { readonly kind: 'xray'; readonly messageId: MessageId; readonly view: XrayView | null; readonly error: string | null }
  | { readonly kind: 'reset'; readonly busy: boolean; readonly error: string | null }
  | { readonly kind: 'remove' }
  /** The rogue-app demonstration under key escrow (rogue-dialog.ts). */
  | RogueDialogState
  | {
      readonly kind: 'report';
      readonly messageId: MessageId;
      readonly text: string;
      readonly sender: Username;
      readonly reason: ReportReason | null;
      readonly busy: boolean;
      readonly error: string | null;
    };

/** What the dialogs need from their persona: its client, its snapshot's dialog and notice, and a way to re-read the rest. */
export interface DialogHost {
  client(): ChatClient | null;
  dialog(): PersonaDialog | null;
  setDialog(dialog: PersonaDialog | null): void;
  setNotice(notice: string | null): void;
  refresh(): Promise<void>;
}

export class PersonaDialogs {
  readonly #host: DialogHost;

  constructor(host: DialogHost) {
    this.#host = host;
  }

  async openSafetyNumber(contact: Username): Promise<void> {
    const client = this.#host.client();
    if (!client) return;
    this.#host.setDialog({ kind: 'safety', contact, number: null, error: null });
    try {
      const number = await client.safetyNumber(contact);
      this.#patch('safety', { number });
    } catch (error) {
      this.#patch('safety', { error: explainError(error, { name: contact }) });
    }
  }

  /** Re-reads the safety number if its dialog is open for `contact` (after accepting a new key, it changed). */
  async refreshSafetyNumber(contact: Username): Promise<void> {
    const dialog = this.#host.dialog();
    if (dialog?.kind === 'safety' && dialog.contact === contact) await this.openSafetyNumber(contact);
  }

  async markVerified(): Promise<void> {
    const client = this.#host.client();
    const dialog = this.#host.dialog();
    if (!client || dialog?.kind !== 'safety') return;
    try {
      await client.markVerified(dialog.contact);
      this.#patch('safety', { number: await client.safetyNumber(dialog.contact) });
    } catch (error) {
      this.#patch('safety', { error: explainError(error, { name: dialog.contact }) });
    }
    void this.#host.refresh();
  }

  async openXray(messageId: MessageId): Promise<void> {
    const client = this.#host.client();
    if (!client) return;
    this.#host.setDialog({ kind: 'xray', messageId, view: null, error: null });
    try {
      const xray = await client.xray(messageId);
      if (xray === null) {
        this.#patch('xray', { error: 'This device kept no X-ray for this message.' });
        return;
      }
      const view = await loadXrayView(client, xray);
      this.#patch('xray', { view });
    } catch (error) {
      this.#patch('xray', { error: explainError(error) });
    }
  }

  /** "Report": asks for a reason and says exactly what the server will see, before anything is sent. */
  openReport(messageId: MessageId, text: string, sender: Username): void {
    this.#host.setDialog({ kind: 'report', messageId, text, sender, reason: null, busy: false, error: null });
  }

  chooseReportReason(reason: ReportReason): void {
    this.#patch('report', { reason, error: null });
  }

  async confirmReport(): Promise<void> {
    const client = this.#host.client();
    const dialog = this.#host.dialog();
    if (!client || dialog?.kind !== 'report' || dialog.reason === null) return;
    this.#patch('report', { busy: true, error: null });
    try {
      const filed = await client.report(dialog.messageId, dialog.reason);
      this.#host.setDialog(null);
      this.#host.setNotice(
        filed.senderVerified
          ? `Reported. The server checked that ${dialog.sender} really sent this message, and its moderators can now read this one message — nothing else of your conversation.`
          : `Reported. The server checked the text and when it reached you; it could not check who sent it (sealed sender), so it has your word for that. Its moderators can read this one message only.`,
      );
    } catch (error) {
      this.#patch('report', { busy: false, error: explainError(error) });
    }
    void this.#host.refresh();
  }

  requestReset(): void {
    this.#host.setDialog({ kind: 'reset', busy: false, error: null });
  }

  /** "I reinstalled the app": a new identity key; every contact will see a changed safety number. */
  async confirmReset(): Promise<void> {
    const client = this.#host.client();
    if (!client) return;
    this.#patch('reset', { busy: true, error: null });
    try {
      await client.resetKeys();
      this.#host.setDialog(null);
      this.#host.setNotice('New keys made. Your contacts will see that your safety number changed the next time either of you writes.');
    } catch (error) {
      this.#patch('reset', { busy: false, error: explainError(error) });
    }
    void this.#host.refresh();
  }

  /** "Remove": asks first; the page model does the removing (it owns the list of panes). */
  requestRemove(): void {
    this.#host.setDialog({ kind: 'remove' });
  }

  close(): void {
    this.#host.setDialog(null);
  }

  /** Changes the open dialog only if it is still the one this answer is for (the user may have closed it meanwhile). */
  #patch<K extends PersonaDialog['kind']>(kind: K, change: Partial<Extract<PersonaDialog, { kind: K }>>): void {
    const dialog = this.#host.dialog();
    if (dialog?.kind === kind) this.#host.setDialog({ ...dialog, ...change } as PersonaDialog);
  }
}
