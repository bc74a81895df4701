import { Dec } from '../../../src/domain/decimal';
import { mofAvailabilityPayment } from '../../../src/domain/engine/government';
import { simulate } from '../../../src/domain/engine/simulate';
import { DomainError } from '../../../src/domain/errors';
import {
  affordabilityChartData,
  assessAffordability,
  switchMember,
} from '../../../src/domain/fiscal/affordability';
import { parseBudgetForecast } from '../../../src/domain/fiscal/budget';
import { governmentObligations } from '../../../src/domain/fiscal/obligations';
import { parseThresholds } from '../../../src/domain/fiscal/thresholds';
import { valueForMoney } from '../../../src/domain/fiscal/vfm';
import { bondProject, legacyPpp, member } from './builders';

const fen = (d: Dec | null | undefined) => (d == null ? null : d.toFixed(2));

/*
 * Hand-worked portfolio (budget: 10,000,000 yuan in 2025, +5 % a year):
 *   budget 2025 10,000,000.00 | 2026 10,500,000.00 | 2027 11,025,000.00 | 2028 11,576,250.00 | 2029 12,155,062.50
 * A (PPP, built 2026, operated 2027–2029): government equity 200,000 in 2026; operating subsidy
 *   100,000 and risk-bearing cost 10,000 in 2027–2029; land (supporting investment) 1,200,000 in 2025.
 * B (concession, built 2027, operated 2028–2029): budget grant 500,000 in 2027 (supporting
 *   investment); operating subsidy 300,000 in 2028 and 330,000 in 2029 (+10 %).
 * C (government delivery, special bond): not a PPP obligation.
 *   year  total       ratio      vs 10 % cap               vs 5 % line
 *   2025  1,200,000   0.120000   breach 200,000.00         above
 *   2026    200,000   0.019048   within                    below
 *   2027    610,000   0.055329   within (cap 1,102,500)    above (551,250)
 *   2028    410,000   0.035417   within                    below
 *   2029    440,000   0.036199   within                    below
 * With a local cap of 5 %: 2025 over by 700,000.00 and 2027 by 58,750.00.
 */
const a = legacyPpp((s) => {
  s.fiscal = {
    riskBearing: { annualYuan: '10000' },
    supportingInvestment: { byYear: [{ year: 2025, amountYuan: '1200000' }] },
  };
});
const bInput = (grant: boolean) =>
  legacyPpp((s) => {
    s.project.code = 'T-PPP-B';
    s.scenario.delivery = 'concession';
    s.scenario.name = grant ? 'with grant' : 'no grant';
    s.timeline = { startYear: 2027, constructionYears: 1, operationYears: 2 };
    s.capex = { scheduleYuan: ['2000000'] };
    s.operatingCost = { annualYuan: '400000' };
    s.revenues = [{ kind: 'other', name: 'Fees', annualYuan: '200000' }];
    s.government = { operatingSubsidy: { annualYuan: '300000', escalation: '0.1' } };
    s.funding.sources = grant
      ? [
          { id: 'budget', name: 'Budget grant', type: 'budget', amountYuan: '500000' },
          { id: 'private', name: 'Private equity', type: 'social-equity', amountYuan: '1500000' },
        ]
      : [{ id: 'private', name: 'Private equity', type: 'social-equity', amountYuan: '2000000' }];
  });
const b = bInput(true);
const c = bondProject();
const members = [member(a), member(b), member(c)];
const forecast = parseBudgetForecast({
  method: 'growth',
  baseYear: 2025,
  baseAmountYuan: '10000000',
  growth: '0.05',
});

