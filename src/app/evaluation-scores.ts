import { decide, type Actor } from '../domain/access';
import { Dec } from '../domain/decimal';
import { FundMixError, NotFoundError } from '../domain/errors';
import {
  compileSystem,
  evaluationMetrics,
  scoreProject,
  withActualsData,
  type CompiledSystem,
  type EvaluationMetrics,
  type EvaluationSystem,
  type IndicatorData,
  type ProjectScore,
} from '../domain/evaluation';
import { valueForMoney } from '../domain/fiscal/vfm';
import type { ActualsInput } from '../domain/monitoring/actuals';
import { lastFinancialYear, reforecast } from '../domain/monitoring/reforecast';
import { parseScenario } from '../domain/scenario/parse';
import type { Scenario } from '../domain/scenario/schema';
import type { SimulationResult } from '../domain/engine/types';
import { reviveResult, type Store } from '../store';
import type { ScenarioVersion, StoredResult } from '../store/types';
import {
  appliedSystem,
  indicatorDataOf,
  type AppliedSystem,
  type DatumRecord,
  projectEvaluationData,
} from './evaluation';
import { authorise } from './errors';
import { pickScenario } from './monitoring';
import { portfolioResource, projectResource } from './resources';

/** The survey score taken from monitoring actuals, and the indicators it fed. */
export interface FromActuals {
  year: number;
  value: string;
  codes: string[];
}

/**
 * Which engine metrics the metric indicators were scored on (README "With actuals"): the
 * re-forecast's (actual years + plan for the rest) when the project has actuals that change the
 * run, up to `toYear`; otherwise the plan's, with why a re-forecast was refused if it was.
 */
export type MetricsBasis =
  { kind: 'reforecast'; toYear: number } | { kind: 'plan'; reforecastError: string | null };

/** One scenario's score with what fed it. */
export interface ScenarioScore {
  score: ProjectScore;
  /** The engine metrics scored (see `basis`); empty when the scenario's result failed. */
  metrics: EvaluationMetrics;
  basis: MetricsBasis;
  /** With `basis` re-forecast: the score on the plan's metrics, to show beside it; else null. */
  planScore: ProjectScore | null;
  resultError: { code: string; message: string } | null;
  fromActuals: FromActuals | null;
}

function errorOf(e: unknown): { code: string; message: string } {
  if (e instanceof FundMixError) return { code: e.code, message: e.message };
  throw e;
}

/** The evaluation metrics of a scenario's run: the engine's and the VfM index when the scenario has a public-sector comparator. */
function metricsOfRun(scenario: Scenario, result: SimulationResult): EvaluationMetrics {
  let vfmIndex: Dec | null | undefined;
  if (scenario.fiscal?.psc) {
    try {
      vfmIndex = valueForMoney(scenario, result).vfmIndex;
    } catch (e) {
      errorOf(e);
      vfmIndex = null;
    }
  }
  return evaluationMetrics(result.metrics, vfmIndex);
}

/** The metrics an evaluation scores for a scenario's run, the plan's beside them. */
interface ScoredMetrics {
  metrics: EvaluationMetrics;
  plan: EvaluationMetrics;
  basis: MetricsBasis;
}

/**
 * The one rule for every score (pages, API, CLI, optimiser; README "With actuals"): when the
 * project's current actuals record capex, opex or revenue in some year, the metric indicators
 * are scored on the re-forecast of this scenario (`reforecast`: the actual years in place of
 * the plan's lines, the rest as planned); a re-forecast the engine refuses falls back to the
 * plan, saying why. Without such actuals, on the plan's run.
 * @throws the engine's non-domain errors (a bug), never a refused re-forecast
 */
function scoredMetrics(
  scenario: Scenario,
  result: SimulationResult,
  actuals: readonly ActualsInput[],
): ScoredMetrics {
  const plan = metricsOfRun(scenario, result);
  const toYear = lastFinancialYear(actuals);
  if (toYear === null)
    return { metrics: plan, plan, basis: { kind: 'plan', reforecastError: null } };
  try {
    const r = reforecast(scenario, actuals);
    return {
      metrics: metricsOfRun(r.scenario, r.result),
      plan,
      basis: { kind: 'reforecast', toYear },
    };
  } catch (e) {
    return { metrics: plan, plan, basis: { kind: 'plan', reforecastError: errorOf(e).message } };
  }
}

