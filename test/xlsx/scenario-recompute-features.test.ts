import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type ExcelJS from 'exceljs';
import { ledgerLines } from '../../src/domain/engine/ledger-table';
import { simulate } from '../../src/domain/engine/simulate';
import { parseScenario } from '../../src/domain/scenario/parse';
import type { Scenario, ScenarioInput } from '../../src/domain/scenario/schema';
import { Dec } from '../../src/domain/decimal';
import { ledgerSheet } from '../../src/domain/workbook/ledger-formulas';
import { metricsSheet } from '../../src/domain/workbook/metrics-formulas';
import { recomputeWithLibreOffice } from './libreoffice';
import {
  CAPEX_FACTOR,
  REVENUE_FACTOR,
  differences,
  exported,
  liveRows,
  withCapexUp,
  withRevenueDown,
} from './recompute-check';

/**
 * Issue 13, the ledger lines only sc-water--concession uses among the shipped scenarios: VAT,
 * the DSRA (from cash and paid in by the equity), the major-maintenance reserve, the lock-up,
 * waterfall tiers and shortfalls. Scenarios built here from that demo scenario turn each on;
 * their workbooks are recomputed by LibreOffice as exported, with capex + 10 % and with revenue
 * − 20 % written into the Inputs sheet (one soffice run for all), and every ledger cell of a
 * formula line and every metric over such lines must be the engine's to the fen.
 */

const WATER = JSON.parse(
  readFileSync(
    join(__dirname, '..', '..', 'data', 'demo', 'scenarios', 'sc-water--concession.json'),
    'utf8',
  ),
) as ScenarioInput & Record<string, unknown>;

/** The demo scenario with some sections replaced (a section set to undefined is dropped). */
function variant(changes: Record<string, unknown>): Scenario {
  const input = { ...structuredClone(WATER), ...changes } as Record<string, unknown>;
  for (const [k, v] of Object.entries(changes)) if (v === undefined) delete input[k];
  return parseScenario(input as unknown as ScenarioInput);
}

const funding = (w: Record<string, unknown> | undefined) => ({
  ...(WATER.funding as Record<string, unknown>),
  waterfall: w,
});

const CASES: Array<[string, Scenario]> = [
  // VAT, a DSRA from cash and a lock-up that holds (DSCR 1.342 to 1.380), pro rata distributions.
  [
    'vat-dsra-lockup',
    variant({
      funding: funding(undefined),
      reserves: { dsra: { months: 6, funding: 'cfads' }, lockUp: { minDscr: '1.36' } },
    }),
  ],
  // A DSRA paid in by the equity, major maintenance from its reserve, government shortfalls.
  [
    'dsra-equity-maintenance',
    variant({
      funding: funding(undefined),
      shortfall: 'government',
      reserves: {
        dsra: { months: 12, funding: 'equity' },
        maintenance: [
          { year: 6, amountYuan: '30000000.01' },
          { year: 7, amountYuan: '5000000.00' },
          { year: 15, amountYuan: '45000000.00' },
        ],
      },
    }),
  ],
  // A year-1 spend (no contribution before it), no VAT, no lock-up.
  [
    'maintenance-no-vat',
    variant({
      funding: funding(undefined),
      indirectTax: undefined,
      reserves: {
        maintenance: [
          { year: 1, amountYuan: '2000000.00' },
          { year: 10, amountYuan: '90000000.03' },
        ],
      },
    }),
  ],
  // Shortfalls: the DSRA drawn, then the government pays the rest.
  [
    'shortfall-government',
    variant({
      funding: funding(undefined),
      shortfall: 'government',
      operatingCost: { annualYuan: '40000000.00', escalation: '0.03' },
    }),
  ],
];

/** Two preferred holders, uncapped, no return of capital, a rate their cash cannot meet at first. */
const TWO_PREFERRED = (() => {
  const sources = (WATER.funding as { sources: Array<Record<string, unknown>> }).sources.map((s) =>
    s.id === 'partner-equity' ? { ...s, share: '0.15' } : s,
  );
  sources.splice(2, 0, {
    id: 'district-equity',
    name: 'District investment company',
    type: 'government-equity',
    ownership: 'government',
    share: '0.05',
  });
  return variant({
    funding: {
      sources,
      waterfall: {
        preferredSourceIds: ['guided-fund', 'district-equity'],
        preferredRate: '0.09',
        returnOfCapital: false,
        capped: false,
      },
    },
    reserves: { dsra: { months: 6, funding: 'equity' }, lockUp: { minDscr: '1.25' } },
  });
})();

/** The demo's sources with the loan at 40 % (its terms changed by `bank`) and a junior special bond. */
function withBond(bank: Record<string, unknown> = {}): Array<Record<string, unknown>> {
  const sources = (WATER.funding as { sources: Array<Record<string, unknown>> }).sources.map((s) =>
    s.id === 'bank'
      ? { ...s, share: '0.4', debt: { ...(s.debt as Record<string, unknown>), ...bank } }
      : s,
  );
  sources.push({
    id: 'bond',
    name: 'Special bond',
    type: 'special-bond',
    share: '0.1',
    debt: {
      annualRate: '0.03',
      tenorYears: 12,
      graceYears: 3,
      repayment: 'equal-principal',
      constructionInterest: 'paid',
      upfrontFeeRate: '0.001',
      seniority: 2,
    },
  });
  return sources;
}

