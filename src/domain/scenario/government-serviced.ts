import type { SourceType } from './schema';

/**
 * Debt the government services from the general public budget (一般债券, README "General bonds"):
 * it funds the construction like any source, but its principal and interest are not the
 * project's: not in CFADS, DSCR, LLCR or the project's debt service. The engine keeps its schedule
 * apart (`result.governmentDebts`, `LedgerYear.governmentDebt`).
 */
export const GOVERNMENT_SERVICED_TYPES: readonly SourceType[] = ['general-bond'];

/** Whether the government, not the project, services a source of this type. */
export const isGovernmentServiced = (type: string): boolean =>
  (GOVERNMENT_SERVICED_TYPES as readonly string[]).includes(type);
