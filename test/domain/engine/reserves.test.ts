import fc from 'fast-check';
import { Dec, ZERO } from '../../../src/domain/decimal';
import { simulate } from '../../../src/domain/engine/simulate';
import { sideTotal } from '../../../src/domain/engine/sources-and-uses';
import { ledgerLines } from '../../../src/domain/engine/ledger-table';
import type { LedgerYear, SimulationResult } from '../../../src/domain/engine/types';
import { parseScenario } from '../../../src/domain/scenario/parse';
import type { ScenarioInput } from '../../../src/domain/scenario/schema';
import { ValidationError } from '../../../src/domain/errors';
import { smallInput } from '../../helpers/scenarios';

/**
 * Reserve accounts and lock-up (src/domain/README.md, "Reserve accounts"), on a purpose-made
 * project worked by hand:
 *
 * 1 construction year (2026) and 4 operation years (2027–2030); capex 1,000,000 = equity 400,000
 * + loan 600,000 at 5 %, tenor 5, equal principal, construction interest capitalised; revenue
 * 400,000 a year, operating cost 100,000, income tax 0 % → CFADS 300,000 a year.
 *   Construction interest (0 + 600,000 / 2) × 5 % = 15,000 capitalised → balance 615,000.
 *   Principal 615,000 / 4 = 153,750 a year.
 *   2027: interest 30,750.00, debt service 184,500.00, cash after it 115,500.00
 *   2028: interest 23,062.50, debt service 176,812.50, cash after it 123,187.50
 *   2029: interest 15,375.00, debt service 169,125.00, cash after it 130,875.00
 *   2030: interest  7,687.50, debt service 161,437.50, cash after it 138,562.50
 *   Σ distributions without reserves: 508,125.00.
 */
function input(patch: (s: ScenarioInput) => void = () => undefined): ScenarioInput {
  return smallInput((s) => {
    s.timeline = { startYear: 2026, constructionYears: 1, operationYears: 4 };
    const loan = s.funding.sources[1]!;
    loan.debt = {
      annualRate: '0.05',
      tenorYears: 5,
      repayment: 'equal-principal',
      constructionInterest: 'capitalised',
    };
    s.tax = { incomeTaxRate: '0' };
    s.operatingCost = { annualYuan: '100000' };
    s.revenues = [{ kind: 'other', name: 'Income', annualYuan: '400000' }];
    s.shortfall = 'government';
    patch(s);
  });
}
const run = (patch?: (s: ScenarioInput) => void) => simulate(parseScenario(input(patch)));
const f = (d: Dec | undefined) => (d ?? new Dec(NaN)).toFixed(2);
const col = (r: SimulationResult, pick: (y: LedgerYear) => Dec | undefined) =>
  r.ledger.map((y) => f(pick(y)));
const distributions = (r: SimulationResult) =>
  col(r, (y) => y.equity.reduce((a, e) => a.plus(e.distribution), ZERO));
const expectBalanced = (r: SimulationResult) => {
  for (const side of [r.sourcesAndUses.construction, r.sourcesAndUses.lifetime])
    expect(f(sideTotal(side.sources))).toBe(f(side.total));
};

