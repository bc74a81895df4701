import {
  MAX_DEPTH,
  METRIC_NAMES,
  type BandsScale,
  type EvaluationSystem,
  type IndicatorNode,
  type LinearScale,
} from '../../domain/evaluation';
import type { FieldIssue } from '../../domain/errors';
import type { Lang } from '../format/number';
import type { Translate } from '../i18n';
import { localizeIssue } from '../i18n/issues';
import { postedList } from './editor-form';
import { formField, postedText, type FormField } from './form-fields';

/**
 * The evaluation system's form editor (issue 12): one row per node of the tree, in tree order,
 * each with its depth, so the tree is the rows read top to bottom (a row one level deeper than
 * the one above is its child). Everything is kept as typed text, so a refused save comes back
 * exactly as entered; `systemOfForm` builds the tree for the domain's validation, never trusted.
 * Posted as `n[i][field]` and `n[i][bands][j][min|max|points]`; add/remove are submit buttons
 * (`action` = `add-child:i`, `add-sibling:i`, `remove:i`, `add-band:i`, `remove-band:i:j`,
 * `add-top`, `refresh`), as in the scenario editor.
 */

/** The scoring choices of a row: a group (children, no method) or an indicator's method. */
export const NODE_KINDS = ['group', 'linear', 'bands', 'yes-no', 'metric'] as const;
const SCALE_KINDS = ['linear', 'bands'] as const;
const MAX_ROWS = 300;
const MAX_BANDS = 20;

export interface BandRow {
  min: string;
  max: string;
  points: string;
}

export interface NodeRow {
  /** 0 for the first level. */
  depth: number;
  code: string;
  nameZh: string;
  nameEn: string;
  weightPercent: string;
  unit: string;
  /** One of {@link NODE_KINDS} as posted. */
  kind: string;
  /** Kind `metric`: the engine metric and its scale (`linear` or `bands`). */
  metric: string;
  scale: string;
  /** Linear bounds (kind `linear`, or `metric` on a linear scale). */
  zeroAt: string;
  fullAt: string;
  /** Bands (kind `bands`, or `metric` on a bands scale). */
  bands: BandRow[];
  /** Fed from the satisfaction survey of monitoring actuals (linear and bands only). */
  fromActuals: boolean;
}

export interface SystemForm {
  rows: NodeRow[];
  comment: string;
}

const usesBands = (r: NodeRow): boolean =>
  r.kind === 'bands' || (r.kind === 'metric' && r.scale === 'bands');
const usesLinear = (r: NodeRow): boolean =>
  r.kind === 'linear' || (r.kind === 'metric' && r.scale !== 'bands');
const feedable = (r: NodeRow): boolean => r.kind === 'linear' || r.kind === 'bands';

function bandRows(s: BandsScale): BandRow[] {
  return s.bands.map((b) => ({ min: b.min ?? '', max: b.max ?? '', points: b.points }));
}

function rowOf(n: IndicatorNode, depth: number): NodeRow {
  const m = n.method;
  const scale: LinearScale | BandsScale | undefined =
    m?.kind === 'metric' ? m.scale : m?.kind === 'linear' || m?.kind === 'bands' ? m : undefined;
  return {
    depth,
    code: n.code,
    nameZh: n.nameZh,
    nameEn: n.nameEn,
    weightPercent: n.weightPercent,
    unit: n.unit ?? '',
    kind: n.children ? 'group' : (m?.kind ?? 'linear'),
    metric: m?.kind === 'metric' ? m.metric : '',
    scale: m?.kind === 'metric' ? m.scale.kind : 'linear',
    zeroAt: scale?.kind === 'linear' ? scale.zeroAt : '',
    fullAt: scale?.kind === 'linear' ? scale.fullAt : '',
    bands: scale?.kind === 'bands' ? bandRows(scale) : [],
    fromActuals: n.fromActuals !== undefined,
  };
}

/** The form showing a saved system (or the defaults). */
export function formFromSystem(system: EvaluationSystem): SystemForm {
  const rows: NodeRow[] = [];
  const walk = (nodes: IndicatorNode[], depth: number): void => {
    for (const n of nodes) {
      rows.push(rowOf(n, depth));
      if (n.children) walk(n.children, depth + 1);
    }
  };
  walk(system.indicators, 0);
  return { rows, comment: '' };
}

