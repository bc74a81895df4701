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
});
