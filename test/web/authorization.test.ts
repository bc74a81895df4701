import type { Express } from 'express';
import request from 'supertest';
import { accessOf, type RouteAccess } from '../../src/web/middleware/access';
import { makeApp, sessionCookie, testRiskRunner, type TestApp } from './support/app';
import { inputValue } from './support/html';
import { ENGINE_VERSION } from '../../src/domain/engine/types';
import { runInThisThread } from '../../src/domain/risk/montecarlo';
import { defaultSpec, readSpec } from '../../src/domain/risk/spec';
import { parseScenario } from '../../src/domain/scenario/parse';
import { portfolioRunInputs } from '../../src/app/risk/portfolio';
import { portfolioRiskInThisThread, readPortfolioRiskSpec } from '../../src/domain/risk/portfolio';
import { portfolioRiskInputs } from '../../src/store';

/**
 * The authorisation matrix test (issue 10), generated from the app's route table: every route
 * and API endpoint × every role and anonymous, with the status each must answer. A route
 * without a guard, or one this table does not know, fails.
 *
 * Expectations are written from the rules, not read from the code's matrix, and
 * checked against the demo data: its projects, scenarios and portfolios belong to the finance
 * bureau of 示范市 Demo City; the demo enterprise owns nothing of it; the audit office watches
 * the same city.
 */

/** Who asks, in the column order of the expectations below. */
const WHO = ['anonymous', 'analyst', 'approver', 'enterprise', 'auditor', 'admin'] as const;
type Who = (typeof WHO)[number];

/**
 * One letter per asker:
 * - `o`: allowed (any answer but 401, 403, 404, 429 or 5xx: a write with an empty body is
 *   allowed through and then refused by validation);
 * - `f`: 403, may see it but not do this;
 * - `n`: 404, may not even know it exists;
 * - `L`: anonymous page GET: 303 to the sign-in page;
 * - `U`: 401 (anonymous API call or page post);
 * - a status number, for routes whose answer is the same whoever asks.
 */
type Cell = 'o' | 'f' | 'n' | 'L' | 'U' | number;

