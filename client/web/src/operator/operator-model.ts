/**
 * The operator page's view model: holds the token, fetches and parses what
 * the server holds, keeps it current from the live stream, and publishes one
 * snapshot the views render. Views call the actions below; they never fetch.
 * It owns the sections' data layer (queries.ts): a token the server refuses
 * there sends the page back to the token request too, and locking empties it.
 */
import type { QueryClient } from '@tanstack/react-query';
import type { EscrowCheckBits, PolicyAnnouncement, PolicyMode } from '@envelope/protocol';
import { contentBehind, EMPTY_CONTENT, mergeContent, type ContentState } from './content/content-state.js';
import { Observable, type Readable } from '../ui/observable.js';
import { drawGraph, addEnvelopeToGraph, EMPTY_GRAPH, EMPTY_PICTURE, layoutAspect, type GraphPicture } from './graph-state.js';
import { GRAPH_ASPECT } from './graph-layout.js';
import { applyAck, EMPTY_FEED, mergeEnvelopes, noteSkipped, type FeedState } from './feed.js';
import { LiveStream, type ConnectionState } from './live-stream.js';
import { failureText, REFUSED_TEXT } from './failure-text.js';
import { CONTENT_PAGE, OperatorApi, OperatorApiError, tokenFailure, type StreamEvent } from './operator-api.js';
import { createOperatorQueryClient } from './queries.js';
import type { OperatorGraph, OperatorStoredSchema } from './schemas.js';
import { eventsFor, mergeTimeline, timelineView, type TimelineView } from './timeline.js';
import { tokenFromInput } from './token.js';

export type Access =
  /** No token yet, or the last one failed: the page shows only the request for one. */
  | { readonly kind: 'needs-token'; readonly problem: AccessProblem | null }
  | { readonly kind: 'checking' }
  /** The token the server accepted, as the API the sections use. */
  | { readonly kind: 'open'; readonly api: OperatorApi };

export type AccessProblem =
  /** The server answered 401 to this token. */
  | 'refused'
  /** What was pasted is neither a token nor an operator link. */
  | 'not-a-token'
  /** The server did not answer, so the token could not be checked. */
  | 'unreachable';

export type TimelineState =
  | { readonly username: string; readonly status: 'loading' }
  | { readonly username: string; readonly status: 'ready'; readonly view: TimelineView }
  | { readonly username: string; readonly status: 'failed'; readonly message: string };

export interface OperatorSnapshot {
  readonly access: Access;
  readonly connection: ConnectionState;
  readonly feed: FeedState;
  readonly graph: OperatorGraph;
  readonly picture: GraphPicture;
  readonly timeline: TimelineState | null;
  readonly stored: OperatorStoredSchema | null;
  /** A load that failed after the token was accepted (shown, with the stream still trying). */
  readonly loadError: string | null;
  /** The server's policy mode (GET /api/policy, then the stream's `policy` events); null until known. */
  readonly policy: PolicyAnnouncement | null;
  /** The text the server read from envelopes a content-access mode made readable, by seq, with the scanner's matches. */
  readonly content: ContentState;
}

/** Where the page keeps the token (sessionStorage in the browser); nothing in tests. */
export interface TokenKeeper {
  remember(token: string): void;
  forget(): void;
}

const NO_KEEPER: TokenKeeper = { remember: () => {}, forget: () => {} };

const INITIAL: OperatorSnapshot = {
  access: { kind: 'needs-token', problem: null },
  connection: { kind: 'stopped' },
  feed: EMPTY_FEED,
  graph: EMPTY_GRAPH,
  picture: EMPTY_PICTURE,
  timeline: null,
  stored: null,
  loadError: null,
  policy: null,
  content: EMPTY_CONTENT,
};

