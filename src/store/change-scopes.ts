import type { Db } from './open';

/**
 * What a cached page or report depends on:
 * - `portfolios`: every portfolio, its members, fiscal settings and the jurisdictions'
 *   thresholds (the dashboard, the fiscal pages, fiscal reports and checklists);
 * - a project (by id or code) or the project of a scenario or version: that project's own
 *   writes, plus everything `portfolios` depends on (a results page shows the checklist and the
 *   portfolios that use the scenario).
 */
export type ChangeScope =
  | 'portfolios'
  | { projectId: number }
  | { projectCode: string }
  | { scenarioId: number }
  | { versionId: number };

/** The newest change within a scope (see Store.generation). */
export interface ChangeScopes {
  generation(scope: ChangeScope): number;
}

interface AuditHead {
  id: number;
  entity: string;
  entityId: number | null;
}

/** Entities whose audit entries name a project, a scenario or a version by id. */
const PROJECT_QUERIES: Readonly<Record<string, string>> = {
  project: 'SELECT id FROM projects WHERE id = ?',
  scenario: 'SELECT project_id FROM scenarios WHERE id = ?',
  'scenario-version':
    'SELECT s.project_id FROM scenario_versions v JOIN scenarios s ON s.id = v.scenario_id WHERE v.id = ?',
};

/**
 * Scoped data generations, read from the audit log (every write appends one entry, also in
 * other processes such as the CLI). A write in a project that no portfolio uses moves only that
 * project's generation; a write to a portfolio, its settings, a jurisdiction, the database as a
 * whole, a project some portfolio uses, or anything this module does not know moves the
 * `portfolios` generation, which every scope includes. So the scoped generation of a page never
 * lags behind a write that can change it, and unrelated saves (a new scenario of a project in no
 * portfolio) leave the dashboard and fiscal pages cached.
 *
 * Incremental: each call reads only the entries appended since the previous one.
 */
export function createChangeScopes(db: Db): ChangeScopes {
  const since = db.prepare<[number], AuditHead>(
    'SELECT id, entity, entity_id AS entityId FROM audit_log WHERE id > ? ORDER BY id',
  );
  const memberProjects = db
    .prepare<[], number>('SELECT DISTINCT project_id FROM portfolio_members')
    .pluck();
  const projectOf = Object.fromEntries(
    Object.entries(PROJECT_QUERIES).map(([entity, sql]) => [
      entity,
      db.prepare<[number], number>(sql).pluck(),
    ]),
  );
  const projectIdByCode = db
    .prepare<[string], number>('SELECT id FROM projects WHERE code = ?')
    .pluck();
  const projectIdOfScenario = projectOf.scenario!;
  const projectIdOfVersion = projectOf['scenario-version']!;

  let scanned = 0;
  let portfolios = 0;
  const byProject = new Map<number, number>();

  const project = (entry: AuditHead): number | undefined => {
    const query = projectOf[entry.entity];
    return query && entry.entityId !== null ? query.get(entry.entityId) : undefined;
  };

  const catchUp = (): void => {
    const entries = since.all(scanned);
    if (entries.length === 0) return;
    const members = new Set(memberProjects.all());
    for (const entry of entries) {
      const projectId = project(entry);
      if (projectId === undefined || members.has(projectId)) portfolios = entry.id;
      if (projectId !== undefined) byProject.set(projectId, entry.id);
    }
    scanned = entries[entries.length - 1]!.id;
  };

  const projectIdOf = (scope: Exclude<ChangeScope, 'portfolios'>): number | undefined => {
    if ('projectId' in scope) return scope.projectId;
    if ('projectCode' in scope) return projectIdByCode.get(scope.projectCode);
    if ('scenarioId' in scope) return projectIdOfScenario.get(scope.scenarioId);
    return projectIdOfVersion.get(scope.versionId);
  };

  return {
    generation(scope) {
      catchUp();
      if (scope === 'portfolios') return portfolios;
      const id = projectIdOf(scope);
      // An unknown project: its page is a 404 for now, and changes with any write.
      if (id === undefined) return scanned;
      return Math.max(portfolios, byProject.get(id) ?? 0);
    },
  };
}
