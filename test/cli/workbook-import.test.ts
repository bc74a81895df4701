import fs from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { parseScenario } from '../../src/domain/scenario/parse';
import { runStoreCli as run } from '../store/helpers/cli';
import { fileStore, tempDir } from '../store/helpers/fixtures';
import { EXAMPLES_DIR } from '../helpers/scenarios';

/** Issue 13: `fundmix export-xlsx --version ID` and `fundmix import FILE.xlsx`. */

const example = JSON.parse(
  fs.readFileSync(path.join(EXAMPLES_DIR, 'smart-parking-concession.json'), 'utf8'),
);

/** `fundmix ARGS --db fundmix.db` in `dir` (the database fileStore makes). */
const cli = (args: string[], opts: { cwd: string }) => run([...args, '--db', 'fundmix.db'], opts);

/** A database holding the example as version 1 of its scenario; returns its directory and ids. */
function withExample() {
  const dir = tempDir();
  const { db, store } = fileStore(dir);
  const saved = store.scenarios.save(example, { actor: 'test' });
  db.close();
  return { dir, versionId: saved.version.id, scenarioId: saved.scenario.id };
}

const versionsOf = (dir: string, scenarioId: number) => {
  const { db, store } = fileStore(dir);
  try {
    return store.scenarios.versions(scenarioId).map((v) => store.scenarios.version(v.id));
  } finally {
    db.close();
  }
};

describe('fundmix export-xlsx --version and import FILE.xlsx', () => {
  it('exports a stored version and imports the workbook back as a new version with the same inputs', async () => {
    const { dir, versionId, scenarioId } = withExample();
    const out = await cli(
      ['export-xlsx', '--version', String(versionId), '--out', 'v.xlsx', '--lang', 'en'],
      { cwd: dir },
    );
    expect(out).toMatchObject({ code: 0, err: '' });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(fs.readFileSync(path.join(dir, 'v.xlsx')) as unknown as ArrayBuffer);
    expect(wb.getWorksheet('Inputs')?.getCell('B2').value).toBe(example.project.code);

    // Unchanged inputs make no new version (as for a JSON file); a changed cell makes one.
    const same = await cli(['import', 'v.xlsx'], { cwd: dir });
    expect(same.code).toBe(0);
    expect(same.out).toContain('0 version(s)');
    wb.getWorksheet('Inputs')!.getCell('B15').value = 1234567.89;
    await wb.xlsx.writeFile(path.join(dir, 'changed.xlsx'));
    const imported = await cli(['import', 'changed.xlsx', '--comment', 'from Excel'], { cwd: dir });
    expect(imported.code).toBe(0);
    expect(imported.out).toContain('1 version(s)');
    const versions = versionsOf(dir, scenarioId);
    expect(versions).toHaveLength(2);
    const v2 = versions.find((v) => v.versionNo === 2)!;
    expect(v2.comment).toBe('from Excel');
    const expected = parseScenario(example);
    expected.operatingCost.annualYuan = '1234567.89';
    const got = parseScenario(v2.inputs);
    expect(got.operatingCost.annualYuan).toBe('1234567.89');
    expect(got.funding).toEqual(expected.funding);
  });

  it('refuses a workbook with a bad cell, naming the file and the cell, and writes nothing', async () => {
    const { dir, versionId, scenarioId } = withExample();
    await cli(['export-xlsx', '--version', String(versionId), '--out', 'v.xlsx'], { cwd: dir });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(path.join(dir, 'v.xlsx'));
    wb.getWorksheet('Inputs')!.getCell('B33').value = 8;
    await wb.xlsx.writeFile(path.join(dir, 'bad.xlsx'));
    const r = await cli(['import', 'bad.xlsx'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.err).toBe(
      'The workbooks are not valid:\n  - bad.xlsx: Inputs!B33: Project discount rate must be between 0 and 0.5 (a fraction: 0.05 means 5 %)\n',
    );
    expect(versionsOf(dir, scenarioId)).toHaveLength(1);
  });

  it('refuses both a file and --version, a bad id, and an unknown version', async () => {
    const { dir, versionId } = withExample();
    const both = await cli(
      [
        'export-xlsx',
        path.join(EXAMPLES_DIR, 'smart-parking-concession.json'),
        '--version',
        '1',
        '--out',
        'x.xlsx',
      ],
      { cwd: dir },
    );
    expect(both.code).toBe(2);
    expect(both.err).toContain('Give either a scenario FILE or --version ID');
    expect(
      (await cli(['export-xlsx', '--version', 'x', '--out', 'x.xlsx'], { cwd: dir })).code,
    ).toBe(2);
    const unknown = await cli(
      ['export-xlsx', '--version', String(versionId + 99), '--out', 'x.xlsx'],
      { cwd: dir },
    );
    expect(unknown.code).toBe(2);
    expect(fs.existsSync(path.join(dir, 'x.xlsx'))).toBe(false);
  });
});
