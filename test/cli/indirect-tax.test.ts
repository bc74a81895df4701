import fs from 'node:fs';
import path from 'node:path';
import { runStoreCli as run } from '../store/helpers/cli';
import { tempDir } from '../store/helpers/fixtures';
import { smallInput } from '../helpers/scenarios';

// `fundmix simulate` takes the indirectTax section through the same schema and exports the VAT
// lines (src/domain/README.md, "Indirect taxes (增值税及附加)").
describe('fundmix simulate with indirect taxes', () => {
  it('exports the VAT lines as CSV columns, and names a bad rate with its path (exit 2)', async () => {
    const dir = tempDir('fundmix-vat-');
    const file = path.join(dir, 'vat.json');
    const input = smallInput((s) => {
      s.revenues = [{ kind: 'other', name: 'Income', annualYuan: '800000', vatRate: '0.06' }];
      s.indirectTax = { opexInputRate: '0.06' };
    });
    fs.writeFileSync(file, JSON.stringify(input));
    const r = await run(['simulate', file, '--format', 'csv', '--headers', 'codes'], {
      cwd: process.cwd(),
    });
    expect(r.code).toBe(0);
    const [header, , year1] = r.out
      .trim()
      .split('\n')
      .map((l) => l.split(','));
    const at = (key: string) => year1![header!.indexOf(key)];
    // 800,000 × 6 % = 48,000; 300,000 × 0.06 ÷ 1.06 → 16,981.13; paid 31,018.87; 7 % → 2,171.32.
    expect(at('output-vat')).toBe('48000.00');
    expect(at('input-vat')).toBe('16981.13');
    expect(at('vat-payable')).toBe('31018.87');
    expect(at('urban-maintenance-tax')).toBe('2171.32');

    fs.writeFileSync(
      file,
      JSON.stringify({ ...input, indirectTax: { urbanMaintenanceRate: '0.1' } }),
    );
    const bad = await run(['simulate', file], { cwd: process.cwd() });
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('indirectTax.urbanMaintenanceRate');
  });
});
