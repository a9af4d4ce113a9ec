/**
 * A ClientStore (shared/client/store.ts) on IndexedDB: what keeps a persona's
 * keys, sessions and history in the browser, so the private keys never leave
 * it and a reload finds everything where it was.
 *
 * One database per persona, one object store of key → value. Values are
 * structured clones of plain data (JSON data and Uint8Array, checked by
 * copyStorable as the MemoryStore does), so keys and session bytes are stored
 * as bytes, and every read is a fresh copy. Version 1 of the database kept
 * every value as JSON text; opening it upgrades each value in place, in the
 * upgrade transaction (all or nothing), and the record schemas then read the
 * base64url strings those values hold (shared/client/store-records.ts). Each put is one readwrite transaction, which IndexedDB
 * commits all or nothing: that is the atomicity the client core relies on to
 * keep a session state and the message it produced in step. A fenced put
 * (`ifEpoch`, shared/client/ownership.ts) reads the owner record in that same
 * transaction and writes nothing unless it is still the writer's: two tabs'
 * transactions on one database run one after the other, so a tab that was
 * taken over cannot slip a write in after the claim.
 */
// Straight from store.js rather than the client core's index: this file is
// loaded before libsodium, and the index would pull the whole core in.
import { checkEpoch, copyStorable, OWNER_KEY, type ClientStore, type PutOptions, parseRecord, type RecordKind } from '@envelope/client-core';

const OBJECT_STORE = 'kv';
/** 1: values as JSON text; 2: values as structured clones (bytes as Uint8Array). */
const SCHEMA_VERSION = 2;

/** Wraps one IDBRequest in a promise. */
function request<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new Error('IndexedDB request failed'));
  });
}

/** Resolves when the transaction has committed; rejects if it aborts (then none of its writes happened). */
function committed(tx: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onabort = () => reject(tx.error ?? new Error('IndexedDB transaction aborted'));
    tx.onerror = () => reject(tx.error ?? new Error('IndexedDB transaction failed'));
  });
}

function openDatabase(factory: IDBFactory, name: string): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const req = factory.open(name, SCHEMA_VERSION);
    req.onupgradeneeded = (event) => {
      if (!req.result.objectStoreNames.contains(OBJECT_STORE)) {
        req.result.createObjectStore(OBJECT_STORE);
      } else if (event.oldVersion < 2) {
        upgradeTextValues(req.transaction!.objectStore(OBJECT_STORE));
      }
    };
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new Error(`cannot open IndexedDB database ${name}`));
    // Another tab holds an older version open: it will close when it sees versionchange.
    req.onblocked = () => undefined;
  });
}

/** Version 1 kept each value as JSON text: parse each one back into data, in place. */
function upgradeTextValues(objects: IDBObjectStore): void {
  const cursor = objects.openCursor();
  cursor.onsuccess = () => {
    const current = cursor.result;
    if (current === null) return;
    // A value that is not JSON text is left as it is: the record schema reports it when it is read.
    if (typeof current.value === 'string') {
      try {
        current.update(JSON.parse(current.value) as unknown);
      } catch {
        // not JSON: left for the schema to name
      }
    }
    current.continue();
  };
}

/**
 * The highest string that starts with `prefix` is below prefix + U+FFFF for
 * every key this app writes (store keys are ASCII), so this range is exactly
 * "starts with prefix". IndexedDB orders string keys by UTF-16 code unit, as
 * Array.prototype.sort does: list() comes back sorted as the interface asks.
 */
function prefixRange(prefix: string): IDBKeyRange | undefined {
  return prefix === '' ? undefined : IDBKeyRange.bound(prefix, `${prefix}\uffff`, false, false);
}

export class IndexedDbStore implements ClientStore {
  private constructor(
    private readonly db: IDBDatabase,
    readonly name: string,
  ) {
    // A deleteDatabase (removing the persona) from another tab must not wait on us forever.
    db.onversionchange = () => db.close();
  }

  static async open(name: string, factory: IDBFactory = indexedDB): Promise<IndexedDbStore> {
    return new IndexedDbStore(await openDatabase(factory, name), name);
  }

  /** Deletes a whole database (a persona removed from this browser). */
  static async destroy(name: string, factory: IDBFactory = indexedDB): Promise<void> {
    await request(factory.deleteDatabase(name));
  }

  async get(key: string): Promise<unknown> {
    const tx = this.db.transaction(OBJECT_STORE, 'readonly');
    return request<unknown>(tx.objectStore(OBJECT_STORE).get(key));
  }

  async put(entries: Readonly<Record<string, unknown>>, options?: PutOptions): Promise<void> {
    // Check everything before the transaction starts: if any value is refused, nothing is written.
    const prepared = Object.entries(entries).map(([key, value]) => [key, value === undefined ? undefined : copyStorable(key, value)] as const);
    if (prepared.length === 0) return;
    const tx = this.db.transaction(OBJECT_STORE, 'readwrite');
    const done = committed(tx);
    const objects = tx.objectStore(OBJECT_STORE);
    let refused: unknown = null;
    const write = () => {
      try {
        for (const [key, value] of prepared) {
          if (value === undefined) objects.delete(key);
          else objects.put(value, key);
        }
      } catch (error) {
        // A request refused on the spot (e.g. quota) would otherwise leave the
        // earlier ones to commit on their own: abort, so it is all or nothing.
        refused = error;
        tx.abort();
      }
    };
    if (options?.ifEpoch === undefined) {
      write();
    } else {
      // Read the owner record and write in the same transaction: the check cannot go stale before the write.
      const owner = objects.get(OWNER_KEY);
      owner.onsuccess = () => {
        try {
          checkEpoch(options, owner.result);
        } catch (error) {
          refused = error;
          tx.abort();
          return;
        }
        write();
      };
    }
    try {
      await done;
    } catch (error) {
      throw refused ?? error;
    }
    if (refused !== null) throw refused;
  }

  /**
   * Reads `key` (parsed as `kind`) and writes what `change` makes of it, in one
   * transaction, so no other write (from this tab or another) can fall between
   * the read and the write. `change` returns undefined to leave the key as it is.
   */
  async update<T>(key: string, kind: RecordKind<T>, change: (current: T | undefined) => T | undefined): Promise<void> {
    const tx = this.db.transaction(OBJECT_STORE, 'readwrite');
    const done = committed(tx);
    const objects = tx.objectStore(OBJECT_STORE);
    let refused: unknown = null;
    const current = objects.get(key);
    current.onsuccess = () => {
      try {
        const next = change(current.result === undefined ? undefined : parseRecord(kind, key, current.result));
        if (next !== undefined) objects.put(copyStorable(key, next), key);
      } catch (error) {
        refused = error;
        tx.abort();
      }
    };
    try {
      await done;
    } catch (error) {
      throw refused ?? error;
    }
    if (refused !== null) throw refused;
  }

  async list(prefix: string): Promise<string[]> {
    const tx = this.db.transaction(OBJECT_STORE, 'readonly');
    const found = await request(tx.objectStore(OBJECT_STORE).getAllKeys(prefixRange(prefix)));
    return found.filter((key): key is string => typeof key === 'string' && key.startsWith(prefix));
  }

  close(): void {
    this.db.close();
  }
}
