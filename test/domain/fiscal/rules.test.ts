import { simulate } from '../../../src/domain/engine/simulate';
import { assessAffordability } from '../../../src/domain/fiscal/affordability';
import { parseBudgetForecast } from '../../../src/domain/fiscal/budget';
import {
  RULES,
  checkScenario,
  inEffect,
  ruleSetsFor,
  summariseChecklist,
  type ChecklistRow,
  type RuleStatus,
} from '../../../src/domain/fiscal/rules';
import {
  DEFAULT_THRESHOLDS,
  parseThresholds,
  type JurisdictionThresholds,
} from '../../../src/domain/fiscal/thresholds';
import type { Scenario, ScenarioInput } from '../../../src/domain/scenario/schema';
import { loadExamples } from '../../helpers/scenarios';
import { bondProject, legacyPpp, member, newConcession } from './builders';

type Patch = (s: ScenarioInput) => void;

/** The checklist row of one rule. */
function row(
  ruleId: string,
  scenario: Scenario,
  thresholds: JurisdictionThresholds = DEFAULT_THRESHOLDS,
  context = {},
): ChecklistRow {
  const rows = checkScenario(scenario, simulate(scenario), thresholds, context);
  const found = rows.find((r) => r.ruleId === ruleId);
  if (!found) throw new Error(`no row ${ruleId}`);
  return found;
}

