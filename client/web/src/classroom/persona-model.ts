/**
 * One persona's pane (Alice, Bob, …): its own IndexedDB store and its own
 * EnvelopeClient, and everything its view shows, as one snapshot. The view
 * renders the snapshot and calls the actions; it never fetches, decrypts or
 * stores (STYLE.md, element-web).
 */
import type { MessageId, PolicyAnnouncement, Username } from '@envelope/protocol';
import type { ClientStore } from '@envelope/client-core';
import { errorCode, type ChatClient, type ChatContact, type ConnectionStatus, type ConversationEntry, type OpenClient } from './client-api.js';
import { Observable } from '../ui/observable.js';
import { explainError } from './explain-error.js';
import { PersonaDialogs, type PersonaDialog } from './persona-dialogs.js';
import { RogueDemo } from './rogue-dialog.js';
import type { LockMode, PersonaLease } from '../storage/persona-lock.js';

/**
 * 'elsewhere': another tab has this persona open (this one offers to take it over);
 * 'taken-over': this tab had it, and another tab took it over (this one stopped).
 */
/** 'gone': the server no longer has this person's account (the class was reset): the pane says so and offers to join again. */
export type PersonaPhase = 'loading' | 'join' | 'joining' | 'ready' | 'failed' | 'elsewhere' | 'taken-over' | 'gone';

export interface ContactView {
  readonly username: Username;
  readonly verified: boolean;
  readonly keyChanged: boolean;
  readonly changedAfterVerification: boolean;
  /** Something arrived while another conversation was open. */
  readonly unread: boolean;
}

export interface PersonaSnapshot {
  readonly id: string;
  readonly phase: PersonaPhase;
  readonly username: Username | null;
  readonly status: ConnectionStatus;
  /** Why joining (or opening the profile) failed, in plain words. */
  readonly joinError: string | null;
  readonly contacts: readonly ContactView[];
  readonly selected: Username | null;
  readonly conversation: readonly ConversationEntry[];
  readonly addContactError: string | null;
  readonly sendError: string | null;
  readonly dialog: PersonaDialog | null;
  /** A one-line notice for the whole pane (e.g. "Your keys were reset"). */
  readonly notice: string | null;
  /** Sealed sender is on: the server is not told who sends this persona's messages. */
  readonly sealedSender: boolean;
  /** The server is in key escrow, with this check width: the rogue-app demonstration is offered (rogue-dialog.ts). Null otherwise. */
  readonly escrowCheckBits: 16 | 64 | null;
  /**
   * Messages this persona sent as a rogue app with a forged access field, this session (kept in memory only:
   * the core's history does not mark them). Their rows say the escrow opens them to nothing.
   */
  readonly forgedSent: readonly MessageId[];
}

export interface PersonaDeps {
  readonly id: string;
  /** The name shown while the profile loads (from the persona registry). */
  readonly knownUsername?: string;
  readonly openStore: () => Promise<ClientStore & { close?(): void }>;
  readonly openClient: OpenClient;
  /** Told once the persona has joined, so a reload can show its name before the core loads. */
  readonly onJoined?: (username: Username) => void;
  /** The server announced its policy mode to this persona's client (the page shows one banner for all panes). */
  readonly onPolicy?: (announcement: PolicyAnnouncement) => void;
  /**
   * One tab at a time (storage/persona-lock.ts): null when another tab holds
   * the persona (never with 'steal'). Absent where the browser has no Web
   * Locks: then opening takes the persona over, and the client core's fencing
   * tells the other tab.
   */
  readonly lock?: (mode: LockMode, signal?: AbortSignal) => Promise<PersonaLease | null>;
}

/** The check width while the server is in key escrow; null in any other mode. */
export function escrowCheckBitsOf(announcement: PolicyAnnouncement): 16 | 64 | null {
  return announcement.mode === 'key-escrow' ? (announcement.escrow?.checkBits ?? null) : null;
}

function toContactView(contact: ChatContact, unread: boolean): ContactView {
  return {
    username: contact.username,
    verified: contact.verified,
    keyChanged: contact.keyChanged,
    changedAfterVerification: contact.changedAfterVerification,
    unread,
  };
}

