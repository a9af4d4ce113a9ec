/**
 * Opens the one SQLite file the server keeps (better-sqlite3), applies the
 * pragmas that make confirmed writes survive a crash, and runs migrations.
 *
 * WAL with synchronous=NORMAL: a committed transaction is in the WAL file
 * before COMMIT returns, so it survives the process being killed (kill -9);
 * only a power cut could lose the last transactions, which FULL would prevent
 * at a large cost per commit. The relay confirms a message only after COMMIT.
 */
import Database from 'better-sqlite3';
import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from 'node:fs';
import { join } from 'node:path';
import { MIGRATIONS } from './migrations.js';

export type Db = Database.Database;

export const DATABASE_FILE = 'envelope.sqlite';

/** Pragmas for every connection to the file (the main thread's and the storage thread's). */
export const CONNECTION_PRAGMAS: readonly string[] = [
  'synchronous = NORMAL',
  'foreign_keys = ON',
  'busy_timeout = 5000',
  // Mailbox rows are inserted and soon deleted: let the WAL grow to ~40 MB before
  // copying pages back, so a page rewritten many times is copied once.
  'wal_autocheckpoint = 10000',
  'cache_size = -65536', // 64 MiB page cache
  'mmap_size = 268435456', // reads through a 256 MiB memory map
];

export function databasePath(dataDir: string): string {
  return join(dataDir, DATABASE_FILE);
}

/**
 * DATA_DIR and everything in it are for the server's user alone: the database
 * holds the metadata log and waiting ciphertext, and the secrets file the
 * operator token. The directory is made (or tightened to) 0700 and the files
 * 0600. SQLite gives its -wal and -shm files the database file's own mode, so
 * the database file is created 0600 before SQLite opens it, and files left
 * looser by an older version are tightened.
 */
export const PRIVATE_DIR_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;

export function makePrivateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  chmodSync(dir, PRIVATE_DIR_MODE);
}

export function openDatabase(dataDir: string): Db {
  makePrivateDir(dataDir);
  const path = databasePath(dataDir);
  closeSync(openSync(path, 'a', PRIVATE_FILE_MODE));
  for (const file of [path, `${path}-wal`, `${path}-shm`]) if (existsSync(file)) chmodSync(file, PRIVATE_FILE_MODE);
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  for (const pragma of CONNECTION_PRAGMAS) db.pragma(pragma);
  migrate(db);
  return db;
}

export function schemaVersion(db: Db): number {
  return db.pragma('user_version', { simple: true }) as number;
}

function migrate(db: Db): void {
  const current = schemaVersion(db);
  if (current > MIGRATIONS.length) {
    throw new Error(`database schema version ${current} is newer than this server (${MIGRATIONS.length}): refusing to run`);
  }
  for (let version = current; version < MIGRATIONS.length; version++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[version]!);
      db.pragma(`user_version = ${version + 1}`);
    })();
  }
}
