import { NotFoundError, ValidationError } from '../../src/domain/errors';
import { DEFAULT_THRESHOLDS } from '../../src/domain/fiscal/thresholds';
import {
  ConflictError,
  createStore,
  exportFiles,
  importFiles,
  migrate,
  MIGRATIONS,
  type Db,
  type Store,
} from '../../src/store';
import { memoryStore, rows, scenarioInput, steppingClock } from './helpers/fixtures';

/**
 * Fiscal settings of portfolios and thresholds of jurisdictions (issue 5): validation, audit,
 * tamper detection, export and import.
 */

const JURISDICTION = '示范市 Demo City';
const SETTINGS = {
  jurisdiction: JURISDICTION,
  budget: {
    method: 'growth',
    baseYear: 2026,
    baseAmountYuan: '47000000000.00',
    growth: '0.03',
  },
  otherObligations: [
    { year: 2028, amountYuan: '4100000000.00' },
    { year: 2027, amountYuan: '3950000000.00' },
  ],
};

/** A store with one project and one portfolio (id 1). */
function withPortfolio(): { db: Db; store: Store; id: number } {
  const ms = memoryStore();
  ms.store.scenarios.save(scenarioInput('P-001', 'Base case'), { actor: 'alice' });
  const p = ms.store.portfolios.create(
    {
      name: '2027 plan',
      description: 'test',
      members: [{ projectCode: 'P-001', scenarioName: 'Base case' }],
    },
    'alice',
  );
  return { ...ms, id: p.id };
}

const TABLES = [
  'projects',
  'scenarios',
  'scenario_versions',
  'portfolios',
  'portfolio_members',
  'portfolio_fiscal',
  'jurisdiction_fiscal',
  'jurisdictions',
  'results_cache',
  'audit_log',
];
function counts(db: Db): Record<string, number> {
  return Object.fromEntries(
    TABLES.map((t) => [t, db.prepare(`SELECT COUNT(*) FROM ${t}`).pluck().get() as number]),
  );
}

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    return err;
  }
  throw new Error('expected an error');
}

