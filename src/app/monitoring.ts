import { decide, type Actor } from '../domain/access';
import { Dec } from '../domain/decimal';
import { NotFoundError, ValidationError } from '../domain/errors';
import { simulate } from '../domain/engine/simulate';
import type { Metrics, SimulationResult } from '../domain/engine/types';
import {
  actualsSchema,
  cleanActuals,
  type ActualsFrame,
  type ActualsInput,
} from '../domain/monitoring/actuals';
import {
  DEFAULT_THRESHOLD,
  offPlan,
  planVsActual,
  type Deviation,
} from '../domain/monitoring/plan-vs-actual';
import { planYears, reforecast, type KeptPlanLine } from '../domain/monitoring/reforecast';
import { parseScenario, toFieldIssues } from '../domain/scenario/parse';
import type { Scenario } from '../domain/scenario/schema';
import type { Store } from '../store';
import type { DbProjectActuals } from '../store/repos/actuals';
import type { ScenarioRecord } from '../store/types';
import { asActor } from './actors';
import { authorise } from './errors';
import { projectResource, scenarioResource } from './resources';

/** One recorded version of a year's actuals, as pages and the API show it. */
export interface ActualsRecord extends ActualsInput {
  id: number;
  versionNo: number;
  author: string | null;
  createdAt: string;
}

/** The figures set side by side for the plan and the re-forecast. */
export interface KeyMetrics {
  projectNpv: Dec;
  projectIrr: Dec | null;
  /** The first equity holder's IRR; null without equity or without a solution. */
  equityIrr: Dec | null;
  dscrMin: Dec | null;
  governmentNpv: Dec;
}

export interface Monitoring {
  project: { code: string; name: string };
  /** The scenarios the actor may read (to choose from) and the chosen one. */
  scenarios: Array<{ id: number; name: string }>;
  scenario: { id: number; name: string; versionId: number; versionNo: number };
  frame: ActualsFrame;
  threshold: Dec;
  actuals: ActualsRecord[];
  history: ActualsRecord[];
  deviations: Deviation[];
  offPlan: boolean;
  plan: { metrics: KeyMetrics; result: SimulationResult };
  /** Null when there are no actuals, or when the re-forecast is refused (`reforecastError`). */
  reforecast: { metrics: KeyMetrics; result: SimulationResult; kept: KeptPlanLine[] } | null;
  reforecastError: string | null;
}

const notFound = (code: string) => ({ what: 'Project', id: code });

function recordOf(row: DbProjectActuals): ActualsRecord {
  const data = JSON.parse(row.data_json) as ActualsInput;
  return {
    ...data,
    id: row.id,
    versionNo: row.version_no,
    author: row.author,
    createdAt: row.created_at,
  };
}

/**
 * The scenarios of the project the actor may read, in id order, and the one monitored: `chosen`
 * (an id or a name) when given, otherwise the first one filed to a bureau, otherwise the first
 * created (README "Monitoring and post-evaluation").
 * @throws ValidationError at `scenario` for a scenario the project has not (or the actor may not see)
 */
export function pickScenario(
  store: Store,
  actor: Actor,
  code: string,
  chosen: string | undefined,
): { list: ScenarioRecord[]; picked: ScenarioRecord } {
  const list = store.scenarios
    .list({ projectCode: code })
    .filter((s) => decide(actor, 'project.read', scenarioResource(store, s.id)) === 'allow')
    .sort((a, b) => a.id - b.id);
  const want = chosen?.trim();
  const picked = want
    ? list.find((s) => String(s.id) === want || s.name === want)
    : (list.find((s) => store.filings.filedToOfScenario(s.id).length > 0) ?? list[0]);
  if (!picked)
    throw new ValidationError([
      {
        path: 'scenario',
        message: want ? `The project has no scenario "${want}"` : 'The project has no scenario',
      },
    ]);
  return { list, picked };
}

function scenarioOf(store: Store, s: ScenarioRecord): { scenario: Scenario; versionNo: number } {
  const version = store.scenarios.version(s.currentVersionId);
  return { scenario: parseScenario(version.inputs), versionNo: version.versionNo };
}

/** What actuals are checked against: the scenario's timeline and streams. */
export function frameOf(scenario: Scenario): ActualsFrame {
  return {
    startYear: scenario.timeline.startYear,
    constructionYears: scenario.timeline.constructionYears,
    operationYears: scenario.timeline.operationYears,
    streams: scenario.revenues.map((r) => ({ name: r.name, kind: r.kind })),
  };
}

function projectIdOf(store: Store, code: string): number {
  const p = store.projects.find(code);
  if (!p || p.deletedAt !== null) throw new NotFoundError('Project', code);
  return p.id;
}

/**
 * Records one year's actuals of a project as the year's next version, by `actor` (the author).
 * Checked against the chosen scenario (`body.scenario`, default as `pickScenario`).
 * Permission: `actuals.write` on the project.
 * @throws ValidationError naming each field (422), nothing written
 */
