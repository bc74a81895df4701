/**
 * FundMix persistence: SQLite through better-sqlite3. Open a database, migrate it, build the
 * store, seed the demo on first start:
 *
 *   const db = openDatabase(path); migrate(db);
 *   const store = createStore(db, { clock: () => new Date(), engine: { simulate, version: ENGINE_VERSION } });
 *   seedDemoIfEmpty(store, 'data/demo');
 */
export { openDatabase, type Db, type OpenOptions } from './open';
export {
  migrate,
  migrationStatus,
  assertCurrentSchema,
  FUNDMIX_APPLICATION_ID,
  type MigrationStatus,
} from './migrate';
export { MIGRATIONS, type Migration } from './migrations';
export { createStore, type Store, type StoreOptions } from './store';
export type { ActingUser } from './context';
export { canonicalJson, sha256Hex } from './canonical-json';
export { diffJson, type JsonChange } from './json-diff';
export { verifyAudit, VERIFY_PROGRESS_EVERY, type VerifyOptions } from './repos/audit';
export type { AuditRepo, AuditFilter, AuditListEntry, AuditPageRequest } from './repos/audit';
export type { ProjectRepo } from './repos/projects';
export type { ScenarioRepo, SaveMeta, SaveResult } from './repos/scenarios';
export type { PortfolioRepo, PortfolioInput } from './repos/portfolios';
export type { ResultRepo } from './repos/results';
export {
  fiscalSettingsSchema,
  otherObligationsSchema,
  type FiscalRepo,
  type FiscalSettingsInput,
} from './repos/fiscal';
export {
  importFiles,
  exportFiles,
  HISTORY_FORMAT,
  PORTFOLIOS_FORMAT,
  type TransferFile,
  type ImportOptions,
  type ImportReport,
  type ImportedFile,
  type ExportOptions,
} from './transfer';
export {
  seedDemoIfEmpty,
  readDemoAccounts,
  DEMO_ACTOR,
  type DemoAccounts,
  type SeedResult,
} from './seed';
export { reviveResult } from './result-revive';
export {
  portfolioFiscalReport,
  scenarioChecklist,
  portfolioCityCost,
  type PortfolioCityCost,
  portfolioRiskInputs,
  type PortfolioRiskInputs,
  type FiscalReportOptions,
  type PortfolioFiscalReport,
  type FiscalMemberReport,
  type FiscalFailure,
  type FiscalSwitch,
  type FiscalAffordability,
  type FiscalAffordabilityYear,
  type FiscalPortfolioBonds,
  type FiscalVfm,
  type FiscalBondSelfBalance,
  type ScenarioChecklistReport,
} from './fiscal-report';
export {
  backupDatabase,
  restoreDatabase,
  inspectDatabase,
  AuditBrokenError,
  UnusableBackupError,
  type BackupReport,
  type RestoreReport,
  type InspectReport,
} from './backup';
export {
  UnknownMigrationError,
  PendingMigrationError,
  ConflictError,
  NotADatabaseError,
} from './errors';
export { fileKind } from './file-kind';
export {
  StorageUnavailableError,
  DatabaseDamagedError,
  storageFailureKind,
  type StorageState,
  type StorageMode,
  type StorageEvent,
} from './storage';
export type { ChangeScope } from './change-scopes';
export { pageProblems } from './integrity';
export * from './types';
