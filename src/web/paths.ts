import fs from 'node:fs';
import path from 'node:path';

/**
 * The repository root: the nearest folder above this file holding package.json.
 * Works both from src/web (ts-jest) and from dist/src/web (the built server).
 */
export function projectRoot(from: string = __dirname): string {
  let dir = from;
  for (;;) {
    if (fs.existsSync(path.join(dir, 'package.json'))) return dir;
    const up = path.dirname(dir);
    if (up === dir) throw new Error(`no package.json above ${from}`);
    dir = up;
  }
}

/** Where templates, static files and the vendored chart.js live. */
export interface WebPaths {
  views: string;
  publicDir: string;
  chartJs: string;
}

export function webPaths(root: string = projectRoot()): WebPaths {
  return {
    views: path.join(root, 'views'),
    // Static files are not TypeScript: they stay in src/web/public, also when running from dist.
    publicDir: path.join(root, 'src', 'web', 'public'),
    chartJs: path.join(
      path.dirname(require.resolve('chart.js', { paths: [root] })),
      'chart.umd.min.js',
    ),
  };
}
