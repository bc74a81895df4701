import fs from 'node:fs';
import path from 'node:path';
import { importFiles, type ImportReport, type TransferFile } from './transfer';
import type { Store } from './store';

export interface SeedResult {
  seeded: boolean;
  /** Why nothing was seeded: the database was used before, or the directory holds no scenarios. */
  reason?: 'not-empty' | 'no-demo-data';
  report?: ImportReport;
}

/** The actor recorded for the demo data. */
export const DEMO_ACTOR = 'fundmix-demo';

/**
 * Seeds the demo programme into a database that has never been written to (no audit entries):
 * every `DIR/scenarios/*.json` scenario file and, when present, `DIR/portfolios.json`
 * (format `fundmix-portfolios@1`), in one transaction. A database whose data was all deleted is
 * not seeded again. Safe to call at every start-up, also from two processes at once.
 * @param dir a directory such as `data/demo`
 * @throws ValidationError when a demo file is invalid (nothing is written)
 */
export function seedDemoIfEmpty(store: Store, dir: string): SeedResult {
  if (!store.isPristine()) return { seeded: false, reason: 'not-empty' };
  const scenarioDir = path.join(dir, 'scenarios');
  const names = fs.existsSync(scenarioDir)
    ? fs
        .readdirSync(scenarioDir)
        .filter((f) => f.endsWith('.json'))
        .sort()
    : [];
  if (names.length === 0) return { seeded: false, reason: 'no-demo-data' };
  const files: TransferFile[] = names.map((n) => ({
    name: `scenarios/${n}`,
    text: fs.readFileSync(path.join(scenarioDir, n), 'utf8'),
  }));
  const portfolios = path.join(dir, 'portfolios.json');
  if (fs.existsSync(portfolios))
    files.push({ name: 'portfolios.json', text: fs.readFileSync(portfolios, 'utf8') });
  return store.transaction(() => {
    // Checked again under the write lock: another process may have seeded meanwhile.
    if (!store.isPristine()) return { seeded: false, reason: 'not-empty' as const };
    const report = importFiles(store, files, {
      actor: DEMO_ACTOR,
      comment: 'Demo data',
      via: 'demo-seed',
    });
    return { seeded: true, report };
  });
}
