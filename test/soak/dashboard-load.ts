import { cannon, otherStatuses } from './cannon';
import { seededDb } from './fixtures';
import { startServer } from './processes';
import { infoRow, maxRow, zeroRow, type SoakRow } from './report';
import { send, signIn } from './session';

const PART = '5 dashboard load';
const CONNECTIONS = 200;
const P99_MS = 200;

/**
 * Part 5: 200 connections on the dashboard for `seconds`, each with the signed-in approver's
 * session cookie: p99 ≤ 200 ms, no error (a 303 to /login is a non-2xx error).
 */
export async function dashboardLoad(dir: string, seconds: number): Promise<SoakRow[]> {
  const db = await seededDb(dir, 'dashboard.db');
  const server = await startServer(db);
  try {
    const client = await signIn(server.base);
    const headers = { cookie: client.cookie };
    const first = await send(client, '/');
    await first.arrayBuffer();
    if (first.status !== 200) throw new Error(`GET / signed in: ${first.status}`);
    await cannon({ url: `${server.base}/`, headers, connections: 1, amount: 20 });
    const r = await cannon({
      url: `${server.base}/`,
      headers,
      connections: CONNECTIONS,
      duration: seconds,
      timeout: 10,
    });
    return [
      infoRow(
        PART,
        `GET /, ${CONNECTIONS} connections for ${seconds} s`,
        `${r.requests.total} req`,
        `${(r.requests.total / r.duration).toFixed(0)} req/s`,
      ),
      zeroRow(
        PART,
        'errors, timeouts and non-2xx',
        r.errors + r.non2xx,
        [r.timeouts ? `${r.timeouts} timeouts` : '', otherStatuses(r)].filter(Boolean).join(', ') ||
          undefined,
      ),
      maxRow(
        PART,
        'latency p99',
        r.latency.p99,
        P99_MS,
        'ms',
        `p50 ${r.latency.p50} ms, max ${r.latency.max} ms`,
      ),
    ];
  } finally {
    await server.stop();
  }
}