describe('the rules are data', () => {
  it('each rule has a unique id, both languages, a citation and a valid effective period', () => {
    expect(new Set(RULES.map((r) => r.id)).size).toBe(RULES.length);
    for (const r of RULES) {
      expect(
        r.title.zh &&
          r.title.en &&
          r.description.zh &&
          r.description.en &&
          r.scope.zh &&
          r.scope.en,
      ).toBeTruthy();
      expect(r.citation).toMatch(/〔20\d\d〕|令第/);
      for (const date of [r.effective.from, r.effective.to])
        if (date !== undefined) expect(date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    }
  });

  it('covers the three rule sets of the issue', () => {
    expect(RULES.map((r) => r.id)).toEqual([
      'ppp2015-affordability-cap',
      'ppp2015-new-project-line',
      'ppp2015-value-for-money',
      'nm2023-user-pays',
      'nm2023-no-availability-payment',
      'nm2023-no-viability-gap',
      'nm2023-concession-term',
      'nm2023-private-share',
      'sb-coverage',
      'sb-bond-as-capital',
      'sb-min-capital-ratio',
    ]);
  });

  it('takes effect by approval date, both ends inclusive', () => {
    expect(inEffect({ to: '2024-04-30' }, '2024-04-30')).toBe(true);
    expect(inEffect({ to: '2024-04-30' }, '2024-05-01')).toBe(false);
    expect(inEffect({ from: '2024-05-01' }, '2024-05-01')).toBe(true);
    expect(inEffect({}, '1999-01-01')).toBe(true);
  });

  it.each([
    [
      'a PPP approved 2024-04-30',
      (s: ScenarioInput) => (s.project.approvalDate = '2024-04-30'),
      ['ppp-2015'],
    ],
    [
      'a PPP approved 2024-05-01',
      (s: ScenarioInput) => (s.project.approvalDate = '2024-05-01'),
      ['new-mechanism-2023'],
    ],
    ['a government project', (s: ScenarioInput) => (s.scenario.delivery = 'government'), []],
  ] as Array<[string, Patch, string[]]>)('%s follows the rule sets %j', (_what, patch, sets) => {
    expect(ruleSetsFor(legacyPpp(patch))).toEqual(sets);
  });

  it('a bond-funded PPP follows both its PPP set and the special-bond rules', () => {
    const s = legacyPpp((x) => {
      x.funding.sources[1] = {
        id: 'bond',
        name: 'Special bond',
        type: 'special-bond',
        amountYuan: '800000',
        debt: { annualRate: '0.03', tenorYears: 4, repayment: 'bullet' },
      };
    });
    expect(ruleSetsFor(s)).toEqual(['ppp-2015', 'special-bond']);
  });

  it('gives every scenario a full checklist: one row per rule, with citation', () => {
    for (const { scenario } of loadExamples()) {
      const rows = checkScenario(scenario, simulate(scenario));
      expect(rows.map((r) => r.ruleId)).toEqual(RULES.map((r) => r.id));
      for (const r of rows) {
        expect(r.citation.length).toBeGreaterThan(0);
        expect(r.figure.length).toBeGreaterThan(0);
        expect(r.detail.zh.length * r.detail.en.length).toBeGreaterThan(0);
      }
    }
  });

  it('marks rules outside their period or scope not applicable, saying why', () => {
    const legacy = checkScenario(legacyPpp(), simulate(legacyPpp()));
    const nm = legacy.find((r) => r.ruleId === 'nm2023-concession-term')!;
    expect(nm.status).toBe('not-applicable');
    expect(nm.detail.en).toMatch(
      /approved on 2019-06-20, outside this rule's period \(2024-05-01 – …\)/,
    );
    const bond = legacy.find((r) => r.ruleId === 'sb-coverage')!;
    expect([bond.status, bond.detail.en]).toEqual([
      'not-applicable',
      'Applies only to projects funded by special-purpose bonds.',
    ]);
  });

  it('counts statuses', () => {
    const rows = checkScenario(newConcession(), simulate(newConcession()));
    expect(summariseChecklist(rows)).toEqual({ pass: 5, fail: 0, 'not-applicable': 6 });
  });
});

/*
 * Portfolio context for the 2015 affordability rules: project A (builders.legacyPpp) has
 * obligations 200,000 in 2026 and 100,000 a year in 2027–2029.
 *   budget 3,000,000 flat: 2026 6.67 %, 2027–2029 3.33 % → within the cap, above 5 % in 2026
 *   budget 1,500,000 flat: 2026 13.33 % → breach by 50,000.00
 *   budget 5,000,000 flat: 2026 4.00 % → below the 5 % line
 */
const flat = (amount: string) =>
  parseBudgetForecast({
    method: 'explicit',
    years: [2026, 2027, 2028, 2029].map((year) => ({ year, amountYuan: amount })),
  });
const portfolioOf = (s: Scenario, amount: string) => ({
  affordability: assessAffordability([member(s)], flat(amount)),
});
const governmentPay: Patch = (s) => {
  s.fiscal = { paymentMechanism: 'government-pay' };
};

describe('2015 PPP rules', () => {
  const a = legacyPpp();
  const aGovPay = legacyPpp(governmentPay);

  it.each([
    ['within the cap', a, portfolioOf(a, '3000000'), 'pass', '6.67 % (2026) ≤ 10.00 %'],
    ['over the cap', a, portfolioOf(a, '1500000'), 'fail', '13.33 % (2026) > 10.00 %'],
    ['without portfolio context', a, {}, 'not-applicable', '—'],
    [
      'with another scenario of the project in the portfolio',
      legacyPpp((s) => (s.scenario.name = 'other')),
      portfolioOf(a, '3000000'),
      'not-applicable',
      '—',
    ],
    [
      'with a budget forecast that misses its years',
      a,
      {
        affordability: assessAffordability(
          [member(a)],
          parseBudgetForecast({
            method: 'explicit',
            years: [{ year: 2026, amountYuan: '3000000' }],
          }),
        ),
      },
      'not-applicable',
      '3 year(s) without budget',
    ],
  ] as Array<[string, Scenario, object, RuleStatus, string]>)(
    'affordability cap: %s → %s',
    (_what, scenario, context, status, figure) => {
      const r = row('ppp2015-affordability-cap', scenario, DEFAULT_THRESHOLDS, context);
      expect([r.status, r.figure]).toEqual([status, figure]);
      expect(r.citation).toContain('财金〔2015〕21号');
    },
  );

  it('names the breach in yuan', () => {
    expect(
      row('ppp2015-affordability-cap', a, DEFAULT_THRESHOLDS, portfolioOf(a, '1500000')).detail.en,
    ).toBe('Portfolio obligations exceed the cap in 2026; worst in 2026, 50,000.00 yuan over.');
  });

  it('applies a lower local cap', () => {
    const local = parseThresholds({ affordabilityCap: '0.06' });
    const context = { affordability: assessAffordability([member(a)], flat('3000000'), local) };
    expect(row('ppp2015-affordability-cap', a, local, context).status).toBe('fail');
  });

  it.each([
    [
      'a government-pay project above 5 %',
      aGovPay,
      portfolioOf(aGovPay, '3000000'),
      'fail',
      '6.67 % (2026) > 5.00 %',
    ],
    [
      'a government-pay project below 5 %',
      aGovPay,
      portfolioOf(aGovPay, '5000000'),
      'pass',
      '4.00 % (2026) ≤ 5.00 %',
    ],
    [
      'an availability-payment project above 5 % (derived government-pay)',
      legacyPpp((s) => {
        s.government = {
          availabilityPayment: {
            method: 'annuity',
            profitRate: '0',
            discountRate: '0',
            periodYears: 3,
            deductUserFees: false,
            includeOperatingCost: false,
          },
        };
      }),
      null,
      'fail',
      null,
    ],
    [
      'a government-pay project above 5 % in the only year with a budget',
      aGovPay,
      {
        affordability: assessAffordability(
          [member(aGovPay)],
          parseBudgetForecast({
            method: 'explicit',
            years: [{ year: 2026, amountYuan: '3000000' }],
          }),
        ),
      },
      'fail',
      '6.67 % (2026) > 5.00 %',
    ],
    [
      'a government-pay project below 5 % in the only year with a budget',
      aGovPay,
      {
        affordability: assessAffordability(
          [member(aGovPay)],
          parseBudgetForecast({
            method: 'explicit',
            years: [{ year: 2026, amountYuan: '5000000' }],
          }),
        ),
      },
      'not-applicable',
      '3 year(s) without budget',
    ],
    ['a viability-gap project', a, portfolioOf(a, '3000000'), 'not-applicable', 'viability-gap'],
    [
      'a project approved before the rule (2019-03-06)',
      legacyPpp((s) => {
        governmentPay(s);
        s.project.approvalDate = '2019-03-06';
      }),
      null,
      'not-applicable',
      '2019-03-06',
    ],
  ] as Array<[string, Scenario, object | null, RuleStatus, string | null]>)(
    'new-project line: %s → %s',
    (_what, scenario, context, status, figure) => {
      // null context: the project's own portfolio with a 3,000,000 budget.
      const r = row(
        'ppp2015-new-project-line',
        scenario,
        DEFAULT_THRESHOLDS,
        context ?? portfolioOf(scenario, '3000000'),
      );
      expect(r.status).toBe(status);
      if (figure !== null) expect(r.figure).toBe(figure);
    },
  );

  const withPsc = (build: string) =>
    legacyPpp((s) => {
      s.fiscal = { psc: { referenceBuildCostYuan: build } };
    });
  // PPP value at 10 %: 200,000/1.1 + 100,000 × (1/1.21 + 1/1.331 + 1/1.4641) = 181,818.18 + 226,077.45 = 407,895.63.
  it.each([
    ['PSC above the PPP value', withPsc('500000'), 'pass', 'VfM 92,104.37 (18.42 %)'],
    ['PSC below the PPP value', withPsc('400000'), 'fail', 'VfM -7,895.63 (-1.97 %)'],
    ['no PSC', a, 'not-applicable', '—'],
  ] as Array<[string, Scenario, RuleStatus, string]>)(
    'value for money: %s → %s',
    (_what, scenario, status, figure) => {
      const r = row('ppp2015-value-for-money', scenario);
      expect([r.status, r.figure]).toEqual([status, figure]);
    },
  );
});

describe('2023 new-mechanism rules', () => {
  const nm = (patch?: Patch) => newConcession(patch);

  it.each([
    // Revenue 800,000 × 3 = 2,400,000 against 1,000,000 + 900,000.
    [
      'revenue covering investment and operating cost',
      nm(),
      'pass',
      '2,400,000.00 / 1,900,000.00 (126.32 %)',
    ],
    [
      'revenue short of them',
      nm((s) => (s.revenues = [{ kind: 'other', name: 'Fees', annualYuan: '500000' }])),
      'fail',
      '1,500,000.00 / 1,900,000.00 (78.95 %)',
    ],
  ] as Array<[string, Scenario, RuleStatus, string]>)(
    'user-pays: %s → %s',
    (_what, scenario, status, figure) => {
      const r = row('nm2023-user-pays', scenario);
      expect([r.status, r.figure]).toEqual([status, figure]);
    },
  );

  it.each([
    ['no availability payment', nm(), 'pass'],
    [
      'an availability payment',
      nm((s) => {
        s.government = {
          availabilityPayment: {
            method: 'annuity',
            profitRate: '0.05',
            discountRate: '0.04',
            periodYears: 3,
            deductUserFees: false,
          },
        };
      }),
      'fail',
    ],
  ] as Array<[string, Scenario, RuleStatus]>)(
    'availability payments: %s → %s',
    (_what, scenario, status) => {
      expect(row('nm2023-no-availability-payment', scenario).status).toBe(status);
    },
  );

  it.each([
    [
      'an operating subsidy within the operating cost',
      nm((s) => (s.government = { operatingSubsidy: { annualYuan: '300000' } })),
      'pass',
      '0.00 + 0.00',
    ],
    [
      'an operating subsidy above the operating cost',
      nm((s) => (s.government = { operatingSubsidy: { annualYuan: '400000' } })),
      'fail',
      '0.00 + 300,000.00',
    ],
    [
      'government gap support in operation',
      nm((s) => {
        s.revenues = [{ kind: 'other', name: 'Fees', annualYuan: '100000' }];
        s.shortfall = 'government';
      }),
      'fail',
      '600,000.00 + 0.00',
    ],
  ] as Array<[string, Scenario, RuleStatus, string]>)(
    'viability gap: %s → %s',
    (_what, scenario, status, figure) => {
      const r = row('nm2023-no-viability-gap', scenario);
      expect([r.status, r.figure]).toEqual([status, figure]);
    },
  );

  it.each([
    ['1 + 39 = 40 years', 39, DEFAULT_THRESHOLDS, 'pass', '40 ≤ 40'],
    ['1 + 40 = 41 years', 40, DEFAULT_THRESHOLDS, 'fail', '41 > 40'],
    [
      '41 years under a 45-year local limit',
      40,
      parseThresholds({ maxConcessionYears: 45 }),
      'pass',
      '41 ≤ 45',
    ],
  ] as Array<[string, number, JurisdictionThresholds, RuleStatus, string]>)(
    'concession term: %s → %s',
    (_what, years, thresholds, status, figure) => {
      const r = row(
        'nm2023-concession-term',
        nm((s) => (s.timeline.operationYears = years)),
        thresholds,
      );
      expect([r.status, r.figure]).toEqual([status, figure]);
    },
  );

  const equity = (category: 'basic' | 'market-oriented', privateYuan: string) =>
    nm((s) => {
      s.project.category = category;
      s.funding.sources = [
        {
          id: 'private',
          name: 'Private equity',
          type: 'social-equity',
          ownership: 'private',
          amountYuan: privateYuan,
        },
        {
          id: 'soe',
          name: 'SOE equity',
          type: 'enterprise-equity',
          ownership: 'state-owned',
          amountYuan: String(1000000 - Number(privateYuan)),
        },
      ];
    });
  it.each([
    [
      'market-oriented, private 60 %',
      equity('market-oriented', '600000'),
      'pass',
      '60.00 % (> 50.00 %)',
    ],
    [
      'market-oriented, private 50 % (not controlling)',
      equity('market-oriented', '500000'),
      'fail',
      '50.00 % (> 50.00 %)',
    ],
    ['strongly public, private 35 %', equity('basic', '350000'), 'pass', '35.00 % (≥ 35.00 %)'],
    ['strongly public, private 34 %', equity('basic', '340000'), 'fail', '34.00 % (≥ 35.00 %)'],
    [
      'no equity at all',
      nm((s) => {
        s.funding.sources = [
          { id: 'budget', name: 'Budget', type: 'budget', amountYuan: '1000000' },
        ];
        s.shortfall = 'government';
      }),
      'fail',
      '0.00 %',
    ],
  ] as Array<[string, Scenario, RuleStatus, string]>)(
    'private-enterprise share: %s → %s',
    (_what, scenario, status, figure) => {
      const r = row('nm2023-private-share', scenario);
      expect([r.status, r.figure]).toEqual([status, figure]);
    },
  );

  // Issue 9, item 10: social capital includes state-owned enterprises, so only equity declared
  // private counts. Capex 1,000,000; the equity split is given per case, the rest a bank loan.
  const owned = (
    category: 'basic' | 'market-oriented',
    equities: Array<[string, string, string | undefined]>,
  ) =>
    nm((s) => {
      s.project.category = category;
      s.funding.sources = equities.map(([type, amountYuan, ownership], i) => ({
        id: `e${i}`,
        name: `Equity ${i}`,
        type: type as 'social-equity',
        amountYuan,
        ...(ownership ? { ownership: ownership as 'private' } : {}),
      }));
    });
  it.each([
    // 600,000 social equity, ownership not given: undeclared, so 0 of 1,000,000 is private.
    [
      'social equity of undeclared ownership is not private',
      owned('market-oriented', [
        ['social-equity', '600000', undefined],
        ['enterprise-equity', '400000', 'state-owned'],
      ]),
      'fail',
      '0.00 % (> 50.00 %)',
      'Private equity 0.00 of 1,000,000.00 yuan (state-owned 400,000.00; ownership undeclared, not counted as private 600,000.00); a market-oriented project needs private control > 50.00 %.',
    ],
    // An SOE as the social-capital partner: 600,000 declared state-owned, 0 % private.
    [
      'social equity declared state-owned',
      owned('market-oriented', [
        ['social-equity', '600000', 'state-owned'],
        ['enterprise-equity', '400000', 'private'],
      ]),
      'fail',
      '40.00 % (> 50.00 %)',
      'Private equity 400,000.00 of 1,000,000.00 yuan (private 400,000.00; state-owned 600,000.00); a market-oriented project needs private control > 50.00 %.',
    ],
    // Private 350,000 + mixed 100,000 + foreign 150,000 + guided fund (government by default)
    // 400,000: 350,000 / 1,000,000 = 35.00 %, enough for a strongly public project; mixed and
    // foreign are not private.
    [
      'mixed and foreign equity are not private; guided funds are government',
      owned('basic', [
        ['social-equity', '350000', 'private'],
        ['industrial-fund', '100000', 'mixed'],
        ['other', '150000', 'foreign'],
        ['guided-fund-equity', '400000', undefined],
      ]),
      'pass',
      '35.00 % (≥ 35.00 %)',
      'Private equity 350,000.00 of 1,000,000.00 yuan (private 350,000.00; mixed 100,000.00; foreign 150,000.00; government 400,000.00); a strongly public project needs ≥ 35.00 %.',
    ],
    // A private enterprise's own equity (enterprise-equity declared private) counts: 60 %.
    [
      'enterprise equity declared private counts',
      owned('market-oriented', [
        ['enterprise-equity', '600000', 'private'],
        ['government-equity', '400000', undefined],
      ]),
      'pass',
      '60.00 % (> 50.00 %)',
      'Private equity 600,000.00 of 1,000,000.00 yuan (private 600,000.00; government 400,000.00); a market-oriented project needs private control > 50.00 %.',
    ],
  ] as Array<[string, Scenario, RuleStatus, string, string]>)(
    'ownership: %s',
    (_what, scenario, status, figure, detail) => {
      const r = row('nm2023-private-share', scenario);
      expect([r.status, r.figure, r.detail.en]).toEqual([status, figure, detail]);
    },
  );

  it('says in Chinese which equity was not counted', () => {
    const r = row(
      'nm2023-private-share',
      owned('market-oriented', [
        ['social-equity', '600000', undefined],
        ['enterprise-equity', '400000', 'state-owned'],
      ]),
    );
    expect(r.detail.zh).toBe(
      '民营股权 0.00 元 / 股权合计 1,000,000.00 元（国有 400,000.00 元；未声明所有制，不计为民营 600,000.00 元）；市场化项目须民营控股要求 > 50.00 %。',
    );
  });
});

describe('special-bond rules', () => {
  it.each([
    ['coverage 1.304', bondProject(), DEFAULT_THRESHOLDS, 'pass', '1.304 ≥ 1.2'],
    // Revenue 300,000: net income 200,000 × 4 = 800,000 / 920,000 = 0.870; short 1,104,000 − 800,000
    // (debt service 920,000: a full construction-year coupon, src/domain/README.md "Draw timing").
    [
      'coverage 0.870',
      bondProject((s) => (s.revenues = [{ kind: 'other', name: 'Income', annualYuan: '300000' }])),
      DEFAULT_THRESHOLDS,
      'fail',
      '0.870 < 1.2; 304,000.00',
    ],
    [
      'coverage 1.304 against a local 1.4',
      bondProject(),
      parseThresholds({ bondCoverage: '1.4' }),
      'fail',
      '1.304 < 1.4; 88,000.00',
    ],
  ] as Array<[string, Scenario, JurisdictionThresholds, RuleStatus, string]>)(
    'coverage: %s → %s',
    (_what, scenario, thresholds, status, figure) => {
      const r = row('sb-coverage', scenario, thresholds);
      expect([r.status, r.figure]).toEqual([status, figure]);
    },
  );

  /** The bond project approved before the December 2024 rules (25 %), or on a given date. */
  const asCapital = (yuan?: string, approvalDate = '2024-11-30') =>
    bondProject((s) => {
      s.fiscal = yuan === undefined ? undefined : { bondAsCapitalYuan: yuan };
      s.project.approvalDate = approvalDate;
    });
  it.each([
    ['no bonds used as capital', asCapital(), DEFAULT_THRESHOLDS, 'not-applicable', '0.00'],
    [
      '200,000 of 800,000 (25 %)',
      asCapital('200000'),
      DEFAULT_THRESHOLDS,
      'pass',
      '25.00 % ≤ 25.00 %',
    ],
    [
      '240,000 of 800,000 (30 %)',
      asCapital('240000'),
      DEFAULT_THRESHOLDS,
      'fail',
      '30.00 % > 25.00 %',
    ],
    [
      '30 % under the later 30 % limit',
      asCapital('240000'),
      parseThresholds({ maxBondAsCapitalShare: '0.30' }),
      'pass',
      '30.00 % ≤ 30.00 %',
    ],
    [
      '30 % approved on 2024-12-01, under the raised default cap',
      asCapital('240000', '2024-12-01'),
      DEFAULT_THRESHOLDS,
      'pass',
      '30.00 % ≤ 30.00 %',
    ],
    [
      '32 % approved after December 2024, above the raised cap',
      asCapital('256000', '2025-03-01'),
      DEFAULT_THRESHOLDS,
      'fail',
      '32.00 % > 30.00 %',
    ],
    [
      'the raised cap is a jurisdiction threshold',
      asCapital('256000', '2025-03-01'),
      parseThresholds({ maxBondAsCapitalShareFrom2024: '0.35' }),
      'pass',
      '32.00 % ≤ 35.00 %',
    ],
    [
      'more than the bonds',
      asCapital('900000'),
      DEFAULT_THRESHOLDS,
      'fail',
      '900,000.00 > 800,000.00',
    ],
  ] as Array<[string, Scenario, JurisdictionThresholds, RuleStatus, string]>)(
    'bonds as capital: %s → %s',
    (_what, scenario, thresholds, status, figure) => {
      const r = row('sb-bond-as-capital', scenario, thresholds);
      expect([r.status, r.figure]).toEqual([status, figure]);
    },
  );

  const capital = (
    budgetYuan: string,
    fiscal?: ScenarioInput['fiscal'],
    sector?: Scenario['project']['sector'],
  ) =>
    bondProject((s) => {
      s.funding.sources[0]!.amountYuan = budgetYuan;
      s.funding.sources[1]!.amountYuan = String(1000000 - Number(budgetYuan));
      s.fiscal = fiscal;
      if (sector) s.project.sector = sector;
    });
  it.each([
    ['budget 20 %', capital('200000'), DEFAULT_THRESHOLDS, 'pass', '20.00 % ≥ 20.00 %'],
    ['budget 10 %', capital('100000'), DEFAULT_THRESHOLDS, 'fail', '10.00 % < 20.00 %'],
    [
      'budget 10 % + bonds as capital 10 %',
      capital('100000', { bondAsCapitalYuan: '100000' }),
      DEFAULT_THRESHOLDS,
      'pass',
      '20.00 % ≥ 20.00 %',
    ],
    [
      'budget 20 % in a sector needing 25 %',
      capital('200000', undefined, 'smart-water'),
      parseThresholds({ minCapitalRatioBySector: { 'smart-water': '0.25' } }),
      'fail',
      '20.00 % < 25.00 %',
    ],
  ] as Array<[string, Scenario, JurisdictionThresholds, RuleStatus, string]>)(
    'minimum capital ratio: %s → %s',
    (_what, scenario, thresholds, status, figure) => {
      const r = row('sb-min-capital-ratio', scenario, thresholds);
      expect([r.status, r.figure]).toEqual([status, figure]);
    },
  );
});
