import type { LpSolver } from './optimise';

/** The part of the `highs` package's persistent API (a loaded runtime) that {@link highsSolver} uses. */
export interface HighsRuntime {
  createModel(source: { format: 'lp'; data: string }): {
    options: { set(values: Record<string, unknown>): unknown };
    info: { get(name: string): number | bigint };
    run(): { modelStatus: number };
    getSolution(): { colValue: ArrayLike<number> };
    getDimensions(): { numCols: number };
    getColName(index: number): string;
    getObjectiveValue(): number;
    dispose(): void;
  };
  constants: { modelStatus: Readonly<Record<string, number>> };
}

/** Model status codes as the one-shot solver names them (what `optimise.ts` reads). */
const STATUS_NAMES: Record<string, string> = {
  optimal: 'Optimal',
  infeasible: 'Infeasible',
  timeLimit: 'Time limit reached',
  interrupted: 'Interrupted',
};

/** An info item, or undefined where HiGHS has none for this model (e.g. a MIP bound of an LP). */
function infoOf(model: ReturnType<HighsRuntime['createModel']>, name: string): number | undefined {
  try {
    return Number(model.info.get(name));
  } catch {
    return undefined;
  }
}

/**
 * An {@link LpSolver} on HiGHS's persistent API: the same answer as the one-shot `solve`, plus the
 * branch-and-bound's proven bound (`DualBound`), so a solve stopped at its time limit reports its
 * gap to that bound without a second solve. Columns are given only when HiGHS holds a feasible
 * primal solution (`primal_solution_status` 2), as the one-shot solver does.
 */
export function highsSolver(highs: HighsRuntime): LpSolver {
  const names = new Map(
    Object.entries(highs.constants.modelStatus).map(([k, code]) => [code, STATUS_NAMES[k] ?? k]),
  );
  return {
    solve(lp, options = {}) {
      const model = highs.createModel({ format: 'lp', data: lp });
      try {
        model.options.set(options);
        const { modelStatus } = model.run();
        const Columns: Record<string, { Primal: number }> = {};
        if (infoOf(model, 'primal_solution_status') === 2) {
          const x = model.getSolution().colValue;
          const n = model.getDimensions().numCols;
          for (let i = 0; i < n; i++) Columns[model.getColName(i)] = { Primal: x[i] as number };
        }
        return {
          Status: names.get(modelStatus) ?? 'Unknown',
          ObjectiveValue: model.getObjectiveValue(),
          Columns,
          DualBound: infoOf(model, 'mip_dual_bound'),
        };
      } finally {
        model.dispose();
      }
    },
  };
}
