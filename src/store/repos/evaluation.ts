import { canonicalJson } from '../canonical-json';
import type { StoreContext } from '../context';

/** One saved version of a jurisdiction's evaluation system (migration 0012). */
export interface DbEvaluationSystem {
  id: number;
  jurisdiction: string;
  version_no: number;
  system_json: string;
  comment: string;
  created_by: number | null;
  created_at: string;
  /** The author's username (joined), null for the system. */
  author: string | null;
}

/** One entered value of a project's indicator (migration 0012). */
export interface DbEvaluationDatum {
  id: number;
  project_id: number;
  indicator_code: string;
  version_no: number;
  /** Decimal text, `yes`, `no`, or null (cleared). */
  value: string | null;
  source: string;
  as_of: string;
  created_by: number | null;
  created_at: string;
  author: string | null;
}

export type EvaluationRepo = ReturnType<typeof createEvaluationRepo>;

const SYSTEMS = `SELECT s.*, u.username AS author FROM evaluation_systems s
  LEFT JOIN users u ON u.id = s.created_by`;
const DATA = `SELECT d.*, u.username AS author FROM evaluation_data d
  LEFT JOIN users u ON u.id = d.created_by`;

function systemStatements(ctx: StoreContext) {
  const { db } = ctx;
  return {
    nextNo: db
      .prepare(
        'SELECT COALESCE(MAX(version_no), 0) + 1 FROM evaluation_systems WHERE jurisdiction = ?',
      )
      .pluck(),
    insert: db.prepare(
      `INSERT INTO evaluation_systems (jurisdiction, version_no, system_json, comment, created_by, created_at)
       VALUES (?, ?, ?, ?, ?, ?) RETURNING id`,
    ),
    byId: db.prepare(`${SYSTEMS} WHERE s.id = ?`),
    current: db.prepare(`${SYSTEMS} WHERE s.jurisdiction = ? ORDER BY s.version_no DESC LIMIT 1`),
    versions: db.prepare(`${SYSTEMS} WHERE s.jurisdiction = ? ORDER BY s.version_no`),
  };
}

function dataStatements(ctx: StoreContext) {
  const { db } = ctx;
  return {
    nextNo: db
      .prepare(
        'SELECT COALESCE(MAX(version_no), 0) + 1 FROM evaluation_data WHERE project_id = ? AND indicator_code = ?',
      )
      .pluck(),
    insert: db.prepare(
      `INSERT INTO evaluation_data (project_id, indicator_code, version_no, value, source, as_of, created_by, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
    ),
    byId: db.prepare(`${DATA} WHERE d.id = ?`),
    current: db.prepare(
      `${DATA} WHERE d.project_id = ? AND d.version_no = (SELECT MAX(e.version_no) FROM evaluation_data e
         WHERE e.project_id = d.project_id AND e.indicator_code = d.indicator_code) ORDER BY d.indicator_code`,
    ),
    history: db.prepare(`${DATA} WHERE d.project_id = ? ORDER BY d.indicator_code, d.version_no`),
  };
}

/**
 * Evaluation systems per jurisdiction and indicator data per project, both append-only:
 * `saveSystem` adds the jurisdiction's next version, `recordDatum` a value's next version, each
 * audited (entities `evaluation-system`, `evaluation-data`; call inside a write transaction).
 * Validation and permission checks are the app layer's (src/app/evaluation.ts).
 */
export function createEvaluationRepo(ctx: StoreContext) {
  const sys = systemStatements(ctx);
  const data = dataStatements(ctx);
  return {
    /** The jurisdiction's current (latest) system, or null when it has saved none. */
    currentSystem: (jurisdiction: string) =>
      (sys.current.get(jurisdiction) as DbEvaluationSystem | undefined) ?? null,
    /** Every saved version of the jurisdiction's system, oldest first. */
    systemVersions: (jurisdiction: string) =>
      sys.versions.all(jurisdiction) as DbEvaluationSystem[],
    saveSystem(input: {
      jurisdiction: string;
      system: unknown;
      comment: string;
      createdBy: number | null;
    }): DbEvaluationSystem {
      const versionNo = sys.nextNo.get(input.jurisdiction) as number;
      const { id } = sys.insert.get(
        input.jurisdiction,
        versionNo,
        canonicalJson(input.system),
        input.comment,
        input.createdBy,
        ctx.now(),
      ) as { id: number };
      const row = sys.byId.get(id) as DbEvaluationSystem;
      ctx.appendAudit({
        actor: 'system',
        action: 'create',
        entity: 'evaluation-system',
        entityId: row.id,
        at: row.created_at,
        details: {
          jurisdiction: row.jurisdiction,
          versionNo: row.version_no,
          comment: row.comment,
          system: input.system,
        },
      });
      return row;
    },
    /** Each indicator's current value of the project (cleared ones included, value null). */
    currentData: (projectId: number) => data.current.all(projectId) as DbEvaluationDatum[],
    /** Every entered value of the project, by indicator code then version. */
    dataHistory: (projectId: number) => data.history.all(projectId) as DbEvaluationDatum[],
    recordDatum(input: {
      projectId: number;
      code: string;
      value: string | null;
      source: string;
      asOf: string;
      createdBy: number | null;
    }): DbEvaluationDatum {
      const versionNo = data.nextNo.get(input.projectId, input.code) as number;
      const { id } = data.insert.get(
        input.projectId,
        input.code,
        versionNo,
        input.value,
        input.source,
        input.asOf,
        input.createdBy,
        ctx.now(),
      ) as { id: number };
      const row = data.byId.get(id) as DbEvaluationDatum;
      ctx.appendAudit({
        actor: 'system',
        action: 'create',
        entity: 'evaluation-data',
        entityId: row.id,
        at: row.created_at,
        details: {
          projectId: row.project_id,
          code: row.indicator_code,
          versionNo: row.version_no,
          value: row.value,
          source: row.source,
          asOf: row.as_of,
        },
      });
      return row;
    },
  };
}
