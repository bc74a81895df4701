import { z } from 'zod';
import { decide, type Actor } from '../domain/access';
import { ValidationError } from '../domain/errors';
import { toFieldIssues } from '../domain/scenario/parse';
import { singleLineText } from '../domain/text';
import type { AuditFilter, AuditListEntry, Store } from '../store';
import { AUDIT_ENTITIES, type AuditEntity } from '../store/types';
import {
  chainCheckOf,
  type ChainCheck,
  type ChainStatus,
  type ChainStatusView,
} from './chain-status';
import { authorise } from './errors';

export {
  ChainStatus,
  inProcessVerifier,
  type ChainCheck,
  type ChainStatusView,
} from './chain-status';

/** Entries per page of the audit log, unless the filter asks for another number (at most 500). */
export const AUDIT_PAGE_SIZE = 50;

/** A form field left empty means "no filter": '' and white space read as absent. */
const blankAsAbsent = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);

/** A positive whole number, also written as decimal digits (query strings, form fields). */
const wholeNumber = (what: string, max = Number.MAX_SAFE_INTEGER) =>
  z.preprocess(
    (v) => (typeof v === 'string' && /^\s*\d+\s*$/.test(v) ? Number(v) : v),
    z
      .number({ error: `${what} must be a whole number` })
      .int({ error: `${what} must be a whole number` })
      .min(1, { error: `${what} must be 1 or more` })
      .max(max, { error: `${what} must be at most ${max}` }),
  );

const date = (what: string) =>
  z.iso.date({ error: `${what} must be a real date written YYYY-MM-DD` });

/**
 * The audit log's filter as the web form, the API and the CLI give it (every field optional,
 * empty text meaning "any"; other keys are ignored, so a page's own query parameters may ride
 * along): `actor` (part of the actor's name), `orgId`, `entity` (one of AUDIT_ENTITIES),
 * `entityId`, `from` and `to` (dates of China Standard Time, inclusive; `to` not before
 * `from`), `beforeId` (the page after the one ending just above this id) and `limit` (entries per
 * page, 1–500).
 */
export const auditFilterSchema = z
  .object({
    actor: z.preprocess(blankAsAbsent, singleLineText('Actor', { max: 200 }).optional()),
    orgId: z.preprocess(blankAsAbsent, wholeNumber('Organisation').optional()),
    entity: z.preprocess(
      blankAsAbsent,
      z.enum(AUDIT_ENTITIES, { error: `Entity is one of ${AUDIT_ENTITIES.join(', ')}` }).optional(),
    ),
    entityId: z.preprocess(blankAsAbsent, wholeNumber('Entity id').optional()),
    from: z.preprocess(blankAsAbsent, date('From').optional()),
    to: z.preprocess(blankAsAbsent, date('To').optional()),
    beforeId: z.preprocess(blankAsAbsent, wholeNumber('Before id').optional()),
    limit: z.preprocess(blankAsAbsent, wholeNumber('Page size', 500).default(AUDIT_PAGE_SIZE)),
  })
  .superRefine((f, ctx) => {
    if (f.from !== undefined && f.to !== undefined && f.to < f.from)
      ctx.addIssue({ code: 'custom', path: ['to'], message: 'To must not be before From' });
    if (f.entityId !== undefined && f.entity === undefined)
      ctx.addIssue({ code: 'custom', path: ['entity'], message: 'Choose the entity of the id' });
  });
export type AuditFilterInput = z.input<typeof auditFilterSchema>;
export type AuditLogFilter = z.output<typeof auditFilterSchema>;

/** One entry of the audit log as the auditor's page lists it. */
export interface AuditLogEntry {
  id: number;
  at: string;
  /** The actor text recorded with the entry (a username, or free text in entries from before accounts). */
  actor: string;
  actorUserId: number | null;
  actorOrgId: number | null;
  /** The acting user's organisation's name, where the entry records one that exists. */
  organisation: string | null;
  action: string;
  entity: AuditEntity;
  entityId: number | null;
  details: Record<string, unknown>;
}

/** One page of the audit log. */
export interface AuditLogPage {
  filter: AuditLogFilter;
  entries: AuditLogEntry[];
  /** Entries the filter matches, over every page. */
  total: number;
  /** `beforeId` of the next (older) page; null on the last page. */
  nextBeforeId: number | null;
  /** Every organisation, by name, for the filter's choice. */
  organisations: Array<{ id: number; name: string }>;
}

