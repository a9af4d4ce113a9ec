/**
 * Which personas this browser holds, in the order they were added, so a reload
 * brings back every pane (Alice | Bob | …). Each persona has its own IndexedDB
 * database (its own keys and history); this registry is one more database that
 * only lists them, with the name each joined as, so a pane can show who it is
 * before the encryption code has loaded.
 *
 * One key per persona (`persona/<id>`, ids sort by creation time) rather than
 * one list: adding or removing is a single write, so two tabs adding at the
 * same moment cannot overwrite each other.
 */
import { z } from 'zod';
import { readRecord, recordKind } from '@envelope/client-core';
import { MAX_USERNAME_CHARS } from '@envelope/protocol';
import { IndexedDbStore } from './indexeddb-store.js';

export const REGISTRY_DATABASE = 'envelope-personas';
const PREFIX = 'persona/';

export interface PersonaEntry {
  readonly id: string;
  readonly createdAt: number;
  /** The username once the persona has joined. */
  readonly username?: string;
}

/** Ids are newPersonaId's: 10 base36 characters of time, a dash, 12 hex characters of randomness. */
const PERSONA_ID_PATTERN = /^[0-9a-z]{10}-[0-9a-f]{12}$/;

const PersonaKind = recordKind<PersonaEntry>(
  'persona',
  z
    .object({ id: z.string().regex(PERSONA_ID_PATTERN), createdAt: z.number().int().min(0), username: z.string().max(MAX_USERNAME_CHARS).optional() })
    .strict(),
);

export function personaDatabaseName(id: string): string {
  return `envelope-persona-${id}`;
}

/** Time first (base36, fixed width) so ids sort in creation order; random after, so two in one millisecond differ. */
export function newPersonaId(now: number, random: Uint8Array = crypto.getRandomValues(new Uint8Array(6))): string {
  const time = now.toString(36).padStart(10, '0');
  const tail = [...random].map((b) => b.toString(16).padStart(2, '0')).join('');
  return `${time}-${tail}`;
}

export class PersonaRegistry {
  private constructor(
    private readonly store: IndexedDbStore,
    private readonly factory: IDBFactory,
  ) {}

  static async open(factory: IDBFactory = indexedDB): Promise<PersonaRegistry> {
    return new PersonaRegistry(await IndexedDbStore.open(REGISTRY_DATABASE, factory), factory);
  }

  async list(): Promise<PersonaEntry[]> {
    const entries: PersonaEntry[] = [];
    for (const key of await this.store.list(PREFIX)) {
      const entry = await readRecord(this.store, PersonaKind, key);
      if (entry) entries.push(entry);
    }
    return entries;
  }

  async add(now = Date.now()): Promise<PersonaEntry> {
    const entry: PersonaEntry = { id: newPersonaId(now), createdAt: now };
    await this.store.put({ [PREFIX + entry.id]: entry });
    return entry;
  }

  /** Records the name a persona joined as (shown while its pane loads). */
  async setUsername(id: string, username: string): Promise<void> {
    // Read and write in one transaction: a persona removed meanwhile (the user
    // can remove a pane while its join finishes) must stay removed.
    await this.store.update(PREFIX + id, PersonaKind, (entry) => (entry ? { ...entry, username } : undefined));
  }

  /** Forgets a persona and deletes its database (its keys and history) from this browser. */
  async remove(id: string): Promise<void> {
    await this.forget(id);
    await this.deleteData(id);
  }

  /** Takes a persona off the list: from now on a reload does not bring its pane back. */
  async forget(id: string): Promise<void> {
    await this.store.put({ [PREFIX + id]: undefined });
  }

  /** Deletes a persona's database (its keys and history); waits until its client has closed it. */
  async deleteData(id: string): Promise<void> {
    await IndexedDbStore.destroy(personaDatabaseName(id), this.factory);
  }

  close(): void {
    this.store.close();
  }
}
