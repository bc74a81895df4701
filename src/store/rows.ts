/** Rows exactly as SQLite returns them (snake_case, TEXT timestamps, INTEGER ids). */

export interface DbProject {
  id: number;
  code: string;
  name: string;
  name_en: string | null;
  sector: string;
  category: string;
  approval_date: string;
  jurisdiction: string | null;
  created_at: string;
  updated_at: string;
  deleted_at: string | null;
}

export interface DbScenario {
  id: number;
  project_id: number;
  name: string;
  created_at: string;
  deleted_at: string | null;
}

/** A scenario joined with its project's code and its latest version number. */
export interface DbScenarioListed extends DbScenario {
  project_code: string;
  current_version_no: number;
  current_version_id: number;
  current_created_at: string;
  /** The current version's delivery model (from its inputs; null when they have none). */
  current_delivery: string | null;
}

export interface DbScenarioVersion {
  id: number;
  scenario_id: number;
  version_no: number;
  inputs_json: string;
  inputs_hash: string;
  author: string;
  comment: string;
  created_at: string;
  restored_from_id: number | null;
}

/** A version joined with the identity of its scenario. */
export interface DbScenarioVersionFull extends DbScenarioVersion {
  project_code: string;
  scenario_name: string;
}

export interface DbPortfolio {
  id: number;
  name: string;
  description: string;
  created_at: string;
  updated_at: string;
  deleted_at: string | null;
  /** The creating bureau's jurisdiction (migration 0009); null for imported portfolios. */
  jurisdiction: string | null;
}

export interface DbPortfolioMember {
  portfolio_id: number;
  project_id: number;
  scenario_id: number;
  project_code: string;
  scenario_name: string;
}

export interface DbResult {
  id: number;
  inputs_hash: string;
  engine_version: string;
  result_json: string;
  computed_at: string;
}

export interface DbAuditEntry {
  id: number;
  at: string;
  actor: string;
  action: string;
  entity: string;
  entity_id: number | null;
  details: string;
  prev_hash: string;
  hash: string;
  /** Migration 0005: the signed-in user and organisation, null for the system and older entries. */
  actor_user_id: number | null;
  actor_org_id: number | null;
}

/** A portfolio's link to the jurisdiction it is measured against (its figures: migration 0013). */
export interface DbPortfolioFiscal {
  portfolio_id: number;
  jurisdiction: string;
  updated_at: string;
}

/** A jurisdiction's fiscal figures (migration 0013; before it, a copy per portfolio). */
export interface DbJurisdictionFiscal {
  id: number;
  name: string;
  budget_json: string;
  other_obligations_json: string;
  /** Government-fund budget forecast, null when not entered. */
  fund_budget_json: string | null;
  /** New-bond quotas by year, a JSON array. */
  bond_quotas_json: string;
  created_at: string;
  updated_at: string;
}

export interface DbJurisdiction {
  id: number;
  name: string;
  thresholds_json: string;
  created_at: string;
  updated_at: string;
}

// Accounts (issue 10, migration 0003-accounts).

export interface DbOrganisation {
  id: number;
  name: string;
  kind: string;
  jurisdiction: string | null;
  created_at: string;
}

export interface DbUser {
  id: number;
  username: string;
  org_id: number;
  password_hash: string;
  disabled_at: string | null;
  created_at: string;
  password_changed_at: string;
}

export interface DbApiToken {
  id: number;
  user_id: number;
  name: string;
  token_hash: string;
  read_only: number;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
}

export interface DbSession {
  id_hash: string;
  user_id: number;
  created_at: string;
  last_seen_at: string;
  expires_at: string;
  revoked_at: string | null;
}

/** A filing of a version to a jurisdiction's bureau (migration 0006). */
export interface DbFiling {
  id: number;
  scenario_id: number;
  version_id: number;
  project_code: string;
  jurisdiction: string;
  state: string;
  filed_by: number;
  filed_org_id: number;
  filed_at: string;
  data_sharing_declared: number;
  all_funding_declared: number;
  decided_by: number | null;
  decided_at: string | null;
  updated_at: string;
}

/** One transition or comment of a filing. */
export interface DbFilingEvent {
  id: number;
  filing_id: number;
  kind: string;
  from_state: string | null;
  to_state: string;
  version_id: number;
  user_id: number;
  org_id: number;
  at: string;
  comment: string;
}

/** The filer's written justification of a failing checklist rule, for one version. */
export interface DbFilingJustification {
  filing_id: number;
  version_id: number;
  rule_id: string;
  text: string;
  user_id: number;
  at: string;
}

/** A jurisdiction's pre-approval checklist configuration. */
export interface DbFilingChecklist {
  id: number;
  jurisdiction: string;
  data_sharing: number;
  all_caliber: number;
  updated_at: string;
}
