/**
 * Government fiscal analytics (DOMAIN.md §5 and §6): PPP affordability across a portfolio, value
 * for money, special-bond self-balance, and rule sets with a per-scenario compliance checklist.
 * Pure: no I/O, no clock. Storage, pages and the API call these functions.
 */
export * from './thresholds';
export * from './budget';
export * from './section';
export * from './obligations';
export * from './affordability';
export * from './vfm';
export * from './risk-bearing';
export * from './delivery-comparison';
export * from './bonds';
export * from './rules';
export * from './format';
export * from './city-cost';
