import { simulate } from '../../../src/domain/engine/simulate';
import { ValidationError } from '../../../src/domain/errors';
import { governmentObligations } from '../../../src/domain/fiscal/obligations';
import {
  netLosses,
  registerRiskBearing,
  riskRegister,
} from '../../../src/domain/fiscal/risk-bearing';
import { valueForMoney } from '../../../src/domain/fiscal/vfm';
import { parseScenario } from '../../../src/domain/scenario/parse';
import type { RiskItem } from '../../../src/domain/scenario/risks';
import type { ScenarioInput } from '../../../src/domain/scenario/schema';
import { legacyPpp, legacyPppInput } from './builders';

type Risks = NonNullable<ScenarioInput['risks']>;

/*
 * The legacy PPP of ./builders.ts: construction 2026 (capex 1,000,000), operation 2027–2029 with
 * operating cost 300,000 escalating 3 % (300,000; 309,000; 318,270), government rate 10 %.
 *
 * Proportion method, ratio 0.012345, first 2 operation years:
 *   2026: 1,000,000 × 0.012345 = 12,345.00
 *   2027:   300,000 × 0.012345 =  3,703.50
 *   2028:   309,000 × 0.012345 =  3,814.605 → 3,814.61 (half-up)
 *   2029: outside the operating period: nothing.
 *
 * Scenario method: base 0.6 × 1,000 a year in operation; adverse 0.3 × (2027: 5,000; 2028:
 * 3,333.33); worst 0.1 × 20,000.05 a year in every year:
 *   2026: 2,000.005                           → 2,000.01
 *   2027: 600 + 1,500 + 2,000.005 = 4,100.005 → 4,100.01
 *   2028: 600 + 999.999 + 2,000.005 = 3,600.004 → 3,600.00
 *   2029: 600 + 2,000.005 = 2,600.005          → 2,600.01
 *
 * Probability method, insurance paying the government first:
 *   A overrun: 0.2 × 100,000, government 30 % (30,000 − 10,000 insured = 20,000) → 4,000.00 in
 *     2026; partner 0.2 × 70,000 = 14,000.00 in 2026.
 *   B demand: 0.1 × 50,000.01, halves: 0.1 × 25,000.005 = 2,500.0005 → 2,500.00 each party,
 *     over 2027–2029: 833.34 + 833.33 + 833.33 (the remainder fen to the earliest year).
 *   C policy: 0.05 × (200,000 − 50,000 insured), government alone → 7,500.00 over 2028, 2029:
 *     3,750.00 each.
 *   Government by year: 2026 4,000.00; 2027 833.34; 2028 4,583.33; 2029 4,583.33 (Σ 14,000.00).
 *   Partner by year: 2026 14,000.00; 2027 833.34; 2028 833.33; 2029 833.33.
 * Present values at 10 %, start of 2026 (2026 discounted once):
 *   retained = 4,000/1.1 + 833.34/1.21 + 4,583.33/1.331 + 4,583.33/1.4641
 *            = 3,636.3636 + 688.7107 + 3,443.5237 + 3,130.4761 = 10,899.0741 → 10,899.07
 *   transferable = 14,000/1.1 + 833.34/1.21 + 833.33/1.331 + 833.33/1.4641
 *            = 12,727.2727 + 688.7107 + 626.0932 + 569.1756 = 14,611.2522 → 14,611.25
 */
const items: Risks['items'] = [
  {
    id: 'overrun',
    category: 'construction-overrun',
    description: 'Construction cost overrun',
    probability: '0.2',
    impactYuan: '100000',
    years: 'construction',
    allocation: { government: '0.3', partner: '0.7' },
    insuredYuan: '10000',
  },
  {
    id: 'demand',
    category: 'demand',
    description: 'Demand below forecast',
    probability: '0.1',
    impactYuan: '50000.01',
    years: 'operation',
    allocation: { government: '0.5', partner: '0.5' },
  },
  {
    id: 'policy',
    category: 'policy-change',
    description: 'Change of tariff policy',
    probability: '0.05',
    impactYuan: '200000',
    years: [2029, 2028],
    allocation: { government: '1', partner: '0' },
    insuredYuan: '50000',
  },
];