export function recordActuals(
  store: Store,
  actor: Actor,
  code: string,
  body: unknown,
): ActualsRecord {
  authorise(actor, 'actuals.write', projectResource(store, code), notFound(code));
  const raw = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  const { scenario: chosen, ...fields } = raw;
  const { picked } = pickScenario(
    store,
    actor,
    code,
    typeof chosen === 'string' ? chosen : undefined,
  );
  const parsed = actualsSchema(frameOf(scenarioOf(store, picked).scenario)).safeParse(fields);
  if (!parsed.success) throw new ValidationError(toFieldIssues(parsed.error));
  const data = cleanActuals(parsed.data);
  const projectId = projectIdOf(store, code);
  const { source, ...lines } = data;
  const row = asActor(store, actor, () =>
    store.transaction(() =>
      store.actuals.record({
        projectId,
        year: data.year,
        data: { ...lines, source },
        source,
        createdBy: actor.userId,
      }),
    ),
  );
  return recordOf(row);
}

/** Each year's current actuals and every version. Permission: `actuals.read`. */
export function listActuals(
  store: Store,
  actor: Actor,
  code: string,
): { actuals: ActualsRecord[]; history: ActualsRecord[] } {
  authorise(actor, 'actuals.read', projectResource(store, code), notFound(code));
  const id = projectIdOf(store, code);
  return {
    actuals: store.actuals.current(id).map(recordOf),
    history: store.actuals.history(id).map(recordOf),
  };
}

/** The side-by-side figures of a run. */
export function keyMetrics(m: Metrics): KeyMetrics {
  return {
    projectNpv: m.projectNpv,
    projectIrr: m.projectIrr.rate,
    equityIrr: m.equity[0]?.irr.rate ?? null,
    dscrMin: m.dscrMin,
    governmentNpv: m.governmentNpv,
  };
}

/**
 * A deviation threshold from text in percent (`10` = 10 %), default 10 %.
 * @throws ValidationError at `threshold` unless a number from 0 to 1000
 */
export function readThreshold(text: string | undefined): Dec {
  const t = text?.trim();
  if (!t) return DEFAULT_THRESHOLD;
  if (!/^\d+(\.\d{1,4})?$/.test(t) || new Dec(t).gt(1000))
    throw new ValidationError([
      { path: 'threshold', message: 'The threshold must be a percentage from 0 to 1000' },
    ]);
  return new Dec(t).div(100);
}

/**
 * The monitoring of a project: its actuals, plan vs actual on the chosen scenario's current
 * version with deviations beyond `threshold` flagged, and the re-forecast with its metrics
 * beside the plan's. Permission: `actuals.read` on the project.
 */
export function monitoring(
  store: Store,
  actor: Actor,
  code: string,
  opts: { scenario?: string; threshold?: string; reforecast?: boolean } = {},
): Monitoring {
  authorise(actor, 'actuals.read', projectResource(store, code), notFound(code));
  const threshold = readThreshold(opts.threshold);
  const project = store.projects.get(code);
  const { list, picked } = pickScenario(store, actor, code, opts.scenario);
  const { scenario, versionNo } = scenarioOf(store, picked);
  const { actuals, history } = listActuals(store, actor, code);
  const plan = simulate(scenario);
  const streams = scenario.revenues.map((r) => r.name);
  const deviations = planVsActual(planYears(plan), streams, actuals, threshold);
  let re: Monitoring['reforecast'] = null;
  let reforecastError: string | null = null;
  if (actuals.length > 0 && opts.reforecast !== false) {
    try {
      const r = reforecast(scenario, actuals);
      re = { metrics: keyMetrics(r.result.metrics), result: r.result, kept: r.kept };
    } catch (e) {
      reforecastError = e instanceof Error ? e.message : String(e);
    }
  }
  return {
    project: { code: project.code, name: project.name },
    scenarios: list.map((s) => ({ id: s.id, name: s.name })),
    scenario: { id: picked.id, name: picked.name, versionId: picked.currentVersionId, versionNo },
    frame: frameOf(scenario),
    threshold,
    actuals,
    history,
    deviations,
    offPlan: offPlan(deviations),
    plan: { metrics: keyMetrics(plan.metrics), result: plan },
    reforecast: re,
    reforecastError,
  };
}

/** A project off plan, for the dashboard. */
export interface OffPlanProject {
  code: string;
  name: string;
  /** The latest year with compared actuals. */
  year: number;
  /** The flagged lines of that year. */
  lines: string[];
}

/**
 * The projects the actor may monitor whose latest year of actuals has a line off plan by more
 * than the default threshold (10 %), on each project's default scenario. Projects whose
 * scenario cannot be read or run are left out.
 */
export function offPlanProjects(store: Store, actor: Actor): OffPlanProject[] {
  const out: OffPlanProject[] = [];
  for (const id of store.actuals.projectIds()) {
    const project = store.projects.getById(id);
    if (project.deletedAt !== null) continue;
    if (decide(actor, 'actuals.read', projectResource(store, project.code)) !== 'allow') continue;
    try {
      const m = monitoring(store, actor, project.code, { reforecast: false });
      if (!m.offPlan) continue;
      const year = Math.max(...m.deviations.map((d) => d.year));
      const lines = m.deviations.filter((d) => d.year === year && d.flagged).map((d) => d.line);
      out.push({ code: project.code, name: project.name, year, lines });
    } catch {
      continue;
    }
  }
  return out;
}
