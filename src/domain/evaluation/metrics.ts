import { Dec } from '../decimal';
import type { Metrics } from '../engine/types';
import type { ActualsInput } from '../monitoring/actuals';
import type { EvaluationMetrics, EvaluationSystem, IndicatorData, IndicatorNode } from './types';

/**
 * The evaluation metrics of one scenario run (README "Evaluation index system"):
 * - `equityIrr`: the lowest solved IRR among the equity holders (the partner that gains least);
 * - `projectIrr`, `dscrMin`, `bondCoverage`: the engine's figures (null when it has none);
 * - `fiscalBurden`: government outlay over the life ÷ total investment (null at zero investment);
 * - `projectNpvYuan`: the project NPV in yuan;
 * - `vfmIndex`: given by the caller (the VfM assessment, src/domain/fiscal/vfm.ts), else absent.
 */
export function evaluationMetrics(m: Metrics, vfmIndex?: Dec | null): EvaluationMetrics {
  const irrs = m.equity.flatMap((e) => (e.irr.rate === null ? [] : [e.irr.rate]));
  const equityIrr = irrs.length === 0 ? null : Dec.min(...irrs);
  return {
    equityIrr,
    projectIrr: m.projectIrr.rate,
    dscrMin: m.dscrMin,
    bondCoverage: m.bondCoverage,
    fiscalBurden: m.totalInvestment.isZero()
      ? null
      : m.governmentOutlayTotal.div(m.totalInvestment),
    projectNpvYuan: m.projectNpv,
    ...(vfmIndex === undefined ? {} : { vfmIndex }),
  };
}

/**
 * The indicator data "with actuals": each indicator fed from an actual (`fromActuals`) takes the
 * latest recorded year's value of it (e.g. the satisfaction survey score) in place of the entered
 * one; without such an actual the entered value stays. Returns the data and the codes replaced.
 */
export function withActualsData(
  system: EvaluationSystem,
  data: IndicatorData,
  actuals: readonly ActualsInput[],
): { data: IndicatorData; fromActuals: string[] } {
  const latest = [...actuals]
    .filter((a) => a.satisfaction !== undefined)
    .sort((a, b) => b.year - a.year)[0];
  if (!latest || latest.satisfaction === undefined) return { data, fromActuals: [] };
  const out = new Map(data);
  const fed: string[] = [];
  const walk = (nodes: IndicatorNode[]): void => {
    for (const n of nodes) {
      if (n.children) walk(n.children);
      else if (n.fromActuals === 'satisfaction') {
        out.set(n.code, new Dec(latest.satisfaction as string));
        fed.push(n.code);
      }
    }
  };
  walk(system.indicators);
  return { data: out, fromActuals: fed };
}
