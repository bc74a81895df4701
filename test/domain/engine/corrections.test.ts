import fc from 'fast-check';
import { Dec, ZERO } from '../../../src/domain/decimal';
import { simulate } from '../../../src/domain/engine/simulate';
import { sideTotal } from '../../../src/domain/engine/sources-and-uses';
import { parseScenario } from '../../../src/domain/scenario/parse';
import { small, smallInput } from '../../helpers/scenarios';

// Hand-worked cases for the engine rules of src/domain/README.md (issue 9). Figures in yuan.
const s = (d: Dec | null | undefined) => (d === null || d === undefined ? null : d.toFixed(2));

describe('public-data ceiling (src/domain/README.md, "Public-data ceiling")', () => {
  // Opex 100,000 a year, allowed profit 10 %, no tax on data income: ceiling 110,000 a year.
  // Income 300,000 × ramp-up [1, 0.1, 1, 0.5] = G 300,000 / 30,000 / 300,000 / 150,000.
  //   year  G        excess X  carried in  revenue R                     carried out
  //   2027  300,000  190,000         0     300,000                       190,000
  //   2028   30,000        0   190,000           0 (30,000 deducted)     160,000
  //   2029  300,000  190,000   160,000     140,000                       190,000
  //   2030  150,000   40,000   190,000     150,000 − 190,000 − 40,000 = −80,000 (last year)
  // Σ R = 360,000 = Σ min(G, ceiling) ≤ Σ ceilings 440,000; the authority's 10 % follows R.
  const r = simulate(
    small((x) => {
      x.timeline.operationYears = 4;
      x.operatingCost = { annualYuan: '100000' };
      x.revenues = [
        {
          kind: 'public-data',
          name: 'Data',
          annualIncomeYuan: '300000',
          rampUp: ['1', '0.1', '1', '0.5'],
          allowedProfitRate: '0.1',
          taxRate: '0',
          authorityShare: '0.1',
        },
      ];
      x.funding.sources = [
        { id: 'eq', name: 'Equity', type: 'enterprise-equity', amountYuan: '1000000' },
      ];
    }),
  );
  const operation = r.ledger.slice(1);

  it.each([
    [2027, '300000.00', '30000.00'],
    [2028, '0.00', '0.00'],
    [2029, '140000.00', '14000.00'],
    [2030, '-80000.00', '-8000.00'],
  ])('%i: revenue %s, authority share %s', (year, revenue, share) => {
    const y = operation.find((x) => x.year === year);
    expect(s(y?.revenues[0])).toBe(revenue);
    expect(s(y?.dataAuthorityShare[0])).toBe(share);
  });

  it('flags the years with an excess and the total excess deducted', () => {
    const flag = r.flags.find((f) => f.code === 'data-revenue-capped');
    expect(flag?.years).toEqual([2027, 2029, 2030]);
    expect(s(flag?.amount)).toBe('420000.00');
  });

  it('keeps sources and uses balanced with a negative last-year revenue', () => {
    const l = r.sourcesAndUses.lifetime;
    expect(s(sideTotal(l.sources))).toBe(s(l.total));
  });

  it('over the life the operator never keeps more than the ceilings (property)', () => {
    const fraction = fc.integer({ min: 0, max: 100 }).map((p) => (p / 100).toFixed(2));
    const arb = fc.record({
      years: fc.integer({ min: 1, max: 15 }),
      opex: fc.integer({ min: 0, max: 5_000_000 }),
      escalation: fc.integer({ min: 0, max: 800 }).map((bp) => (bp / 10000).toFixed(4)),
      income: fc.integer({ min: 0, max: 20_000_000 }),
      growth: fc.integer({ min: -500, max: 1500 }).map((bp) => (bp / 10000).toFixed(4)),
      rampUp: fc.array(fraction, { maxLength: 10 }),
      profit: fraction,
      share: fraction,
    });
    fc.assert(
      fc.property(arb, (a) => {
        const input = smallInput((x) => {
          x.timeline.operationYears = a.years;
          x.operatingCost = { annualYuan: String(a.opex), escalation: a.escalation };
          x.revenues = [
            {
              kind: 'public-data',
              name: 'Data',
              annualIncomeYuan: String(a.income),
              growth: a.growth,
              rampUp: a.rampUp.slice(0, a.years),
              allowedProfitRate: a.profit,
              taxRate: '0.06',
              costBaseShare: a.share,
            },
          ];
          x.funding.sources = [
            { id: 'eq', name: 'Equity', type: 'enterprise-equity', amountYuan: '1000000' },
          ];
        });
        const r = simulate(parseScenario(input));
        const ratio = new Dec(a.share).times(new Dec(1).plus(a.profit)).times('1.06');
        let kept = ZERO;
        let ceilings = ZERO;
        r.ledger.slice(1).forEach((y, k) => {
          kept = kept.plus(y.revenues[0] as Dec);
          ceilings = ceilings.plus(y.opex.times(ratio).toDecimalPlaces(2, Dec.ROUND_HALF_UP));
          if (k < a.years - 1) expect(y.revenues[0]?.gte(0)).toBe(true);
        });
        expect(kept.lte(ceilings)).toBe(true);
      }),
      { numRuns: 200 },
    );
  });
});