function parseFilter(input: unknown): AuditLogFilter {
  const parsed = auditFilterSchema.safeParse(input ?? {});
  if (!parsed.success)
    throw new ValidationError(toFieldIssues(parsed.error), 'The audit log filter is not valid');
  return parsed.data;
}

const storeFilter = (f: AuditLogFilter): AuditFilter => ({
  actor: f.actor,
  orgId: f.orgId,
  entity: f.entity,
  entityId: f.entityId,
  from: f.from,
  to: f.to,
});

/**
 * A page of the audit log, newest first, for an auditor or administrator (`audit.read`).
 * @param input see `auditFilterSchema`
 * @throws ForbiddenError without `audit.read`
 * @throws ValidationError naming the field of a bad filter (e.g. `from` not a date)
 */
export function listAudit(store: Store, actor: Actor, input: unknown): AuditLogPage {
  authorise(actor, 'audit.read', null);
  const filter = parseFilter(input);
  // One more than a page says whether an older page exists, without a second query.
  const found = store.audit.list({
    ...storeFilter(filter),
    beforeId: filter.beforeId,
    limit: filter.limit + 1,
  });
  const entries = found.slice(0, filter.limit);
  const organisations = organisationChoices(store);
  const names = new Map(organisations.map((o) => [o.id, o.name]));
  return {
    filter,
    entries: entries.map((e) => logEntry(e, names)),
    total: store.audit.count(storeFilter(filter)),
    nextBeforeId: found.length > filter.limit ? (entries.at(-1)?.id ?? null) : null,
    organisations,
  };
}

const organisationChoices = (store: Store) =>
  store.accounts.listOrganisations().map((o) => ({ id: o.id, name: o.name }));

/**
 * Every organisation, by name, for the audit log filter's choice (`audit.read`): what a page
 * with a refused filter offers.
 * @throws ForbiddenError without `audit.read`
 */
export function auditOrganisations(store: Store, actor: Actor): AuditLogPage['organisations'] {
  authorise(actor, 'audit.read', null);
  return organisationChoices(store);
}

function logEntry(e: AuditListEntry, names: ReadonlyMap<number, string>): AuditLogEntry {
  return {
    id: e.id,
    at: e.at,
    actor: e.actor,
    actorUserId: e.actorUserId,
    actorOrgId: e.actorOrgId,
    organisation: e.actorOrgId === null ? null : (names.get(e.actorOrgId) ?? null),
    action: e.action,
    entity: e.entity,
    entityId: e.entityId,
    details: e.details,
  };
}

/**
 * Verifies the whole audit history now, on this thread (`audit.verify`): the chain, then every
 * row against the state its latest entry records. For the CLI and small databases; the web app
 * verifies through `requestChainVerification`, off the request thread.
 * @throws ForbiddenError without `audit.verify`
 */
export function verifyChain(store: Store, actor: Actor): ChainCheck {
  authorise(actor, 'audit.verify', null);
  const startedAt = store.now();
  const report = store.audit.verify();
  return chainCheckOf(report, startedAt, store.now());
}

/**
 * Starts a verification through the server's chain status (or joins the one under way) and
 * resolves with its result (`audit.verify`).
 * @throws ForbiddenError without `audit.verify` (at once, before anything runs)
 */
export function requestChainVerification(chain: ChainStatus, actor: Actor): Promise<ChainCheck> {
  authorise(actor, 'audit.verify', null);
  return chain.refresh();
}

/**
 * The chain status for its page (`audit.verify`): the latest result, progress under way.
 * @throws ForbiddenError without `audit.verify`
 */
export function chainStatusOf(chain: ChainStatus, actor: Actor): ChainStatusView {
  authorise(actor, 'audit.verify', null);
  return chain.view();
}

/**
 * The broken-chain banner every page shows auditors and administrators: the latest finished
 * verification when it found the history broken, else null. Null for everyone who may not
 * read the audit log: the banner is not an error to them, only not theirs to see.
 */
export function chainBanner(chain: ChainStatus, actor: Actor): ChainCheck | null {
  if (decide(actor, 'audit.read', null) !== 'allow') return null;
  const last = chain.view().last;
  return last !== null && !last.ok ? last : null;
}