export class OperatorModel {
  readonly #state = new Observable<OperatorSnapshot>(INITIAL);
  readonly state: Readable<OperatorSnapshot> = this.#state;
  /** The sections' cache and requests (accounts, reports, signals, warrant). */
  readonly queries: QueryClient = createOperatorQueryClient(() => this.#needToken('refused'));
  readonly #baseUrl: string;
  readonly #keeper: TokenKeeper;
  #api: OperatorApi | null = null;
  #stream: LiveStream | null = null;
  /** Bumped whenever the token changes, so answers to an older token's requests are dropped. */
  #generation = 0;
  #graphRefreshing = false;
  /** Envelopes arrived since the last graph request started. */
  #graphStale = false;
  #contentLoading = false;
  /** Announcements the stream (or a switch made here) delivered: a GET answer that crossed one is dropped. */
  #policyPushes = 0;
  /** More content to read (new readable envelopes, or a full reload asked) since the running request started. */
  #contentStale = false;
  #contentReload = false;
  /** The shape of the box the graph is drawn in (the view reports it: wide in presentation mode). */
  #graphAspect = GRAPH_ASPECT;

  constructor(options: { baseUrl?: string; keeper?: TokenKeeper } = {}) {
    this.#baseUrl = options.baseUrl ?? '';
    this.#keeper = options.keeper ?? NO_KEEPER;
  }

  get snapshot(): OperatorSnapshot {
    return this.#state.get();
  }

  /** Opens the view with a token (from the start-up link, or pasted: a bare token or the whole link). */
  async open(input: string): Promise<void> {
    const token = tokenFromInput(input);
    if (!token) return this.#needToken('not-a-token');
    this.close();
    const generation = ++this.#generation;
    const api = new OperatorApi(this.#baseUrl, token);
    this.#set({ access: { kind: 'checking' } });
    let stored: OperatorStoredSchema;
    try {
      // The smallest answer that proves the token; the page needs it anyway.
      stored = await api.storedSchema();
    } catch (error) {
      if (generation !== this.#generation) return;
      return this.#needToken(tokenFailure(error));
    }
    if (generation !== this.#generation) return;
    this.#keeper.remember(token);
    this.#api = api;
    this.#set({ access: { kind: 'open', api }, stored });
    void this.refreshPolicy();
    await this.#loadAndStream(api, generation);
  }

  /** Stops the stream and drops all data (the page goes back to asking for a token). */
  forgetToken(): void {
    this.#keeper.forget();
    this.#needToken(null);
  }

  /** Shows one person's timeline (from a graph node, a table row or the list). */
  async selectPerson(username: string): Promise<void> {
    const api = this.#api;
    if (!api) return;
    const generation = this.#generation;
    this.#set({ timeline: { username, status: 'loading' } });
    try {
      const { account, events } = await api.timeline(username);
      if (generation !== this.#generation || this.snapshot.timeline?.username !== username) return;
      // Stream events that arrived while this loaded are merged, not lost.
      const current = this.snapshot.timeline;
      const early = current.status === 'ready' ? current.view.events : [];
      this.#set({ timeline: { username, status: 'ready', view: timelineView(account, mergeTimeline(events, early)) } });
    } catch (error) {
      if (generation !== this.#generation || this.snapshot.timeline?.username !== username) return;
      if (this.#refusedBy(error)) return;
      const message = failureText(error, { what: `${username}’s timeline`, missing: `The server has no account called “${username}”.` });
      this.#set({ timeline: { username, status: 'failed', message } });
    }
  }

  /**
   * The graph's box on screen, when its shape is set by the page (presentation
   * mode's wide band); null when the graph takes the shape it draws (the normal
   * page). Lays it out again if the shape changed enough to matter.
   */
  setGraphBox(box: { readonly width: number; readonly height: number } | null): void {
    const aspect = box ? layoutAspect(box.width, box.height) : GRAPH_ASPECT;
    if (aspect === this.#graphAspect) return;
    this.#graphAspect = aspect;
    this.#set({ picture: drawGraph(this.snapshot.graph, this.snapshot.picture, aspect) });
  }

  closeTimeline(): void {
    this.#set({ timeline: null });
  }

  /**
   * Asks the server for its mode again (the confirmation dialog does, so the
   * exposure it quotes is the server's count now). Null when it failed.
   */
  async refreshPolicy(): Promise<PolicyAnnouncement | null> {
    const api = this.#api;
    const generation = this.#generation;
    const pushesBefore = this.#policyPushes;
    if (!api) return null;
    try {
      const announcement = await api.policy();
      // The stream told the page the mode while this answer was on its way: the stream's word is newer.
      if (generation === this.#generation && this.#policyPushes === pushesBefore) this.#set({ policy: announcement });
      return announcement;
    } catch (error) {
      if (generation === this.#generation) this.#refusedBy(error);
      return null;
    }
  }

  /** Switches the server's mode (after the page's confirmation). Resolves to why it failed, in words, or null. */
  async switchPolicy(mode: PolicyMode, checkBits?: EscrowCheckBits): Promise<string | null> {
    const api = this.#api;
    const generation = this.#generation;
    if (!api) return 'The page is locked.';
    try {
      const announcement = await api.setPolicy(mode, checkBits);
      if (generation === this.#generation) {
        this.#policyPushes++;
        this.#set({ policy: announcement });
      }
      return null;
    } catch (error) {
      if (generation === this.#generation && this.#refusedBy(error)) return REFUSED_TEXT;
      return failureText(error, { what: 'the new mode' }).replace('could not load', 'could not set');
    }
  }

  retryNow(): void {
    this.#stream?.retryNow();
  }

  /** Stops the stream and pending work, and drops what the sections loaded (the page unmounting, or the token going). */
  close(): void {
    this.#generation++;
    this.queries.clear();
    this.#stream?.stop();
    this.#stream = null;
    this.#api = null;
  }

  async #loadAndStream(api: OperatorApi, generation: number): Promise<void> {
    try {
      // Envelopes first: the stream resumes after the newest of them, so none falls between.
      const envelopes = await api.envelopes();
      if (generation !== this.#generation) return;
      this.#set({ feed: mergeEnvelopes(EMPTY_FEED, envelopes) });
      const graph = await api.graph();
      if (generation !== this.#generation) return;
      this.#set({ graph, picture: drawGraph(graph, this.snapshot.picture, this.#graphAspect) });
      void this.#refreshContent();
    } catch (error) {
      if (generation !== this.#generation || this.#refusedBy(error)) return;
      this.#set({ loadError: 'Part of the server’s data could not be loaded; the live stream keeps trying.' });
    }
    if (generation !== this.#generation) return;
    const stream = new LiveStream(api, {
      // Nothing shown yet: from seq 0, so the server's backfill fills the table.
      after: () => this.snapshot.feed.lastSeq ?? 0,
      onEvents: (events) => this.#applyStream(events),
      onState: (connection) => {
        if (generation === this.#generation) this.#set({ connection });
      },
      onRefused: () => {
        if (generation === this.#generation) this.#needToken('refused');
      },
    });
    this.#stream = stream;
    stream.start();
  }

  #applyStream(events: readonly StreamEvent[]): void {
    const before = this.snapshot;
    // The class was reset (here or on another operator page): what the page holds is gone, so load it afresh.
    if (events.some((event) => event.type === 'activity' && event.activity.kind === 'class-reset')) return this.#reload();
    let feed = before.feed;
    let graph = before.graph;
    let timeline = before.timeline;
    let policy = before.policy;
    let sawNew = false;
    for (const event of events) {
      if (event.type === 'envelope') {
        // A reconnect resends from `after`; an envelope already counted is not counted twice.
        const isNew = !feed.rows.some((row) => row.seq === event.envelope.seq) && (feed.lastSeq === null || event.envelope.seq > feed.lastSeq);
        feed = mergeEnvelopes(feed, [event.envelope]);
        if (isNew) {
          sawNew = true;
          graph = addEnvelopeToGraph(graph, event.envelope);
        }
        if (timeline?.status === 'ready') {
          const added = eventsFor(timeline.username, event.envelope);
          if (added.length > 0) {
            timeline = { ...timeline, view: timelineView(timeline.view.account, mergeTimeline(timeline.view.events, added)) };
          }
        }
      } else if (event.type === 'acked') {
        feed = applyAck(feed, event.ack);
      } else if (event.type === 'skipped') {
        feed = noteSkipped(feed, event.count);
      } else if (event.type === 'policy') {
        policy = event.announcement;
        this.#policyPushes++;
      }
    }
    const picture = graph === before.graph ? before.picture : drawGraph(graph, before.picture, this.#graphAspect);
    this.#set({ feed, graph, picture, timeline, policy });
    // The local count is immediate; the server's own graph then replaces it (it knows accounts' sign-up times).
    if (sawNew) void this.#refreshGraph();
    const added = events.flatMap((event) => (event.type === 'envelope' ? [event.envelope] : []));
    if (contentBehind(this.snapshot.content, added)) void this.#refreshContent();
  }

  /** Drops what the page holds and loads it again, with the token it has (after a reset of the class). */
  #reload(): void {
    const api = this.#api;
    if (!api) return;
    const generation = ++this.#generation;
    this.#stream?.stop();
    this.#stream = null;
    this.#set({ feed: EMPTY_FEED, graph: EMPTY_GRAPH, picture: EMPTY_PICTURE, timeline: null, loadError: null, content: EMPTY_CONTENT });
    // The sections (accounts, reports, signals, warrant) ask again.
    void this.queries.resetQueries();
    void api.storedSchema().then(
      (stored) => generation === this.#generation && this.#set({ stored }),
      (error: unknown) => generation === this.#generation && this.#refusedBy(error),
    );
    void this.#loadAndStream(api, generation);
  }

  /** Reads the content log again from the start (the scanner's rules changed, so its matches may have). */
  reloadContent(): Promise<void> {
    this.#contentReload = true;
    return this.#refreshContent();
  }

  /** One content request at a time, page by page; asks made meanwhile make one more round. */
  async #refreshContent(): Promise<void> {
    this.#contentStale = true;
    if (this.#contentLoading) return;
    const api = this.#api;
    const generation = this.#generation;
    if (!api) return;
    this.#contentLoading = true;
    try {
      while (this.#contentStale) {
        this.#contentStale = false;
        const reload = this.#contentReload;
        this.#contentReload = false;
        let content = reload ? EMPTY_CONTENT : this.snapshot.content;
        for (;;) {
          const rows = await api.content(content.through);
          if (generation !== this.#generation) return;
          content = mergeContent(content, rows);
          if (rows.length < CONTENT_PAGE) break;
        }
        this.#set({ content });
      }
    } catch (error) {
      // A server without the content log (404) has nothing to show; other failures show at the next envelope.
      this.#refusedBy(error);
    } finally {
      this.#contentLoading = false;
    }
  }

  /** One refresh at a time; events during a refresh ask for one more after it, never a pile of requests. */
  async #refreshGraph(): Promise<void> {
    this.#graphStale = true;
    if (this.#graphRefreshing) return;
    const api = this.#api;
    const generation = this.#generation;
    if (!api) return;
    this.#graphRefreshing = true;
    try {
      while (this.#graphStale) {
        this.#graphStale = false;
        const graph = await api.graph();
        if (generation !== this.#generation) return;
        this.#set({ graph, picture: drawGraph(graph, this.snapshot.picture, this.#graphAspect) });
      }
    } catch (error) {
      this.#refusedBy(error);
    } finally {
      this.#graphRefreshing = false;
    }
  }

  /** True (and back to the token request) if the server refused the token mid-session. */
  #refusedBy(error: unknown): boolean {
    if (!(error instanceof OperatorApiError) || error.code !== 'UNAUTHORIZED') return false;
    this.#needToken('refused');
    return true;
  }

  #needToken(problem: AccessProblem | null): void {
    this.close();
    this.#state.set({ ...INITIAL, access: { kind: 'needs-token', problem } });
  }

  #set(change: Partial<OperatorSnapshot>): void {
    this.#state.update((current) => ({ ...current, ...change }));
  }
}