describe('PPP obligations of one scenario (财金〔2015〕21号 components)', () => {
  it.each([
    // year, equity, operating subsidy, risk-bearing, supporting, total
    [2025, '0.00', '0.00', '0.00', '1200000.00', '1200000.00'],
    [2026, '200000.00', '0.00', '0.00', '0.00', '200000.00'],
    [2027, '0.00', '100000.00', '10000.00', '0.00', '110000.00'],
    [2029, '0.00', '100000.00', '10000.00', '0.00', '110000.00'],
  ])(
    'project A in %i: equity %s, subsidy %s, risk %s, supporting %s = %s',
    (year, eq, sub, risk, sup, total) => {
      const y = governmentObligations(a, simulate(a)).find((r) => r.year === year)!;
      expect(
        [
          y.components.equityContribution,
          y.components.operatingSubsidy,
          y.components.riskBearing,
          y.components.supportingInvestment,
          y.components.total,
        ].map(fen),
      ).toEqual([eq, sub, risk, sup, total]);
    },
  );

  it('counts a budget grant into a PPP project as supporting investment (investment subsidy)', () => {
    const y = governmentObligations(b, simulate(b)).find((r) => r.year === 2027)!;
    expect(fen(y.detail.investmentSubsidy)).toBe('500000.00');
    expect(fen(y.components.supportingInvestment)).toBe('500000.00');
  });

  it('counts government shortfall support in operation as operating subsidy', () => {
    const s = legacyPpp((x) => {
      x.government = {};
      x.shortfall = 'government';
    });
    // Revenue 250,000 − cost 300,000: the government covers 50,000 a year.
    const y = governmentObligations(s, simulate(s)).find((r) => r.year === 2027)!;
    expect(fen(y.detail.operatingShortfallSupport)).toBe('50000.00');
    expect(fen(y.components.operatingSubsidy)).toBe('50000.00');
  });
});

