import type { JsonChange } from '../../store/json-diff';
import { diffJson } from '../../store/json-diff';
import { formatAmount, formatNumber, formatPercent, type Lang, type Unit } from '../format/number';
import { isMessageKey, type Translate } from '../i18n';
import {
  ALL_TOP_FIELDS,
  DEBT_FIELDS,
  EQUITY_FIELDS,
  SOURCE_FIELDS,
  STREAM_FIELDS,
  type FieldSpec,
} from './editor-form';

/** One input change as a person would say it, with its JSON path for auditors. */
export interface ReadableChange {
  /** "银团贷款 · 年利率 3.80% → 2.80%", "added: 停车收费". */
  text: string;
  /** The JSON path the change is at (`funding.sources[1].debt.annualRate`). */
  path: string;
}

/** How to say a path: its label and the spec that formats its values. */
interface Located {
  label: string;
  spec?: FieldSpec;
  /** The path names a whole item of a list (a funding source or a revenue stream). */
  item?: string;
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

const SOURCE_SPECS = [...SOURCE_FIELDS, ...EQUITY_FIELDS, ...DEBT_FIELDS];
const STREAM_SPECS = Object.values(STREAM_FIELDS).flat();
const YUAN_SPEC: FieldSpec = { path: 'amountYuan', kind: 'decimal' };
/** Field groups whose labels are short, by path prefix, with the heading the editor gives them. */
const GROUPS: ReadonlyArray<readonly [string, string]> = [
  ['government.operatingSubsidy.', 'editor.operatingSubsidy'],
  ['government.availabilityPayment.', 'editor.availabilityPayment'],
];
const kindSpec: FieldSpec = { path: 'kind', kind: 'select', optionLabels: 'streamKind' };

/** Reads `a.b[2].c` from a document; undefined where it is not there. */
function getAt(doc: unknown, path: string): unknown {
  let cur: unknown = doc;
  for (const m of path.matchAll(/([^.[\]]+)|\[(\d+)\]/g)) {
    if (m[2] !== undefined) cur = Array.isArray(cur) ? cur[Number(m[2])] : undefined;
    else cur = isObject(cur) ? cur[m[1] as string] : undefined;
  }
  return cur;
}

/** The field label with its "(yuan)" replaced by the page's unit ("金额（万元）"). */
function fieldLabel(key: string, unit: Unit, t: Translate): string | null {
  if (!isMessageKey(key)) return null;
  const u = t(`unit.${unit}`);
  return t(key)
    .replace(/\(yuan\)/, `(${u})`)
    .replace(/（元）/, `（${u}）`);
}

/** A label that does not name the unit, with the page's unit after it ("2026 年投资（万元）"). */
function withUnit(label: string, unit: Unit, t: Translate): string {
  return t('history.withUnit', { label, unit: t(`unit.${unit}`) });
}

/** The name an item of a list goes by in either version (after first). */
function itemName(before: unknown, after: unknown, path: string): string {
  for (const doc of [after, before]) {
    const item = getAt(doc, path);
    if (isObject(item) && typeof item.name === 'string' && item.name !== '') return item.name;
    if (isObject(item) && typeof item.id === 'string') return item.id;
  }
  return path;
}

/** Label and spec of a path, in the page's language; a path with no label keeps its path. */
function locate(path: string, before: unknown, after: unknown, unit: Unit, t: Translate): Located {
  const row = /^(funding\.sources|revenues)\[(\d+)\](?:\.(.+))?$/.exec(path);
  if (row) {
    const [, list, , rest] = row;
    const name = itemName(before, after, path.replace(/\]\..*$/, ']'));
    if (rest === undefined) return { label: name, item: name };
    const group = list === 'revenues' ? 'revenues' : 'funding.sources';
    const specs = list === 'revenues' ? STREAM_SPECS : SOURCE_SPECS;
    const base = rest.replace(/\[\d+\]$/, '');
    const label =
      fieldLabel(`field.${group}.${base}`, unit, t) ??
      (base === 'kind' ? t('history.streamKind') : base);
    const index = /\[(\d+)\]$/.exec(rest);
    const suffix = index ? ` ${Number(index[1]) + 1}` : '';
    const spec = specs.find((s) => s.path === base) ?? (base === 'kind' ? kindSpec : undefined);
    return { label: `${name} · ${label}${suffix}`, spec };
  }
  const capex = /^capex\.scheduleYuan\[(\d+)\]$/.exec(path);
  if (capex) {
    const start = Number(getAt(after, 'timeline.startYear') ?? getAt(before, 'timeline.startYear'));
    const year = t('editor.capexYear', { year: start + Number(capex[1]) });
    return { label: withUnit(year, unit, t), spec: YUAN_SPEC };
  }
  const maint = /^reserves\.maintenance\[(\d+)\]\.(year|amountYuan)$/.exec(path);
  if (maint) {
    const line = path.replace(/\]\..*$/, ']');
    const year = getAt(after, `${line}.year`) ?? getAt(before, `${line}.year`);
    const label = `${t('field.reserves.maintenance')} · ${t('history.operationYear', { n: String(year) })}`;
    return maint[2] === 'year'
      ? { label: `${label} · ${t('history.operationYearField')}` }
      : { label: withUnit(label, unit, t), spec: YUAN_SPEC };
  }
  const base = path.replace(/\[\d+\]$/, '');
  const index = /\[(\d+)\]$/.exec(path);
  const group = GROUPS.find(([prefix]) => base.startsWith(prefix));
  const field = fieldLabel(`field.${base}`, unit, t) ?? path;
  // A short label in a group of its own ("Method") is said with its group's heading.
  const label = group ? `${t(group[1]).replace(/\s*[(（][^()（）]*[)）]$/, '')} · ${field}` : field;
  return {
    label: index ? `${label} ${Number(index[1]) + 1}` : label,
    spec: ALL_TOP_FIELDS.find((s) => s.path === base),
  };
}

