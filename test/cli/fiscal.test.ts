import fs from 'node:fs';
import path from 'node:path';
import { buildProgram } from '../../src/cli/main';
import { openDatabase } from '../../src/store';
import { runStoreCli } from '../store/helpers/cli';
import { tempDir } from '../store/helpers/fixtures';

/** `fundmix fiscal report` on the shipped Demo City programme. */

const DEMO = path.join(__dirname, '..', '..', 'data', 'demo');
const PPP_PLAN = '2027 PPP为主方案 PPP-heavy 2027 plan';

let dir: string;
let env: Record<string, string>;
const cli = (...args: string[]) => runStoreCli(args, { env, cwd: dir });

/** Every row of every table except the results cache, as text. */
function dump(file: string): string {
  const db = openDatabase(file, { fileMustExist: true });
  try {
    const tables = db
      .prepare(
        `SELECT name FROM sqlite_master WHERE type = 'table' AND name <> 'results_cache' ORDER BY name`,
      )
      .pluck()
      .all() as string[];
    return tables.map((t) => JSON.stringify(db.prepare(`SELECT * FROM ${t}`).all())).join('\n');
  } finally {
    db.close();
  }
}

beforeAll(async () => {
  dir = tempDir('fundmix-fiscal-cli-');
  env = { FUNDMIX_DB: path.join(dir, 'fundmix.db'), FUNDMIX_ACTOR: 'tester' };
  const seeded = await cli('db', 'migrate', '--demo-dir', DEMO);
  expect(seeded.code).toBe(0);
});

it('is registered in the fundmix program', () => {
  const fiscal = buildProgram().commands.find((c) => c.name() === 'fiscal');
  expect(fiscal?.commands.map((c) => c.name())).toEqual(['report']);
});

describe('fundmix fiscal report', () => {
  it('prints the affordability table with the breach years and the failing checks', async () => {
    const run = await cli('fiscal', 'report', '--portfolio', 'PPP-heavy', '--no-stress');
    expect(run).toMatchObject({ code: 0, err: '' });
    expect(run.out).toContain(`Portfolio: ${PPP_PLAN}\n`);
    expect(run.out).toContain(
      "thresholds: the jurisdiction's (cap 10.00 %, new-project line 5.00 %",
    );
    expect(run.out).toMatch(
      /\n2032 +1,063,356,641\.54 +4,710,000,000\.00 +5,773,356,641\.54 +56,120,000,000\.00 +10\.2875 % +-161,356,641\.54 +OVER CAP by 161,356,641\.54\n/,
    );
    expect(run.out).toMatch(/\n2027 .* 9\.6937 % .* above 5\.00 %\n/);
    expect(run.out).toContain(
      'Cap of 10.00 % breached in 2029–2033; worst 2032: 10.2875 %, 161,356,641.54 yuan over.',
    );
    // Issue 9, item 11: no demo concession has construction-period investment support.
    expect(run.out).toContain(
      "Concessions' construction-period investment support: none in this portfolio; not counted in the ratio (国办函〔2023〕115号",
    );
    expect(run.out).not.toContain('Concession support');
    // 11 since engine 1.2.0 (SC-PUBLIC-DATA fails user-pays); 12 since the water concession joined the plan (the 10 % cap).
    expect(run.out).toContain('Failing checks (12):');
    expect(run.out).toMatch(
      / - SC-PUBLIC-DATA \/ .*411,548,810\.65 \/ 418,060,862\.10 \(98\.44 %\)\n/,
    );
    expect(run.out).toContain(
      '  - SC-PARKING / 特许经营(42年) 42-year concession: Concession term at most 40 years (特许经营期限不超过40年): 43 > 40\n',
    );
    expect(run.out).toContain('财金〔2015〕21号');
  });

  it('what-if --switch changes the ratio, and saves nothing', async () => {
    const before = dump(env.FUNDMIX_DB!);
    const run = await cli(
      'fiscal',
      'report',
      '--portfolio',
      PPP_PLAN,
      '--switch',
      'SC-TRANSPORT=PPP+建设期补助 PPP with construction subsidy',
      '--no-stress',
    );
    expect(run.code).toBe(0);
    expect(run.out).toContain(
      'What-if (not saved): SC-TRANSPORT PPP 可用性付费 Availability PPP → PPP+建设期补助 PPP with construction subsidy',
    );
    expect(run.out).toContain(
      'Within the cap of 10.00 % every year with a budget figure; peak 9.9810 % in 2032.',
    );
    expect(run.out).not.toContain('OVER CAP');
    expect(dump(env.FUNDMIX_DB!)).toBe(before);
  });

  it('prints the whole report as JSON', async () => {
    const run = await cli('fiscal', 'report', '--portfolio', 'Bond-heavy', '--format', 'json');
    expect(run.code).toBe(0);
    const report = JSON.parse(run.out) as {
      affordability: { breachYears: number[]; peak: { year: number; ratio: string } };
      failures: Array<{ projectCode: string; row: { ruleId: string } }>;
      members: Array<{ projectCode: string; bondSelfBalance: { stress: unknown[] } | null }>;
    };
    expect(report.affordability.breachYears).toEqual([]);
    expect(report.affordability.peak).toEqual({ year: 2032, ratio: '0.098522' });
    expect(report.failures.map((f) => `${f.projectCode} ${f.row.ruleId}`)).toContain(
      'SC-WATER sb-coverage',
    );
    expect(
      report.members.find((m) => m.projectCode === 'SC-WATER')?.bondSelfBalance?.stress,
    ).toHaveLength(2);
  });

  it.each([
    [
      ['--portfolio', 'PPP-heavy', '--switch', 'SC-TRANSPORT'],
      '--switch: Write it as PROJECT-CODE=SCENARIO NAME',
    ],
    [
      ['--portfolio', 'PPP-heavy', '--switch', 'NOPE=x'],
      'switches.NOPE: Project NOPE is not in the portfolio',
    ],
    [
      ['--portfolio', 'PPP-heavy', '--switch', 'SC-TRANSPORT=No such'],
      'switches.SC-TRANSPORT: Project SC-TRANSPORT has no scenario "No such"',
    ],
    [['--portfolio', 'nowhere'], 'No portfolio matches "nowhere": choose from'],
    [['--portfolio', '2027'], 'More than one portfolio matches "2027"'],
    [[], '--portfolio: Choose a portfolio: "2027 PPP为主方案 PPP-heavy 2027 plan"'],
    [['--portfolio', 'PPP-heavy', '--format', 'xml'], "argument 'xml' is invalid"],
  ])('exits 2 on bad arguments: %j', async (args, message) => {
    const run = await cli('fiscal', 'report', ...args);
    expect(run.code).toBe(2);
    expect(run.err).toContain(message);
    expect(run.out).toBe('');
  });

  it('exits 2 for a database that does not exist, creating nothing', async () => {
    const run = await cli('fiscal', 'report', '--db', 'missing.db');
    expect(run.code).toBe(2);
    expect(fs.existsSync(path.join(dir, 'missing.db'))).toBe(false);
  });
});