describe('portfolio affordability (hand-worked, default thresholds)', () => {
  const report = assessAffordability(members, forecast);

  it('counts only PPP and concession projects', () => {
    expect(report.members.map((m) => [m.projectCode, m.counted])).toEqual([
      ['T-PPP-A', true],
      ['T-PPP-B', true],
      ['T-BOND-1', false],
    ]);
    expect(report.rows.map((r) => r.year)).toEqual([2025, 2026, 2027, 2028, 2029]);
  });

  it.each([
    // year, total, budget, ratio, cap yuan, breach, breach yuan, above 5 %
    [2025, '1200000.00', '10000000.00', '0.120000', '1000000.00', true, '200000.00', true],
    [2026, '200000.00', '10500000.00', '0.019048', '1050000.00', false, '0.00', false],
    [2027, '610000.00', '11025000.00', '0.055329', '1102500.00', false, '0.00', true],
    [2028, '410000.00', '11576250.00', '0.035417', '1157625.00', false, '0.00', false],
    [2029, '440000.00', '12155062.50', '0.036199', '1215506.25', false, '0.00', false],
  ])(
    '%i: obligations %s of budget %s = %s',
    (year, total, budget, ratio, capYuan, breach, breachYuan, above) => {
      const r = report.rows.find((x) => x.year === year)!;
      expect(fen(r.totalYuan)).toBe(total);
      expect(fen(r.budgetYuan)).toBe(budget);
      expect(r.ratio?.toFixed(6)).toBe(ratio);
      expect(fen(r.capYuan)).toBe(capYuan);
      expect(r.breach).toBe(breach);
      expect(fen(r.breachYuan)).toBe(breachYuan);
      expect(r.aboveNewProjectLine).toBe(above);
    },
  );

  it('breaks 2027 down by component and by member', () => {
    const r = report.rows.find((x) => x.year === 2027)!;
    expect(fen(r.obligations.operatingSubsidy)).toBe('100000.00');
    expect(fen(r.obligations.riskBearing)).toBe('10000.00');
    expect(fen(r.obligations.supportingInvestment)).toBe('500000.00');
    expect(fen(r.obligations.equityContribution)).toBe('0.00');
    expect(r.byMember.map((m) => [m.memberId, fen(m.total)])).toEqual([
      ['T-PPP-A', '110000.00'],
      ['T-PPP-B', '500000.00'],
    ]);
    expect(fen(r.headroomYuan)).toBe('492500.00');
  });

  it('lists the breach years, the years above the 5 % line and the peak', () => {
    expect(report.breachYears).toEqual([2025]);
    expect(report.yearsAboveNewProjectLine).toEqual([2025, 2027]);
    expect(report.yearsWithoutBudget).toEqual([]);
    expect([report.peak?.year, report.peak?.ratio.toFixed(6)]).toEqual([2025, '0.120000']);
  });

  it('applies a lower local cap: 5 % makes 2027 breach by 58,750.00', () => {
    const local = assessAffordability(
      members,
      forecast,
      parseThresholds({ affordabilityCap: '0.05' }),
    );
    expect(local.breachYears).toEqual([2025, 2027]);
    expect(local.rows.map((r) => fen(r.breachYuan))).toEqual([
      '700000.00',
      '0.00',
      '58750.00',
      '0.00',
      '0.00',
    ]);
  });

  it('treats a total exactly at the cap as within it', () => {
    const exact = parseBudgetForecast({
      method: 'explicit',
      years: [{ year: 2027, amountYuan: '6100000' }],
    });
    const r = assessAffordability(members, exact).rows.find((x) => x.year === 2027)!;
    expect(r.ratio?.toFixed(6)).toBe('0.100000');
    expect(r.breach).toBe(false);
    expect(fen(r.breachYuan)).toBe('0.00');
  });

  it('leaves years without a budget figure unjudged', () => {
    const partial = parseBudgetForecast({
      method: 'explicit',
      years: [{ year: 2027, amountYuan: '11025000' }],
    });
    const r = assessAffordability(members, partial);
    expect(r.yearsWithoutBudget).toEqual([2025, 2026, 2028, 2029]);
    const y2025 = r.rows[0]!;
    expect([y2025.ratio, y2025.breachYuan, y2025.aboveNewProjectLine, y2025.breach]).toEqual([
      null,
      null,
      null,
      false,
    ]);
    expect(r.breachYears).toEqual([]);
  });

  it('limits the years on request', () => {
    expect(
      assessAffordability(members, forecast, undefined, { fromYear: 2026, toYear: 2028 }).rows.map(
        (r) => r.year,
      ),
    ).toEqual([2026, 2027, 2028]);
  });

  it("adds the jurisdiction's other PPP obligations: 900,000 more in 2026 breaches the cap by 50,000.00", () => {
    const r = assessAffordability(members, forecast, undefined, {
      otherObligations: [
        { year: 2026, amountYuan: '900000' },
        { year: 2030, amountYuan: '100000.00' },
      ],
    });
    const y2026 = r.rows.find((x) => x.year === 2026)!;
    expect([fen(y2026.obligations.total), fen(y2026.otherYuan), fen(y2026.totalYuan)]).toEqual([
      '200000.00',
      '900000.00',
      '1100000.00',
    ]);
    expect(y2026.ratio?.toFixed(6)).toBe('0.104762');
    expect(fen(y2026.breachYuan)).toBe('50000.00');
    expect(r.breachYears).toEqual([2025, 2026]);
    // A year with only other obligations is reported: 100,000 of 12,762,815.63.
    const y2030 = r.rows.at(-1)!;
    expect([y2030.year, fen(y2030.budgetYuan), y2030.ratio?.toFixed(6)]).toEqual([
      2030,
      '12762815.63',
      '0.007835',
    ]);
    expect(y2030.byMember.every((m) => m.total.isZero())).toBe(true);
    expect(fen(report.rows[0]!.otherYuan)).toBe('0.00');
  });

  it('refuses other obligations that are negative or given twice for a year', () => {
    const run = (otherObligations: Array<{ year: number; amountYuan: string }>) => () =>
      assessAffordability(members, forecast, undefined, { otherObligations });
    expect(run([{ year: 2026, amountYuan: '-1' }])).toThrow(/2026 cannot be negative/);
    expect(
      run([
        { year: 2026, amountYuan: '1' },
        { year: 2026, amountYuan: '2' },
      ]),
    ).toThrow(/2026 are given twice/);
    expect(run([{ year: 2026, amountYuan: '1e' }])).toThrow(DomainError);
  });

  it('what-if: switching B to its no-grant scenario moves the 2027 ratio from 0.055329 to 0.009977', () => {
    const whatIf = assessAffordability(
      switchMember(members, 'T-PPP-B', member(bInput(false))),
      forecast,
    );
    const r = whatIf.rows.find((x) => x.year === 2027)!;
    expect(fen(r.totalYuan)).toBe('110000.00');
    expect(r.ratio?.toFixed(6)).toBe('0.009977');
    expect(whatIf.yearsAboveNewProjectLine).toEqual([2025]);
    expect(whatIf.members[1]?.scenarioName).toBe('no grant');
    // The original list is untouched.
    expect(members[1]?.scenario.scenario.name).toBe('with grant');
  });

  it('refuses two scenarios of one project and unknown members', () => {
    expect(() => assessAffordability([member(a), member(a)], forecast)).toThrow(DomainError);
    expect(() => switchMember(members, 'NOPE', member(a))).toThrow(/not in the portfolio/);
  });

  it('gives chart data with the cap drawn', () => {
    const chart = affordabilityChartData(report);
    expect(chart.years).toEqual([2025, 2026, 2027, 2028, 2029]);
    expect(chart.ratioPercent).toEqual([12, 1.9048, 5.5329, 3.5417, 3.6199]);
    expect(chart.capPercent).toEqual([10, 10, 10, 10, 10]);
    expect(chart.newProjectLinePercent).toEqual([5, 5, 5, 5, 5]);
  });
});