const register: Risks = {
  method: 'probability',
  insuranceToGovernment: true,
  proportion: { ratio: '0.012345', operatingYears: 2 },
  scenarios: {
    base: { probability: '0.6', annualYuan: '1000' },
    adverse: {
      probability: '0.3',
      byYear: [
        { year: 2027, amountYuan: '5000' },
        { year: 2028, amountYuan: '3333.33' },
      ],
    },
    worst: { probability: '0.1', annualYuan: '20000.05', phase: 'all' },
  },
  items,
};

const withRisks = (risks: Risks, patch: (s: ScenarioInput) => void = () => undefined) =>
  legacyPpp((s) => {
    s.operatingCost.escalation = '0.03';
    s.risks = risks;
    patch(s);
  });

const fen = (rows: ReadonlyArray<{ year: number; amount: { toFixed(dp: number): string } }>) =>
  rows.map((r) => [r.year, r.amount.toFixed(2)]);

describe('risk register: the three methods of 财金〔2015〕21号, hand-worked', () => {
  const s = withRisks(register);
  const r = riskRegister(s, simulate(s).ledger)!;

  it('proportion method: ratio × construction and operating cost, half-up to fen', () => {
    expect(fen(r.byMethod.proportion!)).toEqual([
      [2026, '12345.00'],
      [2027, '3703.50'],
      [2028, '3814.61'],
    ]);
  });

  it('scenario method: Σ case amount × probability by year, half-up to fen', () => {
    expect(fen(r.byMethod.scenario!)).toEqual([
      [2026, '2000.01'],
      [2027, '4100.01'],
      [2028, '3600.00'],
      [2029, '2600.01'],
    ]);
  });

  it('probability method: expected government loss net of insurance, spread fen-exact', () => {
    expect(fen(r.byMethod.probability!)).toEqual([
      [2026, '4000.00'],
      [2027, '833.34'],
      [2028, '4583.33'],
      [2029, '4583.33'],
    ]);
    expect(r.riskBearing).toBe(r.byMethod.probability);
    for (const item of r.items) {
      const gov = item.byYear.reduce(
        (a, y) => a.plus(y.government),
        item.government.minus(item.government),
      );
      const partner = item.byYear.reduce(
        (a, y) => a.plus(y.partner),
        item.partner.minus(item.partner),
      );
      expect(gov.toFixed(2)).toBe(item.government.toFixed(2));
      expect(partner.toFixed(2)).toBe(item.partner.toFixed(2));
    }
    expect(r.items.map((i) => [i.id, i.government.toFixed(2), i.partner.toFixed(2)])).toEqual([
      ['overrun', '4000.00', '14000.00'],
      ['demand', '2500.00', '2500.00'],
      ['policy', '7500.00', '0.00'],
    ]);
  });

  it('retained and transferable risk: present values at the government rate', () => {
    expect(r.retainedRiskPv.toFixed(2)).toBe('10899.07');
    expect(r.transferableRiskPv.toFixed(2)).toBe('14611.25');
  });

  it('the named method gives the scenario’s risk-bearing obligations', () => {
    const p = withRisks({ ...register, method: 'proportion' });
    const years = governmentObligations(p, simulate(p));
    expect(years.map((y) => [y.year, y.components.riskBearing.toFixed(2)])).toEqual([
      [2026, '12345.00'],
      [2027, '3703.50'],
      [2028, '3814.61'],
      [2029, '0.00'],
    ]);
  });

  it.each(['proportion', 'scenario', 'probability'] as const)(
    'registerRiskBearing gives the register’s own figures (%s method)',
    (method) => {
      const p = withRisks({ ...register, method });
      const ledger = simulate(p).ledger;
      const text = (ys: Array<{ year: number; amount: { toFixed(n: number): string } }>) =>
        ys.map((y) => [y.year, y.amount.toFixed(2)]);
      expect(text(registerRiskBearing(p, ledger)!)).toEqual(
        text(riskRegister(p, ledger)!.riskBearing),
      );
      expect(registerRiskBearing(p, ledger)!.length).toBeGreaterThan(0);
    },
  );

  it('the VfM takes retained and transferable risk from the register', () => {
    const v = withRisks(register, (x) => {
      x.fiscal = { psc: { referenceBuildCostYuan: '1000000' } };
    });
    const vfm = valueForMoney(v, simulate(v));
    expect(vfm.psc.retainedRiskSource).toBe('risk-register');
    expect(vfm.psc.retainedRisk.toFixed(2)).toBe('10899.07');
    expect(vfm.psc.transferableRisk.toFixed(2)).toBe('14611.25');
    // The PPP value's risk-bearing component is the PV of the same figures, rounded once.
    expect(vfm.pppValue.riskBearing.toFixed(2)).toBe('10899.07');
  });

  it('a scenario without a register computes as before', () => {
    const plain = legacyPpp();
    expect(riskRegister(plain, simulate(plain).ledger)).toBeNull();
  });
});

