/**
 * Security headers on every response, pages and API alike. Six fixed headers
 * are set here rather than through helmet: each is one line whose reason is
 * beside it, they never change per request, and owning them keeps the policy
 * readable in one place (helmet's defaults would also need overriding for the
 * WebAssembly that libsodium runs).
 *
 * The policy fits the built app (client/web, built by Vite into dist/web):
 * scripts and styles are files from this origin (no inline script or style
 * element; React's `style` props set CSSOM properties, which CSP allows), and
 * libsodium compiles its WebAssembly, which needs 'wasm-unsafe-eval' (and
 * nothing looser: no 'unsafe-eval'). `npm run dev` serves the page from Vite's
 * own server, which injects inline scripts for hot reload: these headers reach
 * only the API there, so the dev page runs without a policy.
 */
import type { RequestHandler } from 'express';

export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "style-src 'self'",
  // The page's icon is an empty data: URL (index.html), so browsers fetch no favicon.
  "img-src 'self' data:",
  // 'self' covers the relay's WebSocket on the same host and port (CSP Level 3).
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  // No other site may frame the chat or the server's view (clickjacking).
  "frame-ancestors 'none'",
].join('; ');

const HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': CONTENT_SECURITY_POLICY,
  // A response is what its Content-Type says: never a script sniffed out of JSON.
  'x-content-type-options': 'nosniff',
  // frame-ancestors for browsers that predate it.
  'x-frame-options': 'DENY',
  // Addresses in this app name people (/chat/alice): never sent to another site.
  'referrer-policy': 'no-referrer',
  // A page opened from this one cannot reach back into it through window.opener.
  'cross-origin-opener-policy': 'same-origin',
  // Other sites cannot embed the API's answers as images or scripts.
  'cross-origin-resource-policy': 'same-origin',
};

export function securityHeaders(): RequestHandler {
  return (_req, res, next) => {
    res.set(HEADERS);
    next();
  };
}
