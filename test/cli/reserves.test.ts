import fs from 'node:fs';
import path from 'node:path';
import { runStoreCli as run } from '../store/helpers/cli';
import { tempDir } from '../store/helpers/fixtures';
import { smallInput } from '../helpers/scenarios';

/**
 * `fundmix simulate` takes the `reserves` section through the schema. The project of
 * test/domain/engine/reserves.test.ts ("DSRA funded by equity", one holder): the first year's
 * target 184,500.00 / 2 = 92,250.00 is paid in at the start of operation (2026), then
 * 88,406.25, 84,562.50, 80,718.75 and 0 at the end.
 */
function scenarioFile(): string {
  const input = smallInput((s) => {
    s.timeline = { startYear: 2026, constructionYears: 1, operationYears: 4 };
    s.funding.sources[1]!.debt = {
      annualRate: '0.05',
      tenorYears: 5,
      repayment: 'equal-principal',
      constructionInterest: 'capitalised',
    };
    s.tax = { incomeTaxRate: '0' };
    s.operatingCost = { annualYuan: '100000' };
    s.revenues = [{ kind: 'other', name: 'Income', annualYuan: '400000' }];
    s.shortfall = 'government';
    s.reserves = { dsra: { months: 6, funding: 'equity' } };
  });
  const file = path.join(tempDir('fundmix-reserves-'), 'dsra.json');
  fs.writeFileSync(file, JSON.stringify(input));
  return file;
}
const cli = (...args: string[]) => run(['simulate', ...args], { cwd: process.cwd() });

describe('fundmix simulate with reserves', () => {
  it('prints the DSRA lines in the CSV ledger and the DSRA at the start of operation', async () => {
    const file = scenarioFile();
    const csv = await cli(file, '--format', 'csv', '--headers', 'codes');
    expect(csv.code).toBe(0);
    const rows = csv.out.trim().split('\n');
    const header = rows[0]!.split(',');
    const at = header.indexOf('dsra-balance');
    expect(at).toBeGreaterThan(0);
    expect(rows.slice(1).map((r) => r.split(',')[at])).toEqual([
      '92250.00',
      '88406.25',
      '84562.50',
      '80718.75',
      '0.00',
    ]);
    const table = await cli(file);
    expect(table.out).toMatch(/DSRA at the start of operation\s+92,250\.00/);
  });

  it('refuses an out-of-range DSRA with the field path (exit 2)', async () => {
    const file = scenarioFile();
    const input = JSON.parse(fs.readFileSync(file, 'utf8')) as { reserves: unknown };
    input.reserves = { dsra: { months: 30 } };
    fs.writeFileSync(file, JSON.stringify(input));
    const r = await cli(file);
    expect(r.code).toBe(2);
    expect(r.err).toContain('reserves.dsra.months');
    expect(r.err).toContain('DSRA months must be between 1 and 24');
  });
});
