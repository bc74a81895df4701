import { z } from 'zod';
import { decide, type AccessResource, type Action, type Actor } from '../domain/access';
import { FundMixError, NotFoundError, ValidationError } from '../domain/errors';
import {
  actionFor,
  assessPreApproval,
  DEFAULT_PRE_APPROVAL,
  describeGap,
  filingRule,
  needsText,
  PRE_APPROVAL_LABELS,
  transitionsFrom,
  type FilingState,
  type FilingTransition,
  type PreApprovalConfig,
  type PreApprovalStatus,
  type StoredFilingState,
} from '../domain/filing';
import { toFieldIssues } from '../domain/scenario/parse';
import { chinaDayStartAt, chinaYearOf } from '../domain/china-time';
import { multiLineText, singleLineText } from '../domain/text';
import { canonicalJson, ConflictError, scenarioChecklist, sha256Hex, type Store } from '../store';
import type { DbFilingListed, FilingActor, FilingChange } from '../store/repos/filings';
import type { DbFiling } from '../store/rows';
import { asActor, auditActor } from './actors';
import { authorise, ForbiddenError } from './errors';
import { filingResource, versionResource } from './resources';

/**
 * The filing workflow's use cases (issue 10): submit a version to a jurisdiction's bureau, take
 * it under review, return it with comments, resubmit, approve, withdraw, comment, justify a
 * failing checklist rule; the inboxes; a jurisdiction's pre-approval checklist. Each takes
 * `(store, actor, input)`, authorises first (the action of the transition, from the state
 * machine in src/domain/filing), validates, then checks state and conflicts inside the write
 * transaction. Reads return plain view data.
 */

/** A filing as lists and inboxes show it. */
export interface FilingSummary {
  id: number;
  projectCode: string;
  projectName: string;
  scenarioId: number;
  scenarioName: string;
  /** The version the filing carries now, and its number within the scenario. */
  versionId: number;
  versionNo: number;
  jurisdiction: string;
  state: StoredFilingState;
  filedBy: string;
  filedByOrg: string;
  filedAt: string;
  decidedBy: string | null;
  decidedAt: string | null;
  updatedAt: string;
  /** How many events the filing has: pass it back as `expectedEvents` to detect a conflict. */
  eventCount: number;
}

export interface FilingEventView {
  id: number;
  kind: FilingTransition;
  from: StoredFilingState | null;
  to: StoredFilingState;
  versionId: number;
  username: string;
  organisation: string;
  at: string;
  comment: string;
}

export interface FilingJustificationView {
  versionId: number;
  ruleId: string;
  text: string;
  username: string;
  at: string;
}

/** Everything the filing page shows besides the version's own figures. */
export interface FilingView extends FilingSummary {
  declarations: { dataSharing: boolean; allFunding: boolean };
  /** The thread: every transition, comment and justification, oldest first. */
  events: FilingEventView[];
  /** The version each submission and resubmission carried, oldest first. */
  submissions: Array<{
    kind: 'submit' | 'resubmit';
    versionId: number;
    versionNo: number;
    at: string;
  }>;
  /** Justifications for the version the filing carries now. */
  justifications: FilingJustificationView[];
  preApproval: PreApprovalStatus & { config: PreApprovalConfig };
  /** The transitions this actor may make now, in the state machine's order. */
  allowed: FilingTransition[];
}

const comment = multiLineText('Comment', {
  max: 4000,
  typeError: 'The comment must be text',
  tooLong: 'The comment is longer than 4000 characters',
});
const expectedEvents = z
  .number({ error: 'Say how many events of the filing you have seen (expectedEvents)' })
  .int({ error: 'expectedEvents is a whole number' })
  .min(0, { error: 'expectedEvents is a whole number' });
const id = (what: string) =>
  z.number({ error: `Give the ${what} id` }).int({ error: `The ${what} id is a whole number` });
const jurisdiction = singleLineText('Jurisdiction', {
  min: 1,
  max: 120,
  required: 'Name the jurisdiction whose bureau the version is filed to',
  typeError: 'Name the jurisdiction whose bureau the version is filed to',
});
const declaration = z.boolean({ error: 'A declaration is true or false' });

