import { Dec } from '../../../src/domain/decimal';
import { METRIC_TOLERANCE } from '../../../src/domain/risk/metrics';
import { metricAtDriver } from '../../../src/domain/risk/sensitivity';
import { parseDriverName } from '../../../src/domain/risk/drivers';
import { parseMetricName } from '../../../src/domain/risk/metrics';
import { solveBreakEven } from '../../../src/domain/risk/solve';
import { small } from '../../helpers/scenarios';

/** Build 1,000,000 in one year, then one year of 1,200,000 income, no cost, tax or debt. */
const oneYear = small((s) => {
  s.timeline.operationYears = 1;
  s.operatingCost.annualYuan = '0';
  s.revenues = [{ kind: 'other', name: 'Income', annualYuan: '1200000' }];
  s.tax = { incomeTaxRate: '0' };
  s.funding.sources = [
    { id: 'eq', name: 'Equity', type: 'enterprise-equity', amountYuan: '1000000' },
  ];
});

describe('break-even', () => {
  it('finds the revenue factor that makes the project IRR 8 %: flows −1,000,000 and 1,200,000 × f give f = 0.9', () => {
    const a = solveBreakEven(oneYear, {
      driver: 'revenue',
      metric: 'projectIrr',
      target: new Dec('0.08'),
    });
    expect(a.value!.minus('0.9').abs().lte('0.000001')).toBe(true);
    expect(a.reached!.minus('0.08').abs().lte(METRIC_TOLERANCE.rate)).toBe(true);
  });

  it.each([
    ['equityIrr', '0.08', 'revenue'],
    ['dscrMin', '1.2', 'opex'],
    ['projectNpv', '0', 'capex'],
    ['equityIrr', '-0.1', 'rate'],
  ])(
    'the value found for %s = %s by %s, plugged back in, gives the metric reached, within tolerance of the target',
    (metric, target, driverName) => {
      const s = small();
      const a = solveBreakEven(s, { driver: driverName, metric, target: new Dec(target) });
      expect(a.value).not.toBeNull();
      const again = metricAtDriver(
        s,
        parseMetricName(metric, s),
        parseDriverName(driverName, s),
        a.value!,
      );
      expect(again!.toString()).toBe(a.reached!.toString());
      const unit = parseMetricName(metric, s).unit;
      expect(a.reached!.minus(target).abs().lte(METRIC_TOLERANCE[unit])).toBe(true);
    },
  );

  it('answers "no value reaches the target" when none in the bracket does', () => {
    const a = solveBreakEven(oneYear, {
      driver: 'revenue',
      metric: 'projectIrr',
      target: new Dec('0.08'),
      low: new Dec('1'),
      high: new Dec('2'),
    });
    expect(a.value).toBeNull();
    expect(a.reached).toBeNull();
  });
});
