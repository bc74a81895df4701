import type { Action } from '../access/matrix';

/**
 * The filing workflow (issue 10): a version is filed (submitted) to a jurisdiction's bureau,
 * reviewed, returned with comments or approved. Pure data and lookups, no I/O.
 *
 * `draft` is the state of a version never filed: it is shown, never stored (a filing row starts
 * at `submitted`). `approved` and `withdrawn` are final; every other stored state is open, and a
 * scenario has at most one open filing at a time.
 */
export const FILING_STATES = [
  'draft',
  'submitted',
  'under-review',
  'returned',
  'resubmitted',
  'approved',
  'withdrawn',
] as const;
export type FilingState = (typeof FILING_STATES)[number];

/** The states a stored filing can be in: every state but `draft`. */
export const STORED_FILING_STATES = [
  'submitted',
  'under-review',
  'returned',
  'resubmitted',
  'approved',
  'withdrawn',
] as const satisfies readonly FilingState[];
export type StoredFilingState = (typeof STORED_FILING_STATES)[number];

/** The states a filing can be left in for good. */
export const FINAL_FILING_STATES: readonly FilingState[] = ['approved', 'withdrawn'];

/**
 * What can happen to a filing. `comment` and `justify` are events that leave the state as it
 * is: a comment on the thread; a written justification of a failing compliance-checklist rule
 * (for the all-caliber review of the pre-approval checklist).
 */
export const FILING_TRANSITIONS = [
  'submit',
  'take-under-review',
  'return',
  'resubmit',
  'approve',
  'withdraw',
  'comment',
  'justify',
] as const;
export type FilingTransition = (typeof FILING_TRANSITIONS)[number];

/**
 * One row of the state machine: from `from`, `transition` leads to `to` for an actor the matrix
 * grants `action` (src/domain/access/matrix.ts); `comment` says whether the event must carry a
 * comment text (a return says why; a comment is its text; a justification is the justification).
 */
export interface FilingRule {
  from: FilingState;
  transition: FilingTransition;
  to: FilingState;
  action: Action;
  comment: 'required' | 'optional';
}

const rule = (
  from: FilingState,
  transition: FilingTransition,
  to: FilingState,
  action: Action,
  comment: 'required' | 'optional' = 'optional',
): FilingRule => ({ from, transition, to, action, comment });

/**
 * THE filing state machine: from-state × transition → to-state, with the action that allows it.
 * Anything not listed is refused. README.md ("Filing, review and approval") shows the same table
 * and a test keeps the two equal.
 *
 * - A reviewer takes a filing under review before returning or approving it; while it is under
 *   review the filer cannot withdraw it (ask the bureau to return it).
 * - A returned filing is resubmitted, with the same version or a newer one of its scenario.
 * - Comments are welcome in every stored state, also after the decision.
 * - Justifications are written while the filing is open, before the decision.
 */
export const FILING_MACHINE: readonly FilingRule[] = [
  rule('draft', 'submit', 'submitted', 'version.file'),
  rule('submitted', 'take-under-review', 'under-review', 'filing.review'),
  rule('submitted', 'withdraw', 'withdrawn', 'version.file'),
  rule('submitted', 'comment', 'submitted', 'filing.comment', 'required'),
  rule('submitted', 'justify', 'submitted', 'version.file', 'required'),
  rule('under-review', 'return', 'returned', 'filing.review', 'required'),
  rule('under-review', 'approve', 'approved', 'filing.approve'),
  rule('under-review', 'comment', 'under-review', 'filing.comment', 'required'),
  rule('under-review', 'justify', 'under-review', 'version.file', 'required'),
  rule('returned', 'resubmit', 'resubmitted', 'version.file'),
  rule('returned', 'withdraw', 'withdrawn', 'version.file'),
  rule('returned', 'comment', 'returned', 'filing.comment', 'required'),
  rule('returned', 'justify', 'returned', 'version.file', 'required'),
  rule('resubmitted', 'take-under-review', 'under-review', 'filing.review'),
  rule('resubmitted', 'withdraw', 'withdrawn', 'version.file'),
  rule('resubmitted', 'comment', 'resubmitted', 'filing.comment', 'required'),
  rule('resubmitted', 'justify', 'resubmitted', 'version.file', 'required'),
  rule('approved', 'comment', 'approved', 'filing.comment', 'required'),
  rule('withdrawn', 'comment', 'withdrawn', 'filing.comment', 'required'),
];

/** The rule for `transition` from `from`, or null when the machine refuses it. */
export function filingRule(from: FilingState, transition: FilingTransition): FilingRule | null {
  return FILING_MACHINE.find((r) => r.from === from && r.transition === transition) ?? null;
}

/** The transitions the machine allows from `state`, in the table's order. */
export function transitionsFrom(state: FilingState): FilingRule[] {
  return FILING_MACHINE.filter((r) => r.from === state);
}

/** Whether a filing in this state still awaits its decision (neither approved nor withdrawn). */
export function isOpenFiling(state: StoredFilingState): boolean {
  return !FINAL_FILING_STATES.includes(state);
}

/** Whether a filing in this state lets its bureau see the scenario (a withdrawn one no longer does). */
export function countsAsFiled(state: StoredFilingState): boolean {
  return state !== 'withdrawn';
}

/**
 * The action a transition needs, whatever the state it starts from (every row of the table with
 * that transition names the same action; a test checks it). Authorisation is decided on it
 * before the state is looked at, so a refusal does not tell what state a filing is in.
 */
export function actionFor(transition: FilingTransition): Action {
  const found = FILING_MACHINE.find((r) => r.transition === transition);
  if (!found) throw new Error(`no rule for ${transition}`);
  return found.action;
}

/** Whether a transition's event must carry a text (the same in every state: a test checks it). */
export function needsText(transition: FilingTransition): boolean {
  return FILING_MACHINE.some((r) => r.transition === transition && r.comment === 'required');
}
