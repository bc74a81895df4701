/** One forward-only schema change. `id` is the number in the file name (0001-initial.ts → 1). */
export interface Migration {
  id: number;
  name: string;
  /** SQL run in one transaction together with the schema_migrations record. */
  sql: string;
}
