import { z } from 'zod';
import { NotFoundError, ValidationError, type FieldIssue } from '../../domain/errors';
import {
  budgetForecastSchema,
  calendarYear,
  noRepeatedYears,
  type BudgetForecast,
} from '../../domain/fiscal/budget';
import { yuanText } from '../../domain/decimal-text';
import { bondQuotasSchema, type BondQuotaYear } from '../../domain/fiscal/city-cost';
import { singleLineText } from '../../domain/text';
import {
  applyThresholdsChange,
  DEFAULT_THRESHOLDS,
  parseThresholds,
  type JurisdictionThresholds,
} from '../../domain/fiscal/thresholds';
import { toFieldIssues } from '../../domain/scenario/parse';
import { fiscalSettingsState, jurisdictionFiscalState, jurisdictionState } from '../audit-state';
import { canonicalJson } from '../canonical-json';
import { assertStorableText, checkActor, checkComment, type StoreContext } from '../context';
import { ConflictError } from '../errors';
import { diffJson } from '../json-diff';
import type { DbJurisdiction, DbJurisdictionFiscal, DbPortfolio, DbPortfolioFiscal } from '../rows';
import type {
  JurisdictionFiscal,
  JurisdictionRecord,
  OtherObligationYear,
  PortfolioFiscalSettings,
} from '../types';

/**
 * Fiscal settings of portfolios and thresholds of jurisdictions (DOMAIN.md §5–6, issue 5).
 * Every write is validated first (nothing is written on failure), runs in one transaction and
 * appends an audit entry with the state before and after, so `audit verify` compares these rows
 * with their history like every other table.
 */

/** The jurisdiction's other PPP obligations already in force, yuan by calendar year. */
export const otherObligationsSchema = z
  .array(z.object({ year: calendarYear, amountYuan: yuanText('Other PPP obligations') }).strict())
  .max(150, { error: 'At most 150 years of other obligations' })
  .superRefine(noRepeatedYears);

const jurisdictionName = singleLineText('Jurisdiction name', {
  min: 1,
  max: 120,
  typeError: 'Name the jurisdiction, e.g. "示范市 Demo City"',
  required: 'Name the jurisdiction, e.g. "示范市 Demo City"',
  tooLong: 'The jurisdiction name is longer than 120 characters',
});

/** A portfolio's fiscal settings as entered (API, forms, the portfolios file's `fiscal`). */
export const fiscalSettingsSchema = z
  .object({
    jurisdiction: jurisdictionName,
    budget: budgetForecastSchema,
    otherObligations: otherObligationsSchema.default([]),
    /** Government-fund budget expenditure forecast (政府性基金预算支出); null or absent when not known. */
    fundBudget: budgetForecastSchema.nullable().default(null),
    /** The jurisdiction's new special-bond and general-bond quotas (新增债务限额) by year. */
    bondQuotas: bondQuotasSchema.default([]),
  })
  .strict();

export type FiscalSettingsInput = z.input<typeof fiscalSettingsSchema>;

