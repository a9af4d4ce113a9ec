/**
 * GET /api/operator/stream: the metadata log as it grows, as Server-Sent
 * Events (WHATWG HTML §9.2). The page reads it with fetch, because EventSource
 * cannot send the Authorization header and the token must stay out of URLs.
 *
 * Events are written as the relay commits: after the commit, never before, so
 * the stream never shows an envelope the server could still lose. A reader that
 * stops reading is disconnected once MAX_STREAM_BUFFERED_BYTES wait for it,
 * rather than buffered without bound; it resumes with `after=` its last seq.
 */
import type { Request, RequestHandler, Response } from 'express';
import { MAX_STREAM_BACKFILL, type OperatorStreamEventName } from '@envelope/protocol';
import { committedEnvelope, operatorEnvelope } from '../domain/operator-view.js';
import type { ClassActivityHub } from '../domain/class-activity.js';
import type { PolicyService } from '../domain/policy.js';
import type { RelayService } from '../domain/relay.js';
import type { MetadataRepo } from '../storage/metadata-repo.js';

/** ~2,500 envelope events (about 400 bytes each): minutes of a busy classroom, a moment of a benchmark. */
export const MAX_STREAM_BUFFERED_BYTES = 1 << 20;

export interface StreamOptions {
  /** A `: ping` comment this often (STREAM_PING_MS in production; short in tests). */
  readonly pingMs: number;
  readonly maxBufferedBytes: number;
  readonly previewBytes: number;
}

/** The part of a writable stream the channel needs (a ServerResponse in production). */
export interface SseOutput {
  write(chunk: string): boolean;
  readonly writableLength: number;
  destroy(): void;
}

/** One open stream: writes events, and cuts the reader off when too much waits for it. */
export class SseChannel {
  private closed = false;

  constructor(
    private readonly out: SseOutput,
    private readonly maxBufferedBytes: number,
  ) {}

  get isOpen(): boolean {
    return !this.closed;
  }

  /** `data` is JSON without newlines, so one `data:` line carries it. */
  event<N extends OperatorStreamEventName>(name: N, data: unknown, id?: number): void {
    this.write(`event: ${name}\n${id === undefined ? '' : `id: ${id}\n`}data: ${JSON.stringify(data)}\n\n`);
  }

  comment(text: string): void {
    this.write(`: ${text}\n\n`);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.out.destroy();
  }

  private write(text: string): void {
    if (this.closed) return;
    this.out.write(text);
    if (this.out.writableLength > this.maxBufferedBytes) this.close();
  }
}

/** `after` from the query, or the Last-Event-ID header a generic SSE client sends on reconnection. */
function resumeAfter(req: Request): number | undefined {
  const raw = typeof req.query.after === 'string' ? req.query.after : req.get('last-event-id');
  return raw !== undefined && /^\d{1,15}$/.test(raw) ? Number(raw) : undefined;
}

export function operatorStream(
  relay: RelayService,
  metadata: MetadataRepo,
  policy: Pick<PolicyService, 'announcement' | 'subscribe'>,
  options: StreamOptions,
  /** Joins, key changes, reports, warrant answers, resets: live only (the guided lesson ticks from them). */
  activity?: Pick<ClassActivityHub, 'subscribe'>,
): RequestHandler {
  return (req: Request, res: Response) => {
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-store',
      connection: 'keep-alive',
      // Tells a reverse proxy (nginx) not to hold events back.
      'x-accel-buffering': 'no',
    });
    res.flushHeaders();
    const channel = new SseChannel(res, options.maxBufferedBytes);
    // Subscribing and reading the backfill happen in the same turn, between commits: nothing is missed or sent twice.
    const unsubscribe = relay.observe({
      committed: (envelopes) => {
        for (const e of envelopes) channel.event('envelope', committedEnvelope(e, options.previewBytes), e.seq);
      },
      delivered: (envelopes) => {
        for (const d of envelopes) channel.event('acked', { messageId: d.messageId, recipient: d.recipient, recipientDevice: d.recipientDevice });
      },
    });
    channel.comment('connected');
    // The mode now, then each change: the page says which mode the envelopes below were sent in.
    channel.event('policy', policy.announcement());
    const unsubscribePolicy = policy.subscribe((announcement) => channel.event('policy', announcement));
    const unsubscribeActivity = activity?.subscribe((happened) => channel.event('activity', happened)) ?? (() => {});
    const after = resumeAfter(req);
    if (after !== undefined) {
      const { envelopes, total } = metadata.after(after, MAX_STREAM_BACKFILL);
      if (total > envelopes.length) channel.event('skipped', { count: total - envelopes.length });
      for (const entry of envelopes) channel.event('envelope', operatorEnvelope(entry), entry.seq);
    }
    const ping = setInterval(() => channel.comment('ping'), options.pingMs);
    res.on('close', () => {
      clearInterval(ping);
      unsubscribe();
      unsubscribePolicy();
      unsubscribeActivity();
      channel.close();
    });
  };
}
