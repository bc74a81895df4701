import { NotFoundError, ValidationError } from '../../domain/errors';
import { isScenarioV1, parseScenario, toScenarioV2Input } from '../../domain/scenario/parse';
import type { Scenario } from '../../domain/scenario/schema';
import { SCENARIO_FORMAT_V1, type ScenarioInputV1 } from '../../domain/scenario/schema-v1';
import { upgradeScenarioV1 } from '../../domain/scenario/upgrade';
import { scenarioState, versionState } from '../audit-state';
import { canonicalJson, sha256Hex } from '../canonical-json';
import { assertStorableText, checkActor, checkComment, type StoreContext } from '../context';
import { ConflictError } from '../errors';
import { diffJson, type JsonChange } from '../json-diff';
import { projectFieldsOf, toProject, toScenarioRecord, toVersion, toVersionMeta } from '../mappers';
import type {
  DbProject,
  DbScenario,
  DbScenarioListed,
  DbScenarioVersion,
  DbScenarioVersionFull,
} from '../rows';
import type { Project, ScenarioRecord, ScenarioVersion, ScenarioVersionMeta } from '../types';
import type { ProjectWriter } from './projects';

export interface SaveMeta {
  /** Who saves (recorded as the version's author and in the audit log). */
  actor: string;
  comment?: string;
  /**
   * The version the change was made from (an editor's form): when the scenario's current
   * version is another one by the time the write transaction runs, nothing is written and a
   * ConflictError `stale-version` says which is current. Checked inside the transaction, so no
   * save by another process can slip in between.
   */
  basedOnVersionId?: number;
}

export interface SaveResult {
  project: Project;
  scenario: ScenarioRecord;
  /** The new version, or the current one when nothing changed. */
  version: ScenarioVersion;
  /** False when the inputs equal the current version's and no version was created. */
  created: boolean;
  /** Project fields the save changed (the file's `project` block differed from the stored project). */
  projectChanged: string[];
}

export interface ScenarioRepo {
  /**
   * Validates and saves scenario inputs (parsed JSON, as entered) as a new immutable version of
   * the scenario identified by (`project.code`, `scenario.name`), creating the project and the
   * scenario when they do not exist. When the file's project fields differ from the stored
   * project, the project is updated in the same transaction (audited).
   *
   * Saving inputs identical to the current version (same canonical JSON) creates no version and
   * no audit entry: the result has `created: false` and the current version. Project fields are
   * still brought in line, so the latest save's project block always wins.
   * @throws ValidationError listing every problem (nothing is written)
   * @throws ConflictError `project-deleted` / `scenario-deleted`
   */
  save(input: unknown, meta: SaveMeta): SaveResult;
  /** `save` for file text: JSON syntax errors become a ValidationError. */
  saveText(text: string, meta: SaveMeta): SaveResult;
  /** Scenarios with their current version, ordered by project code then name. */
  list(opts?: { projectCode?: string; includeDeleted?: boolean }): ScenarioRecord[];
  /** @throws NotFoundError */
  get(projectCode: string, name: string): ScenarioRecord;
  /** @throws NotFoundError */
  getById(id: number): ScenarioRecord;
  /** Every version of a scenario, oldest first, without inputs. @throws NotFoundError */
  versions(scenarioId: number): ScenarioVersionMeta[];
  /** One version with its inputs. @throws NotFoundError */
  version(versionId: number): ScenarioVersion;
  /** The current (latest) version. @throws NotFoundError */
  current(scenarioId: number): ScenarioVersion;
  /** Differences between two versions' inputs (from → to), leaf by leaf. @throws NotFoundError */
  compare(fromVersionId: number, toVersionId: number): JsonChange[];
  /**
   * The two versions' inputs as compared (format v2, a v1 version upgraded) and their
   * differences, so a reader can name the items the changes belong to. @throws NotFoundError
   */
  compareInputs(
    fromVersionId: number,
    toVersionId: number,
  ): { before: unknown; after: unknown; changes: JsonChange[] };
  /**
   * Makes an earlier version current again by saving its inputs as a new version that records
   * where it came from; nothing is overwritten. The inputs are validated again; restoring a
   * version equal to the current one creates nothing (`created: false`).
   * @throws NotFoundError, ValidationError, ConflictError
   */
  restoreVersion(versionId: number, meta: SaveMeta): SaveResult;
  /**
   * Soft-deletes a scenario (history kept).
   * @throws NotFoundError
   * @throws ConflictError `scenario-in-portfolio`, `scenario-filed` (an open filing), `already-deleted`
   */
  delete(projectCode: string, name: string, actor: string): ScenarioRecord;
  /** @throws NotFoundError, ConflictError `not-deleted` */
  undelete(projectCode: string, name: string, actor: string): ScenarioRecord;
}

