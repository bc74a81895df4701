import { z } from 'zod';
import type { Actor } from '../domain/access';
import { yuanText } from '../domain/decimal-text';
import { ValidationError, type FieldIssue } from '../domain/errors';
import { budgetForYear, calendarYear, noRepeatedYears } from '../domain/fiscal/budget';
import type { JurisdictionThresholds } from '../domain/fiscal/thresholds';
import { programmeSummary, type ProgrammeSummary } from '../domain/plan/compare';
import {
  scaledInt,
  validatePlanInput,
  type LimitYear,
  type PlanInput,
  type PlanProject,
  type PlanScenario,
} from '../domain/plan/model';
import type { PlanResult } from '../domain/plan/optimise';
import { toFieldIssues } from '../domain/scenario/parse';
import { singleLineText } from '../domain/text';
import type { Store } from '../store';
import type { Portfolio, PortfolioFiscalSettings } from '../store/types';
import { authorise } from './errors';
import { portfolioScorer, portfolioScoringData } from './evaluation-scores';
import {
  buildPlanModel,
  type PlanModel,
  type PlanModelScenario,
  type PlanModelSource,
  type ScoreOf,
} from './plan-model';
import { createAlternative } from './portfolios';
import { portfolioResource, scenarioResource } from './resources';
import type { MonteCarloRunner, PlanProgress } from './risk/runner';

/**
 * Prioritisation under constraints (issue 12, README "Programme optimiser"): builds the
 * optimiser's model from a portfolio (its projects, each project's live scenarios, a start-year
 * window per project), the portfolio's fiscal settings (budget forecast, other PPP obligations,
 * special-bond quotas) and the jurisdiction's thresholds, solves it on a worker thread, compares
 * the chosen programme with the portfolio as saved, and optionally saves it as a new portfolio.
 */

export type { ScoreOf, ScoreSubject } from './plan-model';

/**
 * The score a candidate weighs by default (README "Programme optimiser"): the evaluation index
 * system of the portfolio's jurisdiction (the GB/T defaults until it saves its own), with each
 * project's entered indicator data and the survey score of its latest actuals; engine-metric
 * indicators read the candidate scenario's metrics, or its re-forecast from the project's actuals
 * when it has financial ones (`portfolioScorer`). Another `scoreOf` swaps the source.
 */
export function evaluationScoreOf(store: Store, portfolioId: number): ScoreOf {
  const scorer = portfolioScorer(store, portfolioId);
  return (s) => scorer(s.projectCode, s.scenario, s.result).toFixed(2);
}

/** Start years a window may span at most, and the default width after the modelled start. */
const MAX_WINDOW_YEARS = 10;
const DEFAULT_WINDOW_EXTRA = 2;

const projectCode = singleLineText('Project code', {
  min: 1,
  max: 200,
  typeError: 'Give a project code',
  required: 'Give a project code',
});

const saveAsSchema = singleLineText('Portfolio name', { min: 1, max: 200 });

const optionalYuan = (what: string) => z.union([yuanText(what), z.null()]).optional();

/** The request body (API JSON, the page form once read). */
export const planRequestSchema = z
  .object({
    years: z
      .array(
        z
          .object({
            year: calendarYear,
            generalBudgetEnvelopeYuan: optionalYuan('General-budget envelope'),
            specialBondQuotaYuan: optionalYuan('Special-bond quota'),
            generalBondQuotaYuan: optionalYuan('General-bond quota'),
          })
          .strict(),
      )
      .max(150)
      .superRefine((rows, ctx) =>
        noRepeatedYears(rows, ctx, (year) => `quota year ${year} is given twice`),
      )
      .default([]),
    windows: z
      .record(
        z.string(),
        z
          .object({ from: calendarYear, to: calendarYear })
          .strict()
          .superRefine((w, ctx) => {
            if (w.to < w.from)
              ctx.addIssue({
                code: 'custom',
                path: ['to'],
                message: `the start-year window ends (${w.to}) before it begins (${w.from})`,
              });
            else if (w.to - w.from >= MAX_WINDOW_YEARS)
              ctx.addIssue({
                code: 'custom',
                path: ['to'],
                message: `a start-year window spans at most ${MAX_WINDOW_YEARS} years`,
              });
          }),
      )
      .default({}),
    mustDo: z.array(projectCode).max(10000).default([]),
    mustNot: z.array(projectCode).max(10000).default([]),
    timeLimitSeconds: z.int().min(1).max(120).default(30),
    /** Save the chosen programme as a new portfolio of this name. */
    saveAs: saveAsSchema.optional(),
  })
  .strict();

