import { z } from 'zod';
import type { Actor } from '../domain/access';
import { Dec } from '../domain/decimal';
import { DECIMAL_RE } from '../domain/decimal-text';
import { NotFoundError, ValidationError, type FieldIssue } from '../domain/errors';
import {
  defaultEvaluationSystem,
  parseEvaluationSystem,
  type EvaluationSystem,
  type IndicatorData,
  type IndicatorNode,
} from '../domain/evaluation';
import { toFieldIssues } from '../domain/scenario/parse';
import { multiLineText, singleLineText } from '../domain/text';
import type { Store } from '../store';
import type { DbEvaluationDatum } from '../store/repos/evaluation';
import { asActor } from './actors';
import { authorise } from './errors';
import { jurisdictionResource, projectResource } from './resources';

/** A jurisdiction's system as it applies: its latest saved version, or the GB/T defaults. */
export interface AppliedSystem {
  /** Null for a project or portfolio held by no jurisdiction (the defaults apply). */
  jurisdiction: string | null;
  /** `defaults` until the jurisdiction saves its own (editable defaults). */
  source: 'jurisdiction' | 'defaults';
  versionNo: number | null;
  savedAt: string | null;
  author: string | null;
  comment: string;
  system: EvaluationSystem;
}

/** One saved version, for the version list. */
export interface SystemVersionMeta {
  versionNo: number;
  author: string | null;
  createdAt: string;
  comment: string;
}

/** An indicator whose value is entered (not an engine metric), with its place in the tree. */
export interface EnterableIndicator {
  node: IndicatorNode;
  /** Codes from the first level down to the indicator. */
  path: string[];
  /** `yes-no` takes yes/no, the others a decimal. */
  kind: 'decimal' | 'yes-no';
}

/** A project's current entered value of one indicator. */
export interface DatumRecord {
  code: string;
  /** Decimal text, `yes`, `no`, or null (cleared). */
  value: string | null;
  source: string;
  date: string;
  versionNo: number;
  author: string | null;
  createdAt: string;
}

const MAX_JURISDICTION = 120;

/**
 * A jurisdiction name from a URL or body, trimmed.
 * @throws ValidationError at `jurisdiction` when empty or longer than 120 characters
 */
export function jurisdictionName(name: string): string {
  const n = name.trim();
  if (n.length === 0 || n.length > MAX_JURISDICTION)
    throw new ValidationError([
      { path: 'jurisdiction', message: 'The jurisdiction is 1–120 characters' },
    ]);
  return n;
}

/** The system that applies to a jurisdiction (or to none: the defaults). No permission check. */
export function appliedSystem(store: Store, jurisdiction: string | null): AppliedSystem {
  const row = jurisdiction === null ? null : store.evaluation.currentSystem(jurisdiction);
  if (!row)
    return {
      jurisdiction,
      source: 'defaults',
      versionNo: null,
      savedAt: null,
      author: null,
      comment: '',
      system: defaultEvaluationSystem(),
    };
  return {
    jurisdiction,
    source: 'jurisdiction',
    versionNo: row.version_no,
    savedAt: row.created_at,
    author: row.author,
    comment: row.comment,
    system: JSON.parse(row.system_json) as EvaluationSystem,
  };
}

/**
 * A jurisdiction's evaluation system and its saved versions. Any signed-in user may read it (as
 * the pre-approval checklist): a scoring rule is no secret.
 */
export function evaluationSystem(
  store: Store,
  jurisdiction: string,
): AppliedSystem & { versions: SystemVersionMeta[] } {
  const name = jurisdictionName(jurisdiction);
  const versions = store.evaluation.systemVersions(name).map((v) => ({
    versionNo: v.version_no,
    author: v.author,
    createdAt: v.created_at,
    comment: v.comment,
  }));
  return { ...appliedSystem(store, name), versions };
}

/** "Group ST (生态宜居 · Liveable environment)" for a path such as `indicators[2].children`. */
function groupLabel(input: unknown, path: string): string | null {
  if (path === 'indicators') return 'First level';
  const steps = [...path.matchAll(/\[(\d+)\]/g)].map((m) => Number(m[1]));
  if (!path.endsWith('.children') || steps.length === 0) return null;
  let nodes = (input as { indicators?: unknown } | null)?.indicators;
  let node: Record<string, unknown> | undefined;
  for (const i of steps) {
    node = Array.isArray(nodes) ? (nodes[i] as Record<string, unknown> | undefined) : undefined;
    nodes = node?.children;
  }
  if (!node) return null;
  const names = [node.nameZh, node.nameEn].filter((n) => typeof n === 'string' && n !== '');
  return `Group ${String(node.code)}${names.length > 0 ? ` (${names.join(' · ')})` : ''}`;
}