/** "METHOD /path" → expectation per asker, as six letters `anonymous analyst approver enterprise auditor admin`. */
const EXPECTED: Record<string, string> = {
  // Sign-in, preferences, static files: anyone.
  'GET /login': '200 200 200 200 200 200',
  'POST /login': '401 401 401 401 401 401',
  'GET /logout': 'L o o o o o',
  'POST /logout': '303 303 303 303 303 303',
  'GET /prefs': '303 303 303 303 303 303',
  'GET /static/vendor/chart.umd.min.js': '200 200 200 200 200 200',
  // One's own account and tokens (the token id in the URL is no token of theirs: 404).
  'GET /account': 'L o o o o o',
  'POST /account/tokens': 'U o o o o o',
  'POST /account/tokens/:id/revoke': 'U n n n n n',
  // Lists: every signed-in user, filtered to what they may see.
  'GET /': 'L o o o o o',
  'GET /projects': 'L o o o o o',
  'GET /compare': 'L o o o o o',
  'GET /fiscal': 'L o o o o o',
  // Portfolio management (issue 12): the bureau's analysts and approvers manage; the auditor
  // reads; the enterprise and the admin see nothing of the bureau's portfolios.
  'GET /portfolios': 'L o o o o o',
  'GET /portfolios/new': 'L o o f f f',
  'POST /portfolios': 'U o o f f f',
  'GET /portfolios/:id': 'L o o n o n',
  'POST /portfolios/:id': 'U o o n f n',
  'POST /portfolios/:id/members': 'U o o n f n',
  'POST /portfolios/:id/copy': 'U o o n f n',
  'POST /portfolios/:id/archive': 'U o o n f n',
  'POST /portfolios/:id/restore': 'U o o n f n',
  // A bureau project: its bureau and auditors see it; an enterprise and the admin do not.
  'GET /projects/:code': 'L o o n o n',
  // Archiving on the project page (issue 12): archive rows run before restore rows.
  'POST /scenarios/:id/archive': 'U o o n f n',
  'POST /scenarios/:id/restore': 'U o o n f n',
  'POST /projects/:code/archive': 'U o o n f n',
  'POST /projects/:code/restore': 'U o o n f n',
  'GET /scenarios/:id': 'L o o n o n',
  'GET /scenarios/:id/history': 'L o o n o n',
  'GET /versions/:id': 'L o o n o n',
  'GET /versions/:id/rerun': 'L o o n o n',
  'GET /versions/:id/scenario.json': 'L o o n o n',
  'GET /versions/:id/ledger.csv': 'L o o n o n',
  // Excel workbooks (issue 13): a version's workbook is read like the version.
  'GET /versions/:id/workbook.xlsx': 'L o o n o n',
  // A scenario's risk register (issue 11): read like its results, saved like the editor's save.
  'GET /scenarios/:id/risk-register': 'L o o n o n',
  'POST /scenarios/:id/risk-register': 'U o o n f n',
  'GET /scenarios/:id/risk': 'L o o n o n',
  'POST /scenarios/:id/risk/montecarlo': 'U o o n o n',
  'GET /risk-jobs/:job': 'L n n n n n',
  'POST /risk-jobs/:job/cancel': 'U n n n n n',
  'GET /risk-runs/:id': 'L o o n o n',
  // Monitoring (issue 12): read like the project; recorded by bureau analysts and the company.
  'GET /projects/:code/monitoring': 'L o o n o n',
  'POST /projects/:code/monitoring/actuals': 'U o f n f n',
  // Evaluation pages (issue 12): the system is read by anyone signed in and saved by the
  // jurisdiction's analysts and admins; the score as the project, the ranking as the portfolio;
  // indicator data entered by the bureau's analysts (admins see no project).
  'GET /jurisdictions/:name/evaluation': 'L o o o o o',
  'POST /jurisdictions/:name/evaluation': 'U o f f f o',
  'GET /projects/:code/evaluation': 'L o o n o n',
  'GET /projects/:code/evaluation/data': 'L o f n f n',
  'POST /projects/:code/evaluation/data': 'U o f n f n',
  'GET /portfolios/:id/evaluation': 'L o o n o n',
  'GET /risk-runs/:id/rerun': 'L o o n o n',
  'POST /portfolios/:id/risk-runs': 'U o o n o n',
  'GET /portfolio-risk-runs/:id': 'L o o n o n',
  'GET /portfolio-risk-runs/:id/rerun': 'L o o n o n',
  // Creating: bureau staff and enterprises create their own; auditors and admins never.
  'GET /projects/new': 'L o o o f f',
  'GET /import': 'L o o o f f',
  'POST /editor': 'U o o o f f',
  'POST /import': 'U o o o f f',
  // The workbook upload saves like the import form; its template holds nobody's data.
  'POST /import/workbook': 'U o o o f f',
  'GET /import/template.xlsx': 'L o o o o o',
  // Writing a bureau project: its bureau only.
  'GET /projects/:code/scenarios/new': 'L o o n f n',
  'GET /scenarios/:id/edit': 'L o o n f n',
  'POST /versions/:id/restore': 'U o o n f n',
  // Portfolios: the bureau and its auditors; budgets and thresholds: the approver only.
  'GET /portfolios/:id/fiscal': 'L o o n o n',
  // The programme optimiser (issue 12): the bureau's analysts and approvers; the auditor reads
  // the portfolio but does not plan; the enterprise and the admin see nothing of it.
  'GET /portfolios/:id/plan': 'L o o n f n',
  'POST /portfolios/:id/plan': 'U o o n f n',
  // A solve under way is its starter's only (the :job here is nobody's): 404 to everyone.
  'GET /plan-jobs/:job': 'L n n n n n',
  'POST /plan-jobs/:job/cancel': 'U n n n n n',
  'POST /plan-jobs/:job/save': 'U n n n n n',
  'GET /portfolios/:id/fiscal/settings': 'L o o n o n',
  'GET /portfolios/:id/city-cost': 'L o o n o n',
  'GET /portfolios/:id/fiscal.xlsx': 'L o o n o n',
  // The portfolio workbooks (issue 13): read like the page each comes from.
  'GET /portfolios/:id/city-cost.xlsx': 'L o o n o n',
  'GET /portfolios/:id/dashboard.xlsx': 'L o o n o n',
  'GET /compare.xlsx': 'L o o o o o',
  'POST /portfolios/:id/fiscal/selection': 'U o o n f n',
  'POST /portfolios/:id/fiscal/settings': 'U f o n f n',
  'POST /portfolios/:id/fiscal/thresholds': 'U f o n f n',
  'POST /portfolios/:id/fiscal/settings/clear': 'U f o n f n',
  // Filings (the demo's: the analyst's filing of a bureau project to its own city, submitted).
  'GET /filings': 'L o o o o o',
  'GET /filings/:id': 'L o o n o n',
  'GET /filings/:id/report': 'L o o n o n',
  'GET /filings/:id/report.xlsx': 'L o o n o n',
  'GET /versions/:id/file': 'L o o n f n',
  'POST /versions/:id/file': 'U o o n f n',
  'POST /filings/:id/comment': 'U o o n o n',
  'POST /filings/:id/justify': 'U o o n f n',
  'POST /filings/:id/resubmit': 'U o o n f n',
  'POST /filings/:id/withdraw': 'U o o n f n',
  'POST /filings/:id/take-under-review': 'U f o n f n',
  'POST /filings/:id/return': 'U f o n f n',
  'POST /filings/:id/approve': 'U f o n f n',
  // The auditor's workspace: auditors and administrators only.
  'GET /audit': 'L f f f o o',
  'GET /audit/verify': 'L f f f o o',
  'POST /audit/verify': 'U f f f o o',
  // A jurisdiction's pre-approval checklist: anyone signed in reads, its approvers set it.
  'GET /jurisdictions/:name/pre-approval': 'L o o o o o',
  'POST /jurisdictions/:name/pre-approval': 'U f o f f f',
  // The JSON API: the same rules; anonymous calls answer 401.
  'GET /api/v1/projects': 'U o o o o o',
  'POST /api/v1/projects': 'U o o o f f',
  'GET /api/v1/projects/:code': 'U o o n o n',
  'GET /api/v1/projects/:code/scenarios': 'U o o n o n',
  'GET /api/v1/projects/:code/actuals': 'U o o n o n',
  'POST /api/v1/projects/:code/actuals': 'U o f n f n',
  'GET /api/v1/projects/:code/monitoring': 'U o o n o n',
  'POST /api/v1/projects/:code/scenarios': 'U o o n f n',
  'GET /api/v1/scenarios/:id': 'U o o n o n',
  'GET /api/v1/scenarios/:id/versions': 'U o o n o n',
  'GET /api/v1/scenarios/:id/risk-register': 'U o o n o n',
  // Risk analysis: read like results; a Monte Carlo is run and recorded by whoever may read and
  // re-run (its bureau and auditors); a job is followed only by who started it (none here: 404).
  'GET /api/v1/scenarios/:id/risk/sensitivity': 'U o o n o n',
  'GET /api/v1/scenarios/:id/risk/spider': 'U o o n o n',
  'GET /api/v1/scenarios/:id/risk/table': 'U o o n o n',
  'GET /api/v1/scenarios/:id/risk/solve': 'U o o n o n',
  'POST /api/v1/scenarios/:id/risk/montecarlo': 'U o o n o n',
  'GET /api/v1/risk-jobs/:job': 'U n n n n n',
  'POST /api/v1/risk-jobs/:job/cancel': 'U n n n n n',
  'GET /api/v1/risk-runs/:id': 'U o o n o n',
  'GET /api/v1/risk-runs/:id/rerun': 'U o o n o n',
  'GET /api/v1/versions/:id': 'U o o n o n',
  'GET /api/v1/versions/:id/result': 'U o o n o n',
  'GET /api/v1/versions/:id/rerun': 'U o o n o n',
  'GET /api/v1/versions/:id/checklist': 'U o o n o n',
  'POST /api/v1/versions/:id/restore': 'U o o n f n',
  // Archiving (issue 12): the archive row runs first, so the restore row brings it back.
  'POST /api/v1/scenarios/:id/archive': 'U o o n f n',
  'POST /api/v1/scenarios/:id/restore': 'U o o n f n',
  'POST /api/v1/projects/:code/archive': 'U o o n f n',
  'POST /api/v1/projects/:code/restore': 'U o o n f n',
  'POST /api/v1/simulate': 'U o o o o o',
  'GET /api/v1/portfolios': 'U o o o o o',
  'GET /api/v1/portfolios/:id': 'U o o n o n',
  'POST /api/v1/portfolios': 'U o o f f f',
  'PATCH /api/v1/portfolios/:id': 'U o o n f n',
  'POST /api/v1/portfolios/:id/copy': 'U o o n f n',
  'POST /api/v1/portfolios/:id/archive': 'U o o n f n',
  'POST /api/v1/portfolios/:id/restore': 'U o o n f n',
  'PUT /api/v1/portfolios/:id/members': 'U o o n f n',
  'GET /api/v1/portfolios/:id/fiscal': 'U o o n o n',
  'GET /api/v1/portfolios/:id/fiscal.xlsx': 'U o o n o n',
  'GET /api/v1/portfolios/:id/city-cost.xlsx': 'U o o n o n',
  'GET /api/v1/portfolios/:id/dashboard.xlsx': 'U o o n o n',
  'GET /api/v1/compare.xlsx': 'U o o o o o',
  'GET /api/v1/filings/:id/report.xlsx': 'U o o n o n',
  'POST /api/v1/portfolios/:id/plan': 'U o o n f n',
  'POST /api/v1/portfolios/:id/plan-jobs': 'U o o n f n',
  'GET /api/v1/plan-jobs/:job': 'U n n n n n',
  'POST /api/v1/plan-jobs/:job/cancel': 'U n n n n n',
  'GET /api/v1/portfolios/:id/city-cost': 'U o o n o n',
  'GET /api/v1/portfolios/:id/risk': 'U o o n o n',
  // Recorded portfolio risk runs (issue 11): started by who sees the portfolio (portfolio.risk),
  // read and re-run as the portfolio is read.
  'POST /api/v1/portfolios/:id/risk-runs': 'U o o n o n',
  'GET /api/v1/portfolio-risk-runs/:id': 'U o o n o n',
  'GET /api/v1/portfolio-risk-runs/:id/rerun': 'U o o n o n',
  'PUT /api/v1/portfolios/:id/fiscal-settings': 'U f o n f n',
  'PUT /api/v1/jurisdictions/:name/thresholds': 'U f o f f f',
  // A jurisdiction's fiscal figures: read by anyone signed in, set by its bureau's approvers.
  'GET /api/v1/jurisdictions/:name/fiscal': 'U o o o o o',
  'PUT /api/v1/jurisdictions/:name/fiscal': 'U f o f f f',
  // The evaluation index system (issue 12): anyone signed in reads a jurisdiction's system;
  // its analysts and admins save it; scores are read like the project or the portfolio; the
  // project's data is entered by the bureau's analysts (admins see no project: 404).
  'GET /api/v1/jurisdictions/:name/evaluation-system': 'U o o o o o',
  'PUT /api/v1/jurisdictions/:name/evaluation-system': 'U o f f f o',
  'GET /api/v1/projects/:code/evaluation-data': 'U o o n o n',
  'PUT /api/v1/projects/:code/evaluation-data': 'U o f n f n',
  'GET /api/v1/projects/:code/evaluation-score': 'U o o n o n',
  'GET /api/v1/portfolios/:id/evaluation-ranking': 'U o o n o n',
};