/*
 * Issue 9, item 11: a new-mechanism concession's construction-period investment support.
 * N is project B approved on 2025-01-01 (new mechanism): the same 500,000 budget grant in 2027,
 * the same operating subsidy 300,000 (2028) and 330,000 (2029). By default (国办函〔2023〕115号:
 * government investment support during construction is allowed, new future fiscal obligations
 * through concessions are not) the grant is its own line and outside the PPP ratio:
 *   2027: A 110,000 + N 0 = 110,000 / 11,025,000 = 0.009977 (below the 5 % line of 551,250);
 *   the line shows 500,000.00. 2028: 110,000 + 300,000 = 410,000, as before.
 * A jurisdiction that counts it (countConcessionInvestmentSupport) gets B's figures again:
 *   2027: 610,000 / 11,025,000 = 0.055329, above the 5 % line, supporting investment 500,000.
 */
describe("new-mechanism concessions' investment support (issue 9, item 11)", () => {
  const n = legacyPpp((s) => {
    Object.assign(s, structuredClone(bInput(true)));
    s.project = { ...s.project, code: 'T-NM-S', approvalDate: '2025-01-01' };
  });
  const nMembers = [member(a), member(n), member(c)];
  const counting = parseThresholds({ countConcessionInvestmentSupport: true });

  it('is reported apart from supporting investment and left out of the total by default', () => {
    const y = governmentObligations(n, simulate(n)).find((r) => r.year === 2027)!;
    expect(
      [
        y.detail.investmentSubsidy,
        y.detail.concessionInvestmentSupport,
        y.components.supportingInvestment,
        y.components.total,
      ].map(fen),
    ).toEqual(['0.00', '500000.00', '0.00', '0.00']);
    const counted = governmentObligations(n, simulate(n), counting).find((r) => r.year === 2027)!;
    expect([counted.components.supportingInvestment, counted.components.total].map(fen)).toEqual([
      '500000.00',
      '500000.00',
    ]);
  });

  it('stays in the value-for-money PPP value: PV of 500,000 in 2027 at 10 % = 454,545.45', () => {
    const withPsc = legacyPpp((s) => {
      Object.assign(s, structuredClone(bInput(true)));
      s.project = { ...s.project, code: 'T-NM-V', approvalDate: '2025-01-01' };
      s.fiscal = { psc: { referenceBuildCostYuan: '2000000' } };
    });
    const v = valueForMoney(withPsc, simulate(withPsc));
    expect(fen(v.pppValue.supportingInvestment)).toBe('454545.45');
  });

  it('keeps a legacy concession (approved 2019) counting its grant, under 财金〔2015〕21号', () => {
    const y = governmentObligations(b, simulate(b)).find((r) => r.year === 2027)!;
    expect(
      [y.detail.concessionInvestmentSupport, y.components.supportingInvestment].map(fen),
    ).toEqual(['0.00', '500000.00']);
  });

  it('counts a PPP approved under the new mechanism as a concession (115号: every new PPP is one)', () => {
    const ppp = legacyPpp((s) => {
      Object.assign(s, structuredClone(bInput(true)));
      s.project = { ...s.project, code: 'T-NM-P', approvalDate: '2024-05-01' };
      s.scenario.delivery = 'ppp';
    });
    const y = governmentObligations(ppp, simulate(ppp)).find((r) => r.year === 2027)!;
    expect(fen(y.detail.concessionInvestmentSupport)).toBe('500000.00');
  });

  it.each([
    // thresholds, counted, 2027 line, supporting, total, ratio, above 5 %; 2028 total
    ['default', undefined, false, '500000.00', '0.00', '110000.00', '0.009977', false, '410000.00'],
    [
      'counted',
      counting,
      true,
      '500000.00',
      '500000.00',
      '610000.00',
      '0.055329',
      true,
      '410000.00',
    ],
  ] as const)(
    'in the portfolio, %s: 2027 line, supporting, total, ratio, 5 % line',
    (_what, thresholds, counted, line, supporting, total, ratio, above, total2028) => {
      const r = assessAffordability(nMembers, forecast, thresholds);
      const y = r.rows.find((x) => x.year === 2027)!;
      expect(r.concessionInvestmentSupportCounted).toBe(counted);
      expect([
        fen(y.concessionInvestmentSupportYuan),
        fen(y.obligations.supportingInvestment),
        fen(y.totalYuan),
        y.ratio?.toFixed(6),
        y.aboveNewProjectLine,
      ]).toEqual([line, supporting, total, ratio, above]);
      expect(fen(r.rows.find((x) => x.year === 2028)!.totalYuan)).toBe(total2028);
      expect(
        r.rows.filter((x) => x.year !== 2027).map((x) => fen(x.concessionInvestmentSupportYuan)),
      ).toEqual(['0.00', '0.00', '0.00', '0.00']);
    },
  );
});

