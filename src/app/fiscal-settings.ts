import type { Actor } from '../domain/access';
import { NotFoundError, ValidationError } from '../domain/errors';
import type { FiscalSettingsInput, Store } from '../store';
import type { JurisdictionFiscal, PortfolioFiscalSettings } from '../store/types';
import { asActor } from './actors';
import { authorise } from './errors';
import { jurisdictionResource, portfolioResource } from './resources';
import { visiblePortfolios } from './visibility';

/**
 * A portfolio's fiscal settings (README "Fiscal settings", *One jurisdiction, one set of
 * figures*): the portfolio's link to a jurisdiction, and that jurisdiction's budget forecast,
 * fund budget, other obligations and bond quotas, which every portfolio linked to it shares.
 */

/** Stored settings as the settings schema takes them (what a copy writes, what a form shows). */
export function storedSettingsInput(
  s: Omit<PortfolioFiscalSettings, 'portfolioId' | 'updatedAt'>,
): FiscalSettingsInput {
  return {
    jurisdiction: s.jurisdiction,
    budget: s.budget,
    otherObligations: s.otherObligations,
    fundBudget: s.fundBudget,
    bondQuotas: s.bondQuotas,
  };
}

/**
 * Reads the API's `apply` query: absent or `jurisdiction` (what every save does now); the
 * former `portfolio` is refused, since the figures are no longer the portfolio's own.
 * @throws ValidationError at `apply`
 */
export function checkApply(value: unknown): void {
  if (value === undefined || value === '' || value === 'jurisdiction') return;
  throw new ValidationError(
    [
      {
        path: 'apply',
        message:
          value === 'portfolio'
            ? "A portfolio's budget figures are its jurisdiction's: a save applies to every portfolio of the jurisdiction (apply=portfolio is no longer possible)"
            : 'apply must be "jurisdiction" or absent',
      },
    ],
    'The request is not valid',
  );
}

export interface SettingsSaved {
  settings: PortfolioFiscalSettings;
  changed: boolean;
  /** The other live portfolios of the jurisdiction, measured against the same figures; `changed` when the figures did. */
  applied: Array<{ portfolioId: number; name: string; changed: boolean }>;
}

/**
 * Sets portfolio `id`'s fiscal settings (validated by the store): links it to the jurisdiction
 * typed and sets that jurisdiction's figures, audited `update-fiscal-settings` with the comment.
 * All or nothing, in one transaction: `budget.write` on the portfolio, and, when the figures
 * change, on the jurisdiction itself and on every other live portfolio of it, whose reports
 * change with them (a refusal on any rolls all back).
 * @throws NotFoundError, ForbiddenError, ValidationError, ConflictError `portfolio-deleted`
 */
export function saveFiscalSettings(
  store: Store,
  actor: Actor,
  id: number,
  body: unknown,
  opts: { comment?: string } = {},
): SettingsSaved {
  return asActor(store, actor, () =>
    store.transaction(() => {
      // The portfolio saved is named to the user (not found when they may not see it).
      authorise(actor, 'budget.write', portfolioResource(store, id), { what: 'Portfolio', id });
      const { figuresChanged, ...own } = store.fiscal.setSettings(id, body, actor.username, {
        comment: opts.comment,
      });
      const { jurisdiction } = own.settings;
      if (figuresChanged) mayChangeFigures(store, actor, jurisdiction, id);
      const applied = store.fiscal
        .portfoliosOf(jurisdiction)
        .filter((p) => p.id !== id)
        .map((p) => ({ portfolioId: p.id, name: p.name, changed: figuresChanged }));
      return { ...own, applied };
    }),
  );
}

/**
 * `budget.write` for a change of a jurisdiction's figures: on the jurisdiction (its bureau's to
 * set, whether or not a live portfolio is linked yet) and on every live portfolio linked to it
 * but `saved` (the one saved from, checked already), whose reports change with them. Those
 * portfolios are not named to the user: a refusal there is a plain refusal.
 * @throws ForbiddenError
 */
function mayChangeFigures(store: Store, actor: Actor, jurisdiction: string, saved?: number): void {
  authorise(actor, 'budget.write', jurisdictionResource(jurisdiction), null);
  for (const p of store.fiscal.portfoliosOf(jurisdiction))
    if (p.id !== saved) authorise(actor, 'budget.write', portfolioResource(store, p.id), null);
}

/**
 * The other live portfolios of a jurisdiction that the actor may read: the ones measured
 * against the same figures as portfolio `portfolioId`.
 */
export function siblingPortfolios(
  store: Store,
  actor: Actor,
  jurisdiction: string,
  portfolioId: number,
): Array<{ id: number; name: string }> {
  const others = store.fiscal.portfoliosOf(jurisdiction).filter((p) => p.id !== portfolioId);
  return visiblePortfolios(store, actor, others);
}

/** A jurisdiction's figures and the live portfolios measured against them that the actor may read. */
export interface JurisdictionFiscalView {
  figures: JurisdictionFiscal;
  portfolios: Array<{ id: number; name: string }>;
}

/**
 * A jurisdiction's fiscal figures (README "Fiscal settings"): any signed-in user may read them,
 * as the jurisdiction's thresholds and evaluation system; the portfolios listed are those the
 * actor may read.
 * @throws NotFoundError when the jurisdiction has no figures
 */
export function jurisdictionFiscal(
  store: Store,
  actor: Actor,
  name: string,
): JurisdictionFiscalView {
  const figures = store.fiscal.getJurisdictionFiscal(name);
  if (figures === null) throw new NotFoundError('Fiscal figures of jurisdiction', name);
  return fiscalView(store, actor, figures);
}

const fiscalView = (store: Store, actor: Actor, figures: JurisdictionFiscal) => ({
  figures,
  portfolios: visiblePortfolios(store, actor, store.fiscal.portfoliosOf(figures.jurisdiction)),
});

/**
 * Sets a jurisdiction's fiscal figures directly (no portfolio needed: a bureau enters its quotas
 * before any programme exists). `budget.write` on the jurisdiction (its bureau's approvers) and,
 * when the figures change, on every live portfolio linked to it; all or nothing.
 * @throws ForbiddenError, ValidationError
 */
export function saveJurisdictionFiscal(
  store: Store,
  actor: Actor,
  name: string,
  body: unknown,
  opts: { comment?: string } = {},
): JurisdictionFiscalView & { changed: boolean } {
  authorise(actor, 'budget.write', jurisdictionResource(name), null);
  return asActor(store, actor, () =>
    store.transaction(() => {
      const { figures, changed } = store.fiscal.setJurisdictionFiscal(
        name,
        body,
        actor.username,
        opts,
      );
      if (changed) mayChangeFigures(store, actor, figures.jurisdiction);
      return { ...fiscalView(store, actor, figures), changed };
    }),
  );
}