export type PlanRequest = z.input<typeof planRequestSchema>;
type ReadRequest = z.output<typeof planRequestSchema>;

/** A project of the portfolio as the form shows it. */
export interface PlanFormProject {
  code: string;
  name: string;
  member: { scenarioId: number; scenarioName: string; startYear: number };
  scenarios: Array<{ id: number; name: string; startYear: number; score: string }>;
  window: { from: number; to: number };
}

/** One year of limits as the form shows it, yuan text (null: none). */
export interface PlanFormYear {
  year: number;
  budgetExpenditureYuan: string | null;
  otherPppYuan: string;
  generalBudgetEnvelopeYuan: string | null;
  specialBondQuotaYuan: string | null;
  generalBondQuotaYuan: string | null;
}

/** Everything the optimiser uses, read from the store (the form's defaults and the model). */
export interface PlanData {
  portfolio: { id: number; name: string };
  jurisdiction: string | null;
  hasSettings: boolean;
  cap: string;
  newProjectLine: string;
  projects: PlanFormProject[];
  /** Default limit years: the horizon, budgets and other obligations from the fiscal settings. */
  years: PlanFormYear[];
  /** Scenarios left out: their result could not be computed. */
  leftOut: Array<{ projectCode: string; scenarioName: string; reason: string }>;
  /** @internal the model's scenarios, by project code */
  model: Map<string, { minCapitalRatio: string; scenarios: PlanScenario[] }>;
}

/** What an optimisation answers. */
export interface PlanOutcome {
  data: PlanData;
  /** The request as read (defaults filled in), for the form and the save button. */
  request: ReadRequest;
  result: PlanResult;
  comparison: { current: ProgrammeSummary; chosen: ProgrammeSummary };
  saved: Portfolio | null;
}

/** Integer fen as yuan text with 2 decimals (exact). */
export const yuanOf = (fen: bigint): string => {
  const neg = fen < 0n;
  const a = (neg ? -fen : fen).toString().padStart(3, '0');
  return `${neg ? '-' : ''}${a.slice(0, -2)}.${a.slice(-2)}`;
};
const fenOf = (yuan: string): bigint => scaledInt(yuan, 2) as bigint;

/** The project's live scenarios the portfolio's bureau may see (its own, or filed to it), member first. */
function scenariosOf(
  store: Store,
  code: string,
  member: PlanModelScenario,
  heldBy: string | null,
): PlanModelScenario[] {
  const others = store.scenarios
    .list({ projectCode: code })
    .filter((s) => s.id !== member.id)
    .filter((s) => {
      const r = scenarioResource(store, s.id);
      return heldBy !== null && (r.heldByJurisdiction === heldBy || r.filedTo.includes(heldBy));
    })
    .map((s) => ({
      id: s.id,
      name: s.name,
      inputs: store.scenarios.current(s.id).inputs,
      stored: store.results.forVersion(s.currentVersionId),
    }));
  return [member, ...others];
}

function horizon(projects: PlanFormProject[], model: PlanData['model']): number[] {
  let first = Infinity;
  let last = -Infinity;
  for (const p of projects) {
    first = Math.min(first, p.window.from);
    for (const s of model.get(p.code)?.scenarios ?? []) {
      const shift = p.window.to - s.baseStartYear;
      for (const n of s.needs) last = Math.max(last, n.year + shift);
    }
  }
  if (!Number.isFinite(first) || !Number.isFinite(last)) return [];
  return Array.from({ length: last - first + 1 }, (_, i) => first + i);
}

