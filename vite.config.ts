/**
 * The web app's build (client/web → dist/web). `npm start` runs this build
 * itself when dist/web is missing or older than its sources (server/web/);
 * `npm run dev` serves the same app with hot reload, proxying the API to a
 * server on PORT (default 3000).
 */
import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';
import { precompressDir } from './server/web/precompress.js';

const apiPort = process.env.PORT || '3000';
const outDir = fileURLToPath(new URL('./dist/web', import.meta.url));

/** Brotli and gzip copies of the built files, which the server sends to browsers that accept them (server/web/static.ts). */
function precompress(): Plugin {
  return { name: 'envelope-precompress', apply: 'build', closeBundle: () => void precompressDir(outDir) };
}

export default defineConfig({
  root: fileURLToPath(new URL('./client/web', import.meta.url)),
  plugins: [react(), precompress()],
  build: {
    outDir,
    emptyOutDir: true,
    // libsodium (with its WebAssembly inlined) makes the client-core chunk large by design; only the classroom loads it.
    chunkSizeWarningLimit: 2000,
    rolldownOptions: {
      // The shared packages run nothing when imported (libsodium loads on the first cryptoReady()), so a
      // page that uses only their constants, schemas and byte helpers leaves the rest, libsodium included, out.
      treeshake: {
        // The same for the scenario, whose page reads only its parameter table: the runner, the server's detectors and
        // Vega (the briefing's charts) stay in the page's Web Worker.
        moduleSideEffects: [
          { test: /\/shared\/(crypto-public|crypto|client|protocol)\/[^/]+\.ts$/, sideEffects: false },
          { test: /\/shared\/scenario\/.+\.ts$/, sideEffects: false },
        ],
      },
      output: {
        // The decrypting code and libsodium in one chunk of their own. Without this, Rolldown merged the
        // classroom's client core into a chunk the operator page shares (for the dialog), so the server's view
        // loaded the crypto. backoff.ts is left out: the operator's live stream uses it to retry.
        codeSplitting: {
          includeDependenciesRecursively: false,
          groups: [{ name: 'client-core', test: /\/shared\/(crypto|client)\/(?!backoff\.ts)|\/node_modules\/libsodium/ }],
        },
      },
    },
  },
  // The scenario page's Web Worker (client/web/src/scenario/scenario-worker.ts) is an ES module, like the pages: it
  // is started with { type: 'module' }, and the briefing's charts load in it on demand (a chunk only ES workers can split).
  worker: { format: 'es' },
  server: {
    proxy: {
      '/api': { target: `http://127.0.0.1:${apiPort}`, ws: true },
      '/healthz': `http://127.0.0.1:${apiPort}`,
    },
  },
});
