import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import {
  analyseVersion,
  riskPortfolios,
  getRiskRun,
  prepareMonteCarlo,
  rerunRiskRun,
  runMonteCarlo,
  type MonteCarloInput,
} from '../../app/risk/runs';
import type { MonteCarloRunner } from '../../app/risk/runner';
import { NotFoundError, ValidationError, type FieldIssue } from '../../domain/errors';
import { defaultDrivers, parseDriverName } from '../../domain/risk/drivers';
import { stepValues } from '../../domain/risk/sensitivity';
import { readDecimalText } from '../../domain/decimal-text';
import { scenarioInputs } from '../../domain/risk/inputs';
import { BASE_METRICS, PEAK_PPP_RATIO } from '../../domain/risk/metrics';
import { defaultSpec, MAX_TRIALS, pathSchema, type PathSpec } from '../../domain/risk/spec';
import { parseScenario, toFieldIssues } from '../../domain/scenario/parse';
import { SOURCE_KINDS, type Scenario } from '../../domain/scenario/schema';
import type { Store } from '../../store';
import { prefsOf, type WebContext } from '../context';
import { can, signedIn } from '../middleware/access';
import { actorOf } from '../middleware/auth';
import { riskRunParam, scenarioParam } from '../middleware/resources';
import { jobPaths, type RiskJobs } from '../services/risk-jobs';
import {
  dataTableView,
  driverLabel,
  driverValueText,
  metricText,
  pathFieldset,
  riskJobView,
  runView,
  spiderChart,
  tornadoView,
  type SensitivityJson,
  type SpiderJson,
  type TableJson,
  type PathForm,
} from '../view-models/risk';
import { UNIT_DECIMALS } from '../format/number';
import { idParam, queryText } from './params';

/** The risk services a WebContext carries (src/web/app.ts). */
export interface RiskServices {
  runner: MonteCarloRunner;
  jobs: RiskJobs;
}

const TABLE_STEPS = 5;
const SPIDER_STEPS = 5;
const DEFAULT_TRIALS = 10_000;

const monteCarloBody = z.object({
  trials: z.coerce
    .number({ error: 'Give the number of trials' })
    .int({ error: 'Trials must be a whole number' })
    .min(1, { error: 'At least 1 trial' })
    .max(MAX_TRIALS, { error: `At most ${MAX_TRIALS} trials` }),
  seed: z.coerce
    .number({ error: 'Give a seed' })
    .int({ error: 'The seed must be a whole number' })
    .min(0, { error: 'The seed cannot be negative' })
    .max(2 ** 32 - 1, { error: 'The seed is at most 4294967295' }),
  spec: z.unknown().optional(),
});

/** The form fields of a revenue path's parameters (issues at `sd` are shown at `pathSd`). */
const PATH_FIELDS: Record<string, string> = { model: 'pathModel', sd: 'pathSd', phi: 'pathPhi' };

/**
 * The revenue path the Monte Carlo form's fieldset asks for (one path on every stream), or null
 * when its model is "none" (the spec's own paths then stay). Ranges as in the spec (`pathSchema`).
 * @throws ValidationError at `pathModel`, `pathSd`, `pathPhi`
 */
function formPath(body: Record<string, unknown>): PathSpec | null {
  const model = typeof body.pathModel === 'string' ? body.pathModel : '';
  if (model === '') return null;
  const issues: FieldIssue[] = [];
  const number = (field: 'pathSd' | 'pathPhi') => {
    const text = typeof body[field] === 'string' ? body[field] : '';
    if (readDecimalText(text) !== null) return Number(text.trim());
    issues.push({ path: field, message: 'Give a decimal number, e.g. 0.05' });
    return undefined;
  };
  const path = { driver: 'revenue', model, sd: number('pathSd') };
  const r = pathSchema.safeParse(model === 'ar1' ? { ...path, phi: number('pathPhi') } : path);
  if (issues.length === 0 && r.success) return r.data;
  if (!r.success)
    for (const i of toFieldIssues(r.error))
      if (!issues.some((x) => x.path === PATH_FIELDS[i.path]))
        issues.push({ ...i, path: PATH_FIELDS[i.path] ?? 'pathModel' });
  throw new ValidationError(issues, 'The revenue path is not valid');
}

