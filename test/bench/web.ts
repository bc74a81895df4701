import { fork } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { BenchRow } from './stats';

/** The part of autocannon's result this benchmark reads (the package ships no types). */
interface CannonResult {
  requests: { average: number; total: number };
  latency: { p50: number; p99: number; max: number };
  errors: number;
  timeouts: number;
  non2xx: number;
}
type Cannon = (opts: Record<string, unknown>) => Promise<CannonResult>;

const CONNECTIONS = 50;
const DURATION_S = 10;

/**
 * Load test of the two busiest pages with the demo portfolio loaded: the dashboard and the
 * results page with the longest ledger, 50 concurrent connections for 10 s each, against a
 * server in its own process. Targets (issue): p99 ≤ 100 ms and ≥ 500 requests/s on 2 cores.
 * A third, shorter run defeats the page cache (a new query string per request) to show what a
 * full render costs.
 */
export async function benchWeb(): Promise<BenchRow[]> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const autocannon = require('autocannon') as Cannon;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fundmix-bench-web-'));
  const server = fork(path.join(__dirname, 'web-server.js'), [path.join(dir, 'bench.db')], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  try {
    const info = await new Promise<{ port: number; scenarioId: number; years: number }>(
      (resolve, reject) => {
        server.once('message', (m) =>
          resolve(m as { port: number; scenarioId: number; years: number }),
        );
        server.once('exit', (code) => reject(new Error(`the bench server exited (${code})`)));
      },
    );
    const base = `http://127.0.0.1:${info.port}`;
    const pages: Array<[string, string]> = [
      ['dashboard GET /', '/'],
      [
        `results GET /scenarios/${info.scenarioId} (${info.years}-year ledger)`,
        `/scenarios/${info.scenarioId}`,
      ],
    ];
    const rows: BenchRow[] = [];
    for (const [name, url] of pages) {
      // Warm-up: the first request computes and caches what the page needs.
      await autocannon({ url: base + url, connections: 1, amount: 20 });
      const r = await autocannon({
        url: base + url,
        connections: CONNECTIONS,
        duration: DURATION_S,
      });
      const failed = r.errors + r.timeouts + r.non2xx;
      rows.push(
        {
          name: `web ${name}, ${CONNECTIONS} connections: throughput`,
          median: r.requests.average.toFixed(0),
          unit: 'req/s',
          note: `target ≥ 500${failed ? `; ${failed} failed` : ''}`,
        },
        {
          name: `web ${name}, ${CONNECTIONS} connections: p99 latency`,
          median: String(r.latency.p99),
          unit: 'ms',
          note: `target ≤ 100; p50 ${r.latency.p50} ms, max ${r.latency.max} ms`,
        },
      );
    }
    let n = 0;
    const cold = await autocannon({
      url: base,
      connections: 10,
      duration: 5,
      requests: [
        {
          setupRequest: (req: Record<string, unknown>) => ({
            ...req,
            path: `/scenarios/${info.scenarioId}?nocache=${n++}`,
          }),
        },
      ],
    });
    rows.push({
      name: `web results page rendered every time (cache defeated), 10 connections: throughput`,
      median: cold.requests.average.toFixed(0),
      unit: 'req/s',
      note: `p50 ${cold.latency.p50} ms, p99 ${cold.latency.p99} ms; no target, for reference`,
    });
    return rows;
  } finally {
    server.disconnect();
    await new Promise((resolve) => server.once('exit', resolve));
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
