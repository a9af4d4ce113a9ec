/**
 * The lawful-intercept console (docs/lawful-access.md, transport-only): an
 * agency with its own credential names a target in a warrant; from then on,
 * every readable message to or from the target is copied into the agency's
 * queue (prospective access), and the retained past can be read from the
 * content log (retrospective access). Every action goes into an audit log.
 *
 * The copy is made by a content-log listener, inside the relay's transaction
 * that stores the message: a message the agency should have cannot be stored
 * without its copy, and nothing from before the warrant is ever copied.
 *
 * What the console cannot do is the point of two demonstrations:
 * - it checks that a warrant has a reference, not that the reference is
 *   lawful: "none", or a foreign agency's name, reads exactly the same data;
 * - whoever can reach its tables can add a target with no warrant and delete
 *   the audit line (insider, Athens 2004-05): the target's client sees
 *   nothing, because copying happens on the server, after delivery is decided.
 */
import type { ContentLog, ContentRow } from './content-log.js';
import type { AuditRecord, InterceptRepo, QueueRecord, WarrantRecord } from './intercept-repo.js';
import { MAX_AUDIT_LINES, MAX_INTERCEPTED_MESSAGES, MAX_LISTED_WARRANTS, type AuditAction } from '@envelope/protocol';
import { MAX_CONTENT_PAGE } from './content-log.js';

/** Who acts through the console's token (it is one credential: the audit cannot name a person). */
export const AGENCY_ACTOR = 'agency';
/** Who adds a target in the insider demonstration. */
export const INSIDER_ACTOR = 'insider';

export type InterceptErrorCode = 'NOT_FOUND' | 'BAD_REQUEST';

