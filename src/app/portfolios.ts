import { z } from 'zod';
import { decide, type Actor } from '../domain/access';
import { ValidationError, type FieldIssue } from '../domain/errors';
import { toFieldIssues } from '../domain/scenario/parse';
import { multiLineText, singleLineText } from '../domain/text';
import type { ChecklistRow } from '../domain/fiscal/rules';
import { portfolioFiscalReport, scenarioChecklist, type Store } from '../store';
import { ConflictError } from '../store/errors';
import type { Portfolio, PortfolioMemberRef, ScenarioRecord } from '../store/types';
import { asActor } from './actors';
import { authorise } from './errors';
import { storedSettingsInput } from './fiscal-settings';
import { newPortfolioResource, portfolioResource, projectResource } from './resources';
import { visiblePortfolios } from './visibility';

/**
 * Portfolio management (issue 12, README "Portfolios"): create, rename (and describe), copy,
 * archive and restore a portfolio, and replace its members (one scenario per project). Each use
 * case takes `(store, actor, ...)`, authorises first (`portfolio.write`, `portfolio.read` for the
 * source of a copy), validates the whole request, then writes in one transaction, audited with
 * the actor. "Archived" is the portfolio's `deleted_at`: nothing is ever deleted.
 */

const nameField = singleLineText('Portfolio name', {
  min: 1,
  max: 200,
  typeError: 'The portfolio needs a name',
  required: 'The portfolio needs a name',
});
const descriptionField = multiLineText('Portfolio description', { max: 4000 });

/** One member as the API and the form write it: a project code and a scenario id or name. */
const memberSchema = z
  .object({
    project: singleLineText('Project code', {
      min: 1,
      max: 200,
      typeError: 'Give the project code',
      required: 'Give the project code',
    }),
    scenario: z.union([
      z.number({ message: 'Give the scenario id or name' }).int().positive(),
      singleLineText('Scenario', {
        min: 1,
        max: 200,
        typeError: 'Give the scenario id or name',
        required: 'Give the scenario id or name',
      }),
    ]),
  })
  .strict();

export const membersSchema = z.array(memberSchema).max(10000);

export const createPortfolioSchema = z
  .object({ name: nameField, description: descriptionField.default(''), members: membersSchema })
  .partial({ members: true })
  .strict();

export const renamePortfolioSchema = z
  .object({ name: nameField, description: descriptionField })
  .partial()
  .strict();

export const copyPortfolioSchema = z
  .object({ name: nameField, description: descriptionField.optional() })
  .strict();

/** A member as written (`scenario`: id or name). */
export type MemberInput = z.input<typeof memberSchema>;

/** A project a member can be chosen from, with its live scenarios (the form's selects). */
export interface MemberChoice {
  code: string;
  name: string;
  scenarios: Array<{ id: number; name: string }>;
}

function parsed<S extends z.ZodTypeAny>(schema: S, body: unknown): z.output<S> {
  const out = schema.safeParse(body);
  if (out.success) return out.data as z.output<S>;
  throw new ValidationError(toFieldIssues(out.error), 'The portfolio is not valid');
}

const mayRead = (store: Store, actor: Actor, code: string) =>
  decide(actor, 'project.read', projectResource(store, code)) === 'allow';

/**
 * Resolves written members to the store's (project code, scenario name), checking each: the
 * project exists, is not archived and the actor may see it; the scenario is one of that
 * project's (by id or name) and not archived; no project twice. Issues are at `${prefix}[i].project`
 * and `${prefix}[i].scenario`. @throws ValidationError naming every bad member
 */
export function resolveMembers(
  store: Store,
  actor: Actor,
  members: readonly MemberInput[],
  prefix = '',
  keep: ReadonlySet<number> = new Set(),
): PortfolioMemberRef[] {
  const issues: FieldIssue[] = [];
  const seen = new Map<string, number>();
  const out: PortfolioMemberRef[] = [];
  members.forEach((m, i) => {
    const at = (field: string) => `${prefix}[${i}].${field}`;
    const project = store.projects.find(m.project);
    if (!project || project.deletedAt !== null || !mayRead(store, actor, m.project)) {
      const why = project && project.deletedAt !== null ? ' (it is archived)' : '';
      issues.push({ path: at('project'), message: `No project with code ${m.project}${why}` });
      return;
    }
    const first = seen.get(m.project);
    if (first !== undefined) {
      issues.push({
        path: at('project'),
        message: `Project ${m.project} is already a member (${prefix}[${first}]): one scenario per project`,
      });
      return;
    }
    seen.set(m.project, i);
    const all = store.scenarios.list({ projectCode: m.project, includeDeleted: true });
    const scenario = findScenario(all, m.scenario);
    if (!scenario) {
      issues.push({
        path: at('scenario'),
        message: `Project ${m.project} has no scenario ${/^\d+$/.test(String(m.scenario)) ? `with id ${m.scenario}` : `"${m.scenario}"`}`,
      });
    } else if (scenario.deletedAt !== null && !keep.has(scenario.id)) {
      issues.push({
        path: at('scenario'),
        message: `Scenario "${scenario.name}" of project ${m.project} is archived: it cannot be chosen`,
      });
    } else out.push({ projectCode: m.project, scenarioName: scenario.name });
  });
  if (issues.length > 0) throw new ValidationError(issues, 'The portfolio members are not valid');
  return out;
}