describe('unfunded shortfalls and arrears (src/domain/README.md, "Shortfalls and arrears")', () => {
  // Loan 600,000 at 5 %, tenor 3 (matures in operation year 2), equal principal, construction
  // interest (0 + 600,000 / 2) × 5 % = 15,000 capitalised: 615,000 owed, 307,500 due a year.
  // No tax; CFADS = revenue − 300,000 opex.
  // 2027: CFADS 100,000. Interest 30,750 paid, principal 69,250 of 307,500: new arrears 238,250.
  // 2028: CFADS 100,000 goes to the arrears first (238,250 → 138,250); at maturity the remaining
  //       307,500 and the year's interest 545,750 × 5 % = 27,287.50 fall due, unpaid: new arrears
  //       334,787.50, balance = arrears = 473,037.50.
  // 2029 (after maturity), interest 473,037.50 × 5 % = 23,651.875 → 23,651.88:
  //   revenue 800,000: CFADS 500,000 repays the arrears 473,037.50 and the interest; 3,310.62 left.
  //   revenue 400,000: CFADS 100,000 repays 100,000 of arrears; the interest is new arrears;
  //                    396,689.38 still owed = 238,250 + 334,787.50 + 23,651.88 − 200,000.
  const run = (lastYearRamp: string) =>
    simulate(
      small((x) => {
        x.timeline.operationYears = 3;
        x.revenues = [
          {
            kind: 'other',
            name: 'Income',
            annualYuan: '800000',
            rampUp: ['0.5', '0.5', lastYearRamp],
          },
        ];
        x.tax = { incomeTaxRate: '0' };
        x.shortfall = 'unfunded';
        const loan = x.funding.sources[1]!;
        loan.debt = { ...loan.debt!, constructionInterest: 'capitalised' };
      }),
    );
  const debtLines = (y: { debt: Array<Record<string, Dec>> } | undefined) => {
    const d = y?.debt[0];
    return [
      'interestPaid',
      'principalPaid',
      'arrears',
      'arrearsPaid',
      'arrearsBalance',
      'closing',
    ].map((k) => s(d?.[k]));
  };

  it.each([
    //         interest paid, principal paid (incl. arrears), new arrears, arrears paid, arrears, closing
    ['1', 2027, ['30750.00', '69250.00', '238250.00', '0.00', '238250.00', '545750.00']],
    ['1', 2028, ['0.00', '100000.00', '334787.50', '100000.00', '473037.50', '473037.50']],
    ['1', 2029, ['23651.88', '473037.50', '0.00', '473037.50', '0.00', '0.00']],
    ['0.5', 2029, ['0.00', '100000.00', '23651.88', '100000.00', '396689.38', '396689.38']],
  ])('last-year ramp-up %s, %i: debt lines', (ramp, year, expected) => {
    const y = run(ramp).ledger.find((x) => x.year === year);
    expect(debtLines(y as never)).toEqual(expected);
  });

  it.each([
    ['1', '573037.50', '0.00', '3310.62'],
    ['0.5', '596689.38', '396689.38', '0.00'],
  ])(
    'last-year ramp-up %s: unfunded %s counted once, %s owed at the end',
    (ramp, unfunded, owed, lastDistribution) => {
      const r = run(ramp);
      const total = r.ledger.reduce((a, y) => a.plus(y.shortfallUnfunded), ZERO);
      expect(s(total)).toBe(unfunded);
      expect(s(r.flags.find((f) => f.code === 'unfunded-shortfall')?.amount)).toBe(unfunded);
      expect(s(r.metrics.unpaidAtEnd)).toBe(owed);
      expect(s(r.ledger[3]?.equity[0]?.distribution)).toBe(lastDistribution);
      const l = r.sourcesAndUses.lifetime;
      expect(s(sideTotal(l.sources))).toBe(s(l.total));
    },
  );

  it('new arrears less arrears recovered equal the debt owed at the end (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 12 }),
        fc.array(fc.integer({ min: 0, max: 100 }), { minLength: 10, maxLength: 10 }),
        fc.integer({ min: 0, max: 1200 }),
        (years, ramp, rateBp) => {
          const r = simulate(
            small((x) => {
              x.timeline.operationYears = years;
              x.revenues = [
                {
                  kind: 'other',
                  name: 'Income',
                  annualYuan: '500000',
                  rampUp: ramp.slice(0, years).map((p) => (p / 100).toFixed(2)),
                },
              ];
              x.shortfall = 'unfunded';
              const loan = x.funding.sources[1]!;
              loan.debt = {
                ...loan.debt!,
                annualRate: (rateBp / 10000).toFixed(4),
                tenorYears: Math.min(3, years + 1),
              };
            }),
          );
          let net = ZERO;
          for (const y of r.ledger)
            for (const d of y.debt) net = net.plus(d.arrears).minus(d.arrearsPaid);
          expect(s(net)).toBe(s(r.ledger[r.ledger.length - 1]?.debt[0]?.arrearsBalance));
          expect(s(r.metrics.unpaidAtEnd)).toBe(s(r.ledger[r.ledger.length - 1]?.debt[0]?.closing));
        },
      ),
      { numRuns: 150 },
    );
  });
});

