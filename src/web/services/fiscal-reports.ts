import {
  portfolioFiscalReport,
  scenarioChecklist,
  type PortfolioFiscalReport,
  type ScenarioChecklistReport,
} from '../../store/fiscal-report';
import type { Store } from '../../store/store';
import type { Portfolio } from '../../store/types';
import {
  FiscalWorkerCrashedError,
  type FiscalWorkerPool,
  type WorkerReport,
} from './fiscal-workers';

/** How a worker job ended: its report cached, built from older data than now, or not built. */
type JobOutcome = 'cached' | 'stale' | 'failed';

/** What-if switches: project code → scenario (name, or id as digits). */
export type Switches = Readonly<Record<string, string | number>>;

/**
 * The fiscal reports the pages and the API show, computed once per data generation and reused:
 * the dashboard, the fiscal page, the project and results pages and the API all read the same
 * report of a portfolio. A report with bond stress costs 20–170 ms (the stress cases re-run the
 * engine), so it must not be recomputed per page or per request.
 *
 * Keys are the portfolios' data generation (`store.generation('portfolios')`: a save in a project
 * no portfolio uses leaves it alone) plus what was asked; when the generation
 * moves every entry is dropped at once. Bounded by entry count (what-if reports of many
 * combinations). Reports are shared: callers must not modify them.
 *
 * With a worker pool (a store on a database file), `prepare` builds a portfolio's report in a
 * worker thread and puts it in the cache, so the synchronous getters called after it find it
 * there and the main thread never spends the seconds a large portfolio's report takes. Without
 * one (in-memory stores), or when a worker fails, the getters compute inline as before.
 */
export class FiscalReports {
  private readonly entries = new Map<string, PortfolioFiscalReport | ScenarioChecklistReport>();
  private generation = -1;
  /** Worker jobs under way by cache key, with the generation the request saw when it started. */
  private readonly jobs = new Map<string, { seen: number; done: Promise<JobOutcome> }>();
  private crashLogged = false;

  /**
   * @param workers builds portfolio reports off the main thread (null: always inline)
   * @param warn told once when a worker stopped and reports are computed inline instead
   */
  constructor(
    private readonly store: Store,
    private readonly maxEntries = 64,
    private readonly workers: FiscalWorkerPool | null = null,
    private readonly warn: (message: string) => void = () => undefined,
  ) {}

  /**
   * Makes sure `portfolio(portfolioId, switches)` is answered from the cache: builds the
   * report in a worker when there is one and it is not cached for the current generation.
   * Concurrent calls for the same report share one job. Never rejects: a report the worker
   * could not build (unknown portfolio, bad switch, a stopped worker) is left to the getter,
   * which computes it inline and throws its typed error.
   */
  async prepare(portfolioId: number, switches: Switches = {}): Promise<void> {
    const workers = this.workers;
    if (!workers) return;
    let effective: Record<string, string | number>;
    try {
      effective = this.effectiveSwitches(portfolioId, switches);
    } catch {
      return;
    }
    await this.prepareKey(portfolioKey(portfolioId, effective), () =>
      workers.run(portfolioId, effective),
    );
  }

  /**
   * Makes sure `checklist(versionId)` is answered from the cache, built in a worker (its bond
   * stress re-runs the engine: 20–170 ms). Never rejects, as {@link prepare}.
   */
  async prepareChecklist(versionId: number): Promise<void> {
    const workers = this.workers;
    if (!workers) return;
    await this.prepareKey(checklistKey(versionId), () => workers.runChecklist(versionId));
  }

  /** Builds the report under `key` in a worker unless it is cached for the current generation. */
  private async prepareKey(
    key: string,
    run: () => Promise<WorkerReport<PortfolioFiscalReport | ScenarioChecklistReport>>,
  ): Promise<void> {
    // A write landing while a job runs labels its report older than the data: build again,
    // a few times at most (then the getter computes inline).
    for (let attempt = 0; attempt < 3; attempt++) {
      const seen = this.store.generation('portfolios');
      this.sync(seen);
      if (this.entries.has(key)) return;
      const running = this.jobs.get(key);
      const outcome = await (running && running.seen === seen
        ? running.done
        : this.startJob(key, seen, run));
      if (outcome !== 'stale') return;
    }
  }

  /** Prepares the reports of the live portfolios that use a scenario (see `portfoliosUsing`). */
  async preparePortfoliosUsing(scenarioId: number): Promise<void> {
    if (!this.workers) return;
    await Promise.all(
      this.portfoliosWith((m) => m.scenarioId === scenarioId).map((p) => this.prepare(p.id)),
    );
  }

  /**
   * Prepares what a version's results page reads: the portfolios using its scenario when it is
   * the current version (portfolios judge current versions only). Unknown versions are left
   * to the page, which answers 404.
   */
  async prepareForVersion(versionId: number): Promise<void> {
    if (!this.workers) return;
    let scenarioId: number;
    try {
      scenarioId = this.store.scenarios.version(versionId).scenarioId;
    } catch {
      return;
    }
    const current = this.store.scenarios.getById(scenarioId).currentVersionId === versionId;
    await Promise.all([
      this.prepareChecklist(versionId),
      current ? this.preparePortfoliosUsing(scenarioId) : Promise.resolve(),
    ]);
  }

