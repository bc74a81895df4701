import fc from 'fast-check';
import { Dec } from '../../../src/domain/decimal';
import { ValidationError } from '../../../src/domain/errors';
import {
  compileSystem,
  defaultEvaluationSystem,
  parseEvaluationSystem,
  scoreProject,
  scoreTotals,
  withActualsData,
  type EvaluationSystem,
  type IndicatorNode,
  type IndicatorValue,
} from '../../../src/domain/evaluation';

const leaf = (
  code: string,
  weightPercent: string,
  method: IndicatorNode['method'],
): IndicatorNode => ({
  code,
  nameZh: code,
  nameEn: code,
  weightPercent,
  method,
});

/** Hand-worked: A (60 %) = A1 linear 0→100 (50 %) + A2 yes/no (50 %); B (40 %) = B1 equity IRR 0→8 %. */
const small: EvaluationSystem = parseEvaluationSystem({
  indicators: [
    {
      code: 'A',
      nameZh: '甲',
      nameEn: 'A',
      weightPercent: '60',
      children: [
        leaf('A1', '50', { kind: 'linear', zeroAt: '0', fullAt: '100' }),
        leaf('A2', '50', { kind: 'yes-no' }),
      ],
    },
    {
      code: 'B',
      nameZh: '乙',
      nameEn: 'B',
      weightPercent: '40',
      children: [
        leaf('B1', '100', {
          kind: 'metric',
          metric: 'equityIrr',
          scale: { kind: 'linear', zeroAt: '0', fullAt: '0.08' },
        }),
      ],
    },
  ],
});

const data = (entries: Array<[string, IndicatorValue]>) => new Map(entries);

/** One indicator at 100 % under one group: the points of a method for a value. */
function pointsOf(method: IndicatorNode['method'], value: IndicatorValue): string {
  const sys = parseEvaluationSystem({
    indicators: [
      {
        code: 'G',
        nameZh: 'G',
        nameEn: 'G',
        weightPercent: '100',
        children: [leaf('X', '100', method)],
      },
    ],
  });
  return scoreProject(sys, data([['X', value]]), {}).total.toFixed(2);
}

