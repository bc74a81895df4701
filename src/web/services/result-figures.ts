import type { ScenarioVersion, StoredResult } from '../../store/types';
import type { Lang, Unit } from '../format/number';
import type { Translate } from '../i18n';
import { versionFigures, type VersionFigures } from '../view-models/results';

/**
 * The figures of results pages (ledger, charts, cards, sources and uses), formatted once per
 * version, language and unit and reused: they take most of the time of building a results page
 * (a 40-year ledger is some 2,000 formatted cells), and they cannot go stale, because a
 * version's inputs never change and its result is cached by their hash and the engine version.
 * So unlike pages and fiscal reports they outlive writes: a save of one scenario does not make
 * every other results page format its ledger again. Keyed by version id and inputs hash (a
 * version id reused by another database cannot match), least recently used out first.
 * Figures are shared: callers must not modify them.
 */
export class ResultFigures {
  private readonly entries = new Map<string, VersionFigures>();

  constructor(private readonly maxEntries = 128) {}

  /** The figures of a version, computed from `result()` on a miss. */
  of(
    version: ScenarioVersion,
    result: () => StoredResult,
    lang: Lang,
    unit: Unit,
    t: Translate,
  ): VersionFigures {
    const key = `${version.id}\u0000${version.inputsHash}\u0000${lang}\u0000${unit}`;
    const hit = this.entries.get(key);
    if (hit) {
      this.entries.delete(key);
      this.entries.set(key, hit);
      return hit;
    }
    const figures = versionFigures(version, result(), lang, unit, t);
    this.entries.set(key, figures);
    while (this.entries.size > this.maxEntries)
      this.entries.delete(this.entries.keys().next().value as string);
    return figures;
  }

  get size(): number {
    return this.entries.size;
  }
}
