/**
 * A Server-Sent Events parser for a stream read with fetch. The browser's
 * EventSource cannot send an Authorization header, and the operator token must
 * not travel in a URL (it would land in logs), so the page reads the stream
 * itself. Follows the HTML standard's "event stream interpretation"
 * (WHATWG HTML §9.2.6): lines end in CRLF, LF or CR; `:` starts a comment;
 * a blank line dispatches the event; `data` lines are joined with LF.
 */

export interface SseEvent {
  /** The `event:` field, or "message" when none was given. */
  readonly type: string;
  readonly data: string;
  readonly id: string | undefined;
}

/** Bounds one line, so a broken or hostile stream cannot grow the buffer without end. */
export const MAX_SSE_LINE_CHARS = 1_000_000;

export class SseParser {
  #buffer = '';
  /** A chunk ended in CR: if the next starts with LF, that LF belongs to the same line break. */
  #pendingCr = false;
  #type = '';
  #data: string[] = [];
  #id: string | undefined;
  readonly #onEvent: (event: SseEvent) => void;
  /** Called for comment lines (the server's keep-alive pings), so a reader knows the stream is alive. */
  readonly #onComment: (() => void) | undefined;

  constructor(onEvent: (event: SseEvent) => void, onComment?: () => void) {
    this.#onEvent = onEvent;
    this.#onComment = onComment;
  }

  /** Feeds decoded text, in chunks of any size. */
  push(chunk: string): void {
    let text = chunk;
    if (this.#pendingCr && text.startsWith('\n')) text = text.slice(1);
    this.#pendingCr = false;
    this.#buffer += text;
    let start = 0;
    for (;;) {
      const cr = this.#buffer.indexOf('\r', start);
      const lf = this.#buffer.indexOf('\n', start);
      const end = cr === -1 ? lf : lf === -1 ? cr : Math.min(cr, lf);
      if (end === -1) break;
      this.#line(this.#buffer.slice(start, end));
      const crlf = this.#buffer[end] === '\r' && this.#buffer[end + 1] === '\n';
      // A CR at the very end of the chunk may be the first half of a CRLF split across chunks.
      if (this.#buffer[end] === '\r' && end + 1 === this.#buffer.length) this.#pendingCr = true;
      start = end + (crlf ? 2 : 1);
    }
    this.#buffer = this.#buffer.slice(start);
    if (this.#buffer.length > MAX_SSE_LINE_CHARS) throw new Error('event stream line too long');
  }

  #line(line: string): void {
    if (line === '') return this.#dispatch();
    if (line.startsWith(':')) return this.#onComment?.();
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    switch (field) {
      case 'event':
        this.#type = value;
        break;
      case 'data':
        this.#data.push(value);
        break;
      case 'id':
        if (!value.includes('\0')) this.#id = value;
        break;
      default:
        // `retry` and unknown fields: we reconnect on our own schedule.
        break;
    }
  }

  #dispatch(): void {
    const type = this.#type || 'message';
    const data = this.#data;
    this.#type = '';
    this.#data = [];
    // The standard drops an event with no data lines.
    if (data.length === 0) return;
    this.#onEvent({ type, data: data.join('\n'), id: this.#id });
  }
}