export const submitInputSchema = z
  .object({
    versionId: id('version'),
    jurisdiction,
    dataSharingDeclared: declaration.default(false),
    allFundingDeclared: declaration.default(false),
    comment: comment.default(''),
  })
  .strict();

const transitionInputSchema = z
  .object({ filingId: id('filing'), expectedEvents, comment: comment.default('') })
  .strict();

export const resubmitInputSchema = transitionInputSchema.extend({
  /** Default: the version the filing carries (resubmitted as it is). */
  versionId: id('version').optional(),
  dataSharingDeclared: declaration.optional(),
  allFundingDeclared: declaration.optional(),
});

const noteInputSchema = z
  .object({ filingId: id('filing'), expectedEvents: expectedEvents.optional(), comment })
  .strict();

export const justifyInputSchema = z
  .object({
    filingId: id('filing'),
    expectedEvents: expectedEvents.optional(),
    ruleId: z.string({ error: 'Name the failing rule (ruleId)' }),
    text: multiLineText('Justification', {
      min: 1,
      max: 4000,
      trim: true,
      required: 'Write the justification',
      typeError: 'Write the justification',
      tooLong: 'The justification is longer than 4000 characters',
    }),
  })
  .strict();

export const preApprovalInputSchema = z
  .object({
    jurisdiction,
    items: z.object({ 'data-sharing': declaration, 'all-caliber': declaration }).strict(),
  })
  .strict();

export type SubmitInput = z.input<typeof submitInputSchema>;
export type TransitionInput = z.input<typeof transitionInputSchema>;
export type ResubmitInput = z.input<typeof resubmitInputSchema>;
export type NoteInput = z.input<typeof noteInputSchema>;
export type JustifyInput = z.input<typeof justifyInputSchema>;
export type PreApprovalInput = z.input<typeof preApprovalInputSchema>;

function parse<T>(schema: z.ZodType<T>, input: unknown, what: string): T {
  const parsed = schema.safeParse(input);
  if (!parsed.success)
    throw new ValidationError(toFieldIssues(parsed.error), `${what} is not valid`);
  return parsed.data;
}

/** The actor as filing rows record it: a signed-in user of an organisation. */
function filingActor(actor: Actor, action: Action): FilingActor {
  if (actor.userId === null || actor.orgId === null) throw new ForbiddenError(action, actor);
  const a = auditActor(actor);
  return { label: a.label, userId: actor.userId, orgId: actor.orgId };
}

/**
 * Review and approval belong to the bureau the filing is filed to: the matrix's
 * `filed-to-jurisdiction` would also let the bureau that holds the project (or one it is filed
 * to otherwise) decide, so the actor's jurisdictions must name the filing's.
 */
function decidesFor(actor: Actor, filing: DbFiling, action: Action): boolean {
  if (action !== 'filing.review' && action !== 'filing.approve') return true;
  return actor.jurisdictions.includes(filing.jurisdiction);
}

function mayDo(actor: Actor, action: Action, resource: AccessResource, filing: DbFiling): boolean {
  return decide(actor, action, resource) === 'allow' && decidesFor(actor, filing, action);
}

function summaryOf(f: DbFilingListed): FilingSummary {
  return {
    id: f.id,
    projectCode: f.project_code,
    projectName: f.project_name,
    scenarioId: f.scenario_id,
    scenarioName: f.scenario_name,
    versionId: f.version_id,
    versionNo: f.version_no,
    jurisdiction: f.jurisdiction,
    state: f.state as StoredFilingState,
    filedBy: f.filed_by_username,
    filedByOrg: f.filed_org_name,
    filedAt: f.filed_at,
    decidedBy: f.decided_by_username,
    decidedAt: f.decided_at,
    updatedAt: f.updated_at,
    eventCount: f.event_count,
  };
}