/** By id when a number (or a string of digits no scenario is named), else by name. */
function findScenario(all: ScenarioRecord[], ref: number | string): ScenarioRecord | undefined {
  if (typeof ref === 'number') return all.find((s) => s.id === ref);
  return all.find((s) => s.name === ref) ?? all.find((s) => /^\d+$/.test(ref) && s.id === +ref);
}

/** A taken name is a bad `name` field (422), not a conflict. */
function nameTaken<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof ConflictError && err.code === 'portfolio-exists')
      throw new ValidationError([{ path: 'name', message: err.message }], err.message);
    throw err;
  }
}

function authoriseWrite(store: Store, actor: Actor, id: number): void {
  authorise(actor, 'portfolio.write', portfolioResource(store, id), { what: 'Portfolio', id });
}

/** The portfolios the actor may read: live ones, archived ones too with `includeArchived`. */
export function listPortfolios(
  store: Store,
  actor: Actor,
  opts: { includeArchived?: boolean } = {},
): Portfolio[] {
  return visiblePortfolios(
    store,
    actor,
    store.portfolios.list({ includeDeleted: opts.includeArchived ?? false }),
  );
}

/**
 * Creates a portfolio held by the actor's jurisdiction (body `{ name, description?, members? }`).
 * @throws ForbiddenError, ValidationError (`name` taken, `members[i].project`/`.scenario`)
 */
export function createPortfolio(store: Store, actor: Actor, body: unknown): Portfolio {
  authorise(actor, 'portfolio.write', newPortfolioResource(actor), null);
  const input = parsed(createPortfolioSchema, body);
  const members = resolveMembers(store, actor, input.members ?? [], 'members');
  const held = newPortfolioResource(actor).heldByJurisdiction;
  return nameTaken(() =>
    asActor(store, actor, () =>
      store.portfolios.create(
        { name: input.name, description: input.description, members },
        actor.username,
        { jurisdiction: held },
      ),
    ),
  );
}

/** Renames and/or re-describes a live portfolio. @throws NotFoundError, ForbiddenError, ValidationError, ConflictError */
export function renamePortfolio(store: Store, actor: Actor, id: number, body: unknown): Portfolio {
  authoriseWrite(store, actor, id);
  const input = parsed(renamePortfolioSchema, body);
  return nameTaken(() =>
    asActor(store, actor, () => store.portfolios.update(id, input, actor.username)),
  );
}

/**
 * A new portfolio with the source's members (body `{ name, description? }`; the description is
 * the source's when left out), held by the actor's jurisdiction. Members whose scenario is now
 * archived are refused (422 at `members[i].scenario`). @throws NotFoundError, ForbiddenError, ValidationError
 */
export function copyPortfolio(store: Store, actor: Actor, id: number, body: unknown): Portfolio {
  authorise(actor, 'portfolio.read', portfolioResource(store, id), { what: 'Portfolio', id });
  authorise(actor, 'portfolio.write', newPortfolioResource(actor), null);
  const input = parsed(copyPortfolioSchema, body);
  const source = store.portfolios.get(id);
  return createAlternative(store, actor, id, {
    name: input.name,
    description: input.description ?? source.description,
    members: source.members.map((m) => ({ project: m.projectCode, scenario: m.scenarioId })),
  });
}

/**
 * Creates a portfolio (`createPortfolio`) that is an alternative programme of portfolio
 * `sourceId` (a copy, a saved plan): in the same transaction it gets the source's fiscal
 * settings unchanged (jurisdiction, budget, fund budget, other obligations, bond quotas), so that
 * both are checked against the same figures. Audited `update-fiscal-settings` with the comment
 * naming the source. Carrying figures someone with `budget.write` set is part of the copy
 * (`portfolio.write`); changing them afterwards needs `budget.write`.
 * @throws as `createPortfolio`
 */
export function createAlternative(
  store: Store,
  actor: Actor,
  sourceId: number,
  body: z.input<typeof createPortfolioSchema>,
): Portfolio {
  return store.transaction(() => {
    const created = createPortfolio(store, actor, body);
    const settings = store.fiscal.getSettings(sourceId);
    if (settings !== null)
      asActor(store, actor, () =>
        store.fiscal.setSettings(created.id, storedSettingsInput(settings), actor.username, {
          comment: `Copied from portfolio ${sourceId}`,
        }),
      );
    return created;
  });
}

/** Archives a portfolio (hidden from lists, kept). @throws NotFoundError, ForbiddenError, ConflictError `already-deleted` */
export function archivePortfolio(store: Store, actor: Actor, id: number): Portfolio {
  authoriseWrite(store, actor, id);
  return asActor(store, actor, () => store.portfolios.delete(id, actor.username));
}