  /** Prepares what a scenario's results page reads: its current version's checklist and portfolios. */
  async prepareForScenario(scenarioId: number): Promise<void> {
    if (!this.workers) return;
    let versionId: number;
    try {
      versionId = this.store.scenarios.getById(scenarioId).currentVersionId;
    } catch {
      return;
    }
    // The scenario and its current version are known: no version row to read (this runs on
    // every request of the page, cached or not).
    await Promise.all([this.prepareChecklist(versionId), this.preparePortfoliosUsing(scenarioId)]);
  }

  /** Prepares the reports of the live portfolios with a member in this project (its page). */
  async preparePortfoliosOfProject(projectCode: string): Promise<void> {
    if (!this.workers) return;
    let versions: number[];
    try {
      versions = this.store.scenarios.list({ projectCode }).map((s) => s.currentVersionId);
    } catch {
      versions = [];
    }
    await Promise.all([
      ...this.portfoliosWith((m) => m.projectCode === projectCode).map((p) => this.prepare(p.id)),
      ...versions.map((v) => this.prepareChecklist(v)),
    ]);
  }

  /**
   * A portfolio's fiscal report (bond stress included), for its saved selection or with what-if
   * switches. Switches that name the scenario the portfolio already uses are dropped first, so
   * a what-if form sent unchanged reuses the saved report.
   * @throws NotFoundError for an unknown portfolio; ValidationError for bad switches (not cached)
   */
  portfolio(portfolioId: number, switches: Switches = {}): PortfolioFiscalReport {
    const effective = this.effectiveSwitches(portfolioId, switches);
    const key = portfolioKey(portfolioId, effective);
    return this.remember(key, () =>
      portfolioFiscalReport(this.store, portfolioId, { switches: effective }),
    );
  }

  /**
   * The checklist of one stored version against its project's jurisdiction (bond stress included).
   * @throws NotFoundError for an unknown version; the engine's error when it cannot be computed
   */
  checklist(versionId: number): ScenarioChecklistReport {
    return this.remember(checklistKey(versionId), () => scenarioChecklist(this.store, versionId));
  }

  /**
   * Reports of the live portfolios that use a scenario as their member (for the project and
   * results pages: the affordability rules are judged per portfolio).
   */
  portfoliosUsing(scenarioId: number): PortfolioFiscalReport[] {
    return this.portfoliosWith((m) => m.scenarioId === scenarioId).map((p) => this.portfolio(p.id));
  }

  /** The live portfolios with a member for which `has` holds. */
  private portfoliosWith(has: (member: Portfolio['members'][number]) => boolean) {
    return this.store.portfolios.list().filter((p) => p.members.some(has));
  }

  /** Runs one worker job and caches its report if it is of the current generation. */
  private startJob(
    key: string,
    seen: number,
    run: () => Promise<WorkerReport<PortfolioFiscalReport | ScenarioChecklistReport>>,
  ): Promise<JobOutcome> {
    const done = run().then(
      ({ generation, report }) => {
        const now = this.store.generation('portfolios');
        this.sync(now);
        // Built from older data than there is now: not served (prepare builds again).
        if (generation !== now) return 'stale';
        this.keep(key, report);
        return 'cached';
      },
      (err: unknown): JobOutcome => {
        if (err instanceof FiscalWorkerCrashedError && !this.crashLogged) {
          this.crashLogged = true;
          this.warn(`${err.message}: fiscal reports are computed on the main thread instead`);
        }
        return 'failed';
      },
    );
    const job = { seen, done };
    this.jobs.set(key, job);
    void done.finally(() => {
      if (this.jobs.get(key) === job) this.jobs.delete(key);
    });
    return done;
  }

  /** Drops every entry when the generation moved. */
  private sync(generation: number): void {
    if (generation !== this.generation) {
      this.entries.clear();
      this.generation = generation;
    }
  }

  private keep(key: string, value: PortfolioFiscalReport | ScenarioChecklistReport): void {
    this.entries.set(key, value);
    while (this.entries.size > this.maxEntries)
      this.entries.delete(this.entries.keys().next().value as string);
  }

  get size(): number {
    return this.entries.size;
  }

  private effectiveSwitches(
    portfolioId: number,
    switches: Switches,
  ): Record<string, string | number> {
    if (Object.keys(switches).length === 0) return {};
    const members = this.store.portfolios.get(portfolioId).members;
    const out: Record<string, string | number> = {};
    for (const [code, target] of Object.entries(switches)) {
      const m = members.find((x) => x.projectCode === code);
      const same =
        m !== undefined && (String(target) === String(m.scenarioId) || target === m.scenarioName);
      if (!same) out[code] = target;
    }
    return out;
  }

  private remember<T extends PortfolioFiscalReport | ScenarioChecklistReport>(
    key: string,
    build: () => T,
  ): T {
    this.sync(this.store.generation('portfolios'));
    const hit = this.entries.get(key);
    if (hit) {
      this.entries.delete(key);
      this.entries.set(key, hit);
      return hit as T;
    }
    const built = build();
    this.keep(key, built);
    return built;
  }
}

/** The cache key of a stored version's checklist. */
function checklistKey(versionId: number): string {
  return `v\u0000${versionId}`;
}

/** The cache key of a portfolio's report with these (effective) switches. */
function portfolioKey(portfolioId: number, switches: Switches): string {
  return `p\u0000${portfolioId}\u0000${canonicalSwitches(switches)}`;
}

/** `CODE=target` pairs sorted by code: the same switches always give the same key. */
function canonicalSwitches(switches: Switches): string {
  return Object.keys(switches)
    .sort()
    .map(
      (code) =>
        `${code}=${typeof switches[code] === 'number' ? `#${switches[code]}` : String(switches[code])}`,
    )
    .join('\u0001');
}