/** The failing rules of the version's checklist against the filing's jurisdiction; null when unavailable. */
function failingRules(store: Store, filing: DbFiling): string[] | null {
  try {
    return scenarioChecklist(store, filing.version_id, filing.jurisdiction, { bondStress: false })
      .rows.filter((r) => r.status === 'fail')
      .map((r) => r.ruleId);
  } catch (err) {
    if (err instanceof FundMixError) return null;
    throw err;
  }
}

function checklistConfig(store: Store, jurisdictionName: string): PreApprovalConfig {
  const row = store.filings.findChecklist(jurisdictionName);
  if (!row) return DEFAULT_PRE_APPROVAL;
  return { 'data-sharing': row.data_sharing === 1, 'all-caliber': row.all_caliber === 1 };
}

/** The jurisdiction's pre-approval checklist for the version the filing carries now. */
function preApprovalOf(store: Store, filing: DbFiling): FilingView['preApproval'] {
  const config = checklistConfig(store, filing.jurisdiction);
  const justified = store.filings
    .justifications(filing.id)
    .filter((j) => j.version_id === filing.version_id)
    .map((j) => j.rule_id);
  const status = assessPreApproval(config, {
    dataSharingDeclared: filing.data_sharing_declared === 1,
    allFundingDeclared: filing.all_funding_declared === 1,
    failingRuleIds: config['all-caliber'] ? failingRules(store, filing) : [],
    justifiedRuleIds: justified,
  });
  return { ...status, config };
}

function usernames(store: Store): (userId: number) => { username: string; organisation: string } {
  const seen = new Map<number, { username: string; organisation: string }>();
  return (userId) => {
    let found = seen.get(userId);
    if (!found) {
      const u = store.accounts.getUser(userId);
      found = { username: u.username, organisation: u.org_name };
      seen.set(userId, found);
    }
    return found;
  };
}

function viewOf(store: Store, actor: Actor, f: DbFilingListed): FilingView {
  const who = usernames(store);
  const versionNo = new Map(
    store.scenarios.versions(f.scenario_id).map((v) => [v.id, v.versionNo]),
  );
  const events = store.filings.events(f.id).map((e): FilingEventView => ({
    id: e.id,
    kind: e.kind as FilingTransition,
    from: e.from_state as StoredFilingState | null,
    to: e.to_state as StoredFilingState,
    versionId: e.version_id,
    ...who(e.user_id),
    at: e.at,
    comment: e.comment,
  }));
  const resource = filingResource(store, f);
  return {
    ...summaryOf(f),
    declarations: {
      dataSharing: f.data_sharing_declared === 1,
      allFunding: f.all_funding_declared === 1,
    },
    events,
    submissions: events
      .filter((e) => e.kind === 'submit' || e.kind === 'resubmit')
      .map((e) => ({
        kind: e.kind as 'submit' | 'resubmit',
        versionId: e.versionId,
        versionNo: versionNo.get(e.versionId) ?? 0,
        at: e.at,
      })),
    justifications: store.filings
      .justifications(f.id)
      .filter((j) => j.version_id === f.version_id)
      .map((j) => ({
        versionId: j.version_id,
        ruleId: j.rule_id,
        text: j.text,
        username: who(j.user_id).username,
        at: j.at,
      })),
    preApproval: preApprovalOf(store, f),
    allowed: transitionsFrom(f.state as FilingState)
      .filter((r) => mayDo(actor, r.action, resource, f))
      .map((r) => r.transition),
  };
}

/** The filing, after the actor was allowed `action` on it. @throws NotFoundError, ForbiddenError */
function authorisedFiling(
  store: Store,
  actor: Actor,
  action: Action,
  filingId: number,
): DbFilingListed {
  const filing = store.filings.findFiling(filingId);
  if (!filing) throw new NotFoundError('Filing', filingId);
  authorise(actor, action, filingResource(store, filing), { what: 'Filing', id: filingId });
  if (!decidesFor(actor, filing, action)) throw new ForbiddenError(action, actor);
  return filing;
}

/**
 * The filing page's data.
 * @throws NotFoundError for an unknown filing or one the actor may not see (`project.read`)
 */
export function getFiling(store: Store, actor: Actor, filingId: number): FilingView {
  const filing = authorisedFiling(store, actor, 'project.read', filingId);
  return viewOf(store, actor, filing);
}