describe('portfolio fiscal settings', () => {
  it('stores the settings exactly, other obligations by year, and audits them', () => {
    const { db, store, id } = withPortfolio();
    expect(store.fiscal.getSettings(id)).toBeNull();
    const { settings, changed } = store.fiscal.setSettings(id, SETTINGS, 'finance bureau', {
      comment: 'budget 2026',
    });
    expect(changed).toBe(true);
    expect(settings).toEqual({
      portfolioId: id,
      jurisdiction: JURISDICTION,
      budget: SETTINGS.budget,
      otherObligations: [
        { year: 2027, amountYuan: '3950000000.00' },
        { year: 2028, amountYuan: '4100000000.00' },
      ],
      fundBudget: null,
      bondQuotas: [],
      updatedAt: expect.stringMatching(/^2026-01-01T00:00:\d\d\.000Z$/),
    });
    expect(store.fiscal.getSettings(id)).toEqual(settings);
    // Decimal strings, never binary numbers.
    // The figures are the jurisdiction's row; the portfolio's row is its link to it.
    expect(rows(db, 'SELECT * FROM portfolio_fiscal')).toEqual([
      { portfolio_id: id, jurisdiction: JURISDICTION, updated_at: settings.updatedAt },
    ]);
    const row = rows(db, 'SELECT * FROM jurisdiction_fiscal')[0]!;
    expect(row.name).toBe(JURISDICTION);
    expect(row.budget_json).toBe(
      '{"baseAmountYuan":"47000000000.00","baseYear":2026,"growth":"0.03","method":"growth"}',
    );
    expect(row.other_obligations_json).toBe(
      '[{"amountYuan":"3950000000.00","year":2027},{"amountYuan":"4100000000.00","year":2028}]',
    );

    const [entry, figures] = store.audit.list({ limit: 2 });
    expect(entry).toMatchObject({
      actor: 'finance bureau',
      action: 'update-fiscal-settings',
      entity: 'portfolio-fiscal',
      entityId: id,
      at: settings.updatedAt,
    });
    expect(entry!.details).toMatchObject({ via: 'update', comment: 'budget 2026', before: null });
    expect(entry!.details.state).toEqual({
      jurisdiction: JURISDICTION,
      portfolioId: id,
      updatedAt: settings.updatedAt,
    });
    expect(figures).toMatchObject({
      actor: 'finance bureau',
      action: 'update-fiscal-settings',
      entity: 'jurisdiction-fiscal',
      entityId: row.id,
    });
    expect(figures!.details).toMatchObject({
      via: 'update',
      comment: 'budget 2026',
      portfolioId: id,
      before: null,
      state: { name: JURISDICTION, budget: SETTINGS.budget },
    });
    expect(store.audit.verify().ok).toBe(true);
  });

  it('records old and new values of a change, and writes nothing when nothing changes', () => {
    const { store, id } = withPortfolio();
    store.fiscal.setSettings(id, SETTINGS, 'alice');
    const n = store.audit.count();
    expect(store.fiscal.setSettings(id, SETTINGS, 'bob').changed).toBe(false);
    expect(store.audit.count()).toBe(n);

    store.fiscal.setSettings(
      id,
      { ...SETTINGS, budget: { ...SETTINGS.budget, growth: '0.025' }, otherObligations: [] },
      'bob',
    );
    const entry = store.audit.list({ limit: 1 })[0]!;
    expect(entry.actor).toBe('bob');
    expect((entry.details.before as { budget: { growth: string } }).budget.growth).toBe('0.03');
    expect((entry.details.state as { budget: { growth: string } }).budget.growth).toBe('0.025');
    expect(entry.details.changes).toEqual([
      { path: 'budget.growth', kind: 'changed', before: '0.03', after: '0.025' },
      {
        path: 'otherObligations[0]',
        kind: 'removed',
        before: { year: 2027, amountYuan: '3950000000.00' },
      },
      {
        path: 'otherObligations[1]',
        kind: 'removed',
        before: { year: 2028, amountYuan: '4100000000.00' },
      },
    ]);
    expect(store.fiscal.getSettings(id)?.otherObligations).toEqual([]);
    expect(store.audit.verify().ok).toBe(true);
  });

  it('accepts a forecast year by year', () => {
    const { store, id } = withPortfolio();
    const budget = {
      method: 'explicit',
      years: [
        { year: 2026, amountYuan: '47000000000' },
        { year: 2027, amountYuan: '48410000000' },
      ],
    };
    expect(
      store.fiscal.setSettings(id, { jurisdiction: ' Demo ', budget }, 'alice').settings,
    ).toMatchObject({ jurisdiction: 'Demo', budget, otherObligations: [] });
  });

  it('lists every problem with its field path and writes nothing', () => {
    const { db, store, id } = withPortfolio();
    store.fiscal.setSettings(id, SETTINGS, 'alice');
    const before = counts(db);
    const stored = rows(db, 'SELECT * FROM portfolio_fiscal');
    const err = thrown(() =>
      store.fiscal.setSettings(
        id,
        {
          jurisdiction: '',
          budget: { method: 'growth', baseYear: 2026, baseAmountYuan: 47e9, growth: '0.03' },
          otherObligations: [
            { year: 2027, amountYuan: '1.005' },
            { year: 2027, amountYuan: '100' },
            { year: 2028, amountYuan: 100.5 },
          ],
          extra: true,
        },
        'alice',
      ),
    );
    expect(err).toBeInstanceOf(ValidationError);
    const paths = (err as ValidationError).issues.map((i) => i.path).sort();
    expect(paths).toEqual(
      [
        '',
        'budget.baseAmountYuan',
        'jurisdiction',
        'otherObligations[0].amountYuan',
        'otherObligations[2].amountYuan',
      ].sort(),
    );
    const messages = (err as ValidationError).issues.map((i) => i.message).join('\n');
    expect(messages).toContain('Unknown field(s): extra');
    const twice = thrown(() =>
      store.fiscal.setSettings(
        id,
        {
          ...SETTINGS,
          otherObligations: [
            { year: 2027, amountYuan: '1.00' },
            { year: 2027, amountYuan: '2.00' },
          ],
        },
        'alice',
      ),
    ) as ValidationError;
    expect(twice.issues).toEqual([
      { path: 'otherObligations[1].year', message: 'Year 2027 is listed twice' },
    ]);
    expect(counts(db)).toEqual(before);
    expect(rows(db, 'SELECT * FROM portfolio_fiscal')).toEqual(stored);
  });

  it('refuses a missing author, an unknown portfolio and a deleted one, writing nothing', () => {
    const { db, store, id } = withPortfolio();
    const before = counts(db);
    expect(
      (thrown(() => store.fiscal.setSettings(id, SETTINGS, ' ')) as ValidationError).issues,
    ).toEqual([{ path: 'actor', message: expect.any(String) }]);
    expect(thrown(() => store.fiscal.setSettings(99, SETTINGS, 'alice'))).toBeInstanceOf(
      NotFoundError,
    );
    expect(thrown(() => store.fiscal.getSettings(99))).toBeInstanceOf(NotFoundError);
    expect(counts(db)).toEqual(before);
    store.portfolios.delete(id, 'alice');
    const deleted = thrown(() => store.fiscal.setSettings(id, SETTINGS, 'alice'));
    expect(deleted).toBeInstanceOf(ConflictError);
    expect((deleted as ConflictError).code).toBe('portfolio-deleted');
  });

  it('clears the settings with an audited removal that verify accepts', () => {
    const { store, id } = withPortfolio();
    store.fiscal.setSettings(id, SETTINGS, 'alice');
    expect(store.fiscal.clearSettings(id, 'bob')).toBe(true);
    expect(store.fiscal.getSettings(id)).toBeNull();
    expect(store.audit.list({ limit: 1 })[0]).toMatchObject({
      action: 'clear-fiscal-settings',
      entity: 'portfolio-fiscal',
      details: { state: null, before: { jurisdiction: JURISDICTION } },
    });
    const n = store.audit.count();
    expect(store.fiscal.clearSettings(id, 'bob')).toBe(false);
    expect(store.audit.count()).toBe(n);
    expect(store.audit.verify().ok).toBe(true);
  });
});

