import path from 'node:path';
import zlib from 'node:zlib';
import compression from 'compression';
import express from 'express';

/**
 * The built client: compressed on the way out (brotli or gzip, whichever the browser takes),
 * hashed assets cached for a year, the page and the service worker always asked again.
 *
 * `compression` compresses as it sends: one well-kept middleware for every answer (the page,
 * the assets, the API's JSON), nothing extra to build or keep in step with the build. Socket.IO
 * answers its own requests before Express sees them and compresses those itself.
 */
export function clientFiles(dist: string): express.Router {
  const router = express.Router();
  // Brotli at quality 5: as fast as the default 4 and about 6% smaller than gzip on our chunks.
  router.use(compression({ brotli: { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 5 } } }));
  router.use(
    express.static(dist, {
      index: false,
      setHeaders(res, filePath) {
        // Hashed assets never change; the service worker and the shell must always be fresh.
        if (filePath.includes(`${path.sep}assets${path.sep}`)) res.setHeader('Cache-Control', 'public, max-age=31536000, immutable');
        else res.setHeader('Cache-Control', 'no-cache');
      },
    }),
  );
  // A hashed file that is not here (an older or newer build's) is a 404, never the page: a page
  // answered for a script would be kept by the service worker's asset cache and break the
  // screen that needs it until the cache is cleared.
  router.get(/^\/assets\//, (_req, res) => {
    res.setHeader('Cache-Control', 'no-store');
    res.status(404).type('text/plain').send('Not found');
  });
  // Every other path is a screen of the single-page app.
  router.get(/^(?!\/api\/|\/socket\.io\/).*/, (_req, res) => {
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile(path.join(dist, 'index.html'));
  });
  return router;
}
