/**
 * Serves the built web app (dist/web) beside the API. Hashed files under
 * /assets/ never change, so browsers may keep them for a year; index.html is
 * never cached, so a rebuilt app is picked up on the next load. Every GET of an
 * app route (`/`, `/operator`, anything that is not the API and not a file)
 * answers index.html, and the app routes itself.
 *
 * The build leaves a brotli (.br) and a gzip (.gz) copy beside each asset
 * (precompress.ts); a browser that accepts one gets it, with Content-Encoding
 * saying which, and every answer for such an asset says `Vary: Accept-Encoding`
 * so no cache hands the brotli copy to a client that cannot read it. This is
 * about responses only: the server still refuses compressed request bodies.
 */
import express, { Router, type RequestHandler } from 'express';
import { existsSync } from 'node:fs';
import { extname, join, normalize, sep } from 'node:path';
import { VARIANT_SUFFIX, type Encoding } from './precompress.js';

const ASSET_MAX_AGE = '1y';
/** Paths the app never owns: the API (its 404s stay problem JSON) and the health check. */
const NOT_APP = /^\/(api|healthz)(\/|$)/;
/** The last path segment has an extension: a file request, not an app route. */
const FILE_LIKE = /\.[A-Za-z0-9]+$/;

export const NOT_BUILT_HINT =
  'Envelope relay server. The web app is not built: run `npm start` (it builds the app first) or `npm run build`.\n' +
  'The API is here, and the command-line client works (npm run cli).\n';

/** Best first: brotli is 15-20% smaller than gzip on this app's scripts. */
const PREFERRED_ENCODINGS: readonly Encoding[] = ['br', 'gzip'];

/** Sends the precompressed copy of an asset the browser accepts; otherwise marks the answer as varying and moves on. */
function precompressedAssets(assetsDir: string): RequestHandler {
  return (req, res, next) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    let path: string;
    try {
      path = normalize(join(assetsDir, decodeURIComponent(req.path)));
    } catch {
      return next(); // a malformed escape: express.static answers it
    }
    if (!path.startsWith(assetsDir + sep) || !existsSync(path)) return next();
    const available = PREFERRED_ENCODINGS.filter((encoding) => existsSync(path + VARIANT_SUFFIX[encoding]));
    if (available.length === 0) return next();
    res.vary('Accept-Encoding');
    // Our preference among those the browser accepts (express's negotiator honours q-values: `br;q=0` refuses).
    const chosen = available.find((encoding) => req.acceptsEncodings(encoding) === encoding);
    if (!chosen) return next();
    res.type(extname(path));
    res.set('content-encoding', chosen);
    res.sendFile(path + VARIANT_SUFFIX[chosen], { immutable: true, maxAge: ASSET_MAX_AGE }, (error) => {
      // E.g. a rebuild removed the copy since the check: the plain file (or a 404) answers instead.
      if (!error || res.headersSent) return;
      res.removeHeader('content-encoding');
      next();
    });
  };
}

export function webApp(webDir: string): Router {
  const router = Router();
  const index = join(webDir, 'index.html');
  router.use('/assets', precompressedAssets(join(webDir, 'assets')));
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
