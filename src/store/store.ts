import { ENGINE_VERSION } from '../domain/engine/types';
import { createChangeScopes, type ChangeScope } from './change-scopes';
import { createContext, type ActingUser } from './context';
import type { Db } from './open';
import { createAccountsRepo, type AccountsRepo } from './repos/accounts';
import { createAuditRepo, type AuditRepo } from './repos/audit';
import { createFilingsRepo, type FilingsRepo } from './repos/filings';
import { createRiskRunsRepo, type RiskRunsRepo } from './repos/risk-runs';
import { createActualsRepo, type ActualsRepo } from './repos/actuals';
import { createEvaluationRepo, type EvaluationRepo } from './repos/evaluation';
import {
  createPortfolioRiskRunsRepo,
  type PortfolioRiskRunsRepo,
} from './repos/portfolio-risk-runs';
import { createFiscalRepo, type FiscalRepo, type FiscalWriter } from './repos/fiscal';
import { createPortfolioRepo, type PortfolioRepo, type PortfolioWriter } from './repos/portfolios';
import { createProjectRepo, type ProjectRepo, type ProjectWriter } from './repos/projects';
import { createResultRepo, type ResultRepo } from './repos/results';
import { createScenarioRepo, type ScenarioRepo, type ScenarioWriter } from './repos/scenarios';
import type { StorageState } from './storage';
import type { EngineAdapter } from './types';
import type { StoreContext } from './context';

export interface StoreOptions {
  /** Source of "now" for every timestamp the store writes. */
  clock: () => Date;
  /** Computes results missing from the cache; without it, uncached results are null/errors. */
  engine?: EngineAdapter;
  /** Engine version for cache reads when no engine is given (default: the engine's ENGINE_VERSION). */
  engineVersion?: string;
}

/** Repositories over one migrated connection. Every write takes an actor and is audited. */
export interface Store {
  readonly db: Db;
  readonly projects: ProjectRepo;
  readonly scenarios: ScenarioRepo;
  readonly portfolios: PortfolioRepo;
  readonly results: ResultRepo;
  /** Portfolios' fiscal settings and jurisdictions' thresholds (issue 5). */
  readonly fiscal: FiscalRepo;
  readonly audit: AuditRepo;
  /** Organisations, users, roles, tokens, sessions, sign-in attempts (issue 10); for src/app only. */
  readonly accounts: AccountsRepo;
  /** Filings, their events and justifications, pre-approval checklists (issue 10); for src/app only. */
  readonly filings: FilingsRepo;
  readonly riskRuns: RiskRunsRepo;
  /** Recorded portfolio risk runs (issue 11, migration 0008). */
  readonly portfolioRiskRuns: PortfolioRiskRunsRepo;
  /** Recorded actuals of project years (issue 12, migration 0011); for src/app only. */
  readonly actuals: ActualsRepo;
  /** Evaluation systems per jurisdiction and indicator data per project (issue 12, migration 0012); for src/app only. */
  readonly evaluation: EvaluationRepo;
  /**
   * Whether the database takes writes (read-only and damaged databases do not), and the one
   * translation of SQLite's storage errors into StorageUnavailableError / DatabaseDamagedError.
   */
  readonly storage: StorageState;
  /** Runs several repository writes as one transaction (nested writes become savepoints). */
  transaction<T>(fn: () => T): T;
  /** Runs synchronous writes with a signed-in user as their audited author (StoreContext.actingAs). */
  actingAs<T>(who: ActingUser, fn: () => T): T;
  /** Current time as ISO text, from the store's clock. */
  now(): string;
  /** True when nothing was ever written (no audit entries): the database is fresh. */
  isPristine(): boolean;
  /**
   * A number that changes whenever stored data changes: the id of the newest audit entry (every
   * write to projects, scenarios, versions, portfolios, fiscal settings and thresholds is
   * audited, also by other processes such as the CLI); 0 for a fresh database. Caches key on it.
   * One statement prepared once, read-only, no parameters: under a microsecond, cheap enough to
   * ask on every request.
   *
   * With a scope: the newest change that can affect what depends on that scope (see
   * ChangeScope): never behind a write that can change it, but not moved by unrelated writes,
   * so a save in a project outside every portfolio leaves the dashboard's key alone.
   */
  generation(scope?: ChangeScope): number;
}

/** Internals shared with import/export and seeding; not for the web layer. */
export interface StoreInternals {
  ctx: StoreContext;
  projectWriter: ProjectWriter;
  scenarioWriter: ScenarioWriter;
  portfolioWriter: PortfolioWriter;
  fiscalWriter: FiscalWriter;
}

const internals = new WeakMap<Store, StoreInternals>();

/**
 * Builds the store on an open, migrated database. Prepares statements; does no I/O beyond that.
 * @param db from `openDatabase` then `migrate`
 */
export function createStore(db: Db, opts: StoreOptions): Store {
  const ctx = createContext(
    db,
    opts.clock,
    opts.engine,
    opts.engine?.version ?? opts.engineVersion ?? ENGINE_VERSION,
  );
  const projects = createProjectRepo(ctx);
  const scenarios = createScenarioRepo(ctx, projects.writer);
  const results = createResultRepo(ctx);
  const portfolios = createPortfolioRepo(ctx, results);
  const fiscal = createFiscalRepo(ctx);
  const audit = createAuditRepo(db);
  const accounts = createAccountsRepo(ctx);
  const filings = createFilingsRepo(ctx);
  const riskRuns = createRiskRunsRepo(ctx);
  const portfolioRiskRuns = createPortfolioRiskRunsRepo(ctx);
  const actuals = createActualsRepo(ctx);
  const evaluation = createEvaluationRepo(ctx);
  const anyEntry = db.prepare('SELECT EXISTS (SELECT 1 FROM audit_log)').pluck();
  const newestEntry = db.prepare('SELECT COALESCE(MAX(id), 0) FROM audit_log').pluck();
  const scopes = createChangeScopes(db);
  const store: Store = {
    db,
    projects,
    scenarios,
    portfolios,
    results,
    fiscal,
    audit,
    accounts,
    filings,
    riskRuns,
    portfolioRiskRuns,
    actuals,
    evaluation,
    storage: ctx.storage,
    transaction: (fn) => ctx.write(fn),
    actingAs: (who, fn) => ctx.actingAs(who, fn),
    now: () => ctx.now(),
    isPristine: () => anyEntry.get() === 0,
    generation: (scope) =>
      scope === undefined ? (newestEntry.get() as number) : scopes.generation(scope),
  };
  internals.set(store, {
    ctx,
    projectWriter: projects.writer,
    scenarioWriter: scenarios.writer,
    portfolioWriter: portfolios.writer,
    fiscalWriter: fiscal.writer,
  });
  return store;
}

/** @internal */
export function storeInternals(store: Store): StoreInternals {
  const found = internals.get(store);
  if (!found) throw new Error('not a store made by createStore');
  return found;
}