describe('IRR roots (src/domain/README.md, "IRR roots")', () => {
  // All-equity projects with no tax: project flows = −capex, then revenue − operating cost.
  const flows = (capex: string, opex: string, revenue: string, ramp: string[]) =>
    simulate(
      small((x) => {
        x.timeline.operationYears = ramp.length;
        x.capex = { scheduleYuan: [capex] };
        x.operatingCost = { annualYuan: opex };
        x.revenues = [{ kind: 'other', name: 'Income', annualYuan: revenue, rampUp: ramp }];
        x.tax = { incomeTaxRate: '0' };
        x.funding.sources = [
          { id: 'eq', name: 'Equity', type: 'enterprise-equity', amountYuan: capex },
        ];
      }),
    );

  it.each([
    // −50, 30, −8, 30, 30 (m): three sign changes, one root. With x = 1/(1+r) the NPV is
    // −50 + 30x − 8x² + 30x³ + 30x⁴, whose derivative 30 − 16x + 90x² + 120x³ is positive for
    // x > 0 (90x² − 16x + 30 has no real zero): the NPV rises strictly, so exactly one root.
    [
      '−50, 30, −8, 30, 30 m',
      ['50000000', '8000000', '38000000', ['1', '0', '1', '1']],
      ['0.212606319779699'],
      false,
    ],
    // −1600, 10000, −10000: 1600y² − 10000y + 10000 = 0 in y = 1 + r, y = 1.25 or 5.
    ['−1600, 10000, −10000', ['1600', '10000', '20000', ['1', '0']], ['0.25', '4'], true],
  ] as const)('%s: roots %j', (_, [capex, opex, revenue, ramp], roots, multiple) => {
    const r = flows(capex, opex, revenue, [...ramp]);
    expect(r.metrics.projectIrr.roots.map(String)).toEqual(roots);
    expect(String(r.metrics.projectIrr.rate)).toBe(roots[0]);
    expect(r.metrics.projectIrr.multiple).toBe(multiple);
    const flag = r.flags.find((f) => f.code === 'project-irr-multiple');
    expect(flag?.message).toBe(
      multiple
        ? 'Several rates make the project flows worth zero (25.00 %, 400.00 %); the one nearest 10 % is reported'
        : undefined,
    );
  });
});