function yearOf(settings: PortfolioFiscalSettings | null, year: number): PlanFormYear {
  const budget = settings ? budgetForYear(settings.budget, year) : null;
  const other = settings?.otherObligations.find((o) => o.year === year)?.amountYuan ?? '0';
  const quotas = settings?.bondQuotas.find((q) => q.year === year);
  const quota = quotas?.specialBondYuan ?? null;
  const generalQuota = quotas?.generalBondYuan ?? null;
  return {
    year,
    budgetExpenditureYuan: budget === null ? null : budget.toFixed(2),
    otherPppYuan: yuanOf(fenOf(other)),
    generalBudgetEnvelopeYuan: null,
    specialBondQuotaYuan: quota === null ? null : yuanOf(fenOf(quota)),
    generalBondQuotaYuan: generalQuota === null ? null : yuanOf(fenOf(generalQuota)),
  };
}

/**
 * Reads what the optimiser needs of a portfolio (no authorisation: callers authorise). Each
 * member project's scenarios are scored with `scoreOf`; a scenario whose result cannot be
 * computed is left out (listed). Results not cached yet are computed and cached.
 * @throws NotFoundError for an unknown portfolio
 */
export function planData(store: Store, portfolioId: number, scoreOf: ScoreOf): PlanData {
  const read = planRead(store, portfolioId);
  return planDataOf(read, buildPlanModel(read.source, scoreOf));
}

/** What {@link planData} reads of the store: rows only, the model's source as plain data. */
interface PlanRead {
  portfolio: { id: number; name: string };
  jurisdiction: string | null;
  settings: PortfolioFiscalSettings | null;
  thresholds: JurisdictionThresholds;
  members: Map<string, { name: string; scenarioId: number; scenarioName: string }>;
  source: PlanModelSource;
}

function planRead(store: Store, portfolioId: number): PlanRead {
  const view = store.portfolios.load(portfolioId);
  const settings = store.fiscal.getSettings(portfolioId);
  const heldBy = portfolioResource(store, portfolioId).heldByJurisdiction;
  const { jurisdiction, thresholds } = store.fiscal.thresholdsFor(settings?.jurisdiction ?? heldBy);
  const members: PlanRead['members'] = new Map();
  const projects: PlanModelSource['projects'] = [];
  for (const m of view.members) {
    const code = m.project.code;
    const member = {
      id: m.scenario.id,
      name: m.scenario.name,
      inputs: m.version.inputs,
      stored: m.result,
    };
    members.set(code, { name: m.project.name, scenarioId: member.id, scenarioName: member.name });
    projects.push({
      code,
      memberId: member.id,
      scenarios: scenariosOf(store, code, member, heldBy),
    });
  }
  return {
    portfolio: { id: view.portfolio.id, name: view.portfolio.name },
    jurisdiction,
    settings,
    thresholds,
    members,
    source: { thresholds, projects },
  };
}

/** The optimiser's data from what was read and the model built from it (on any thread). */
function planDataOf(read: PlanRead, built: PlanModel): PlanData {
  const model: PlanData['model'] = new Map();
  const projects: PlanFormProject[] = [];
  for (const p of built.projects) {
    const m = read.members.get(p.code);
    const own = p.scenarios.find((s) => s.id === String(m?.scenarioId));
    if (!m || !own) continue;
    model.set(p.code, { minCapitalRatio: p.minCapitalRatio, scenarios: p.scenarios });
    projects.push({
      code: p.code,
      name: m.name,
      member: {
        scenarioId: m.scenarioId,
        scenarioName: m.scenarioName,
        startYear: own.baseStartYear,
      },
      scenarios: p.scenarios.map((s) => ({
        id: Number(s.id),
        name: s.name,
        startYear: s.baseStartYear,
        score: s.score,
      })),
      window: { from: own.baseStartYear, to: own.baseStartYear + DEFAULT_WINDOW_EXTRA },
    });
  }
  return {
    portfolio: read.portfolio,
    jurisdiction: read.jurisdiction,
    hasSettings: read.settings !== null,
    cap: read.thresholds.affordabilityCap,
    newProjectLine: read.thresholds.newProjectLine,
    projects,
    years: horizon(projects, model).map((y) => yearOf(read.settings, y)),
    leftOut: built.leftOut,
    model,
  };
}

function parsedRequest(body: unknown): ReadRequest {
  const out = planRequestSchema.safeParse(body ?? {});
  if (out.success) return out.data;
  throw new ValidationError(toFieldIssues(out.error), 'The plan request is not valid');
}