describe('DSRA built up from CFADS', () => {
  // Target at the end of each year = 6/12 of next year's debt service:
  //   2027: 176,812.50 / 2 = 88,406.25 → paid in from the 115,500.00 left: distribution 27,093.75
  //   2028: 169,125.00 / 2 = 84,562.50 → 3,843.75 released: 123,187.50 + 3,843.75 = 127,031.25
  //   2029: 161,437.50 / 2 = 80,718.75 → 3,843.75 released: 130,875.00 + 3,843.75 = 134,718.75
  //   2030: last debt-service year, target 0 → 80,718.75 released: 138,562.50 + 80,718.75 = 219,281.25
  const r = run((s) => (s.reserves = { dsra: { months: 6 } }));

  it('is topped up to its target, then released down to each new target and in full at the end', () => {
    expect(col(r, (y) => y.reserves?.dsra?.target)).toEqual([
      '0.00',
      '88406.25',
      '84562.50',
      '80718.75',
      '0.00',
    ]);
    expect(col(r, (y) => y.reserves?.dsra?.contribution)).toEqual([
      '0.00',
      '88406.25',
      '0.00',
      '0.00',
      '0.00',
    ]);
    expect(col(r, (y) => y.reserves?.dsra?.release)).toEqual([
      '0.00',
      '0.00',
      '3843.75',
      '3843.75',
      '80718.75',
    ]);
    expect(col(r, (y) => y.reserves?.dsra?.balance)).toEqual([
      '0.00',
      '88406.25',
      '84562.50',
      '80718.75',
      '0.00',
    ]);
    expect(distributions(r)).toEqual(['0.00', '27093.75', '127031.25', '134718.75', '219281.25']);
    expect(r.metrics.dsraAtStartOfOperation?.toFixed(2)).toBe('0.00');
    expectBalanced(r);
  });

  it('rounds the target half-up to the fen (1 month of 176,812.50 = 14,734.375 → 14,734.38)', () => {
    const one = run((s) => (s.reserves = { dsra: { months: 1 } }));
    expect(f(one.ledger[1]?.reserves?.dsra?.target)).toBe('14734.38');
  });

  it('leaves DSCR as CFADS ÷ debt service (2027: 300,000 / 184,500 = 1.626016)', () => {
    expect(r.ledger[1]?.dscr?.toFixed(6)).toBe('1.626016');
  });

  it('is released in full in the last debt-service year when the loan ends before the project', () => {
    // Tenor 4: 615,000 / 3 = 205,000 a year. 2027: interest 30,750, service 235,750, cash left
    // 64,250; target 225,500 / 2 = 112,750 → all 64,250 paid in (cut), nothing distributed.
    // 2028: interest 20,500, service 225,500, left 74,500; target 215,250 / 2 = 107,625 → 43,375
    // paid in, 31,125 distributed. 2029 (maturity): interest 10,250, service 215,250, left
    // 84,750; target 0 → 107,625 released, 192,375 distributed. 2030: no debt, 300,000.
    const short = run((s) => {
      s.funding.sources[1]!.debt!.tenorYears = 4;
      s.reserves = { dsra: { months: 6 } };
    });
    expect(col(short, (y) => y.reserves?.dsra?.contribution)).toEqual([
      '0.00',
      '64250.00',
      '43375.00',
      '0.00',
      '0.00',
    ]);
    expect(col(short, (y) => y.reserves?.dsra?.release)).toEqual([
      '0.00',
      '0.00',
      '0.00',
      '107625.00',
      '0.00',
    ]);
    expect(distributions(short)).toEqual(['0.00', '0.00', '31125.00', '192375.00', '300000.00']);
    expectBalanced(short);
  });
});

describe('DSRA drawn in a bad year', () => {
  // 2029 revenue ramped to 30 %: 120,000 − 100,000 = CFADS 20,000 against 169,125.00 due.
  // Without a DSRA the shortfall is 149,125.00. With it, the 84,562.50 held is drawn first:
  // shortfall 149,125.00 − 84,562.50 = 64,562.50 (paid by the government), nothing distributed,
  // the DSRA empty; it is not refilled (no cash left) and 2030 releases nothing.
  const bad = (s: ScenarioInput) => (s.revenues![0]!.rampUp = ['1', '1', '0.3', '1']);
  const without = run(bad);
  const withDsra = run((s) => {
    bad(s);
    s.reserves = { dsra: { months: 6 } };
  });

  it('reduces the shortfall by exactly the draw', () => {
    expect(f(without.ledger[3]?.shortfall)).toBe('149125.00');
    expect(f(withDsra.ledger[3]?.reserves?.dsra?.draw)).toBe('84562.50');
    expect(f(withDsra.ledger[3]?.shortfall)).toBe('64562.50');
    expect(f(withDsra.ledger[3]?.shortfallByGovernment)).toBe('64562.50');
    expect(col(withDsra, (y) => y.reserves?.dsra?.balance)).toEqual([
      '0.00',
      '88406.25',
      '84562.50',
      '0.00',
      '0.00',
    ]);
    expect(distributions(withDsra)).toEqual(['0.00', '27093.75', '127031.25', '0.00', '138562.50']);
    expectBalanced(withDsra);
  });

  it('does not enter the DSCR (20,000 / 169,125 = 0.118256)', () => {
    expect(withDsra.ledger[3]?.dscr?.toFixed(6)).toBe('0.118256');
    expect(without.ledger[3]?.dscr?.toFixed(6)).toBe('0.118256');
  });
});