describe('DSCR minimum, average and covenant on exact ratios (src/domain/README.md, "DSCR")', () => {
  // A 20,000,000 bullet loan at 5 %, tenor 4 (matures in the last of 3 operation years): debt
  // service 1,000,000, 1,000,000, then 21,000,000. No opex, no tax: CFADS = revenue =
  // 100,000,000 × ramp-up 0.012345674 / 0.012345666 / 0.3 = 1,234,567.40 / 1,234,566.60 / 30,000,000.
  // Exact DSCRs 1.2345674, 1.2345666 (both 1.234567 to 6 dp) and 1.428571428…
  // Minimum: 2028 (1.2345666 < 1.2345674, though both round alike); covenant 1.234567 breached
  // in 2028 only. Average = 32,469,134.00 / 23,000,000 = 1.41170147… → 1.411701 (the mean of
  // the rounded yearly values would be 1.299235).
  const r = simulate(
    small((x) => {
      x.timeline.operationYears = 3;
      x.capex = { scheduleYuan: ['20000000'] };
      x.operatingCost = { annualYuan: '0' };
      x.revenues = [
        {
          kind: 'other',
          name: 'Income',
          annualYuan: '100000000',
          rampUp: ['0.012345674', '0.012345666', '0.3'],
        },
      ];
      x.tax = { incomeTaxRate: '0' };
      x.covenants = { minDscr: '1.234567', bondCoverage: '1.2' };
      x.shortfall = 'government';
      x.funding.sources = [
        {
          id: 'loan',
          name: 'Loan',
          type: 'bank-loan',
          amountYuan: '20000000',
          debt: {
            annualRate: '0.05',
            tenorYears: 4,
            repayment: 'bullet',
            constructionInterest: 'paid',
          },
        },
      ];
    }),
  );

  it('posts the yearly DSCRs to 6 dp', () => {
    expect(r.ledger.slice(1).map((y) => y.dscr?.toFixed(6))).toEqual([
      '1.234567',
      '1.234567',
      '1.428571',
    ]);
  });

  it.each([
    ['minimum', () => r.metrics.dscrMin?.toFixed(6), '1.234567'],
    ['year of the minimum', () => r.metrics.dscrMinYear, 2028],
    ['average Σ CFADS / Σ debt service', () => r.metrics.dscrAvg?.toFixed(6), '1.411701'],
    [
      'covenant breach years',
      () => r.flags.find((f) => f.code === 'dscr-below-covenant')?.years,
      [2028],
    ],
  ])('%s', (_, pick, expected) => {
    expect(pick()).toEqual(expected);
  });
});

describe('payback (src/domain/README.md, "Payback")', () => {
  // All equity, no tax, operating cost 73,205, revenue 200,000 × ramp-up, project rate 10 %.
  // Flows −110,000, 72,600, 79,860, −73,205, 48,315.30, 70,862.44 are d_t × 1.1^(t+1) for
  // d = −100,000, 60,000, 60,000, −50,000, 30,000, 40,000, so the discounted cumulative flow is
  // −100,000, −40,000, 20,000, −30,000, 0, 40,000: last negative after year 3, back to 0 at the
  // end of year 4 → discounted payback 4 + 30,000 / 30,000 = 5.00 (the first crossing gave 2.67).
  // Undiscounted cumulative −110,000, −37,400, 42,460, −30,745, 17,570.30, 88,432.74:
  // payback 4 + 30,745 / 48,315.30 = 4.636… → 4.64 (the first crossing gave 2.47).
  // Cut after the −73,205 year, both end negative (−30,745 and −30,000): no payback.
  const run = (ramp: string[]) =>
    simulate(
      small((x) => {
        x.timeline.operationYears = ramp.length;
        x.capex = { scheduleYuan: ['110000'] };
        x.operatingCost = { annualYuan: '73205' };
        x.revenues = [{ kind: 'other', name: 'Income', annualYuan: '200000', rampUp: ramp }];
        x.tax = { incomeTaxRate: '0' };
        x.discountRates = { project: '0.1', equity: '0.1', government: '0.04' };
        x.funding.sources = [
          { id: 'eq', name: 'Equity', type: 'enterprise-equity', amountYuan: '110000' },
        ];
      }),
    ).metrics;
  const full = ['0.729025', '0.765325', '0', '0.6076015', '0.7203372'];

  it.each([
    ['cumulative flow dips again, then stays ≥ 0', full, 4.64, 5],
    ['cumulative flow ends negative', full.slice(0, 3), null, null],
  ])('%s', (_, ramp, payback, discounted) => {
    const m = run(ramp);
    expect(m.paybackYears).toBe(payback);
    expect(m.discountedPaybackYears).toBe(discounted);
  });

  it('posts the hand-worked flows', () => {
    const r = simulate(
      small((x) => {
        x.timeline.operationYears = 5;
        x.capex = { scheduleYuan: ['110000'] };
        x.operatingCost = { annualYuan: '73205' };
        x.revenues = [{ kind: 'other', name: 'Income', annualYuan: '200000', rampUp: full }];
        x.tax = { incomeTaxRate: '0' };
        x.funding.sources = [
          { id: 'eq', name: 'Equity', type: 'enterprise-equity', amountYuan: '110000' },
        ];
      }),
    );
    expect(r.ledger.map((y) => s(y.projectFlow))).toEqual([
      '-110000.00',
      '72600.00',
      '79860.00',
      '-73205.00',
      '48315.30',
      '70862.44',
    ]);
  });
});