export class PersonaModel {
  readonly state: Observable<PersonaSnapshot>;
  /** Safety number, X-ray, reset keys, remove: persona-dialogs.ts. */
  readonly dialogs: PersonaDialogs;
  /** The rogue-app demonstration under key escrow: rogue-dialog.ts. */
  readonly rogue: RogueDemo;
  readonly #deps: PersonaDeps;
  #client: ChatClient | null = null;
  #store: (ClientStore & { close?(): void }) | null = null;
  #lease: PersonaLease | null = null;
  /** While another tab has the persona: our request for the lock when that tab gives it back. */
  #waiting: AbortController | null = null;
  #unread = new Set<string>();
  #disposed = false;
  readonly #unsubscribe: (() => void)[] = [];
  /** Each refresh takes a ticket; an older refresh that finishes late does not overwrite a newer one. */
  #conversationTicket = 0;
  #contactsTicket = 0;

  constructor(deps: PersonaDeps) {
    this.#deps = deps;
    this.state = new Observable<PersonaSnapshot>({
      id: deps.id,
      phase: 'loading',
      username: (deps.knownUsername as Username | undefined) ?? null,
      status: 'offline',
      joinError: null,
      contacts: [],
      selected: null,
      conversation: [],
      addContactError: null,
      sendError: null,
      dialog: null,
      notice: null,
      sealedSender: false,
      escrowCheckBits: null,
      forgedSent: [],
    });
    this.dialogs = new PersonaDialogs({
      client: () => this.#client,
      dialog: () => this.state.get().dialog,
      setDialog: (dialog) => this.#patch({ dialog }),
      setNotice: (notice) => this.#patch({ notice }),
      refresh: () => this.refresh(),
    });
    this.rogue = new RogueDemo({
      client: () => this.#client,
      dialog: () => this.state.get().dialog,
      setDialog: (dialog) => this.#patch({ dialog }),
      forged: (id) => this.#patch({ forgedSent: [...this.state.get().forgedSent, id] }),
      refresh: () => this.refresh(),
    });
  }

  get id(): string {
    return this.#deps.id;
  }

  #patch(change: Partial<PersonaSnapshot>): void {
    if (!this.#disposed) this.state.update((current) => ({ ...current, ...change }));
  }

  /** Opens the store and the client, unless another tab has this persona; one that has joined before reconnects at once. */
  start(): Promise<void> {
    return this.#open('if-available');
  }

  /** "Use it here instead": takes the persona over from the other tab, which stops. */
  async takeOver(): Promise<void> {
    const { phase } = this.state.get();
    if (phase !== 'elsewhere' && phase !== 'taken-over') return;
    this.#stopWaiting();
    this.#patch({ phase: 'loading', notice: null });
    await this.#open('steal');
  }

  async #open(mode: LockMode): Promise<void> {
    let lease: PersonaLease | null = null;
    if (this.#deps.lock) {
      try {
        lease = await this.#deps.lock(mode);
      } catch (error) {
        return this.#patch({ phase: 'failed', joinError: explainError(error) });
      }
      if (this.#disposed) return lease?.release();
      if (lease === null) {
        this.#patch({ phase: 'elsewhere' });
        return this.#waitForTurn();
      }
    }
    await this.#openWith(lease);
  }

  /** Opens the store and the client, holding `lease` (null without Web Locks). */
  async #openWith(lease: PersonaLease | null): Promise<void> {
    try {
      if (lease) {
        this.#lease = lease;
        void lease.lost.then(() => this.#lostToAnotherTab(lease));
      }
      this.#store = await this.#deps.openStore();
      const client = await this.#deps.openClient(this.#store);
      if (this.#disposed) {
        await client.close();
        return;
      }
      this.#client = client;
      this.#listen(client);
      if (client.account) this.#goOnline(client);
      else this.#patch({ phase: 'join' });
    } catch (error) {
      this.#patch({ phase: 'failed', joinError: explainError(error) });
    }
  }

  /** Waits for the other tab to give the persona back (it closed), and then opens it here. */
  #waitForTurn(): void {
    if (!this.#deps.lock || this.#disposed) return;
    this.#stopWaiting();
    const waiting = new AbortController();
    this.#waiting = waiting;
    this.#deps.lock('wait', waiting.signal).then(
      (lease) => {
        if (this.#waiting !== waiting || this.#disposed) return lease?.release();
        this.#waiting = null;
        if (lease === null) return;
        this.#patch({ phase: 'loading', notice: null });
        void this.#openWith(lease);
      },
      () => undefined, // not granted and not aborted: the button still works
    );
  }

