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
    // libsodium (with its WebAssembly inlined) is one large chunk by design: it loads after first paint.
    chunkSizeWarningLimit: 2000,
    rolldownOptions: {
      treeshake: {
        moduleSideEffects: [{ test: /\/shared\/(crypto-public|crypto|client|protocol)\/[^/]+\.ts$/, sideEffects: false }],
      },
      output: {
        codeSplitting: {
          includeDependenciesRecursively: false,
          groups: [{ name: 'client-core', test: /\/shared\/(crypto|client)\/(?!backoff\.ts)|\/node_modules\/libsodium/ }],
        },
      },
    },
  },
  server: {
    proxy: {
      '/api': { target: `http://127.0.0.1:${apiPort}`, ws: true },
      '/healthz': `http://127.0.0.1:${apiPort}`,
    },
  },
});
