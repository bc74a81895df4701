import { FundMixError } from '../../domain/errors';
import { compareDeliveries } from '../../domain/fiscal/delivery-comparison';
import { isPppProject } from '../../domain/fiscal/obligations';
import { parseScenario } from '../../domain/scenario/parse';
import type { Scenario } from '../../domain/scenario/schema';
import type { Store } from '../../store/store';
import type { ScenarioVersion, StoredResult } from '../../store/types';
import { formatAmount, formatPercent, type Lang, type Unit } from '../format/number';
import type { Translate } from '../i18n';

/**
 * Doing it itself or as a PPP (format v2, issue 9), on a PPP or concession version's results
 * page: each government scenario of the same project against this one, by the present value of
 * the government's net outlay on this scenario's VfM basis (`compareDeliveries`). Not part of a
 * version's cached figures: it changes with the other scenarios of the project (whose writes move
 * the project's page scope).
 */
export interface DeliveryComparisonView {
  basis: string;
  rows: Array<{
    scenario: string;
    href: string;
    governmentCost: string;
    pppCost: string;
    saving: string;
    /** good when the PPP costs the government less, bad when more. */
    tone: 'good' | 'bad' | 'neutral';
    error: string | null;
  }>;
}

/** Null unless the version is a PPP or concession and the project has a government scenario. */
export function deliveryComparisonView(
  store: Store,
  version: ScenarioVersion,
  result: () => StoredResult,
  lang: Lang,
  unit: Unit,
  t: Translate,
): DeliveryComparisonView | null {
  let ppp: Scenario;
  let pppLedger: StoredResult['ledger'];
  try {
    ppp = parseScenario(version.inputs);
    if (!isPppProject(ppp)) return null;
    pppLedger = result().ledger;
  } catch (err) {
    // Inputs that no longer validate or cannot be simulated: the page says so elsewhere.
    if (err instanceof FundMixError) return null;
    throw err;
  }
  const others = store.scenarios
    .list({ projectCode: version.projectCode })
    .filter((s) => s.delivery === 'government');
  if (others.length === 0) return null;
  let basis = '';
  const rows = others.map((s) => {
    const row = { scenario: s.name, href: `/scenarios/${s.id}` };
    try {
      const c = compareDeliveries(
        ppp,
        pppLedger,
        store.results.forVersion(s.currentVersionId).ledger,
      );
      basis = t('vfm.basis', { rate: formatPercent(c.discountRate, lang), year: c.valuationYear });
      const tone = c.pppSavingYuan.gt(0) ? 'good' : c.pppSavingYuan.lt(0) ? 'bad' : 'neutral';
      return {
        ...row,
        governmentCost: formatAmount(c.governmentCostYuan, unit),
        pppCost: formatAmount(c.pppCostYuan, unit),
        saving: formatAmount(c.pppSavingYuan, unit, { sign: true }),
        tone: tone as DeliveryComparisonView['rows'][number]['tone'],
        error: null,
      };
    } catch (err) {
      if (!(err instanceof FundMixError)) throw err;
      return {
        ...row,
        governmentCost: '—',
        pppCost: '—',
        saving: '—',
        tone: 'neutral' as const,
        error: err.message,
      };
    }
  });
  return { basis, rows };
}