/** The domain's issues, each weight-sum issue naming its group as typed. */
function namedIssues(input: unknown, issues: FieldIssue[]): FieldIssue[] {
  return issues.map((i) => {
    const label = /weights sum/.test(i.message) ? groupLabel(input, i.path) : null;
    return label === null ? i : { ...i, message: `${label}: ${i.message}` };
  });
}

const commentText = multiLineText('The comment', { max: 500 });
const commentIssues = (e: z.ZodError): FieldIssue[] =>
  e.issues.map((i) => ({ path: 'comment', message: i.message }));

/**
 * Saves `body` (`{ indicators: [...], comment? }`) as the jurisdiction's next system version,
 * never overwriting one; audited with the actor. Permission: `evaluation.write` on the
 * jurisdiction.
 * @throws ValidationError naming every wrong field (the weight-sum errors name their group),
 *   nothing written
 */
export function saveEvaluationSystem(
  store: Store,
  actor: Actor,
  jurisdiction: string,
  body: unknown,
): AppliedSystem {
  const name = jurisdictionName(jurisdiction);
  authorise(actor, 'evaluation.write', jurisdictionResource(name), null);
  const raw = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  const { comment, ...tree } = raw;
  const c = commentText.safeParse(comment ?? '');
  let system: EvaluationSystem;
  try {
    system = parseEvaluationSystem(tree);
  } catch (e) {
    if (!(e instanceof ValidationError)) throw e;
    const more = c.success ? [] : commentIssues(c.error);
    throw new ValidationError([...namedIssues(tree, e.issues), ...more], e.message);
  }
  if (!c.success) throw new ValidationError(commentIssues(c.error));
  asActor(store, actor, () =>
    store.transaction(() =>
      store.evaluation.saveSystem({
        jurisdiction: name,
        system,
        comment: c.data,
        createdBy: actor.userId,
      }),
    ),
  );
  return appliedSystem(store, name);
}

/** The indicators of a system whose values are entered, in tree order. */
export function enterableIndicators(system: EvaluationSystem): EnterableIndicator[] {
  const out: EnterableIndicator[] = [];
  const walk = (nodes: IndicatorNode[], path: string[]): void => {
    for (const n of nodes) {
      const p = [...path, n.code];
      if (n.children) walk(n.children, p);
      else if (n.method && n.method.kind !== 'metric')
        out.push({ node: n, path: p, kind: n.method.kind === 'yes-no' ? 'yes-no' : 'decimal' });
    }
  };
  walk(system.indicators, []);
  return out;
}

function projectOf(store: Store, code: string) {
  const p = store.projects.find(code);
  if (!p || p.deletedAt !== null) throw new NotFoundError('Project', code);
  return p;
}

function datumOf(row: DbEvaluationDatum): DatumRecord {
  return {
    code: row.indicator_code,
    value: row.value,
    source: row.source,
    date: row.as_of,
    versionNo: row.version_no,
    author: row.author,
    createdAt: row.created_at,
  };
}

/** The project's current entered values as the scorer reads them (cleared ones left out). */
export function indicatorDataOf(store: Store, projectId: number): IndicatorData {
  const data = new Map<string, Dec | boolean>();
  for (const row of store.evaluation.currentData(projectId)) {
    if (row.value === null) continue;
    data.set(
      row.indicator_code,
      row.value === 'yes' ? true : row.value === 'no' ? false : new Dec(row.value),
    );
  }
  return data;
}

/** A project's indicator data under the system of its jurisdiction. */
export interface ProjectEvaluationData {
  project: { code: string; name: string; jurisdiction: string | null };
  applied: AppliedSystem;
  indicators: EnterableIndicator[];
  /** Current value per indicator code (also of codes the system no longer has). */
  current: DatumRecord[];
  historyCount: number;
}

