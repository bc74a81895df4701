import fs from 'node:fs';
import path from 'node:path';
import { startServer } from './processes';

/**
 * A database file the server created, migrated and seeded with the demo portfolio, after `setup`
 * ran against it; the server is stopped cleanly, so the file is whole (no -wal left).
 */
export async function seededDb(
  dir: string,
  name: string,
  setup?: (base: string) => Promise<void>,
): Promise<string> {
  const db = path.join(dir, name);
  const server = await startServer(db);
  try {
    if (setup) await setup(server.base);
  } finally {
    await server.stop();
  }
  for (const side of ['-wal', '-shm']) {
    const f = db + side;
    if (fs.existsSync(f) && fs.statSync(f).size > 0)
      throw new Error(`${f} is left after a clean stop`);
  }
  return db;
}

/** GET a JSON answer (200 expected). */
export async function getJson<T>(base: string, url: string): Promise<T> {
  const res = await fetch(base + url, { signal: AbortSignal.timeout(30_000) });
  if (res.status !== 200) throw new Error(`GET ${url}: ${res.status}`);
  return (await res.json()) as T;
}

/** Ids of the demo portfolio's scenarios, in the order the API lists them. */
export async function scenarioIds(base: string): Promise<number[]> {
  const { projects } = await getJson<{ projects: Array<{ code: string }> }>(
    base,
    '/api/v1/projects',
  );
  const ids: number[] = [];
  for (const p of projects) {
    const { scenarios } = await getJson<{ scenarios: Array<{ id: number }> }>(
      base,
      `/api/v1/projects/${encodeURIComponent(p.code)}/scenarios`,
    );
    ids.push(...scenarios.map((s) => s.id));
  }
  return ids;
}

/** Where `/fiscal` leads (it redirects to the default portfolio's fiscal page). */
export async function fiscalPath(base: string): Promise<string> {
  const res = await fetch(`${base}/fiscal`, {
    redirect: 'manual',
    signal: AbortSignal.timeout(30_000),
  });
  await res.arrayBuffer();
  const to = res.headers.get('location');
  if (res.status >= 300 && res.status < 400 && to) return new URL(to, base).pathname;
  if (res.status !== 200) throw new Error(`GET /fiscal: ${res.status}`);
  return '/fiscal';
}