describe('depreciation (src/domain/README.md, "Depreciation")', () => {
  // The small project: capex 1,000,000, loan 600,000 at 5 %, construction interest
  // (0 + 600,000 / 2) × 5 % = 15,000; an upfront fee of 1 % is 6,000. Depreciable base =
  // capex + construction interest (paid or capitalised) + fees, straight line over the
  // depreciation years, the rest written off in the last of the 2 operation years.
  it.each([
    ['paid', '0', undefined, ['507500.00', '507500.00']],
    ['capitalised', '0', undefined, ['507500.00', '507500.00']],
    ['capitalised', '0.01', undefined, ['510500.00', '510500.00']],
    // 1,021,000 over 4 years: 255,250 in year 1, the remaining 765,750 written off in year 2.
    ['paid', '0.01', 4, ['255250.00', '765750.00']],
  ] as const)(
    'construction interest %s, fee %s, %s depreciation years: %j',
    (interest, fee, years, expected) => {
      const r = simulate(
        small((x) => {
          const loan = x.funding.sources[1]!;
          loan.debt = { ...loan.debt!, constructionInterest: interest, upfrontFeeRate: fee };
          if (years !== undefined) x.tax = { ...x.tax, depreciationYears: years };
        }),
      );
      expect(r.ledger.slice(1).map((y) => s(y.depreciation))).toEqual(expected);
    },
  );

  it('the write-off year: taxable income and tax follow it', () => {
    // Year 1: 800,000 − 300,000 − 255,250 − interest 30,000 = 214,750, tax 25 % = 53,687.50.
    // Year 2: 800,000 − 300,000 − 765,750 − 15,000 = −280,750, a loss: no tax.
    const r = simulate(
      small((x) => {
        const loan = x.funding.sources[1]!;
        loan.debt = { ...loan.debt!, upfrontFeeRate: '0.01' };
        x.tax = { ...x.tax, depreciationYears: 4 };
      }),
    );
    expect(r.ledger.slice(1).map((y) => [s(y.taxableIncome), s(y.tax)])).toEqual([
      ['214750.00', '53687.50'],
      ['-280750.00', '0.00'],
    ]);
  });
});