/** Limit years: the defaults, with the request's envelopes and quotas (a year not in the horizon is added). */
function limitYears(data: PlanData, req: ReadRequest, settings: PortfolioFiscalSettings | null) {
  const byYear = new Map(data.years.map((y) => [y.year, { ...y }]));
  for (const r of req.years) {
    const y = byYear.get(r.year) ?? yearOf(settings, r.year);
    if (r.generalBudgetEnvelopeYuan !== undefined)
      y.generalBudgetEnvelopeYuan = r.generalBudgetEnvelopeYuan;
    if (r.specialBondQuotaYuan !== undefined) y.specialBondQuotaYuan = r.specialBondQuotaYuan;
    if (r.generalBondQuotaYuan !== undefined) y.generalBondQuotaYuan = r.generalBondQuotaYuan;
    byYear.set(r.year, y);
  }
  const years = [...byYear.values()].sort((a, b) => a.year - b.year);
  const limits: LimitYear[] = years.map((y) => ({
    year: y.year,
    generalBudgetEnvelopeFen:
      y.generalBudgetEnvelopeYuan === null ? null : fenOf(y.generalBudgetEnvelopeYuan),
    specialBondQuotaFen: y.specialBondQuotaYuan === null ? null : fenOf(y.specialBondQuotaYuan),
    generalBondQuotaFen: y.generalBondQuotaYuan === null ? null : fenOf(y.generalBondQuotaYuan),
    budgetExpenditureFen: y.budgetExpenditureYuan === null ? null : fenOf(y.budgetExpenditureYuan),
    otherPppFen: fenOf(y.otherPppYuan),
  }));
  return { years, limits };
}

/**
 * The optimiser's input from the data and a request.
 * @throws ValidationError naming what conflicts (`windows.CODE` for a project not in the
 *   portfolio, `mustDo[i]`, `years[i].year`, ...)
 */
export function planInput(
  data: PlanData,
  req: ReadRequest,
  settings: PortfolioFiscalSettings | null,
): { input: PlanInput; years: PlanFormYear[] } {
  const issues: FieldIssue[] = [];
  for (const code of Object.keys(req.windows))
    if (!data.model.has(code))
      issues.push({
        path: `windows.${code}`,
        message: `${code} is not a project of the portfolio`,
      });
  if (issues.length > 0) throw new ValidationError(issues, issues.map((i) => i.message).join('; '));
  const projects: PlanProject[] = data.projects.map((p) => {
    const m = data.model.get(p.code) as { minCapitalRatio: string; scenarios: PlanScenario[] };
    return {
      code: p.code,
      scenarios: m.scenarios,
      window: req.windows[p.code] ?? p.window,
      minCapitalRatio: m.minCapitalRatio,
    };
  });
  const { years, limits } = limitYears(data, req, settings);
  const input: PlanInput = {
    projects,
    years: limits,
    cap: data.cap,
    newProjectLine: data.newProjectLine,
    mustDo: req.mustDo,
    mustNot: req.mustNot,
  };
  validatePlanInput(input);
  return { input, years };
}

/** The new portfolio's description: where it comes from and the start years it moves. */
function savedDescription(data: PlanData, result: PlanResult): string {
  const moved = result.chosen
    .map((c) => {
      const base = data.projects
        .find((p) => p.code === c.projectCode)
        ?.scenarios.find((s) => String(s.id) === c.scenarioId)?.startYear;
      return base === undefined || base === c.startYear
        ? null
        : `${c.projectCode} ${c.startYear} (modelled ${base})`;
    })
    .filter((x): x is string => x !== null);
  const text =
    `Programme optimised from portfolio "${data.portfolio.name}": total score ${result.totalScore}` +
    ` (${result.status}${result.status === 'optimal' ? '' : `, gap ${result.gap}`}).` +
    (moved.length > 0 ? ` Start years: ${moved.join('; ')}.` : '');
  return text.length > 4000 ? `${text.slice(0, 3999)}…` : text;
}

/** How a solve is followed: its progress, and the signal that cancels it. */
export interface SolveControl {
  signal?: AbortSignal;
  /** Called as the solve moves on: `model` while the model is built, then the runner's phases. */
  onProgress?: (p: PlanProgress) => void;
}