/** A spec with the form's revenue path in place of its own (the default spec when none was typed). */
function withFormPath(spec: unknown, path: PathSpec, scenario: () => Scenario): unknown {
  const base = spec === undefined ? defaultSpec(scenario()) : spec;
  if (typeof base !== 'object' || base === null || Array.isArray(base)) return base;
  return { ...base, paths: [path] };
}

/**
 * Reads a Monte Carlo request (form or JSON); a spec typed as text is parsed as JSON, and the
 * form's revenue-path fieldset, when a model is chosen, replaces the spec's paths.
 */
function readMonteCarlo(body: unknown, version: { id: number; inputs: unknown }): MonteCarloInput {
  const versionId = version.id;
  const r = monteCarloBody.safeParse(body ?? {});
  if (!r.success)
    throw new ValidationError(toFieldIssues(r.error), 'The Monte Carlo request is not valid');
  let spec = r.data.spec;
  if (typeof spec === 'string') {
    if (spec.trim() === '') spec = undefined;
    else
      try {
        spec = JSON.parse(spec) as unknown;
      } catch (err) {
        throw new ValidationError([
          { path: 'spec', message: `The spec is not JSON: ${(err as Error).message}` },
        ]);
      }
  }
  const path = formPath((body ?? {}) as Record<string, unknown>);
  if (path) spec = withFormPath(spec, path, () => parseScenario(version.inputs));
  return { versionId, trials: r.data.trials, seed: r.data.seed, spec };
}

/** The metric and drivers a page or API call asks about, with defaults for the scenario. */
function analysisQuery(req: Request, scenario: Scenario) {
  const hasEquity = scenario.funding.sources.some((s) => SOURCE_KINDS[s.type].nature === 'equity');
  const metric = queryText(req.query.metric) ?? (hasEquity ? 'equityIrr' : 'projectNpv');
  const applies = defaultDrivers(scenario).map((d) => d.name);
  const pick = (name: string, fallback: string) => queryText(req.query[name]) ?? fallback;
  const rows = pick('rows', applies.includes('capex') ? 'capex' : (applies[0] ?? 'capex'));
  const columns = pick('columns', applies.includes('revenue') ? 'revenue' : (applies[1] ?? 'opex'));
  return { metric, rows, columns };
}

/**
 * The portfolio a `peakPppRatio` is measured in (query `portfolio`, a portfolio id), or
 * undefined for the default (README "Risk metrics").
 * @throws ValidationError at `portfolio` for anything but a whole number
 */
function portfolioQuery(req: Request): number | undefined {
  const text = queryText(req.query.portfolio);
  if (text === undefined || text === '') return undefined;
  if (!/^\d{1,12}$/.test(text))
    throw new ValidationError(
      [{ path: 'portfolio', message: 'The portfolio is given by its id, a whole number' }],
      'The portfolio is not valid',
    );
  return Number(text);
}

/** `steps` values from a driver's default low to its high (`stepValues`), as decimal text. */
function driverSteps(name: string, scenario: Scenario, steps: number): string[] {
  const driver = parseDriverName(name, scenario);
  return stepValues(driver, driver.kind.low, driver.kind.high, steps).map((v) => v.toString());
}

/** The break-even request of the page's form, or null when the form was not sent. */
function solveQuery(req: Request) {
  const driver = queryText(req.query.solveFor);
  if (!driver) return null;
  const target = queryText(req.query.target) ?? 'equityIrr';
  const value = queryText(req.query.value) ?? '';
  const issues: FieldIssue[] = [];
  if (readDecimalText(value) === null)
    issues.push({ path: 'value', message: 'Give the target value as a decimal number, e.g. 0.08' });
  return { driver, target, value, issues };
}