describe('insurance: who is paid first', () => {
  const item = (insured: string): RiskItem => ({
    id: 'x',
    category: 'other',
    description: 'x',
    probability: '1',
    impactYuan: '100000',
    years: 'operation',
    allocation: { government: '0.3', partner: '0.7' },
    insuredYuan: insured,
  });
  it.each([
    // insured, government first?, government net, partner net
    ['10000', true, '20000.00', '70000.00'],
    ['10000', false, '30000.00', '60000.00'],
    ['40000', true, '0.00', '60000.00'],
    ['80000', false, '20000.00', '0.00'],
  ] as const)('insured %s, government first %s: %s / %s', (insured, first, gov, partner) => {
    const [g, p] = netLosses(item(insured), first);
    expect([g.toFixed(2), p.toFixed(2)]).toEqual([gov, partner]);
  });
});

describe('risk register validation (422 paths)', () => {
  const issues = (patch: (s: ScenarioInput) => void) => {
    const input = legacyPppInput();
    input.risks = structuredClone(register);
    patch(input);
    try {
      parseScenario(input);
      return [];
    } catch (err) {
      return (err as ValidationError).issues;
    }
  };

  it('allocation shares must sum to exactly 1', () => {
    const found = issues((s) => {
      s.risks!.items![1]!.allocation = { government: '0.5', partner: '0.49' };
    });
    expect(found).toEqual([
      {
        path: 'risks.items[1].allocation',
        message: 'The government and partner shares sum to 0.99, not exactly 1',
      },
    ]);
  });

  it('case probabilities must sum to exactly 1', () => {
    const found = issues((s) => {
      s.risks!.scenarios!.worst.probability = '0.2';
    });
    expect(found.map((i) => i.path)).toEqual(['risks.scenarios']);
  });

  it('typed risk-bearing amounts are refused while a register computes them', () => {
    const found = issues((s) => {
      s.fiscal = {
        riskBearing: { annualYuan: '100' },
        psc: { referenceBuildCostYuan: '1', retainedRiskYuan: '5', transferableRiskYuan: '7' },
      };
    });
    expect(found.map((i) => i.path)).toEqual([
      'fiscal.riskBearing',
      'fiscal.psc.retainedRiskYuan',
      'fiscal.psc.transferableRiskYuan',
    ]);
    expect(found[0]!.message).toMatch(/computed from the risk register/);
  });

  it.each([
    [
      'a year outside the project',
      (s: ScenarioInput) => (s.risks!.items![2]!.years = [2031]),
      'risks.items[2].years[0]',
    ],
    [
      'insurance above the impact',
      (s: ScenarioInput) => (s.risks!.items![0]!.insuredYuan = '100000.01'),
      'risks.items[0].insuredYuan',
    ],
    [
      'a duplicate id',
      (s: ScenarioInput) => (s.risks!.items![1]!.id = 'overrun'),
      'risks.items[1].id',
    ],
    [
      'a method without its inputs',
      (s: ScenarioInput) => {
        s.risks!.method = 'proportion';
        delete s.risks!.proportion;
      },
      'risks.proportion',
    ],
  ])('%s', (_what, patch, path) => {
    expect(issues(patch).map((i) => i.path)).toEqual([path]);
  });

  it('is a v2-only section: a v1 file with it is refused', () => {
    const input = legacyPppInput() as unknown as Record<string, unknown>;
    const v1 = {
      ...input,
      format: 'fundmix-scenario@1',
      project: { ...(input.project as object), delivery: 'ppp' },
      scenario: { name: 'base' },
      risks: register,
    };
    expect(() => parseScenario(v1)).toThrow(ValidationError);
  });
});
