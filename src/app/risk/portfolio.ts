import type { Actor } from '../../domain/access';
import {
  readPortfolioRiskSpec,
  type PortfolioRiskResult,
  type PortfolioRiskSpecInput,
} from '../../domain/risk/portfolio';
import type { Store } from '../../store';
import { portfolioRiskInputs } from '../../store/fiscal-report';
import { authorise } from '../errors';
import { portfolioResource } from '../resources';
import type { MonteCarloRunner, Progress } from './runner';

/** A portfolio risk run with what it was measured against. */
export interface PortfolioRisk {
  portfolioId: number;
  jurisdiction: string | null;
  result: PortfolioRiskResult;
}

/**
 * The portfolio's PPP ratio and bonds' self-balance under correlated shocks (README "Portfolio
 * risk"), on the runner's worker threads, for the portfolio as saved (no what-if switches).
 * Reading: `portfolio.read`, like the fiscal page. Nothing is written.
 * @throws NotFoundError, ForbiddenError; ValidationError for a bad spec (paths `trials`,
 *   `seed`, `shocks.driver`, `shocks.common.sd`, `shocks.own.sd`)
 */
export async function portfolioRisk(
  store: Store,
  actor: Actor,
  runner: MonteCarloRunner,
  portfolioId: number,
  spec: PortfolioRiskSpecInput,
  opts: { signal?: AbortSignal; onProgress?: (p: Progress) => void } = {},
): Promise<PortfolioRisk> {
  authorise(actor, 'portfolio.read', portfolioResource(store, portfolioId), {
    what: 'Portfolio',
    id: portfolioId,
  });
  const read = readPortfolioRiskSpec(spec);
  const inputs = portfolioRiskInputs(store, portfolioId);
  const result = await runner.runPortfolio(
    {
      model: {
        members: inputs.members.map((m) => ({ index: m.index, scenario: m.inputs })),
        budget: inputs.budget,
        thresholds: inputs.thresholds,
        otherObligations: inputs.otherObligations,
      },
      spec: read,
    },
    opts,
  );
  return { portfolioId, jurisdiction: inputs.jurisdiction, result };
}