describe('availability payment (src/domain/README.md, "Availability payment")', () => {
  // Capex 1,000,000 funded by budget 200,000, construction subsidy 100,000, equity 100,000 and
  // the loan 600,000: default C = 1,000,000 − 300,000 = 700,000. Public-data income 100,000
  // (ceiling 300,000 × 2 × 1.06, not binding), authority share 10 %: U = 100,000 − 10,000 = 90,000.
  // No operating-cost part. N = 2, p = 6 %, d = 5 %.
  // MoF formula: 700,000 × 1.06 × 1.05^n / 2 − 90,000 = 299,550.00 and 319,027.50.
  // Annuity, k = p = 6 %: 700,000 × 0.06 × 1.1236 / 0.1236 = 381,805.825… − 90,000 → 291,805.83.
  // Annuity, k = 5 %: 700,000 × 0.05 × 1.1025 / 0.1025 = 376,463.414… − 90,000 → 286,463.41.
  const run = (method: 'mof-formula' | 'annuity', annuityRate?: string) =>
    simulate(
      small((x) => {
        x.scenario.delivery = 'ppp';
        x.revenues = [
          {
            kind: 'public-data',
            name: 'Data',
            annualIncomeYuan: '100000',
            allowedProfitRate: '1',
            authorityShare: '0.1',
          },
        ];
        x.funding.sources = [
          { id: 'budget', name: 'Budget', type: 'budget', amountYuan: '200000' },
          { id: 'grant', name: 'Subsidy', type: 'construction-subsidy', amountYuan: '100000' },
          { id: 'eq', name: 'Equity', type: 'enterprise-equity', amountYuan: '100000' },
          x.funding.sources[1]!,
        ];
        x.government = {
          availabilityPayment: {
            method,
            profitRate: '0.06',
            discountRate: '0.05',
            ...(annuityRate ? { annuityRate } : {}),
            periodYears: 2,
            includeOperatingCost: false,
          },
        };
      }),
    );

  it.each([
    ['mof-formula', undefined, ['299550.00', '319027.50']],
    ['annuity', undefined, ['291805.83', '291805.83']],
    ['annuity', '0.05', ['286463.41', '286463.41']],
  ] as const)('%s, annuity rate %s: %j', (method, rate, expected) => {
    const r = run(method, rate);
    expect(r.ledger.slice(1).map((y) => s(y.availabilityPayment))).toEqual(expected);
  });
});

describe('project IRR and NPV on unlevered flows (src/domain/README.md, "Project IRR and NPV")', () => {
  // The small project with revenue 1,000,000: operating flow 700,000 a year.
  // Unlevered tax: (700,000 − capex depreciation 500,000) × 25 % = 50,000 → flows −1,000,000,
  // 650,000, 650,000; pre-tax −1,000,000, 700,000, 700,000.
  // Levered (DSCR keeps it): depreciation 507,500, interest 30,000 / 15,000 → tax 40,625 and
  // 44,375, CFADS 659,375 and 655,625; DSCR 659,375 / 330,000 = 1.998106.
  const r = simulate(
    small((x) => {
      x.revenues = [{ kind: 'other', name: 'Income', annualYuan: '1000000' }];
    }),
  );
  // a·x² + a·x − 1,000,000 = 0 in x = 1/(1 + r): x = (−a + √(a² + 4,000,000·a)) / 2a.
  const irrOf = (a: number) => {
    const x = new Dec(a)
      .neg()
      .plus(new Dec(a).pow(2).plus(new Dec(4_000_000).times(a)).sqrt())
      .div(2 * a);
    return new Dec(1).div(x).minus(1).toFixed(10);
  };

  it.each([
    [
      'unlevered tax',
      (y: (typeof r.ledger)[number]) => s(y.unleveredTax),
      ['50000.00', '50000.00'],
    ],
    ['levered tax', (y: (typeof r.ledger)[number]) => s(y.tax), ['40625.00', '44375.00']],
    [
      'project flow',
      (y: (typeof r.ledger)[number]) => s(y.projectFlow),
      ['650000.00', '650000.00'],
    ],
    [
      'pre-tax project flow',
      (y: (typeof r.ledger)[number]) => s(y.projectFlowPreTax),
      ['700000.00', '700000.00'],
    ],
    ['CFADS', (y: (typeof r.ledger)[number]) => s(y.cfads), ['659375.00', '655625.00']],
  ])('%s', (_, pick, expected) => {
    expect(r.ledger.slice(1).map(pick)).toEqual(expected);
  });

  it('IRRs, NPV and DSCR', () => {
    const m = r.metrics;
    expect(m.projectIrr.rate?.toFixed(10)).toBe(irrOf(650_000));
    expect(m.projectIrrPreTax.rate?.toFixed(10)).toBe(irrOf(700_000));
    // −1,000,000 / 1.06 + 650,000 / 1.06² + 650,000 / 1.06³, to the fen.
    const npv = new Dec(-1_000_000)
      .div('1.06')
      .plus(new Dec(650_000).div(new Dec('1.06').pow(2)))
      .plus(new Dec(650_000).div(new Dec('1.06').pow(3)));
    expect(s(m.projectNpv)).toBe(npv.toFixed(2));
    expect(r.ledger[1]?.dscr?.toFixed(6)).toBe('1.998106');
  });
});