export interface FiscalRepo {
  /**
   * The portfolio's fiscal settings: the jurisdiction it is measured against and that
   * jurisdiction's figures; null when none were set.
   * @throws NotFoundError for an unknown portfolio
   */
  getSettings(portfolioId: number): PortfolioFiscalSettings | null;
  /** A jurisdiction's fiscal figures (whichever portfolio they were saved from), or null. */
  getJurisdictionFiscal(name: string): JurisdictionFiscal | null;
  /** The live portfolios whose fiscal settings name this jurisdiction, by name. */
  portfoliosOf(jurisdiction: string): Array<{ id: number; name: string }>;
  /**
   * Sets the portfolio's fiscal settings: links it to the jurisdiction and sets (replaces) that
   * jurisdiction's figures, which every portfolio linked to it shares. Writing what is stored
   * already writes nothing (`changed: false`). A changed link is audited `update-fiscal-settings`
   * on entity `portfolio-fiscal`, changed figures likewise on `jurisdiction-fiscal` (with the
   * portfolio saved from), each with the state before (null the first time) and after.
   * @throws ValidationError naming every bad field (`jurisdiction`, `budget.growth`,
   *   `otherObligations[2].amountYuan`, `actor`); nothing is written
   * @throws NotFoundError for an unknown portfolio
   * @throws ConflictError `portfolio-deleted`
   */
  setSettings(
    portfolioId: number,
    input: unknown,
    actor: string,
    opts?: { comment?: string },
  ): {
    settings: PortfolioFiscalSettings;
    changed: boolean;
    /** Whether the jurisdiction's figures changed (and so every portfolio linked to it). */
    figuresChanged: boolean;
  };
  /**
   * Sets (replaces) a jurisdiction's figures directly, for every portfolio linked to it: the
   * settings without `jurisdiction`, which is `name`. Audited like a save from a portfolio,
   * without `portfolioId`; the same figures write nothing.
   * @throws ValidationError naming every bad field (`jurisdiction` for the name, `budget.growth`, …)
   */
  setJurisdictionFiscal(
    name: string,
    input: unknown,
    actor: string,
    opts?: { comment?: string },
  ): { figures: JurisdictionFiscal; changed: boolean };
  /**
   * Removes the portfolio's link to its jurisdiction (audited `clear-fiscal-settings`, state
   * null); the jurisdiction's figures stay for its other portfolios.
   * @returns false when there were none (nothing written)
   * @throws NotFoundError, ValidationError (actor)
   */
  clearSettings(portfolioId: number, actor: string, opts?: { comment?: string }): boolean;
  /** Jurisdictions with stored thresholds, by name. */
  listJurisdictions(): JurisdictionRecord[];
  /** Jurisdictions with stored fiscal figures, by name. */
  listJurisdictionFiscal(): JurisdictionFiscal[];
  /** A jurisdiction's stored thresholds, or null. */
  getJurisdiction(name: string): JurisdictionRecord | null;
  /**
   * The thresholds that apply to a jurisdiction: its stored ones, else the national defaults
   * (also for a null name).
   */
  thresholdsFor(name: string | null | undefined): {
    jurisdiction: string | null;
    thresholds: JurisdictionThresholds;
    source: 'jurisdiction' | 'defaults';
  };
  /**
   * Sets a jurisdiction's whole set of thresholds (fields not given take the defaults), creating
   * the jurisdiction. Audited as `update-thresholds` on entity `jurisdiction`, with the state
   * before and after and the fields that changed; the same thresholds write nothing.
   * @throws ValidationError naming every bad field (`affordabilityCap`, `jurisdiction`, ...)
   */
  setThresholds(
    name: string,
    thresholds: unknown,
    actor: string,
    opts?: { comment?: string },
  ): { jurisdiction: JurisdictionRecord; changed: boolean };
  /**
   * Changes some thresholds of a jurisdiction (others stay as stored, or the defaults for a
   * jurisdiction without a row); the result is validated as a whole (`applyThresholdsChange`).
   * @throws ValidationError
   */
  updateThresholds(
    name: string,
    change: unknown,
    actor: string,
    opts?: { comment?: string },
  ): { jurisdiction: JurisdictionRecord; changed: boolean };
}

/** Writes for import and seeding; call inside a write transaction. */
export interface FiscalWriter {
  /** @throws ValidationError, NotFoundError, ConflictError */
  upsertSettings(
    portfolioId: number,
    input: unknown,
    actor: string,
    via: string,
  ): 'created' | 'updated' | 'unchanged';
  /** A jurisdiction's figures as `setJurisdictionFiscal` takes them. @throws ValidationError */
  upsertJurisdictionFiscal(
    name: string,
    input: unknown,
    actor: string,
    via: string,
  ): 'created' | 'updated' | 'unchanged';
  /** @throws ValidationError */
  upsertThresholds(
    name: string,
    thresholds: unknown,
    actor: string,
    via: string,
  ): 'created' | 'updated' | 'unchanged';
}

/** Validated settings in their stored form: other obligations ascending by year. */
interface CheckedSettings {
  jurisdiction: string;
  budget: BudgetForecast;
  otherObligations: OtherObligationYear[];
  fundBudget: BudgetForecast | null;
  bondQuotas: BondQuotaYear[];
}

