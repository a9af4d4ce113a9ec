/** Bytes as spaced hex, cut after MAX_BYTES_SHOWN with a count of the rest: the X-ray's way of showing any byte string. */
import { byteCount, MAX_BYTES_SHOWN, spacedHex } from './format.js';

export function Bytes({ bytes, testId }: { readonly bytes: Uint8Array; readonly testId?: string }) {
  const shown = bytes.subarray(0, MAX_BYTES_SHOWN);
  const rest = bytes.length - shown.length;
  return (
    <p className="bytes mono" data-testid={testId}>
      {spacedHex(shown)}
      {rest > 0 && <span className="muted"> … and {byteCount(rest)} more</span>}
    </p>
  );
}
