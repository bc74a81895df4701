import { z } from 'zod';
import { lazy } from '../../domain/lazy';
import { FundMixError, NotFoundError, ValidationError, type FieldIssue } from '../../domain/errors';
import { toFieldIssues } from '../../domain/scenario/parse';
import { multiLineText, singleLineText } from '../../domain/text';
import { portfolioState } from '../audit-state';
import { canonicalJson } from '../canonical-json';
import { assertStorableText, checkActor, type StoreContext } from '../context';
import { ConflictError } from '../errors';
import { toProject, toVersion } from '../mappers';
import type { DbPortfolio, DbPortfolioMember, DbProject, DbScenario } from '../rows';
import type {
  Portfolio,
  PortfolioMemberRef,
  PortfolioMemberView,
  PortfolioView,
  StoredResult,
} from '../types';
import type { ResultRepo } from './results';

export const portfolioInputSchema = z
  .object({
    name: singleLineText('Portfolio name', {
      min: 1,
      max: 200,
      typeError: 'The portfolio needs a name',
      required: 'The portfolio needs a name',
    }),
    description: multiLineText('Portfolio description', { max: 4000 }).default(''),
    members: z
      .array(
        z
          .object({
            projectCode: singleLineText('Project code', {
              min: 1,
              max: 200,
              typeError: 'Give the project code',
              required: 'Give the project code',
            }),
            scenarioName: singleLineText('Scenario name', {
              min: 1,
              max: 200,
              typeError: 'Give the scenario name',
              required: 'Give the scenario name',
            }),
          })
          .strict(),
      )
      .max(10000),
  })
  .strict();

/** A portfolio as written by a user or a file. */
export type PortfolioInput = z.input<typeof portfolioInputSchema>;

export interface PortfolioRepo {
  /** Live portfolios by name; deleted ones too with `includeDeleted`. */
  list(opts?: { includeDeleted?: boolean }): Portfolio[];
  /** @throws NotFoundError */
  get(id: number): Portfolio;
  /** @throws NotFoundError */
  getByName(name: string): Portfolio;
  findByName(name: string): Portfolio | null;
  /**
   * Creates a portfolio: a named selection of one live scenario per project.
   * @throws ValidationError naming every bad field (unknown project or scenario, a project twice)
   * @param opts.jurisdiction the jurisdiction that holds it (the creating bureau's); without it
   *   the portfolio is held by its members' shared jurisdiction
   * @throws ConflictError `portfolio-exists` when the name is taken (also by a deleted portfolio)
   */
  create(input: PortfolioInput, actor: string, opts?: { jurisdiction?: string | null }): Portfolio;
  /**
   * Replaces the name, description and/or members; omitted fields stay. A change to nothing
   * writes nothing.
   * @throws NotFoundError, ValidationError, ConflictError
   */
  update(id: number, patch: Partial<PortfolioInput>, actor: string): Portfolio;
  /** Adds a project, or switches it to another of its scenarios (what-if). */
  setMember(id: number, member: PortfolioMemberRef, actor: string): Portfolio;
  /** @throws NotFoundError when the project is not a member */
  removeMember(id: number, projectCode: string, actor: string): Portfolio;
  /** Soft delete ("archive" in the UI). @throws NotFoundError, ConflictError `already-deleted` */
  delete(id: number, actor: string): Portfolio;
  /** Undoes `delete` (audited `restore`). @throws NotFoundError, ConflictError `not-deleted` */
  restore(id: number, actor: string): Portfolio;
  /**
   * Loads the members with their project, current version and result in one query (no N+1);
   * a member's `version.inputs` and cached `result` are parsed from JSON on first access.
   * Results missing from the cache are computed and cached (unless `computeMissing` is false);
   * a member whose result is missing has `result: null` and says why in `resultError`
   * (`not-cached`, `engine-unavailable`, or the engine's error code).
   * @throws NotFoundError
   */
  load(id: number, opts?: { computeMissing?: boolean }): PortfolioView;
}

export interface PortfolioWriter {
  /**
   * Creates the portfolio or brings an existing one (by name) to the given content; returns what
   * happened. Call inside a write transaction.
   * @throws ValidationError, ConflictError `portfolio-deleted`
   */
  upsert(
    input: PortfolioInput,
    actor: string,
    via: string,
  ): { portfolio: Portfolio; outcome: 'created' | 'updated' | 'unchanged' };
}

interface LoadRow extends DbProject {
  scenario_id: number;
  scenario_name: string;
  scenario_deleted_at: string | null;
  version_id: number;
  version_no: number;
  inputs_json: string;
  inputs_hash: string;
  author: string;
  comment: string;
  version_created_at: string;
  restored_from_id: number | null;
  /** 1 when the results cache holds the version's result (read only when a member's result is used). */
  cached: 0 | 1;
}