interface RouteRow {
  method: string;
  path: string;
  guards: RouteAccess[];
}

interface Layer {
  route?: { path: string; methods: Record<string, boolean>; stack: Layer[] };
  handle: { stack?: Layer[] } & object;
  rawPath?: string | RegExp;
}

/** Every route of an app, with the guards among its handlers, walking mounted routers. */
function routeTable(app: Express): RouteRow[] {
  const rows: RouteRow[] = [];
  const walk = (stack: Layer[], prefix: string, guards: RouteAccess[]) => {
    for (const layer of stack) {
      if (layer.route) {
        const own = layer.route.stack.map((l) => accessOf(l.handle)).filter((a) => a !== undefined);
        for (const method of Object.keys(layer.route.methods))
          rows.push({
            method: method.toUpperCase(),
            path: prefix + layer.route.path,
            guards: [...guards, ...own],
          });
      } else if (layer.handle.stack) {
        const mount =
          typeof layer.rawPath === 'string' && layer.rawPath !== '/' ? layer.rawPath : '';
        walk(layer.handle.stack, prefix + mount, guards);
      }
    }
  };
  walk((app as unknown as { router: { stack: Layer[] } }).router.stack, '', []);
  return rows;
}

let t: TestApp;
let cookies: Record<Exclude<Who, 'anonymous'>, string>;
let params: Record<string, string>;
let riskRunId: number;
let portfolioRiskRunId: number;
let throwaway: { live: number; archived: number };

