import type { ChainCheck, ChainStatus } from '../app/chain-status';
import { storeAsSeenBy } from '../app/visibility';
import { actorOf } from './middleware/auth';
import type { Response } from 'express';
import type { Logger } from 'pino';
import type { Store } from '../store/store';
import type { Lang, Unit } from './format/number';
import type { Translate } from './i18n';
import type { Csrf } from './middleware/csrf';
import type { FiscalReports } from './services/fiscal-reports';
import type { FiscalWorkerPool } from './services/fiscal-workers';
import type { MonteCarloRunner } from '../app/risk/runner';
import type { RiskServices } from './routes/risk';
import type { PlanJobs } from './services/plan-jobs';
import type { ResultFigures } from './services/result-figures';
import type { PageBuildHook, PageRenderer } from './services/pages';

/** What the web app is built from; nothing is read from the environment here. */
export interface AppOptions {
  store: Store;
  /** Source of "now" (defaults for new projects, cookie lifetimes). */
  clock: () => Date;
  logger?: Logger;
  /** HMAC secret for CSRF tokens; a random one per process when not given. */
  csrfSecret?: string;
  /** Mark cookies Secure (serve over HTTPS only). Default false: closed networks often run plain HTTP. */
  secureCookies?: boolean;
  /**
   * Behind one reverse proxy: take the client's address from the proxy's X-Forwarded-For
   * (sign-in limits count failures per address). Default false: the socket's address.
   */
  trustProxy?: boolean;
  /**
   * Bounds of the rendered-page cache (`maxEntries: 0` turns it off: every request builds its
   * page, concurrent ones still share a build); `onBuild` is called once per page built.
   */
  pageCache?: { maxEntries?: number; maxBytes?: number; onBuild?: PageBuildHook };
  /**
   * Worker threads that build portfolio fiscal reports off the main thread (a store on a
   * database file); without them reports are computed inline. Whoever made them stops them.
   */
  fiscalWorkers?: FiscalWorkerPool;
  /**
   * The worker threads of risk analyses and Monte Carlo runs (src/app/risk/runner.ts). Default:
   * a runner on the compiled worker module, with as many threads as the machine has cores.
   * Whoever made it stops it.
   */
  riskRunner?: MonteCarloRunner;
  /**
   * The demo data directory (`data/demo`): the sign-in page lists its accounts while they are
   * usable as seeded (`demoAccountsInUse`). Null or absent: never.
   */
  demoDir?: string | null;
  /**
   * The audit chain's status (the auditor's verification page, the broken-chain banner); the
   * server passes the one it verifies at start-up, in a worker thread. Default: one that
   * verifies in-process when asked, and has not verified yet.
   */
  chain?: ChainStatus;
}

/** Everything a route handler needs, built once per app. */
export interface WebContext {
  store: Store;
  clock: () => Date;
  logger: Logger;
  pages: PageRenderer;
  csrf: Csrf;
  /** Fiscal reports and checklists, computed once per data generation. */
  fiscal: FiscalReports;
  /** Results pages' ledgers, charts and cards, formatted once per version, language and unit. */
  figures: ResultFigures;
  /** The audit chain's latest verification and the one under way. */
  chain: ChainStatus;
  /** Risk analyses and Monte Carlo runs on worker threads, and the runs under way. */
  risk: RiskServices;
  /** Programme optimisations under way (solved on the risk worker pool). */
  plans: PlanJobs;
}

/** The language and money unit of this request (from the `lang` and `unit` cookies). */
export interface Prefs {
  lang: Lang;
  unit: Unit;
  t: Translate;
  /** Who is signed in, as the layout shows them; absent for anonymous requests. */
  viewer?: Viewer;
}

/**
 * The signed-in user as pages show them. `key` names what the user may see (their user id and
 * roles, and for those who may read the audit log the chain verification the banner shows):
 * every cached page is keyed by it, so no page built for one user is served to another, and no
 * page built before a verification is served after it.
 */
export interface Viewer {
  key: string;
  username: string;
  organisation: string;
  roles: readonly string[];
  /** May read the audit log (`audit.read`): the navigation links to it. */
  readsAudit: boolean;
  /**
   * The latest verification when it found the audit chain broken, for an auditor or
   * administrator (the banner on every page); null for everyone else and while the chain is
   * intact or not yet verified.
   */
  chainBroken: ChainCheck | null;
}

export function prefsOf(res: Response): Prefs {
  const prefs = res.locals.prefs as Prefs | undefined;
  if (!prefs) throw new Error('prefs middleware did not run');
  return prefs;
}

/**
 * The store as the request's signed-in user may read it (`storeAsSeenBy`): what pages and API
 * answers are built from, so lists show only what the user may open. Only behind a guard.
 */
export function storeFor(ctx: WebContext, res: Response): Store {
  return storeAsSeenBy(ctx.store, actorOf(res));
}
