import path from 'node:path';
import { buildProgram } from '../../src/cli/main';
import { createStore, openDatabase } from '../../src/store';
import { runStoreCli } from '../store/helpers/cli';
import { tempDir } from '../store/helpers/fixtures';

/** `fundmix evaluation score` on the shipped Demo City programme. */
const DEMO = path.join(__dirname, '..', '..', 'data', 'demo');
const CITY = '示范市 Demo City';
let dir: string;
let env: Record<string, string>;
const cli = (...args: string[]) => runStoreCli(args, { env, cwd: dir });

/** One yes/no indicator at 100 %: a "yes" scores 100, no data 0 (hand-worked). */
const SYSTEM = {
  indicators: [
    {
      code: 'G',
      nameZh: '创新',
      nameEn: 'Innovation',
      weightPercent: '100',
      children: [
        {
          code: 'Y',
          nameZh: '机制',
          nameEn: 'Mechanism',
          weightPercent: '100',
          method: { kind: 'yes-no' },
        },
      ],
    },
  ],
};

beforeAll(async () => {
  dir = tempDir('fundmix-evaluation-cli-');
  env = { FUNDMIX_DB: path.join(dir, 'fundmix.db'), FUNDMIX_ACTOR: 'tester' };
  expect((await cli('db', 'migrate', '--demo-dir', DEMO)).code).toBe(0);
});

it('is registered in the fundmix program', () => {
  const evaluation = buildProgram().commands.find((c) => c.name() === 'evaluation');
  expect(evaluation?.commands.map((c) => c.name())).toEqual(['score']);
});

describe('fundmix evaluation score', () => {
  it('ranks the portfolio under the editable defaults until the city saves a system', async () => {
    const run = await cli('evaluation', 'score', '--portfolio', 'Bond-heavy');
    expect(run).toMatchObject({ code: 0, err: '' });
    expect(run.out.split('\n')[0]).toBe(
      '2027 专项债为主方案 Bond-heavy 2027 plan · scored by the editable defaults (GB/T 33356-2016 first level at 80 %, financial sustainability 20 %)',
    );
    expect(run.out.split('\n')[1]).toMatch(/^rank +project +scenario +score +missing$/);
  });

  it('ranks by the saved system, as a table and as JSON', async () => {
    const db = openDatabase(env.FUNDMIX_DB!, { fileMustExist: true });
    let first = '';
    try {
      const store = createStore(db, { clock: () => new Date('2026-05-04T08:30:00.000Z') });
      const p = store.portfolios.getByName('2027 专项债为主方案 Bond-heavy 2027 plan');
      const member = p.members[1]!;
      first = member.projectCode;
      store.transaction(() => {
        store.evaluation.saveSystem({
          jurisdiction: CITY,
          system: SYSTEM,
          comment: '',
          createdBy: null,
        });
        store.evaluation.recordDatum({
          projectId: member.projectId,
          code: 'Y',
          value: 'yes',
          source: 'notice',
          asOf: '2026-01-01',
          createdBy: null,
        });
      });
    } finally {
      db.close();
    }
    const table = await cli('evaluation', 'score', '--portfolio', 'Bond-heavy');
    expect(table.code).toBe(0);
    const lines = table.out.trimEnd().split('\n');
    expect(lines[0]).toBe(
      `2027 专项债为主方案 Bond-heavy 2027 plan · scored by the ${CITY} system v1`,
    );
    expect(lines[2]).toMatch(new RegExp(`^1 +${first} +.+ +100\\.00 +0$`));
    expect(lines.slice(3).every((l) => /^2 +\S+ +.+ +0\.00 +1$/.test(l))).toBe(true);
    const json = await cli('evaluation', 'score', '--portfolio', 'Bond-heavy', '--format', 'json');
    const body = JSON.parse(json.out) as {
      system: unknown;
      members: Array<Record<string, unknown>>;
    };
    expect(body.system).toMatchObject({ jurisdiction: CITY, source: 'jurisdiction', versionNo: 1 });
    expect(body.members[0]).toMatchObject({
      rank: 1,
      projectCode: first,
      total: '100.00',
      missingCount: 0,
    });
    expect(body.members.slice(1).map((m) => m.total)).toEqual(
      body.members.slice(1).map(() => '0.00'),
    );
  });

  it('names the option when the portfolio is unknown', async () => {
    const run = await cli('evaluation', 'score', '--portfolio', 'Nope');
    expect(run.code).toBe(2);
    expect(run.err).toContain('--portfolio');
  });
});
