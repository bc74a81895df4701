import { Dec } from '../../../src/domain/decimal';
import { simulate } from '../../../src/domain/engine/simulate';
import { sideTotal } from '../../../src/domain/engine/sources-and-uses';
import { parseScenario } from '../../../src/domain/scenario/parse';
import { small, smallInput } from '../../helpers/scenarios';

const s = (d: Dec | null | undefined) => (d === null || d === undefined ? null : d.toFixed(2));

describe('a hand-worked three-year project', () => {
  // Worked by hand (see test/helpers/scenarios.ts for the inputs):
  // build year: loan 600,000 drawn, interest (0 + 600,000/2) × 5 % = 15,000 paid by the equity holder.
  // year 1: interest 30,000, depreciation (1,000,000 + 15,000 construction interest) / 2 = 507,500
  //         (engine 1.2.0: paid construction interest is in the depreciable base),
  //         taxable −37,500 (loss, no tax), CFADS 500,000,
  //         principal 300,000, DSCR 500,000 / 330,000, distribution 170,000.
  // year 2: interest 15,000, taxable −22,500 (no tax), principal 300,000, DSCR 500,000 / 315,000,
  //         distribution 185,000.
  const r = simulate(small());
  const [build, y1, y2] = r.ledger;

  it('posts the construction year', () => {
    expect(build?.phase).toBe('construction');
    expect(s(build?.capex)).toBe('1000000.00');
    expect(build?.drawdowns.map(s)).toEqual(['400000.00', '600000.00']);
    expect(s(build?.debt[0]?.interest)).toBe('15000.00');
    expect(s(build?.debt[0]?.interestPaid)).toBe('15000.00');
    expect(s(build?.shortfallByEquity)).toBe('15000.00');
    expect(s(build?.equity[0]?.shortfallContribution)).toBe('15000.00');
  });

  it('posts the operation years', () => {
    expect([y1, y2].map((y) => s(y?.debt[0]?.interest))).toEqual(['30000.00', '15000.00']);
    expect([y1, y2].map((y) => s(y?.depreciation))).toEqual(['507500.00', '507500.00']);
    expect([y1, y2].map((y) => s(y?.taxableIncome))).toEqual(['-37500.00', '-22500.00']);
    expect([y1, y2].map((y) => s(y?.tax))).toEqual(['0.00', '0.00']);
    expect([y1, y2].map((y) => s(y?.cfads))).toEqual(['500000.00', '500000.00']);
    expect([y1, y2].map((y) => s(y?.debt[0]?.principalPaid))).toEqual(['300000.00', '300000.00']);
    expect([y1, y2].map((y) => y?.dscr?.toFixed(6))).toEqual(['1.515152', '1.587302']);
    expect([y1, y2].map((y) => s(y?.equity[0]?.distribution))).toEqual(['170000.00', '185000.00']);
    expect(s(y2?.debt[0]?.closing)).toBe('0.00');
  });

  it('computes the metrics', () => {
    const m = r.metrics;
    // Project flows −1,000,000, 500,000, 500,000: IRR exactly 0.
    expect(m.projectIrr.status).toBe('ok');
    expect(m.projectIrr.rate?.abs().lt('1e-12')).toBe(true);
    // NPV, flows at year ends (Excel NPV): −1e6/1.06 + 5e5/1.06² + 5e5/1.06³.
    const npv = -1e6 / 1.06 + 5e5 / 1.06 ** 2 + 5e5 / 1.06 ** 3;
    expect(s(m.projectNpv)).toBe(npv.toFixed(2));
    // Equity flows −415,000, 170,000, 185,000: 185x² + 170x − 415 = 0 with x = 1/(1+r).
    const x = (-170 + Math.sqrt(170 ** 2 + 4 * 185 * 415)) / (2 * 185);
    expect(m.equity[0]?.irr.rate?.toNumber()).toBeCloseTo(1 / x - 1, 12);
    expect(s(m.equity[0]?.contributed)).toBe('415000.00');
    expect(s(m.equity[0]?.distributed)).toBe('355000.00');
    expect(m.dscrMin?.toFixed(6)).toBe('1.515152');
    expect(m.dscrMinYear).toBe(2027);
    // Average DSCR = Σ CFADS / Σ debt service = 1,000,000 / 645,000 = 1.5503875… (engine 1.2.0;
    // the mean of the rounded yearly ratios, 1.551227, before).
    expect(m.dscrAvg?.toFixed(6)).toBe('1.550388');
    expect(m.paybackYears).toBe(3);
    // LLCR at 5 %: (500,000/1.05 + 500,000/1.05²) / 600,000.
    expect(m.llcr?.toFixed(6)).toBe(
      new Dec(500000).div('1.05').plus(new Dec(500000).div('1.1025')).div(600000).toFixed(6),
    );
    expect(m.fundingByPillar.enterprise.share.toFixed(6)).toBe('1.000000');
  });

  it('balances sources and uses to the cent', () => {
    const c = r.sourcesAndUses.construction;
    expect(s(sideTotal(c.sources))).toBe('1015000.00');
    expect(s(c.total)).toBe('1015000.00');
    const l = r.sourcesAndUses.lifetime;
    expect(s(sideTotal(l.sources))).toBe(s(l.total));
  });
});

