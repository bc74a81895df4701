import { ZERO, type Dec } from '../decimal';
import type { LedgerYear, SourceSummary, SourcesAndUses, SourcesAndUsesLine } from './types';

function total(lines: SourcesAndUsesLine[]): Dec {
  return lines.reduce((a, l) => a.plus(l.amount), ZERO);
}

function sumOver(rows: LedgerYear[], pick: (y: LedgerYear) => Dec): Dec {
  return rows.reduce((a, y) => a.plus(pick(y)), ZERO);
}

const debtSum = (rows: LedgerYear[], pick: (d: LedgerYear['debt'][number]) => Dec) =>
  sumOver(rows, (y) => y.debt.reduce((a, d) => a.plus(pick(d)), ZERO));

/**
 * Sources and uses from the posted ledger: the construction period (capex and financing costs
 * until operation starts) and the project's whole life in cash. Both sides are exact sums of
 * posted fen amounts; `total` is the uses side, and the engine's tests assert the sides agree.
 */
export function buildSourcesAndUses(ledger: LedgerYear[], sources: SourceSummary[], debts: SourceSummary[]): SourcesAndUses {
  const build = ledger.filter((y) => y.phase === 'construction');
  const drawLines = sources.map((s, i) => ({
    key: `source:${s.id}`,
    label: s.name,
    amount: sumOver(build, (y) => y.drawdowns[i] as Dec),
  }));
  const capitalised = debtSum(build, (d) => d.capitalisedInterest);
  const shortfallLines = (rows: LedgerYear[]): SourcesAndUsesLine[] => [
    { key: 'shortfall:government', label: 'Government shortfall support', amount: sumOver(rows, (y) => y.shortfallByGovernment) },
    { key: 'shortfall:equity', label: 'Shortfall contributions by equity holders', amount: sumOver(rows, (y) => y.shortfallByEquity) },
  ];
  const constructionSources: SourcesAndUsesLine[] = [
    ...drawLines,
    ...(debts.length > 0 ? [{ key: 'capitalised-interest', label: 'Capitalised interest and financing costs', amount: capitalised }] : []),
    ...shortfallLines(build),
  ];
  const constructionUses: SourcesAndUsesLine[] = [
    { key: 'capex', label: 'Capital expenditure', amount: sumOver(build, (y) => y.capex) },
    { key: 'interest-paid', label: 'Construction interest paid', amount: debtSum(build, (d) => d.interestPaid) },
    { key: 'capitalised-interest', label: 'Capitalised interest and financing costs', amount: capitalised },
    { key: 'fees', label: 'Upfront fees paid', amount: debtSum(build, (d) => d.fees) },
  ];

  const all = ledger;
  const lifetimeSources: SourcesAndUsesLine[] = [
    ...sources.map((s, i) => ({ key: `source:${s.id}`, label: s.name, amount: sumOver(all, (y) => y.drawdowns[i] as Dec) })),
    { key: 'revenue', label: 'Operating revenue', amount: sumOver(all, (y) => y.revenues.reduce((a, r) => a.plus(r), ZERO)) },
    { key: 'operating-subsidy', label: 'Operating subsidy', amount: sumOver(all, (y) => y.operatingSubsidy) },
    { key: 'availability-payment', label: 'Availability payments', amount: sumOver(all, (y) => y.availabilityPayment) },
    { key: 'residual-value', label: 'Residual value', amount: sumOver(all, (y) => y.residualValue) },
    ...shortfallLines(all),
    { key: 'unfunded-deficit', label: 'Unfunded operating deficit', amount: sumOver(all, (y) => y.unfundedDeficit) },
  ];
  const lifetimeUses: SourcesAndUsesLine[] = [
    { key: 'capex', label: 'Capital expenditure', amount: sumOver(all, (y) => y.capex) },
    { key: 'opex', label: 'Operating cost', amount: sumOver(all, (y) => y.opex) },
    { key: 'tax', label: 'Income tax', amount: sumOver(all, (y) => y.tax) },
    { key: 'data-authority-share', label: 'Data revenue shared with the data authority', amount: sumOver(all, (y) => y.dataAuthorityShare.reduce((a, r) => a.plus(r), ZERO)) },
    { key: 'interest-paid', label: 'Interest paid', amount: debtSum(all, (d) => d.interestPaid) },
    { key: 'principal-repaid', label: 'Principal repaid', amount: debtSum(all, (d) => d.principalPaid) },
    { key: 'fees', label: 'Upfront fees paid', amount: debtSum(all, (d) => d.fees) },
    { key: 'distributions', label: 'Distributions to equity holders', amount: sumOver(all, (y) => y.equity.reduce((a, e) => a.plus(e.distribution), ZERO)) },
    { key: 'surplus-to-government', label: 'Surplus returned to the government', amount: sumOver(all, (y) => y.surplusToGovernment) },
  ];
  return {
    construction: { sources: constructionSources, uses: constructionUses, total: total(constructionUses) },
    lifetime: { sources: lifetimeSources, uses: lifetimeUses, total: total(lifetimeUses) },
  };
}

/** Sum of one side of a sources-and-uses table. */
export const sideTotal = total;