async function riskPageModel(
  ctx: WebContext,
  risk: RiskServices,
  req: Request,
  res: Response,
  scenarioId: number,
  form: { trials?: string; seed?: string; spec?: string; issues?: FieldIssue[] } & PathForm,
) {
  const { lang, unit, t } = prefsOf(res);
  const actor = actorOf(res);
  const record = ctx.store.scenarios.getById(scenarioId);
  const version = ctx.store.scenarios.current(scenarioId);
  const scenario = parseScenario(version.inputs);
  const q = analysisQuery(req, scenario);
  const solve = solveQuery(req);
  const portfolios = riskPortfolios(ctx.store, actor, record.projectCode);
  const portfolioId = portfolioQuery(req) ?? portfolios[0]?.id;
  const analyse = (request: Parameters<typeof analyseVersion>[4]) =>
    analyseVersion(ctx.store, actor, risk.runner, version.id, request, { portfolioId });
  const [tornado, spider, table, solved] = await Promise.all([
    analyse({ kind: 'sensitivity', metric: q.metric }) as Promise<SensitivityJson>,
    analyse({ kind: 'spider', metric: q.metric, steps: SPIDER_STEPS }) as Promise<SpiderJson>,
    analyse({
      kind: 'table',
      metric: q.metric,
      rows: { driver: q.rows, values: driverSteps(q.rows, scenario, TABLE_STEPS) },
      columns: { driver: q.columns, values: driverSteps(q.columns, scenario, TABLE_STEPS) },
    }) as Promise<TableJson>,
    solve && solve.issues.length === 0
      ? (analyse({
          kind: 'solve',
          driver: solve.driver,
          metric: solve.target,
          target: solve.value,
        }).catch((err: unknown) => {
          if (err instanceof ValidationError) return { issues: err.issues };
          throw err;
        }) as Promise<Record<string, unknown>>)
      : Promise.resolve(solve ? { issues: solve.issues } : null),
  ]);
  const tv = tornadoView(tornado, lang, unit, t);
  const drivers = defaultDrivers(scenario).map((d) => ({
    name: d.name,
    label: t(`risk.driver.${d.base}`),
  }));
  const metrics = [
    ...BASE_METRICS.filter(
      (m) =>
        m !== 'bondCoverage' || scenario.funding.sources.some((s) => s.type === 'special-bond'),
    ),
    ...(portfolios.length > 0 ? [PEAK_PPP_RATIO] : []),
  ].map((m) => ({
    name: m,
    label: t(`risk.metric.${m}`),
    selected: m === q.metric,
  }));
  const lastRun = ctx.store.riskRuns.listOfScenario(scenarioId, 10);
  const lastSpec = lastRun[0] ? ctx.store.riskRuns.get(lastRun[0].id).spec_json : null;
  return {
    view: 'risk',
    nav: 'projects' as const,
    title: `${t('risk.title')} · ${record.name}`,
    model: {
      scenario: { id: scenarioId, name: record.name, projectCode: record.projectCode },
      version: { id: version.id, no: version.versionNo },
      csrfToken: ctx.csrf.token(req, res),
      metric: q.metric,
      metricLabel: t(`risk.metric.${q.metric.split(':')[0]}`),
      metrics,
      drivers: drivers.map((d) => ({
        ...d,
        rowSelected: d.name === q.rows,
        columnSelected: d.name === q.columns,
      })),
      tornado: tv,
      table: dataTableView(table, lang, unit, t),
      solve: solve
        ? {
            driver: solve.driver,
            target: solve.target,
            value: solve.value,
            issues: (solved as { issues?: FieldIssue[] } | null)?.issues ?? [],
            answer: solved && 'driver' in solved ? solveView(solved as never, lang, unit, t) : null,
          }
        : null,
      solveDrivers: drivers.map((d) => ({ ...d, selected: solve?.driver === d.name })),
      solveInputs: scenarioInputs(scenario).map((i) => ({
        name: i.name,
        label: driverLabel(i.name, t),
        selected: solve?.driver === i.name,
      })),
      portfolio: {
        id: portfolioId ?? null,
        choose: portfolios.length > 1,
        list: portfolios.map((p) => ({ ...p, selected: p.id === portfolioId })),
      },
      solveMetrics: metrics.map((m) => ({
        ...m,
        selected: (solve?.target ?? q.metric) === m.name,
      })),
      monteCarlo: {
        trials: form.trials ?? String(DEFAULT_TRIALS),
        seed: form.seed ?? '1',
        spec:
          form.spec ??
          (lastSpec
            ? JSON.stringify(JSON.parse(lastSpec), null, 2)
            : JSON.stringify(defaultSpec(scenario), null, 2)),
        path: pathFieldset(form, t),
        issues: form.issues ?? [],
      },
      runs: lastRun.map((r) => ({
        id: r.id,
        trials: r.trials,
        seed: r.seed,
        at: r.created_at,
        hash: r.summary_hash.slice(0, 12),
      })),
      charts: {
        lang,
        unitLabel: t(`unit.${unit}`),
        noData: t('chart.noData'),
        decimals: UNIT_DECIMALS[unit],
        charts: { tornado: tv.chart, spider: spiderChart(spider, unit, t) },
      },
    },
  };
}