describe('repayment profiles', () => {
  const withLoan = (
    debt: Record<string, unknown>,
    patch: (x: ReturnType<typeof smallInput>) => void = () => undefined,
  ) =>
    simulate(
      small((x) => {
        x.timeline.operationYears = 5;
        x.funding.sources[1] = {
          id: 'loan',
          name: 'Loan',
          type: 'bank-loan',
          amountYuan: '600000',
          debt: { annualRate: '0.05', tenorYears: 6, repayment: 'bullet', ...debt } as never,
        };
        patch(x);
      }),
    );

  it('bullet: interest only, everything at maturity', () => {
    const r = withLoan({ repayment: 'bullet' });
    const principal = r.ledger.map((y) => s(y.debt[0]?.principalPaid));
    expect(principal).toEqual(['0.00', '0.00', '0.00', '0.00', '0.00', '600000.00']);
    expect(r.ledger.slice(1).map((y) => s(y.debt[0]?.interestPaid))).toEqual(
      Array(5).fill('30000.00'),
    );
  });

  it('annuity: level payment equal to PMT(5 %, 5, 600,000) = 138,584.89', () => {
    const r = withLoan({ repayment: 'annuity' });
    const service = r.ledger
      .slice(1)
      .map((y) => y.debt[0]!.interestPaid.plus(y.debt[0]!.principalPaid).toFixed(2));
    // PMT = 600000 × 0.05 / (1 − 1.05^−5) = 138,584.88...; posted principal rounds, the last year takes the rest.
    for (const v of service.slice(0, 4))
      expect(Math.abs(Number(v) - 138584.88)).toBeLessThanOrEqual(0.01);
    expect(Math.abs(Number(service[4]) - 138584.88)).toBeLessThanOrEqual(0.05);
    expect(s(r.ledger[5]?.debt[0]?.closing)).toBe('0.00');
  });

  it('grace years: interest only first, then equal principal', () => {
    const r = withLoan({ repayment: 'equal-principal', graceYears: 2 });
    expect(r.ledger.map((y) => s(y.debt[0]?.principalPaid))).toEqual([
      '0.00',
      '0.00',
      '0.00',
      '200000.00',
      '200000.00',
      '200000.00',
    ]);
  });

  it('capitalised construction interest raises the balance', () => {
    const r = withLoan({ repayment: 'equal-principal', constructionInterest: 'capitalised' });
    expect(s(r.ledger[0]?.debt[0]?.capitalisedInterest)).toBe('15000.00');
    expect(s(r.ledger[0]?.debt[0]?.closing)).toBe('615000.00');
    expect(s(r.ledger[0]?.shortfall)).toBe('0.00');
    expect(r.ledger.slice(1).map((y) => s(y.debt[0]?.principalPaid))).toEqual(
      Array(5).fill('123000.00'),
    );
  });

  it('sculpted: the src/domain/README.md "Debt sculpting" example through the engine, DSCR 1.30 each year', () => {
    // CFADS 120, 130, 140, 150, 160 (millions) from one income line with ramp-up, no opex, no tax;
    // the loan is sized 463.0049 million like the worked example, so it repays exactly.
    const r = simulate(
      parseScenario(
        smallInput((x) => {
          x.timeline.operationYears = 5;
          x.capex.scheduleYuan = ['463004900.00'];
          x.operatingCost.annualYuan = '0';
          x.tax = { incomeTaxRate: '0' };
          x.revenues = [
            {
              kind: 'other',
              name: 'CFADS',
              annualYuan: '160000000',
              rampUp: ['0.75', '0.8125', '0.875', '0.9375'],
            },
          ];
          x.funding.sources = [
            {
              id: 'loan',
              name: 'Loan',
              type: 'bank-loan',
              amountYuan: '463004900.00',
              debt: {
                annualRate: '0.05',
                tenorYears: 6,
                repayment: 'sculpted',
                targetDscr: '1.30',
              },
            },
          ];
          x.shortfall = 'government';
        }),
      ),
    );
    const principal = r.ledger.slice(1).map((y) => y.debt[0]!.principalPaid.div(1e6).toFixed(4));
    expect(principal.slice(0, 4)).toEqual(['69.1574', '80.3076', '92.0153', '104.3084']);
    expect(principal[4]).toBe('117.2161');
    for (const y of r.ledger.slice(1, 5)) expect(y.dscr?.toFixed(4)).toBe('1.3000');
    expect(s(r.ledger[5]?.debt[0]?.closing)).toBe('0.00');
    expect(r.metrics.llcr?.toFixed(4)).toBe('1.3000');
  });
});

