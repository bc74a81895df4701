import fs from 'node:fs';
import path from 'node:path';
import { runStoreCli as run } from '../store/helpers/cli';
import { tempDir } from '../store/helpers/fixtures';
import { smallInput } from '../helpers/scenarios';

let dir: string;
let file: string;
beforeAll(() => {
  dir = tempDir();
  file = path.join(dir, 'small.json');
  fs.writeFileSync(file, JSON.stringify(smallInput()));
});
const cli = (...args: string[]) => run(['risk', ...args], { cwd: dir });
const json = <T>(out: string) => JSON.parse(out) as T;

describe('fundmix risk', () => {
  it('sensitivity --format json gives the metric, its base and each driver at low and high', async () => {
    const r = await cli('sensitivity', file, '--metric', 'projectNpv', '--format', 'json');
    expect(r.code).toBe(0);
    const t = json<{ metric: string; base: string; drivers: Array<Record<string, string>> }>(r.out);
    const sim = json<{ metrics: { projectNpv: string } }>(
      (await run(['simulate', file, '--format', 'json'], { cwd: dir })).out,
    );
    expect(t.metric).toBe('projectNpv');
    expect(t.base).toBe(sim.metrics.projectNpv);
    expect(t.drivers.map((d) => d.driver)).toContain('revenue');
    expect(Object.keys(t.drivers[0]!)).toEqual(
      expect.arrayContaining(['driver', 'low', 'high', 'atLow', 'atHigh']),
    );
  });

  it('sensitivity prints a table ranked by swing', async () => {
    const r = await cli('sensitivity', file, '--metric', 'projectNpv');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^projectNpv in the scenario: -?\d+\.\d\d$/m);
    expect(r.out).toMatch(/^driver\s+low\s+high/m);
  });

  it('solve --format json gives driver, value, metric, target and the metric reached', async () => {
    const r = await cli(
      'solve',
      file,
      '--for',
      'opex',
      '--target',
      'dscrMin=1.2',
      '--format',
      'json',
    );
    expect(r.code).toBe(0);
    const a = json<{
      driver: string;
      value: string;
      metric: string;
      target: string;
      reached: string;
    }>(r.out);
    expect(a).toMatchObject({ driver: 'opex', metric: 'dscrMin', target: '1.2' });
    expect(Math.abs(Number(a.reached) - 1.2)).toBeLessThanOrEqual(0.000001);
  });

  it('montecarlo gives the same JSON with 1 and 2 workers, with the keys scripts rely on', async () => {
    const args = ['montecarlo', file, '--trials', '300', '--seed', '9', '--format', 'json'];
    const one = await cli(...args, '--workers', '1');
    const two = await cli(...args, '--workers', '2');
    expect(one.code).toBe(0);
    expect(two.out).toBe(one.out);
    const s = json<{
      trials: number;
      seed: number;
      metrics: Record<string, Record<string, string>>;
      probabilities: object;
    }>(one.out);
    expect(s).toMatchObject({ trials: 300, seed: 9 });
    expect(Object.keys(s.metrics.projectNpv!)).toEqual(
      expect.arrayContaining(['mean', 'sd', 'p5', 'p10', 'p50', 'p90', 'p95']),
    );
    expect(s.probabilities).toHaveProperty('dscrBelowCovenant');
  }, 120_000);

  it.each([
    [['montecarlo', 'FILE', '--trials', '0', '--seed', '1'], '--trials'],
    [['montecarlo', 'FILE', '--trials', '10', '--seed', '-1'], '--seed'],
    [['solve', 'FILE', '--for', 'capex', '--target', 'equityIrr'], '--target'],
    [['solve', 'FILE', '--for', 'weather', '--target', 'equityIrr=0.08'], 'weather'],
    [['sensitivity', 'FILE', '--metric', 'npv'], 'npv'],
  ])('refuses %j as bad input (exit 2) naming %s', async (args, what) => {
    const r = await cli(...args.map((a) => (a === 'FILE' ? file : a)));
    expect(r.code).toBe(2);
    expect(r.err).toContain(what);
  });

  it('refuses a spec with a bad distribution, naming its path', async () => {
    const spec = path.join(dir, 'spec.json');
    fs.writeFileSync(
      spec,
      JSON.stringify({
        format: 'fundmix-risk@1',
        drivers: [{ driver: 'capex', distribution: { kind: 'uniform', min: 1.2, max: 0.9 } }],
      }),
    );
    const r = await cli('montecarlo', file, '--trials', '10', '--seed', '1', '--spec', spec);
    expect(r.code).toBe(2);
    expect(r.err).toContain('drivers[0].distribution.max');
  });

  it('--spec accepts revenue paths: a path of sd 0 gives the run without it; a bad one is refused at its path', async () => {
    const drivers = [
      { driver: 'revenue', distribution: { kind: 'triangular', min: 0.9, mode: 1, max: 1.1 } },
    ];
    const write = (name: string, paths?: unknown[]) => {
      const p = path.join(dir, name);
      fs.writeFileSync(p, JSON.stringify({ format: 'fundmix-risk@1', drivers, paths }));
      return p;
    };
    const mc = (spec: string) =>
      cli('montecarlo', file, '--trials', '20', '--seed', '4', '--spec', spec, '--format', 'json');
    const plain = await mc(write('plain.json'));
    const flat = await mc(write('flat.json', [{ model: 'random-walk', sd: 0 }]));
    const moving = await mc(write('moving.json', [{ model: 'ar1', sd: 0.2, phi: 0.3 }]));
    expect([plain.code, flat.code, moving.code]).toEqual([0, 0, 0]);
    const npv = (r: { out: string }) =>
      json<{ metrics: { projectNpv: unknown } }>(r.out).metrics.projectNpv;
    expect(npv(flat)).toEqual(npv(plain));
    expect(npv(moving)).not.toEqual(npv(plain));
    const bad = await mc(write('bad.json', [{ model: 'ar1', sd: 0.2 }]));
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('paths[0].phi');
    // Four runs, each starting its own worker thread on the TypeScript sources.
  }, 180_000);
});
