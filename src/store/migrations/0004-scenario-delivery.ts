import type { Migration } from './types';

/**
 * Scenario format v2 (issue 9): the delivery model (`government`, `ppp`, `concession`) belongs to
 * each scenario (`scenario.delivery` in its inputs), no longer to the project. The column
 * `projects.delivery` held the delivery of whichever scenario was saved last, so saving a PPP
 * scenario silently turned the project's bond scenario into a concession; it is dropped.
 * What lists show per project is derived from its scenarios' current versions.
 *
 * Stored versions are not touched (they are immutable and hash-chained): a v1 version keeps its
 * `project.delivery` inside its inputs, byte for byte, and is read through the upgrade
 * (`upgradeScenarioV1`), which gives the scenario exactly that delivery. Project states recorded
 * in the audit log before this migration still carry `delivery`; `audit verify` leaves that
 * field out when comparing them with the row (src/store/repos/audit.ts).
 */
export const migration: Migration = {
  id: 4,
  name: 'scenario-delivery',
  sql: `
ALTER TABLE projects DROP COLUMN delivery;
`,
};
