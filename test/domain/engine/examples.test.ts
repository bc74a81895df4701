import { simulate } from '../../../src/domain/engine/simulate';
import { ZERO } from '../../../src/domain/decimal';
import { sideTotal } from '../../../src/domain/engine/sources-and-uses';
import { loadExamples } from '../../helpers/scenarios';

const examples = loadExamples();

describe('example scenarios in data/examples', () => {
  it('ships the four archetypes', () => {
    const kinds = examples
      .map((e) => `${e.scenario.project.category}/${e.scenario.scenario.delivery}`)
      .sort();
    expect(kinds).toEqual([
      'basic/government',
      'market-oriented/concession',
      'market-oriented/concession',
      'market-oriented/ppp',
    ]);
    expect(examples.some((e) => e.scenario.revenues.some((r) => r.kind === 'public-data'))).toBe(
      true,
    );
    expect(examples.some((e) => e.scenario.government.availabilityPayment)).toBe(true);
    expect(
      examples.some((e) => e.scenario.funding.sources.some((s) => s.type === 'special-bond')),
    ).toBe(true);
  });

  it.each(examples.map((e) => [e.file, e] as const))(
    '%s simulates with balanced sources and uses',
    (_file, e) => {
      const r = simulate(e.scenario);
      expect(r.ledger).toHaveLength(
        e.scenario.timeline.constructionYears + e.scenario.timeline.operationYears,
      );
      const capex = e.scenario.capex.scheduleYuan.reduce((a, c) => a.plus(c), ZERO);
      expect(r.metrics.totalInvestment.toFixed(2)).toBe(capex.toFixed(2));
      expect(sideTotal(r.sourcesAndUses.lifetime.sources).toFixed(2)).toBe(
        r.sourcesAndUses.lifetime.total.toFixed(2),
      );
      expect(r.flags.filter((f) => f.severity === 'error')).toEqual([]);
    },
  );

  it('legacy PPP: availability payments follow the MoF formula', () => {
    const e = examples.find((x) => x.scenario.scenario.delivery === 'ppp')!;
    const r = simulate(e.scenario);
    const first = r.ledger[e.scenario.timeline.constructionYears]!;
    // C = 300,000,000, p = 6 %, d = 4.9 %, N = 10, n = 1: C·1.06·1.049/10 + O·1.06 − U.
    const expected = (300000000 * 1.06 * 1.049) / 10 + 12000000 * 1.06 - 1500000;
    expect(Math.abs(first.availabilityPayment.toNumber() - expected)).toBeLessThan(0.01);
  });
});

describe('scenario validation', () => {
  const { parseScenario } = jest.requireActual(
    '../../../src/domain/scenario/parse',
  ) as typeof import('../../../src/domain/scenario/parse');
  const { ValidationError } = jest.requireActual(
    '../../../src/domain/errors',
  ) as typeof import('../../../src/domain/errors');
  // A deep copy to break on purpose; typed loosely because the tests write invalid values into it.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const base = () => JSON.parse(JSON.stringify(examples[0]!.input)) as Record<string, any>;
  const issues = (input: unknown) => {
    try {
      parseScenario(input);
    } catch (err) {
      if (err instanceof ValidationError) return err.issues;
      throw err;
    }
    return [];
  };

  it('names the funding gap in yuan', () => {
    const s = base();
    s.funding.sources[0] = { ...s.funding.sources[0], share: '0.28' };
    expect(issues(s)).toContainEqual({
      path: 'funding.sources',
      message:
        'Funding sources total 117,600,000.00 yuan but the investment is 120,000,000.00 yuan: 2,400,000.00 yuan is not funded',
    });
  });

  it('reports a malformed rate as a field problem, not a crash', () => {
    const s = base();
    s.funding.sources[1].debt.annualRate = '5%';
    s.discountRates.project = '7';
    const found = issues(s);
    expect(found.map((i) => i.path)).toEqual(
      expect.arrayContaining(['funding.sources[1].debt.annualRate', 'discountRates.project']),
    );
    expect(found.find((i) => i.path === 'discountRates.project')?.message).toMatch(
      /between 0 and 0.5/,
    );
  });

  it('lists every problem at once with JSON paths', () => {
    const s = base();
    s.timeline.constructionYears = 3;
    s.project.approvalDate = '2025-02-30';
    s.funding.sources[1].debt.tenorYears = 2;
    delete s.project.name;
    const paths = issues(s).map((i) => i.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        'capex.scheduleYuan',
        'project.approvalDate',
        'funding.sources[1].debt.tenorYears',
        'project.name',
      ]),
    );
  });
});

describe('fiscalLedger', () => {
  it.each(examples.map((e) => [e.file, e] as const))(
    '%s: the lean ledger holds exactly the ledger figures it names',
    (_file, e) => {
      const fresh = simulate(e.scenario);
      const lean = fresh.fiscalLedger!;
      const full = simulate(e.scenario).ledger;
      expect(lean).toHaveLength(full.length);
      lean.forEach((y, i) => {
        const l = full[i]!;
        const text = (d: { toFixed(): string }) => d.toFixed();
        expect([y.year, y.phase]).toEqual([l.year, l.phase]);
        for (const k of [
          'opex',
          'totalRevenue',
          'operatingSubsidy',
          'availabilityPayment',
          'tax',
        ] as const)
          expect(text(y[k])).toBe(text(l[k]));
        expect(y.dataAuthorityShare.map(text)).toEqual(l.dataAuthorityShare.map(text));
        expect(Object.entries(y.government).map(([k, v]) => [k, text(v)])).toEqual(
          Object.entries(l.government).map(([k, v]) => [k, text(v)]),
        );
        expect(y.debt.map((d) => [text(d.drawdown), text(d.interest)])).toEqual(
          l.debt.map((d) => [text(d.drawdown), text(d.interest)]),
        );
      });
      // Once the ledger is built, the lean ledger is the ledger itself.
      expect(fresh.ledger).toBeDefined();
      expect(fresh.fiscalLedger).toBe(fresh.ledger);
    },
  );
});
