import type { AppliedSystem, ProjectEvaluationData, SystemVersionMeta } from '../../app/evaluation';
import type { ProjectEvaluation } from '../../app/evaluation-scores';

/** What the API says of the system applied (without the tree). */
function systemMeta(a: AppliedSystem) {
  return {
    jurisdiction: a.jurisdiction,
    source: a.source,
    versionNo: a.versionNo,
    savedAt: a.savedAt,
    author: a.author,
  };
}

/** GET/PUT /api/v1/jurisdictions/:name/evaluation-system. */
export function systemJson(s: AppliedSystem & { versions: SystemVersionMeta[] }) {
  return { ...systemMeta(s), comment: s.comment, system: s.system, versions: s.versions };
}

/** GET/PUT /api/v1/projects/:code/evaluation-data. */
export function evaluationDataJson(d: ProjectEvaluationData) {
  return {
    project: d.project,
    system: systemMeta(d.applied),
    indicators: d.indicators.map((i) => ({
      code: i.node.code,
      path: i.path,
      kind: i.kind,
      nameZh: i.node.nameZh,
      nameEn: i.node.nameEn,
      ...(i.node.unit ? { unit: i.node.unit } : {}),
      ...(i.node.fromActuals ? { fromActuals: i.node.fromActuals } : {}),
    })),
    data: d.current,
    historyCount: d.historyCount,
  };
}

/** GET /api/v1/projects/:code/evaluation-score: Decimals as decimal strings. */
export function projectScoreJson(e: ProjectEvaluation) {
  return JSON.parse(
    JSON.stringify({
      project: e.project,
      system: systemMeta(e.applied),
      scenario: e.scenario,
      total: e.score.total,
      basis: e.basis,
      planTotal: e.planScore?.total ?? null,
      breakdown: e.score.breakdown,
      missing: e.score.missing,
      metrics: e.metrics,
      fromActuals: e.fromActuals,
      resultError: e.resultError,
      data: e.data,
    }),
  ) as unknown;
}

/** GET /api/v1/portfolios/:id/evaluation-ranking (the CLI prints the same). */
export { rankingJson } from '../../app/evaluation-scores';