describe('DSRA funded by equity', () => {
  // Two holders 300,000 and 100,000 (3 : 1). The first year's target, 184,500.00 / 2 = 92,250.00,
  // is paid in at the start of operation (posted in 2026): 69,187.50 and 23,062.50. 2027: target
  // 88,406.25 → 3,843.75 released: 115,500.00 + 3,843.75 = 119,343.75 distributed; later years as
  // from CFADS. Σ distributions 508,125.00 + 92,250.00 = 600,375.00.
  const twoHolders = (s: ScenarioInput) => {
    s.funding.sources = [
      { id: 'eq-a', name: 'Equity A', type: 'enterprise-equity', amountYuan: '300000' },
      { id: 'eq-b', name: 'Equity B', type: 'social-equity', amountYuan: '100000' },
      s.funding.sources[1]!,
    ];
  };
  const plain = run(twoHolders);
  const r = run((s) => {
    twoHolders(s);
    s.reserves = { dsra: { months: 6, funding: 'equity' } };
  });

  it('is paid in pro rata to commitments, counted in the equity flows, IRRs and sources and uses', () => {
    expect(r.ledger[0]?.reserves?.dsra?.equityByHolder.map(f)).toEqual(['69187.50', '23062.50']);
    expect(f(r.ledger[0]?.reserves?.dsra?.balance)).toBe('92250.00');
    expect(r.metrics.dsraAtStartOfOperation?.toFixed(2)).toBe('92250.00');
    expect(distributions(r)).toEqual(['0.00', '119343.75', '127031.25', '134718.75', '219281.25']);
    expect(r.metrics.equity.map((e) => f(e.contributed))).toEqual(['369187.50', '123062.50']);
    expect(r.metrics.equity.map((e) => f(e.distributed))).toEqual(['450281.25', '150093.75']);
    const before = plain.metrics.equity[0]?.irr.rate?.toFixed(6);
    const after = r.metrics.equity[0]?.irr.rate?.toFixed(6);
    expect(after).not.toBe(before);
    const dsraEquity = r.sourcesAndUses.construction.sources.find((l) => l.key === 'dsra-equity');
    expect(f(dsraEquity?.amount)).toBe('92250.00');
    expect(f(r.sourcesAndUses.construction.total)).toBe('1107250.00');
    expectBalanced(r);
  });

  it('counts government equity’s DSRA payment as government outlay (400,000 + 92,250.00)', () => {
    const gov = run((s) => {
      s.funding.sources[0]!.type = 'government-equity';
      s.reserves = { dsra: { months: 6, funding: 'equity' } };
    });
    expect(f(gov.ledger[0]?.government['government-equity'])).toBe('492250.00');
  });

  it('is refused without an equity holder, naming the field', () => {
    const noEquity = input((s) => {
      s.funding.sources = [{ ...s.funding.sources[1]!, amountYuan: '1000000' }];
      s.reserves = { dsra: { months: 6, funding: 'equity' } };
    });
    expect(() => parseScenario(noEquity)).toThrow(ValidationError);
    try {
      parseScenario(noEquity);
    } catch (e) {
      expect((e as ValidationError).issues).toContainEqual({
        path: 'reserves.dsra.funding',
        message: 'The DSRA cannot be funded by equity: the scenario has no equity source',
      });
    }
  });
});