/** A version to write, already validated. */
export interface VersionToWrite {
  scenario: Scenario;
  inputsJson: string;
  inputsHash: string;
  actor: string;
  comment: string;
  action: 'create' | 'import' | 'restore';
  /** Recorded in the audit entries: `save`, `import`, `restore`, `seed`, or a file name. */
  via: string;
  /** Author and time of the version when they differ from the actor and now (imported history). */
  author?: string;
  createdAt?: string;
  restoredFromId?: number | null;
  /** Creation time for a new scenario (imported history). */
  scenarioCreatedAt?: string;
  /** Skip the version when the inputs equal the current version's. */
  skipUnchanged: boolean;
  /** See SaveMeta.basedOnVersionId. */
  basedOnVersionId?: number;
  /**
   * Bring an existing project's fields in line with the inputs' project block (default true).
   * Imported history sets the project's fields itself and passes false.
   */
  updateProject?: boolean;
}

export interface ScenarioWriter {
  /** Writes a validated version; call inside a write transaction. */
  writeVersion(v: VersionToWrite): SaveResult;
  markDeleted(
    projectCode: string,
    name: string,
    actor: string,
    at: string,
    deletedAt?: string,
  ): DbScenario;
  scenarioRow(projectId: number, name: string): DbScenario | undefined;
  versionRows(scenarioId: number): DbScenarioVersion[];
}

/**
 * Validates inputs (format v2 or v1) and gives the canonical JSON to store and its hash. A new
 * save is stored as format v2: a v1 file is upgraded (`upgradeScenarioV1`) before it is
 * serialised. With `keepFormat` (imported history, restore) the inputs are stored exactly as
 * given, so a stored v1 version keeps its bytes and hash.
 * @throws ValidationError
 */
export function prepareInputs(
  input: unknown,
  opts: { keepFormat?: boolean } = {},
): {
  scenario: Scenario;
  inputsJson: string;
  inputsHash: string;
} {
  const scenario = parseScenario(input);
  const inputsJson = canonicalJson(opts.keepFormat ? input : toScenarioV2Input(input));
  return { scenario, inputsJson, inputsHash: sha256Hex(inputsJson) };
}

/** Stored inputs as format v2 (a v1 version upgraded), so comparing versions shows real changes. */
function asV2(inputsJson: string): unknown {
  const json = JSON.parse(inputsJson) as unknown;
  return isScenarioV1(json) ? upgradeScenarioV1(json as ScenarioInputV1) : json;
}

function parseJsonText(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new ValidationError(
      [{ path: '', message: `Not valid JSON: ${(err as Error).message}` }],
      'The scenario file is not valid',
    );
  }
}

/**
 * The current version's delivery model, read from its inputs: `scenario.delivery` in format v2,
 * `project.delivery` in a stored v1 version (what `upgradeScenarioV1` moves to the scenario).
 */
const CURRENT_DELIVERY = `json_extract(v.inputs_json, CASE json_extract(v.inputs_json, '$.format')
  WHEN '${SCENARIO_FORMAT_V1}' THEN '$.project.delivery' ELSE '$.scenario.delivery' END)`;

const LISTED = `SELECT s.*, p.code AS project_code, v.id AS current_version_id, v.version_no AS current_version_no, v.created_at AS current_created_at,
  ${CURRENT_DELIVERY} AS current_delivery
  FROM scenarios s
  JOIN projects p ON p.id = s.project_id
  JOIN scenario_versions v ON v.scenario_id = s.id
   AND v.version_no = (SELECT MAX(version_no) FROM scenario_versions WHERE scenario_id = s.id)`;

const VERSION_FULL = `SELECT v.*, p.code AS project_code, s.name AS scenario_name
  FROM scenario_versions v JOIN scenarios s ON s.id = v.scenario_id JOIN projects p ON p.id = s.project_id`;

