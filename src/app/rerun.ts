import { ENGINE_VERSION } from '../domain/engine/types';
import { simulate } from '../domain/engine/simulate';
import { parseScenario } from '../domain/scenario/parse';
import { sha256Hex, type Store } from '../store';

/** One figure whose stored value differs from the value computed now. */
export interface FigureDifference {
  /** Where in the result, e.g. `ledger[3].revenue` or `metrics.projectIrr`. */
  path: string;
  /** The stored value as JSON text (Decimal strings quoted), or null when missing there. */
  stored: string | null;
  /** The value computed now as JSON text, or null when missing now. */
  now: string | null;
}

/** The stored inputs no longer hash to the stored `inputsHash`: nothing is re-run or shown. */
export interface RerunTampered {
  status: 'tampered';
  versionId: number;
  storedHash: string;
  actualHash: string;
}

/** The inputs are intact but no result was ever stored for them: nothing to compare with. */
export interface RerunNoStoredResult {
  status: 'no-stored-result';
  versionId: number;
  engineVersion: string;
}

/** The re-computation compared figure by figure with the stored result. */
export interface RerunCompared {
  status: 'reproduced' | 'differs';
  versionId: number;
  /** Leaf figures in the stored result (every number, string, boolean or null in its JSON). */
  figures: number;
  /** Of those, how many the re-computation gives exactly (same JSON text). */
  reproduced: number;
  /** Every difference, in the order met walking the stored result, then figures new now. */
  differences: FigureDifference[];
  /** Engine version the stored result was computed with. */
  storedEngineVersion: string;
  /** Engine version of this re-computation. */
  engineVersion: string;
}

export type RerunOutcome = RerunTampered | RerunNoStoredResult | RerunCompared;

/** Result fields that describe the computation rather than being figures of it. */
const NOT_FIGURES = new Set(['engineVersion']);

/**
 * Re-runs a stored version for an auditor: checks its stored inputs against their stored hash
 * (canonical JSON, SHA-256, as the store computes it); when they match, simulates the inputs
 * now (never through the results cache) and compares every leaf of the stored result (ledger
 * lines per year, sources and uses, metrics, flags) with the new one, exactly (Decimal strings
 * as text). A stored result from another engine version is compared all the same; the outcome
 * names both versions.
 *
 * Authorisation (wired later): the access matrix action is `result.rerun` on the version's project.
 * @throws NotFoundError for an unknown version
 * @throws DomainError when the intact inputs no longer simulate (e.g. a rule tightened since)
 */
export function rerunVersion(store: Store, versionId: number): RerunOutcome {
  const tampered = inputsTampered(store, versionId);
  if (tampered) return tampered;
  const version = store.scenarios.version(versionId);
  const stored = store.results.storedAny(version.inputsHash);
  if (!stored) return { status: 'no-stored-result', versionId, engineVersion: ENGINE_VERSION };
  const now = JSON.parse(
    JSON.stringify(simulate(parseScenario(JSON.parse(version.inputsJson)))),
  ) as unknown;
  const differences: FigureDifference[] = [];
  const figures = compareTrees(stored.result, now, '', differences, true);
  const missingNow = differences.filter((d) => d.stored !== null).length;
  const reproduced = figures - missingNow;
  return {
    status: differences.length === 0 ? 'reproduced' : 'differs',
    versionId,
    figures,
    reproduced,
    differences,
    storedEngineVersion: stored.engineVersion,
    engineVersion: ENGINE_VERSION,
  };
}

/**
 * Whether a version's stored inputs no longer hash to its stored `inputsHash` (changed behind
 * the store's back): the results page then shows this instead of serving cached figures.
 * Authorisation (wired later): `project.read` (it guards reading the version's results).
 * @throws NotFoundError for an unknown version
 */
export function inputsTampered(store: Store, versionId: number): RerunTampered | null {
  const version = store.scenarios.version(versionId);
  const actualHash = sha256Hex(version.inputsJson);
  return actualHash === version.inputsHash
    ? null
    : { status: 'tampered', versionId, storedHash: version.inputsHash, actualHash };
}

/**
 * `inputsTampered` for the pages, which ask on every request: a version found intact is not
 * hashed again until the database file changes (`PRAGMA data_version` moves when another
 * connection commits, `total_changes()` when this one writes). Stored inputs never change through
 * FundMix (versions are immutable, a trigger refuses updates), so a change behind its back is
 * always a write one of these two counters sees.
 */
export class TamperCheck {
  private readonly intact = new Set<number>();
  private epoch = '';

  constructor(private readonly store: Store) {}

  /** @throws NotFoundError for an unknown version */
  check(versionId: number): RerunTampered | null {
    const db = this.store.db;
    const epoch = `${String(db.pragma('data_version', { simple: true }))}:${String(
      db.prepare('SELECT total_changes()').pluck().get(),
    )}`;
    if (epoch !== this.epoch) {
      this.intact.clear();
      this.epoch = epoch;
    }
    if (this.intact.has(versionId)) return null;
    const tampered = inputsTampered(this.store, versionId);
    if (tampered === null) this.intact.add(versionId);
    return tampered;
  }
}

const isTree = (v: unknown): v is Record<string, unknown> | unknown[] =>
  typeof v === 'object' && v !== null;

const at = (path: string, key: string | number) =>
  typeof key === 'number' ? `${path}[${key}]` : path === '' ? key : `${path}.${key}`;

const text = (v: unknown): string | null => (v === undefined ? null : JSON.stringify(v));

/**
 * Walks the stored tree; records differences; returns how many stored leaves it met. A stored
 * subtree missing now gives one difference per leaf; a subtree new now, one per new leaf.
 */
function compareTrees(
  stored: unknown,
  now: unknown,
  path: string,
  out: FigureDifference[],
  top = false,
): number {
  if (!isTree(stored)) {
    if (isTree(now)) {
      out.push({ path, stored: text(stored), now: text(now) });
    } else if (text(stored) !== text(now)) {
      out.push({ path, stored: text(stored), now: text(now) });
    }
    return 1;
  }
  let figures = 0;
  const nowTree = isTree(now) && Array.isArray(now) === Array.isArray(stored) ? now : null;
  const keys = Array.isArray(stored)
    ? stored.map((_, i) => i)
    : Object.keys(stored).filter((k) => !(top && NOT_FIGURES.has(k)));
  for (const key of keys) {
    const child = (stored as Record<string | number, unknown>)[key];
    const nowChild = nowTree ? (nowTree as Record<string | number, unknown>)[key] : undefined;
    figures += compareTrees(child, nowChild, at(path, key), out);
  }
  if (nowTree) {
    const extra = Array.isArray(nowTree)
      ? nowTree.map((_, i) => i).filter((i) => i >= (stored as unknown[]).length)
      : Object.keys(nowTree).filter((k) => !(k in stored) && !(top && NOT_FIGURES.has(k)));
    for (const key of extra)
      addNew((nowTree as Record<string | number, unknown>)[key], at(path, key), out);
  }
  return figures;
}

/** Records every leaf of a subtree that exists only now. */
function addNew(now: unknown, path: string, out: FigureDifference[]): void {
  if (!isTree(now)) {
    out.push({ path, stored: null, now: text(now) });
    return;
  }
  for (const [k, v] of Object.entries(now))
    addNew(v, at(path, Array.isArray(now) ? Number(k) : k), out);
}
