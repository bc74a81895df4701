import { auditAppender } from '../../src/store/context';
import { MIGRATION_ACTOR } from '../../src/store/migrations/0013-jurisdiction-fiscal';
import { createStore, migrate, type Db, type Store } from '../../src/store';
import { schemaDifferences } from '../../src/store/schema-check';
import { memoryStore, rows, scenarioInput, steppingClock } from './helpers/fixtures';

/**
 * Migration 0013 (README "Fiscal settings"): the figures stored per portfolio become one record
 * per jurisdiction, and the audit history keeps what each portfolio had.
 */

const DEMO = '示范市 Demo City';
const COUNTY = 'County';
const growth = (base: string, rate: string) => ({
  method: 'growth',
  baseYear: 2026,
  baseAmountYuan: base,
  growth: rate,
});
const QUOTAS = [{ generalBondYuan: '100', specialBondYuan: '200.50', year: 2027 }];

interface OldSettings {
  jurisdiction: string;
  budget: Record<string, unknown>;
  otherObligations: unknown[];
  bondQuotas?: unknown[];
  updatedAt: string;
}

/**
 * A database as FundMix wrote it before migration 0013: portfolios 1–3, each with its own copy
 * of the figures in `portfolio_fiscal`, audited with their full state as the code of then did.
 */
function before13(settings: OldSettings[]): { db: Db; store: Store } {
  const { db, store } = memoryStore();
  store.scenarios.save(scenarioInput('P-001', 'Base case'), { actor: 'alice' });
  settings.forEach((_, i) =>
    store.portfolios.create(
      { name: `plan ${i + 1}`, members: [{ projectCode: 'P-001', scenarioName: 'Base case' }] },
      'alice',
    ),
  );
  db.exec(`DROP TABLE jurisdiction_fiscal; DELETE FROM schema_migrations WHERE id = 13;
    ALTER TABLE portfolio_fiscal ADD COLUMN budget_json TEXT NOT NULL DEFAULT '{}';
    ALTER TABLE portfolio_fiscal ADD COLUMN other_obligations_json TEXT NOT NULL DEFAULT '[]';
    ALTER TABLE portfolio_fiscal ADD COLUMN fund_budget_json TEXT;
    ALTER TABLE portfolio_fiscal ADD COLUMN bond_quotas_json TEXT NOT NULL DEFAULT '[]';`);
  const append = auditAppender(db);
  const insert = db.prepare(
    `INSERT INTO portfolio_fiscal (portfolio_id, jurisdiction, budget_json, other_obligations_json,
       bond_quotas_json, updated_at) VALUES (?, ?, ?, ?, ?, ?)`,
  );
  db.transaction(() =>
    settings.forEach((s, i) => {
      const portfolioId = i + 1;
      const quotas = s.bondQuotas ?? [];
      insert.run(
        portfolioId,
        s.jurisdiction,
        JSON.stringify(s.budget),
        JSON.stringify(s.otherObligations),
        JSON.stringify(quotas),
        s.updatedAt,
      );
      append({
        actor: 'alice',
        action: 'update-fiscal-settings',
        entity: 'portfolio-fiscal',
        entityId: portfolioId,
        at: s.updatedAt,
        details: {
          via: 'update',
          before: null,
          state: {
            portfolioId,
            jurisdiction: s.jurisdiction,
            budget: s.budget,
            otherObligations: s.otherObligations,
            ...(quotas.length > 0 ? { bondQuotas: quotas } : {}),
            updatedAt: s.updatedAt,
          },
        },
        actorUserId: null,
        actorOrgId: null,
      });
    }),
  )();
  return { db, store };
}