/** The form as posted: rows in index order, each depth at most one below the row above. */
export function systemFormFromPost(body: unknown): SystemForm {
  const text = (o: unknown, k: string) => postedText(o, k);
  let previous = -1;
  const rows = postedList((body as Record<string, unknown> | null)?.n)
    .slice(0, MAX_ROWS)
    .map((r): NodeRow => {
      const asked = /^\d$/.test(text(r, 'depth')) ? Number(text(r, 'depth')) : 0;
      const depth = Math.min(asked, previous + 1, MAX_DEPTH - 1);
      previous = depth;
      return {
        depth,
        code: text(r, 'code'),
        nameZh: text(r, 'nameZh'),
        nameEn: text(r, 'nameEn'),
        weightPercent: text(r, 'weightPercent'),
        unit: text(r, 'unit'),
        kind: text(r, 'kind'),
        metric: text(r, 'metric'),
        scale: text(r, 'scale'),
        zeroAt: text(r, 'zeroAt'),
        fullAt: text(r, 'fullAt'),
        bands: postedList((r as Record<string, unknown> | null)?.bands)
          .slice(0, MAX_BANDS)
          .map((b) => ({ min: text(b, 'min'), max: text(b, 'max'), points: text(b, 'points') })),
        fromActuals: text(r, 'fromActuals') === 'true',
      };
    });
  return { rows, comment: postedText(body, 'comment') };
}

/** Index just after row `i`'s subtree. */
function subtreeEnd(rows: NodeRow[], i: number): number {
  const depth = (rows[i] as NodeRow).depth;
  let j = i + 1;
  while (j < rows.length && (rows[j] as NodeRow).depth > depth) j++;
  return j;
}

/** A code not yet used: the parent's code (or "N") and the first free number. */
function freshCode(rows: NodeRow[], base: string): string {
  const used = new Set(rows.map((r) => r.code.trim()));
  const stem = /^[A-Za-z0-9][A-Za-z0-9._-]{0,35}$/.test(base) ? base : 'N';
  for (let k = 1; ; k++) if (!used.has(`${stem}${k}`)) return `${stem}${k}`;
}

function blankRow(depth: number, code: string): NodeRow {
  return {
    depth,
    code,
    nameZh: '',
    nameEn: '',
    weightPercent: '',
    unit: '',
    kind: 'linear',
    metric: '',
    scale: 'linear',
    zeroAt: '0',
    fullAt: '100',
    bands: [],
    fromActuals: false,
  };
}

/** The parent row's code of row `i` (none at the first level). */
function parentCode(rows: NodeRow[], i: number): string {
  const depth = (rows[i] as NodeRow).depth;
  for (let j = i - 1; j >= 0; j--) if ((rows[j] as NodeRow).depth < depth) return rows[j]!.code;
  return 'N';
}

/** Applies an add/remove button; anything else (`refresh`) leaves the rows as typed. */
export function applySystemAction(form: SystemForm, action: string): SystemForm {
  const rows = form.rows.map((r) => ({ ...r, bands: [...r.bands] }));
  const [verb, a = '', b = ''] = action.split(':');
  const i = /^\d{1,4}$/.test(a) ? Number(a) : -1;
  const row = rows[i];
  const room = rows.length < MAX_ROWS;
  if (verb === 'add-top' && room) rows.push(blankRow(0, freshCode(rows, 'N')));
  if (!row) return { ...form, rows };
  if (verb === 'add-child' && room && row.depth < MAX_DEPTH - 1) {
    row.kind = 'group';
    rows.splice(subtreeEnd(rows, i), 0, blankRow(row.depth + 1, freshCode(rows, row.code.trim())));
  } else if (verb === 'add-sibling' && room)
    rows.splice(subtreeEnd(rows, i), 0, blankRow(row.depth, freshCode(rows, parentCode(rows, i))));
  else if (verb === 'remove') rows.splice(i, subtreeEnd(rows, i) - i);
  else if (verb === 'add-band' && row.bands.length < MAX_BANDS)
    row.bands.push({ min: '', max: '', points: '' });
  else if (verb === 'remove-band' && /^\d{1,2}$/.test(b)) row.bands.splice(Number(b), 1);
  return { ...form, rows };
}

/** A band as the file has it: an empty end is left out (open). */
function bandOf(b: BandRow): Record<string, string> {
  const out: Record<string, string> = { points: b.points.trim() };
  if (b.min.trim() !== '') out.min = b.min.trim();
  if (b.max.trim() !== '') out.max = b.max.trim();
  return out;
}

function scaleOf(r: NodeRow, kind: 'linear' | 'bands'): Record<string, unknown> {
  return kind === 'bands'
    ? { kind, bands: r.bands.map(bandOf) }
    : { kind, zeroAt: r.zeroAt.trim(), fullAt: r.fullAt.trim() };
}

