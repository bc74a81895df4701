import type { Migration } from './types';

/**
 * Who acted, as ids (issue 10): each audit entry made by a signed-in user records the user and
 * the organisation they acted for. Entries of the machine's operator (CLI, seeding) and every
 * entry written before this migration keep both null and their recorded `actor` text as it was.
 * When set, both ids are part of the entry's hash (see `auditEntryHash`), so the chain covers
 * them; entries without them hash exactly as before.
 *
 * Projects that migration 0003 left without an owner (no jurisdiction, or none with a bureau)
 * are given to the only bureau when exactly one is registered, as new projects made by the
 * system are (see the projects repository); otherwise they stay unowned, visible to the bureau
 * of their jurisdiction once one is registered.
 */
export const migration: Migration = {
  id: 5,
  name: 'audit-actors',
  sql: `
ALTER TABLE audit_log ADD COLUMN actor_user_id INTEGER REFERENCES users (id);
ALTER TABLE audit_log ADD COLUMN actor_org_id INTEGER REFERENCES organisations (id)
  CHECK ((actor_org_id IS NULL) = (actor_user_id IS NULL));
CREATE INDEX audit_log_by_actor_org ON audit_log (actor_org_id, id);
UPDATE projects SET owner_org_id = (
  SELECT MIN(id) FROM organisations WHERE kind = 'bureau' HAVING COUNT(*) = 1
) WHERE owner_org_id IS NULL;
`,
};
