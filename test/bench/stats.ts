/** One figure reported by `npm run bench`. */
export interface BenchRow {
  name: string;
  median: string;
  unit: string;
  note?: string;
}

/** Median of the timings (ms) of `runs` calls of `fn`, after `warmup` untimed calls. */
export function medianMs(fn: () => void, runs: number, warmup = Math.min(20, runs)): number {
  for (let i = 0; i < warmup; i++) fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = process.hrtime.bigint();
    fn();
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)] as number;
}