/**
 * The model: built on a worker thread of the runner's pool from rows read here (the default
 * score), or here with a given `scoreOf` (a function cannot cross to a worker thread).
 */
async function modelledData(
  store: Store,
  runner: MonteCarloRunner,
  portfolioId: number,
  scoreOf: ScoreOf | null,
  signal?: AbortSignal,
): Promise<PlanData> {
  const read = planRead(store, portfolioId);
  if (scoreOf !== null) return planDataOf(read, buildPlanModel(read.source, scoreOf));
  const scoring = portfolioScoringData(store, portfolioId);
  return planDataOf(read, await runner.planModel(read.source, scoring, signal));
}

/** Solves a read request and compares with the portfolio as saved; saves nothing. */
async function solve(
  store: Store,
  runner: MonteCarloRunner,
  portfolioId: number,
  req: ReadRequest,
  scoreOf: ScoreOf | null,
  control: SolveControl = {},
): Promise<PlanOutcome> {
  control.onProgress?.({ phase: 'model', done: 0, total: 0 });
  const data = await modelledData(store, runner, portfolioId, scoreOf, control.signal);
  control.signal?.throwIfAborted();
  const settings = store.fiscal.getSettings(portfolioId);
  const { input, years } = planInput(data, req, settings);
  const result = await runner.optimise(input, { timeLimit: req.timeLimitSeconds }, control);
  const current = programmeSummary(
    input,
    data.projects.map((p) => ({
      projectCode: p.code,
      scenarioId: String(p.member.scenarioId),
      startYear: p.member.startYear,
    })),
  );
  const chosen = programmeSummary(input, result.chosen);
  return {
    data: { ...data, years },
    request: req,
    result,
    comparison: { current, chosen },
    saved: null,
  };
}

/**
 * Reads and authorises a plan request before any work: `plan.optimise` on the portfolio, and
 * `portfolio.write` too when it saves (`saveAs`).
 * @throws NotFoundError, ForbiddenError; ValidationError naming the field
 */
export function planRequest(
  store: Store,
  actor: Actor,
  portfolioId: number,
  body: unknown,
): ReadRequest {
  const notFound = { what: 'Portfolio', id: portfolioId };
  authorise(actor, 'plan.optimise', portfolioResource(store, portfolioId), notFound);
  const req = parsedRequest(body);
  if (req.saveAs !== undefined)
    authorise(actor, 'portfolio.write', portfolioResource(store, portfolioId), notFound);
  return req;
}

/**
 * Optimises the portfolio's programme (authorised as {@link planRequest}), on the runner's
 * worker threads, and compares it with the portfolio as saved (each member's scenario at its
 * modelled start). With `saveAs`, the chosen programme becomes a new portfolio ({@link savePlan}).
 * @throws NotFoundError, ForbiddenError; ValidationError naming the field or the conflict;
 *   DomainError `plan-infeasible` (naming the must-do projects that cannot all fit),
 *   `must-do-without-candidate`; AbortError when `signal` aborts
 */
export async function optimisePlan(
  store: Store,
  actor: Actor,
  runner: MonteCarloRunner,
  portfolioId: number,
  body: unknown,
  opts: { scoreOf?: ScoreOf } & SolveControl = {},
): Promise<PlanOutcome> {
  const req = planRequest(store, actor, portfolioId, body);
  const out = await solve(store, runner, portfolioId, req, opts.scoreOf ?? null, opts);
  return req.saveAs === undefined ? out : savePlan(store, actor, out, req.saveAs);
}

/**
 * Saves a solved programme as a new portfolio named `name` (`createAlternative`: `portfolio.write`,
 * audited), described by where it comes from and the start years it moves. A refusal names its
 * field: `saveAs` for the name (invalid, or taken since), `members[i].scenario` for a chosen
 * scenario archived since the solve.
 * @throws ForbiddenError; ValidationError as said
 */
