import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ValidationError } from '../../../src/domain/errors';
import { simulate } from '../../../src/domain/engine/simulate';
import { parseScenario } from '../../../src/domain/scenario/parse';
import { SCENARIO_FORMAT, SCENARIO_FORMAT_V1 } from '../../../src/domain/scenario/schema';
import { scenarioSchemaV1, type ScenarioInputV1 } from '../../../src/domain/scenario/schema-v1';
import { deliveryOf, upgradeScenarioV1 } from '../../../src/domain/scenario/upgrade';
import { smallInput } from '../../helpers/scenarios';

/** Scenario format v2 (issue 9): the delivery model belongs to the scenario; v1 files are upgraded. */

const EXAMPLES = join(__dirname, '..', '..', '..', 'data', 'examples');
const json = (...parts: string[]) =>
  JSON.parse(readFileSync(join(EXAMPLES, ...parts), 'utf8')) as Record<string, unknown>;

/** The v2 small scenario written back as v1 by hand: delivery on the project, format @1. */
function smallV1(): ScenarioInputV1 {
  return {
    ...(smallInput() as unknown as ScenarioInputV1),
    format: 'fundmix-scenario@1',
    project: {
      code: 'T-SMALL',
      name: 'Small test project',
      sector: 'other',
      category: 'market-oriented',
      delivery: 'concession',
      approvalDate: '2025-01-01',
    },
    scenario: { name: 'base' },
  };
}

describe('format constants', () => {
  it('v2 is what FundMix writes; v1 is still named', () => {
    expect(SCENARIO_FORMAT).toBe('fundmix-scenario@2');
    expect(SCENARIO_FORMAT_V1).toBe('fundmix-scenario@1');
  });
});

describe('upgradeScenarioV1', () => {
  it('turns the kept v1 example into the hand-written v2 example, field for field', () => {
    const v1 = json('v1', 'iot-sensing-special-bond.json') as unknown as ScenarioInputV1;
    expect(scenarioSchemaV1.safeParse(v1).success).toBe(true);
    expect(upgradeScenarioV1(v1)).toEqual(json('iot-sensing-special-bond.json'));
  });

  it('moves project.delivery to scenario.delivery and changes nothing else', () => {
    const v1 = smallV1();
    const before = structuredClone(v1);
    const v2 = upgradeScenarioV1(v1);
    expect(v1).toEqual(before); // pure: the argument is untouched
    expect(v2.format).toBe('fundmix-scenario@2');
    expect(v2.project).toEqual({
      code: 'T-SMALL',
      name: 'Small test project',
      sector: 'other',
      category: 'market-oriented',
      approvalDate: '2025-01-01',
    });
    expect(v2.scenario).toEqual({ name: 'base', delivery: 'concession' });
    expect(v2).toEqual(smallInput());
  });

  it.each(['government', 'ppp', 'concession'] as const)('keeps delivery %s', (delivery) => {
    const v1 = smallV1();
    v1.project.delivery = delivery;
    expect(upgradeScenarioV1(v1).scenario.delivery).toBe(delivery);
    expect(parseScenario(v1).scenario.delivery).toBe(delivery);
  });
});

describe('parseScenario reads both formats', () => {
  it('gives a v1 file as the v2 scenario of its upgrade, computing the same figures', () => {
    const fromV1 = parseScenario(json('v1', 'iot-sensing-special-bond.json'));
    const fromV2 = parseScenario(json('iot-sensing-special-bond.json'));
    expect(fromV1).toEqual(fromV2);
    expect(fromV1.format).toBe('fundmix-scenario@2');
    expect(fromV1.scenario.delivery).toBe('government');
    const a = simulate(fromV1).metrics;
    const b = simulate(fromV2).metrics;
    expect(a.projectNpv.toString()).toBe(b.projectNpv.toString());
    expect(a.governmentOutlayTotal.toString()).toBe(b.governmentOutlayTotal.toString());
  });

  it('validates a v1 file against v1, so problems carry the paths the user wrote', () => {
    const v1 = smallV1() as unknown as Record<string, Record<string, unknown>>;
    v1.project!.delivery = 'outsourced';
    v1.scenario!.delivery = 'ppp'; // v2's place: unknown in v1
    let err: unknown;
    try {
      parseScenario(v1);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ValidationError);
    expect((err as ValidationError).issues.map((i) => i.path).sort()).toEqual([
      'project.delivery',
      'scenario',
    ]);
  });

  it('refuses every v2-only input in a v1 file as an unknown field, at its place', () => {
    const v1 = smallV1() as unknown as Record<string, unknown> & {
      funding: { sources: Array<Record<string, unknown>>; waterfall?: unknown };
      revenues: Array<Record<string, unknown>>;
    };
    v1.reserves = { dsra: { months: 6 } };
    v1.indirectTax = {};
    v1.funding.waterfall = { preferredSourceIds: ['x'], preferredRate: '0.04' };
    v1.funding.sources[0]!.drawTiming = 'mid-year';
    v1.revenues[0]!.vatRate = '0.06';
    let err: unknown;
    try {
      parseScenario(v1);
    } catch (e) {
      err = e;
    }
    expect((err as ValidationError).issues.map((i) => `${i.path}: ${i.message}`).sort()).toEqual([
      ': Unknown field(s): reserves, indirectTax',
      'funding.sources[0]: Unknown field(s): drawTiming',
      'funding: Unknown field(s): waterfall',
      'revenues[0]: Unknown field(s): vatRate',
    ]);
  });

  it('refuses a v2 file with the delivery on the project, or without one on the scenario', () => {
    const v2 = smallInput() as unknown as Record<string, Record<string, unknown>>;
    v2.project!.delivery = 'ppp';
    delete v2.scenario!.delivery;
    let err: unknown;
    try {
      parseScenario(v2);
    } catch (e) {
      err = e;
    }
    expect((err as ValidationError).issues).toEqual([
      { path: 'project', message: 'Unknown field(s): delivery' },
      { path: 'scenario.delivery', message: expect.stringMatching(/^Invalid option/) },
    ]);
  });

  it('names both formats when the format is neither', () => {
    const bad = { ...smallInput(), format: 'fundmix-scenario@3' };
    expect(() => parseScenario(bad)).toThrow(ValidationError);
    try {
      parseScenario(bad);
    } catch (e) {
      expect((e as ValidationError).issues[0]).toEqual({
        path: 'format',
        message:
          'format must be "fundmix-scenario@2" (files of format "fundmix-scenario@1" are read and upgraded)',
      });
    }
  });
});

describe('deliveryOf', () => {
  it.each([
    ['a v2 file', smallInput(), 'concession'],
    ['a v1 file', smallV1(), 'concession'],
    [
      'a v2 file with a v1 place only',
      { format: 'fundmix-scenario@2', project: { delivery: 'ppp' } },
      null,
    ],
    [
      'a v1 file with a bad value',
      { format: 'fundmix-scenario@1', project: { delivery: 'x' } },
      null,
    ],
    ['not an object', 'text', null],
  ])('reads %s', (_what, input, expected) => {
    expect(deliveryOf(input)).toBe(expected);
  });
});

describe('library entry point', () => {
  it('exports both formats and the upgrade', async () => {
    const lib = await import('../../../src/index');
    expect([lib.SCENARIO_FORMAT, lib.SCENARIO_FORMAT_V1]).toEqual([
      'fundmix-scenario@2',
      'fundmix-scenario@1',
    ]);
    expect(lib.upgradeScenarioV1(smallV1())).toEqual(smallInput());
    expect(lib.scenarioSchemaV1.safeParse(smallV1()).success).toBe(true);
  });
});