/** A value as the page shows it: rates in %, amounts in the unit, choices by their labels. */
function showValue(
  v: unknown,
  spec: FieldSpec | undefined,
  path: string,
  lang: Lang,
  unit: Unit,
  t: Translate,
): string {
  if (v === undefined || v === null || v === '') return t('common.none');
  if (typeof v === 'boolean') return t(v ? 'common.yes' : 'common.no');
  const decimal = typeof v === 'string' && /^-?\d+(\.\d+)?$/.test(v);
  if (spec?.fraction === true && decimal) return formatPercent(v, lang, { dp: 2 });
  if (/Yuan(\[\d+\])?$/.test(path) || spec === YUAN_SPEC) {
    if (decimal) return formatAmount(v, unit);
  }
  if (spec?.optionLabels && typeof v === 'string') {
    const key = `${spec.optionLabels}.${v}`;
    if (isMessageKey(key)) return t(key);
  }
  if (typeof v === 'number') return formatNumber(v);
  if (typeof v === 'string') return v;
  return JSON.stringify(v);
}

/**
 * Whole objects and lists added or removed (not items of the sources or streams) are said part
 * by part, so a section switched on reads as its fields; a maintenance line added or removed
 * reads as its amount (its operation year is in the label).
 */
function expand(changes: JsonChange[]): JsonChange[] {
  return changes.flatMap((c): JsonChange[] => {
    const value = c.kind === 'added' ? c.after : c.before;
    const side = (v: unknown) => (c.kind === 'added' ? { after: v } : { before: v });
    if (c.kind === 'changed') return [c];
    if (/^reserves\.maintenance\[\d+\]$/.test(c.path) && isObject(value))
      return [{ path: `${c.path}.amountYuan`, kind: c.kind, ...side(value.amountYuan) }];
    if (/^(funding\.sources|revenues)\[\d+\]$/.test(c.path)) return [c];
    if (Array.isArray(value))
      return expand(value.map((v, i) => ({ path: `${c.path}[${i}]`, kind: c.kind, ...side(v) })));
    if (!isObject(value)) return [c];
    const inner = c.kind === 'added' ? diffJson({}, value) : diffJson(value, {});
    return expand(inner.map((x) => ({ ...x, path: `${c.path}.${x.path}` })));
  });
}

/**
 * The changes from `before` to `after` in the page's language: each labelled by the editor's
 * field label, prefixed by the item it belongs to (a source or stream by its name, a capex year
 * by its calendar year, a maintenance line by its operation year), values formatted by kind.
 */
export function readableChanges(
  changes: JsonChange[],
  docs: { before: unknown; after: unknown },
  lang: Lang,
  unit: Unit,
  t: Translate,
): ReadableChange[] {
  return expand(changes).map((c) => {
    if (Array.isArray(c.before) && Array.isArray(c.after))
      return { path: c.path, text: reorderText(c, docs, t) };
    // A removed item's path is its position in the earlier version: name it from there.
    const at =
      c.kind === 'removed'
        ? locate(c.path, docs.after, docs.before, unit, t)
        : locate(c.path, docs.before, docs.after, unit, t);
    if (at.item !== undefined && c.kind !== 'changed')
      return { path: c.path, text: t(`history.item.${c.kind}`, { name: at.item }) };
    const show = (v: unknown) => showValue(v, at.spec, c.path, lang, unit, t);
    return { path: c.path, text: `${at.label} ${show(c.before)} → ${show(c.after)}` };
  });
}

/**
 * A list whose items were put in another order (`diffJson` gives the ids in each order): "资金来源
 * 顺序：资本金、银团贷款 → 银团贷款、资本金", items by their names.
 */
function reorderText(
  c: JsonChange,
  docs: { before: unknown; after: unknown },
  t: Translate,
): string {
  const list = [getAt(docs.after, c.path), getAt(docs.before, c.path)];
  const nameOf = (id: unknown) => {
    for (const items of list) {
      const item = Array.isArray(items) ? items.find((x) => isObject(x) && x.id === id) : undefined;
      if (isObject(item) && typeof item.name === 'string' && item.name !== '') return item.name;
    }
    return String(id);
  };
  const names = (ids: unknown) => (ids as unknown[]).map(nameOf).join(t('history.listSeparator'));
  return t('history.reordered', {
    list: isMessageKey(`history.list.${c.path}`) ? t(`history.list.${c.path}`) : c.path,
    before: names(c.before),
    after: names(c.after),
  });
}