function solveView(
  a: {
    driver: string;
    metric: string;
    target: string;
    value: string | null;
    reached: string | null;
    low: string;
    high: string;
  },
  lang: Parameters<typeof tornadoView>[1],
  unit: Parameters<typeof tornadoView>[2],
  t: Parameters<typeof tornadoView>[3],
) {
  return {
    found: a.value !== null,
    driver: driverLabel(a.driver, t),
    value: a.value === null ? null : driverValueText(a.driver, a.value, lang, t, unit),
    exact: a.value,
    reached: metricText(a.reached, a.metric, lang, unit),
    target: metricText(a.target, a.metric, lang, unit),
    low: driverValueText(a.driver, a.low, lang, t, unit),
    high: driverValueText(a.driver, a.high, lang, t, unit),
  };
}

/** The viewer key jobs belong to: only who started a run follows it. */
export const ownerOf = (res: Response) => {
  const a = actorOf(res);
  return `${a.userId ?? a.username}`;
};

/** Starts (or finds recorded) a Monte Carlo of a scenario's current version. */
function startMonteCarlo(
  store: Store,
  risk: RiskServices,
  res: Response,
  scenarioId: number,
  body: unknown,
) {
  const actor = actorOf(res);
  const version = store.scenarios.current(scenarioId);
  const input = readMonteCarlo(body, version);
  const prepared = prepareMonteCarlo(store, actor, input);
  if (prepared.cached) return { run: prepared.cached, job: null };
  const job = risk.jobs.start(
    ownerOf(res),
    { kind: 'scenario', subjectId: scenarioId, trials: input.trials },
    (signal, onProgress) =>
      runMonteCarlo(store, actor, risk.runner, prepared, input, { signal, onProgress }),
  );
  return { run: null, job };
}

/**
 * The Risk page of a scenario (tornado, spider, data table, break-even, Monte Carlo), its Monte
 * Carlo jobs and recorded runs (README "Risk analysis").
 */
