import type { Dec } from '../domain/decimal';
import type { SimulationResult } from '../domain/engine/types';
import type { BudgetForecast } from '../domain/fiscal/budget';
import type { BondQuotaYear } from '../domain/fiscal/city-cost';
import type { JurisdictionThresholds } from '../domain/fiscal/thresholds';
import type { Scenario, ScenarioInput, SECTORS } from '../domain/scenario/schema';

/** ISO-8601 UTC timestamp as written by `Date.prototype.toISOString`. */
export type IsoTime = string;

export type Sector = (typeof SECTORS)[number];
export type ProjectCategory = Scenario['project']['category'];
/** A scenario's delivery model (format v2: the scenario's, no longer the project's). */
export type ScenarioDelivery = Scenario['scenario']['delivery'];

/** A project's descriptive fields; they come from the `project` block of its scenario files. */
export interface ProjectFields {
  code: string;
  name: string;
  nameEn: string | null;
  sector: Sector;
  category: ProjectCategory;
  /** `YYYY-MM-DD` */
  approvalDate: string;
  jurisdiction: string | null;
}

export interface Project extends ProjectFields {
  id: number;
  createdAt: IsoTime;
  updatedAt: IsoTime;
  /** Set when the project was (soft) deleted; its scenarios and history are kept. */
  deletedAt: IsoTime | null;
}

/** A funding scenario of a project; its content lives in its versions, the latest being current. */
export interface ScenarioRecord {
  id: number;
  projectId: number;
  projectCode: string;
  name: string;
  createdAt: IsoTime;
  deletedAt: IsoTime | null;
  currentVersionId: number;
  currentVersionNo: number;
  /** When the current version was saved. */
  updatedAt: IsoTime;
  /** The current version's delivery model (format v2: each scenario's own). */
  delivery: ScenarioDelivery | null;
}

/** Who saved a version, when and why; no inputs (cheap to list). */
export interface ScenarioVersionMeta {
  id: number;
  scenarioId: number;
  projectCode: string;
  scenarioName: string;
  /** 1, 2, 3 ... within the scenario. */
  versionNo: number;
  /** SHA-256 of `inputsJson`. */
  inputsHash: string;
  author: string;
  comment: string;
  createdAt: IsoTime;
  /** The version whose inputs this one restored, if it was made by a restore. */
  restoredFromId: number | null;
}

/** An immutable saved version of a scenario. */
export interface ScenarioVersion extends ScenarioVersionMeta {
  /** The inputs exactly as entered, in canonical JSON (sorted keys, no whitespace). */
  inputsJson: string;
  /** `inputsJson` parsed; it was valid when saved (defaults are not filled in). */
  inputs: ScenarioInput;
}

export interface PortfolioMemberRef {
  projectCode: string;
  scenarioName: string;
}

export interface Portfolio {
  id: number;
  name: string;
  description: string;
  createdAt: IsoTime;
  updatedAt: IsoTime;
  deletedAt: IsoTime | null;
  /** Ordered by project code. */
  members: Array<PortfolioMemberRef & { projectId: number; scenarioId: number }>;
}

/** A JSON round trip of T: Decimals become their decimal strings. */
export type Jsonified<T> = T extends Dec
  ? string
  : T extends readonly (infer U)[]
    ? Jsonified<U>[]
    : T extends object
      ? { [K in keyof T]: Jsonified<T[K]> }
      : T;

/** A SimulationResult as stored in the results cache: plain JSON with decimal strings. */
export type StoredResult = Jsonified<SimulationResult>;

/** One member of a loaded portfolio: the project, its selected scenario's current version and result. */
export interface PortfolioMemberView {
  project: Project;
  scenario: { id: number; name: string; deletedAt: IsoTime | null };
  version: ScenarioVersion;
  /** Null when the result is not cached and could not be computed (see `resultError`). */
  result: StoredResult | null;
  /** Why the result is missing: `engine-unavailable`, or the engine's error for these inputs. */
  resultError: { code: string; message: string } | null;
}

export interface PortfolioView {
  portfolio: Omit<Portfolio, 'members'>;
  engineVersion: string;
  members: PortfolioMemberView[];
}

