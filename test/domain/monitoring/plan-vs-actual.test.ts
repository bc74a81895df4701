import { Dec } from '../../../src/domain/decimal';
import { actualsSchema, type ActualsFrame } from '../../../src/domain/monitoring/actuals';
import {
  offPlan,
  planVsActual,
  type PlanYear,
} from '../../../src/domain/monitoring/plan-vs-actual';
import { formatPath } from '../../../src/domain/scenario/parse';

const d = (s: string) => new Dec(s);
/** A hand-made plan: two construction years, two operation years, streams Fees and Ads. */
const PLAN: PlanYear[] = [
  { year: 2026, capex: d('6000000.00'), opex: d('0'), revenues: [d('0'), d('0')] },
  { year: 2027, capex: d('4000000.00'), opex: d('0'), revenues: [d('0'), d('0')] },
  { year: 2028, capex: d('0'), opex: d('300000.00'), revenues: [d('800000.00'), d('0')] },
  { year: 2029, capex: d('0'), opex: d('306000.00'), revenues: [d('816000.00'), d('0')] },
];
const STREAMS = ['Fees', 'Ads'];
const row = (
  year: number,
  lines: Partial<{ capexYuan: string; opexYuan: string }>,
  revenuesYuan = {},
) => ({
  year,
  ...lines,
  revenuesYuan,
  volumes: {},
  source: 'Annual report',
});

describe('plan vs actual on hand-worked figures', () => {
  const actuals = [
    row(2026, { capexYuan: '6700000.00' }),
    row(2028, { opexYuan: '330000.00' }, { Fees: '680000.00', Ads: '5.00' }),
  ];
  const table = planVsActual(PLAN, STREAMS, actuals);
  const get = (year: number, line: string) => table.find((x) => x.year === year && x.line === line);

  it('capex 6,700,000 against 6,000,000: +700,000, 7/60 > 10 % flagged', () => {
    const c = get(2026, 'capex');
    expect(c?.difference.toString()).toBe('700000');
    expect(c?.ratio?.eq(d('7').div(60))).toBe(true);
    expect(c?.flagged).toBe(true);
  });
  it('opex 330,000 against 300,000 is exactly 10 %: not beyond the threshold', () => {
    expect(get(2028, 'opex')?.ratio?.toString()).toBe('0.1');
    expect(get(2028, 'opex')?.flagged).toBe(false);
  });
  it('revenue 680,000 against 800,000: −120,000, 15 % flagged', () => {
    expect(get(2028, 'revenue:Fees')?.difference.toString()).toBe('-120000');
    expect(get(2028, 'revenue:Fees')?.ratio?.toString()).toBe('0.15');
    expect(get(2028, 'revenue:Fees')?.flagged).toBe(true);
  });
  it('a plan of 0: no ratio, flagged when the actual is not 0', () => {
    expect(get(2028, 'revenue:Ads')).toMatchObject({ ratio: null, flagged: true });
    const zero = planVsActual(PLAN, STREAMS, [row(2028, {}, { Ads: '0' })]);
    expect(zero[0]).toMatchObject({ ratio: null, flagged: false });
  });
  it('only recorded lines are compared, in year order', () => {
    expect(table.map((x) => `${x.year} ${x.line}`)).toEqual([
      '2026 capex',
      '2028 opex',
      '2028 revenue:Fees',
      '2028 revenue:Ads',
    ]);
  });
  it('a threshold of 5 % flags the 10 % opex too', () => {
    const t = planVsActual(PLAN, STREAMS, actuals, d('0.05'));
    expect(t.find((x) => x.line === 'opex')?.flagged).toBe(true);
  });
  it('off plan is decided by the latest year only', () => {
    const a = [row(2026, { capexYuan: '9000000.00' }), row(2028, { opexYuan: '300000.00' })];
    expect(offPlan(planVsActual(PLAN, STREAMS, a))).toBe(false);
    expect(offPlan(planVsActual(PLAN, STREAMS, a.slice(0, 1)))).toBe(true);
    expect(offPlan([])).toBe(false);
  });
});

describe('actuals validation', () => {
  const frame: ActualsFrame = {
    startYear: 2026,
    constructionYears: 2,
    operationYears: 2,
    streams: [
      { name: 'Fees', kind: 'user-fee' },
      { name: 'Ads', kind: 'other' },
    ],
  };
  const issues = (input: unknown) => {
    const r = actualsSchema(frame).safeParse(input);
    return r.success ? [] : r.error.issues.map((i) => `${formatPath(i.path)}: ${i.message}`);
  };
  it.each([
    [{ year: 2030, source: 'x' }, "year: Year 2030 is outside the project's timeline (2026–2029)"],
    [{ year: 2025, source: 'x' }, "year: Year 2025 is outside the project's timeline (2026–2029)"],
    [{ year: 2026, capexYuan: '-1.00', source: 'x' }, 'capexYuan: Capex cannot be negative'],
    [
      { year: 2026, capexYuan: '1.005', source: 'x' },
      'capexYuan: Capex has more than 2 decimals (fen)',
    ],
    [
      { year: 2028, revenuesYuan: { Tolls: '1.00' }, source: 'x' },
      'revenuesYuan.Tolls: The scenario has no revenue stream "Tolls"',
    ],
    [
      { year: 2028, volumes: { Ads: '10' }, source: 'x' },
      'volumes.Ads: The scenario has no user-fee stream "Ads"',
    ],
    [
      { year: 2028, capexYuan: '1.00', source: 'x' },
      'capexYuan: Capex is recorded for construction years only (2026–2027)',
    ],
    [
      { year: 2028, satisfaction: '100.5', source: 'x' },
      'satisfaction: Survey score must be between 0 and 100',
    ],
    [{ year: 2028, opexYuan: '1.00' }, 'source: This field is required'],
  ])('%j → %s', (input, expected) => {
    expect(
      issues(input).map((s) => s.replace(/Invalid input.*$/, 'This field is required')),
    ).toContain(expected);
  });
  it('accepts a full operation year', () => {
    expect(
      issues({
        year: 2028,
        opexYuan: '310000.5',
        revenuesYuan: { Fees: '1.00', Ads: '' },
        volumes: { Fees: '12000' },
        satisfaction: '86.5',
        source: 'Audit 2028',
      }),
    ).toEqual([]);
  });
});
