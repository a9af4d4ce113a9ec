/**
 * Resetting the class (domain/class-reset.ts): counts and deletes everything a
 * class leaves in the server's own tables: accounts and their devices, keys and
 * sign-ins, the mailboxes, the metadata log, reports, network addresses and the
 * policy's history. The lawful-access tables have their own half
 * (server/lawful-access/class-reset.ts); the caller runs both in one transaction.
 *
 * Kept: the `policy` row (the caller sets it back to e2ee), the content
 * scanner's rules (the operator's settings, about no one) and the id counters
 * (sqlite_sequence), so a seq is never reused and an operator page resuming
 * its stream after an old seq cannot miss a new envelope.
 */
import type { Db } from './database.js';

/** Rows of the server's own tables a reset deletes, by table. */
export interface CoreCounts {
  readonly accounts: number;
  readonly devices: number;
  readonly signIns: number;
  readonly prekeys: number;
  readonly waitingEnvelopes: number;
  readonly loggedEnvelopes: number;
  readonly reports: number;
  readonly addresses: number;
  readonly policyChanges: number;
}

/** In the order foreign keys allow (a device's keys and tokens before the device, devices before accounts). */
const CORE_TABLES = [
  'auth_tokens',
  'one_time_prekeys',
  'kem_prekeys',
  'signed_prekeys',
  'devices',
  'accounts',
  'mailbox',
  'metadata_log',
  'reports',
  'address_log',
  'policy_changes',
] as const;

export function classResetRepo(db: Db) {
  const countOf = (table: string) => db.prepare<[], number>(`SELECT count(*) FROM ${table}`).pluck();
  const counts = Object.fromEntries(CORE_TABLES.map((table) => [table, countOf(table)]));
  const deletes = CORE_TABLES.map((table) => db.prepare(`DELETE FROM ${table}`));
  const n = (table: (typeof CORE_TABLES)[number]) => counts[table]!.get()!;

  return {
    counts(): CoreCounts {
      return {
        accounts: n('accounts'),
        devices: n('devices'),
        signIns: n('auth_tokens'),
        prekeys: n('one_time_prekeys') + n('kem_prekeys') + n('signed_prekeys'),
        waitingEnvelopes: n('mailbox'),
        loggedEnvelopes: n('metadata_log'),
        reports: n('reports'),
        addresses: n('address_log'),
        policyChanges: n('policy_changes'),
      };
    },

    /** Deletes every row of the tables above (inside the caller's transaction). */
    clear(): void {
      for (const statement of deletes) statement.run();
    },

    /**
     * Runs `work` with secure_delete on: deleted rows are overwritten with zeros
     * instead of lingering in free pages or in the free space of pages still in use.
     */
    secureDelete<T>(work: () => T): T {
      const before = db.pragma('secure_delete', { simple: true }) as number;
      db.pragma('secure_delete = ON');
      try {
        return work();
      } finally {
        db.pragma(`secure_delete = ${before}`);
      }
    },

    /**
     * Old versions of pages also linger in the write-ahead log's frames. VACUUM
     * rebuilds the file from what is left; the checkpoint copies it back and
     * truncates the WAL to nothing. Run outside any transaction. False if it
     * failed or a reader kept the checkpoint from finishing (the WAL then keeps
     * old pages until the next checkpoint).
     */
    compact(): boolean {
      try {
        db.exec('VACUUM');
        const [result] = db.pragma('wal_checkpoint(TRUNCATE)') as { busy: number }[];
        return result?.busy === 0;
      } catch {
        // Busy or out of disk: the deletes stand (secure_delete zeroed them in the pages they touched); the caller says so.
        return false;
      }
    },
  };
}

export type ClassResetRepo = ReturnType<typeof classResetRepo>;
