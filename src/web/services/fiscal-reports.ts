import {
  portfolioFiscalReport,
  scenarioChecklist,
  type PortfolioFiscalReport,
  type ScenarioChecklistReport,
} from '../../store/fiscal-report';
import type { Store } from '../../store/store';

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
 */
export class FiscalReports {
  private readonly entries = new Map<string, PortfolioFiscalReport | ScenarioChecklistReport>();
  private generation = -1;

  constructor(
    private readonly store: Store,
    private readonly maxEntries = 64,
  ) {}

  /**
   * A portfolio's fiscal report (bond stress included), for its saved selection or with what-if
   * switches. Switches that name the scenario the portfolio already uses are dropped first, so
   * a what-if form sent unchanged reuses the saved report.
   * @throws NotFoundError for an unknown portfolio; ValidationError for bad switches (not cached)
   */
  portfolio(portfolioId: number, switches: Switches = {}): PortfolioFiscalReport {
    const effective = this.effectiveSwitches(portfolioId, switches);
    const key = `p\u0000${portfolioId}\u0000${canonicalSwitches(effective)}`;
    return this.remember(key, () =>
      portfolioFiscalReport(this.store, portfolioId, { switches: effective }),
    );
  }

  /**
   * The checklist of one stored version against its project's jurisdiction (bond stress included).
   * @throws NotFoundError for an unknown version; the engine's error when it cannot be computed
   */
  checklist(versionId: number): ScenarioChecklistReport {
    return this.remember(`v\u0000${versionId}`, () => scenarioChecklist(this.store, versionId));
  }

  /**
   * Reports of the live portfolios that use a scenario as their member (for the project and
   * results pages: the affordability rules are judged per portfolio).
   */
  portfoliosUsing(scenarioId: number): PortfolioFiscalReport[] {
    return this.store.portfolios
      .list()
      .filter((p) => p.members.some((m) => m.scenarioId === scenarioId))
      .map((p) => this.portfolio(p.id));
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
    const generation = this.store.generation('portfolios');
    if (generation !== this.generation) {
      this.entries.clear();
      this.generation = generation;
    }
    const hit = this.entries.get(key);
    if (hit) {
      this.entries.delete(key);
      this.entries.set(key, hit);
      return hit as T;
    }
    const built = build();
    this.entries.set(key, built);
    while (this.entries.size > this.maxEntries)
      this.entries.delete(this.entries.keys().next().value as string);
    return built;
  }
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
