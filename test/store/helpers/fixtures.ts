import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ScenarioInput } from '../../../src/domain/scenario/schema';
import {
  createStore,
  migrate,
  openDatabase,
  type Db,
  type EngineAdapter,
  type Store,
} from '../../../src/store';

/** A clock that starts at 2026-01-01T00:00:00Z and moves one second per reading. */
export function steppingClock(start = Date.UTC(2026, 0, 1)): () => Date {
  let t = start;
  return () => {
    const d = new Date(t);
    t += 1000;
    return d;
  };
}

/** A fresh migrated in-memory database and a store on it. */
export function memoryStore(opts: { engine?: EngineAdapter; clock?: () => Date } = {}): {
  db: Db;
  store: Store;
} {
  const db = openDatabase(':memory:');
  migrate(db);
  return {
    db,
    store: createStore(db, { clock: opts.clock ?? steppingClock(), engine: opts.engine }),
  };
}

/** A file database in a new temp directory. */
export function fileStore(
  dir: string,
  name = 'fundmix.db',
  opts: { engine?: EngineAdapter } = {},
): { db: Db; store: Store; file: string } {
  const file = path.join(dir, name);
  const db = openDatabase(file);
  migrate(db);
  return { db, store: createStore(db, { clock: steppingClock(), engine: opts.engine }), file };
}

export function tempDir(prefix = 'fundmix-store-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/**
 * A valid scenario for project `code`, named `name`: 2 years of construction, 10 of operation,
 * 10,000,000 yuan funded 30 % budget / 70 % special bond. `patch` edits it in place.
 */
export function scenarioInput(
  code = 'P-001',
  name = 'Base case',
  patch: (s: ScenarioInput) => void = () => undefined,
): ScenarioInput {
  const s: ScenarioInput = {
    format: 'fundmix-scenario@2',
    project: {
      code,
      name: `Project ${code}`,
      sector: 'iot-sensing',
      category: 'basic',
      approvalDate: '2025-04-10',
      jurisdiction: 'Demo City',
    },
    scenario: { name, description: 'Budget and special bond', delivery: 'government' },
    timeline: { startYear: 2026, constructionYears: 2, operationYears: 10 },
    capex: { scheduleYuan: ['6000000.00', '4000000.00'] },
    operatingCost: { annualYuan: '300000.00', escalation: '0.02' },
    revenues: [{ kind: 'other', name: 'Advertising', annualYuan: '900000.00', growth: '0.01' }],
    funding: {
      sources: [
        { id: 'budget', name: 'General budget', type: 'budget', share: '0.3' },
        {
          id: 'bond',
          name: 'Special bond',
          type: 'special-bond',
          share: '0.7',
          debt: {
            annualRate: '0.0224',
            tenorYears: 12,
            graceYears: 2,
            repayment: 'equal-principal',
          },
        },
      ],
    },
    tax: { incomeTaxRate: '0' },
    discountRates: { project: '0.05', equity: '0.06', government: '0.0224' },
    shortfall: 'government',
  };
  patch(s);
  return s;
}

/**
 * A scenario small enough to work by hand: built in 2026 (1,000,000 yuan: the budget, by
 * `budget`, and half a special bond at 0 % over 3 years), run 2027–2028 with 400,000 yuan revenue
 * ("Advertising") and 100,000 opex a year, no growth, no tax. Bond coverage: 2 × 300,000 /
 * 500,000 = 1.2.
 */
export function handWorkedBondScenario(
  code: string,
  budget: { share: string } | { amountYuan: string } = { share: '0.5' },
): ScenarioInput {
  return scenarioInput(code, 'Base case', (s) => {
    s.timeline = { startYear: 2026, constructionYears: 1, operationYears: 2 };
    s.capex.scheduleYuan = ['1000000.00'];
    s.operatingCost = { annualYuan: '100000.00', escalation: '0' };
    s.revenues = [{ kind: 'other', name: 'Advertising', annualYuan: '400000.00', growth: '0' }];
    s.funding.sources = [
      { id: 'budget', name: 'General budget', type: 'budget', ...budget },
      {
        id: 'bond',
        name: 'Special bond',
        type: 'special-bond',
        share: '0.5',
        debt: { annualRate: '0', tenorYears: 3, graceYears: 1, repayment: 'equal-principal' },
      },
    ];
  });
}

/** Raw rows of a table, for byte-for-byte comparisons. */
export function rows(db: Db, sql: string, ...params: unknown[]): Array<Record<string, unknown>> {
  return db.prepare(sql).all(...params) as Array<Record<string, unknown>>;
}

/** Runs `fn` with the append-only triggers of `table` dropped, as someone with SQL access could. */
export function behindTheBack(
  db: Db,
  table: 'audit_log' | 'scenario_versions',
  fn: () => void,
): void {
  const triggers = db
    .prepare(`SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = ?`)
    .all(table) as Array<{ name: string; sql: string }>;
  for (const t of triggers) db.exec(`DROP TRIGGER ${t.name}`);
  try {
    fn();
  } finally {
    for (const t of triggers) db.exec(t.sql);
  }
}