/** The latest year's survey score among the project's current actuals, or null. */
function latestSurvey(actuals: readonly ActualsInput[]): { year: number; value: string } | null {
  const latest = actuals
    .filter((a) => a.satisfaction !== undefined)
    .sort((a, b) => b.year - a.year)[0];
  return latest?.satisfaction === undefined
    ? null
    : { year: latest.year, value: latest.satisfaction };
}

const NO_ACTUALS: MetricsBasis = { kind: 'plan', reforecastError: null };

/**
 * Scores one project under a compiled system: its entered data, the survey score of its latest
 * year with one from monitoring actuals in place of the entered value of each indicator fed
 * from actuals, and the engine metrics of `version` by the rule of `scoredMetrics` (the
 * re-forecast's when the project has financial actuals; none when `version` is null). No
 * permission check: callers authorise.
 */
export function scoreVersion(
  store: Store,
  compiled: CompiledSystem,
  projectId: number,
  version: { version: ScenarioVersion; stored: () => StoredResult | null } | null,
): ScenarioScore {
  const actuals = actualsOf(store, projectId);
  let scored: ScoredMetrics = { metrics: {}, plan: {}, basis: NO_ACTUALS };
  let resultError: ScenarioScore['resultError'] = null;
  if (version) {
    try {
      const stored = version.stored();
      if (stored === null) resultError = { code: 'not-cached', message: 'No result' };
      else
        scored = scoredMetrics(
          parseScenario(version.version.inputs),
          reviveResult(stored),
          actuals,
        );
    } catch (e) {
      resultError = errorOf(e);
    }
  }
  const fed = fedData(store, compiled, projectId, actuals);
  return {
    score: scoreProject(compiled, fed.data, scored.metrics),
    metrics: scored.metrics,
    basis: scored.basis,
    planScore:
      scored.basis.kind === 'reforecast' ? scoreProject(compiled, fed.data, scored.plan) : null,
    resultError,
    fromActuals: fed.fromActuals,
  };
}

/** A project's current actuals, one per year. */
function actualsOf(store: Store, projectId: number): ActualsInput[] {
  return store.actuals.current(projectId).map((r) => JSON.parse(r.data_json) as ActualsInput);
}

/** A project's entered indicator data with the survey score of its latest actuals fed in. */
function fedData(
  store: Store,
  compiled: CompiledSystem,
  projectId: number,
  actuals: readonly ActualsInput[],
): { data: IndicatorData; fromActuals: FromActuals | null } {
  const fed = withActualsData(compiled.system, indicatorDataOf(store, projectId), actuals);
  const survey = latestSurvey(actuals);
  return {
    data: fed.data,
    fromActuals:
      survey && fed.fromActuals.length > 0 ? { ...survey, codes: fed.fromActuals } : null,
  };
}

/** A project's score page and API answer. */
export interface ProjectEvaluation extends ScenarioScore {
  project: { code: string; name: string; jurisdiction: string | null };
  applied: AppliedSystem;
  /** The scenarios the actor may read, and the one scored (null when the project has none). */
  scenarios: Array<{ id: number; name: string }>;
  scenario: { id: number; name: string; versionId: number; versionNo: number } | null;
  /** The current entered values (with source, date and author). */
  data: DatumRecord[];
}

/**
 * A project's score under its jurisdiction's system, on the chosen scenario (`scenario`: an id
 * or a name; default as Monitoring: the first filed to a bureau, else the first).
 * Permission: `project.read`.
 * @throws ValidationError at `scenario` for a scenario the project has not
 */
export function projectEvaluation(
  store: Store,
  actor: Actor,
  code: string,
  opts: { scenario?: string } = {},
): ProjectEvaluation {
  authorise(actor, 'project.read', projectResource(store, code), { what: 'Project', id: code });
  const data = projectEvaluationData(store, actor, code);
  const p = store.projects.get(code);
  const hasScenario = store.scenarios.list({ projectCode: code }).length > 0;
  const picked =
    hasScenario || opts.scenario ? pickScenario(store, actor, code, opts.scenario) : null;
  const version = picked ? store.scenarios.version(picked.picked.currentVersionId) : null;
  const scored = scoreVersion(
    store,
    compileSystem(data.applied.system),
    p.id,
    version && { version, stored: () => store.results.forVersion(version.id) },
  );
  return {
    ...scored,
    project: data.project,
    applied: data.applied,
    scenarios: picked ? picked.list.map((s) => ({ id: s.id, name: s.name })) : [],
    scenario:
      picked && version
        ? {
            id: picked.picked.id,
            name: picked.picked.name,
            versionId: version.id,
            versionNo: version.versionNo,
          }
        : null,
    data: data.current,
  };
}

