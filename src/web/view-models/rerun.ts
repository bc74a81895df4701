import type { RerunOutcome } from '../../app/rerun';
import type { Store } from '../../store/store';
import type { Translate } from '../i18n';

/** How many differences the page lists (the API gives them all). */
export const SHOWN_DIFFERENCES = 50;

export interface RerunView {
  scenario: { id: number; name: string };
  version: { id: number; no: number };
  status: RerunOutcome['status'];
  /** The one-line outcome, translated. */
  summary: string;
  /** Set when the stored result came from another engine version. */
  engineNote: string | null;
  tampered: { storedHash: string; actualHash: string } | null;
  /** The first SHOWN_DIFFERENCES differences; `intro` says how many of how many. */
  differences: Array<{ path: string; stored: string; now: string }>;
  intro: string | null;
}

/** The re-run page (or the tampered notice on the results page) for a re-run outcome. */
export function buildRerun(store: Store, outcome: RerunOutcome, t: Translate): RerunView {
  const version = store.scenarios.version(outcome.versionId);
  const base = {
    scenario: { id: version.scenarioId, name: version.scenarioName },
    version: { id: version.id, no: version.versionNo },
    status: outcome.status,
    engineNote: null,
    tampered: null,
    differences: [],
    intro: null,
  };
  switch (outcome.status) {
    case 'tampered':
      return {
        ...base,
        summary: t('rerun.tampered'),
        tampered: { storedHash: outcome.storedHash, actualHash: outcome.actualHash },
      };
    case 'no-stored-result':
      return { ...base, summary: t('rerun.noStored', { engine: outcome.engineVersion }) };
    default: {
      const counts = { m: String(outcome.reproduced), n: String(outcome.figures) };
      const shown = outcome.differences.slice(0, SHOWN_DIFFERENCES);
      const missing = t('rerun.missing');
      return {
        ...base,
        summary:
          outcome.status === 'reproduced'
            ? t('rerun.reproduced', { ...counts, engine: outcome.engineVersion })
            : t('rerun.differs', {
                ...counts,
                d: String(outcome.differences.length),
                stored: outcome.storedEngineVersion,
                engine: outcome.engineVersion,
              }),
        engineNote:
          outcome.storedEngineVersion === outcome.engineVersion
            ? null
            : t('rerun.olderEngine', {
                stored: outcome.storedEngineVersion,
                engine: outcome.engineVersion,
              }),
        differences: shown.map((d) => ({
          path: d.path,
          stored: d.stored ?? missing,
          now: d.now ?? missing,
        })),
        intro:
          shown.length === 0
            ? null
            : t('rerun.firstOf', {
                shown: String(shown.length),
                total: String(outcome.differences.length),
              }),
      };
    }
  }
}