/** Unfunded shortfalls: arrears on two debts (a junior bond after the loan), recovered later. */
const UNFUNDED = variant({
  funding: { ...(WATER.funding as Record<string, unknown>), sources: withBond() },
  shortfall: 'unfunded',
  reserves: undefined,
  operatingCost: { annualYuan: '38000000.00', escalation: '0' },
});

/**
 * Unfunded shortfalls with every reserve account: the debts take the cash and the DSRA together
 * (drawn in the years of arrears), then the DSRA is topped up, the maintenance reserve paid in and
 * the lock-up holds cash in the early years, while the operating cost grows 5 % a year.
 */
const UNFUNDED_RESERVES = variant({
  funding: { ...(WATER.funding as Record<string, unknown>), sources: withBond() },
  shortfall: 'unfunded',
  reserves: {
    dsra: { months: 6, funding: 'equity' },
    maintenance: [
      { year: 4, amountYuan: '3000000.00' },
      { year: 12, amountYuan: '8000000.00' },
    ],
    lockUp: { minDscr: '1.3' },
  },
  operatingCost: { annualYuan: '30000000.00', escalation: '0.05' },
});

/**
 * Unfunded shortfalls and a sculpted senior loan (target DSCR 1.3): its principal follows the
 * cash it finds after its arrears; the maintenance reserve and the lock-up as well.
 */
const UNFUNDED_SCULPTED = variant({
  funding: {
    ...(WATER.funding as Record<string, unknown>),
    sources: withBond({ repayment: 'sculpted', targetDscr: '1.3' }),
  },
  shortfall: 'unfunded',
  reserves: {
    maintenance: [{ year: 4, amountYuan: '3000000.00' }],
    lockUp: { minDscr: '1.2' },
  },
  operatingCost: { annualYuan: '38000000.00', escalation: '0' },
});

/**
 * The demo's own DSRA from cash, lock-up and preferred-equity waterfall with unfunded shortfalls
 * on its single loan (operating cost growing 5 % a year): the DSRA drawn in the years of arrears.
 */
const UNFUNDED_WATERFALL = variant({
  shortfall: 'unfunded',
  operatingCost: { annualYuan: '30000000.00', escalation: '0.05' },
});

/** A special bond with VAT on (its coverage adds the operating cost's input VAT back). */
const BOND_VAT = variant({
  funding: { ...(WATER.funding as Record<string, unknown>), sources: withBond() },
});

const ALL: Array<[string, Scenario]> = [
  ['water-concession', variant({})],
  ...CASES,
  ['two-preferred-uncapped', TWO_PREFERRED],
  ['unfunded-arrears', UNFUNDED],
  ['unfunded-reserves', UNFUNDED_RESERVES],
  ['unfunded-sculpted', UNFUNDED_SCULPTED],
  ['unfunded-waterfall', UNFUNDED_WATERFALL],
  ['bond-vat', BOND_VAT],
];

/** Lines each case must exercise (some year not 0), so the comparison is not of zeros. */
const EXERCISED: Record<string, string[]> = {
  'water-concession': [
    'vat-payable',
    'vat-credit',
    'dsra-release',
    'equity:guided-fund:capital-returned',
  ],
  'vat-dsra-lockup': ['dsra-contribution', 'lock-up-locked', 'lock-up-released'],
  'dsra-equity-maintenance': [
    'dsra-equity',
    'maintenance-from-reserve',
    'maintenance-contribution',
  ],
  'maintenance-no-vat': ['maintenance-spend', 'maintenance-from-reserve'],
  'shortfall-government': ['shortfall-government', 'dsra-draw'],
  'unfunded-arrears': [
    'shortfall-unfunded',
    'debt:bank:arrears',
    'debt:bank:arrears-paid',
    'debt:bond:arrears',
    'debt:bond:arrears-paid',
  ],
  'unfunded-reserves': [
    'shortfall-unfunded',
    'debt:bank:arrears',
    'debt:bank:arrears-paid',
    'debt:bond:arrears',
    'dsra-draw',
    'dsra-contribution',
    'maintenance-contribution',
    'maintenance-from-reserve',
    'lock-up-locked',
    'lock-up-released',
  ],
  'unfunded-sculpted': [
    'shortfall-unfunded',
    'debt:bank:arrears',
    'debt:bank:arrears-paid',
    'debt:bank:principal',
    'debt:bond:arrears',
    'maintenance-contribution',
    'lock-up-locked',
  ],
  'unfunded-waterfall': [
    'shortfall-unfunded',
    'debt:bank:arrears',
    'debt:bank:arrears-paid',
    'dsra-draw',
    'dsra-contribution',
    'lock-up-locked',
    'equity:guided-fund:preferred-return',
  ],
  'bond-vat': ['vat-payable', 'urban-maintenance-tax', 'input-vat', 'debt:bond:interest'],
  'two-preferred-uncapped': [
    'equity:district-equity:preferred-unpaid',
    'equity:guided-fund:preferred-return',
  ],
};