/** A console request that cannot be answered: an unknown account or warrant. */
export class InterceptError extends Error {
  override readonly name = 'InterceptError';
  constructor(
    readonly code: InterceptErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export interface InterceptDeps {
  readonly repo: InterceptRepo;
  readonly content: ContentLog;
  /** Whether the server has an account by this name (a port the composition root provides). */
  readonly accountExists: (username: string) => boolean;
  /** The content log's retention, for the retrospective answer. */
  readonly retentionDays: number;
  readonly now: () => number;
}

export interface QueueAnswer {
  readonly warrant: WarrantRecord;
  readonly messages: QueueRecord[];
  readonly total: number;
}

export interface RetrospectiveAnswer {
  readonly target: string;
  readonly messages: ContentRow[];
  readonly total: number;
  readonly retentionDays: number;
}

export interface InsiderAnswer {
  readonly warrant: WarrantRecord;
  readonly deletedAuditSeq: number;
  readonly auditLinesBefore: number;
  readonly auditLinesAfter: number;
}

const plural = (count: number, noun: string) => `${count} ${noun}${count === 1 ? '' : 's'}`;

export class InterceptConsole {
  /** Active warrants by target, so the listener on the relay's commit path does no query for messages nobody watches. */
  #active = new Map<string, number[]>();
  readonly #stop: () => void;

  constructor(private readonly deps: InterceptDeps) {
    this.#reloadActive();
    this.#stop = deps.content.onRecord((rows) => this.#copy(rows));
  }

  /** Stops copying (the server is closing). */
  close(): void {
    this.#stop();
  }

  /** Reads the active warrants again (the class was reset: there are none). */
  reload(): void {
    this.#reloadActive();
  }

  openWarrant(target: string, reference: string): WarrantRecord {
    this.#mustExist(target);
    const warrant = this.#open(target, reference, AGENCY_ACTOR, `reference: ${reference}`);
    this.#reloadActive();
    return warrant;
  }

  warrants(): WarrantRecord[] {
    return this.deps.repo.warrants(MAX_LISTED_WARRANTS);
  }

  endWarrant(id: number): WarrantRecord {
    const { repo } = this.deps;
    const ended = repo.transaction(() => {
      const warrant = this.#warrant(id);
      if (repo.endWarrant(id, this.deps.now())) {
        this.#audit('warrant-ended', warrant.target, `warrant ${id} ended after ${plural(warrant.copied, 'copied message')}`);
      }
      return repo.warrant(id)!;
    });
    this.#reloadActive();
    return ended;
  }

  /** What was copied under warrant `id`, after queue row `after`. A read that hands over messages is audited. */
  queue(id: number, after: number): QueueAnswer {
    const { repo } = this.deps;
    return repo.transaction(() => {
      const warrant = this.#warrant(id);
      const messages = repo.queue(id, after, MAX_INTERCEPTED_MESSAGES);
      if (messages.length > 0) {
        const first = messages[0]!.queueId;
        const last = messages[messages.length - 1]!.queueId;
        this.#audit('queue-read', warrant.target, `warrant ${id}: ${plural(messages.length, 'copied message')} handed over (queue rows ${first} to ${last})`);
      }
      return { warrant, messages, total: repo.queueTotal(id) };
    });
  }

  /** The retained past: every message of the target still in the content log (the newest, if more than a page). Audited. */
  retrospective(target: string): RetrospectiveAnswer {
    this.#mustExist(target);
    const { repo, content } = this.deps;
    return repo.transaction(() => {
      const total = repo.retainedTotal(target);
      // forAccount pages from the oldest: skip to the newest page when the past is longer than one answer.
      const all = content.forAccount(target, { limit: MAX_CONTENT_PAGE });
      const messages = all.slice(-MAX_INTERCEPTED_MESSAGES);
      this.#audit('retrospective-read', target, `${messages.length} of ${plural(total, 'retained message')} handed over`);
      return { target, messages, total, retentionDays: this.deps.retentionDays };
    });
  }

  audit(): { lines: AuditRecord[]; total: number } {
    const { repo } = this.deps;
    return { lines: repo.auditLines(MAX_AUDIT_LINES), total: repo.auditTotal() };
  }

  /**
   * The insider demonstration (Athens 2004-05): a target added with no
   * warrant reference, through the same console, and its audit line deleted
   * straight after, in one transaction. Copying starts as for any warrant.
   */
  insider(target: string): InsiderAnswer {
    this.#mustExist(target);
    const { repo } = this.deps;
    const answer = repo.transaction(() => {
      const auditLinesBefore = repo.auditTotal();
      const warrant = this.#open(target, null, INSIDER_ACTOR, 'no warrant reference');
      const line = repo.auditLines(1)[0]!;
      repo.deleteAudit(line.seq);
      return { warrant, deletedAuditSeq: line.seq, auditLinesBefore, auditLinesAfter: repo.auditTotal() };
    });
    this.#reloadActive();
    return answer;
  }

  /** The warrant and its audit line, together or not at all; the caller reloads the active set once it is committed. */
  #open(target: string, reference: string | null, actor: string, detail: string): WarrantRecord {
    const { repo } = this.deps;
    return repo.transaction(() => {
      const warrant = repo.openWarrant(target, reference, actor, this.deps.now());
      this.#audit(reference === null ? 'target-added-without-warrant' : 'warrant-opened', target, `warrant ${warrant.id}: ${detail}`, actor);
      return warrant;
    });
  }

  #copy(rows: readonly ContentRow[]): void {
    if (this.#active.size === 0) return;
    const at = this.deps.now();
    for (const row of rows) {
      const warrants = new Set([...(this.#active.get(row.recipient) ?? []), ...(row.sender === null ? [] : (this.#active.get(row.sender) ?? []))]);
      for (const warrantId of warrants) this.deps.repo.copy(warrantId, row, at);
    }
  }

  /** Read after each committed change, never inside one (a rolled-back change must not start or stop copying). */
  #reloadActive(): void {
    const active = new Map<string, number[]>();
    for (const { id, target } of this.deps.repo.activeWarrants()) active.set(target, [...(active.get(target) ?? []), id]);
    this.#active = active;
  }

  #warrant(id: number): WarrantRecord {
    const warrant = this.deps.repo.warrant(id);
    if (!warrant) throw new InterceptError('NOT_FOUND', `no warrant number ${id}`);
    return warrant;
  }

  #mustExist(username: string): void {
    if (!this.deps.accountExists(username)) throw new InterceptError('NOT_FOUND', `no account named "${username}" on this server`);
  }

  #audit(action: AuditAction, target: string | null, detail: string, actor = AGENCY_ACTOR): void {
    this.deps.repo.audit(this.deps.now(), actor, action, target, detail);
  }
}
