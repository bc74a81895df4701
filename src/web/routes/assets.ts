import { open } from '../middleware/access';
import express, { Router } from 'express';
import type { WebPaths } from '../paths';

/**
 * Static files: the app's CSS and scripts, and chart.js straight from node_modules (served
 * from this machine: users sit in closed networks without CDN access).
 */
export function assetRoutes(paths: WebPaths): Router {
  const router = Router();
  const options = { maxAge: '1h', fallthrough: false, index: false as const };
  router.get('/static/vendor/chart.umd.min.js', open, (_req, res, next) => {
    res.sendFile(
      paths.chartJs,
      { maxAge: '7d', headers: { 'Content-Type': 'text/javascript; charset=utf-8' } },
      (err) => err && next(err),
    );
  });
  router.use('/static', open, express.static(paths.publicDir, options));
  return router;
}