describe('jurisdiction thresholds', () => {
  it('uses the national defaults for a jurisdiction without thresholds', () => {
    const { store } = memoryStore();
    expect(store.fiscal.thresholdsFor('Nowhere')).toEqual({
      jurisdiction: 'Nowhere',
      thresholds: DEFAULT_THRESHOLDS,
      source: 'defaults',
    });
    expect(store.fiscal.thresholdsFor(null).jurisdiction).toBeNull();
    expect(store.fiscal.listJurisdictions()).toEqual([]);
  });

  it('sets a whole set (defaults filled in), changes some fields, and audits each change', () => {
    const { db, store } = memoryStore();
    const { jurisdiction, changed } = store.fiscal.setThresholds(
      JURISDICTION,
      { affordabilityCap: '0.08', minCapitalRatioBySector: { 'smart-water': '0.25' } },
      'finance bureau',
    );
    expect(changed).toBe(true);
    expect(jurisdiction.thresholds).toEqual({
      ...DEFAULT_THRESHOLDS,
      affordabilityCap: '0.08',
      minCapitalRatioBySector: { 'smart-water': '0.25' },
    });
    let entry = store.audit.list({ limit: 1 })[0]!;
    expect(entry).toMatchObject({
      action: 'update-thresholds',
      entity: 'jurisdiction',
      entityId: jurisdiction.id,
      details: { before: null },
    });
    // On creation, the changes are the departures from the national defaults.
    expect(entry.details.changes).toEqual([
      { path: 'affordabilityCap', kind: 'changed', before: '0.10', after: '0.08' },
      { path: 'minCapitalRatioBySector.smart-water', kind: 'added', after: '0.25' },
    ]);

    const updated = store.fiscal.updateThresholds(
      JURISDICTION,
      { newProjectLine: '0.04' },
      'director',
      { comment: 'provincial notice' },
    );
    expect(updated.jurisdiction.thresholds).toMatchObject({
      affordabilityCap: '0.08',
      newProjectLine: '0.04',
    });
    entry = store.audit.list({ limit: 1 })[0]!;
    expect(entry.details).toMatchObject({
      comment: 'provincial notice',
      before: { name: JURISDICTION, thresholds: { newProjectLine: '0.05' } },
      state: { name: JURISDICTION, thresholds: { newProjectLine: '0.04' } },
      changes: [{ path: 'newProjectLine', kind: 'changed', before: '0.05', after: '0.04' }],
    });
    const n = store.audit.count();
    expect(
      store.fiscal.updateThresholds(JURISDICTION, { newProjectLine: '0.04' }, 'x').changed,
    ).toBe(false);
    expect(store.audit.count()).toBe(n);
    expect(store.fiscal.thresholdsFor(JURISDICTION)).toMatchObject({
      jurisdiction: JURISDICTION,
      source: 'jurisdiction',
      thresholds: { affordabilityCap: '0.08', newProjectLine: '0.04' },
    });
    expect(rows(db, 'SELECT name FROM jurisdictions')).toEqual([{ name: JURISDICTION }]);
    expect(store.audit.verify().ok).toBe(true);
  });

  it('updates a jurisdiction without a row starting from the defaults', () => {
    const { store } = memoryStore();
    const { jurisdiction } = store.fiscal.updateThresholds('County', { bondCoverage: '1.3' }, 'a');
    expect(jurisdiction.thresholds).toEqual({ ...DEFAULT_THRESHOLDS, bondCoverage: '1.3' });
  });

  it('refuses inconsistent or unknown thresholds with field paths, writing nothing', () => {
    const { db, store } = memoryStore();
    store.fiscal.setThresholds(JURISDICTION, { affordabilityCap: '0.08' }, 'alice');
    const before = counts(db);
    const raise = thrown(() =>
      store.fiscal.updateThresholds(JURISDICTION, { affordabilityCap: '0.12' }, 'alice'),
    ) as ValidationError;
    expect(raise.issues.map((i) => i.path)).toEqual(['affordabilityCap']);
    expect(raise.issues[0]!.message).toMatch(/national 10 %/);
    // The new line is checked against the stored cap (8 %), not the default.
    const line = thrown(() =>
      store.fiscal.updateThresholds(JURISDICTION, { newProjectLine: '0.09' }, 'alice'),
    ) as ValidationError;
    expect(line.issues.map((i) => i.path)).toEqual(['newProjectLine']);
    const many = thrown(() =>
      store.fiscal.setThresholds('', { bondCoverage: 1.2, unknownRule: '1' }, 'alice'),
    ) as ValidationError;
    expect(many.issues.map((i) => i.path).sort()).toEqual(['', 'bondCoverage', 'jurisdiction']);
    expect(
      (thrown(() => store.fiscal.updateThresholds(JURISDICTION, 'x', 'alice')) as ValidationError)
        .issues[0]!.message,
    ).toMatch(/object of threshold fields/);
    expect(thrown(() => store.fiscal.setThresholds(JURISDICTION, {}, ''))).toBeInstanceOf(
      ValidationError,
    );
    expect(counts(db)).toEqual(before);
    expect(store.fiscal.getJurisdiction(JURISDICTION)?.thresholds.affordabilityCap).toBe('0.08');
  });
});

