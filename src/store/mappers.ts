import { lazy } from '../domain/lazy';
import type { Scenario, ScenarioInput } from '../domain/scenario/schema';
import type {
  DbAuditEntry,
  DbProject,
  DbScenarioListed,
  DbScenarioVersion,
  DbScenarioVersionFull,
} from './rows';
import type {
  AuditAction,
  AuditEntity,
  AuditEntry,
  Project,
  ProjectCategory,
  ProjectFields,
  ScenarioDelivery,
  ScenarioRecord,
  ScenarioVersion,
  ScenarioVersionMeta,
  Sector,
} from './types';

export function toProject(row: DbProject): Project {
  return {
    id: row.id,
    code: row.code,
    name: row.name,
    nameEn: row.name_en,
    sector: row.sector as Sector,
    category: row.category as ProjectCategory,
    approvalDate: row.approval_date,
    jurisdiction: row.jurisdiction,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    deletedAt: row.deleted_at,
  };
}

/** The project fields a validated scenario file carries. */
export function projectFieldsOf(scenario: Scenario): ProjectFields {
  const p = scenario.project;
  return {
    code: p.code,
    name: p.name,
    nameEn: p.nameEn ?? null,
    sector: p.sector,
    category: p.category,
    approvalDate: p.approvalDate,
    jurisdiction: p.jurisdiction ?? null,
  };
}

export function projectFieldsOfRow(row: DbProject): ProjectFields {
  const { code, name, nameEn, sector, category, approvalDate, jurisdiction } = toProject(row);
  return { code, name, nameEn, sector, category, approvalDate, jurisdiction };
}

/** Parameters for the projects INSERT/UPDATE statements, in column order. */
export function projectParams(
  f: ProjectFields,
): [string, string, string | null, string, string, string, string | null] {
  return [f.code, f.name, f.nameEn, f.sector, f.category, f.approvalDate, f.jurisdiction];
}

export function toScenarioRecord(row: DbScenarioListed): ScenarioRecord {
  return {
    id: row.id,
    projectId: row.project_id,
    projectCode: row.project_code,
    name: row.name,
    createdAt: row.created_at,
    deletedAt: row.deleted_at,
    currentVersionId: row.current_version_id,
    currentVersionNo: row.current_version_no,
    updatedAt: row.current_created_at,
    delivery: (row.current_delivery ?? null) as ScenarioDelivery | null,
  };
}

export function toVersionMeta(
  row: Omit<DbScenarioVersionFull, 'inputs_json'>,
): ScenarioVersionMeta {
  return {
    id: row.id,
    scenarioId: row.scenario_id,
    projectCode: row.project_code,
    scenarioName: row.scenario_name,
    versionNo: row.version_no,
    inputsHash: row.inputs_hash,
    author: row.author,
    comment: row.comment,
    createdAt: row.created_at,
    restoredFromId: row.restored_from_id,
  };
}

/**
 * A version with its inputs parsed on first access: listing a portfolio of 1,000 versions does
 * not pay for 1,000 JSON.parse calls nobody reads. `inputs` is enumerable, so spreading or
 * serialising the version includes it.
 */
export function toVersion(
  row: DbScenarioVersion & { project_code: string; scenario_name: string },
): ScenarioVersion {
  const version = { ...toVersionMeta(row), inputsJson: row.inputs_json } as ScenarioVersion;
  lazy(version, 'inputs', () => JSON.parse(row.inputs_json) as ScenarioInput);
  return version;
}

export function toAuditEntry(row: DbAuditEntry): AuditEntry {
  return {
    id: row.id,
    at: row.at,
    actor: row.actor,
    action: row.action as AuditAction,
    entity: row.entity as AuditEntity,
    entityId: row.entity_id,
    details: JSON.parse(row.details) as Record<string, unknown>,
    prevHash: row.prev_hash,
    hash: row.hash,
    actorUserId: row.actor_user_id ?? null,
    actorOrgId: row.actor_org_id ?? null,
  };
}
