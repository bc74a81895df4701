import { ZERO, type Dec } from '../decimal';
import { decOf, type Fen } from '../fen';
import { sumYears, type CoreDebtYear, type CoreYear } from './core';
import type { CoreReserveYear } from './reserves';
import type { SourceSummary, SourcesAndUses, SourcesAndUsesLine } from './types';

/** Sum of one side of a sources-and-uses table. */
export function sideTotal(lines: readonly SourcesAndUsesLine[]): Dec {
  return lines.reduce((a, l) => a.plus(l.amount), ZERO);
}

const debtSum = (rows: CoreYear[], pick: (d: CoreDebtYear) => Fen) =>
  sumYears(rows, (y) => y.debt.reduce((a, d) => a + pick(d), 0));
const line = (key: string, label: string, amount: Fen): SourcesAndUsesLine => ({
  key,
  label,
  amount: decOf(amount),
});

/**
 * Sources and uses from the posted ledger: the construction period (capex and financing costs
 * until operation starts) and the project's whole life in cash. Both sides are exact sums of
 * posted fen amounts; `total` is the uses side, and the engine's tests assert the sides agree.
 */
export function buildSourcesAndUses(
  core: CoreYear[],
  sources: SourceSummary[],
  debts: SourceSummary[],
): SourcesAndUses {
  const build = core.filter((y) => y.construction);
  const drawLines = (rows: CoreYear[]) =>
    sources.map((s, i) =>
      line(
        `source:${s.id}`,
        s.name,
        sumYears(rows, (y) => y.drawdowns[i] as Fen),
      ),
    );
  const capitalised = debtSum(build, (d) => d.capitalised);
  const shortfallLines = (rows: CoreYear[]) => [
    line(
      'shortfall:government',
      'Government shortfall support',
      sumYears(rows, (y) => y.shortfallByGovernment),
    ),
    line(
      'shortfall:equity',
      'Shortfall contributions by equity holders',
      sumYears(rows, (y) => y.shortfallByEquity),
    ),
  ];
  const constructionSources = [
    ...drawLines(build),
    ...(debts.length > 0
      ? [line('capitalised-interest', 'Capitalised interest and financing costs', capitalised)]
      : []),
    ...shortfallLines(build),
  ];
  const constructionUses = [
    line(
      'capex',
      'Capital expenditure',
      sumYears(build, (y) => y.capex),
    ),
    line(
      'interest-paid',
      'Construction interest paid',
      debtSum(build, (d) => d.interestPaid),
    ),
    line('capitalised-interest', 'Capitalised interest and financing costs', capitalised),
    line(
      'fees',
      'Upfront fees paid',
      debtSum(build, (d) => d.fees),
    ),
  ];
  // VAT lines only when the scenario has VAT (src/domain/README.md, "Indirect taxes"): the output
  // VAT collected is a source; the VAT paid and the surcharges are uses (input VAT is inside the
  // VAT-inclusive capex and operating cost).
  const vatOn = core.some((y) => y.vat !== null);
  const vatSum = (pick: (v: NonNullable<CoreYear['vat']>) => Fen) =>
    sumYears(core, (y) => (y.vat ? pick(y.vat) : 0));
  const lifetimeSources = [
    ...drawLines(core),
    line(
      'revenue',
      'Operating revenue',
      sumYears(core, (y) => y.revenues.reduce((a, r) => a + r, 0)),
    ),
    line(
      'operating-subsidy',
      'Operating subsidy',
      sumYears(core, (y) => y.operatingSubsidy),
    ),
    line(
      'availability-payment',
      'Availability payments',
      sumYears(core, (y) => y.availabilityPayment),
    ),
    line(
      'residual-value',
      'Residual value',
      sumYears(core, (y) => y.residualValue),
    ),
    ...(vatOn
      ? [
          line(
            'output-vat',
            'Output VAT collected',
            vatSum((v) => v.output),
          ),
        ]
      : []),
    ...shortfallLines(core),
    line(
      'unfunded-deficit',
      'Unfunded operating deficit',
      sumYears(core, (y) => y.unfundedDeficit),
    ),
  ];
  const lifetimeUses = [
    line(
      'capex',
      'Capital expenditure',
      sumYears(core, (y) => y.capex),
    ),
    line(
      'opex',
      'Operating cost',
      sumYears(core, (y) => y.opex),
    ),
    line(
      'tax',
      'Income tax',
      sumYears(core, (y) => y.tax),
    ),
    ...(vatOn
      ? [
          line(
            'vat-paid',
            'VAT paid',
            vatSum((v) => v.payable),
          ),
          line(
            'surcharges',
            'VAT surcharges',
            vatSum((v) => v.surcharges),
          ),
        ]
      : []),
    line(
      'data-authority-share',
      'Data revenue shared with the data authority',
      sumYears(core, (y) => y.dataShare.reduce((a, r) => a + r, 0)),
    ),
    line(
      'interest-paid',
      'Interest paid',
      debtSum(core, (d) => d.interestPaid),
    ),
    line(
      'principal-repaid',
      'Principal repaid',
      debtSum(core, (d) => d.principalPaid),
    ),
    line(
      'fees',
      'Upfront fees paid',
      debtSum(core, (d) => d.fees),
    ),
    line(
      'distributions',
      'Distributions to equity holders',
      sumYears(core, (y) => y.equity.reduce((a, e) => a + e.distribution, 0)),
    ),
    line(
      'surplus-to-government',
      'Surplus returned to the government',
      sumYears(core, (y) => y.surplusToGovernment),
    ),
  ];
  if (core[0]?.reserves)
    addReserveLines(
      core,
      build,
      constructionSources,
      constructionUses,
      lifetimeSources,
      lifetimeUses,
    );
  return {
    construction: {
      sources: constructionSources,
      uses: constructionUses,
      total: sideTotal(constructionUses),
    },
    lifetime: { sources: lifetimeSources, uses: lifetimeUses, total: sideTotal(lifetimeUses) },
  };
}

