import path from 'node:path';
import { buildProgram } from '../../src/cli/main';
import { runStoreCli } from '../store/helpers/cli';
import { tempDir } from '../store/helpers/fixtures';

/** `fundmix plan optimise` on the shipped Demo City programme (README "Programme optimiser"). */

const DEMO = path.join(__dirname, '..', '..', 'data', 'demo');

// Each command starts its own worker thread (the TypeScript sources transpiled on start).
jest.setTimeout(120_000);

let dir: string;
let env: Record<string, string>;
const cli = (...args: string[]) => runStoreCli(args, { env, cwd: dir });

beforeAll(async () => {
  dir = tempDir('fundmix-plan-cli-');
  env = { FUNDMIX_DB: path.join(dir, 'fundmix.db'), FUNDMIX_ACTOR: 'tester' };
  const seeded = await cli('db', 'migrate', '--demo-dir', DEMO);
  expect(seeded.code).toBe(0);
});

it('is registered in the fundmix program', () => {
  const plan = buildProgram().commands.find((c) => c.name() === 'plan');
  expect(plan?.commands.map((c) => c.name())).toEqual(['optimise']);
});

describe('fundmix plan optimise', () => {
  it('prints the optimal programme as JSON: no government-pay PPP where the demo is above the 5 % line', async () => {
    const request = JSON.stringify({
      years: [{ year: 2027, generalBudgetEnvelopeYuan: '600000000' }],
    });
    const run = await cli(
      'plan',
      'optimise',
      '--portfolio',
      'Bond-heavy',
      '--request',
      request,
      '--format',
      'json',
    );
    expect(run).toMatchObject({ code: 0, err: '' });
    const out = JSON.parse(run.out);
    expect(out.portfolio.name).toBe('2027 专项债为主方案 Bond-heavy 2027 plan');
    expect(out.status).toBe('optimal');
    expect(out.gap).toBe('0');
    const codes = out.chosen.map((c: { projectCode: string }) => c.projectCode);
    // The demo's other PPP obligations alone are above 5 % of the budget in 2019–2037: the
    // government-pay PPPs (availability payments, viability gap without user revenue) cannot start.
    for (const gp of ['SC-HEALTH', 'SC-OPS-CENTRE', 'SC-TRANSPORT'])
      expect(codes).not.toContain(gp);
    expect(codes).toContain('SC-WATER');
    const g = out.constraints.find(
      (c: { kind: string; year: number }) => c.kind === 'general-budget' && c.year === 2027,
    );
    expect(g.limitYuan).toBe('600000000.00');
    expect(out.saved).toBeNull();
  });

  it('prints a table with the status, the chosen projects and the score of the current portfolio', async () => {
    const run = await cli('plan', 'optimise', '--portfolio', 'Bond-heavy');
    expect(run).toMatchObject({ code: 0, err: '' });
    expect(run.out).toContain('Portfolio: 2027 专项债为主方案 Bond-heavy 2027 plan\n');
    expect(run.out).toMatch(
      /^Status: optimal, total score \d+\.\d{4} \(current portfolio \d+\.\d{4}\)/m,
    );
    expect(run.out).toMatch(/^SC-WATER\s/m);
  });

  it('refuses a repeated quota year with exit 2, naming it', async () => {
    const request = JSON.stringify({
      years: [
        { year: 2027, specialBondQuotaYuan: '1' },
        { year: 2027, specialBondQuotaYuan: '2' },
      ],
    });
    const run = await cli('plan', 'optimise', '--portfolio', 'Bond-heavy', '--request', request);
    expect(run.code).toBe(2);
    expect(run.err).toContain('quota year 2027 is given twice');
  });

  it('refuses to save (exit 2): saving is done signed in, on the page or the API', async () => {
    const request = JSON.stringify({ saveAs: 'From the CLI' });
    const run = await cli('plan', 'optimise', '--portfolio', 'Bond-heavy', '--request', request);
    expect(run.code).toBe(2);
    expect(run.err).toContain('Save the programme from the page or the API (a signed-in user)');
  });
});