function methodOf(r: NodeRow): unknown {
  if (r.kind === 'yes-no') return { kind: 'yes-no' };
  if (r.kind === 'metric')
    return {
      kind: 'metric',
      metric: r.metric,
      scale: scaleOf(r, usesBands(r) ? 'bands' : 'linear'),
    };
  if (r.kind === 'linear' || r.kind === 'bands') return scaleOf(r, r.kind);
  return { kind: r.kind };
}

function nodeOf(r: NodeRow): Record<string, unknown> {
  const out: Record<string, unknown> = {
    code: r.code.trim(),
    nameZh: r.nameZh,
    nameEn: r.nameEn,
    weightPercent: r.weightPercent.trim(),
  };
  if (r.unit.trim() !== '') out.unit = r.unit.trim();
  if (r.kind === 'group') out.children = [];
  else out.method = methodOf(r);
  if (r.fromActuals && feedable(r)) out.fromActuals = 'satisfaction';
  return out;
}

/**
 * The tree the rows describe (`{ indicators }`, for `saveEvaluationSystem`) and each row's path
 * in it (`indicators[0].children[1]`), so the domain's issues come back to their rows. A group
 * row left without children gets an empty list (refused, at its row).
 */
export function systemOfForm(form: SystemForm): { input: unknown; paths: string[] } {
  const roots: Array<Record<string, unknown>> = [];
  const stack: Array<{ node: Record<string, unknown>; path: string }> = [];
  const paths = form.rows.map((r) => {
    while (stack.length > r.depth) stack.pop();
    const node = nodeOf(r);
    const parent = stack[stack.length - 1];
    let path: string;
    if (parent) {
      const kids = (parent.node.children ??= []) as unknown[];
      path = `${parent.path}.children[${kids.length}]`;
      kids.push(node);
    } else {
      path = `indicators[${roots.length}]`;
      roots.push(node);
    }
    stack.push({ node, path });
    return path;
  });
  return { input: { indicators: roots }, paths };
}

/** Where an issue goes: its row and field (`bands.2.max`, `children` for a level), or the top. */
function placeOf(path: string, paths: string[]): { row: number; field: string } | null {
  let row = -1;
  paths.forEach((p, i) => {
    if ((path === p || path.startsWith(`${p}.`)) && p.length > (paths[row]?.length ?? -1)) row = i;
  });
  if (row < 0) return null;
  const rest = path.slice((paths[row] as string).length).replace(/^\./, '');
  const field = rest
    .replace(/^method\.scale\./, 'method.')
    .replace(/^method\.bands\[(\d+)\]\.?/, 'bands.$1.')
    .replace(/^method\.bands$/, 'bands')
    .replace(/^method\.(zeroAt|fullAt|metric)$/, '$1')
    .replace(/^method(\.kind)?$/, 'kind')
    .replace(/^method\.scale(\.kind)?$/, 'scale')
    .replace(/\.$/, '');
  return { row, field };
}

export interface PlacedIssues {
  /** Per row: field → messages (`''` for the row as a whole). */
  byRow: Array<Map<string, string[]>>;
  /** First-level issues and any that fit no row. */
  top: string[];
}

/** The issues of a refused save placed on their rows and fields, in the page's language. */
export function placeIssues(issues: FieldIssue[], paths: string[], lang: Lang): PlacedIssues {
  const byRow = paths.map(() => new Map<string, string[]>());
  const top: string[] = [];
  for (const i of issues) {
    const message = localizeIssue(i.message, lang);
    const at = placeOf(i.path, paths);
    if (!at) {
      top.push(message);
      continue;
    }
    const known =
      /^(children|code|nameZh|nameEn|weightPercent|unit|kind|metric|scale|zeroAt|fullAt|fromActuals|bands(\.\d+(\.(min|max|points))?)?)$/;
    const key = known.test(at.field) ? at.field : '';
    const m = byRow[at.row] as Map<string, string[]>;
    m.set(key, [...(m.get(key) ?? []), message]);
  }
  return { byRow, top };
}

const NO_ISSUES: PlacedIssues = { byRow: [], top: [] };

function options(values: readonly string[], chosen: string, label: (v: string) => string) {
  return values.map((v) => ({ value: v, label: label(v), selected: v === chosen }));
}

