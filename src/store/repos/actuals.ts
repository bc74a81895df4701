import { canonicalJson } from '../canonical-json';
import type { StoreContext } from '../context';

/** One recorded version of a project year's actuals (migration 0011). */
export interface DbProjectActuals {
  id: number;
  project_id: number;
  year: number;
  version_no: number;
  data_json: string;
  source: string;
  created_by: number | null;
  created_at: string;
  /** The author's username (joined), null for the system. */
  author: string | null;
}

export type ActualsRepo = ReturnType<typeof createActualsRepo>;

const SELECT = `SELECT a.*, u.username AS author FROM project_actuals a
  LEFT JOIN users u ON u.id = a.created_by`;

/**
 * Actuals per project year, append-only: `record` adds the year's next version (audited, entity
 * `project-actuals`); `current` lists each year's latest version; `history` every version.
 * Permission checks and validation are the app layer's (src/app/monitoring.ts).
 */
export function createActualsRepo(ctx: StoreContext) {
  const { db } = ctx;
  const nextNo = db
    .prepare(
      'SELECT COALESCE(MAX(version_no), 0) + 1 FROM project_actuals WHERE project_id = ? AND year = ?',
    )
    .pluck();
  const insert = db.prepare(
    `INSERT INTO project_actuals (project_id, year, version_no, data_json, source, created_by, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`,
  );
  const byId = db.prepare(`${SELECT} WHERE a.id = ?`);
  const current = db.prepare(
    `${SELECT} WHERE a.project_id = ? AND a.version_no = (SELECT MAX(b.version_no)
       FROM project_actuals b WHERE b.project_id = a.project_id AND b.year = a.year) ORDER BY a.year`,
  );
  const history = db.prepare(`${SELECT} WHERE a.project_id = ? ORDER BY a.year, a.version_no`);
  const projectsWith = db
    .prepare('SELECT DISTINCT project_id FROM project_actuals ORDER BY project_id')
    .pluck();
  return {
    current: (projectId: number) => current.all(projectId) as DbProjectActuals[],
    history: (projectId: number) => history.all(projectId) as DbProjectActuals[],
    /** Ids of the projects with any actuals recorded. */
    projectIds: () => projectsWith.all() as number[],
    /** Records the year's next version; call inside a write transaction. */
    record(input: {
      projectId: number;
      year: number;
      data: unknown;
      source: string;
      createdBy: number | null;
    }): DbProjectActuals {
      const versionNo = nextNo.get(input.projectId, input.year) as number;
      const { id } = insert.get(
        input.projectId,
        input.year,
        versionNo,
        canonicalJson(input.data),
        input.source,
        input.createdBy,
        ctx.now(),
      ) as { id: number };
      const row = byId.get(id) as DbProjectActuals;
      ctx.appendAudit({
        actor: 'system',
        action: 'create',
        entity: 'project-actuals',
        entityId: row.id,
        at: row.created_at,
        details: {
          projectId: row.project_id,
          year: row.year,
          versionNo: row.version_no,
          source: row.source,
          data: input.data,
        },
      });
      return row;
    },
  };
}
