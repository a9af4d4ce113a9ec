/**
 * The text frames one connection is sent in one turn of the event loop,
 * written to its TCP socket in one piece at the end of the turn.
 *
 * The relay sends two frames per envelope (`stored` to its sender, `message`
 * to its recipient); through ws's send() each one cost an options object, a
 * header Buffer, two buffered writes and two chunks in the socket's writev
 * (measured: bench/NOTES.md, 5 December 2026). Here a turn's frames are framed
 * into one Buffer and written once.
 *
 * The framing is RFC 6455 §5.2 for what a server sends: FIN set, opcode 1
 * (text), no mask (§5.1: a server must not mask), the payload length in 7 bits,
 * or 126 and 16 bits, or 127 and 64 bits. ws itself still writes its own
 * control frames (ping, pong, close) to the same socket, whole frames between
 * these whole writes; `flush` must run before a close frame, so nothing is sent
 * after it (callers close through `close` below).
 */
import type { Writable } from 'node:stream';

/** Bytes of a server frame's header for a payload of `length` bytes. */
export function frameHeaderBytes(length: number): number {
  return length < 126 ? 2 : length < 0x1_0000 ? 4 : 10;
}

const FIN_TEXT = 0x81;

/** Writes the header of an unmasked, final text frame of `length` bytes at `offset`; returns the offset after it. */
export function writeFrameHeader(out: Buffer, offset: number, length: number): number {
  out[offset] = FIN_TEXT;
  if (length < 126) {
    out[offset + 1] = length;
    return offset + 2;
  }
  if (length < 0x1_0000) {
    out[offset + 1] = 126;
    out.writeUInt16BE(length, offset + 2);
    return offset + 4;
  }
  out[offset + 1] = 127;
  out.writeUInt32BE(Math.floor(length / 0x1_0000_0000), offset + 2);
  out.writeUInt32BE(length >>> 0, offset + 6);
  return offset + 10;
}

/** `frames` as text frames, one after the other, in one Buffer. */
export function frameAll(frames: readonly string[]): Buffer {
  const lengths = new Array<number>(frames.length);
  let total = 0;
  for (let i = 0; i < frames.length; i++) {
    const length = Buffer.byteLength(frames[i]!);
    lengths[i] = length;
    total += frameHeaderBytes(length) + length;
  }
  const out = Buffer.allocUnsafe(total);
  let offset = 0;
  for (let i = 0; i < frames.length; i++) {
    offset = writeFrameHeader(out, offset, lengths[i]!);
    offset += out.write(frames[i]!, offset, 'utf8');
  }
  return out;
}

export class FrameBatch {
  private frames: string[] = [];

  /** `open`: whether the WebSocket may still send data frames (no close frame sent or received). */
  constructor(
    private readonly tcp: Writable,
    private readonly open: () => boolean,
  ) {}

  /** Queues a text frame; the first of a turn schedules the write. */
  add(json: string): void {
    if (this.frames.push(json) === 1) setImmediate(() => this.flush());
  }

  /** Writes what is queued now (at the end of the turn, and before the socket is closed). */
  flush(): void {
    if (this.frames.length === 0) return;
    const frames = this.frames;
    this.frames = [];
    if (this.open()) this.tcp.write(frameAll(frames));
  }
}