describe('major-maintenance reserve', () => {
  // Income tax 25 %. Depreciation base 1,000,000 + 15,000 = 1,015,000 → 253,750 a year.
  // Spend 90,000.01 in operation year 3 (2029): contributions in years 1–2, 9,000,001 fen / 2 =
  // 4,500,000 each, the spare fen to the earlier year → 45,000.01 and 45,000.00.
  //   2027: taxable 300,000 − 253,750 − 30,750 = 15,500 → tax 3,875; CFADS 296,125; after debt
  //         service 111,625; − 45,000.01 → distribution 66,624.99
  //   2028: taxable 300,000 − 253,750 − 23,062.50 = 23,187.50 → tax 5,796.875 → 5,796.88; CFADS
  //         294,203.12; after 176,812.50 → 117,390.62; − 45,000.00 → 72,390.62
  //   2029: spend 90,000.01 all from the reserve, deductible: taxable 300,000 − 90,000.01 −
  //         253,750 − 15,375 = −59,125.01 (a loss), tax 0; CFADS 300,000 − 90,000.01 + 90,000.01
  //         = 300,000; distribution 130,875.00
  //   2030: taxable 38,562.50, all absorbed by the loss → tax 0; distribution 138,562.50
  const r = run((s) => {
    s.tax = { incomeTaxRate: '0.25' };
    s.reserves = { maintenance: [{ year: 3, amountYuan: '90000.01' }] };
  });

  it('builds the reserve by equal contributions and spends it, the spend deducted for tax', () => {
    const m = (pick: (x: NonNullable<NonNullable<LedgerYear['reserves']>['maintenance']>) => Dec) =>
      col(r, (y) => (y.reserves?.maintenance ? pick(y.reserves.maintenance) : undefined));
    expect(m((x) => x.contribution)).toEqual(['0.00', '45000.01', '45000.00', '0.00', '0.00']);
    expect(m((x) => x.spend)).toEqual(['0.00', '0.00', '0.00', '90000.01', '0.00']);
    expect(m((x) => x.fromReserve)).toEqual(['0.00', '0.00', '0.00', '90000.01', '0.00']);
    expect(m((x) => x.balance)).toEqual(['0.00', '45000.01', '90000.01', '0.00', '0.00']);
    expect(col(r, (y) => y.taxableIncome)).toEqual([
      '0.00',
      '15500.00',
      '23187.50',
      '-59125.01',
      '38562.50',
    ]);
    expect(col(r, (y) => y.tax)).toEqual(['0.00', '3875.00', '5796.88', '0.00', '0.00']);
    expect(col(r, (y) => y.cfads)).toEqual([
      '0.00',
      '296125.00',
      '294203.12',
      '300000.00',
      '300000.00',
    ]);
    expect(distributions(r)).toEqual(['0.00', '66624.99', '72390.62', '130875.00', '138562.50']);
    expectBalanced(r);
  });

  it('cuts a contribution to the cash left and pays the spend from the reserve, then cash, then as a shortfall', () => {
    // Tax 0, spend 200,000 in year 3 → 100,000 scheduled in years 1 and 2.
    // 2027: 115,500 left → 100,000 paid in, 15,500 distributed.
    // 2028 revenue 90 % (360,000): CFADS 260,000, after 176,812.50 → 83,187.50: contribution cut
    //   to 83,187.50 (not made up later), reserve 183,187.50, nothing distributed.
    // 2029 revenue 10 % (40,000): operating 40,000 − 100,000 − 200,000 = −260,000, + 183,187.50
    //   from the reserve = CFADS −76,812.50: an operating deficit, and the 169,125 of debt
    //   service unpaid → shortfall 245,937.50 (government).
    const cut = run((s) => {
      s.revenues![0]!.rampUp = ['1', '0.9', '0.1', '1'];
      s.reserves = { maintenance: [{ year: 3, amountYuan: '200000' }] };
    });
    const m = cut.ledger.map((y) => y.reserves?.maintenance);
    expect(m.map((x) => f(x?.contribution))).toEqual([
      '0.00',
      '100000.00',
      '83187.50',
      '0.00',
      '0.00',
    ]);
    expect(f(m[3]?.fromReserve)).toBe('183187.50');
    expect(f(m[3]?.balance)).toBe('0.00');
    expect(f(cut.ledger[3]?.cfads)).toBe('-76812.50');
    expect(f(cut.ledger[3]?.shortfall)).toBe('245937.50');
    expect(distributions(cut)).toEqual(['0.00', '15500.00', '0.00', '0.00', '138562.50']);
    expectBalanced(cut);
  });

  it('lists a spend after the last operation year as a problem of that field', () => {
    const late = input((s) => (s.reserves = { maintenance: [{ year: 5, amountYuan: '1' }] }));
    expect(() => parseScenario(late)).toThrow(ValidationError);
    try {
      parseScenario(late);
    } catch (e) {
      expect((e as ValidationError).issues).toContainEqual({
        path: 'reserves.maintenance[0].year',
        message: 'Maintenance year 5 is after the last operation year (4)',
      });
    }
  });
});

