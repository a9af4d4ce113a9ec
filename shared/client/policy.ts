/**
 * The server's policy mode, as this client knows it (@envelope/protocol
 * policy.ts), and what it means for sending.
 *
 * The client learns the mode from the `policy` frame (the server sends one
 * right after `auth` and on every change) and from GET /api/policy, which it
 * asks before encrypting anything when no announcement has come yet (a CLI
 * command sends before its socket is up). Every step that encrypts (a text,
 * a receipt, a session reset) asks `sendingMode()` right before it encrypts,
 * inside the client's queue, and encrypts under exactly that mode; what it
 * produced then travels under that mode even if the mode changes before it
 * leaves the outbox (the outbox entry records it; nothing is re-encrypted).
 *
 * Fail closed: a mode this build does not know (a newer server's, say
 * `client-scanning`) may make content readable in a way this client would not
 * tell its user, so nothing is encrypted under it: UNKNOWN_POLICY_MODE. The
 * announcement is still kept and reported (the app says which mode it met).
 */
import { isPolicyMode, POLICY_MODES, type EscrowAnnouncement, type PolicyAnnouncement } from '@envelope/protocol';
import { ClientError, isClientError } from './errors.js';

/** How to encrypt under the mode in force: the end-to-end path, or sealed to the server's transport key. */
export type SendingMode =
  | { readonly mode: 'e2ee' }
  | { readonly mode: 'transport-only'; readonly transportKey: Uint8Array }
  /** Encrypted end to end, with an access field sealed to the escrow key (@envelope/crypto escrow.ts). */
  | { readonly mode: 'key-escrow'; readonly escrow: EscrowAnnouncement };

/** The sending mode an announcement asks for; UNKNOWN_POLICY_MODE for a mode this build does not know. */
export function sendingModeOf(announcement: PolicyAnnouncement): SendingMode {
  const { mode } = announcement;
  if (!isPolicyMode(mode)) {
    throw new ClientError(
      'UNKNOWN_POLICY_MODE',
      `the server announces the policy mode "${mode}", which this app does not know (it knows ${POLICY_MODES.join(', ')}): ` +
        'nothing is sent, as it cannot tell you who could read it. Update the app.',
      { mode },
    );
  }
  if (mode === 'e2ee') return { mode };
  if (mode === 'key-escrow') {
    // Without the escrow key there is nothing to seal message keys to: sending plain e2ee would break the announced rule.
    if (announcement.escrow === undefined) throw new ClientError('PROTOCOL_ERROR', 'the server announces key escrow without an escrow key: nothing is sent');
    return { mode, escrow: announcement.escrow };
  }
  if (announcement.transportKey === undefined) {
    // Without the key there is nothing to seal to; guessing would be sending in the clear or e2ee against the announcement.
    throw new ClientError('PROTOCOL_ERROR', 'the server announces transport-only without a transport key: nothing is sent');
  }
  return { mode, transportKey: announcement.transportKey };
}

export class PolicyState {
  #current: PolicyAnnouncement | null = null;
  #fetching: Promise<PolicyAnnouncement> | null = null;
  /** Counts announcements pushed by the server: a fetch answered across one is stale. */
  #pushed = 0;

  constructor(
    private readonly fetchPolicy: () => Promise<PolicyAnnouncement>,
    private readonly onChange: (announcement: PolicyAnnouncement) => void,
  ) {}

  /** The latest announcement; null until one arrived or was fetched. */
  get current(): PolicyAnnouncement | null {
    return this.#current;
  }

  /**
   * An announcement the server pushed (its `policy` frame): the socket
   * delivers them in order, so the latest one is the mode. Reports it.
   */
  learn(announcement: PolicyAnnouncement): void {
    this.#pushed += 1;
    this.#adopt(announcement);
  }

  /**
   * GET /api/policy now (one request at a time), and the mode as it stands
   * after it. The answer is adopted unless a frame arrived while it was on
   * its way: a GET answered just before a switch must not undo the frame that
   * announced the switch. (Not by comparing `since`: a server whose data was
   * reset starts again from 0.)
   */
  async fetch(): Promise<PolicyAnnouncement> {
    const pushedBefore = this.#pushed;
    this.#fetching ??= this.fetchPolicy().finally(() => (this.#fetching = null));
    const answer = await this.#fetching;
    if (this.#pushed === pushedBefore || this.#current === null) this.#adopt(answer);
    return this.#current!;
  }

  /** Fetches the mode if none is known yet. Call outside the client's queue (it may make a request). */
  async ensureKnown(): Promise<void> {
    if (this.#current === null) await this.fetch();
  }

  /**
   * Before a text: the mode is fetched if not known yet, and asked again
   * whenever it is one in which the server reads (transport-only). A switch back to e2ee then protects the very next
   * message even if its frame is still on the way (an operator's switch and
   * a send can cross; the frame is a macrotask, a send can run before it),
   * for one request per message only while the server reads them. If the
   * server cannot be asked, the mode it last announced stands (the message
   * waits in the outbox either way).
   */
  async confirmBeforeText(): Promise<void> {
    if (this.#current === null) return this.ensureKnown();
    // e2ee needs no confirming; an unknown mode refuses until the server announces another.
    if (this.#current.mode === 'e2ee' || !isPolicyMode(this.#current.mode)) return;
    await this.fetch().catch((error: unknown) => {
      if (!isClientError(error)) throw error;
    });
  }

  /**
   * The mode to encrypt under now (call inside the queue, after ensureKnown).
   * UNKNOWN_POLICY_MODE for an unknown mode, or if none is known.
   */
  sendingMode(): SendingMode {
    if (this.#current === null) throw new ClientError('UNKNOWN_POLICY_MODE', 'the server has not said which policy mode it is in: nothing is sent', { mode: '' });
    return sendingModeOf(this.#current);
  }

  #adopt(announcement: PolicyAnnouncement): void {
    this.#current = announcement;
    this.onChange(announcement);
  }
}