/**
 * Files (submits) a version to a jurisdiction's bureau: the version must be its scenario's
 * current one (a version saved meanwhile is a conflict), the scenario must have no open filing,
 * and the jurisdiction a registered bureau. The filing starts at `submitted`.
 * @throws NotFoundError, ForbiddenError (`version.file`)
 * @throws ValidationError naming the field (`jurisdiction`, `comment`, ...)
 * @throws ConflictError `version-not-current`, `filing-open`, `scenario-deleted`
 */
export function submitFiling(store: Store, actor: Actor, input: SubmitInput): FilingView {
  const versionId = parse(
    id('version'),
    (input as { versionId?: unknown }).versionId,
    'The filing',
  );
  authorise(actor, 'version.file', versionResource(store, versionId), {
    what: 'Scenario version',
    id: versionId,
  });
  const by = filingActor(actor, 'version.file');
  const data = parse(submitInputSchema, input, 'The filing');
  if (!store.accounts.findBureau(data.jurisdiction))
    throw new ValidationError(
      [
        {
          path: 'jurisdiction',
          message: `No finance bureau is registered for ${data.jurisdiction}`,
        },
      ],
      'The filing is not valid',
    );
  const filing = asActor(store, actor, () =>
    store.transaction(() => {
      const version = store.scenarios.version(versionId);
      assertCurrentLive(store, version.scenarioId, versionId);
      const open = store.filings.openFiling(version.scenarioId);
      if (open)
        throw new ConflictError(
          'filing-open',
          `Scenario "${version.scenarioName}" of ${version.projectCode} has an open filing already (filing ${open.id}, ${open.state})`,
          { filingId: open.id, state: open.state },
          'Withdraw it, or resubmit it once it is returned.',
        );
      return store.filings.addFiling(
        {
          scenarioId: version.scenarioId,
          versionId,
          projectCode: version.projectCode,
          jurisdiction: data.jurisdiction,
          dataSharingDeclared: data.dataSharingDeclared,
          allFundingDeclared: data.allFundingDeclared,
          comment: data.comment,
        },
        by,
      );
    }),
  );
  return viewOf(store, actor, store.filings.getFiling(filing.id));
}

/** The version must be the current one of a live scenario of a live project. */
function assertCurrentLive(store: Store, scenarioId: number, versionId: number): void {
  const scenario = store.scenarios.getById(scenarioId);
  const project = store.projects.getById(scenario.projectId);
  if (scenario.deletedAt !== null || project.deletedAt !== null)
    throw new ConflictError(
      'scenario-deleted',
      `Scenario "${scenario.name}" of ${scenario.projectCode} is deleted: it cannot be filed`,
      { scenarioId },
    );
  if (scenario.currentVersionId !== versionId)
    throw new ConflictError(
      'version-not-current',
      `Version ${versionId} is no longer the current version of "${scenario.name}" (v${scenario.currentVersionNo} was saved since)`,
      { versionId, currentVersionId: scenario.currentVersionId },
      'Open the scenario again and file its current version.',
    );
}

/** The state and event count the actor saw must still be the filing's. @throws ConflictError */
function assertUnchanged(
  store: Store,
  filingId: number,
  expected: number | undefined,
): DbFilingListed {
  const now = store.filings.getFiling(filingId);
  if (expected !== undefined && now.event_count !== expected)
    throw new ConflictError(
      'filing-changed',
      `Filing ${filingId} changed meanwhile (it is ${now.state} with ${now.event_count} events; you saw ${expected})`,
      { filingId, state: now.state, eventCount: now.event_count },
      'Reload the filing and decide again.',
    );
  return now;
}

/** @throws ConflictError `filing-state` when the machine refuses the transition from the current state */
function ruleFrom(filing: DbFiling, transition: FilingTransition) {
  const rule = filingRule(filing.state as FilingState, transition);
  if (!rule)
    throw new ConflictError(
      'filing-state',
      `Filing ${filing.id} is ${filing.state}: it cannot take "${transition}" now`,
      { filingId: filing.id, state: filing.state, transition },
    );
  return rule;
}

