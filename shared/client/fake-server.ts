/**
 * The HTTP half of a server, in memory, for tests of EnvelopeClient: it
 * answers the requests of shared/protocol/http.ts with well-formed bodies and
 * keeps bundles in a TestDirectory. It checks no signatures (the real server's
 * own tests do); pair it with fake-websocket.ts for the relay half. Not used by
 * the product itself.
 */
import { toBase64Url } from '../crypto/bytes.js';
import { PreKeyUploadSchema, RegisterRequestSchema, type RegisterRequest } from '../protocol/http.js';
import type { DeviceId, Username } from '../protocol/ids.js';
import type { FetchLike } from './server-api.js';
import { TestDirectory } from './testing.js';

export interface FakeHttpServer {
  readonly fetch: FetchLike;
  readonly directory: TestDirectory;
  /** Every request, as "METHOD /path". */
  readonly requests: string[];
  /** Answer the next requests to a path with this status and problem code (once each). */
  failNext(path: string, status: number, code: string): void;
  /** Tokens issued so far. */
  readonly tokens: string[];
  /** Prekey uploads received (PUT /api/keys bodies). */
  readonly uploads: unknown[];
  /** Deletes an account, so its name can be registered again (a reinstall, as a key change test needs). */
  forget(username: string): void;
}

export function fakeHttpServer(now: () => number = Date.now): FakeHttpServer {
  const directory = new TestDirectory();
  const requests: string[] = [];
  const tokens: string[] = [];
  const uploads: unknown[] = [];
  const failures = new Map<string, { status: number; code: string }[]>();
  const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
  const problem = (status: number, code: string) => json(status, { type: 'about:blank', title: code, status, code });
  const grant = (username: string) => {
    const token = `token-${tokens.length}-${'x'.repeat(16)}`;
    tokens.push(token);
    return { username, deviceId: 1, token, expiresAt: now() + 3_600_000 };
  };

  const fetch: FetchLike = async (input, init) => {
    const url = new URL(input);
    const method = init?.method ?? 'GET';
    requests.push(`${method} ${url.pathname}`);
    const failure = failures.get(url.pathname)?.shift();
    if (failure) return problem(failure.status, failure.code);
    const body = typeof init?.body === 'string' ? (JSON.parse(init.body) as unknown) : undefined;
    if (method === 'POST' && url.pathname === '/api/auth/challenge') {
      const challenge = new Uint8Array(32);
      globalThis.crypto.getRandomValues(challenge);
      return json(200, { challenge: toBase64Url(challenge), expiresAt: now() + 60_000 });
    }
    if (method === 'POST' && url.pathname === '/api/accounts') {
      const request = RegisterRequestSchema.parse(body);
      if (directory.has(request.username)) return problem(409, 'USERNAME_TAKEN');
      const wire = body as RegisterRequest;
      directory.publish(request.username, 1 as DeviceId, {
        identityKey: wire.identityKey,
        signedPreKey: wire.signedPreKey,
        oneTimePreKeys: wire.oneTimePreKeys,
        kemPreKeys: wire.kemPreKeys,
      });
      return json(201, grant(request.username));
    }
    if (method === 'POST' && url.pathname === '/api/auth/session') {
      const { username } = body as { username: string };
      return directory.has(username) ? json(200, grant(username)) : problem(401, 'UNAUTHORIZED');
    }
    const bearer = init?.headers && (init.headers as Record<string, string>).authorization;
    if (!bearer || !tokens.includes(bearer.replace('Bearer ', ''))) return problem(401, 'UNAUTHORIZED');
    const bundle = url.pathname.match(/^\/api\/accounts\/([^/]+)\/bundle$/);
    if (method === 'GET' && bundle) {
      const username = decodeURIComponent(bundle[1]!) as Username;
      return directory.has(username) ? json(200, directory.wireBundle(username)) : problem(404, 'NOT_FOUND');
    }
    if (url.pathname === '/api/keys') {
      if (method === 'PUT') uploads.push(PreKeyUploadSchema.parse(body) && body);
      return json(200, { oneTimePreKeys: 100, kemPreKeys: 20, low: false });
    }
    return problem(404, 'NOT_FOUND');
  };

  return {
    fetch,
    directory,
    requests,
    tokens,
    uploads,
    forget: (username) => directory.remove(username as Username, 1 as DeviceId),
    failNext: (path, status, code) => failures.set(path, [...(failures.get(path) ?? []), { status, code }]),
  };
}
