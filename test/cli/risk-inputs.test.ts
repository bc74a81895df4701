import fs from 'node:fs';
import path from 'node:path';
import { simulate } from '../../src/domain/engine/simulate';
import { metricValue } from '../../src/domain/risk/metrics';
import { parseScenario } from '../../src/domain/scenario/parse';
import type { ScenarioInput } from '../../src/domain/scenario/schema';
import { runStoreCli as run } from '../store/helpers/cli';
import { tempDir } from '../store/helpers/fixtures';
import { EXAMPLES_DIR, smallInput } from '../helpers/scenarios';

let dir: string;
const traffic = path.join(EXAMPLES_DIR, 'traffic-signals-legacy-ppp.json');
beforeAll(() => {
  dir = tempDir();
  fs.writeFileSync(path.join(dir, 'small.json'), JSON.stringify(smallInput()));
});
const cli = (...args: string[]) => run(['risk', ...args], { cwd: dir });

describe('fundmix risk solve --for input:…', () => {
  it('solves the AP profit rate for equity IRR = 8 %: JSON with driver, value, metric, target, reached; the value written into the file gives exactly reached', async () => {
    const r = await cli(
      'solve',
      traffic,
      '--for',
      'input:ap-profit-rate',
      '--target',
      'equityIrr=0.08',
      '--format',
      'json',
    );
    expect(r.code).toBe(0);
    const a = JSON.parse(r.out) as Record<string, string>;
    expect(a).toMatchObject({
      driver: 'input:ap-profit-rate',
      metric: 'equityIrr',
      target: '0.08',
    });
    const input = JSON.parse(fs.readFileSync(traffic, 'utf8')) as ScenarioInput;
    input.government!.availabilityPayment!.profitRate = a.value!;
    expect(metricValue(simulate(parseScenario(input)), 'equityIrr')!.toString()).toBe(a.reached);
  });

  it('refuses an input the scenario does not have (exit 2), naming the scenario field', async () => {
    const r = await cli(
      'solve',
      'small.json',
      '--for',
      'input:ap-profit-rate',
      '--target',
      'equityIrr=0.08',
    );
    expect(r.code).toBe(2);
    expect(r.err).toContain('government.availabilityPayment');
  });
});
