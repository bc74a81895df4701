import { NotFoundError } from '../../domain/errors';
import { projectState } from '../audit-state';
import { assertStorableText, checkActor, type StoreContext } from '../context';
import { ConflictError } from '../errors';
import { projectFieldsOfRow, projectParams, toProject } from '../mappers';
import type { DbProject } from '../rows';
import type { Project, ProjectFields } from '../types';

export interface ProjectRepo {
  /** Live projects ordered by code; deleted ones too with `includeDeleted`. */
  list(opts?: { includeDeleted?: boolean }): Project[];
  /** The project with this code (deleted or not), or null. */
  find(code: string): Project | null;
  /** @throws NotFoundError */
  get(code: string): Project;
  /** @throws NotFoundError */
  getById(id: number): Project;
  /**
   * Soft-deletes a project: it disappears from lists but its scenarios and history are kept.
   * @throws NotFoundError
   * @throws ConflictError `project-in-portfolio` while a live portfolio still selects it,
   *   `project-filed` while one of its scenarios has an open filing,
   *   `already-deleted` when it is deleted already
   */
  delete(code: string, actor: string): Project;
  /**
   * Brings back a deleted project (audited as `restore`).
   * @throws NotFoundError
   * @throws ConflictError `not-deleted`
   */
  undelete(code: string, actor: string): Project;
}

/** Internal operations the scenario and import code share. */
export interface ProjectWriter {
  rowByCode(code: string): DbProject | undefined;
  /**
   * Creates the project, or brings its descriptive fields in line with `fields` (audited as
   * `update` with the changed field names). Call inside a write transaction.
   * @throws ConflictError `project-deleted` when the project exists but is deleted
   */
  upsert(
    fields: ProjectFields,
    actor: string,
    at: string,
    via: string,
  ): { row: DbProject; created: boolean; changed: string[] };
  /** Soft-deletes; `deletedAt` differs from `at` only for imported history. Call inside a write transaction. */
  markDeleted(row: DbProject, actor: string, at: string, deletedAt?: string): DbProject;
}

