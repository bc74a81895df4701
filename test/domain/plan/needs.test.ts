import { needsFromResult } from '../../../src/domain/plan/needs';
import { bondProject, legacyPpp, member } from '../fiscal/builders';

const rows = (n: ReturnType<typeof needsFromResult>) =>
  n.map((y) => [y.year, String(y.generalBudgetFen), String(y.specialBondFen), String(y.pppFen)]);
const opts = { countConcessionInvestmentSupport: false };

describe('needsFromResult (hand-worked figures of test/domain/fiscal/city-cost.test.ts)', () => {
  it('T-BOND-1: budget 200,000 and a special bond of 800,000 drawn in 2026, no PPP', () => {
    expect(rows(needsFromResult(member(bondProject()), opts))).toEqual([
      [2026, '20000000', '80000000', '0'],
      [2027, '0', '0', '0'],
      [2028, '0', '0', '0'],
      [2029, '0', '0', '0'],
      [2030, '0', '0', '0'],
    ]);
  });

  it('T-PPP-A: government equity 200,000 in 2026, operating subsidy 100,000 a year after', () => {
    const got = rows(needsFromResult(member(legacyPpp()), opts));
    expect(got.map((r) => r.slice(0, 3))).toEqual([
      [2026, '20000000', '0'],
      [2027, '10000000', '0'],
      [2028, '10000000', '0'],
      [2029, '10000000', '0'],
    ]);
  });

  it('T-GB: general-bond service is general-budget use, its draw general-bond issuance', () => {
    // city-cost.test.ts "cityCost with a general bond": budget 400,000 + interest 24,000 (2026);
    // principal 300,000 + interest 24,000 + shortfall support 50,000 (2027); 300,000 + 12,000 +
    // 50,000 (2028). The bond draws 600,000 in 2026.
    const gb = bondProject((s) => {
      s.project.code = 'T-GB';
      s.revenues = [];
      s.operatingCost = { annualYuan: '50000' };
      s.timeline = { startYear: 2026, constructionYears: 1, operationYears: 2 };
      s.funding.sources = [
        { id: 'budget', name: 'Budget', type: 'budget', amountYuan: '400000' },
        {
          id: 'gb',
          name: '一般债券',
          type: 'general-bond',
          amountYuan: '600000',
          debt: { annualRate: '0.04', tenorYears: 3, repayment: 'equal-principal' },
        },
      ];
    });
    const got = needsFromResult(member(gb), opts).map((y) => [
      y.year,
      String(y.generalBudgetFen),
      String(y.specialBondFen),
      String(y.generalBondFen),
    ]);
    expect(got).toEqual([
      [2026, '42400000', '0', '60000000'],
      [2027, '37400000', '0', '0'],
      [2028, '36200000', '0', '0'],
    ]);
  });
});
