import { Dec } from '../../src/domain/decimal';
import {
  compileSystem,
  defaultEvaluationSystem,
  scoreProject,
  scoreTotals,
  type BatchItem,
  type IndicatorValue,
} from '../../src/domain/evaluation';
import { medianMs, type BenchRow } from './stats';

const PROJECTS = 1000;

/** 1,000 projects' indicator data and one scenario's metrics each, varied but deterministic. */
function items(): BatchItem[] {
  const c = compileSystem(defaultEvaluationSystem());
  return Array.from({ length: PROJECTS }, (_, i) => {
    const data = new Map<string, IndicatorValue>();
    c.leaves.forEach((l, j) => {
      if (l.metric !== null || (i + j) % 7 === 0) return; // some data missing
      data.set(l.node.code, l.scale === null ? (i + j) % 2 === 0 : new Dec((i * 13 + j * 7) % 101));
    });
    const r = (k: number) => new Dec((i * k) % 300).div(1000);
    return {
      indicatorData: data,
      metrics: {
        vfmIndex: r(3),
        bondCoverage: new Dec(100 + ((i * 11) % 100)).div(100),
        equityIrr: r(7),
        fiscalBurden: r(5),
      },
    };
  });
}

/**
 * `npm run bench` (evaluation): scoring 1,000 projects under the default system (30 indicators),
 * pure domain work over data already loaded and metrics already computed (no store reads, no
 * engine runs): the batch totals, and the full breakdown per project.
 */
export async function benchEvaluation(): Promise<BenchRow[]> {
  const system = defaultEvaluationSystem();
  const all = items();
  const compiled = compileSystem(system);
  const totals = medianMs(() => scoreTotals(compiled, all), 11, 3);
  const full = medianMs(
    () => all.forEach((p) => scoreProject(compiled, p.indicatorData, p.metrics)),
    11,
    3,
  );
  return Promise.resolve([
    {
      name: 'score 1,000 projects, totals (scoreTotals, ≤ 200 ms)',
      median: totals.toFixed(1),
      unit: 'ms',
    },
    {
      name: 'score 1,000 projects with breakdown (scoreProject each)',
      median: full.toFixed(1),
      unit: 'ms',
    },
  ]);
}
