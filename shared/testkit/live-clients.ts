/**
 * Real clients against a real server in process, for the client core's tests:
 * `liveClients()` starts servers and opens clients, and closes all of them
 * after each test of the file that called it.
 */
import { afterEach } from 'vitest';
import { EnvelopeClient, type EnvelopeClientOptions } from '@envelope/client-core';
import { PATIENCE_MS, startInProcess } from './harness.js';

export type InProcessServer = Awaited<ReturnType<typeof startInProcess>>;

/** Reconnects within a fraction of a second: tests cut and restore connections on purpose. */
export const FAST_BACKOFF = { initialMs: 50, maxMs: 200, minMs: 10 };

export interface LiveClients {
  /** A fresh server (its own temporary SQLite file), closed after the test. */
  server(...options: Parameters<typeof startInProcess>): Promise<InProcessServer>;
  /** Opens a client, closed after the test; registers `name` first if given. Not connected yet (see `online`). */
  open(options: EnvelopeClientOptions, name?: string): Promise<EnvelopeClient>;
}

/** Call once at the top of a test file: it registers the clean-up after each test. */
export function liveClients(): LiveClients {
  const servers: InProcessServer[] = [];
  const clients: EnvelopeClient[] = [];
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((client) => client.close()));
    await Promise.all(servers.splice(0).map((server) => server.close()));
  });
  return {
    async server(...options) {
      const server = await startInProcess(...options);
      servers.push(server);
      return server;
    },
    async open(options, name) {
      const client = await EnvelopeClient.open(options);
      clients.push(client);
      if (name) await client.register(name);
      return client;
    },
  };
}

/** Connects `client` and resolves once it is ready (signed in, its queue flushed). */
export async function online(client: EnvelopeClient, timeoutMs = PATIENCE_MS): Promise<void> {
  const ready = client.whenReady(timeoutMs);
  client.connect();
  await ready;
}