describe('shortfalls are funded or flagged, never silent', () => {
  const poor = (policy: 'government' | 'equity' | 'unfunded') =>
    simulate(
      small((x) => {
        x.revenues = [{ kind: 'other', name: 'Income', annualYuan: '200000' }];
        x.shortfall = policy;
      }),
    );

  it('government policy: the shortfall is government outlay and the loan is repaid', () => {
    const r = poor('government');
    // Year 1: CFADS −100,000 (200,000 − 300,000); debt service 330,000: shortfall 430,000.
    expect(s(r.ledger[1]?.shortfallByGovernment)).toBe('430000.00');
    expect(s(r.ledger[2]?.debt[0]?.closing)).toBe('0.00');
    expect(r.flags.map((f) => f.code)).toContain('government-shortfall-support');
    expect(s(r.metrics.governmentOutlayByInstrument['shortfall-support'])).toBe('860000.00');
  });

  it('unfunded policy: the loan is flagged as not repaid', () => {
    const r = poor('unfunded');
    const codes = r.flags.map((f) => f.code);
    expect(codes).toContain('debt-not-repaid');
    expect(codes).toContain('unfunded-shortfall');
    expect(r.ledger[2]?.debt[0]?.closing.gt(600000)).toBe(true);
    const l = r.sourcesAndUses.lifetime;
    expect(s(sideTotal(l.sources))).toBe(s(l.total));
  });
});

describe('overrides without copying the scenario', () => {
  const base = small();
  it('revenue factor scales revenue and leaves the scenario untouched', () => {
    const r = simulate(base, { overrides: { revenueFactor: new Dec('0.5') } });
    expect(s(r.ledger[1]?.totalRevenue)).toBe('400000.00');
    expect(s(simulate(base).ledger[1]?.totalRevenue)).toBe('800000.00');
  });
  it('capex factor scales capex and every source', () => {
    const r = simulate(base, { overrides: { capexFactor: new Dec('1.1') } });
    expect(r.sources.map((x) => s(x.amount))).toEqual(['440000.00', '660000.00']);
    expect(s(r.ledger[0]?.capex)).toBe('1100000.00');
  });
  it('rate shift adds to every loan rate: 600,000 at 5 % + 1 % gives 36,000 interest in year 1', () => {
    const r = simulate(base, { overrides: { rateShift: new Dec('0.01') } });
    expect(s(r.ledger[1]?.debt[0]?.interest)).toBe('36000.00');
    expect(s(simulate(base).ledger[1]?.debt[0]?.interest)).toBe('30000.00');
  });
  it('rejects a nonsensical override', () => {
    expect(() => simulate(base, { overrides: { opexFactor: new Dec(0) } })).toThrow(/opexFactor/);
  });
});