/** A project's entered indicator data. Permission: `project.read`. */
export function projectEvaluationData(
  store: Store,
  actor: Actor,
  code: string,
): ProjectEvaluationData {
  authorise(actor, 'project.read', projectResource(store, code), { what: 'Project', id: code });
  const p = projectOf(store, code);
  const applied = appliedSystem(store, p.jurisdiction);
  return {
    project: { code: p.code, name: p.name, jurisdiction: p.jurisdiction },
    applied,
    indicators: enterableIndicators(applied.system),
    current: store.evaluation.currentData(p.id).map(datumOf),
    historyCount: store.evaluation.dataHistory(p.id).length,
  };
}

const entrySchema = z.strictObject({
  code: z.string({ error: 'The indicator code is text' }).trim().min(1).max(40),
  value: z.union([z.boolean(), z.string().trim().max(40), z.null()], {
    error: 'The value is a decimal as text, true/false for a yes/no indicator, or null to clear it',
  }),
  source: singleLineText('The source', {
    max: 500,
    min: 1,
    required: 'Say where the figure comes from',
  }),
  date: z.iso.date({ error: 'The date must be a real date written YYYY-MM-DD' }),
});
const dataBodySchema = z.strictObject({
  data: z.array(entrySchema).min(1, { error: 'Give at least one entry' }).max(500),
});

/** The stored text of a value checked against its indicator, or an issue. */
function storedValue(
  v: boolean | string | null,
  ind: EnterableIndicator,
): { text: string | null } | { message: string } {
  if (v === null || v === '') return { text: null };
  if (ind.kind === 'yes-no')
    return typeof v === 'boolean'
      ? { text: v ? 'yes' : 'no' }
      : { message: `${ind.node.code} is a yes/no indicator: give true or false` };
  if (typeof v === 'boolean' || !DECIMAL_RE.test(v))
    return { message: `${ind.node.code} takes a plain decimal number such as "85.5"` };
  return { text: new Dec(v).toFixed() };
}

/**
 * Records `body` (`{ data: [{ code, value, source, date }] }`) as the project's new indicator
 * values: each entry that differs from the indicator's current value, source or date becomes its
 * next version (the same entry again writes nothing), all in one transaction, each audited with
 * the actor as author. Codes must be entered indicators of the project's jurisdiction's system.
 * Permission: `evaluation.write` and `project.read` on the project.
 * @throws ValidationError naming each field as `data[i].code` etc. (422), nothing written
 */
export function saveProjectEvaluationData(
  store: Store,
  actor: Actor,
  code: string,
  body: unknown,
): ProjectEvaluationData {
  const resource = projectResource(store, code);
  // project.read first: a project the user may not see is not found (404), never forbidden.
  authorise(actor, 'project.read', resource, { what: 'Project', id: code });
  authorise(actor, 'evaluation.write', resource, { what: 'Project', id: code });
  const parsed = dataBodySchema.safeParse(body);
  if (!parsed.success) throw new ValidationError(toFieldIssues(parsed.error));
  const p = projectOf(store, code);
  const byCode = new Map(
    enterableIndicators(appliedSystem(store, p.jurisdiction).system).map((i) => [i.node.code, i]),
  );
  const current = new Map(store.evaluation.currentData(p.id).map((r) => [r.indicator_code, r]));
  const issues: FieldIssue[] = [];
  const seen = new Set<string>();
  const writes: Array<{ code: string; value: string | null; source: string; asOf: string }> = [];
  parsed.data.data.forEach((e, i) => {
    const ind = byCode.get(e.code);
    if (!ind) {
      issues.push({
        path: `data[${i}].code`,
        message: `${e.code} is no entered indicator of the system`,
      });
      return;
    }
    if (seen.has(e.code)) {
      issues.push({ path: `data[${i}].code`, message: `${e.code} is given twice` });
      return;
    }
    seen.add(e.code);
    const v = storedValue(e.value, ind);
    if ('message' in v) {
      issues.push({ path: `data[${i}].value`, message: v.message });
      return;
    }
    const was = current.get(e.code);
    if (was && was.value === v.text && was.source === e.source && was.as_of === e.date) return;
    if (!was && v.text === null) return;
    writes.push({ code: e.code, value: v.text, source: e.source, asOf: e.date });
  });
  if (issues.length > 0) throw new ValidationError(issues);
  asActor(store, actor, () =>
    store.transaction(() => {
      for (const w of writes)
        store.evaluation.recordDatum({ projectId: p.id, ...w, createdBy: actor.userId });
    }),
  );
  return projectEvaluationData(store, actor, code);
}
