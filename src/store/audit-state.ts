import { canonicalJson, sha256Hex } from './canonical-json';
import type {
  DbJurisdiction,
  DbJurisdictionFiscal,
  DbPortfolio,
  DbPortfolioFiscal,
  DbPortfolioMember,
  DbProject,
  DbScenario,
  DbScenarioVersion,
} from './rows';

/**
 * What an audit entry records about the entity it touches. Each entry carries the entity's full
 * state after the change, so `audit verify` can compare the latest recorded state with the row
 * and detect edits made behind the application's back. Field order is irrelevant: states are
 * compared and hashed as canonical JSON.
 */

/** Hash that precedes the first entry. */
export const GENESIS_HASH = '0'.repeat(64);

export interface AuditHashFields {
  id: number;
  at: string;
  actor: string;
  action: string;
  entity: string;
  entityId: number | null;
  /** The details as canonical JSON text. */
  detailsJson: string;
  /** The signed-in user and organisation who acted (migration 0005); null for the system. */
  actorUserId?: number | null;
  actorOrgId?: number | null;
}

/**
 * SHA-256 over the previous entry's hash followed by the canonical JSON of this entry's fields,
 * `{"action","actor","at","details","entity","entityId","id"}`. Written out by hand (keys in
 * sorted order) so the details text is not serialised twice on every save; a test checks it
 * equals `canonicalJson` of the same object.
 */
/**
 * The acting user and organisation as hashed: absent for entries without them, so entries
 * written before migration 0005 (and the system's) hash as they always did.
 */
function byPart(f: AuditHashFields): string {
  if (f.actorUserId == null || f.actorOrgId == null) return '';
  return `,"by":{"org":${canonicalJson(f.actorOrgId)},"user":${canonicalJson(f.actorUserId)}}`;
}

export function auditEntryHash(prevHash: string, f: AuditHashFields): string {
  const q = JSON.stringify;
  return sha256Hex(
    `${prevHash}{"action":${q(f.action)},"actor":${q(f.actor)},"at":${q(f.at)},"details":${f.detailsJson},` +
      `"entity":${q(f.entity)},"entityId":${f.entityId === null ? 'null' : canonicalJson(f.entityId)},"id":${canonicalJson(f.id)}` +
      byPart(f) +
      '}',
  );
}

/**
 * A project's state as recorded in the audit log. States recorded before migration 0003 also
 * carry `delivery` (then a project column, now each scenario's): see `legacyProjectState`.
 */
export function projectState(row: DbProject) {
  return {
    code: row.code,
    name: row.name,
    nameEn: row.name_en,
    sector: row.sector,
    category: row.category,
    approvalDate: row.approval_date,
    jurisdiction: row.jurisdiction,
    deletedAt: row.deleted_at,
  };
}

export function scenarioState(row: DbScenario) {
  return {
    projectId: row.project_id,
    name: row.name,
    createdAt: row.created_at,
    deletedAt: row.deleted_at,
  };
}

export function portfolioState(row: DbPortfolio, members: readonly DbPortfolioMember[]) {
  return {
    name: row.name,
    description: row.description,
    deletedAt: row.deleted_at,
    members: [...members]
      .sort((a, b) => a.project_id - b.project_id)
      .map((m) => ({
        projectId: m.project_id,
        scenarioId: m.scenario_id,
        projectCode: m.project_code,
        scenarioName: m.scenario_name,
      })),
  };
}

/** Everything about a version row except its inputs, which are covered by `inputsHash`. */
export function versionState(row: DbScenarioVersion) {
  return {
    scenarioId: row.scenario_id,
    versionNo: row.version_no,
    inputsHash: row.inputs_hash,
    author: row.author,
    comment: row.comment,
    createdAt: row.created_at,
    restoredFromId: row.restored_from_id,
  };
}

/** JSON text as stored; text that no longer parses is kept as text, so it compares unequal. */
function storedJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return { unreadable: text };
  }
}

/** A portfolio's fiscal settings (entity `portfolio-fiscal`, id = the portfolio's id). */
export function fiscalSettingsState(row: DbPortfolioFiscal) {
  return {
    portfolioId: row.portfolio_id,
    jurisdiction: row.jurisdiction,
    updatedAt: row.updated_at,
  };
}

/** A jurisdiction's fiscal figures (entity `jurisdiction-fiscal`); fund budget and quotas when entered. */
export function jurisdictionFiscalState(row: DbJurisdictionFiscal) {
  return {
    name: row.name,
    budget: storedJson(row.budget_json),
    otherObligations: storedJson(row.other_obligations_json),
    ...(row.fund_budget_json === null ? {} : { fundBudget: storedJson(row.fund_budget_json) }),
    ...(row.bond_quotas_json === '[]' ? {} : { bondQuotas: storedJson(row.bond_quotas_json) }),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** A jurisdiction's thresholds (entity `jurisdiction`). */
export function jurisdictionState(row: DbJurisdiction) {
  return {
    name: row.name,
    thresholds: storedJson(row.thresholds_json),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/**
 * A project state recorded in the audit log, without the `delivery` field that states written
 * before migration 0003 (scenario format v2) carry: the column no longer exists, so a recorded
 * delivery cannot disagree with the row. Entries themselves are never rewritten.
 */
export function legacyProjectState(recorded: unknown): unknown {
  if (typeof recorded !== 'object' || recorded === null || !('delivery' in recorded))
    return recorded;
  const { delivery: _dropped, ...rest } = recorded as Record<string, unknown>;
  return rest;
}
