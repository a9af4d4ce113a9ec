/**
 * Who has written to whom (either way), per account, for the detectors that ask
 * "is this a first contact?" and "do they share a contact?". Accounts are the
 * service's dense ids. Bounded: each account keeps at most
 * MAX_CONTACTS_PER_ACCOUNT contacts; past that it is "saturated" and detectors
 * say they cannot tell rather than guess.
 */

/**
 * Contacts remembered per account. People keep up with far fewer (Dunbar's
 * ~150 relationships); an account past 1,000 is a hub or a broadcaster, and
 * checking mutual contacts stays cheap below it.
 */
export const MAX_CONTACTS_PER_ACCOUNT = 1_000;

/** What one envelope's meeting of two accounts was, as of just before it (see ContactBook.meet). */
export interface Meeting {
  /** Neither had written to the other before. */
  readonly first: boolean;
  /** Either had stopped recording new contacts (the cap), so a first contact could not be told apart. */
  readonly saturated: boolean;
}

export class ContactBook {
  private readonly contacts: (Set<number> | undefined)[] = [];
  private lastSeq = -1;
  private readonly last = { first: false, saturated: false };

  /**
   * Records the envelope `seq` from `a` to `b` and says what the meeting was
   * before it; asked again for the same envelope, gives the same answer. So
   * the detectors that ask can share one book, each asking in its turn: two
   * copies of the same book had been the two largest costs of a rescan after
   * the detectors' own work. The answer object is reused: read it, do not keep it.
   */
  meet(seq: number, a: number, b: number): Meeting {
    const last = this.last;
    if (seq === this.lastSeq) return last;
    this.lastSeq = seq;
    last.first = !this.know(a, b);
    last.saturated = last.first && this.saturated(a, b);
    if (last.first) this.add(a, b);
    return last;
  }

  /** True if `a` and `b` have exchanged an envelope (either way) before. */
  know(a: number, b: number): boolean {
    const mine = this.contacts[a];
    return mine !== undefined && mine.has(b);
  }

  /** True if either account has stopped recording new contacts (the cap): a first contact cannot be told apart. */
  saturated(a: number, b: number): boolean {
    return (this.contacts[a]?.size ?? 0) >= MAX_CONTACTS_PER_ACCOUNT || (this.contacts[b]?.size ?? 0) >= MAX_CONTACTS_PER_ACCOUNT;
  }

  /** True if some third account is a contact of both (a friend of a friend is no stranger). Walks the smaller set. */
  haveMutual(a: number, b: number): boolean {
    const mine = this.contacts[a];
    const theirs = this.contacts[b];
    if (!mine || !theirs) return false;
    const [small, large] = mine.size <= theirs.size ? [mine, theirs] : [theirs, mine];
    for (const contact of small) if (contact !== a && contact !== b && large.has(contact)) return true;
    return false;
  }

  /** Records the conversation both ways (each side up to its cap). */
  add(a: number, b: number): void {
    this.addOne(a, b);
    this.addOne(b, a);
  }

  private addOne(owner: number, contact: number): void {
    let set = this.contacts[owner];
    if (!set) this.contacts[owner] = set = new Set();
    if (set.size < MAX_CONTACTS_PER_ACCOUNT) set.add(contact);
  }
}

/**
 * Timestamps inside a sliding window, oldest first, at most `cap` (the oldest
 * are dropped past it: by then the count is far above any threshold). Push and
 * expire are O(1) amortised: a head index, compacted now and then.
 */
export class TimeWindow {
  private times: number[] = [];
  private head = 0;

  constructor(
    private readonly windowMs: number,
    private readonly cap: number,
  ) {}

  /** Adds `at` and forgets everything older than the window before it; returns how many are inside. */
  push(at: number): number {
    this.times.push(at);
    const since = at - this.windowMs;
    while (this.head < this.times.length && (this.times[this.head]! <= since || this.times.length - this.head > this.cap)) this.head++;
    if (this.head > 64 && this.head * 2 > this.times.length) {
      this.times = this.times.slice(this.head);
      this.head = 0;
    }
    return this.times.length - this.head;
  }
}