export function savePlan(
  store: Store,
  actor: Actor,
  outcome: PlanOutcome,
  name: unknown,
): PlanOutcome {
  const id = outcome.data.portfolio.id;
  authorise(actor, 'portfolio.write', portfolioResource(store, id), { what: 'Portfolio', id });
  const named = saveAsSchema.safeParse(name);
  if (!named.success)
    throw new ValidationError(
      toFieldIssues(named.error).map((i) => ({ ...i, path: 'saveAs' })),
      'The portfolio name is not valid',
    );
  try {
    const saved = createAlternative(store, actor, id, {
      name: named.data,
      description: savedDescription(outcome.data, outcome.result),
      members: outcome.result.chosen.map((c) => ({
        project: c.projectCode,
        scenario: +c.scenarioId,
      })),
    });
    return { ...outcome, request: { ...outcome.request, saveAs: named.data }, saved };
  } catch (err) {
    if (err instanceof ValidationError)
      throw new ValidationError(
        err.issues.map((i) => (i.path === 'name' ? { ...i, path: 'saveAs' } : i)),
        err.message,
      );
    throw err;
  }
}

/**
 * The same for the command line, run by the machine's operator (as `fundmix fiscal report` reads
 * any portfolio): no authorisation, and nothing saved (`saveAs` is refused: saving is audited with
 * a signed-in actor, through the page or the API).
 * @throws NotFoundError; ValidationError (also `saveAs`); DomainError as {@link optimisePlan}
 */
export async function optimisePlanAsOperator(
  store: Store,
  runner: MonteCarloRunner,
  portfolioId: number,
  body: unknown,
  opts: { scoreOf?: ScoreOf } = {},
): Promise<PlanOutcome> {
  const req = parsedRequest(body);
  if (req.saveAs !== undefined)
    throw new ValidationError(
      [
        {
          path: 'saveAs',
          message: 'Save the programme from the page or the API (a signed-in user)',
        },
      ],
      'The command line does not save programmes',
    );
  store.portfolios.get(portfolioId);
  return solve(store, runner, portfolioId, req, opts.scoreOf ?? null);
}

/**
 * The form's data (defaults) without solving, for the page's first view (`plan.optimise`).
 * @throws NotFoundError, ForbiddenError
 */
export function planForm(
  store: Store,
  actor: Actor,
  portfolioId: number,
  opts: { scoreOf?: ScoreOf } = {},
): PlanData {
  authorise(actor, 'plan.optimise', portfolioResource(store, portfolioId), {
    what: 'Portfolio',
    id: portfolioId,
  });
  return planData(store, portfolioId, opts.scoreOf ?? evaluationScoreOf(store, portfolioId));
}

const summaryJson = (s: ProgrammeSummary) => ({
  totalScore: s.totalScore,
  years: s.years.map((y) => ({
    year: y.year,
    generalBudgetYuan: yuanOf(y.generalBudgetFen),
    envelopeYuan: y.envelopeFen === null ? null : yuanOf(y.envelopeFen),
    specialBondYuan: yuanOf(y.specialBondFen),
    quotaYuan: y.quotaFen === null ? null : yuanOf(y.quotaFen),
    pppTotalYuan: yuanOf(y.pppTotalFen),
    capHeadroomYuan: y.capHeadroomFen === null ? null : yuanOf(y.capHeadroomFen),
  })),
});

/** The outcome as JSON (API, CLI): amounts as yuan text with 2 decimals, never floats. */
export function planJson(o: PlanOutcome) {
  const r = o.result;
  return {
    portfolio: o.data.portfolio,
    jurisdiction: o.data.jurisdiction,
    status: r.status,
    gap: r.gap,
    totalScore: r.totalScore,
    candidateCount: r.candidateCount,
    chosen: r.chosen.map((c) => ({ ...c, scenarioId: Number(c.scenarioId) })),
    constraints: r.constraints.map((c) => ({
      kind: c.kind,
      year: c.year,
      limitYuan: yuanOf(c.limitFen),
      usedYuan: yuanOf(c.usedFen),
      slackYuan: yuanOf(c.slackFen),
      binding: c.binding,
      ...(c.lineApplies === undefined ? {} : { lineApplies: c.lineApplies }),
      shadowValue: c.shadowValue,
    })),
    excluded: r.excluded.map((e) => ({ ...e, scenarioId: Number(e.scenarioId) })),
    leftOut: o.data.leftOut,
    comparison: {
      current: summaryJson(o.comparison.current),
      chosen: summaryJson(o.comparison.chosen),
    },
    saved: o.saved === null ? null : { id: o.saved.id, name: o.saved.name },
  };
}