function requireText(transition: FilingTransition, text: string): void {
  if (needsText(transition) && text.trim() === '')
    throw new ValidationError(
      [
        {
          path: 'comment',
          message: transition === 'return' ? 'Say why the filing is returned' : 'Write the comment',
        },
      ],
      'The comment is missing',
    );
}

interface TransitionData {
  filingId: number;
  expectedEvents?: number | undefined;
  comment: string;
}

/**
 * One state change: authorise the transition's action on the filing `input.filingId` names,
 * validate the rest, then inside the transaction check the filing has not moved on
 * (`expectedEvents`), that the machine allows it from the current state, and what `check` adds;
 * then record it.
 */
function transition<T extends TransitionData>(
  store: Store,
  actor: Actor,
  kind: FilingChange['kind'],
  input: unknown,
  schema: z.ZodType<T>,
  check: (filing: DbFilingListed, data: T) => Partial<FilingChange> = () => ({}),
): FilingView {
  const action = actionFor(kind);
  authorisedFiling(store, actor, action, filingIdOf(input));
  const by = filingActor(actor, action);
  const data = parse(schema, input, 'The request');
  requireText(kind, data.comment);
  asActor(store, actor, () =>
    store.transaction(() => {
      const filing = assertUnchanged(store, data.filingId, data.expectedEvents);
      const rule = ruleFrom(filing, kind);
      const extra = check(filing, data);
      store.filings.changeFiling(
        filing.id,
        { kind, to: rule.to as StoredFilingState, comment: data.comment, ...extra },
        by,
      );
    }),
  );
  return viewOf(store, actor, store.filings.getFiling(data.filingId));
}

function filingIdOf(input: unknown): number {
  return parse(id('filing'), (input as { filingId?: unknown } | null)?.filingId, 'The request');
}

/**
 * A reviewer of the bureau the filing is filed to takes it under review (`filing.review`).
 * @throws NotFoundError, ForbiddenError, ValidationError, ConflictError `filing-changed`, `filing-state`
 */
export function takeUnderReview(store: Store, actor: Actor, input: TransitionInput): FilingView {
  return transition(store, actor, 'take-under-review', input, transitionInputSchema);
}

/**
 * Returns a filing under review to its filer with a comment saying why (`filing.review`).
 * @throws ValidationError `comment` when it is empty; as `takeUnderReview` otherwise
 */
export function returnFiling(store: Store, actor: Actor, input: TransitionInput): FilingView {
  return transition(store, actor, 'return', input, transitionInputSchema);
}

/**
 * Approves a filing under review (`filing.approve`), once the jurisdiction's pre-approval
 * checklist is complete for the version it carries.
 * @throws ValidationError naming each unmet item (`preApproval.data-sharing`, `preApproval.all-caliber`)
 */
export function approveFiling(store: Store, actor: Actor, input: TransitionInput): FilingView {
  return transition(store, actor, 'approve', input, transitionInputSchema, (filing) => {
    const status = preApprovalOf(store, filing);
    if (!status.complete) {
      const unmet = status.items.filter((i) => !i.complete);
      throw new ValidationError(
        unmet.map((i) => ({
          path: `preApproval.${i.item}`,
          message: `${PRE_APPROVAL_LABELS[i.item]}: ${i.gaps.map(describeGap).join('; ')}`,
        })),
        `The pre-approval checklist is not complete: ${unmet.map((i) => PRE_APPROVAL_LABELS[i.item]).join(', ')}`,
      );
    }
    return {};
  });
}

/**
 * Withdraws a filing that is submitted, resubmitted or returned (`version.file`); its bureau no
 * longer sees the scenario through it.
 */
export function withdrawFiling(store: Store, actor: Actor, input: TransitionInput): FilingView {
  return transition(store, actor, 'withdraw', input, transitionInputSchema);
}

/**
 * Resubmits a returned filing (`version.file`), with the version it carries or a newer one of
 * the same scenario (which must be the scenario's current version), and the filer's
 * declarations for it (left out: as declared before). Justifications belong to a version: a new
 * version needs its own.
 * @throws ValidationError `versionId` for a version of another scenario; ConflictError
 *   `version-not-current`
 */