/** A small recorded Monte Carlo run of the demo's SC-WATER scenario, computed in this thread. */
function recordRiskRun(store: TestApp['store']): number {
  const s = store.scenarios.list({ projectCode: 'SC-WATER' })[0]!;
  const version = store.scenarios.current(s.id);
  const scenario = parseScenario(version.inputs);
  const read = readSpec(defaultSpec(scenario), scenario);
  const out = runInThisThread(scenario, read, 5, 1, ENGINE_VERSION);
  return store.transaction(
    () =>
      store.riskRuns.record({
        scenarioId: s.id,
        versionId: version.id,
        inputsHash: version.inputsHash,
        spec: read.spec,
        seed: 1,
        trials: 5,
        engineVersion: ENGINE_VERSION,
        summary: out.summary,
        charts: out.charts,
        createdBy: null,
      }).id,
  );
}

/** A recorded portfolio risk run of 2 trials of the first demo portfolio, computed in this thread. */
function recordPortfolioRiskRun(store: TestApp['store']): number {
  const portfolioId = store.portfolios.list()[0]!.id;
  const all = portfolioRiskInputs(store, portfolioId);
  const spec = readPortfolioRiskSpec({ trials: 2, seed: 1 });
  const model = {
    ...all,
    members: all.members.map((m) => ({ index: m.index, scenario: parseScenario(m.inputs) })),
  };
  const summary = portfolioRiskInThisThread(model, spec, ENGINE_VERSION);
  return store.transaction(
    () =>
      store.portfolioRiskRuns.record({
        portfolioId,
        inputs: portfolioRunInputs(all),
        spec,
        seed: 1,
        trials: 2,
        engineVersion: ENGINE_VERSION,
        summary,
        createdBy: null,
      }).id,
  );
}

