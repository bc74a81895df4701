import type { Statement } from 'better-sqlite3';
import type { Store } from '../../store/store';

const newestEntry = new WeakMap<Store, Statement>();

/**
 * A number that changes whenever stored data changes: the id of the newest audit entry (every
 * write to projects, scenarios, versions and portfolios is audited, also by other processes
 * such as the CLI). Cached pages are keyed by it, so a write makes every cached page stale.
 *
 * Asked on every page request, so it must cost next to nothing: `store.audit.list({ limit: 1 })`
 * prepares a statement and parses the entry's details each time (~40 µs). Until the store offers
 * such a counter, this reads the audit log's largest id through one statement prepared once
 * per store (read-only, no parameters; under 1 µs).
 */
export function dataGeneration(store: Store): number {
  let statement = newestEntry.get(store);
  if (!statement) {
    statement = store.db.prepare('SELECT COALESCE(MAX(id), 0) FROM audit_log').pluck();
    newestEntry.set(store, statement);
  }
  return statement.get() as number;
}