describe('audit verify covers fiscal settings and thresholds', () => {
  function history(): { db: Db; store: Store; id: number } {
    const h = withPortfolio();
    h.store.fiscal.setSettings(h.id, SETTINGS, 'alice');
    h.store.fiscal.setThresholds(JURISDICTION, { affordabilityCap: '0.09' }, 'alice');
    h.store.portfolios.create({ name: 'second', members: [] }, 'alice');
    return h;
  }

  it.each([
    [
      'a budget figure',
      `UPDATE jurisdiction_fiscal SET budget_json = json_set(budget_json, '$.baseAmountYuan', '57000000000.00')`,
      ['jurisdiction-fiscal-altered'],
    ],
    [
      'the other obligations',
      `UPDATE jurisdiction_fiscal SET other_obligations_json = '[]'`,
      ['jurisdiction-fiscal-altered'],
    ],
    [
      'the jurisdiction of a portfolio',
      `UPDATE portfolio_fiscal SET jurisdiction = 'Elsewhere'`,
      ['portfolio-fiscal-altered'],
    ],
    ['settings deleted', `DELETE FROM portfolio_fiscal`, ['portfolio-fiscal-missing']],
    [
      'settings added',
      `INSERT INTO portfolio_fiscal (portfolio_id, jurisdiction, updated_at) SELECT 2, jurisdiction, updated_at FROM portfolio_fiscal`,
      ['portfolio-fiscal-unrecorded'],
    ],
    [
      "a jurisdiction's figures deleted",
      `DELETE FROM jurisdiction_fiscal`,
      ['jurisdiction-fiscal-missing'],
    ],
    [
      "a jurisdiction's figures added",
      `INSERT INTO jurisdiction_fiscal (name, budget_json, created_at, updated_at) SELECT 'X', budget_json, created_at, updated_at FROM jurisdiction_fiscal`,
      ['jurisdiction-fiscal-unrecorded'],
    ],
    [
      'a threshold raised',
      `UPDATE jurisdictions SET thresholds_json = json_set(thresholds_json, '$.affordabilityCap', '0.10')`,
      ['jurisdiction-altered'],
    ],
    ['a jurisdiction renamed', `UPDATE jurisdictions SET name = 'Other'`, ['jurisdiction-altered']],
    ['a jurisdiction deleted', `DELETE FROM jurisdictions`, ['jurisdiction-missing']],
    [
      'a jurisdiction added',
      `INSERT INTO jurisdictions (name, thresholds_json, created_at, updated_at) SELECT 'X', thresholds_json, created_at, updated_at FROM jurisdictions`,
      ['jurisdiction-unrecorded'],
    ],
  ])('detects %s changed behind the back', (_what, sql, codes) => {
    const { db, store } = history();
    expect(store.audit.verify().ok).toBe(true);
    db.exec(sql);
    const report = store.audit.verify();
    expect(report.ok).toBe(false);
    expect(report.problems.map((p) => p.code)).toEqual(codes);
    if (!codes[0]!.endsWith('unrecorded')) expect(report.firstBrokenEntryId).not.toBeNull();
  });

  it('detects settings put back after they were cleared', () => {
    const { db, store, id } = history();
    const saved = rows(db, 'SELECT * FROM portfolio_fiscal')[0]!;
    store.fiscal.clearSettings(id, 'bob');
    expect(store.audit.verify().ok).toBe(true);
    db.prepare(
      'INSERT INTO portfolio_fiscal VALUES (@portfolio_id, @jurisdiction, @updated_at)',
    ).run(saved);
    expect(store.audit.verify().problems.map((p) => p.code)).toEqual(['portfolio-fiscal-altered']);
  });

  it('refuses binary numbers for amounts even from plain SQL', () => {
    const { db } = history();
    expect(() =>
      db.exec(
        `UPDATE jurisdiction_fiscal SET budget_json = json_set(budget_json, '$.baseAmountYuan', 47000000000.5)`,
      ),
    ).toThrow(/CHECK constraint failed/);
    expect(() =>
      db.exec(
        `UPDATE jurisdictions SET thresholds_json = json_set(thresholds_json, '$.affordabilityCap', 0.1)`,
      ),
    ).toThrow(/CHECK constraint failed/);
  });
});