export const AUDIT_ACTIONS = [
  'create',
  'update',
  'delete',
  'restore',
  'import',
  'update-fiscal-settings',
  'clear-fiscal-settings',
  'update-thresholds',
  // Accounts (issue 10).
  'disable',
  'reset-password',
  'revoke',
  // Filings (issue 10): the workflow's transitions and events, the pre-approval checklist.
  'submit',
  'take-under-review',
  'return',
  'resubmit',
  'approve',
  'withdraw',
  'comment',
  'justify',
  'update-pre-approval',
  // A migration's data step (migration 0013 moved the fiscal figures to their jurisdiction).
  'migrate',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];
export const AUDIT_ENTITIES = [
  'project',
  'scenario',
  'scenario-version',
  'portfolio',
  'portfolio-fiscal',
  'jurisdiction',
  'database',
  // Accounts (issue 10).
  'organisation',
  'user',
  'api-token',
  // Filings (issue 10).
  'filing',
  'filing-checklist',
  // Recorded Monte Carlo runs (issue 11).
  'risk-run',
  // Recorded portfolio risk runs (issue 11).
  'portfolio-risk-run',
  // Recorded actuals of a project year (issue 12, monitoring).
  'project-actuals',
  // The evaluation index system (issue 12): a jurisdiction's system version, a project's entered value.
  'evaluation-system',
  'evaluation-data',
  // A jurisdiction's fiscal figures: budgets, other obligations, bond quotas (migration 0013).
  'jurisdiction-fiscal',
] as const;
export type AuditEntity = (typeof AUDIT_ENTITIES)[number];

export interface AuditEntry {
  id: number;
  at: IsoTime;
  actor: string;
  action: AuditAction;
  entity: AuditEntity;
  /** Null only for entity `database`. */
  entityId: number | null;
  details: Record<string, unknown>;
  prevHash: string;
  hash: string;
  /** The signed-in user and organisation who acted; null for the system and entries before 0005. */
  actorUserId: number | null;
  actorOrgId: number | null;
}

export interface AuditProblem {
  /** The audit entry at fault (or that records the changed row); null when a row has no entry at all. */
  entryId: number | null;
  code: string;
  message: string;
}

export interface AuditReport {
  ok: boolean;
  entries: number;
  /** Hash of the last entry (the genesis hash for an empty log): note it down to detect truncation later. */
  headHash: string;
  headId: number | null;
  /**
   * The first entry at fault: the lowest one where the chain breaks, else the lowest entry whose
   * recorded state the database no longer matches; null when no entry can be named.
   */
  firstBrokenEntryId: number | null;
  /** Chain problems first, then by entry id. */
  problems: AuditProblem[];
}

/** The engine as the store needs it; `version` keys the results cache. */
export interface EngineAdapter {
  simulate(scenario: Scenario): SimulationResult;
  version: string;
}

/** One year of a jurisdiction's PPP obligations outside the portfolio, already in force. */
export interface OtherObligationYear {
  year: number;
  /** Yuan, decimal string with at most 2 decimals. */
  amountYuan: string;
}

/** A jurisdiction's fiscal figures (table `jurisdiction_fiscal`), shared by its portfolios. */
export interface JurisdictionFiscal extends Omit<PortfolioFiscalSettings, 'portfolioId'> {
  id: number;
  createdAt: IsoTime;
}

/**
 * What a portfolio's affordability is measured against: its link to a jurisdiction (table
 * `portfolio_fiscal`) and that jurisdiction's figures (`jurisdiction_fiscal`).
 */
export interface PortfolioFiscalSettings {
  portfolioId: number;
  /** Jurisdiction whose figures and thresholds apply (see `FiscalRepo.thresholdsFor`). */
  jurisdiction: string;
  /** General public budget expenditure forecast, as validated by `budgetForecastSchema`. */
  budget: BudgetForecast;
  /** The jurisdiction's other PPP obligations already in force, ascending by year; [] when none. */
  otherObligations: OtherObligationYear[];
  /** Government-fund budget expenditure forecast (services special bonds); null when not entered. */
  fundBudget: BudgetForecast | null;
  /** New-bond quotas by year, ascending; [] when none. */
  bondQuotas: BondQuotaYear[];
  /** The later of the link's and the figures' last change. */
  updatedAt: IsoTime;
}

/** A jurisdiction's stored thresholds (table `jurisdictions`), every default filled in. */
export interface JurisdictionRecord {
  id: number;
  name: string;
  thresholds: JurisdictionThresholds;
  createdAt: IsoTime;
  updatedAt: IsoTime;
}