describe('scoreProject on hand-worked values', () => {
  it('weights each indicator by the product of the weights down its path', () => {
    const s = scoreProject(
      small,
      data([
        ['A1', new Dec(45)],
        ['A2', true],
      ]),
      {
        equityIrr: new Dec('0.06'),
      },
    );
    // A = 0.5 × 45 + 0.5 × 100 = 72.5; B = 0.06 / 0.08 × 100 = 75; total = 0.6 × 72.5 + 0.4 × 75.
    expect(s.total.toFixed(2)).toBe('73.50');
    expect(s.breakdown.map((g) => [g.code, g.score.toFixed(2), g.contribution.toFixed(2)])).toEqual(
      [
        ['A', '72.50', '43.50'],
        ['B', '75.00', '30.00'],
      ],
    );
    expect(s.breakdown[0]?.children?.map((c) => c.effectiveWeightPercent.toFixed(2))).toEqual([
      '30.00',
      '30.00',
    ]);
    expect(s.missing).toEqual([]);
  });

  it('scores missing data 0 without re-normalising and lists it', () => {
    const s = scoreProject(small, data([['A1', new Dec(45)]]), { equityIrr: null });
    expect(s.total.toFixed(2)).toBe('13.50'); // 0.6 × 0.5 × 45
    expect(s.missing).toEqual([
      { code: 'A2', path: ['A', 'A2'], reason: 'no-data' },
      { code: 'B1', path: ['B', 'B1'], reason: 'no-metric', metric: 'equityIrr' },
    ]);
  });

  it('treats a value of the wrong kind as missing', () => {
    const s = scoreProject(
      small,
      data([
        ['A1', true],
        ['A2', new Dec(1)],
      ]),
      {},
    );
    expect(s.missing.map((m) => m.reason)).toEqual(['wrong-type', 'wrong-type', 'no-metric']);
    expect(s.total.toFixed(2)).toBe('0.00');
  });

  it.each([
    [{ kind: 'linear', zeroAt: '0', fullAt: '100' }, new Dec(45), '45.00'],
    [{ kind: 'linear', zeroAt: '0', fullAt: '100' }, new Dec(130), '100.00'],
    [{ kind: 'linear', zeroAt: '50', fullAt: '100' }, new Dec(20), '0.00'],
    [{ kind: 'linear', zeroAt: '1', fullAt: '0' }, new Dec('0.25'), '75.00'],
    [{ kind: 'linear', zeroAt: '0', fullAt: '3' }, new Dec(1), '33.33'],
    [{ kind: 'linear', zeroAt: '0', fullAt: '3' }, new Dec(2), '66.67'],
    // 0.125 rounds half-up to 0.13 (half-even would give 0.12).
    [{ kind: 'linear', zeroAt: '0', fullAt: '800' }, new Dec(1), '0.13'],
    [
      {
        kind: 'bands',
        bands: [
          { max: '1', points: '100' },
          { max: '3', points: '50' },
        ],
      },
      new Dec(0),
      '100.00',
    ],
    [
      {
        kind: 'bands',
        bands: [
          { max: '1', points: '100' },
          { max: '3', points: '50' },
        ],
      },
      new Dec(2),
      '50.00',
    ],
    [
      {
        kind: 'bands',
        bands: [
          { max: '1', points: '100' },
          { max: '3', points: '50' },
        ],
      },
      new Dec(3),
      '0.00',
    ],
    [
      {
        kind: 'bands',
        bands: [
          { min: '1.5', points: '100' },
          { min: '1.2', points: '70' },
        ],
      },
      new Dec('1.2'),
      '70.00',
    ],
    [{ kind: 'yes-no' }, true, '100.00'],
    [{ kind: 'yes-no' }, false, '0.00'],
  ] as Array<[IndicatorNode['method'], IndicatorValue, string]>)(
    'method %j on %s scores %s',
    (m, v, want) => {
      expect(pointsOf(m, v)).toBe(want);
    },
  );
});

describe('parseEvaluationSystem', () => {
  const withWeights = (ws: string[]) => ({
    indicators: [
      {
        code: 'A',
        nameZh: 'A',
        nameEn: 'A',
        weightPercent: '50',
        children: [leaf('A1', '100', { kind: 'yes-no' })],
      },
      {
        code: 'B',
        nameZh: 'B',
        nameEn: 'B',
        weightPercent: '25',
        children: [leaf('B1', '100', { kind: 'yes-no' })],
      },
      {
        code: 'C',
        nameZh: 'C',
        nameEn: 'C',
        weightPercent: '25',
        children: ws.map((w, i) => leaf(`C${i}`, w, { kind: 'yes-no' })),
      },
    ],
  });
  const issuesOf = (input: unknown) => {
    try {
      parseEvaluationSystem(input);
    } catch (e) {
      if (e instanceof ValidationError) return e.issues;
      throw e;
    }
    throw new Error('accepted');
  };

  it('names the group whose weights do not add up to 100 %', () => {
    expect(issuesOf(withWeights(['60', '35']))).toEqual([
      { path: 'indicators[2].children', message: 'weights sum to 95 %, must be 100 %' },
    ]);
    expect(() => parseEvaluationSystem(withWeights(['62.5', '37.5']))).not.toThrow();
  });

  it('refuses a repeated code, a group with a method, an indicator without one, equal bounds', () => {
    const input = withWeights(['50', '50']);
    const c = input.indicators[2] as IndicatorNode;
    (c.children as IndicatorNode[])[1] = leaf('A1', '50', {
      kind: 'linear',
      zeroAt: '1',
      fullAt: '1',
    });
    (input.indicators[1] as IndicatorNode).method = { kind: 'yes-no' };
    delete ((input.indicators[0] as IndicatorNode).children as IndicatorNode[])[0]?.method;
    expect(issuesOf(input)).toEqual([
      { path: 'indicators[0].children[0].method', message: 'an indicator needs a scoring method' },
      { path: 'indicators[1].method', message: 'a group has no method of its own' },
      {
        path: 'indicators[2].children[1].code',
        message: 'code A1 is already used at indicators[0].children[0]',
      },
      {
        path: 'indicators[2].children[1].method.fullAt',
        message: 'the 0-point and 100-point bounds must differ',
      },
    ]);
  });

  it('refuses a weight that is not an exact positive percentage', () => {
    expect(issuesOf(withWeights(['0.5e2', '50']))[0]?.path).toBe(
      'indicators[2].children[0].weightPercent',
    );
  });

  it('accepts the defaults, whose first level keeps GB/T 33356-2016 proportions at 80 % plus 20 % financial', () => {
    const sys = parseEvaluationSystem(defaultEvaluationSystem());
    expect(sys.indicators.map((g) => `${g.nameZh} ${g.weightPercent}`)).toEqual([
      '惠民服务 29.6',
      '精准治理 7.2',
      '生态宜居 6.4',
      '智能设施 5.6',
      '信息资源 5.6',
      '网络安全 6.4',
      '改革创新 3.2',
      '市民体验 16',
      '财务可持续 20',
    ]);
  });
});

