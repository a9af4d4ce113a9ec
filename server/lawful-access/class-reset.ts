/**
 * The lawful-access half of resetting the class (the server's own half is
 * server/storage/class-reset-repo.ts; the caller runs both in one transaction):
 * the text the server read in transport-only (content_log), the ciphertexts kept
 * for the escrow (escrow_retained) and the intercept console's warrants, copies
 * and audit log. A reset class must keep no readable content and nothing an
 * escrow key could open. The escrow key's files are the key store's
 * (escrow-key.ts `forget`). The scanner's rules are the operator's settings and stay.
 */
import type Database from 'better-sqlite3';

export interface LawfulAccessCounts {
  readonly readMessages: number;
  readonly escrowedMessages: number;
  readonly interceptWarrants: number;
  readonly interceptCopies: number;
  readonly auditLines: number;
}

/** Copies before their warrants (a foreign key). */
const TABLES = ['content_log', 'escrow_retained', 'intercept_queue', 'intercept_warrants', 'intercept_audit'] as const;

export function lawfulAccessReset(db: Database.Database) {
  const counts = Object.fromEntries(TABLES.map((table) => [table, db.prepare<[], number>(`SELECT count(*) FROM ${table}`).pluck()]));
  const deletes = TABLES.map((table) => db.prepare(`DELETE FROM ${table}`));
  const n = (table: (typeof TABLES)[number]) => counts[table]!.get()!;
  return {
    counts(): LawfulAccessCounts {
      return {
        readMessages: n('content_log'),
        escrowedMessages: n('escrow_retained'),
        interceptWarrants: n('intercept_warrants'),
        interceptCopies: n('intercept_queue'),
        auditLines: n('intercept_audit'),
      };
    },
    /** Deletes every row of the tables above (inside the caller's transaction). */
    clear(): void {
      for (const statement of deletes) statement.run();
    },
  };
}

export type LawfulAccessReset = ReturnType<typeof lawfulAccessReset>;