export function riskRoutes(ctx: WebContext, risk: RiskServices): Router {
  const router = Router();
  const { store } = ctx;

  router.get('/scenarios/:id/risk', can(store, 'project.read', scenarioParam), async (req, res) => {
    const id = idParam(req.params.id, 'Scenario');
    await ctx.pages.send(req, res, await riskPageModel(ctx, risk, req, res, id, {}));
  });

  router.post(
    '/scenarios/:id/risk/montecarlo',
    can(store, 'risk.run', scenarioParam),
    async (req, res) => {
      const id = idParam(req.params.id, 'Scenario');
      const body = req.body as Record<string, string>;
      try {
        const { run, job } = startMonteCarlo(store, risk, res, id, body);
        res.redirect(303, run ? `/risk-runs/${run.id}` : `/risk-jobs/${job!.id}`);
      } catch (err) {
        if (!(err instanceof ValidationError)) throw err;
        const page = await riskPageModel(ctx, risk, req, res, id, {
          trials: body.trials,
          seed: body.seed,
          spec: body.spec,
          pathModel: body.pathModel,
          pathSd: body.pathSd,
          pathPhi: body.pathPhi,
          issues: err.issues,
        });
        await ctx.pages.send(req, res, { ...page, status: 422 });
      }
    },
  );

  router.get('/risk-jobs/:job', signedIn, async (req, res) => {
    const { t } = prefsOf(res);
    const job = risk.jobs.get(String(req.params.job), ownerOf(res));
    if (!job) throw new NotFoundError('Monte Carlo run', String(req.params.job));
    const paths = jobPaths(job);
    if (job.state === 'done' && paths.run) return res.redirect(303, paths.run);
    await ctx.pages.send(req, res, {
      view: 'risk-job',
      nav: job.kind === 'scenario' ? ('projects' as const) : ('fiscal' as const),
      title: t('risk.job.title'),
      model: riskJobView(job, t, ctx.csrf.token(req, res)),
    });
  });

  router.post('/risk-jobs/:job/cancel', signedIn, (req, res) => {
    const job = risk.jobs.get(String(req.params.job), ownerOf(res));
    if (!job) throw new NotFoundError('Monte Carlo run', String(req.params.job));
    risk.jobs.cancel(job.id, ownerOf(res));
    res.redirect(303, `/risk-jobs/${job.id}`);
  });

  router.get('/risk-runs/:id', can(store, 'project.read', riskRunParam), async (req, res) => {
    const { lang, unit, t } = prefsOf(res);
    const run = getRiskRun(store, actorOf(res), idParam(req.params.id, 'Risk run'));
    const scenario = store.scenarios.getById(run.scenarioId);
    const version = store.scenarios.version(run.versionId);
    const view = runView(run, lang, unit, t);
    await ctx.pages.send(req, res, {
      view: 'risk-run',
      nav: 'projects' as const,
      title: `${t('risk.run.title', { n: run.id })} · ${scenario.name}`,
      model: {
        run,
        scenario: { id: scenario.id, name: scenario.name, projectCode: scenario.projectCode },
        version: { id: version.id, no: version.versionNo },
        specText: JSON.stringify(run.spec, null, 2),
        ...view,
        charts: view.chartData,
      },
    });
  });

  router.get('/risk-runs/:id/rerun', can(store, 'result.rerun', riskRunParam), async (req, res) => {
    const { t } = prefsOf(res);
    const outcome = await rerunRiskRun(
      store,
      actorOf(res),
      risk.runner,
      idParam(req.params.id, 'Risk run'),
    );
    await ctx.pages.send(req, res, {
      view: 'risk-rerun',
      nav: 'projects' as const,
      title: t('risk.rerun.title', { n: outcome.run.id }),
      model: {
        ...outcome,
        heading: t('risk.rerun.title', { n: outcome.run.id }),
        back: `/risk-runs/${outcome.run.id}`,
      },
    });
  });
  return router;
}