export function resubmitFiling(store: Store, actor: Actor, input: ResubmitInput): FilingView {
  return transition(store, actor, 'resubmit', input, resubmitInputSchema, (filing, data) => {
    const versionId = data.versionId ?? filing.version_id;
    const version = store.scenarios.version(versionId);
    if (version.scenarioId !== filing.scenario_id)
      throw new ValidationError(
        [
          {
            path: 'versionId',
            message: `Version ${versionId} is not a version of the filed scenario`,
          },
        ],
        'The request is not valid',
      );
    assertCurrentLive(store, filing.scenario_id, versionId);
    return {
      resubmission: {
        versionId,
        dataSharingDeclared: data.dataSharingDeclared ?? filing.data_sharing_declared === 1,
        allFundingDeclared: data.allFundingDeclared ?? filing.all_funding_declared === 1,
      },
    };
  });
}

/** Adds a comment to the thread (`filing.comment`), in any state. */
export function commentOnFiling(store: Store, actor: Actor, input: NoteInput): FilingView {
  return transition(store, actor, 'comment', input, noteInputSchema);
}

/**
 * The filer writes (or rewrites) the justification of a rule the filed version fails
 * (`version.file`), while the filing is open; it counts for the all-caliber review.
 * @throws ValidationError `ruleId` when the version does not fail that rule, `text` when empty
 */
export function justifyFailure(store: Store, actor: Actor, input: JustifyInput): FilingView {
  authorisedFiling(store, actor, 'version.file', filingIdOf(input));
  const data = parse(justifyInputSchema, input, 'The justification');
  const by = filingActor(actor, 'version.file');
  asActor(store, actor, () =>
    store.transaction(() => {
      const filing = assertUnchanged(store, data.filingId, data.expectedEvents);
      ruleFrom(filing, 'justify');
      const failing = failingRules(store, filing) ?? [];
      if (!failing.includes(data.ruleId))
        throw new ValidationError(
          [
            {
              path: 'ruleId',
              message: `The filed version does not fail rule ${data.ruleId}${failing.length ? ` (it fails ${failing.join(', ')})` : ''}`,
            },
          ],
          'The justification is not valid',
        );
      store.filings.justifyRule(filing.id, data.ruleId, data.text, by);
    }),
  );
  return viewOf(store, actor, store.filings.getFiling(data.filingId));
}

/**
 * Sets a jurisdiction's pre-approval checklist (which items are required). Authorised as
 * `threshold.write` on the jurisdiction: it is one of the jurisdiction's settings, set by its
 * bureau's approvers.
 */
export function setPreApprovalChecklist(
  store: Store,
  actor: Actor,
  input: PreApprovalInput,
): PreApprovalConfig {
  const name = parse(
    jurisdiction,
    (input as { jurisdiction?: unknown } | null)?.jurisdiction,
    'The checklist',
  );
  authorise(actor, 'threshold.write', { ownerOrgId: null, heldByJurisdiction: name, filedTo: [] });
  const data = parse(preApprovalInputSchema, input, 'The checklist');
  const by = filingActor(actor, 'threshold.write');
  asActor(store, actor, () =>
    store.transaction(() => store.filings.setChecklist(data.jurisdiction, data.items, by)),
  );
  return checklistConfig(store, data.jurisdiction);
}

/** The pre-approval checklist a jurisdiction requires (its stored one, else every item on). */
export function preApprovalChecklist(store: Store, jurisdictionName: string): PreApprovalConfig {
  return checklistConfig(store, jurisdictionName);
}

function visible(store: Store, actor: Actor, action: Action) {
  return (f: DbFilingListed) => mayDo(actor, action, filingResource(store, f), f);
}

/** Inbox "awaiting my review": filings to my bureau that are submitted, resubmitted or under review. */
export function awaitingMyReview(store: Store, actor: Actor): FilingSummary[] {
  return store.filings
    .filingsTo(actor.jurisdictions, ['submitted', 'resubmitted', 'under-review'])
    .filter(visible(store, actor, 'filing.review'))
    .map(summaryOf);
}

