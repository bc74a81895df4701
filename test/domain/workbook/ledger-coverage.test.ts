import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ledgerLines } from '../../../src/domain/engine/ledger-table';
import { simulate } from '../../../src/domain/engine/simulate';
import { parseScenario } from '../../../src/domain/scenario/parse';
import type { Scenario, ScenarioInput } from '../../../src/domain/scenario/schema';
import { ledgerSheet } from '../../../src/domain/workbook/ledger-formulas';
import { metricsSheet } from '../../../src/domain/workbook/metrics-formulas';

/**
 * Issue 13, "where a rule cannot be a plain formula … listed on a Notes sheet": every line the
 * engine's ledger can have (each `line('key', …)` of src/domain/engine/ledger-table.ts, read
 * from its source so a new line cannot be missed) appears in some scenario below, and in every
 * scenario every line and every metric has a formula: no engine values. The scenarios are the
 * shipped ones and variants of the demo's sc-water--concession turning on what none of them has
 * (major maintenance, a DSRA paid in by equity) or each repayment kind and shortfall policy.
 */

const ROOT = join(__dirname, '..', '..', '..');
const read = (file: string) => JSON.parse(readFileSync(file, 'utf8')) as ScenarioInput;
const shipped = ['data/demo/scenarios', 'data/examples'].flatMap((dir) =>
  readdirSync(join(ROOT, dir))
    .filter((f) => f.endsWith('.json'))
    .map((f): [string, Scenario] => [f, parseScenario(read(join(ROOT, dir, f)))]),
);

const WATER = read(
  join(ROOT, 'data', 'demo', 'scenarios', 'sc-water--concession.json'),
) as ScenarioInput & Record<string, unknown>;
const SOURCES = (WATER.funding as { sources: Array<Record<string, unknown>> }).sources;

/** The demo scenario with the bank loan's terms changed and some sections replaced. */
function variant(bank: Record<string, unknown>, changes: Record<string, unknown>): Scenario {
  const sources = SOURCES.map((s) =>
    s.id === 'bank' ? { ...s, debt: { ...(s.debt as Record<string, unknown>), ...bank } } : s,
  );
  const input = {
    ...structuredClone(WATER),
    ...changes,
    funding: { ...(WATER.funding as Record<string, unknown>), sources },
  };
  return parseScenario(input as unknown as ScenarioInput);
}

const EVERY_RESERVE = {
  dsra: { months: 6, funding: 'equity' },
  maintenance: [
    { year: 4, amountYuan: '3000000.00' },
    { year: 12, amountYuan: '8000000.00' },
  ],
  lockUp: { minDscr: '1.3' },
};

const VARIANTS: Array<[string, Scenario]> = [
  [
    'every reserve, government shortfalls',
    variant({}, { reserves: EVERY_RESERVE, shortfall: 'government' }),
  ],
  ['every reserve, unfunded', variant({}, { reserves: EVERY_RESERVE, shortfall: 'unfunded' })],
  [
    'sculpted, unfunded, maintenance and lock-up',
    variant(
      { repayment: 'sculpted', targetDscr: '1.3' },
      {
        reserves: { maintenance: EVERY_RESERVE.maintenance, lockUp: EVERY_RESERVE.lockUp },
        shortfall: 'unfunded',
      },
    ),
  ],
  [
    'sculpted, equity shortfalls, lock-up',
    variant(
      { repayment: 'sculpted', targetDscr: '1.3' },
      { reserves: { lockUp: EVERY_RESERVE.lockUp } },
    ),
  ],
  ['bullet, interest paid', variant({ repayment: 'bullet', constructionInterest: 'paid' }, {})],
  [
    'equal principal with a fee, every reserve',
    variant({ repayment: 'equal-principal', upfrontFeeRate: '0.002' }, { reserves: EVERY_RESERVE }),
  ],
];

const ALL = [...shipped, ...VARIANTS];

/** The line keys of ledger-table.ts, each `${…}` part a wildcard (`debt:*:opening`). */
function engineLineKeys(): string[] {
  const text = readFileSync(join(ROOT, 'src', 'domain', 'engine', 'ledger-table.ts'), 'utf8');
  const keys = [...text.matchAll(/\bline\(\s*(['`])([^'`]+)\1/g)].map((m) =>
    m[2]!.replace(/\$\{[^}]*\}/g, '*'),
  );
  return [...new Set(keys)];
}

const matches = (pattern: string, key: string) =>
  new RegExp(`^${pattern.replace(/[.+?^$()|[\]\\-]/g, '\\$&').replace(/\*/g, '[^:]+')}$`).test(key);

describe('every ledger line of the engine is a formula in the workbook', () => {
  it('reads the engine’s line keys from its source', () => {
    const keys = engineLineKeys();
    // A sample by family, so a change of the source's style cannot make the list empty.
    expect(keys).toEqual(
      expect.arrayContaining([
        'capex',
        'revenue:*',
        'drawdown:*',
        'debt:*:arrears-balance',
        'gov-debt:*:*',
        'equity:*:preferred-unpaid',
        'dsra-equity',
        'maintenance-balance',
        'lock-up-balance',
        'government-net',
      ]),
    );
    expect(keys.length).toBeGreaterThanOrEqual(60);
  });

  it('the scenarios here have every one of them', () => {
    const produced = new Set(ALL.flatMap(([, s]) => ledgerLines(simulate(s)).map((l) => l.key)));
    const missing = engineLineKeys().filter((p) => ![...produced].some((k) => matches(p, k)));
    expect(missing).toEqual([]);
  });

  it.each(ALL)('%s: every line and every metric has a formula', (_name, scenario) => {
    const result = simulate(scenario);
    const lines = ledgerSheet(scenario, result);
    expect(lines.filter((l) => !l.formulas).map((l) => l.line.key)).toEqual([]);
    expect(
      lines.flatMap((l) =>
        l.cells.flatMap((c, t) =>
          c.kind === 'engine' && c.value !== null ? [`${l.line.key}@${t}`] : [],
        ),
      ),
    ).toEqual([]);
    const metrics = metricsSheet(scenario, result, lines).filter((m) => !m.years);
    expect(metrics.filter((m) => m.formula === null && m.value !== null).map((m) => m.key)).toEqual(
      [],
    );
  });
});
