import fs from 'node:fs';
import path from 'node:path';
import { runStoreCli as run } from '../store/helpers/cli';
import { tempDir } from '../store/helpers/fixtures';
import { EXAMPLES_DIR } from '../helpers/scenarios';

const example = path.join(EXAMPLES_DIR, 'smart-parking-concession.json');
const cli = (...args: string[]) => run(['simulate', ...args], { cwd: process.cwd() });

describe('fundmix simulate', () => {
  it('prints metrics, flags and the ledger as a table', async () => {
    const r = await cli(example);
    expect(r.code).toBe(0);
    expect(r.out).toContain('城市智慧停车特许经营 — 使用者付费特许经营 User-pays concession');
    expect(r.out).toMatch(/Total investment\s+180,000,000\.00/);
    expect(r.out).toMatch(/^2025\s+build\s+180,000,000\.00/m);
    expect(r.out.split('\n').filter((l) => /^20\d\d\s+operate/.test(l))).toHaveLength(25);
  });

  it('prints JSON with metrics, ledger and sources and uses, amounts as exact decimal strings', async () => {
    const r = await cli(example, '--format', 'json');
    expect(r.code).toBe(0);
    const json = JSON.parse(r.out) as {
      metrics: { totalInvestment: string };
      ledger: Array<{ year: number; capex: string }>;
      sourcesAndUses: { construction: { total: string }; lifetime: { total: string } };
    };
    expect(json.metrics.totalInvestment).toBe('180000000');
    expect(json.ledger).toHaveLength(26);
    expect(json.ledger[0]).toMatchObject({ year: 2025, capex: '180000000' });
    expect(json.sourcesAndUses.construction.total).toMatch(/^\d+(\.\d+)?$/);
  });

  it('prints the ledger as CSV with machine codes: a header of line items and one row per year', async () => {
    const r = await cli(example, '--format', 'csv', '--headers', 'codes');
    const lines = r.out.trim().split('\n');
    expect(lines[0]!.split(',').slice(0, 4)).toEqual(['year', 'phase', 'capex', 'revenue:1']);
    expect(lines).toHaveLength(27);
    expect(lines[1]!.startsWith('2025,construction,180000000.00,')).toBe(true);
  });

  it('prints the ledger CSV with human headers by default, in Chinese with --lang zh', async () => {
    const stream = (
      JSON.parse(fs.readFileSync(example, 'utf8')) as { revenues: Array<{ name: string }> }
    ).revenues[0]!.name;
    const en = await cli(example, '--format', 'csv');
    const enLines = en.out.trim().split('\n');
    expect(enLines[0]!.split(',').slice(0, 4)).toEqual([
      'Year',
      'Phase',
      'Capital expenditure',
      `Revenue: ${stream}`,
    ]);
    expect(enLines[1]!.startsWith('2025,Construction,180000000.00,')).toBe(true);
    const zh = await cli(example, '--format', 'csv', '--lang', 'zh');
    const zhLines = zh.out.trim().split('\n');
    expect(zhLines[0]!.split(',').slice(0, 4)).toEqual([
      '年份',
      '阶段',
      '建设投资',
      `收入：${stream}`,
    ]);
    expect(zhLines[1]!.startsWith('2025,建设期,180000000.00,')).toBe(true);
    expect(zhLines.slice(1)).toEqual(
      enLines
        .slice(1)
        .map((l) => l.replace('Construction', '建设期').replace('Operation', '运营期')),
    );
  });

  it('exits 2 and lists every problem with its JSON path, without a stack trace', async () => {
    const dir = tempDir('fundmix-simulate-');
    const bad = JSON.parse(fs.readFileSync(example, 'utf8')) as {
      funding: { sources: Array<{ share?: string }> };
      timeline: { operationYears: unknown };
    };
    bad.funding.sources[0]!.share = '0.25';
    bad.timeline.operationYears = 'many';
    const file = path.join(dir, 'bad.json');
    fs.writeFileSync(file, JSON.stringify(bad));
    const r = await cli(file);
    expect(r.code).toBe(2);
    expect(r.err).toContain('timeline.operationYears');
    expect(r.err).toContain(
      'funding.sources: Funding sources total 171,000,000.00 yuan but the investment is 180,000,000.00 yuan: 9,000,000.00 yuan is not funded',
    );
    expect(r.err).not.toMatch(/\n\s+at /);
  });

  it('exits 2 for a missing file, malformed JSON and an unknown format', async () => {
    const dir = tempDir('fundmix-simulate-');
    fs.writeFileSync(path.join(dir, 'broken.json'), '{ "format": ');
    const missing = await cli(path.join(dir, 'nope.json'));
    expect(missing.code).toBe(2);
    expect(missing.err).toContain('ENOENT');
    const broken = await cli(path.join(dir, 'broken.json'));
    expect(broken.code).toBe(2);
    expect(broken.err).toContain('Not valid JSON');
    expect((await cli(example, '--format', 'xml')).code).toBe(2);
  });
});