/** Inbox "returned to me": my organisation's filings returned with comments. */
export function returnedToMe(store: Store, actor: Actor): FilingSummary[] {
  if (actor.orgId === null) return [];
  return store.filings
    .filingsBy(actor.orgId, ['returned'])
    .filter(visible(store, actor, 'version.file'))
    .map(summaryOf);
}

/** The year the inbox "approved this year" means: the store clock's, in China Standard Time. */
export function approvalYear(store: Store): number {
  return chinaYearOf(store.now());
}

/**
 * Inbox "approved this year" (the store clock's year in China Standard Time, as `approvalYear`
 * gives it): the approved filings the actor may see.
 */
export function approvedThisYear(store: Store, actor: Actor): FilingSummary[] {
  const year = approvalYear(store);
  return store.filings
    .approvedBetween(chinaDayStartAt(`${year}-01-01`), chinaDayStartAt(`${year + 1}-01-01`))
    .filter(visible(store, actor, 'project.read'))
    .map(summaryOf);
}

/**
 * The filings of a scenario the actor may see, oldest first (the scenario page shows the state:
 * `draft` when there is none).
 */
export function filingsOfScenario(store: Store, actor: Actor, scenarioId: number): FilingSummary[] {
  return store.filings
    .filingsOfScenario(scenarioId)
    .filter(visible(store, actor, 'project.read'))
    .map(summaryOf);
}

/** What the printed filing report adds to the filing page: the fingerprints of what was filed. */
export interface FilingFingerprints {
  /** SHA-256 of the stored inputs of the version the filing carries. */
  inputsHash: string;
  /** SHA-256 of the canonical JSON of its stored result, and the engine that computed it. */
  resultHash: string | null;
  engineVersion: string | null;
  /**
   * The audit chain's head when the version was filed: the hash of the filing's `submit` entry
   * (it chains every entry before it). Noted on paper, it shows later that the log was neither
   * rewritten nor cut back past the filing.
   */
  chainHeadAtFiling: string | null;
  /** The same for the latest resubmission, when there is one. */
  chainHeadAtResubmission: string | null;
}

/**
 * The fingerprints of a filing for its report (`project.read`). The result is the one stored
 * under the current engine (or, failing that, the latest stored): never computed here.
 * @throws NotFoundError for an unknown filing or one the actor may not see
 */
export function filingFingerprints(
  store: Store,
  actor: Actor,
  filingId: number,
): FilingFingerprints {
  const filing = authorisedFiling(store, actor, 'project.read', filingId);
  const version = store.scenarios.version(filing.version_id);
  const stored = store.results.storedAny(version.inputsHash);
  const entries = store.audit.list({ entity: 'filing', entityId: filing.id, limit: 10000 });
  const head = (action: string) => entries.find((e) => e.action === action)?.hash ?? null;
  return {
    inputsHash: version.inputsHash,
    resultHash: stored ? sha256Hex(canonicalJson(stored.result)) : null,
    engineVersion: stored?.engineVersion ?? null,
    chainHeadAtFiling: head('submit'),
    chainHeadAtResubmission: head('resubmit'),
  };
}

/** The open filings (submitted, under review, resubmitted) the actor's organisation made. */
export function openFilingsOfMine(store: Store, actor: Actor): FilingSummary[] {
  if (actor.orgId === null) return [];
  return store.filings
    .filingsBy(actor.orgId, ['submitted', 'under-review', 'resubmitted'])
    .filter(visible(store, actor, 'project.read'))
    .map(summaryOf);
}

/**
 * The open filings to the actor's jurisdictions that the actor may see (a bureau's analysts and
 * its auditors follow them; its approvers have them in "awaiting my review").
 */
export function openFilingsToMe(store: Store, actor: Actor): FilingSummary[] {
  return store.filings
    .filingsTo(actor.jurisdictions, ['submitted', 'under-review', 'returned', 'resubmitted'])
    .filter(visible(store, actor, 'project.read'))
    .map(summaryOf);
}
