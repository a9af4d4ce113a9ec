/**
 * Serves the built web app (dist/web) beside the API. Hashed files under
 * /assets/ never change, so browsers may keep them for a year; index.html is
 * never cached, so a rebuilt app is picked up on the next load. Every GET of an
 * app route (`/`, `/operator`, anything that is not the API and not a file)
 * answers index.html, and the app routes itself.
 */
import express, { Router } from 'express';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const ASSET_MAX_AGE = '1y';
/** Paths the app never owns: the API (its 404s stay problem JSON) and the health check. */
const NOT_APP = /^\/(api|healthz)(\/|$)/;
/** The last path segment has an extension: a file request, not an app route. */
const FILE_LIKE = /\.[A-Za-z0-9]+$/;

export const NOT_BUILT_HINT =
  'Envelope relay server. The web app is not built: run `npm start` (it builds the app first) or `npm run build`.\n' +
  'The API is here, and the command-line client works (npm run cli).\n';

export function webApp(webDir: string): Router {
  const router = Router();
  const index = join(webDir, 'index.html');
  router.use('/assets', express.static(join(webDir, 'assets'), { immutable: true, maxAge: ASSET_MAX_AGE, index: false, fallthrough: true }));
  router.use(express.static(webDir, { index: false, fallthrough: true }));
  router.get(/.*/, (req, res, next) => {
    if (NOT_APP.test(req.path) || FILE_LIKE.test(req.path)) return next();
    // Checked per request (it is one stat): a build finished after start-up is served at once.
    if (!existsSync(index)) return res.type('text/plain').send(NOT_BUILT_HINT);
    res.set('cache-control', 'no-cache');
    res.sendFile(index);
  });
  return router;
}
