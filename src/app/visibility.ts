import { decide, type Actor } from '../domain/access';
import { NotFoundError } from '../domain/errors';
import type { Store } from '../store';
import { portfolioResource, projectResource, scenarioResource } from './resources';

/**
 * What lists show a signed-in user: only what the authorisation matrix lets them read. Every
 * list (projects, portfolios, the dashboard's and the fiscal pages' choices, the API's lists)
 * filters through here, so a list never names what opening it would answer 404 for.
 */
export function mayReadProject(store: Store, actor: Actor, code: string): boolean {
  return decide(actor, 'project.read', projectResource(store, code)) === 'allow';
}

/** Whether the actor may read a scenario (a bureau: one filed to it, not the others). */
export function mayReadScenario(store: Store, actor: Actor, scenarioId: number): boolean {
  return decide(actor, 'project.read', scenarioResource(store, scenarioId)) === 'allow';
}

export function mayReadPortfolio(store: Store, actor: Actor, id: number): boolean {
  return decide(actor, 'portfolio.read', portfolioResource(store, id)) === 'allow';
}

/** The projects (anything with a project `code`) the actor may read, in their order. */
export function visibleProjects<T extends { code: string }>(
  store: Store,
  actor: Actor,
  list: readonly T[],
): T[] {
  return list.filter((p) => mayReadProject(store, actor, p.code));
}

/** The portfolios (anything with an `id`) the actor may read, in their order. */
export function visiblePortfolios<T extends { id: number }>(
  store: Store,
  actor: Actor,
  list: readonly T[],
): T[] {
  return list.filter((p) => mayReadPortfolio(store, actor, p.id));
}

/**
 * The store as `actor` may read it: the project, scenario and portfolio repositories list only
 * what the actor may read and answer NotFoundError for anything else, exactly as for what does
 * not exist. Everything else (writes, results, fiscal settings, audit) is the store's own:
 * routes guard those with `can` first. Pages and API answers are built from this view, so a
 * page cannot show another organisation's work by accident.
 */
export function storeAsSeenBy(store: Store, actor: Actor): Store {
  const project = (code: string) => {
    if (!mayReadProject(store, actor, code)) throw new NotFoundError('Project', code);
  };
  const portfolio = (id: number) => {
    if (!mayReadPortfolio(store, actor, id)) throw new NotFoundError('Portfolio', id);
  };
  const { projects, scenarios, portfolios } = store;
  const scenarioById = (id: number) => {
    const s = scenarios.getById(id);
    if (!mayReadScenario(store, actor, id)) throw new NotFoundError('Scenario', id);
    return s;
  };
  const versionOf = <T extends { scenarioId: number }>(v: T, id: number): T => {
    if (!mayReadScenario(store, actor, v.scenarioId))
      throw new NotFoundError('Scenario version', id);
    return v;
  };
  return {
    ...store,
    projects: {
      ...projects,
      list: (opts) => visibleProjects(store, actor, projects.list(opts)),
      find: (code) => {
        const p = projects.find(code);
        return p && mayReadProject(store, actor, p.code) ? p : null;
      },
      get: (code) => {
        const p = projects.get(code);
        project(p.code);
        return p;
      },
      getById: (id) => {
        const p = projects.getById(id);
        project(p.code);
        return p;
      },
    },
    scenarios: {
      ...scenarios,
      list: (opts) => scenarios.list(opts).filter((s) => mayReadScenario(store, actor, s.id)),
      get: (code, name) => {
        project(code);
        const s = scenarios.get(code, name);
        if (!mayReadScenario(store, actor, s.id)) throw new NotFoundError('Scenario', name);
        return s;
      },
      getById: scenarioById,
      versions: (id) => {
        scenarioById(id);
        return scenarios.versions(id);
      },
      version: (id) => versionOf(scenarios.version(id), id),
      current: (id) => {
        scenarioById(id);
        return scenarios.current(id);
      },
    },
    portfolios: {
      ...portfolios,
      list: (opts) => visiblePortfolios(store, actor, portfolios.list(opts)),
      get: (id) => {
        portfolio(id);
        return portfolios.get(id);
      },
      getByName: (name) => {
        const p = portfolios.getByName(name);
        portfolio(p.id);
        return p;
      },
      findByName: (name) => {
        const p = portfolios.findByName(name);
        return p && mayReadPortfolio(store, actor, p.id) ? p : null;
      },
      load: (id, opts) => {
        portfolio(id);
        return portfolios.load(id, opts);
      },
    },
  };
}