describe('export and import of fiscal settings and thresholds', () => {
  const QUOTAS = [{ year: 2027, specialBondYuan: '300000000', generalBondYuan: '80000000' }];
  const FUND = { method: 'growth', baseYear: 2026, baseAmountYuan: '12000000000', growth: '0.02' };
  function source(): Store {
    const { store, id } = withPortfolio();
    store.fiscal.setSettings(id, { ...SETTINGS, fundBudget: FUND, bondQuotas: QUOTAS }, 'alice');
    store.fiscal.setThresholds(JURISDICTION, { affordabilityCap: '0.09' }, 'alice');
    store.fiscal.setThresholds('County', {}, 'alice');
    // Figures no portfolio is linked to yet (set through the API).
    store.fiscal.setJurisdictionFiscal('Township', { budget: SETTINGS.budget }, 'alice');
    store.portfolios.create(
      {
        name: 'no settings',
        members: [{ projectCode: 'P-001', scenarioName: 'Base case' }],
      },
      'alice',
    );
    return store;
  }

  it('round-trips byte for byte and the imported database verifies', () => {
    const a = source();
    const files = exportFiles(a);
    const text = files.find((f) => f.name === 'portfolios.json')!.text;
    const body = JSON.parse(text) as {
      portfolios: Array<{ name: string; fiscal?: unknown }>;
      jurisdictions: Array<{
        name: string;
        thresholds?: Record<string, unknown>;
        fiscal?: Record<string, unknown>;
      }>;
    };
    expect(body.portfolios.map((p) => [p.name, p.fiscal !== undefined])).toEqual([
      ['2027 plan', true],
      ['no settings', false],
    ]);
    const figures = {
      budget: SETTINGS.budget,
      otherObligations: [
        { year: 2027, amountYuan: '3950000000.00' },
        { year: 2028, amountYuan: '4100000000.00' },
      ],
      // Every figure, the fund budget and the quotas included (before 0013 they were left out).
      fundBudget: FUND,
      bondQuotas: QUOTAS,
    };
    expect(body.portfolios[0]!.fiscal).toEqual({ jurisdiction: JURISDICTION, ...figures });
    // Fields in the schema's order, for people reading the file.
    expect(text).toContain('"method": "growth",\n          "baseYear": 2026,');
    // Every jurisdiction with thresholds or figures: Township has figures only, County thresholds only.
    expect(body.jurisdictions.map((j) => [j.name, !!j.thresholds, !!j.fiscal])).toEqual([
      ['County', true, false],
      ['Township', false, true],
      [JURISDICTION, true, true],
    ]);
    expect(body.jurisdictions[2]!.thresholds!.affordabilityCap).toBe('0.09');
    expect(body.jurisdictions[2]!.fiscal).toEqual(figures);
    expect(body.jurisdictions[1]!.fiscal).toEqual({ budget: SETTINGS.budget });

    const b = memoryStore({ clock: steppingClock(Date.UTC(2030, 0, 1)) });
    const report = importFiles(b.store, files, { actor: 'auditor' });
    expect(report).toMatchObject({ fiscalSettingsWritten: 1, jurisdictionsWritten: 3 });
    expect(report.files.find((f) => f.kind === 'portfolios')?.summary).toBe(
      'portfolios: "2027 plan" created (fiscal settings created), "no settings" created; jurisdictions: "County" created, "Township" fiscal figures created, "示范市 Demo City" created, fiscal figures created',
    );
    expect(b.store.fiscal.getJurisdictionFiscal('Township')!.budget).toEqual(SETTINGS.budget);
    expect(exportFiles(b.store)).toEqual(files);
    expect(b.store.audit.verify().ok).toBe(true);
    expect(b.store.audit.list({ entity: 'portfolio-fiscal' })[0]).toMatchObject({
      actor: 'auditor',
      details: { via: 'import' },
    });

    // Again: nothing new.
    const n = b.store.audit.count();
    expect(importFiles(b.store, files, { actor: 'auditor' })).toMatchObject({
      fiscalSettingsWritten: 0,
      jurisdictionsWritten: 0,
    });
    expect(b.store.audit.count()).toBe(n);
  });

  it('keeps the settings of a portfolio the file gives none for', () => {
    const a = source();
    const b = memoryStore();
    importFiles(b.store, exportFiles(a), { actor: 'auditor' });
    const files = exportFiles(a).map((f) =>
      f.name === 'portfolios.json'
        ? {
            ...f,
            text: JSON.stringify({
              format: 'fundmix-portfolios@1',
              portfolios: [
                {
                  name: '2027 plan',
                  description: 'test',
                  members: [{ projectCode: 'P-001', scenarioName: 'Base case' }],
                },
              ],
            }),
          }
        : f,
    );
    importFiles(b.store, files, { actor: 'auditor' });
    expect(b.store.fiscal.getSettings(b.store.portfolios.getByName('2027 plan').id)).toMatchObject({
      jurisdiction: JURISDICTION,
    });
  });

  it('refuses a portfolios file giving one jurisdiction two sets of figures, and imports nothing', () => {
    const { db, store } = memoryStore();
    store.scenarios.save(scenarioInput('P-001', 'Base case'), { actor: 'alice' });
    const before = counts(db);
    const plan = (name: string, growth: string) => ({
      name,
      members: [{ projectCode: 'P-001', scenarioName: 'Base case' }],
      fiscal: { ...SETTINGS, budget: { ...SETTINGS.budget, growth } },
    });
    const file = (...portfolios: unknown[]) => [
      {
        name: 'portfolios.json',
        text: JSON.stringify({ format: 'fundmix-portfolios@1', portfolios }),
      },
    ];
    const err = thrown(() =>
      importFiles(store, file(plan('a', '0.03'), plan('b', '0.03'), plan('c', '0.04')), {
        actor: 'alice',
      }),
    ) as ValidationError;
    expect(err).toBeInstanceOf(ValidationError);
    expect(err.issues).toEqual([
      {
        path: 'portfolios.json: portfolios[2].fiscal',
        message: `The figures for ${JURISDICTION} differ from those of portfolios[0].fiscal: a jurisdiction has one set of budget figures, whichever portfolio names it`,
      },
    ]);
    expect(counts(db)).toEqual(before);
    // A jurisdiction's own entry and a portfolio naming it must agree as well.
    const both = [
      {
        name: 'portfolios.json',
        text: JSON.stringify({
          format: 'fundmix-portfolios@1',
          portfolios: [plan('a', '0.03')],
          jurisdictions: [
            { name: JURISDICTION, fiscal: { budget: { ...SETTINGS.budget, growth: '0.05' } } },
          ],
        }),
      },
    ];
    const conflict = thrown(() => importFiles(store, both, { actor: 'alice' })) as ValidationError;
    expect(conflict.issues.map((i) => [i.path, i.message.split(':')[0]])).toEqual([
      [
        'portfolios.json: portfolios[0].fiscal',
        `The figures for ${JURISDICTION} differ from those of jurisdictions[0].fiscal`,
      ],
    ]);
    expect(counts(db)).toEqual(before);
    // A jurisdiction entry's figures take its name: naming one inside them is refused there.
    const named = [
      {
        name: 'portfolios.json',
        text: JSON.stringify({
          format: 'fundmix-portfolios@1',
          portfolios: [],
          jurisdictions: [
            { name: JURISDICTION, fiscal: { jurisdiction: JURISDICTION, budget: SETTINGS.budget } },
          ],
        }),
      },
    ];
    const selfNamed = thrown(() =>
      importFiles(store, named, { actor: 'alice' }),
    ) as ValidationError;
    expect(selfNamed.issues).toEqual([
      {
        path: 'portfolios.json: jurisdictions[0].fiscal.jurisdiction',
        message: "The jurisdiction is the entry's name: leave it out of fiscal",
      },
    ]);
    expect(counts(db)).toEqual(before);
    // The same figures twice import, as one jurisdiction record both portfolios read.
    importFiles(store, file(plan('a', '0.03'), plan('b', '0.03')), { actor: 'alice' });
    expect(rows(db, 'SELECT name FROM jurisdiction_fiscal')).toEqual([{ name: JURISDICTION }]);
    expect(rows(db, 'SELECT portfolio_id FROM portfolio_fiscal')).toHaveLength(2);
  });

  it('refuses bad fiscal settings and thresholds in a portfolios file, naming them, and imports nothing', () => {
    const { db, store } = memoryStore();
    store.scenarios.save(scenarioInput('P-001', 'Base case'), { actor: 'alice' });
    const before = counts(db);
    const err = thrown(() =>
      importFiles(
        store,
        [
          {
            name: 'portfolios.json',
            text: JSON.stringify({
              format: 'fundmix-portfolios@1',
              portfolios: [
                {
                  name: 'plan',
                  members: [{ projectCode: 'P-001', scenarioName: 'Base case' }],
                  fiscal: {
                    jurisdiction: 'X',
                    budget: { method: 'growth', baseYear: 2026, baseAmountYuan: '1', growth: '2' },
                  },
                },
              ],
              jurisdictions: [
                { name: 'X', thresholds: { affordabilityCap: '0.2' } },
                { name: '', thresholds: {} },
              ],
            }),
          },
        ],
        { actor: 'alice' },
      ),
    ) as ValidationError;
    expect(err).toBeInstanceOf(ValidationError);
    expect(err.issues.map((i) => i.path)).toEqual([
      'portfolios.json: jurisdictions[0].thresholds.affordabilityCap',
      'portfolios.json: jurisdictions[1].name',
      'portfolios.json: portfolios[0].fiscal.budget.growth',
    ]);
    expect(counts(db)).toEqual(before);
  });
});