describe('distribution lock-up', () => {
  // DSCR 2027 300,000 / 184,500 = 1.626; 2028 / 176,812.50 = 1.697; 2029 / 169,125 = 1.774;
  // 2030 / 161,437.50 = 1.858. Threshold 1.70: 2027 and 2028 locked (115,500.00 + 123,187.50 =
  // 238,687.50), released in 2029 with its own 130,875.00 → 369,562.50.
  it('holds distributions in a year below the threshold and releases them in the first year at or above it', () => {
    const r = run((s) => (s.reserves = { lockUp: { minDscr: '1.7' } }));
    expect(col(r, (y) => y.reserves?.lockUp?.locked)).toEqual([
      '0.00',
      '115500.00',
      '123187.50',
      '0.00',
      '0.00',
    ]);
    expect(col(r, (y) => y.reserves?.lockUp?.released)).toEqual([
      '0.00',
      '0.00',
      '0.00',
      '238687.50',
      '0.00',
    ]);
    expect(distributions(r)).toEqual(['0.00', '0.00', '0.00', '369562.50', '138562.50']);
    expectBalanced(r);
  });

  it('judges the exact ratio, not the 6-dp one (2028: 1.6967126… shows as 1.696713)', () => {
    const r = run((s) => (s.reserves = { lockUp: { minDscr: '1.696713' } }));
    expect(r.ledger[2]?.dscr?.toFixed(6)).toBe('1.696713');
    expect(f(r.ledger[2]?.reserves?.lockUp?.locked)).toBe('123187.50');
  });

  it('releases everything at the end when no later year passes', () => {
    // Threshold 1.9: 2027–2029 locked (369,562.50); 2030, the last year, releases it with its own
    // 138,562.50 → 508,125.00.
    const r = run((s) => (s.reserves = { lockUp: { minDscr: '1.9' } }));
    expect(distributions(r)).toEqual(['0.00', '0.00', '0.00', '0.00', '508125.00']);
    expect(f(r.ledger[3]?.reserves?.lockUp?.balance)).toBe('369562.50');
    expect(f(r.ledger[4]?.reserves?.lockUp?.balance)).toBe('0.00');
  });
});

describe('ledger table', () => {
  it('shows reserve lines only for the parts a scenario uses', () => {
    const keys = (r: SimulationResult) => ledgerLines(r).map((l) => l.key);
    const none = keys(run());
    expect(none.filter((k) => k.startsWith('dsra') || k.startsWith('lock-up'))).toEqual([]);
    const dsra = keys(run((s) => (s.reserves = { dsra: { months: 6 } })));
    expect(dsra).toContain('dsra-balance');
    expect(dsra).not.toContain('lock-up-balance');
    expect(dsra).not.toContain('maintenance-balance');
  });
});