beforeAll(() => {
  t = makeApp({ as: null });
  const { store } = t;
  cookies = {
    analyst: sessionCookie(store, 'analyst'),
    approver: sessionCookie(store, 'approver'),
    enterprise: sessionCookie(store, 'enterprise'),
    auditor: sessionCookie(store, 'auditor'),
    admin: sessionCookie(store, 'admin'),
  };
  riskRunId = recordRiskRun(store);
  // Archived and restored by the archive/restore rows (held by the demo city, like the demo's).
  const held = { jurisdiction: '示范市 Demo City' };
  throwaway = {
    live: store.portfolios.create({ name: 'Auth: to archive', members: [] }, 'test', held).id,
    archived: store.portfolios.create({ name: 'Auth: to restore', members: [] }, 'test', held).id,
  };
  store.portfolios.delete(throwaway.archived, 'test');
  portfolioRiskRunId = recordPortfolioRiskRun(store);
  const scenario = store.scenarios.list({ projectCode: 'SC-WATER' })[0]!;
  params = {
    code: 'SC-WATER',
    // The current version: restoring it changes nothing, so the test writes nothing there.
    id: String(scenario.currentVersionId),
    name: '示范市 Demo City',
  };
});

/** The URL of a route with the demo's ids put in (`:id` of scenarios and portfolios too). */
function urlOf(row: RouteRow): string {
  const scenarioId = String(t.store.scenarios.list({ projectCode: 'SC-WATER' })[0]!.id);
  const portfolioId = String(t.store.portfolios.list()[0]!.id);
  const filingId = String(
    (t.store.db.prepare('SELECT MIN(id) FROM filings').pluck().get() as number | null) ?? 0,
  );
  // A portfolio risk run of 2 trials, not the 2,000 of the defaults.
  const query = row.path.endsWith('/portfolios/:id/risk') ? '?trials=2&seed=1' : '';
  return `${row.path.replace(/:(\w+)/g, (_m, name: string) => {
    if (name === 'id' && row.path.includes('/scenarios/:id')) return scenarioId;
    if (name === 'id' && /\/portfolios\/:id\/(archive|restore)$/.test(row.path))
      return String(throwaway[row.path.endsWith('archive') ? 'live' : 'archived']);
    if (name === 'id' && row.path.includes('/portfolios/:id')) return portfolioId;
    if (name === 'id' && /^(\/api\/v1)?\/filings\/:id/.test(row.path)) return filingId;
    if (name === 'id' && row.path.includes('/portfolio-risk-runs/:id'))
      return String(portfolioRiskRunId);
    if (name === 'id' && row.path.includes('/risk-runs/:id')) return String(riskRunId);
    if (name === 'job') return '00000000-0000-4000-8000-000000000000';
    return encodeURIComponent(params[name]!);
  })}${query}`;
}