describe('migration 0013: one set of fiscal figures per jurisdiction', () => {
  const old: OldSettings[] = [
    {
      jurisdiction: DEMO,
      budget: growth('47000000000.00', '0.03'),
      otherObligations: [],
      updatedAt: '2026-01-05T00:00:00.000Z',
    },
    {
      jurisdiction: DEMO,
      budget: growth('48000000000.00', '0.025'),
      otherObligations: [{ amountYuan: '10.00', year: 2027 }],
      bondQuotas: QUOTAS,
      updatedAt: '2026-02-01T00:00:00.000Z',
    },
    {
      jurisdiction: COUNTY,
      budget: growth('900000000.00', '0.02'),
      otherObligations: [],
      updatedAt: '2026-01-20T00:00:00.000Z',
    },
  ];

  it('keeps the most recently saved figures of each jurisdiction and records the move', () => {
    const { db } = before13(old);
    expect(migrate(db).map((m) => m.name)).toEqual(['jurisdiction-fiscal']);
    expect(schemaDifferences(db, 13)).toEqual([]);
    const store = createStore(db, { clock: steppingClock(Date.UTC(2027, 0, 1)) });
    expect(store.audit.verify()).toMatchObject({ ok: true, problems: [] });

    const figures = rows(
      db,
      'SELECT id, name, budget_json, other_obligations_json, bond_quotas_json FROM jurisdiction_fiscal ORDER BY id',
    );
    expect(figures).toEqual([
      {
        id: 1,
        name: COUNTY,
        budget_json: JSON.stringify(old[2]!.budget),
        other_obligations_json: '[]',
        bond_quotas_json: '[]',
      },
      {
        id: 2,
        name: DEMO,
        budget_json: JSON.stringify(old[1]!.budget),
        other_obligations_json: '[{"amountYuan":"10.00","year":2027}]',
        bond_quotas_json: JSON.stringify(QUOTAS),
      },
    ]);
    // Both Demo City portfolios now read the same figures: plan 2's, saved last.
    const one = store.fiscal.getSettings(1)!;
    const two = store.fiscal.getSettings(2)!;
    expect(one.budget).toEqual(old[1]!.budget);
    expect({ ...one, portfolioId: 2 }).toEqual(two);
    expect(one.bondQuotas).toEqual(QUOTAS);
    expect(store.fiscal.getSettings(3)!.budget).toEqual(old[2]!.budget);

    const demo = store.audit.list({ entity: 'jurisdiction-fiscal', entityId: 2 });
    expect(demo).toHaveLength(1);
    expect(demo[0]).toMatchObject({
      actor: MIGRATION_ACTOR,
      action: 'migrate',
      details: {
        via: 'migration',
        migration: 13,
        from: { portfolioId: 2, updatedAt: old[1]!.updatedAt },
        differing: [1],
        before: null,
        state: { name: DEMO, budget: old[1]!.budget, bondQuotas: QUOTAS },
      },
    });
    // Plan 1's own figures stay in its history: the entry's state before the move.
    const plan1 = store.audit.list({ entity: 'portfolio-fiscal', entityId: 1 });
    expect(plan1.map((e) => e.action)).toEqual(['migrate', 'update-fiscal-settings']);
    expect(plan1[0]!.details).toMatchObject({
      jurisdictionFiscalId: 2,
      sameFigures: false,
      before: { jurisdiction: DEMO, budget: old[0]!.budget, updatedAt: old[0]!.updatedAt },
      state: { portfolioId: 1, jurisdiction: DEMO },
    });
    expect(Object.keys(plan1[0]!.details.state as object).sort()).toEqual([
      'jurisdiction',
      'portfolioId',
      'updatedAt',
    ]);
    expect(store.audit.list({ entity: 'portfolio-fiscal', entityId: 2 })[0]!.details).toMatchObject(
      { sameFigures: true },
    );
  });

  it('then a save from either portfolio changes the figures both are measured against', () => {
    const { db } = before13(old);
    migrate(db);
    const store = createStore(db, { clock: steppingClock(Date.UTC(2027, 0, 1)) });
    const { settings, changed } = store.fiscal.setSettings(
      1,
      { jurisdiction: DEMO, budget: growth('50000000000.00', '0.03') },
      'bob',
    );
    expect(changed).toBe(true);
    expect(store.fiscal.getSettings(2)).toEqual({ ...settings, portfolioId: 2 });
    expect(store.fiscal.getSettings(2)!.bondQuotas).toEqual([]);
    expect(store.audit.verify().ok).toBe(true);
  });

  it('migrates a database without fiscal settings to an empty table', () => {
    const { db } = before13([]);
    migrate(db);
    expect(rows(db, 'SELECT * FROM jurisdiction_fiscal')).toEqual([]);
    expect(createStore(db, { clock: steppingClock() }).audit.verify().ok).toBe(true);
  });
});
