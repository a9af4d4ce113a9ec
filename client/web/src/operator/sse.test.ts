import { describe, expect, it } from 'vitest';
import { SseParser, type SseEvent } from './sse.js';

function parseAll(chunks: string[]): { events: SseEvent[]; comments: number } {
  const events: SseEvent[] = [];
  let comments = 0;
  const parser = new SseParser(
    (event) => events.push(event),
    () => comments++,
  );
  for (const chunk of chunks) parser.push(chunk);
  return { events, comments };
}

const STREAM = 'event: envelope\ndata: {"seq":1}\n\n: ping\n\nevent: acked\ndata: {"messageId":"x"}\n\n';

describe('SseParser', () => {
  it('splits named events and counts keep-alive comments', () => {
    const { events, comments } = parseAll([STREAM]);
    expect(events).toEqual([
      { type: 'envelope', data: '{"seq":1}', id: undefined },
      { type: 'acked', data: '{"messageId":"x"}', id: undefined },
    ]);
    expect(comments).toBe(1);
  });

  it('gives the same events however the bytes are cut into chunks', () => {
    const whole = parseAll([STREAM]).events;
    for (let size = 1; size < STREAM.length; size++) {
      const chunks: string[] = [];
      for (let at = 0; at < STREAM.length; at += size) chunks.push(STREAM.slice(at, at + size));
      expect(parseAll(chunks).events).toEqual(whole);
    }
  });

  it('accepts CRLF and lone CR line ends, including a CRLF split between chunks', () => {
    const crlf = STREAM.replace(/\n/g, '\r\n');
    const cr = STREAM.replace(/\n/g, '\r');
    const whole = parseAll([STREAM]).events;
    expect(parseAll([crlf]).events).toEqual(whole);
    expect(parseAll([cr]).events).toEqual(whole);
    const split = crlf.indexOf('\r\n') + 1;
    expect(parseAll([crlf.slice(0, split), crlf.slice(split)]).events).toEqual(whole);
  });

  it('joins several data lines with a line feed and defaults the type to "message"', () => {
    expect(parseAll(['data: a\ndata:b\nid: 7\n\n']).events).toEqual([{ type: 'message', data: 'a\nb', id: '7' }]);
  });

  it('drops an event with no data and does not dispatch an unfinished one', () => {
    expect(parseAll(['event: envelope\n\n', 'event: acked\ndata: {}\n']).events).toEqual([]);
  });

  it('refuses a line that never ends', () => {
    const parser = new SseParser(() => {});
    expect(() => parser.push('data: ' + 'x'.repeat(1_000_001))).toThrow(/too long/);
  });
});