export function createScenarioRepo(
  ctx: StoreContext,
  projects: ProjectWriter,
): ScenarioRepo & { writer: ScenarioWriter } {
  const { db } = ctx;
  const scenarioByName = db.prepare('SELECT * FROM scenarios WHERE project_id = ? AND name = ?');
  const insertScenario = db.prepare(
    'INSERT INTO scenarios (project_id, name, created_at) VALUES (?, ?, ?) RETURNING *',
  );
  const setScenarioDeleted = db.prepare(
    'UPDATE scenarios SET deleted_at = ? WHERE id = ? RETURNING *',
  );
  // Everything but the inputs: equal hashes mean equal inputs, and the caller has them.
  const latestVersion = db.prepare(
    `SELECT id, scenario_id, version_no, inputs_hash, author, comment, created_at, restored_from_id
     FROM scenario_versions WHERE scenario_id = ? ORDER BY version_no DESC LIMIT 1`,
  );
  const insertVersion = db.prepare(
    `INSERT INTO scenario_versions (scenario_id, version_no, inputs_json, inputs_hash, author, comment, created_at, restored_from_id)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const listedById = db.prepare(`${LISTED} WHERE s.id = ?`);
  const listedLive = db.prepare(
    `${LISTED} WHERE s.deleted_at IS NULL AND p.deleted_at IS NULL ORDER BY p.code, s.name`,
  );
  const listedAll = db.prepare(`${LISTED} ORDER BY p.code, s.name`);
  const listedLiveOfProject = db.prepare(
    `${LISTED} WHERE p.code = ? AND s.deleted_at IS NULL ORDER BY s.name`,
  );
  const listedAllOfProject = db.prepare(`${LISTED} WHERE p.code = ? ORDER BY s.name`);
  const versionById = db.prepare(`${VERSION_FULL} WHERE v.id = ?`);
  const versionsOf = db.prepare(
    `SELECT v.id, v.scenario_id, v.version_no, v.inputs_hash, v.author, v.comment, v.created_at, v.restored_from_id,
            p.code AS project_code, s.name AS scenario_name
     FROM scenario_versions v JOIN scenarios s ON s.id = v.scenario_id JOIN projects p ON p.id = s.project_id
     WHERE v.scenario_id = ? ORDER BY v.version_no`,
  );
  const versionRowsOf = db.prepare(
    'SELECT * FROM scenario_versions WHERE scenario_id = ? ORDER BY version_no',
  );
  const projectById = db.prepare('SELECT * FROM projects WHERE id = ?');
  const livePortfoliosUsing = db.prepare(
    `SELECT p.name FROM portfolio_members m JOIN portfolios p ON p.id = m.portfolio_id
     WHERE m.scenario_id = ? AND p.deleted_at IS NULL ORDER BY p.name`,
  );
  const openFiling = db.prepare(
    `SELECT id, state FROM filings WHERE scenario_id = ? AND state NOT IN ('approved', 'withdrawn')`,
  );

  const record = (
    project: DbProject,
    s: DbScenario,
    current: DbScenarioVersion,
    delivery: ScenarioRecord['delivery'],
  ): ScenarioRecord => ({
    id: s.id,
    projectId: project.id,
    projectCode: project.code,
    name: s.name,
    createdAt: s.created_at,
    deletedAt: s.deleted_at,
    currentVersionId: current.id,
    currentVersionNo: current.version_no,
    updatedAt: current.created_at,
    delivery,
  });
  const listed = (id: number) => toScenarioRecord(listedById.get(id) as DbScenarioListed);
  const versionRow = (id: number) => {
    const row = versionById.get(id) as DbScenarioVersionFull | undefined;
    if (!row) throw new NotFoundError('Scenario version', id);
    return row;
  };
  const scenarioRowOf = (
    projectCode: string,
    name: string,
  ): { project: DbProject; scenario: DbScenario } => {
    const project = projects.rowByCode(projectCode);
    const scenario = project
      ? (scenarioByName.get(project.id, name) as DbScenario | undefined)
      : undefined;
    if (!project || !scenario)
      throw new NotFoundError('Scenario', `"${name}" of project ${projectCode}`);
    return { project, scenario };
  };

  const writer: ScenarioWriter = {
    scenarioRow: (projectId, name) => scenarioByName.get(projectId, name) as DbScenario | undefined,
    versionRows: (scenarioId) => versionRowsOf.all(scenarioId) as DbScenarioVersion[],
    writeVersion(v) {
      assertStorableText([
        ['scenario.name', 'Scenario name', v.scenario.scenario.name],
        ['author', 'Author', v.author ?? v.actor],
        ['comment', 'Comment', v.comment, 'multi-line'],
      ]);
      const at = ctx.now();
      const fields = projectFieldsOf(v.scenario);
      const kept = v.updateProject === false ? projects.rowByCode(fields.code) : undefined;
      if (kept && kept.deleted_at !== null) {
        throw new ConflictError(
          'project-deleted',
          `Project ${fields.code} was deleted; its scenarios cannot be changed`,
          { code: fields.code },
        );
      }
      const { row: project, changed } = kept
        ? { row: kept, changed: [] as string[] }
        : projects.upsert(fields, v.actor, at, v.via);
      const name = v.scenario.scenario.name;
      let scenario = scenarioByName.get(project.id, name) as DbScenario | undefined;
      if (!scenario) {
        scenario = insertScenario.get(project.id, name, v.scenarioCreatedAt ?? at) as DbScenario;
        ctx.appendAudit({
          actor: v.actor,
          action: 'create',
          entity: 'scenario',
          entityId: scenario.id,
          at,
          details: { projectCode: project.code, via: v.via, state: scenarioState(scenario) },
        });
      } else if (scenario.deleted_at !== null) {
        throw new ConflictError(
          'scenario-deleted',
          `Scenario "${name}" of project ${project.code} was deleted; it cannot get new versions`,
          { projectCode: project.code, name },
          'Restore the scenario first, then save again.',
        );
      }
      const latest = latestVersion.get(scenario.id) as
        Omit<DbScenarioVersion, 'inputs_json'> | undefined;
      if (latest && v.basedOnVersionId !== undefined && latest.id !== v.basedOnVersionId)
        throw new ConflictError(
          'stale-version',
          `Scenario "${name}" of project ${project.code} was saved since (version ${latest.version_no} by ${latest.author}); nothing was saved`,
          { versionId: latest.id, versionNo: latest.version_no, author: latest.author },
          'Look at the current version, then save again.',
        );
      if (latest && v.skipUnchanged && latest.inputs_hash === v.inputsHash) {
        const current = { ...latest, inputs_json: v.inputsJson };
        return {
          project: toProject(project),
          scenario: record(project, scenario, current, v.scenario.scenario.delivery),
          version: toVersion({ ...current, project_code: project.code, scenario_name: name }),
          created: false,
          projectChanged: changed,
        };
      }
      const row: DbScenarioVersion = {
        id: 0,
        scenario_id: scenario.id,
        version_no: (latest?.version_no ?? 0) + 1,
        inputs_json: v.inputsJson,
        inputs_hash: v.inputsHash,
        author: v.author ?? v.actor,
        comment: v.comment,
        created_at: v.createdAt ?? at,
        restored_from_id: v.restoredFromId ?? null,
      };
      row.id = Number(
        insertVersion.run(
          row.scenario_id,
          row.version_no,
          row.inputs_json,
          row.inputs_hash,
          row.author,
          row.comment,
          row.created_at,
          row.restored_from_id,
        ).lastInsertRowid,
      );
      ctx.appendAudit({
        actor: v.actor,
        action: v.action,
        entity: 'scenario-version',
        entityId: row.id,
        at,
        details: {
          projectCode: project.code,
          scenarioName: name,
          via: v.via,
          ...versionState(row),
        },
      });
      return {
        project: toProject(project),
        scenario: record(project, scenario, row, v.scenario.scenario.delivery),
        version: toVersion({ ...row, project_code: project.code, scenario_name: name }),
        created: true,
        projectChanged: changed,
      };
    },
    markDeleted(projectCode, name, actor, at, deletedAt = at) {
      const { project, scenario } = scenarioRowOf(projectCode, name);
      const users = livePortfoliosUsing.all(scenario.id) as Array<{ name: string }>;
      if (users.length > 0) {
        throw new ConflictError(
          'scenario-in-portfolio',
          `Scenario "${name}" of project ${projectCode} is selected in portfolio(s) ${users.map((u) => `"${u.name}"`).join(', ')}`,
          { projectCode, name, portfolios: users.map((u) => u.name) },
          'Select another scenario in those portfolios first.',
        );
      }
      const filing = openFiling.get(scenario.id) as { id: number; state: string } | undefined;
      if (filing) {
        throw new ConflictError(
          'scenario-filed',
          `Scenario "${name}" of project ${projectCode} has an open filing (filing ${filing.id}, ${filing.state})`,
          { projectCode, name, filingId: filing.id },
          'Withdraw the filing first, or wait for its decision.',
        );
      }
      const after = setScenarioDeleted.get(deletedAt, scenario.id) as DbScenario;
      ctx.appendAudit({
        actor,
        action: 'delete',
        entity: 'scenario',
        entityId: scenario.id,
        at,
        details: { projectCode: project.code, state: scenarioState(after) },
      });
      return after;
    },
  };

  const save = (input: unknown, meta: SaveMeta, via: string): SaveResult => {
    const actor = checkActor(meta.actor);
    const comment = checkComment(meta.comment);
    const prepared = prepareInputs(input);
    return ctx.write(() =>
      writer.writeVersion({
        ...prepared,
        actor,
        comment,
        action: 'create',
        via,
        skipUnchanged: true,
        basedOnVersionId: meta.basedOnVersionId,
      }),
    );
  };

  return {
    writer,
    save: (input, meta) => save(input, meta, 'save'),
    saveText: (text, meta) => save(parseJsonText(text), meta, 'save'),
    list(opts = {}) {
      const rows =
        opts.projectCode !== undefined
          ? (opts.includeDeleted ? listedAllOfProject : listedLiveOfProject).all(opts.projectCode)
          : (opts.includeDeleted ? listedAll : listedLive).all();
      return (rows as DbScenarioListed[]).map(toScenarioRecord);
    },
    get(projectCode, name) {
      return listed(scenarioRowOf(projectCode, name).scenario.id);
    },
    getById(id) {
      const row = listedById.get(id) as DbScenarioListed | undefined;
      if (!row) throw new NotFoundError('Scenario', id);
      return toScenarioRecord(row);
    },
    versions(scenarioId) {
      const rows = versionsOf.all(scenarioId) as DbScenarioVersionFull[];
      if (rows.length === 0) throw new NotFoundError('Scenario', scenarioId);
      return rows.map(toVersionMeta);
    },
    version(versionId) {
      return toVersion(versionRow(versionId));
    },
    current(scenarioId) {
      const record = listedById.get(scenarioId) as DbScenarioListed | undefined;
      if (!record) throw new NotFoundError('Scenario', scenarioId);
      return toVersion(versionRow(record.current_version_id));
    },
    compare(fromVersionId, toVersionId) {
      const a = versionRow(fromVersionId);
      const b = versionRow(toVersionId);
      return diffJson(asV2(a.inputs_json), asV2(b.inputs_json));
    },
    compareInputs(fromVersionId, toVersionId) {
      const before = asV2(versionRow(fromVersionId).inputs_json);
      const after = asV2(versionRow(toVersionId).inputs_json);
      return { before, after, changes: diffJson(before, after) };
    },
    restoreVersion(versionId, meta) {
      const actor = checkActor(meta.actor);
      const old = versionRow(versionId);
      const comment = checkComment(meta.comment ?? `Restored version ${old.version_no}`);
      // Byte for byte: a restored v1 version stays v1 (same hash as the version it restores).
      const prepared = prepareInputs(JSON.parse(old.inputs_json), { keepFormat: true });
      return ctx.write(() =>
        writer.writeVersion({
          ...prepared,
          actor,
          comment,
          action: 'restore',
          via: 'restore',
          restoredFromId: old.id,
          skipUnchanged: true,
        }),
      );
    },
    delete(projectCode, name, actor) {
      const who = checkActor(actor);
      return ctx.write(() => {
        const { scenario } = scenarioRowOf(projectCode, name);
        if (scenario.deleted_at !== null)
          throw new ConflictError(
            'already-deleted',
            `Scenario "${name}" of project ${projectCode} is already deleted`,
          );
        return listed(writer.markDeleted(projectCode, name, who, ctx.now()).id);
      });
    },
    undelete(projectCode, name, actor) {
      const who = checkActor(actor);
      return ctx.write(() => {
        const { project, scenario } = scenarioRowOf(projectCode, name);
        if (scenario.deleted_at === null)
          throw new ConflictError(
            'not-deleted',
            `Scenario "${name}" of project ${projectCode} is not deleted`,
          );
        if ((projectById.get(project.id) as DbProject).deleted_at !== null) {
          throw new ConflictError(
            'project-deleted',
            `Project ${projectCode} is deleted`,
            {},
            'Restore the project first.',
          );
        }
        const at = ctx.now();
        const after = setScenarioDeleted.get(null, scenario.id) as DbScenario;
        ctx.appendAudit({
          actor: who,
          action: 'restore',
          entity: 'scenario',
          entityId: scenario.id,
          at,
          details: { projectCode, state: scenarioState(after) },
        });
        return listed(after.id);
      });
    },
  };
}