/** Random reserve sections on random variants of the small project. */
const reservesArb = fc.record({
  months: fc.option(fc.integer({ min: 1, max: 24 }), { nil: undefined }),
  equity: fc.boolean(),
  lockUp: fc.option(fc.integer({ min: 100, max: 250 }), { nil: undefined }),
  spends: fc.uniqueArray(
    fc.record({ year: fc.integer({ min: 1, max: 8 }), fen: fc.integer({ min: 1, max: 9e7 }) }),
    { selector: (x) => x.year, maxLength: 3 },
  ),
  ramp: fc.array(fc.integer({ min: 0, max: 100 }), { minLength: 8, maxLength: 8 }),
  tax: fc.integer({ min: 0, max: 25 }),
  policy: fc.constantFrom('government' as const, 'equity' as const, 'unfunded' as const),
  repayment: fc.constantFrom('bullet' as const, 'equal-principal' as const, 'annuity' as const),
  grace: fc.integer({ min: 0, max: 2 }),
});

describe('reserve invariants', () => {
  it('every fen paid into a reserve comes out (balances end at 0) and sources equal uses', () => {
    fc.assert(
      fc.property(reservesArb, (a) => {
        const scenario = parseScenario(
          input((s) => {
            s.timeline.operationYears = 8;
            s.funding.sources[1]!.debt = {
              annualRate: '0.06',
              tenorYears: 9,
              graceYears: a.grace,
              repayment: a.repayment,
              constructionInterest: 'capitalised',
            };
            s.revenues![0]!.rampUp = a.ramp.map((p) => (p / 100).toFixed(2));
            s.tax = { incomeTaxRate: (a.tax / 100).toFixed(2) };
            s.shortfall = a.policy;
            s.reserves = {
              ...(a.months
                ? { dsra: { months: a.months, funding: a.equity ? 'equity' : 'cfads' } }
                : {}),
              ...(a.lockUp ? { lockUp: { minDscr: (a.lockUp / 100).toFixed(2) } } : {}),
              ...(a.spends.length
                ? {
                    maintenance: a.spends.map((x) => ({
                      year: x.year,
                      amountYuan: (x.fen / 100).toFixed(2),
                    })),
                  }
                : {}),
            };
          }),
        );
        const r = simulate(scenario);
        const last = r.ledger[r.ledger.length - 1]?.reserves;
        expect(f(last?.dsra?.balance ?? ZERO)).toBe('0.00');
        expect(f(last?.maintenance?.balance ?? ZERO)).toBe('0.00');
        expect(f(last?.lockUp?.balance ?? ZERO)).toBe('0.00');
        let paidIn = ZERO;
        let paidOut = ZERO;
        for (const y of r.ledger) {
          const x = y.reserves;
          if (x?.dsra) {
            paidIn = paidIn.plus(x.dsra.contribution).plus(x.dsra.equityContribution);
            paidOut = paidOut.plus(x.dsra.draw).plus(x.dsra.release);
            expect(x.dsra.balance.gte(0)).toBe(true);
          }
          if (x?.maintenance) {
            paidIn = paidIn.plus(x.maintenance.contribution);
            paidOut = paidOut.plus(x.maintenance.fromReserve);
            expect(x.maintenance.balance.gte(0)).toBe(true);
          }
          if (x?.lockUp) {
            paidIn = paidIn.plus(x.lockUp.locked);
            paidOut = paidOut.plus(x.lockUp.released);
          }
          for (const e of y.equity) expect(e.distribution.gte(0)).toBe(true);
        }
        expect(f(paidOut)).toBe(f(paidIn));
        expectBalanced(r);
      }),
      { numRuns: 200 },
    );
  });
});

describe('a scenario without reserves', () => {
  it('an empty reserves section computes exactly as none', () => {
    const plain = JSON.stringify(run());
    expect(JSON.stringify(run((s) => (s.reserves = {})))).toBe(plain);
    expect(JSON.stringify(run((s) => (s.reserves = { maintenance: [] })))).toBe(plain);
  });
});
