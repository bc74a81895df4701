import type { Migration } from './types';

/**
 * A portfolio's own jurisdiction (issue 12, README "Portfolios"): the jurisdiction of the bureau
 * that created it in the UI or API. Before, a portfolio was held only by its fiscal settings'
 * jurisdiction or the one its members share, so a new empty portfolio (or one mixing
 * jurisdictions) was held by nobody and its creator could not see it. Null for portfolios made
 * before (by import or seed): they keep being held as before.
 */
export const migration: Migration = {
  id: 9,
  name: 'portfolio-jurisdiction',
  sql: `
ALTER TABLE portfolios ADD COLUMN jurisdiction TEXT
  CHECK (jurisdiction IS NULL OR (length(jurisdiction) BETWEEN 1 AND 200 AND jurisdiction = trim(jurisdiction)));
`,
};
