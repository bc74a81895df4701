import type { Role } from './roles';

/**
 * How a role's permission for an action is decided against the resource (see `AccessResource`):
 * - `allow`: always;
 * - `own-org`: the resource belongs to the actor's organisation;
 * - `jurisdiction`: the resource is held by the bureau of one of the actor's jurisdictions;
 * - `filed-to-jurisdiction`: as `jurisdiction`, or one of its versions is filed to such a bureau
 *   (how a bureau and its auditors come to see an enterprise's work);
 * - `deny`: never.
 */
export const RULES = ['allow', 'own-org', 'jurisdiction', 'filed-to-jurisdiction', 'deny'] as const;
export type Rule = (typeof RULES)[number];

/** Every action the matrix decides, in the order of its rows. */
export const ACTION_NAMES = [
  'project.read',
  'project.write',
  'scenario.write',
  'portfolio.read',
  'portfolio.write',
  'version.file',
  'filing.comment',
  'filing.review',
  'filing.approve',
  'result.rerun',
  'risk.run',
  'portfolio.risk',
  'plan.optimise',
  'actuals.read',
  'actuals.write',
  'evaluation.write',
  'budget.write',
  'threshold.write',
  'audit.read',
  'audit.verify',
  'org.admin',
  'user.admin',
  'token.admin',
  'token.self',
  'backup.create',
  'backup.restore',
] as const;
export type Action = (typeof ACTION_NAMES)[number];

/**
 * What an action needs to be decided.
 * - `writes`: a read-only token may not do it;
 * - `visibleThrough`: for an action on a resource, the read action that decides whether the actor
 *   may know the resource exists at all; an actor who may not is told "not found", never
 *   "forbidden", so another organisation's work does not leak. Null for actions on no resource
 *   (user administration, backups): those answer "forbidden".
 */
export interface ActionSpec {
  writes: boolean;
  visibleThrough: Action | null;
  /** One line for the README. */
  summary: string;
}

const ro = (visibleThrough: Action | null, summary: string): ActionSpec => ({
  writes: false,
  visibleThrough,
  summary,
});
const rw = (visibleThrough: Action | null, summary: string): ActionSpec => ({
  writes: true,
  visibleThrough,
  summary,
});

export const ACTIONS: Readonly<Record<Action, ActionSpec>> = {
  'project.read': ro('project.read', 'see a project, its scenarios, versions and results'),
  'project.write': rw('project.read', 'create or edit a project, archive or restore it'),
  'scenario.write': rw('project.read', 'save a new version of a scenario, archive or restore one'),
  'portfolio.read': ro('portfolio.read', 'see a portfolio and its fiscal report'),
  'portfolio.write': rw(
    'portfolio.read',
    'create, rename, copy, archive or restore a portfolio, choose its members',
  ),
  'version.file': rw('project.read', 'file (submit), resubmit or withdraw a version'),
  'filing.comment': rw('project.read', 'comment on a filing'),
  'filing.review': rw('project.read', 'take a filing under review, return it with comments'),
  'filing.approve': rw('project.read', 'approve a filing'),
  'result.rerun': ro('project.read', 're-run a stored version and compare with its stored result'),
  'risk.run': rw(
    'project.read',
    'run a Monte Carlo of a scenario and record it (or reuse a recorded run)',
  ),
  'portfolio.risk': rw(
    'portfolio.read',
    "run a portfolio's risk Monte Carlo and record it (or reuse a recorded run)",
  ),
  'plan.optimise': ro(
    'portfolio.read',
    "optimise a portfolio's programme under the yearly limits (saving it needs portfolio.write)",
  ),
  'actuals.read': ro(
    'project.read',
    "see a project's actuals, plan vs actual and re-forecast (Monitoring)",
  ),
  'actuals.write': rw('project.read', "record a project year's actuals (a new version)"),
  // Not seen through project.read: admins save systems (a jurisdiction's, readable by anyone
  // signed in) but see no project; entering a project's data also needs project.read, checked
  // first (use case and route guard), so a project the user may not see is still not found.
  'evaluation.write': rw(
    null,
    "save a jurisdiction's evaluation system (a new version), enter a project's indicator data",
  ),
  'budget.write': rw(
    'portfolio.read',
    "set a jurisdiction's budget forecasts, other obligations and quotas (from one of its portfolios or directly)",
  ),
  'threshold.write': rw(null, "set a jurisdiction's thresholds"),
  'audit.read': ro(null, 'read the audit log'),
  'audit.verify': ro(null, 'verify the audit chain'),
  'org.admin': rw(null, 'add organisations'),
  'user.admin': rw(null, 'add, list and disable users, reset passwords'),
  'token.admin': rw(null, "create and revoke any user's access tokens"),
  'token.self': rw(null, "create and revoke one's own access tokens"),
  'backup.create': ro(null, 'back the database up'),
  'backup.restore': rw(null, 'restore the database from a backup'),
};

/** Shorthands for the table below, one letter wide so a row reads as a line. */
const A: Rule = 'allow';
const O: Rule = 'own-org';
const J: Rule = 'jurisdiction';
const F: Rule = 'filed-to-jurisdiction';
const D: Rule = 'deny';

/** The column order of every row in `MATRIX`. */
export const MATRIX_ROLES = [
  'bureau-analyst',
  'bureau-approver',
  'enterprise-analyst',
  'auditor',
  'admin',
] as const satisfies readonly Role[];

/**
 * THE authorisation matrix (issue 10): action × role → rule, columns in `MATRIX_ROLES` order.
 * Every check goes through `decide`, which reads only this table; README.md shows it, and a test
 * keeps the two equal.
 */
export const MATRIX: Readonly<Record<Action, readonly [Rule, Rule, Rule, Rule, Rule]>> = {
  //                 bureau-analyst  bureau-approver  enterprise-analyst  auditor  admin
  'project.read': [F, F, O, F, D],
  'project.write': [J, J, O, D, D],
  'scenario.write': [J, J, O, D, D],
  'portfolio.read': [J, J, D, J, D],
  'portfolio.write': [J, J, D, D, D],
  'version.file': [J, J, O, D, D],
  'filing.comment': [F, F, O, F, D],
  'filing.review': [D, F, D, D, D],
  'filing.approve': [D, F, D, D, D],
  'result.rerun': [F, F, O, F, D],
  'risk.run': [F, F, O, F, D],
  'portfolio.risk': [J, J, D, J, D],
  'plan.optimise': [J, J, D, D, D],
  'actuals.read': [F, F, O, F, D],
  'actuals.write': [F, D, O, D, D],
  'evaluation.write': [F, D, O, D, A],
  'budget.write': [D, J, D, D, D],
  'threshold.write': [D, J, D, D, D],
  'audit.read': [D, D, D, A, A],
  'audit.verify': [D, D, D, A, A],
  'org.admin': [D, D, D, D, A],
  'user.admin': [D, D, D, D, A],
  'token.admin': [D, D, D, D, A],
  'token.self': [A, A, A, A, A],
  'backup.create': [D, D, D, D, A],
  'backup.restore': [D, D, D, D, A],
};

/** The rule for one role and action. */
export function ruleFor(action: Action, role: Role): Rule {
  return MATRIX[action][MATRIX_ROLES.indexOf(role)] ?? 'deny';
}
