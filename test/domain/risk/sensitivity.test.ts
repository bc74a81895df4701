import { Dec } from '../../../src/domain/decimal';
import { simulate } from '../../../src/domain/engine/simulate';
import { dataTable, sensitivity, spider } from '../../../src/domain/risk/sensitivity';
import { small } from '../../helpers/scenarios';

const base = small();
const str = (d: Dec | null) => (d === null ? null : d.toString());

describe('one-at-a-time sensitivity (tornado)', () => {
  it('a revenue factor gives the figures of a copy of the scenario with the income scaled by hand', () => {
    const t = sensitivity(base, 'projectNpv', [{ driver: 'revenue' }]);
    const row = t.drivers[0]!;
    expect(row.low.toString()).toBe('0.8');
    expect(row.high.toString()).toBe('1.2');
    const at = (yuan: string) =>
      simulate(
        small((s) => (s.revenues = [{ kind: 'other', name: 'Income', annualYuan: yuan }])),
      ).metrics.projectNpv.toString();
    expect(str(row.atLow)).toBe(at('640000'));
    expect(str(row.atHigh)).toBe(at('960000'));
    expect(str(t.base)).toBe(simulate(base).metrics.projectNpv.toString());
  });

  it('a capex factor scales every funding source with the investment, like a hand-scaled copy', () => {
    const t = sensitivity(base, 'equityIrr', [
      { driver: 'capex', low: new Dec('0.9'), high: new Dec('1.2') },
    ]);
    const copy = small((s) => {
      s.capex.scheduleYuan = ['1200000'];
      s.funding.sources[0]!.amountYuan = '480000';
      s.funding.sources[1]!.amountYuan = '720000';
    });
    expect(str(t.drivers[0]!.atHigh)).toBe(simulate(copy).metrics.equity[0]!.irr.rate!.toString());
  });

  it('ranks drivers by swing, largest first, and leaves drivers without a value last', () => {
    const t = sensitivity(base, 'projectNpv', [
      { driver: 'opex' },
      { driver: 'revenue' },
      { driver: 'capex' },
    ]);
    const swings = t.drivers.map((r) => r.swing!);
    expect(swings.every((s, i) => i === 0 || swings[i - 1]!.gte(s))).toBe(true);
    expect(t.drivers[0]!.driver).toBe('revenue');
    for (const r of t.drivers)
      expect(str(r.swing)).toBe(r.atHigh!.minus(r.atLow!).abs().toString());
  });

  it('uses every driver that applies to the scenario by default (no tariff without user fees)', () => {
    const names = sensitivity(base, 'projectNpv')
      .drivers.map((r) => r.driver)
      .sort();
    expect(names).toEqual(['capex', 'delay', 'escalation', 'opex', 'rate', 'revenue'].sort());
  });

  it.each([
    ['an unknown driver', [{ driver: 'weather' }], 'unknown-driver'],
    ['a stream that does not exist', [{ driver: 'revenue:Tolls' }], 'unknown-driver'],
    ['a rate on an equity source', [{ driver: 'rate:eq' }], 'unknown-driver'],
    ['a value outside the range', [{ driver: 'capex', high: new Dec('7') }], 'driver-out-of-range'],
    ['half a year of delay', [{ driver: 'delay', high: new Dec('1.5') }], 'driver-out-of-range'],
  ])('refuses %s', (_what, ranges, code) => {
    expect(() => sensitivity(base, 'projectNpv', ranges)).toThrow(
      expect.objectContaining({ reason: code }) as Error,
    );
  });

  it('refuses an unknown metric', () => {
    expect(() => sensitivity(base, 'npv')).toThrow(
      expect.objectContaining({ reason: 'unknown-metric' }) as Error,
    );
  });
});

describe('spider and two-way data table', () => {
  it('spider points run evenly from low to high; at the neutral value the metric is the base', () => {
    const s = spider(base, 'projectNpv', [{ driver: 'revenue' }], 5);
    const line = s.lines[0]!;
    expect(line.points.map((p) => p.value.toString())).toEqual(['0.8', '0.9', '1', '1.1', '1.2']);
    expect(str(line.points[2]!.metric)).toBe(str(s.base));
  });

  it('a data table cell is the run with both drivers applied together', () => {
    const t = dataTable(
      base,
      'projectNpv',
      { driver: 'capex', values: [new Dec('1'), new Dec('1.2')] },
      { driver: 'revenue', values: [new Dec('0.8'), new Dec('1')] },
    );
    const copy = small((s) => {
      s.capex.scheduleYuan = ['1200000'];
      s.funding.sources[0]!.amountYuan = '480000';
      s.funding.sources[1]!.amountYuan = '720000';
      s.revenues = [{ kind: 'other', name: 'Income', annualYuan: '640000' }];
    });
    expect(str(t.cells[1]![0]!)).toBe(simulate(copy).metrics.projectNpv.toString());
    expect(str(t.cells[0]![1]!)).toBe(simulate(base).metrics.projectNpv.toString());
  });
});