describe('workbooks with VAT, reserves, waterfall tiers and shortfalls, recomputed by LibreOffice', () => {
  let out: Record<string, ExcelJS.Workbook>;

  beforeAll(async () => {
    const files: Record<string, Uint8Array> = {};
    for (const [name, scenario] of ALL) {
      const bytes = await exported(scenario, simulate(scenario));
      files[name] = bytes;
      files[`${name}--capex-up`] = await withCapexUp(bytes, scenario);
      files[`${name}--revenue-down`] = await withRevenueDown(bytes, scenario);
    }
    out = await recomputeWithLibreOffice(files, 240_000);
  }, 300_000);

  it.each(ALL)('%s: every ledger cell and metric is the engine’s', (name, scenario) => {
    expect(differences(out[name]!, scenario, simulate(scenario))).toEqual([]);
  });

  it.each(ALL)(
    '%s: no line or metric stays an engine value (the Notes sheet lists none)',
    (_name, scenario) => {
      const result = simulate(scenario);
      const lines = ledgerSheet(scenario, result);
      const metrics = metricsSheet(scenario, result, lines).filter((m) => !m.years);
      expect(lines.filter((l) => !l.formulas).map((l) => l.line.key)).toEqual([]);
      expect(
        metrics.filter((m) => m.formula === null && m.value !== null).map((m) => m.key),
      ).toEqual([]);
      // And every one follows a change of the Inputs: no formula reads an engine value.
      const live = liveRows(scenario, result);
      expect(lines.filter((l) => !live.rows.has(l.row)).map((l) => l.line.key)).toEqual([]);
      expect(
        metrics.flatMap((m, i) => (m.formula !== null && !live.metrics.has(2 + i) ? [m.key] : [])),
      ).toEqual([]);
    },
  );

  it('bond-vat: the coverage’s own net income needs its VAT terms', () => {
    // Σ over the bond's life (12 years) of revenue without government payments − data share −
    // opex − tax, without the input VAT and surcharges: not the engine's coverage, so the VAT
    // terms of the formula are exercised.
    const result = simulate(BOND_VAT);
    const sum = (key: string) =>
      ledgerLines(result)
        .find((l) => l.key === key)!
        .values.slice(0, 12)
        .reduce((a: Dec, v) => a.plus(v ?? 0), new Dec(0));
    const noVat = sum('total-revenue')
      .minus(sum('operating-subsidy'))
      .minus(sum('availability-payment'))
      .minus(sum('data-authority-share'))
      .minus(sum('opex'))
      .minus(sum('tax'));
    const service = sum('drawdown:bond').plus(
      ledgerLines(result)
        .find((l) => l.key === 'debt:bond:interest')!
        .values.reduce((a: Dec, v) => a.plus(v ?? 0), new Dec(0)),
    );
    expect(result.metrics.bondCoverage).not.toBeNull();
    expect(noVat.div(service).toDecimalPlaces(6).eq(result.metrics.bondCoverage!)).toBe(false);
  });

  it.each(ALL)('%s: exercises its lines', (name, scenario) => {
    const lines = ledgerLines(simulate(scenario));
    const idle = (EXERCISED[name] ?? ['?']).filter(
      (k) => !lines.find((l) => l.key === k)?.values.some((v) => v !== null && !v.isZero()),
    );
    expect(idle).toEqual([]);
  });

  it.each(ALL)(
    '%s: the VAT, reserve, waterfall and shortfall lines are live formulas',
    (_name, scenario) => {
      const result = simulate(scenario);
      const lines = ledgerSheet(scenario, result);
      const live = liveRows(scenario, result).rows;
      const keys =
        /^(output-vat|input-vat|vat-|urban|education|local-education|dsra-|maintenance-|lock-up-|shortfall|cfads|tax$|taxable)/;
      const dead = lines
        .filter((l) => keys.test(l.line.key) && !live.has(l.row))
        .map((l) => l.line.key);
      expect(dead).toEqual([]);
    },
  );

  it.each(ALL)('%s: with capex + 10 %% the formula lines follow the engine', (name, scenario) => {
    const result = simulate(scenario);
    const live = liveRows(scenario, result);
    const up = simulate(scenario, { overrides: { capexFactor: CAPEX_FACTOR } });
    expect(differences(out[`${name}--capex-up`]!, scenario, up, live.rows, live.metrics)).toEqual(
      [],
    );
  });

  it.each(ALL)('%s: with revenue − 20 %% the formula lines follow the engine', (name, scenario) => {
    const result = simulate(scenario);
    const live = liveRows(scenario, result);
    const down = simulate(scenario, { overrides: { revenueFactor: REVENUE_FACTOR } });
    expect(
      differences(out[`${name}--revenue-down`]!, scenario, down, live.rows, live.metrics),
    ).toEqual([]);
  });
});
