/**
 * The policy mode (migration 8's `policy` row) and its history (`policy_changes`):
 * which mode the server is in, since when, and every change with who made it.
 */
import type { Db } from './database.js';

export interface StoredPolicy {
  readonly mode: string;
  readonly since: number;
}

/** Who changed the mode: the operator (POST /api/operator/policy), POLICY_MODE at start, or a reset of the class (back to e2ee). */
export type PolicyChangeVia = 'operator' | 'start' | 'reset';

export function policyRepo(db: Db) {
  const select = db.prepare<[], StoredPolicy>('SELECT mode, since FROM policy WHERE id = 1');
  const upsert = db.prepare<[string, number]>(
    'INSERT INTO policy (id, mode, since) VALUES (1, ?, ?) ON CONFLICT (id) DO UPDATE SET mode = excluded.mode, since = excluded.since',
  );
  const insertChange = db.prepare<[number, string, string]>('INSERT INTO policy_changes (at, mode, via) VALUES (?, ?, ?)');
  const selectChanges = db.prepare<[], { at: number; mode: string; via: string }>('SELECT at, mode, via FROM policy_changes ORDER BY seq');
  // The mode and its history change together, or neither does.
  const change = db.transaction((mode: string, at: number, via: PolicyChangeVia) => {
    upsert.run(mode, at);
    insertChange.run(at, mode, via);
  });

  return {
    /** The stored mode, or undefined before the first change (the server then runs the default). */
    current(): StoredPolicy | undefined {
      return select.get();
    },
    change(mode: string, at: number, via: PolicyChangeVia): void {
      change(mode, at, via);
    },
    changes(): { at: number; mode: string; via: string }[] {
      return selectChanges.all();
    },
  };
}

export type PolicyRepo = ReturnType<typeof policyRepo>;
