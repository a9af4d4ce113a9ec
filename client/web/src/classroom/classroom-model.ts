/**
 * The classroom page: which personas this browser holds (one pane each,
 * Alice | Bob | …, each with its own keys and database), and the address
 * people in the room open to join.
 */
import { JoinInfoSchema, PolicyAnnouncementSchema, type JoinInfo, type PolicyAnnouncement } from '@envelope/protocol';
import { IndexedDbStore } from '../storage/indexeddb-store.js';
import type { LockMode, LockPersona } from '../storage/persona-lock.js';
import { personaDatabaseName, PersonaRegistry, type PersonaEntry } from '../storage/personas.js';
import type { OpenClient } from './client-api.js';
import { Observable } from '../ui/observable.js';
import { PersonaModel } from './persona-model.js';

export interface ClassroomSnapshot {
  readonly loading: boolean;
  readonly personas: readonly PersonaModel[];
  /** Where others can join; null until known. */
  readonly join: JoinInfo | null;
  readonly error: string | null;
  /** Someone in this browser has joined: the page can fold its introduction away. */
  readonly anyoneJoined: boolean;
  /** The server's policy mode (GET /api/policy, then every persona's 'policy' event); null until known. */
  readonly policy: PolicyAnnouncement | null;
}

export interface ClassroomDeps {
  readonly openClient: OpenClient;
  readonly registry: () => Promise<PersonaRegistry>;
  readonly openStore: (name: string) => Promise<IndexedDbStore>;
  /** One tab at a time per persona (storage/persona-lock.ts); null where the browser has no Web Locks. */
  readonly lockPersona?: LockPersona | null;
  /** The page's own address, used when the server cannot say more (GET /api/join). */
  readonly origin: string;
  readonly fetch: typeof fetch;
}

export class ClassroomModel {
  readonly state = new Observable<ClassroomSnapshot>({ loading: true, personas: [], join: null, error: null, anyoneJoined: false, policy: null });
  readonly #deps: ClassroomDeps;
  #registry: PersonaRegistry | null = null;
  #started: Promise<void> | null = null;
  /** Announcements pushed to this page's clients so far (a GET answer that crossed one is dropped). */
  #policyPushes = 0;

  constructor(deps: ClassroomDeps) {
    this.#deps = deps;
  }

  /** Brings back every persona of this browser; a first visit starts with one, waiting for a name. Idempotent. */
  start(): Promise<void> {
    this.#started ??= this.#start();
    return this.#started;
  }

  async #start(): Promise<void> {
    void this.#loadJoinInfo();
    void this.#loadPolicy();
    try {
      this.#registry = await this.#deps.registry();
      let entries = await this.#registry.list();
      if (entries.length === 0) entries = [await this.#registry.add()];
      const anyoneJoined = entries.some((entry) => entry.username !== undefined);
      this.state.update((s) => ({ ...s, loading: false, anyoneJoined, personas: entries.map((entry) => this.#persona(entry)) }));
    } catch (error) {
      this.state.update((s) => ({ ...s, loading: false, error: `This browser cannot keep keys (IndexedDB refused: ${error instanceof Error ? error.message : String(error)}). Try a normal, non-private window.` }));
    }
  }

  async #loadJoinInfo(): Promise<void> {
    let join: JoinInfo = { urls: [this.#deps.origin], network: false };
    try {
      const response = await this.#deps.fetch('/api/join');
      if (response.ok) join = JoinInfoSchema.parse(await response.json());
    } catch {
      // An older server without /api/join: this page's own address still works on this computer.
    }
    this.state.update((s) => ({ ...s, join }));
  }

  /** The mode before anyone connects (the page shows it from the first paint); connected clients keep it current. */
  async #loadPolicy(): Promise<void> {
    const pushesBefore = this.#policyPushes;
    try {
      const response = await this.#deps.fetch('/api/policy');
      if (!response.ok) return;
      const parsed = PolicyAnnouncementSchema.safeParse(await response.json());
      // A client told the mode while this answer was on its way: its word is the newer one.
      if (parsed.success && this.#policyPushes === pushesBefore) this.state.update((s) => ({ ...s, policy: parsed.data }));
    } catch {
      // Unreachable now: the first client that connects is told the mode.
    }
  }

  /**
   * A persona's client was told the mode (its policy frame): every pane is under the same server, so
   * any of them speaks for all. A pushed announcement is always the current mode (PolicyState, client core).
   */
  notePolicy(announcement: PolicyAnnouncement): void {
    this.#policyPushes++;
    this.state.update((s) => ({ ...s, policy: announcement }));
  }

  #persona(entry: PersonaEntry): PersonaModel {
    const lockPersona = this.#deps.lockPersona;
    const model = new PersonaModel({
      ...(lockPersona ? { lock: (mode: LockMode) => lockPersona(entry.id, mode) } : {}),
      id: entry.id,
      ...(entry.username ? { knownUsername: entry.username } : {}),
      openStore: () => this.#deps.openStore(personaDatabaseName(entry.id)),
      openClient: this.#deps.openClient,
      onPolicy: (announcement) => this.notePolicy(announcement),
      onJoined: (username) => {
        void this.#registry?.setUsername(entry.id, username);
        this.state.update((s) => ({ ...s, anyoneJoined: true }));
      },
    });
    void model.start();
    return model;
  }

  /** "Add a participant": a new pane with its own keys and storage. */
  async addParticipant(): Promise<void> {
    if (!this.#registry) return;
    const entry = await this.#registry.add();
    this.state.update((s) => ({ ...s, personas: [...s.personas, this.#persona(entry)] }));
  }

  /** Removes a persona from this browser, with its keys and history. */
  async remove(id: string): Promise<void> {
    const model = this.state.get().personas.find((p) => p.id === id);
    if (!model || !this.#registry) return;
    this.state.update((s) => ({ ...s, personas: s.personas.filter((p) => p.id !== id) }));
    // Off the list before anything slower: the pane is gone from the screen now, and a
    // reload while its client is still closing must not bring it back.
    await this.#registry.forget(id);
    await model.dispose();
    await this.#registry.deleteData(id);
    if (this.state.get().personas.length === 0) await this.addParticipant();
  }
}