/** One member of a portfolio, scored on its portfolio scenario. */
export interface MemberScore extends ScenarioScore {
  projectCode: string;
  projectName: string;
  scenarioId: number;
  scenarioName: string;
  versionId: number;
  /** 1 for the highest total; equal totals share a rank. */
  rank: number;
}

/** Every member of a portfolio scored under the portfolio's jurisdiction's system. */
export interface PortfolioScores {
  portfolio: { id: number; name: string };
  applied: AppliedSystem;
  /** Highest total first; equal totals by project code. */
  members: MemberScore[];
}

/**
 * Scores each member of a portfolio on its portfolio scenario's current version, under the
 * system of the portfolio's jurisdiction (its fiscal settings', else the one its members share;
 * the defaults when none or when that jurisdiction has saved no system), ranked by total.
 * For other use cases (the optimiser gets each candidate's score from here or from
 * {@link scoreVersion}); it checks no permission: the caller has authorised `portfolio.read`.
 * @throws NotFoundError for an unknown portfolio
 */
export function scoresForPortfolio(store: Store, portfolioId: number): PortfolioScores {
  const jurisdiction = store.accounts.portfolioJurisdiction(portfolioId);
  if (jurisdiction === undefined) throw new NotFoundError('Portfolio', portfolioId);
  const view = store.portfolios.load(portfolioId);
  const applied = appliedSystem(store, jurisdiction);
  const compiled = compileSystem(applied.system);
  const scored = view.members.map((m) => ({
    projectCode: m.project.code,
    projectName: m.project.name,
    scenarioId: m.scenario.id,
    scenarioName: m.scenario.name,
    versionId: m.version.id,
    ...scoreVersion(store, compiled, m.project.id, {
      version: m.version,
      stored: () => {
        if (m.resultError) throw new FundMixError(m.resultError.code, m.resultError.message);
        return m.result;
      },
    }),
  }));
  scored.sort(
    (a, b) => b.score.total.comparedTo(a.score.total) || a.projectCode.localeCompare(b.projectCode),
  );
  let rank = 0;
  const members = scored.map((m, i) => {
    const prev = scored[i - 1];
    if (!prev || !prev.score.total.eq(m.score.total)) rank = i + 1;
    return { ...m, rank };
  });
  return { portfolio: { id: view.portfolio.id, name: view.portfolio.name }, applied, members };
}

/**
 * Scores any (project, scenario run) of a portfolio's member projects under the portfolio's
 * jurisdiction's system, with the project's entered data and the survey score of its latest
 * actuals, and the run's engine metrics by the same rule as every score (`scoredMetrics`: the
 * re-forecast of that scenario from the project's actuals when it has financial ones): what the
 * optimiser weighs for each candidate. Each project's data and actuals are read once. No
 * permission check, as {@link scoresForPortfolio}.
 * @returns the scorer: total 0–100 at 2 dp; it throws NotFoundError for a project outside the portfolio
 * @throws NotFoundError for an unknown portfolio
 */
export function portfolioScorer(
  store: Store,
  portfolioId: number,
): (projectCode: string, scenario: Scenario, result: SimulationResult) => Dec {
  const jurisdiction = store.accounts.portfolioJurisdiction(portfolioId);
  if (jurisdiction === undefined) throw new NotFoundError('Portfolio', portfolioId);
  const compiled = compileSystem(appliedSystem(store, jurisdiction).system);
  const ids = new Map(
    store.portfolios.get(portfolioId).members.map((m) => [m.projectCode, m.projectId]),
  );
  const read = new Map<string, { data: IndicatorData; actuals: ActualsInput[] }>();
  return (projectCode, scenario, result) => {
    let project = read.get(projectCode);
    if (!project) {
      const id = ids.get(projectCode);
      if (id === undefined) throw new NotFoundError('Project', projectCode);
      const actuals = actualsOf(store, id);
      project = { data: fedData(store, compiled, id, actuals).data, actuals };
      read.set(projectCode, project);
    }
    const { metrics } = scoredMetrics(scenario, result, project.actuals);
    return scoreProject(compiled, project.data, metrics).total;
  };
}

