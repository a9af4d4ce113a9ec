/** Bytes as spaced hex, cut after MAX_BYTES_SHOWN with a count of the rest: the X-ray's way of showing any byte string. */
import { byteCount, MAX_BYTES_SHOWN, spacedHex } from './format.js';

/**
 * The block scrolls when the bytes are many (it keeps the verdict on screen), so it is a named,
 * focusable region: a keyboard user can tab to it and scroll it with the arrow keys, and a screen
 * reader says what the bytes are (axe's scrollable-region-focusable rule).
 */
export function Bytes({ bytes, label, testId }: { readonly bytes: Uint8Array; readonly label: string; readonly testId?: string }) {
  const shown = bytes.subarray(0, MAX_BYTES_SHOWN);
  const rest = bytes.length - shown.length;
  return (
    <p className="bytes mono" data-testid={testId} role="region" aria-label={label} tabIndex={0}>
      {spacedHex(shown)}
      {rest > 0 && <span className="muted"> … and {byteCount(rest)} more</span>}
    </p>
  );
}