/** One request as `who`; page posts carry a valid form token of that browser. */
async function ask(row: RouteRow, who: Who): Promise<request.Response> {
  const agent = request.agent(t.app);
  // Signing out ends the session: that request gets a session of its own.
  const cookie =
    who === 'anonymous'
      ? ''
      : row.path === '/logout' && row.method === 'POST'
        ? sessionCookie(t.store, who)
        : cookies[who];
  const url = urlOf(row);
  const api = url.startsWith('/api/');
  if (row.method === 'GET') return agent.get(url).set('Cookie', cookie).redirects(0);
  if (api) {
    const call =
      row.method === 'PUT'
        ? agent.put(url)
        : row.method === 'PATCH'
          ? agent.patch(url)
          : agent.post(url);
    return call.set('Cookie', cookie).set('Content-Type', 'application/json').send('{}');
  }
  const login = await agent.get('/login').set('Cookie', cookie);
  const token = inputValue(login.text, '_csrf')!;
  const body: Record<string, string> = { _csrf: token };
  if (row.path.endsWith('/thresholds')) body.jurisdiction = '示范市 Demo City';
  // A wrong password for an account of its own: one failure each, no lock-out.
  if (row.path === '/login') Object.assign(body, { username: `nobody-${who}`, password: 'x' });
  return agent
    .post(url)
    .set('Cookie', cookie)
    .type('form')
    .send(new URLSearchParams(body).toString())
    .redirects(0);
}