/** One row of the editor: its fields, its buttons and its errors. */
function rowView(r: NodeRow, i: number, errs: Map<string, string[]>, t: Translate) {
  const err = (k: string) => errs.get(k)?.join(' ') ?? null;
  const id = (k: string) => `en-${i}-${k}`;
  const name = (k: string) => `n[${i}][${k}]`;
  const text = (k: keyof NodeRow & string, kind: 'text' | 'decimal' = 'text'): FormField =>
    formField({
      id: id(k),
      name: name(k),
      kind,
      value: String(r[k]),
      label: t(`eval.form.${k}`),
      error: err(k),
    });
  const select = (k: 'kind' | 'metric' | 'scale', values: readonly string[]) =>
    formField({
      id: id(k),
      name: name(k),
      kind: 'select',
      value: r[k],
      label: t(`eval.form.${k}`),
      error: err(k),
      options: options(values, r[k], (v) =>
        v === '' ? '—' : t(k === 'metric' ? `eval.metric.${v}` : `eval.form.${k}.${v}`),
      ),
    });
  const bands = usesBands(r)
    ? r.bands.length > 0
      ? r.bands
      : [{ min: '', max: '', points: '' }]
    : [];
  return {
    index: i,
    depth: r.depth,
    title: r.code.trim() === '' ? t('eval.form.newNode') : r.code,
    group: r.kind === 'group',
    errors: errs.get('') ?? [],
    childrenErrors: errs.get('children') ?? [],
    fields: [
      text('code'),
      text('nameZh'),
      text('nameEn'),
      text('weightPercent', 'decimal'),
      text('unit'),
    ],
    kindField: select('kind', NODE_KINDS),
    metricFields:
      r.kind === 'metric'
        ? [select('metric', ['', ...METRIC_NAMES]), select('scale', SCALE_KINDS)]
        : [],
    linearFields: usesLinear(r) ? [text('zeroAt', 'decimal'), text('fullAt', 'decimal')] : [],
    hidden: hiddenFields(r, i),
    bands: bands.map((b, j) => ({
      index: j,
      errors: errs.get(`bands.${j}`) ?? [],
      fields: (['min', 'max', 'points'] as const).map((k) =>
        formField({
          id: `${id('bands')}-${j}-${k}`,
          name: `n[${i}][bands][${j}][${k}]`,
          kind: 'decimal',
          value: b[k],
          label: t(`eval.form.band.${k}`),
          error: err(`bands.${j}.${k}`),
        }),
      ),
      removeAction: `remove-band:${i}:${j}`,
    })),
    bandErrors: errs.get('bands') ?? [],
    addBandAction: usesBands(r) ? `add-band:${i}` : null,
    fromActuals: feedable(r)
      ? formField({
          id: id('fromActuals'),
          name: name('fromActuals'),
          kind: 'bool',
          value: r.fromActuals ? 'true' : 'false',
          label: t('eval.form.fromActuals'),
          error: err('fromActuals'),
        })
      : null,
    addChildAction: r.depth < MAX_DEPTH - 1 ? `add-child:${i}` : null,
    addSiblingAction: `add-sibling:${i}`,
    removeAction: `remove:${i}`,
  };
}

/**
 * What the row keeps but does not show for its current kind (the bounds of a row switched to
 * bands, say), as hidden inputs, so switching back finds them as typed.
 */
function hiddenFields(r: NodeRow, i: number): Array<{ name: string; value: string }> {
  const out = [{ name: `n[${i}][depth]`, value: String(r.depth) }];
  if (r.kind !== 'metric')
    out.push(
      { name: `n[${i}][metric]`, value: r.metric },
      { name: `n[${i}][scale]`, value: r.scale },
    );
  if (!usesLinear(r))
    out.push(
      { name: `n[${i}][zeroAt]`, value: r.zeroAt },
      { name: `n[${i}][fullAt]`, value: r.fullAt },
    );
  if (!usesBands(r))
    r.bands.forEach((b, j) => {
      for (const k of ['min', 'max', 'points'] as const)
        out.push({ name: `n[${i}][bands][${j}][${k}]`, value: b[k] });
    });
  return out;
}

/** The editor: its rows (with their errors when a save was refused) and the comment. */
export function systemFormView(form: SystemForm, t: Translate, placed: PlacedIssues = NO_ISSUES) {
  const none = new Map<string, string[]>();
  return {
    rows: form.rows.map((r, i) => rowView(r, i, placed.byRow[i] ?? none, t)),
    topErrors: placed.top,
    errorCount:
      placed.top.length + placed.byRow.reduce((n, m) => n + [...m.values()].flat().length, 0),
    comment: formField({
      id: 'eval-node-comment',
      name: 'comment',
      kind: 'text',
      value: form.comment,
      label: t('eval.system.comment'),
    }),
  };
}