/** Restores an archived portfolio. @throws NotFoundError, ForbiddenError, ConflictError `not-deleted` */
export function restorePortfolio(store: Store, actor: Actor, id: number): Portfolio {
  authoriseWrite(store, actor, id);
  return asActor(store, actor, () => store.portfolios.restore(id, actor.username));
}

/**
 * Replaces the member list (body `[{ project, scenario }]`) all or nothing (a member whose
 * scenario was archived since may stay, flagged; it cannot be newly chosen): one bad member
 * refuses the whole list (422 naming `[i].scenario` etc.) and nothing is written.
 * @throws NotFoundError, ForbiddenError, ValidationError, ConflictError `portfolio-deleted`
 */
export function replaceMembers(store: Store, actor: Actor, id: number, body: unknown): Portfolio {
  authoriseWrite(store, actor, id);
  if (!Array.isArray(body))
    throw new ValidationError([{ path: '', message: 'The body must be a JSON array of members' }]);
  const list = parsed(membersSchema, body);
  const kept = new Set(store.portfolios.get(id).members.map((m) => m.scenarioId));
  const members = resolveMembers(store, actor, list, '', kept);
  return asActor(store, actor, () => store.portfolios.update(id, { members }, actor.username));
}

/** The projects (live, visible to the actor) with their live scenarios, for member selects. */
export function memberChoices(store: Store, actor: Actor): MemberChoice[] {
  const scenarios = store.scenarios.list();
  return store.projects
    .list()
    .filter((p) => mayRead(store, actor, p.code))
    .map((p) => ({
      code: p.code,
      name: p.name,
      scenarios: scenarios
        .filter((s) => s.projectCode === p.code)
        .map((s) => ({ id: s.id, name: s.name })),
    }));
}

/** Portfolio members whose scenario (or project) is archived: flagged on the portfolio page. */
export function archivedMembers(store: Store, portfolio: Portfolio): PortfolioMemberRef[] {
  const live = new Set(store.scenarios.list().map((s) => s.id));
  return portfolio.members
    .filter((m) => !live.has(m.scenarioId))
    .map(({ projectCode, scenarioName }) => ({ projectCode, scenarioName }));
}

/** A compared scenario's rule checks and its effect on a portfolio's cap (the compare page). */
export interface ScenarioCapEffect {
  scenarioId: number;
  /** Failing rules (titles) and counts, judged with the portfolio's affordability when there is one. */
  failing: Array<{ ruleId: string; title: { zh: string; en: string } }>;
  passCount: number;
  failCount: number;
  /** The first live portfolio the actor reads that has the project and a budget forecast; null if none. */
  portfolio: { id: number; name: string } | null;
  /** Peak PPP ratio (share, full precision) with this scenario swapped in, and as saved. */
  withScenario: { year: number; ratio: string } | null;
  saved: { year: number; ratio: string } | null;
  /** The cap the ratio is measured against (share, e.g. "0.1"). */
  cap: string | null;
}

/**
 * Each compared scenario's checks and its effect on a portfolio's PPP cap: the portfolio's fiscal
 * report with the scenario switched in for its project (`portfolioFiscalReport`'s what-if, which
 * swaps the member and re-runs `assessAffordability`; nothing saved), beside the report as saved.
 * Without such a portfolio, the scenario's own checklist (the cap rules not applicable).
 */
export function scenarioCapEffect(
  store: Store,
  actor: Actor,
  scenarioId: number,
): ScenarioCapEffect {
  const s = store.scenarios.getById(scenarioId);
  const holder = listPortfolios(store, actor).find(
    (p) =>
      p.members.some((m) => m.projectCode === s.projectCode) &&
      store.fiscal.getSettings(p.id) !== null,
  );
  const summarise = (rows: ChecklistRow[]) => ({
    failing: rows
      .filter((r) => r.status === 'fail')
      .map((r) => ({ ruleId: r.ruleId, title: r.title })),
    passCount: rows.filter((r) => r.status === 'pass').length,
    failCount: rows.filter((r) => r.status === 'fail').length,
  });
  if (!holder) {
    const own = scenarioChecklist(store, s.currentVersionId);
    return {
      scenarioId,
      ...summarise(own.rows),
      portfolio: null,
      withScenario: null,
      saved: null,
      cap: null,
    };
  }
  const opts = { bondStress: false };
  const swapped = portfolioFiscalReport(store, holder.id, {
    ...opts,
    switches: { [s.projectCode]: scenarioId },
  });
  const saved = portfolioFiscalReport(store, holder.id, opts);
  const member = swapped.members.find((m) => m.projectCode === s.projectCode);
  const peak = (r: typeof saved) => r.affordability?.peak ?? null;
  return {
    scenarioId,
    ...summarise(member?.checklist ?? []),
    portfolio: { id: holder.id, name: holder.name },
    withScenario: peak(swapped),
    saved: peak(saved),
    cap: swapped.affordability?.cap ?? null,
  };
}