/** The risk endpoints of the JSON API (mounted under /api/v1 by api.ts). */
export function riskApiRoutes(ctx: WebContext, risk: RiskServices): Router {
  const router = Router();
  const { store } = ctx;
  const current = (req: Request) => store.scenarios.current(idParam(req.params.id, 'Scenario'));
  const analyse = (req: Request, res: Response, request: Parameters<typeof analyseVersion>[4]) =>
    analyseVersion(store, actorOf(res), risk.runner, current(req).id, request, {
      portfolioId: portfolioQuery(req),
    });
  const ranges = (req: Request) => {
    const raw = req.query.driver;
    const list = raw === undefined ? undefined : (Array.isArray(raw) ? raw : [raw]).map(String);
    return list?.map((driver) => ({ driver }));
  };

  router.get(
    '/scenarios/:id/risk/sensitivity',
    can(store, 'project.read', scenarioParam),
    async (req, res) => {
      const metric = queryText(req.query.metric) ?? 'equityIrr';
      res.json(await analyse(req, res, { kind: 'sensitivity', metric, ranges: ranges(req) }));
    },
  );

  router.get(
    '/scenarios/:id/risk/spider',
    can(store, 'project.read', scenarioParam),
    async (req, res) => {
      const metric = queryText(req.query.metric) ?? 'equityIrr';
      res.json(
        await analyse(req, res, {
          kind: 'spider',
          metric,
          ranges: ranges(req),
          steps: SPIDER_STEPS,
        }),
      );
    },
  );

  router.get(
    '/scenarios/:id/risk/table',
    can(store, 'project.read', scenarioParam),
    async (req, res) => {
      const scenario = parseScenario(current(req).inputs);
      const q = analysisQuery(req, scenario);
      res.json(
        await analyse(req, res, {
          kind: 'table',
          metric: q.metric,
          rows: { driver: q.rows, values: driverSteps(q.rows, scenario, TABLE_STEPS) },
          columns: { driver: q.columns, values: driverSteps(q.columns, scenario, TABLE_STEPS) },
        }),
      );
    },
  );

  router.get(
    '/scenarios/:id/risk/solve',
    can(store, 'project.read', scenarioParam),
    async (req, res) => {
      const issues: FieldIssue[] = [];
      const driver = queryText(req.query.driver);
      const metric = queryText(req.query.metric);
      const target = queryText(req.query.target);
      if (!driver) issues.push({ path: 'driver', message: 'Name the driver to solve for' });
      if (!metric) issues.push({ path: 'metric', message: 'Name the metric' });
      if (!target || readDecimalText(target) === null)
        issues.push({ path: 'target', message: 'Give the target as a decimal number' });
      for (const k of ['low', 'high'] as const) {
        const v = queryText(req.query[k]);
        if (v !== undefined && readDecimalText(v) === null)
          issues.push({ path: k, message: `${k} must be a decimal number` });
      }
      if (issues.length > 0)
        throw new ValidationError(issues, 'The break-even request is not valid');
      res.json(
        await analyse(req, res, {
          kind: 'solve',
          driver: driver!,
          metric: metric!,
          target: target!,
          low: queryText(req.query.low),
          high: queryText(req.query.high),
        }),
      );
    },
  );

  router.post(
    '/scenarios/:id/risk/montecarlo',
    can(store, 'risk.run', scenarioParam),
    (req, res) => {
      const { run, job } = startMonteCarlo(
        store,
        risk,
        res,
        idParam(req.params.id, 'Scenario'),
        req.body,
      );
      if (run)
        res
          .status(200)
          .json({ run: { id: run.id, url: `/api/v1/risk-runs/${run.id}` }, cached: true });
      else res.status(202).json({ job: { ...job, url: `/api/v1/risk-jobs/${job!.id}` } });
    },
  );

  router.get('/risk-jobs/:job', signedIn, (req, res) => {
    const job = risk.jobs.get(String(req.params.job), ownerOf(res));
    if (!job) throw new NotFoundError('Monte Carlo run', String(req.params.job));
    const paths = jobPaths(job);
    res.json({
      job,
      run: job.runId === null ? null : { id: job.runId, url: paths.apiRun, page: paths.run },
    });
  });

  router.post('/risk-jobs/:job/cancel', signedIn, (req, res) => {
    const owner = ownerOf(res);
    const job = risk.jobs.get(String(req.params.job), owner);
    if (!job) throw new NotFoundError('Monte Carlo run', String(req.params.job));
    risk.jobs.cancel(job.id, owner);
    res.json({ job: risk.jobs.get(job.id, owner) });
  });

  router.get('/risk-runs/:id', can(store, 'project.read', riskRunParam), (req, res) => {
    const run = getRiskRun(store, actorOf(res), idParam(req.params.id, 'Risk run'));
    res.json(run);
  });

  router.get('/risk-runs/:id/rerun', can(store, 'result.rerun', riskRunParam), async (req, res) => {
    const outcome = await rerunRiskRun(
      store,
      actorOf(res),
      risk.runner,
      idParam(req.params.id, 'Risk run'),
    );
    res.json({
      id: outcome.run.id,
      summaryHash: outcome.run.summaryHash,
      rerunHash: outcome.rerunHash,
      reproduced: outcome.reproduced,
    });
  });
  return router;
}
