import fs from 'node:fs';
import path from 'node:path';
import { startServer } from './processes';
import { send, signIn, type Client } from './session';

/**
 * A database file the server created, migrated and seeded with the demo portfolio, after `setup`
 * ran against it as the signed-in demo approver; the server is stopped cleanly, so the file is whole (no -wal left).
 */
export async function seededDb(
  dir: string,
  name: string,
  setup?: (client: Client) => Promise<void>,
): Promise<string> {
  const db = path.join(dir, name);
  const server = await startServer(db);
  try {
    if (setup) await setup(await signIn(server.base));
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

/** GET a JSON answer (200 expected; a 401 is a failure). */
export async function getJson<T>(client: Client, url: string): Promise<T> {
  const res = await send(client, url);
  if (res.status !== 200) throw new Error(`GET ${url}: ${res.status}`);
  return (await res.json()) as T;
}

/** Ids of the demo portfolio's scenarios, in the order the API lists them. */
export async function scenarioIds(client: Client): Promise<number[]> {
  const { projects } = await getJson<{ projects: Array<{ code: string }> }>(
    client,
    '/api/v1/projects',
  );
  const ids: number[] = [];
  for (const p of projects) {
    const { scenarios } = await getJson<{ scenarios: Array<{ id: number }> }>(
      client,
      `/api/v1/projects/${encodeURIComponent(p.code)}/scenarios`,
    );
    ids.push(...scenarios.map((s) => s.id));
  }
  return ids;
}

/**
 * Where `/fiscal` leads (it redirects to the default portfolio's fiscal page); a redirect to the
 * sign-in form is a failure.
 */
export async function fiscalPath(client: Client): Promise<string> {
  const res = await send(client, '/fiscal');
  await res.arrayBuffer();
  const to = res.headers.get('location');
  if (res.status >= 300 && res.status < 400 && to) {
    const where = new URL(to, client.base).pathname;
    if (where === '/login') throw new Error('GET /fiscal: redirected to /login (not signed in)');
    return where;
  }
  if (res.status !== 200) throw new Error(`GET /fiscal: ${res.status}`);
  return '/fiscal';
}