export function createPortfolioRepo(
  ctx: StoreContext,
  results: ResultRepo,
): PortfolioRepo & { writer: PortfolioWriter } {
  const { db } = ctx;
  const byId = db.prepare('SELECT * FROM portfolios WHERE id = ?');
  const byName = db.prepare('SELECT * FROM portfolios WHERE name = ?');
  const listLive = db.prepare('SELECT * FROM portfolios WHERE deleted_at IS NULL ORDER BY name');
  const listAll = db.prepare('SELECT * FROM portfolios ORDER BY name');
  const membersOf = db.prepare(
    `SELECT m.*, p.code AS project_code, s.name AS scenario_name FROM portfolio_members m
     JOIN projects p ON p.id = m.project_id JOIN scenarios s ON s.id = m.scenario_id
     WHERE m.portfolio_id = ? ORDER BY p.code`,
  );
  const insert = db.prepare(
    'INSERT INTO portfolios (name, description, created_at, updated_at, jurisdiction) VALUES (?, ?, ?, ?, ?) RETURNING *',
  );
  const update = db.prepare(
    'UPDATE portfolios SET name = ?, description = ?, updated_at = ? WHERE id = ? RETURNING *',
  );
  const setDeleted = db.prepare(
    'UPDATE portfolios SET deleted_at = ?, updated_at = ? WHERE id = ? RETURNING *',
  );
  const clearMembers = db.prepare('DELETE FROM portfolio_members WHERE portfolio_id = ?');
  const addMember = db.prepare(
    'INSERT INTO portfolio_members (portfolio_id, project_id, scenario_id) VALUES (?, ?, ?)',
  );
  const projectByCode = db.prepare('SELECT * FROM projects WHERE code = ?');
  const scenarioByName = db.prepare('SELECT * FROM scenarios WHERE project_id = ? AND name = ?');
  const load = db.prepare(
    `SELECT p.*, s.id AS scenario_id, s.name AS scenario_name, s.deleted_at AS scenario_deleted_at,
            v.id AS version_id, v.version_no, v.inputs_json, v.inputs_hash, v.author, v.comment,
            v.created_at AS version_created_at, v.restored_from_id,
            r.inputs_hash IS NOT NULL AS cached
     FROM portfolio_members m
     JOIN projects p ON p.id = m.project_id
     JOIN scenarios s ON s.id = m.scenario_id
     JOIN scenario_versions v ON v.scenario_id = s.id
      AND v.version_no = (SELECT MAX(version_no) FROM scenario_versions WHERE scenario_id = s.id)
     LEFT JOIN results_cache r ON r.inputs_hash = v.inputs_hash AND r.engine_version = ?
     WHERE m.portfolio_id = ?`,
  );

  const members = (id: number) => membersOf.all(id) as DbPortfolioMember[];
  const toPortfolio = (row: DbPortfolio): Portfolio => ({
    id: row.id,
    name: row.name,
    description: row.description,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    deletedAt: row.deleted_at,
    members: members(row.id).map((m) => ({
      projectCode: m.project_code,
      scenarioName: m.scenario_name,
      projectId: m.project_id,
      scenarioId: m.scenario_id,
    })),
  });
  const mustGet = (id: number) => {
    const row = byId.get(id) as DbPortfolio | undefined;
    if (!row) throw new NotFoundError('Portfolio', id);
    return row;
  };

  /** Validates and resolves members to ids (`keep`: archived scenarios allowed to stay). @throws ValidationError */
  const resolve = (
    input: unknown,
    keep: ReadonlySet<number> = new Set(),
  ): {
    name: string;
    description: string;
    members: Array<{ projectId: number; scenarioId: number }>;
  } => {
    const parsed = portfolioInputSchema.safeParse(input);
    if (!parsed.success)
      throw new ValidationError(toFieldIssues(parsed.error), 'The portfolio is not valid');
    const issues: FieldIssue[] = [];
    const seen = new Map<string, number>();
    const resolved: Array<{ projectId: number; scenarioId: number }> = [];
    parsed.data.members.forEach((m, i) => {
      const project = projectByCode.get(m.projectCode) as DbProject | undefined;
      if (!project || project.deleted_at !== null) {
        issues.push({
          path: `members[${i}].projectCode`,
          message: `No project with code ${m.projectCode}${project ? ' (it was deleted)' : ''}`,
        });
        return;
      }
      const first = seen.get(m.projectCode);
      if (first !== undefined) {
        issues.push({
          path: `members[${i}].projectCode`,
          message: `Project ${m.projectCode} is already in the portfolio (members[${first}]): pick one scenario per project`,
        });
        return;
      }
      seen.set(m.projectCode, i);
      const scenario = scenarioByName.get(project.id, m.scenarioName) as DbScenario | undefined;
      if (!scenario || (scenario.deleted_at !== null && !keep.has(scenario.id))) {
        issues.push({
          path: `members[${i}].scenarioName`,
          message: `Project ${m.projectCode} has no scenario "${m.scenarioName}"${scenario ? ' (it was deleted)' : ''}`,
        });
        return;
      }
      resolved.push({ projectId: project.id, scenarioId: scenario.id });
    });
    if (issues.length > 0) throw new ValidationError(issues, 'The portfolio is not valid');
    return { name: parsed.data.name, description: parsed.data.description, members: resolved };
  };

  const guardText = (next: { name: string; description: string }) =>
    assertStorableText([
      ['name', 'Portfolio name', next.name],
      ['description', 'Portfolio description', next.description, 'multi-line'],
    ]);

  const writeMembers = (id: number, list: Array<{ projectId: number; scenarioId: number }>) => {
    clearMembers.run(id);
    for (const m of list) addMember.run(id, m.projectId, m.scenarioId);
  };

  const stateOf = (row: DbPortfolio) => portfolioState(row, members(row.id));

  const writeUpdate = (
    row: DbPortfolio,
    next: ReturnType<typeof resolve>,
    actor: string,
    via: string,
  ): { row: DbPortfolio; changed: boolean } => {
    const before = stateOf(row);
    const candidate = {
      ...before,
      name: next.name,
      description: next.description,
      members: [...next.members].sort((a, b) => a.projectId - b.projectId),
    };
    const comparable = (s: typeof before) =>
      canonicalJson({ ...s, members: s.members.map((m) => [m.projectId, m.scenarioId]) });
    if (comparable(before) === comparable(candidate as typeof before))
      return { row, changed: false };
    if (next.name !== row.name && byName.get(next.name)) {
      throw new ConflictError(
        'portfolio-exists',
        `A portfolio named "${next.name}" already exists`,
        { name: next.name },
      );
    }
    guardText(next);
    const at = ctx.now();
    const after = update.get(next.name, next.description, at, row.id) as DbPortfolio;
    writeMembers(row.id, next.members);
    const state = stateOf(after);
    ctx.appendAudit({
      actor,
      action: 'update',
      entity: 'portfolio',
      entityId: row.id,
      at,
      details: { via, before, state },
    });
    return { row: after, changed: true };
  };

  const create = (
    next: ReturnType<typeof resolve>,
    actor: string,
    via: string,
    jurisdiction: string | null = null,
  ): DbPortfolio => {
    const existing = byName.get(next.name) as DbPortfolio | undefined;
    if (existing) {
      throw new ConflictError(
        'portfolio-exists',
        `A portfolio named "${next.name}" already exists${existing.deleted_at ? ' (deleted)' : ''}`,
        { name: next.name },
        'Choose another name.',
      );
    }
    guardText(next);
    const at = ctx.now();
    const row = insert.get(next.name, next.description, at, at, jurisdiction) as DbPortfolio;
    writeMembers(row.id, next.members);
    ctx.appendAudit({
      actor,
      action: 'create',
      entity: 'portfolio',
      entityId: row.id,
      at,
      details: { via, state: stateOf(row) },
    });
    return row;
  };

  const current = (row: DbPortfolio): PortfolioInput => ({
    name: row.name,
    description: row.description,
    members: members(row.id).map((m) => ({
      projectCode: m.project_code,
      scenarioName: m.scenario_name,
    })),
  });

  const patch = (
    id: number,
    change: (input: PortfolioInput) => PortfolioInput,
    actor: string,
  ): Portfolio => {
    const who = checkActor(actor);
    return ctx.write(() => {
      const row = mustGet(id);
      if (row.deleted_at !== null)
        throw new ConflictError('portfolio-deleted', `Portfolio "${row.name}" was deleted`, { id });
      // A member whose scenario was archived since may stay (flagged); it cannot be newly chosen.
      const kept = new Set(members(id).map((m) => m.scenario_id));
      return toPortfolio(writeUpdate(row, resolve(change(current(row)), kept), who, 'update').row);
    });
  };

  const writer: PortfolioWriter = {
    upsert(input, actor, via) {
      const next = resolve(input);
      const existing = byName.get(next.name) as DbPortfolio | undefined;
      if (!existing)
        return { portfolio: toPortfolio(create(next, actor, via)), outcome: 'created' };
      if (existing.deleted_at !== null) {
        throw new ConflictError('portfolio-deleted', `Portfolio "${next.name}" was deleted`, {
          name: next.name,
        });
      }
      const { row, changed } = writeUpdate(existing, next, actor, via);
      return { portfolio: toPortfolio(row), outcome: changed ? 'updated' : 'unchanged' };
    },
  };

  return {
    writer,
    list(opts = {}) {
      return ((opts.includeDeleted ? listAll : listLive).all() as DbPortfolio[]).map(toPortfolio);
    },
    get: (id) => toPortfolio(mustGet(id)),
    getByName(name) {
      const row = byName.get(name) as DbPortfolio | undefined;
      if (!row) throw new NotFoundError('Portfolio', `"${name}"`);
      return toPortfolio(row);
    },
    findByName(name) {
      const row = byName.get(name) as DbPortfolio | undefined;
      return row ? toPortfolio(row) : null;
    },
    create(input, actor, opts = {}) {
      const who = checkActor(actor);
      const held = opts.jurisdiction?.trim() || null;
      return ctx.write(() => toPortfolio(create(resolve(input), who, 'create', held)));
    },
    update(id, changes, actor) {
      return patch(id, (cur) => ({ ...cur, ...changes }), actor);
    },
    setMember(id, member, actor) {
      return patch(
        id,
        (cur) => {
          const others = cur.members.filter((m) => m.projectCode !== member.projectCode);
          return {
            ...cur,
            members: [
              ...others,
              { projectCode: member.projectCode, scenarioName: member.scenarioName },
            ],
          };
        },
        actor,
      );
    },
    removeMember(id, projectCode, actor) {
      return patch(
        id,
        (cur) => {
          if (!cur.members.some((m) => m.projectCode === projectCode))
            throw new NotFoundError('Portfolio member', projectCode);
          return { ...cur, members: cur.members.filter((m) => m.projectCode !== projectCode) };
        },
        actor,
      );
    },
    delete(id, actor) {
      const who = checkActor(actor);
      return ctx.write(() => {
        const row = mustGet(id);
        if (row.deleted_at !== null)
          throw new ConflictError('already-deleted', `Portfolio "${row.name}" is already deleted`, {
            id,
          });
        const at = ctx.now();
        const after = setDeleted.get(at, at, id) as DbPortfolio;
        ctx.appendAudit({
          actor: who,
          action: 'delete',
          entity: 'portfolio',
          entityId: id,
          at,
          details: { state: stateOf(after) },
        });
        return toPortfolio(after);
      });
    },
    restore(id, actor) {
      const who = checkActor(actor);
      return ctx.write(() => {
        const row = mustGet(id);
        if (row.deleted_at === null)
          throw new ConflictError('not-deleted', `Portfolio "${row.name}" is not archived`, { id });
        const at = ctx.now();
        const after = setDeleted.get(null, at, id) as DbPortfolio;
        ctx.appendAudit({
          actor: who,
          action: 'restore',
          entity: 'portfolio',
          entityId: id,
          at,
          details: { before: stateOf(row), state: stateOf(after) },
        });
        return toPortfolio(after);
      });
    },
    load(id, opts = {}) {
      const row = mustGet(id);
      // Sorted here, not by ORDER BY: SQLite would copy every result's JSON through a sorter.
      const rows = (load.all(results.engineVersion, id) as LoadRow[]).sort((a, b) =>
        a.code < b.code ? -1 : a.code > b.code ? 1 : 0,
      );
      const compute = opts.computeMissing ?? true;
      const out: PortfolioMemberView[] = rows.map((r) => {
        let computed: StoredResult | null = null;
        let resultError: PortfolioMemberView['resultError'] = null;
        if (!r.cached && !compute) {
          resultError = { code: 'not-cached', message: 'The result is not cached' };
        } else if (!r.cached) {
          try {
            computed = results.compute(r.inputs_hash, r.inputs_json);
          } catch (err) {
            if (!(err instanceof FundMixError)) throw err;
            resultError = { code: err.code, message: err.message };
          }
        }
        const member = {
          project: toProject(r),
          scenario: { id: r.scenario_id, name: r.scenario_name, deletedAt: r.scenario_deleted_at },
          version: toVersion({
            id: r.version_id,
            scenario_id: r.scenario_id,
            version_no: r.version_no,
            inputs_json: r.inputs_json,
            inputs_hash: r.inputs_hash,
            author: r.author,
            comment: r.comment,
            created_at: r.version_created_at,
            restored_from_id: r.restored_from_id,
            project_code: r.code,
            scenario_name: r.scenario_name,
          }),
          resultError,
        } as PortfolioMemberView;
        // Cached results are read and parsed on first access (about 0.3 ms per 30-year result),
        // so a view that shows only some members, or keeps what it needs of them, does not pay
        // for all of them.
        const hash = r.inputs_hash;
        const cached = r.cached === 1;
        lazy(member, 'result', () => (cached ? results.cached(hash) : computed));
        return member;
      });
      const portfolio = {
        id: row.id,
        name: row.name,
        description: row.description,
        createdAt: row.created_at,
        updatedAt: row.updated_at,
        deletedAt: row.deleted_at,
      };
      return { portfolio, engineVersion: results.engineVersion, members: out };
    },
  };
}