describe('actuals', () => {
  it('feeds the satisfaction score of the latest year into 市民体验', () => {
    const sys = defaultEvaluationSystem();
    const entered = data([['SM1', new Dec(60)]]);
    const fed = withActualsData(sys, entered, [
      { year: 2027, revenuesYuan: {}, volumes: {}, satisfaction: '88', source: 's' },
      { year: 2028, revenuesYuan: {}, volumes: {}, satisfaction: '81', source: 's' },
      { year: 2029, revenuesYuan: {}, volumes: {}, source: 's' },
    ]);
    expect(fed.fromActuals).toEqual(['SM1']);
    const plan = scoreProject(sys, entered, {});
    const actual = scoreProject(sys, fed.data, {});
    // SM1 linear 60→95: plan 0 points; actual (81 − 60) / 35 × 100 = 60, × 16 % = 9.6.
    expect(plan.total.toFixed(2)).toBe('0.00');
    expect(actual.total.toFixed(2)).toBe('9.60');
  });
});

describe('invariants', () => {
  const sys = defaultEvaluationSystem();
  const c = compileSystem(sys);
  const arbValue = fc.oneof(
    fc.boolean(),
    fc.integer({ min: -200000, max: 200000 }).map((n) => new Dec(n).div(1000)),
  );
  const arbData = fc.array(
    fc.tuple(fc.constantFrom(...c.leaves.map((l) => l.node.code)), arbValue),
  );
  const arbMetric = fc.option(
    fc.integer({ min: -5000, max: 5000 }).map((n) => new Dec(n).div(1000)),
  );

  it('the shares of all indicators sum to exactly 1', () => {
    expect(c.leaves.reduce((s, l) => s.plus(l.share), new Dec(0)).toFixed()).toBe('1');
  });

  it('every score is within 0..100 and the batch total equals the single one', () => {
    fc.assert(
      fc.property(arbData, arbMetric, arbMetric, (entries, irr, cov) => {
        const d = new Map(entries);
        const m = { equityIrr: irr, bondCoverage: cov, fiscalBurden: irr };
        const s = scoreProject(sys, d, m);
        const all = (nodes: typeof s.breakdown): boolean =>
          nodes.every((n) => n.score.gte(0) && n.score.lte(100) && all(n.children ?? []));
        expect(s.total.gte(0) && s.total.lte(100)).toBe(true);
        expect(all(s.breakdown)).toBe(true);
        const [batch] = scoreTotals(c, [{ indicatorData: d, metrics: m }]);
        expect(batch?.total.toFixed(2)).toBe(s.total.toFixed(2));
        expect(batch?.missingCount).toBe(s.missing.length);
      }),
      { numRuns: 200 },
    );
  });
});
