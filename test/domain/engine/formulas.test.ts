import { Dec } from '../../../src/domain/decimal';
import {
  annuityAvailabilityPayment,
  coverageRatio,
  mofAvailabilityPayment,
} from '../../../src/domain/engine/government';
import { sculptDebt } from '../../../src/domain/engine/sculpt';

const d = (x: string | number) => new Dec(x);

describe('debt sculpting (src/domain/README.md, "Debt sculpting")', () => {
  const r = sculptDebt([120, 130, 140, 150, 160].map(d), d('1.30'), d('0.05'));

  it('sizes the debt at 463.0049', () => {
    expect(r.debt.toFixed(4)).toBe('463.0049');
  });

  it.each([
    [0, '69.1574'],
    [1, '80.3076'],
    [2, '92.0153'],
    [3, '104.3084'],
    [4, '117.2161'],
  ])('principal in year %i is %s', (year, expected) => {
    expect(r.principal[year]?.toFixed(4)).toBe(expected);
  });

  it('repays to zero with DSCR 1.30 every year and LLCR 1.30', () => {
    expect(r.closing[4]?.abs().lt('1e-30')).toBe(true);
    for (const x of r.dscr) expect(x.toFixed(10)).toBe('1.3000000000');
    expect(r.llcr.toFixed(10)).toBe('1.3000000000');
  });
});

describe('availability payment, MoF 财金〔2015〕21号 (src/domain/README.md, "Availability payment")', () => {
  const inputs = {
    constructionCost: d(10000),
    profitRate: d('0.06'),
    discountRate: d('0.049'),
    periodYears: 10,
  };
  const year = (n: number) => mofAvailabilityPayment(inputs, n, d(500), d(300));

  it('gives 1341.94 in year 1 and 1940.2545 in year 10', () => {
    expect(year(1).toFixed(2)).toBe('1341.94');
    expect(year(10).toFixed(4)).toBe('1940.2545');
  });

  it('totals 16,220.755 over 10 years', () => {
    let total = d(0);
    for (let n = 1; n <= 10; n++) total = total.plus(year(n));
    expect(total.toFixed(3)).toBe('16220.755');
  });

  it('annuity variant: C·k(1+k)^N/((1+k)^N−1) + O(1+p) − U, hand-computed', () => {
    // Python decimal: 1.049^10 = 1.6134476615..., 10000 × 0.049 × g / (g − 1) + 530 − 300 = 1518.7641500964654.
    const a = annuityAvailabilityPayment({ ...inputs, annuityRate: d('0.049') }, d(500), d(300));
    const g = d('1.049').pow(10);
    expect(a.toFixed(8)).toBe(
      d(10000).times('0.049').times(g).div(g.minus(1)).plus(230).toFixed(8),
    );
    expect(a.toFixed(10)).toBe('1518.7641500965');
    expect(
      annuityAvailabilityPayment({ ...inputs, annuityRate: d(0) }, d(0), d(0)).toFixed(2),
    ).toBe('1000.00');
    // Without an annuity rate k is the profit rate p = 6 %: 1.06^10 = 1.7908476965428546…,
    // 10000 × 0.06 × g / (g − 1) = 1358.6795822038… + 530 − 300.
    const gp = d('1.06').pow(10);
    expect(annuityAvailabilityPayment(inputs, d(500), d(300)).toFixed(8)).toBe(
      d(600).times(gp).div(gp.minus(1)).plus(230).toFixed(8),
    );
    expect(annuityAvailabilityPayment(inputs, d(500), d(300)).toFixed(4)).toBe('1588.6796');
  });
});

describe('special-bond coverage ratio (src/domain/README.md, "Special-bond coverage")', () => {
  const years = 20;
  const bullet = Array.from({ length: years }, (_, t) =>
    d('224').plus(t === years - 1 ? 10000 : 0),
  );
  // Equal principal in years 11–20: interest on 10,000 for 10 years, then on the declining balance.
  const equal = Array.from({ length: years }, (_, t) => {
    if (t < 10) return d(224);
    const opening = d(10000).minus(d(1000).times(t - 10));
    return opening.times('0.0224').plus(1000);
  });
  const income = (x: number) => Array.from({ length: years }, () => d(x));
  const sum = (xs: Dec[]) => xs.reduce((a, b) => a.plus(b), d(0));

  it('bullet bond: debt service 14,480, coverage 0.967 at 700/yr and 1.243 at 900/yr', () => {
    expect(sum(bullet).toFixed(2)).toBe('14480.00');
    expect(coverageRatio(income(700), bullet)?.toFixed(3)).toBe('0.967');
    expect(coverageRatio(income(900), bullet)?.toFixed(3)).toBe('1.243');
  });

  it('equal principal in years 11–20: debt service 13,472, coverage 1.336 at 900/yr', () => {
    expect(sum(equal).toFixed(2)).toBe('13472.00');
    expect(coverageRatio(income(900), equal)?.toFixed(3)).toBe('1.336');
  });

  it('is undefined without debt service', () => {
    expect(coverageRatio(income(900), [])).toBeNull();
  });
});