describe('DOMAIN.md §5.1 worked example through the engine', () => {
  // C = 10,000, p = 6 %, d = 4.9 %, N = 10, O = 500/yr, U = 300/yr.
  const s = legacyPpp((x) => {
    x.timeline = { startYear: 2020, constructionYears: 1, operationYears: 10 };
    x.capex = { scheduleYuan: ['10000'] };
    x.operatingCost = { annualYuan: '500' };
    x.revenues = [{ kind: 'other', name: 'User fees', annualYuan: '300' }];
    x.funding.sources = [
      { id: 'private', name: 'Private equity', type: 'social-equity', amountYuan: '10000' },
    ];
    x.government = {
      availabilityPayment: {
        method: 'mof-formula',
        constructionCostYuan: '10000',
        profitRate: '0.06',
        discountRate: '0.049',
        periodYears: 10,
      },
    };
  });
  const obligations = governmentObligations(s, simulate(s)).filter((y) => y.year >= 2021);
  const inputs = {
    constructionCost: new Dec(10000),
    profitRate: new Dec('0.06'),
    discountRate: new Dec('0.049'),
    periodYears: 10,
  };

  it('year 1 = 1341.94 and year 10 = 1940.2545 by the formula', () => {
    expect(mofAvailabilityPayment(inputs, 1, new Dec(500), new Dec(300)).toFixed(2)).toBe(
      '1341.94',
    );
    expect(mofAvailabilityPayment(inputs, 10, new Dec(500), new Dec(300)).toFixed(4)).toBe(
      '1940.2545',
    );
  });

  it('the 10-year total is 16,220.755 unrounded', () => {
    let total = new Dec(0);
    for (let n = 1; n <= 10; n++)
      total = total.plus(mofAvailabilityPayment(inputs, n, new Dec(500), new Dec(300)));
    expect(total.toFixed(3)).toBe('16220.755');
  });

  it('the fiscal obligations carry the posted payments: 1341.94 … 1940.25, 16,220.76 in all', () => {
    expect(obligations.map((y) => fen(y.components.operatingSubsidy))).toEqual([
      '1341.94',
      '1396.43',
      '1453.58',
      '1513.54',
      '1576.43',
      '1642.40',
      '1711.61',
      '1784.21',
      '1860.37',
      '1940.25',
    ]);
    expect(fen(obligations.reduce((acc, y) => acc.plus(y.components.total), new Dec(0)))).toBe(
      '16220.76',
    );
  });
});
