import { ValidationError } from '../../src/domain/errors';
import type { Db, Store } from '../../src/store';
import { memoryStore, rows, scenarioInput } from './helpers/fixtures';

/**
 * Bond quotas and the government-fund budget in a portfolio's fiscal settings (issue 12,
 * migration 0010): validation naming the field, exact storage, audit.
 */

const SETTINGS = {
  jurisdiction: '示范市 Demo City',
  budget: { method: 'explicit', years: [{ year: 2027, amountYuan: '1000000.00' }] },
  fundBudget: { method: 'growth', baseYear: 2027, baseAmountYuan: '500000', growth: '0.1' },
  bondQuotas: [
    { year: 2028, specialBondYuan: '300', generalBondYuan: '0' },
    { year: 2027, specialBondYuan: '200.50', generalBondYuan: '100' },
  ],
};

function withPortfolio(): { db: Db; store: Store; id: number } {
  const ms = memoryStore();
  ms.store.scenarios.save(scenarioInput('P-001', 'Base case'), { actor: 'alice' });
  const p = ms.store.portfolios.create(
    { name: 'plan', members: [{ projectCode: 'P-001', scenarioName: 'Base case' }] },
    'alice',
  );
  return { ...ms, id: p.id };
}

function issuesOf(fn: () => unknown): Array<{ path: string; message: string }> {
  try {
    fn();
  } catch (err) {
    if (err instanceof ValidationError) return err.issues.map((i) => ({ ...i }));
    throw err;
  }
  throw new Error('expected a ValidationError');
}

describe('bond quotas in the fiscal settings', () => {
  it('stores quotas by year and the fund budget exactly, and audits them', () => {
    const { db, store, id } = withPortfolio();
    const { settings } = store.fiscal.setSettings(id, SETTINGS, 'finance bureau');
    expect(settings.bondQuotas).toEqual([
      { year: 2027, specialBondYuan: '200.50', generalBondYuan: '100' },
      { year: 2028, specialBondYuan: '300', generalBondYuan: '0' },
    ]);
    expect(settings.fundBudget).toEqual(SETTINGS.fundBudget);
    const row = rows(db, 'SELECT bond_quotas_json, fund_budget_json FROM jurisdiction_fiscal')[0]!;
    expect(row.bond_quotas_json).toBe(
      '[{"generalBondYuan":"100","specialBondYuan":"200.50","year":2027},{"generalBondYuan":"0","specialBondYuan":"300","year":2028}]',
    );
    const entry = store.audit.list({ entity: 'jurisdiction-fiscal' })[0]!;
    expect((entry.details as { state: { bondQuotas: unknown } }).state.bondQuotas).toEqual(
      settings.bondQuotas,
    );
    expect(store.audit.verify().ok).toBe(true);
    // The same settings again write nothing.
    expect(store.fiscal.setSettings(id, SETTINGS, 'finance bureau').changed).toBe(false);
  });

  it('names a repeated quota year and refuses negative quotas, writing nothing', () => {
    const { db, store, id } = withPortfolio();
    const issues = issuesOf(() =>
      store.fiscal.setSettings(
        id,
        {
          ...SETTINGS,
          bondQuotas: [
            { year: 2027, specialBondYuan: '1', generalBondYuan: '1' },
            { year: 2027, specialBondYuan: '-5', generalBondYuan: '1' },
          ],
        },
        'alice',
      ),
    );
    expect(issues).toEqual([
      { path: 'bondQuotas[1].specialBondYuan', message: 'Special-bond quota cannot be negative' },
      { path: 'bondQuotas[1].year', message: 'quota year 2027 is given twice' },
    ]);
    expect(rows(db, 'SELECT * FROM portfolio_fiscal')).toEqual([]);
  });
});
