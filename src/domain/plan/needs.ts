import type { Dec } from '../decimal';
import { cityCost } from '../fiscal/city-cost';
import { governmentObligations, isPppProject, type PortfolioMember } from '../fiscal/obligations';
import type { JurisdictionThresholds } from '../fiscal/thresholds';
import { DomainError } from '../errors';
import type { NeedYear } from './model';

/** Yuan (whole fen, as the ledger posts them) → integer fen. @throws DomainError when not whole fen */
function fen(yuan: Dec): bigint {
  const f = yuan.times(100);
  if (!f.isInteger())
    throw new DomainError('not-whole-fen', `Amount ${yuan.toString()} is not whole fen`);
  return BigInt(f.toFixed(0));
}

/**
 * A scenario's yearly needs from its engine result, in its own calendar: general-budget use is the
 * city-cost report's general public budget charge (everything but special-bond service, so
 * general-bond service included), special and general bonds are the year's new issuance of each
 * (drawdown), PPP is the MoF obligations total of
 * a PPP project (0 for government delivery), exactly as `cityCost` and `assessAffordability` count them.
 */
export function needsFromResult(
  member: PortfolioMember,
  thresholds: Pick<JurisdictionThresholds, 'countConcessionInvestmentSupport'>,
): NeedYear[] {
  const report = cityCost({ members: [member], generalBudget: null, fundBudget: null, quotas: [] });
  const ppp = new Map<number, Dec>();
  if (isPppProject(member.scenario))
    for (const y of governmentObligations(member.scenario, member.result, thresholds))
      ppp.set(y.year, y.components.total);
  const years = new Set<number>([...report.rows.map((r) => r.year), ...ppp.keys()]);
  return [...years]
    .sort((a, b) => a - b)
    .map((year) => {
      const row = report.rows.find((r) => r.year === year);
      const p = ppp.get(year);
      return {
        year,
        generalBudgetFen: row ? fen(row.general.chargedYuan) : 0n,
        specialBondFen: row ? fen(row.specialIssuance.issuedYuan) : 0n,
        generalBondFen: row ? fen(row.generalIssuance.issuedYuan) : 0n,
        pppFen: p ? fen(p) : 0n,
      };
    });
}