describe('migration 0002 on a database in use', () => {
  it('adds the fiscal tables to a database at migration 0001 and keeps its history valid', () => {
    const { db, store } = memoryStore();
    store.scenarios.save(scenarioInput('P-001', 'Base case'), { actor: 'alice' });
    store.portfolios.create(
      { name: 'plan', members: [{ projectCode: 'P-001', scenarioName: 'Base case' }] },
      'alice',
    );
    // Back to the state of a database written before 0002 (the store needs a current schema).
    db.exec(`DROP TABLE portfolio_fiscal; DROP TABLE jurisdictions; DROP TABLE jurisdiction_fiscal;
             DELETE FROM schema_migrations WHERE id IN (2, 10, 13);`);
    expect(migrate(db).map((m) => m.name)).toEqual([
      'fiscal-settings',
      'bond-quotas',
      'jurisdiction-fiscal',
    ]);
    const after = createStore(db, { clock: steppingClock(Date.UTC(2027, 0, 1)) });
    expect(after.audit.verify().ok).toBe(true);
    after.fiscal.setSettings(1, SETTINGS, 'alice');
    expect(after.audit.verify().ok).toBe(true);
    expect(MIGRATIONS.map((m) => m.id).slice(0, 2)).toEqual([1, 2]);
  });
});
