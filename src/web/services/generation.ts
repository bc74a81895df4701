import type { Store } from '../../store/store';

/**
 * A number that changes whenever stored data changes: the id of the newest audit entry (every
 * write to projects, scenarios, versions and portfolios is audited, also by other processes
 * such as the CLI). Cached pages are keyed by it, so a write makes every cached page stale.
 */
export function dataGeneration(store: Store): number {
  return store.audit.list({ limit: 1 })[0]?.id ?? 0;
}