function cells(key: string): Cell[] {
  return EXPECTED[key]!.split(' ').map((c) => (/^\d+$/.test(c) ? Number(c) : (c as Cell)));
}

function meets(res: request.Response, cell: Cell): boolean {
  if (typeof cell === 'number') return res.status === cell;
  switch (cell) {
    case 'o':
      return ![401, 403, 404, 429].includes(res.status) && res.status < 500;
    case 'f':
      return res.status === 403;
    case 'n':
      return res.status === 404;
    case 'U':
      return res.status === 401;
    case 'L':
      return res.status === 303 && String(res.headers.location).startsWith('/login?next=');
  }
}

describe('the authorisation matrix, from the route table', () => {
  it('every route carries a guard', () => {
    const rows = routeTable(t.inner);
    expect(rows.length).toBeGreaterThan(40);
    expect(rows.filter((r) => r.guards.length === 0).map((r) => `${r.method} ${r.path}`)).toEqual(
      [],
    );
  });

  it('every route has an expected status for every role and anonymous (a new route needs a row here)', () => {
    const keys = routeTable(t.inner).map((r) => `${r.method} ${r.path}`);
    expect([...new Set(keys)].sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  it('answers each route for each asker as the table says', async () => {
    const wrong: string[] = [];
    for (const row of routeTable(t.inner)) {
      const key = `${row.method} ${row.path}`;
      const expected = cells(key);
      for (const [i, who] of WHO.entries()) {
        const res = await ask(row, who);
        if (!meets(res, expected[i]!))
          wrong.push(`${key} as ${who}: ${res.status}, expected ${expected[i]}`);
      }
    }
    expect(wrong).toEqual([]);
    // Some routes run the engine on the worker pool (re-runs, the portfolio's 2-trial risk runs).
  }, 180_000);
});

describe("an enterprise's own work", () => {
  it('is seen by the enterprise and by nobody else until filed', async () => {
    const { store } = t;
    const file = {
      ...JSON.parse(store.scenarios.version(Number(params.id)).inputsJson),
      project: {
        ...JSON.parse(store.scenarios.version(Number(params.id)).inputsJson).project,
        code: 'ENT-OWN',
        jurisdiction: '示范市 Demo City',
      },
    };
    const created = await request(t.app)
      .post('/api/v1/projects')
      .set('Cookie', cookies.enterprise)
      .set('Content-Type', 'application/json')
      .send(JSON.stringify(file));
    expect(created.status).toBe(201);
    const as = (who: Exclude<Who, 'anonymous'>, url: string) =>
      request(t.app).get(url).set('Cookie', cookies[who]);
    expect((await as('enterprise', '/projects/ENT-OWN')).status).toBe(200);
    for (const who of ['analyst', 'approver', 'auditor', 'admin'] as const) {
      expect((await as(who, '/projects/ENT-OWN')).status).toBe(404);
      expect((await as(who, '/api/v1/projects/ENT-OWN')).status).toBe(404);
      const list = await as(who, '/api/v1/projects');
      expect(list.body.projects.map((p: { code: string }) => p.code)).not.toContain('ENT-OWN');
    }
    const mine = await as('enterprise', '/api/v1/projects');
    expect(mine.body.projects.map((p: { code: string }) => p.code)).toEqual(['ENT-OWN']);
    // The audit log records the enterprise user and organisation, not a typed name.
    const entry = store.audit.list({ entity: 'project', limit: 1 })[0]!;
    const user = store.accounts.findUser('enterprise')!;
    expect(entry).toMatchObject({
      actor: 'enterprise',
      actorUserId: user.id,
      actorOrgId: user.org_id,
    });
  });
});

afterAll(() => testRiskRunner().close());
