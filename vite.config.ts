/**
 * The web app's build (client/web → dist/web). `npm start` runs this build
 * itself when dist/web is missing or older than its sources (server/web/);
 * `npm run dev` serves the same app with hot reload, proxying the API to a
 * server on PORT (default 3000).
 */
import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const apiPort = process.env.PORT || '3000';

export default defineConfig({
  root: fileURLToPath(new URL('./client/web', import.meta.url)),
  plugins: [react()],
  build: {
    outDir: fileURLToPath(new URL('./dist/web', import.meta.url)),
    emptyOutDir: true,
    // libsodium (with its WebAssembly inlined) is one large chunk by design: it loads after first paint.
    chunkSizeWarningLimit: 2000,
  },
  server: {
    proxy: {
      '/api': { target: `http://127.0.0.1:${apiPort}`, ws: true },
      '/healthz': `http://127.0.0.1:${apiPort}`,
    },
  },
});