/**
 * Reserve accounts (only for a scenario with a `reserves` section): money paid into the DSRA,
 * the maintenance reserve and the lock-up is a use, money coming out of them a source; the DSRA's
 * equity funding is a source; major maintenance is a use.
 */
function addReserveLines(
  core: CoreYear[],
  build: CoreYear[],
  constructionSources: SourcesAndUsesLine[],
  constructionUses: SourcesAndUsesLine[],
  lifetimeSources: SourcesAndUsesLine[],
  lifetimeUses: SourcesAndUsesLine[],
): void {
  const r = (rows: CoreYear[], pick: (x: CoreReserveYear) => Fen) =>
    sumYears(rows, (y) => (y.reserves ? pick(y.reserves) : 0));
  const equity = (rows: CoreYear[]) =>
    line(
      'dsra-equity',
      'DSRA funded by equity holders',
      r(rows, (x) => x.dsraEquity),
    );
  const paidIn = (rows: CoreYear[]) =>
    line(
      'reserves-paid-in',
      'Paid into reserve accounts and lock-up',
      r(rows, (x) => x.dsraEquity + x.dsraContribution + x.maintenanceContribution + x.locked),
    );
  constructionSources.push(equity(build));
  constructionUses.push(paidIn(build));
  lifetimeSources.push(
    equity(core),
    line(
      'reserves-paid-out',
      'Drawn or released from reserve accounts and lock-up',
      r(core, (x) => x.dsraDraw + x.dsraRelease + x.maintenanceFromReserve + x.lockUpReleased),
    ),
  );
  lifetimeUses.push(
    line(
      'major-maintenance',
      'Major maintenance',
      r(core, (x) => x.maintenanceSpend),
    ),
    paidIn(core),
  );
}