/**
 * What {@link portfolioScorer} reads of a portfolio, as plain data (it crosses to a worker thread
 * by structured clone, so no Decimal and no Map): the applied system, and for each member project
 * its entered indicator values (decimal text, or `yes` / `no`) and its current actuals.
 * @throws NotFoundError for an unknown portfolio
 */
export interface ScoringData {
  system: EvaluationSystem;
  projects: Record<string, { values: Array<[string, string]>; actuals: ActualsInput[] }>;
}

export function portfolioScoringData(store: Store, portfolioId: number): ScoringData {
  const jurisdiction = store.accounts.portfolioJurisdiction(portfolioId);
  if (jurisdiction === undefined) throw new NotFoundError('Portfolio', portfolioId);
  const projects: ScoringData['projects'] = {};
  for (const m of store.portfolios.get(portfolioId).members)
    projects[m.projectCode] = {
      values: store.evaluation
        .currentData(m.projectId)
        .flatMap((r) =>
          r.value === null ? [] : [[r.indicator_code, r.value] as [string, string]],
        ),
      actuals: actualsOf(store, m.projectId),
    };
  return { system: appliedSystem(store, jurisdiction).system, projects };
}

/**
 * The scorer of {@link portfolioScorer} from {@link ScoringData} (no store: it runs on a worker
 * thread), the same figure for the same data.
 * @throws NotFoundError for a project the data does not hold
 */
export function scorerOfData(
  d: ScoringData,
): (projectCode: string, scenario: Scenario, result: SimulationResult) => Dec {
  const compiled = compileSystem(d.system);
  const read = new Map<string, IndicatorData>();
  return (projectCode, scenario, result) => {
    const project = d.projects[projectCode];
    if (!project) throw new NotFoundError('Project', projectCode);
    let data = read.get(projectCode);
    if (!data) {
      const entered = new Map<string, Dec | boolean>(
        project.values.map(([code, v]) => [
          code,
          v === 'yes' ? true : v === 'no' ? false : new Dec(v),
        ]),
      );
      data = withActualsData(compiled.system, entered, project.actuals).data;
      read.set(projectCode, data);
    }
    const { metrics } = scoredMetrics(scenario, result, project.actuals);
    return scoreProject(compiled, data, metrics).total;
  };
}

/**
 * A portfolio's ranking by score (every member, as the portfolio lists them). Permission:
 * `portfolio.read`.
 */
export function portfolioRanking(store: Store, actor: Actor, portfolioId: number): PortfolioScores {
  authorise(actor, 'portfolio.read', portfolioResource(store, portfolioId), {
    what: 'Portfolio',
    id: portfolioId,
  });
  return scoresForPortfolio(store, portfolioId);
}

/** Whether the actor may save the jurisdiction's system (the editor is shown only then). */
export function maySaveSystem(actor: Actor, jurisdiction: string): boolean {
  return (
    decide(actor, 'evaluation.write', {
      ownerOrgId: null,
      heldByJurisdiction: jurisdiction,
      filedTo: [],
    }) === 'allow'
  );
}

/** Whether the actor may enter the project's indicator data. */
export function mayEnterData(store: Store, actor: Actor, code: string): boolean {
  const r = projectResource(store, code);
  return (
    decide(actor, 'evaluation.write', r) === 'allow' && decide(actor, 'project.read', r) === 'allow'
  );
}

/**
 * A ranking as plain JSON (the API's and `fundmix evaluation score --format json`'s shape):
 * totals as 2-decimal strings, the system applied without its tree.
 */
export function rankingJson(r: PortfolioScores) {
  const a = r.applied;
  return {
    portfolio: r.portfolio,
    system: {
      jurisdiction: a.jurisdiction,
      source: a.source,
      versionNo: a.versionNo,
      savedAt: a.savedAt,
      author: a.author,
    },
    members: r.members.map((m) => ({
      rank: m.rank,
      projectCode: m.projectCode,
      projectName: m.projectName,
      scenarioId: m.scenarioId,
      scenarioName: m.scenarioName,
      versionId: m.versionId,
      total: m.score.total.toFixed(2),
      missingCount: m.score.missing.length,
      fromActuals: m.fromActuals,
      basis: m.basis,
      planTotal: m.planScore?.total.toFixed(2) ?? null,
      resultError: m.resultError,
    })),
  };
}
