import type { Actor } from '../domain/access';
import { ValidationError } from '../domain/errors';
import type { FiscalSettingsInput, Store } from '../store';
import type { PortfolioFiscalSettings } from '../store/types';
import { asActor } from './actors';
import { authorise } from './errors';
import { portfolioResource } from './resources';
import { visiblePortfolios } from './visibility';

/**
 * A portfolio's fiscal settings (README "Fiscal settings", *One jurisdiction, one set of
 * figures*). The settings are stored per portfolio; a jurisdiction's budget forecast, fund budget,
 * other obligations and bond quotas are the same whichever of its portfolios is looked at, so a
 * save can apply to every live portfolio whose settings name the jurisdiction.
 */

/** Stored settings as the settings schema takes them (what a copy writes, what siblings compare). */
export function storedSettingsInput(s: PortfolioFiscalSettings): FiscalSettingsInput {
  return {
    jurisdiction: s.jurisdiction,
    budget: s.budget,
    otherObligations: s.otherObligations,
    fundBudget: s.fundBudget,
    bondQuotas: s.bondQuotas,
  };
}

/** Where a save applies: the one portfolio, or every live portfolio of the jurisdiction typed. */
export type SettingsScope = 'portfolio' | 'jurisdiction';

/** Reads the API's `apply` query (absent: the portfolio). @throws ValidationError at `apply` */
export function settingsScope(value: unknown): SettingsScope {
  if (value === undefined || value === '' || value === 'portfolio') return 'portfolio';
  if (value === 'jurisdiction') return 'jurisdiction';
  throw new ValidationError(
    [{ path: 'apply', message: 'apply must be "portfolio" or "jurisdiction"' }],
    'The request is not valid',
  );
}

export interface SettingsSaved {
  settings: PortfolioFiscalSettings;
  changed: boolean;
  /** With scope `jurisdiction`: the other portfolios written (each `changed` or not). */
  applied: Array<{ portfolioId: number; name: string; changed: boolean }>;
}

/**
 * Sets portfolio `id`'s fiscal settings (validated by the store) and, with scope `jurisdiction`,
 * the same settings on every other live portfolio whose settings name the jurisdiction typed,
 * each audited `update-fiscal-settings` with the comment (and, on the others, the portfolio it was
 * applied from). All or nothing, in one transaction: `budget.write` on every portfolio written,
 * checked before its write (a refusal on any rolls all back).
 * @throws NotFoundError, ForbiddenError, ValidationError, ConflictError `portfolio-deleted`
 */
export function saveFiscalSettings(
  store: Store,
  actor: Actor,
  id: number,
  body: unknown,
  opts: { comment?: string; scope?: SettingsScope } = {},
): SettingsSaved {
  const write = (portfolioId: number, comment: string | undefined) => {
    authorise(actor, 'budget.write', portfolioResource(store, portfolioId), {
      what: 'Portfolio',
      id: portfolioId,
    });
    return store.fiscal.setSettings(portfolioId, body, actor.username, { comment });
  };
  return asActor(store, actor, () =>
    store.transaction(() => {
      const own = write(id, opts.comment);
      const applied: SettingsSaved['applied'] = [];
      if (opts.scope === 'jurisdiction') {
        const note = `Applied from portfolio ${id} to every portfolio of ${own.settings.jurisdiction}`;
        const comment = opts.comment ? `${opts.comment} (${note})` : note;
        for (const p of store.fiscal.portfoliosOf(own.settings.jurisdiction)) {
          if (p.id === id) continue;
          applied.push({ portfolioId: p.id, name: p.name, changed: write(p.id, comment).changed });
        }
      }
      return { ...own, applied };
    }),
  );
}

/**
 * The other live portfolios of the settings' jurisdiction that the actor may read, and whether
 * their figures differ.
 */
export function siblingPortfolios(
  store: Store,
  actor: Actor,
  settings: PortfolioFiscalSettings,
): Array<{ id: number; name: string; same: boolean }> {
  // Everything but the jurisdiction, which the siblings share by construction.
  const figures = (s: PortfolioFiscalSettings | null) => {
    if (s === null) return null;
    const { jurisdiction: _same, ...rest } = storedSettingsInput(s);
    return JSON.stringify(rest);
  };
  const own = figures(settings);
  const others = store.fiscal
    .portfoliosOf(settings.jurisdiction)
    .filter((p) => p.id !== settings.portfolioId);
  return visiblePortfolios(store, actor, others).map((p) => ({
    ...p,
    same: figures(store.fiscal.getSettings(p.id)) === own,
  }));
}
