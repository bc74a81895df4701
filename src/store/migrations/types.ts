import type { Db } from '../open';

/** One forward-only schema change. `id` is the number in the file name (0001-initial.ts → 1). */
export interface Migration {
  id: number;
  name: string;
  /** SQL run in one transaction together with the schema_migrations record. */
  sql: string;
  /**
   * A data step run after `sql`, in the same transaction: for changes that move rows and must
   * record the move in the audit chain (which SQL alone cannot extend). `at` is the migration's
   * time as ISO text.
   */
  run?: (db: Db, at: string) => void;
}