function checkSettings(input: unknown): CheckedSettings {
  const parsed = fiscalSettingsSchema.safeParse(input);
  if (!parsed.success)
    throw new ValidationError(toFieldIssues(parsed.error), 'The fiscal settings are not valid');
  const { jurisdiction, budget, otherObligations, fundBudget, bondQuotas } = parsed.data;
  return {
    jurisdiction,
    budget,
    otherObligations: [...otherObligations].sort((a, b) => a.year - b.year),
    fundBudget,
    bondQuotas: [...bondQuotas].sort((a, b) => a.year - b.year),
  };
}

/** Whether a jurisdiction's figures, given apart from its name, name a jurisdiction all the same. */
export function namesJurisdiction(input: unknown): boolean {
  return typeof input === 'object' && input !== null && 'jurisdiction' in input;
}

/**
 * A jurisdiction's figures given without `jurisdiction` (the name comes from elsewhere: the
 * address, the file's entry), checked as settings of that jurisdiction.
 * @throws ValidationError at `jurisdiction` when the input names one, else naming every bad field
 */
function checkFigures(name: unknown, input: unknown): CheckedSettings {
  const body = typeof input === 'object' && input !== null && !Array.isArray(input) ? input : {};
  if (namesJurisdiction(body))
    throw new ValidationError(
      [{ path: 'jurisdiction', message: 'The jurisdiction is the one named in the address' }],
      'The fiscal figures are not valid',
    );
  return checkSettings({ ...body, jurisdiction: name });
}

function checkName(name: unknown, issues: FieldIssue[]): string {
  const parsed = jurisdictionName.safeParse(name);
  if (parsed.success) return parsed.data;
  issues.push(...toFieldIssues(parsed.error).map((i) => ({ ...i, path: 'jurisdiction' })));
  return '';
}

/** Validates a name and thresholds together, so every problem is reported at once. */
function checkThresholds(
  name: unknown,
  read: () => JurisdictionThresholds,
): { name: string; thresholds: JurisdictionThresholds } {
  const issues: FieldIssue[] = [];
  const checkedName = checkName(name, issues);
  let thresholds: JurisdictionThresholds | null = null;
  try {
    thresholds = read();
  } catch (err) {
    if (!(err instanceof ValidationError)) throw err;
    issues.push(...err.issues);
  }
  if (issues.length > 0 || thresholds === null)
    throw new ValidationError(issues, 'The thresholds are not valid');
  return { name: checkedName, thresholds };
}

