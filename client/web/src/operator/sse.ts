/**
 * Server-Sent Events for a stream read with fetch. The browser's EventSource
 * cannot send an Authorization header, and the operator token must not travel
 * in a URL (it would land in logs), so the page reads the stream itself. The
 * parsing is eventsource-parser's (the HTML standard's "event stream
 * interpretation", WHATWG HTML §9.2.6: CRLF, LF or CR line ends, `:` comments,
 * a blank line dispatches, `data` lines joined with LF); this wrapper only
 * names the event type as EventSource does and bounds the buffer.
 */
import { createParser, type EventSourceParser } from 'eventsource-parser';

export interface SseEvent {
  /** The `event:` field, or "message" when none was given (as EventSource names it). */
  readonly type: string;
  readonly data: string;
  readonly id: string | undefined;
}

/** Bounds what one unfinished line or event may buffer, so a broken or hostile stream cannot grow it without end. */
export const MAX_SSE_LINE_CHARS = 1_000_000;

export class SseParser {
  readonly #parser: EventSourceParser;
  #overflow: Error | null = null;

  /** `onComment` hears comment lines (the server's keep-alive pings), so a reader knows the stream is alive. */
  constructor(onEvent: (event: SseEvent) => void, onComment?: () => void) {
    this.#parser = createParser({
      maxBufferSize: MAX_SSE_LINE_CHARS,
      onEvent: ({ event, data, id }) => onEvent({ type: event ?? 'message', data, id }),
      ...(onComment ? { onComment: () => onComment() } : {}),
      onError: (error) => {
        if (error.type === 'max-buffer-size-exceeded') this.#overflow = new Error('event stream line too long');
      },
    });
  }

  /** Feeds decoded text, in chunks of any size; throws once the stream has overrun the bound. */
  push(chunk: string): void {
    if (this.#overflow) throw this.#overflow;
    this.#parser.feed(chunk);
    if (this.#overflow) throw this.#overflow;
  }
}