export function createProjectRepo(ctx: StoreContext): ProjectRepo & { writer: ProjectWriter } {
  const { db } = ctx;
  const byCode = db.prepare('SELECT * FROM projects WHERE code = ?');
  const byId = db.prepare('SELECT * FROM projects WHERE id = ?');
  const listLive = db.prepare('SELECT * FROM projects WHERE deleted_at IS NULL ORDER BY code');
  const listAll = db.prepare('SELECT * FROM projects ORDER BY code');
  const insert = db.prepare(
    `INSERT INTO projects (code, name, name_en, sector, category, approval_date, jurisdiction, created_at, updated_at, owner_org_id)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?,
       COALESCE(?, (SELECT id FROM organisations WHERE kind = 'bureau' AND jurisdiction = ?),
         (SELECT MIN(id) FROM organisations WHERE kind = 'bureau' HAVING COUNT(*) = 1)))
     RETURNING *`,
  );
  const update = db.prepare(
    `UPDATE projects SET code = ?, name = ?, name_en = ?, sector = ?, category = ?, approval_date = ?, jurisdiction = ?, updated_at = ?
     WHERE id = ? RETURNING *`,
  );
  const setDeleted = db.prepare(
    'UPDATE projects SET deleted_at = ?, updated_at = ? WHERE id = ? RETURNING *',
  );
  const livePortfoliosUsing = db.prepare(
    `SELECT p.name FROM portfolio_members m JOIN portfolios p ON p.id = m.portfolio_id
     WHERE m.project_id = ? AND p.deleted_at IS NULL ORDER BY p.name`,
  );
  const openFilings = db
    .prepare(
      `SELECT f.id FROM filings f JOIN scenarios s ON s.id = f.scenario_id
       WHERE s.project_id = ? AND f.state NOT IN ('approved', 'withdrawn') ORDER BY f.id`,
    )
    .pluck();

  const rowByCode = (code: string) => byCode.get(code) as DbProject | undefined;
  const mustGet = (code: string) => {
    const row = rowByCode(code);
    if (!row) throw new NotFoundError('Project', code);
    return row;
  };

  const writer: ProjectWriter = {
    rowByCode,
    upsert(fields, actor, at, via) {
      assertStorableText([
        ['project.code', 'Project code', fields.code],
        ['project.name', 'Project name', fields.name],
        ['project.nameEn', 'English project name', fields.nameEn],
        ['project.jurisdiction', 'Jurisdiction', fields.jurisdiction],
      ]);
      const existing = rowByCode(fields.code);
      if (!existing) {
        // Owned by the organisation of the signed-in user who creates it; made by the system
        // (seeding, CLI import), by the bureau of its jurisdiction when one is registered, else
        // by the only bureau when there is exactly one (a one-city server).
        const params = projectParams(fields);
        const row = insert.get(
          ...params,
          at,
          at,
          ctx.acting()?.orgId ?? null,
          fields.jurisdiction ?? null,
        ) as DbProject;
        ctx.appendAudit({
          actor,
          action: 'create',
          entity: 'project',
          entityId: row.id,
          at,
          details: { code: row.code, via, state: projectState(row) },
        });
        return { row, created: true, changed: [] };
      }
      if (existing.deleted_at !== null) {
        throw new ConflictError(
          'project-deleted',
          `Project ${fields.code} was deleted; its scenarios cannot be changed`,
          { code: fields.code },
          'Restore the project first, then save again.',
        );
      }
      const before = projectFieldsOfRow(existing);
      const changed = (Object.keys(fields) as Array<keyof ProjectFields>).filter(
        (k) => before[k] !== fields[k],
      );
      if (changed.length === 0) return { row: existing, created: false, changed };
      const row = update.get(...projectParams(fields), at, existing.id) as DbProject;
      const beforeState = projectState(existing);
      ctx.appendAudit({
        actor,
        action: 'update',
        entity: 'project',
        entityId: row.id,
        at,
        details: {
          code: row.code,
          via,
          changed,
          before: Object.fromEntries(changed.map((k) => [k, beforeState[k]])),
          state: projectState(row),
        },
      });
      return { row, created: false, changed };
    },
    markDeleted(row, actor, at, deletedAt = at) {
      const users = livePortfoliosUsing.all(row.id) as Array<{ name: string }>;
      if (users.length > 0) {
        throw new ConflictError(
          'project-in-portfolio',
          `Project ${row.code} is part of portfolio(s) ${users.map((u) => `"${u.name}"`).join(', ')}`,
          { code: row.code, portfolios: users.map((u) => u.name) },
          'Remove it from those portfolios first.',
        );
      }
      const filings = openFilings.all(row.id) as number[];
      if (filings.length > 0) {
        throw new ConflictError(
          'project-filed',
          `Project ${row.code} has open filing(s) ${filings.join(', ')}`,
          { code: row.code, filingIds: filings },
          'Withdraw the filings first, or wait for their decision.',
        );
      }
      const after = setDeleted.get(deletedAt, at, row.id) as DbProject;
      ctx.appendAudit({
        actor,
        action: 'delete',
        entity: 'project',
        entityId: row.id,
        at,
        details: { code: row.code, state: projectState(after) },
      });
      return after;
    },
  };

  return {
    writer,
    list(opts = {}) {
      return ((opts.includeDeleted ? listAll : listLive).all() as DbProject[]).map(toProject);
    },
    find(code) {
      const row = rowByCode(code);
      return row ? toProject(row) : null;
    },
    get(code) {
      return toProject(mustGet(code));
    },
    getById(id) {
      const row = byId.get(id) as DbProject | undefined;
      if (!row) throw new NotFoundError('Project', id);
      return toProject(row);
    },
    delete(code, actor) {
      const who = checkActor(actor);
      return ctx.write(() => {
        const row = mustGet(code);
        if (row.deleted_at !== null)
          throw new ConflictError('already-deleted', `Project ${code} is already deleted`, {
            code,
          });
        return toProject(writer.markDeleted(row, who, ctx.now()));
      });
    },
    undelete(code, actor) {
      const who = checkActor(actor);
      return ctx.write(() => {
        const row = mustGet(code);
        if (row.deleted_at === null)
          throw new ConflictError('not-deleted', `Project ${code} is not deleted`, { code });
        const at = ctx.now();
        const after = setDeleted.get(null, at, row.id) as DbProject;
        ctx.appendAudit({
          actor: who,
          action: 'restore',
          entity: 'project',
          entityId: row.id,
          at,
          details: { code, state: projectState(after) },
        });
        return toProject(after);
      });
    },
  };
}
