/** The part of autocannon's result this suite reads (the package ships no types). */
export interface CannonResult {
  /** `total` is the completed requests (`average` is not filled in by aggregateResult). */
  requests: { total: number; sent: number };
  /** Seconds the run took. */
  duration: number;
  latency: { p50: number; p99: number; max: number };
  errors: number;
  timeouts: number;
  non2xx: number;
  statusCodeStats: Record<string, { count: number }>;
}

/** The options this suite passes (see node_modules/autocannon/README.md). */
export interface CannonOptions {
  url: string;
  /** Sent with every request (the session cookie). */
  headers?: Record<string, string>;
  connections: number;
  duration?: number;
  amount?: number;
  timeout?: number;
  skipAggregateResult?: boolean;
}

interface Autocannon {
  (opts: CannonOptions): Promise<CannonResult>;
  aggregateResult(
    results: CannonResult[],
    opts: { url: string; connections: number },
  ): CannonResult;
}

// eslint-disable-next-line @typescript-eslint/no-require-imports
const autocannon = require('autocannon') as Autocannon;

/** Runs one autocannon instance to its end. */
export function cannon(opts: CannonOptions): Promise<CannonResult> {
  return autocannon(opts);
}

/**
 * Several instances (e.g. one per page) run at once and merged into one set of figures (their
 * latency histograms added, so the p99 is over every request), plus each one's own figures.
 */
export async function cannonTogether(
  runs: CannonOptions[],
): Promise<{ all: CannonResult; each: CannonResult[] }> {
  const raw = await Promise.all(runs.map((o) => autocannon({ ...o, skipAggregateResult: true })));
  const connections = runs.reduce((n, o) => n + o.connections, 0);
  return {
    all: autocannon.aggregateResult(raw, { url: runs[0]!.url, connections }),
    each: raw.map((r, i) => autocannon.aggregateResult([r], runs[i]!)),
  };
}

/** Status codes other than 2xx seen, e.g. "503×12, 500×1". */
export function otherStatuses(r: CannonResult): string {
  return Object.entries(r.statusCodeStats)
    .filter(([code]) => !code.startsWith('2'))
    .map(([code, s]) => `${code}×${s.count}`)
    .join(', ');
}