export function createFiscalRepo(ctx: StoreContext): FiscalRepo & { writer: FiscalWriter } {
  const { db } = ctx;
  const portfolioById = db.prepare('SELECT * FROM portfolios WHERE id = ?');
  const settingsOf = db.prepare('SELECT * FROM portfolio_fiscal WHERE portfolio_id = ?');
  const upsertLink = db.prepare(
    `INSERT INTO portfolio_fiscal (portfolio_id, jurisdiction, updated_at) VALUES (?, ?, ?)
     ON CONFLICT (portfolio_id) DO UPDATE SET jurisdiction = excluded.jurisdiction,
       updated_at = excluded.updated_at
     RETURNING *`,
  );
  const figuresOf = db.prepare('SELECT * FROM jurisdiction_fiscal WHERE name = ?');
  const listFigures = db.prepare('SELECT * FROM jurisdiction_fiscal ORDER BY name');
  const insertFigures = db.prepare(
    `INSERT INTO jurisdiction_fiscal (name, budget_json, other_obligations_json, fund_budget_json,
       bond_quotas_json, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING *`,
  );
  const updateFigures = db.prepare(
    `UPDATE jurisdiction_fiscal SET budget_json = ?, other_obligations_json = ?,
       fund_budget_json = ?, bond_quotas_json = ?, updated_at = ? WHERE id = ? RETURNING *`,
  );
  const deleteSettings = db.prepare('DELETE FROM portfolio_fiscal WHERE portfolio_id = ?');
  const portfoliosNaming = db.prepare(
    `SELECT p.id, p.name FROM portfolio_fiscal f JOIN portfolios p ON p.id = f.portfolio_id
     WHERE f.jurisdiction = ? AND p.deleted_at IS NULL ORDER BY p.name, p.id`,
  );
  const jurisdictionByName = db.prepare('SELECT * FROM jurisdictions WHERE name = ?');
  const listJurisdictions = db.prepare('SELECT * FROM jurisdictions ORDER BY name');
  const insertJurisdiction = db.prepare(
    'INSERT INTO jurisdictions (name, thresholds_json, created_at, updated_at) VALUES (?, ?, ?, ?) RETURNING *',
  );
  const updateJurisdiction = db.prepare(
    'UPDATE jurisdictions SET thresholds_json = ?, updated_at = ? WHERE id = ? RETURNING *',
  );

  /** Stored JSON has sorted keys; read back through the schema for the schema's field order. */
  const inSchemaOrder = <T>(schema: z.ZodType<T>, json: string): T => {
    const raw = JSON.parse(json) as unknown;
    const parsed = schema.safeParse(raw);
    return parsed.success ? parsed.data : (raw as T);
  };
  const toFigures = (row: DbJurisdictionFiscal): JurisdictionFiscal => ({
    id: row.id,
    jurisdiction: row.name,
    budget: inSchemaOrder<BudgetForecast>(budgetForecastSchema, row.budget_json),
    otherObligations: inSchemaOrder<OtherObligationYear[]>(
      otherObligationsSchema,
      row.other_obligations_json,
    ),
    fundBudget:
      row.fund_budget_json === null
        ? null
        : inSchemaOrder<BudgetForecast>(budgetForecastSchema, row.fund_budget_json),
    bondQuotas: inSchemaOrder<BondQuotaYear[]>(bondQuotasSchema, row.bond_quotas_json),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  });
  /** A link and its jurisdiction's figures as the settings; null for a link without figures. */
  const toSettings = (link: DbPortfolioFiscal): PortfolioFiscalSettings | null => {
    const row = figuresOf.get(link.jurisdiction) as DbJurisdictionFiscal | undefined;
    if (!row) return null;
    const { id: _id, createdAt: _created, updatedAt, ...figures } = toFigures(row);
    return {
      portfolioId: link.portfolio_id,
      ...figures,
      updatedAt: link.updated_at > updatedAt ? link.updated_at : updatedAt,
    };
  };
  const toJurisdiction = (row: DbJurisdiction): JurisdictionRecord => ({
    id: row.id,
    name: row.name,
    // Stored with every default filled in; parsed again so a set stored by an older FundMix
    // gains fields added since with their defaults.
    thresholds: parseThresholds(JSON.parse(row.thresholds_json)),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  });

  const livePortfolio = (id: number): DbPortfolio => {
    const row = portfolioById.get(id) as DbPortfolio | undefined;
    if (!row) throw new NotFoundError('Portfolio', id);
    if (row.deleted_at !== null)
      throw new ConflictError('portfolio-deleted', `Portfolio "${row.name}" was deleted`, { id });
    return row;
  };

  /**
   * Writes a portfolio's link to the jurisdiction and the jurisdiction's figures, each audited
   * `update-fiscal-settings` (on `portfolio-fiscal` and `jurisdiction-fiscal`) when it changes.
   */
  const writeSettings = (
    portfolioId: number,
    next: CheckedSettings,
    actor: string,
    via: string,
    comment: string,
  ): {
    link: DbPortfolioFiscal;
    outcome: 'created' | 'updated' | 'unchanged';
    figuresChanged: boolean;
  } => {
    livePortfolio(portfolioId);
    const why = { via, ...(comment ? { comment } : {}) };
    const figuresChanged =
      writeFigures(next, actor, { ...why, portfolioId }).outcome !== 'unchanged';
    const old = settingsOf.get(portfolioId) as DbPortfolioFiscal | undefined;
    if (old && old.jurisdiction === next.jurisdiction)
      return { link: old, outcome: figuresChanged ? 'updated' : 'unchanged', figuresChanged };
    const at = ctx.now();
    const link = upsertLink.get(portfolioId, next.jurisdiction, at) as DbPortfolioFiscal;
    const before = old ? fiscalSettingsState(old) : null;
    const state = fiscalSettingsState(link);
    ctx.appendAudit({
      actor,
      action: 'update-fiscal-settings',
      entity: 'portfolio-fiscal',
      entityId: portfolioId,
      at,
      details: {
        ...why,
        before,
        state,
        ...(before
          ? {
              changes: diffJson(
                { ...before, updatedAt: undefined },
                { ...state, updatedAt: undefined },
              ),
            }
          : {}),
      },
    });
    return { link, outcome: old ? 'updated' : 'created', figuresChanged };
  };

  /** Writes a jurisdiction's figures when they differ from the stored ones (as `writeThresholds`). */
  const writeFigures = (
    next: CheckedSettings,
    actor: string,
    why: Record<string, unknown>,
  ): { row: DbJurisdictionFiscal; outcome: 'created' | 'updated' | 'unchanged' } => {
    assertStorableText([['jurisdiction', 'Jurisdiction name', next.jurisdiction]]);
    const old = figuresOf.get(next.jurisdiction) as DbJurisdictionFiscal | undefined;
    const budgetJson = canonicalJson(next.budget);
    const otherJson = canonicalJson(next.otherObligations);
    const fundJson = next.fundBudget === null ? null : canonicalJson(next.fundBudget);
    const quotasJson = canonicalJson(next.bondQuotas);
    if (
      old &&
      old.budget_json === budgetJson &&
      old.other_obligations_json === otherJson &&
      old.fund_budget_json === fundJson &&
      old.bond_quotas_json === quotasJson
    )
      return { row: old, outcome: 'unchanged' };
    const at = ctx.now();
    const row = (
      old
        ? updateFigures.get(budgetJson, otherJson, fundJson, quotasJson, at, old.id)
        : insertFigures.get(next.jurisdiction, budgetJson, otherJson, fundJson, quotasJson, at, at)
    ) as DbJurisdictionFiscal;
    const before = old ? jurisdictionFiscalState(old) : null;
    const state = jurisdictionFiscalState(row);
    const timeless = (s: typeof state) => ({ ...s, createdAt: undefined, updatedAt: undefined });
    ctx.appendAudit({
      actor,
      action: 'update-fiscal-settings',
      entity: 'jurisdiction-fiscal',
      entityId: row.id,
      at,
      details: {
        ...why,
        before,
        state,
        ...(before ? { changes: diffJson(timeless(before), timeless(state)) } : {}),
      },
    });
    return { row, outcome: old ? 'updated' : 'created' };
  };

  const writeThresholds = (
    name: string,
    thresholds: JurisdictionThresholds,
    actor: string,
    via: string,
    comment: string,
  ): { row: DbJurisdiction; outcome: 'created' | 'updated' | 'unchanged' } => {
    const old = jurisdictionByName.get(name) as DbJurisdiction | undefined;
    const json = canonicalJson(thresholds);
    if (old && old.thresholds_json === json) return { row: old, outcome: 'unchanged' };
    assertStorableText([['jurisdiction', 'Jurisdiction name', name]]);
    const at = ctx.now();
    const row = (
      old ? updateJurisdiction.get(json, at, old.id) : insertJurisdiction.get(name, json, at, at)
    ) as DbJurisdiction;
    const before = old ? jurisdictionState(old) : null;
    const state = jurisdictionState(row);
    ctx.appendAudit({
      actor,
      action: 'update-thresholds',
      entity: 'jurisdiction',
      entityId: row.id,
      at,
      details: {
        via,
        ...(comment ? { comment } : {}),
        before,
        state,
        changes: diffJson(before?.thresholds ?? DEFAULT_THRESHOLDS, state.thresholds),
      },
    });
    return { row, outcome: old ? 'updated' : 'created' };
  };

  const currentThresholds = (name: string): JurisdictionThresholds => {
    const row = jurisdictionByName.get(name) as DbJurisdiction | undefined;
    return row ? toJurisdiction(row).thresholds : { ...DEFAULT_THRESHOLDS };
  };

  const writer: FiscalWriter = {
    upsertSettings: (portfolioId, input, actor, via) =>
      writeSettings(portfolioId, checkSettings(input), actor, via, '').outcome,
    upsertJurisdictionFiscal: (name, input, actor, via) =>
      writeFigures(checkFigures(name, input), actor, { via }).outcome,
    upsertThresholds(name, thresholds, actor, via) {
      const checked = checkThresholds(name, () => parseThresholds(thresholds));
      return writeThresholds(checked.name, checked.thresholds, actor, via, '').outcome;
    },
  };

  return {
    writer,
    portfoliosOf(jurisdiction) {
      return portfoliosNaming.all(jurisdiction) as Array<{ id: number; name: string }>;
    },
    getSettings(portfolioId) {
      if (!portfolioById.get(portfolioId)) throw new NotFoundError('Portfolio', portfolioId);
      const row = settingsOf.get(portfolioId) as DbPortfolioFiscal | undefined;
      return row ? toSettings(row) : null;
    },
    getJurisdictionFiscal(name) {
      const row = figuresOf.get(typeof name === 'string' ? name.trim() : name) as
        DbJurisdictionFiscal | undefined;
      return row ? toFigures(row) : null;
    },
    setJurisdictionFiscal(name, input, actor, opts = {}) {
      const who = checkActor(actor);
      const comment = checkComment(opts.comment);
      const next = checkFigures(name, input);
      return ctx.write(() => {
        const why = { via: 'update', ...(comment ? { comment } : {}) };
        const { row, outcome } = writeFigures(next, who, why);
        return { figures: toFigures(row), changed: outcome !== 'unchanged' };
      });
    },
    setSettings(portfolioId, input, actor, opts = {}) {
      const who = checkActor(actor);
      const comment = checkComment(opts.comment);
      const next = checkSettings(input);
      return ctx.write(() => {
        const { link, outcome, figuresChanged } = writeSettings(
          portfolioId,
          next,
          who,
          'update',
          comment,
        );
        return { settings: toSettings(link)!, changed: outcome !== 'unchanged', figuresChanged };
      });
    },
    clearSettings(portfolioId, actor, opts = {}) {
      const who = checkActor(actor);
      const comment = checkComment(opts.comment);
      return ctx.write(() => {
        if (!portfolioById.get(portfolioId)) throw new NotFoundError('Portfolio', portfolioId);
        const old = settingsOf.get(portfolioId) as DbPortfolioFiscal | undefined;
        if (!old) return false;
        deleteSettings.run(portfolioId);
        ctx.appendAudit({
          actor: who,
          action: 'clear-fiscal-settings',
          entity: 'portfolio-fiscal',
          entityId: portfolioId,
          details: {
            via: 'update',
            ...(comment ? { comment } : {}),
            before: fiscalSettingsState(old),
            state: null,
          },
        });
        return true;
      });
    },
    listJurisdictions: () => (listJurisdictions.all() as DbJurisdiction[]).map(toJurisdiction),
    listJurisdictionFiscal: () => (listFigures.all() as DbJurisdictionFiscal[]).map(toFigures),
    getJurisdiction(name) {
      const row = jurisdictionByName.get(typeof name === 'string' ? name.trim() : name) as
        DbJurisdiction | undefined;
      return row ? toJurisdiction(row) : null;
    },
    thresholdsFor(name) {
      const trimmed = typeof name === 'string' ? name.trim() : '';
      const row = trimmed
        ? (jurisdictionByName.get(trimmed) as DbJurisdiction | undefined)
        : undefined;
      return row
        ? {
            jurisdiction: row.name,
            thresholds: toJurisdiction(row).thresholds,
            source: 'jurisdiction',
          }
        : {
            jurisdiction: trimmed || null,
            thresholds: { ...DEFAULT_THRESHOLDS },
            source: 'defaults',
          };
    },
    setThresholds(name, thresholds, actor, opts = {}) {
      const who = checkActor(actor);
      const comment = checkComment(opts.comment);
      const checked = checkThresholds(name, () => parseThresholds(thresholds));
      return ctx.write(() => saveThresholds(checked, who, comment));
    },
    updateThresholds(name, change, actor, opts = {}) {
      const who = checkActor(actor);
      const comment = checkComment(opts.comment);
      return ctx.write(() => {
        // Read under the write lock, so a concurrent change is not lost.
        const checked = checkThresholds(name, () =>
          applyThresholdsChange(
            currentThresholds(typeof name === 'string' ? name.trim() : ''),
            change,
          ),
        );
        return saveThresholds(checked, who, comment);
      });
    },
  };

  /** Writes checked thresholds (inside a write transaction) and says whether anything changed. */
  function saveThresholds(
    checked: { name: string; thresholds: JurisdictionThresholds },
    who: string,
    comment: string,
  ) {
    const { row, outcome } = writeThresholds(
      checked.name,
      checked.thresholds,
      who,
      'update',
      comment,
    );
    return { jurisdiction: toJurisdiction(row), changed: outcome !== 'unchanged' };
  }
}
