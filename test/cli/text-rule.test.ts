import fs from 'node:fs';
import path from 'node:path';
import { openDatabase } from '../../src/store';
import { runStoreCli } from '../store/helpers/cli';
import { scenarioInput, tempDir } from '../store/helpers/fixtures';

/**
 * Issue 8, defect 1 on the command line: a file or an argument whose text holds a control
 * character is bad input (exit 2) naming the file and JSON path, or the option; it used to end
 * in "unexpected error", exit 1 (a NUL first failed a CHECK constraint). Nothing is written.
 */

let dir: string;
let env: Record<string, string>;
const cli = (...args: string[]) => runStoreCli(args, { env, cwd: dir });
const dbFile = () => path.join(dir, 'fundmix.db');

function write(name: string, value: unknown): string {
  const file = path.join(dir, name);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify(value, null, 2));
  return name;
}

/** Rows per table (audit log included), to show that a refused command wrote nothing. */
function counts(): Record<string, number> {
  const db = openDatabase(dbFile(), { fileMustExist: true });
  try {
    const out: Record<string, number> = {};
    for (const t of ['projects', 'scenarios', 'scenario_versions', 'portfolios', 'audit_log'])
      out[t] = db.prepare(`SELECT COUNT(*) FROM ${t}`).pluck().get() as number;
    return out;
  } finally {
    db.close();
  }
}

beforeEach(async () => {
  dir = tempDir('fundmix-text-cli-');
  env = { FUNDMIX_DB: dbFile(), FUNDMIX_ACTOR: 'tester' };
  expect((await cli('db', 'migrate', '--no-demo')).code).toBe(0);
  expect((await cli('import', write('ok.json', scenarioInput('P-001', 'Base case')))).code).toBe(0);
});

describe('fundmix import', () => {
  it('refuses a scenario file with a NUL in project.name (was "unexpected error", exit 1): exit 2, file and path named', async () => {
    const before = counts();
    const file = write(
      'bad.json',
      scenarioInput('P-002', 'Base case', (s) => (s.project.name = '\u0000Sensors')),
    );
    const run = await cli('import', file);
    expect(run.code).toBe(2);
    expect(run.err).toContain(
      '  - bad.json: project.name: Project name contains a control character (U+0000) at position 1; only tab is allowed in a one-line field\n',
    );
    expect(run.err).not.toContain('unexpected error');
    expect(counts()).toEqual(before);
  });

  it('refuses an exported history whose version author holds a control character, and a portfolios file whose name does', async () => {
    const out = path.join(dir, 'export');
    expect((await cli('export', '--out', out, '--project', 'P-001')).code).toBe(0);
    const historyFile = path.join(out, 'P-001', 'Base-case.json');
    const history = JSON.parse(fs.readFileSync(historyFile, 'utf8')) as {
      project: { code: string };
      versions: Array<{ author: string }>;
    };
    history.project.code = 'P-003';
    history.versions[0]!.author = 'tester\u0000';
    const before = counts();
    const bad = await cli(
      'import',
      write('history.json', history),
      write('portfolios.json', {
        format: 'fundmix-portfolios@1',
        portfolios: [
          {
            name: 'Plan\u0007',
            members: [{ projectCode: 'P-001', scenarioName: 'Base case' }],
          },
        ],
      }),
    );
    expect(bad.code).toBe(2);
    expect(bad.err).toContain(
      '  - history.json: versions[0].author: Author contains a control character (U+0000) at position 7',
    );
    expect(bad.err).toContain(
      '  - portfolios.json: portfolios[0].name: Portfolio name contains a control character (U+0007) at position 5',
    );
    expect(counts()).toEqual(before);
  });

  it('keeps a tab in a name and line breaks in a description', async () => {
    const file = write(
      'tabs.json',
      scenarioInput('P-004', 'Base\tcase', (s) => (s.scenario.description = 'one\ntwo')),
    );
    const run = await cli('import', file);
    expect(run.code).toBe(0);
    expect(counts().scenarios).toBe(2);
  });
});

describe('options and environment', () => {
  it.each([
    [
      [],
      { FUNDMIX_ACTOR: '\u0000' },
      'FUNDMIX_ACTOR: Author contains a control character (U+0000) at position 1',
    ],
    [
      ['--comment', 'x\u0000'],
      {},
      '--comment: Comment contains a control character (U+0000) at position 2',
    ],
  ])('import %j %j: exit 2 naming the option, nothing written', async (args, extraEnv, message) => {
    env = { ...env, ...extraEnv };
    const before = counts();
    const run = await cli(
      'import',
      ...args,
      write('next.json', scenarioInput('P-005', 'Base case')),
    );
    expect(run.code).toBe(2);
    expect(run.err).toContain(`  - ${message}`);
    expect(counts()).toEqual(before);
  });

  it('has no --actor: no per-command name decides who acted (issue 10); nothing is written', async () => {
    const before = counts();
    const run = await cli(
      'import',
      '--actor',
      'Someone Else',
      write('next.json', scenarioInput('P-006', 'Base case')),
    );
    expect(run.code).not.toBe(0);
    expect(run.err).toContain("unknown option '--actor'");
    expect(counts()).toEqual(before);
  });

  it('fiscal report: --portfolio and --switch with a control character are bad input naming the option', async () => {
    const portfolio = await cli('fiscal', 'report', '--portfolio', 'Plan\u0000');
    expect(portfolio.code).toBe(2);
    expect(portfolio.err).toContain(
      '  - --portfolio: Portfolio name contains a control character (U+0000) at position 5',
    );
    const switched = await cli('fiscal', 'report', '--switch', 'P-001=Base\u0001');
    expect(switched.code).toBe(2);
    expect(switched.err).toContain(
      '  - --switch: What-if switch contains a control character (U+0001) at position 11',
    );
  });
});