  #stopWaiting(): void {
    this.#waiting?.abort();
    this.#waiting = null;
  }

  /** Another tab took the persona over (its lock, or the core's fencing): stop, and say so. */
  #lostToAnotherTab(lease: PersonaLease | null): void {
    if (lease !== null && lease !== this.#lease) return; // an older lease, already replaced
    if (this.#disposed || this.state.get().phase === 'taken-over') return;
    this.#patch({ phase: 'taken-over', dialog: null, notice: null, sendError: null, status: 'offline' });
    void this.#shutDown().then(() => this.#waitForTurn());
  }

  /** Closes the client and the store, and gives the lock back. */
  async #shutDown(): Promise<void> {
    const client = this.#client;
    const store = this.#store;
    const lease = this.#lease;
    this.#client = null;
    this.#store = null;
    this.#lease = null;
    this.#unsubscribe.splice(0).forEach((off) => off());
    await client?.close();
    store?.close?.();
    lease?.release();
  }

  #listen(client: ChatClient): void {
    const on = this.#unsubscribe;
    on.push(client.events.on('status', (status) => this.#patch({ status })));
    on.push(
      client.events.on('policy', (announcement) => {
        this.#patch({ escrowCheckBits: escrowCheckBitsOf(announcement) });
        this.#deps.onPolicy?.(announcement);
      }),
    );
    on.push(client.events.on('ready', () => void this.refresh()));
    // Arrivals mark a conversation unread (or open it, if none is open); 'conversation' re-reads it.
    on.push(client.events.on('message', (entry) => entry.from !== null && this.#arrived(entry.from)));
    on.push(client.events.on('held', ({ contact }) => this.#arrived(contact)));
    on.push(client.events.on('conversation', () => void this.refresh()));
    // A key change shows on the contact list before any message is re-read.
    on.push(client.events.on('key-changed', () => void this.refresh()));
    // Without Web Locks (or if a tab slipped past them), the core's fencing is what notices.
    on.push(client.events.on('ownership-lost', () => this.#lostToAnotherTab(null)));
    on.push(
      client.events.on('error', (error) => {
        // The account is gone (the class was reset, live or while this tab was closed): say so instead of failing on.
        const code = errorCode(error);
        if (code === 'CLASS_RESET' || code === 'AUTH_FAILED') {
          const name = this.state.get().username ?? undefined;
          this.#patch({ phase: 'gone', dialog: null, notice: null, sendError: null, status: 'offline', joinError: explainError(error, name ? { name } : {}) });
        }
      }),
    );
  }

  #goOnline(client: ChatClient): void {
    const username = client.account!.username;
    this.#patch({ phase: 'ready', username, status: client.status, joinError: null });
    if (client.policy) {
      this.#patch({ escrowCheckBits: escrowCheckBitsOf(client.policy) });
      this.#deps.onPolicy?.(client.policy);
    }
    client.connect();
    void this.refresh();
    void client.settings().then(({ sealedSender }) => this.#patch({ sealedSender }));
  }

  /** Sealed sender on or off for what this persona sends from now on. */
  async setSealedSender(on: boolean): Promise<void> {
    const client = this.#client;
    if (!client) return;
    const { sealedSender } = await client.setSealedSender(on);
    this.#patch({
      sealedSender,
      notice: sealedSender
        ? 'Sealed sender is on: the server will see who your messages are for, when and how big, but not that they are from you. ' +
          'Only for people who have written to you: your first message to someone new still shows your name to the server.'
        : 'Sealed sender is off: the server sees who sends each message again.',
    });
  }

  /** Something arrived from `contact`: open the conversation if none is open, else mark it unread. */
  #arrived(contact: Username): void {
    const client = this.#client;
    // A message sent in transport-only starts no session, so its sender may not be a contact yet:
    // fetch their keys as "Add a contact" does (trust on first use), so the conversation has a row to open.
    if (client && !this.state.get().contacts.some((known) => known.username === contact)) {
      void client.safetyNumber(contact).then(
        () => this.#show(contact),
        () => this.#show(contact),
      );
      return;
    }
    this.#show(contact);
  }

  #show(contact: Username): void {
    const { selected } = this.state.get();
    if (selected === null) return this.select(contact);
    if (selected !== contact) this.#unread.add(contact);
    void this.refresh();
  }

  async refresh(): Promise<void> {
    await Promise.all([this.#refreshContacts(), this.#refreshConversation()]);
  }

  async #refreshContacts(): Promise<void> {
    const client = this.#client;
    if (!client?.account) return;
    const ticket = ++this.#contactsTicket;
    const contacts = await client.contacts().catch((error: unknown) => this.#refreshFailed(error));
    if (contacts === null || ticket !== this.#contactsTicket) return;
    const views = contacts
      .map((contact) => toContactView(contact, this.#unread.has(contact.username)))
      .sort((a, b) => a.username.localeCompare(b.username));
    this.#patch({ contacts: views });
    // After a reload nothing is open: open the first conversation rather than an empty pane.
    const first = views[0];
    if (this.state.get().selected === null && first) this.select(first.username);
  }

  /** A refresh that failed: a damaged profile is said on the pane (anything else shows at the next refresh). */
  #refreshFailed(error: unknown): null {
    if (errorCode(error) === 'STORE_CORRUPT') this.#patch({ notice: explainError(error) });
    return null;
  }

  async #refreshConversation(): Promise<void> {
    const client = this.#client;
    const { selected } = this.state.get();
    if (!client?.account || selected === null) return;
    const ticket = ++this.#conversationTicket;
    const entries = await client.conversation(selected).catch((error: unknown) => this.#refreshFailed(error));
    if (entries === null || ticket !== this.#conversationTicket || this.state.get().selected !== selected) return;
    this.#patch({ conversation: entries });
  }

  async join(name: string): Promise<void> {
    const client = this.#client;
    const username = name.trim().toLowerCase();
    if (!client || this.state.get().phase !== 'join') return;
    if (username === '') {
      this.#patch({ joinError: 'Type a name first.' });
      return;
    }
    this.#patch({ phase: 'joining', joinError: null });
    try {
      const account = await client.register(username);
      this.#deps.onJoined?.(account.username);
      this.#goOnline(client);
    } catch (error) {
      this.#patch({ phase: 'join', joinError: explainError(error, { name: username }) });
    }
  }

  /** Adds a contact by username: fetches their keys (trust on first use) and opens the conversation. */
  async addContact(name: string): Promise<boolean> {
    const client = this.#client;
    const username = name.trim().toLowerCase();
    if (!client?.account) return false;
    if (username === '') return false;
    if (username === client.account.username) {
      this.#patch({ addContactError: 'That is you. Add someone else (another participant, or a person in the room).' });
      return false;
    }
    this.#patch({ addContactError: null });
    try {
      await client.safetyNumber(username);
    } catch (error) {
      this.#patch({ addContactError: explainError(error, { name: username }) });
      return false;
    }
    this.select(username as Username);
    return true;
  }

  select(contact: Username): void {
    this.#unread.delete(contact);
    this.#patch({ selected: contact, conversation: [], sendError: null });
    void this.refresh();
  }

  /** Encrypts and queues a message for the open conversation; true when it is queued. */
  async send(text: string): Promise<boolean> {
    const client = this.#client;
    const { selected } = this.state.get();
    if (!client?.account || selected === null || text.trim() === '') return false;
    this.#patch({ sendError: null });
    try {
      const pending = await client.enqueue(selected, text);
      // Sealed sender is on, but the server would refuse a hidden-sender message to a stranger.
      if (pending.unsealedBecause) this.#patch({ notice: strangerNotice(selected) });
      else if (this.state.get().notice === strangerNotice(selected)) this.#patch({ notice: null }); // they wrote since: sealed now
    } catch (error) {
      this.#patch({ sendError: explainError(error, { name: selected }) });
      return false;
    }
    void this.refresh();
    return true;
  }

  /** "Accept new key": trusts the contact's new identity key and releases the messages held for it. */
  async acceptNewKey(contact: Username): Promise<void> {
    if (!this.#client) return;
    try {
      await this.#client.trustNewKey(contact);
      this.#patch({ notice: null });
    } catch (error) {
      this.#patch({ notice: explainError(error, { name: contact }) });
    }
    await this.dialogs.refreshSafetyNumber(contact);
    await this.refresh();
  }

  dismissNotice(): void {
    this.#patch({ notice: null });
  }

  async dispose(): Promise<void> {
    this.#disposed = true;
    this.rogue.cancel();
    this.#stopWaiting();
    await this.#shutDown();
  }
}

/** Said when a message carries the sender's name although "Hide my name" is on: the cost of refusing strangers' anonymous messages. */
export function strangerNotice(contact: string): string {
  return (
    `${contact} has not written to you yet, so the server saw your name on this message. ` +
    `It only accepts a message with a hidden name from people ${contact} has written to, so that strangers cannot fill ${contact}'s mailbox anonymously.`
  );
}
