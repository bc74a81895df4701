import { sum, type Dec } from '../../domain/decimal';
import { simulate } from '../../domain/engine/simulate';
import type { FieldIssue } from '../../domain/errors';
import {
  riskRegister,
  type RiskRegisterResult,
  type YearAmount,
} from '../../domain/fiscal/risk-bearing';
import { isScenarioV1, parseScenario } from '../../domain/scenario/parse';
import {
  RISK_CASES,
  RISK_CATEGORIES,
  RISK_DRIVERS,
  RISK_METHODS,
  type RiskMethod,
} from '../../domain/scenario/risks';
import type { ScenarioInput } from '../../domain/scenario/schema';
import type { ScenarioInputV1 } from '../../domain/scenario/schema-v1';
import { upgradeScenarioV1 } from '../../domain/scenario/upgrade';
import type { ScenarioVersion } from '../../store/types';
import type { Translate } from '../i18n';
import { localizeIssue } from '../i18n/issues';
import type { Lang } from '../format/number';

/**
 * The Risk register page of a scenario (issue 11): the register form (what the user typed, as
 * text, never normalised) and the figures computed from the stored current version.
 */

/** The form: register fields by schema path below `risks`, one record per risk row. */
export interface RegisterForm {
  fields: Record<string, string>;
  items: Array<Record<string, string>>;
  baseVersionId: string;
  comment: string;
}

/** Register-level fields (path below `risks`). */
const TOP_FIELDS = [
  'method',
  'insuranceToGovernment',
  'proportion.ratio',
  'proportion.operatingYears',
  ...RISK_CASES.flatMap((c) => [
    `scenarios.${c}.probability`,
    `scenarios.${c}.annualYuan`,
    `scenarios.${c}.phase`,
    `scenarios.${c}.byYear`,
  ]),
];

/** Fields of a risk row: form key → path below the item. */
const ITEM_FIELDS: ReadonlyArray<[string, string]> = [
  ['id', 'id'],
  ['category', 'category'],
  ['description', 'description'],
  ['probability', 'probability'],
  ['impactYuan', 'impactYuan'],
  ['years', 'years'],
  ['government', 'allocation.government'],
  ['partner', 'allocation.partner'],
  ['insuredYuan', 'insuredYuan'],
  ['driver', 'monteCarlo.driver'],
  ['min', 'monteCarlo.impact.min'],
  ['mode', 'monteCarlo.impact.mode'],
  ['max', 'monteCarlo.impact.max'],
];

const getIn = (obj: unknown, path: string): unknown =>
  path
    .split('.')
    .reduce<unknown>(
      (at, k) =>
        typeof at === 'object' && at !== null ? (at as Record<string, unknown>)[k] : undefined,
      obj,
    );

const textOf = (v: unknown): string => {
  if (v === undefined || v === null) return '';
  if (Array.isArray(v))
    return v
      .map((x) =>
        typeof x === 'object' && x !== null
          ? `${String(getIn(x, 'year'))}: ${String(getIn(x, 'amountYuan'))}`
          : String(x),
      )
      .join(typeof v[0] === 'object' ? '\n' : ', ');
  return typeof v === 'object' ? '' : String(v as string | number | boolean);
};

/** The v2 inputs of a stored version (a v1 version upgraded). */
export function v2Inputs(version: ScenarioVersion): ScenarioInput {
  const input = version.inputs as ScenarioInput | ScenarioInputV1;
  return isScenarioV1(input)
    ? upgradeScenarioV1(input as ScenarioInputV1)
    : (input as ScenarioInput);
}

/** The form showing a stored register (one blank row to add a risk). */
export function formFromVersion(version: ScenarioVersion): RegisterForm {
  const risks = v2Inputs(version).risks;
  const fields = Object.fromEntries(TOP_FIELDS.map((p) => [p, textOf(getIn(risks, p))]));
  if (fields.insuranceToGovernment === '') fields.insuranceToGovernment = 'false';
  const items = (risks?.items ?? []).map((item) =>
    Object.fromEntries(ITEM_FIELDS.map(([key, path]) => [key, textOf(getIn(item, path))])),
  );
  return { fields, items, baseVersionId: String(version.id), comment: '' };
}

const lastText = (v: unknown): string =>
  Array.isArray(v) ? lastText(v[v.length - 1]) : typeof v === 'string' ? v : '';

/** The form as posted (`express.urlencoded({ extended: true })`). */
export function formFromPost(body: unknown): RegisterForm {
  const risks = getIn(body, 'risks');
  const fields = Object.fromEntries(TOP_FIELDS.map((p) => [p, lastText(getIn(risks, p))]));
  const posted = getIn(body, 'items');
  const rows = Array.isArray(posted)
    ? posted
    : typeof posted === 'object' && posted !== null
      ? Object.entries(posted as Record<string, unknown>)
          .filter(([k]) => /^\d{1,3}$/.test(k))
          .sort(([a], [b]) => Number(a) - Number(b))
          .map(([, v]) => v)
      : [];
  const items = rows
    .slice(0, 100)
    .map((row) => Object.fromEntries(ITEM_FIELDS.map(([key]) => [key, lastText(getIn(row, key))])))
    .filter((row) => Object.values(row).some((v) => v.trim() !== ''));
  const base = lastText(getIn(body, 'baseVersionId'));
  return {
    fields,
    items,
    baseVersionId: /^\d{1,12}$/.test(base) ? base : '',
    comment: lastText(getIn(body, 'comment')),
  };
}

const compact = (s: string) => s.replace(/[\s,，_]/g, '');

function setIn(obj: Record<string, unknown>, path: string, value: unknown): void {
  if (value === undefined) return;
  const keys = path.split('.');
  let at = obj;
  for (const k of keys.slice(0, -1)) {
    if (typeof at[k] !== 'object' || at[k] === null) at[k] = {};
    at = at[k] as Record<string, unknown>;
  }
  at[keys[keys.length - 1] as string] = value;
}

const number = (s: string): unknown => (s.trim() === '' ? undefined : compact(s));
const whole = (s: string): unknown =>
  s.trim() === '' ? undefined : /^\d{1,9}$/.test(s.trim()) ? Number(s.trim()) : s.trim();

/** "2027: 100" lines; an entry not written so goes on as text, for the schema to name. */
function yearAmounts(text: string): unknown {
  const lines = text
    .split(/[\n;；]+/)
    .map((l) => l.trim())
    .filter((l) => l !== '');
  if (lines.length === 0) return undefined;
  return lines.map((l) => {
    const m = /^(\d{4})\s*[:=：]\s*(.*)$/.exec(l);
    return m ? { year: Number(m[1]), amountYuan: compact(m[2] as string) } : { year: l };
  });
}

/** A risk's years: "construction", "operation" or calendar years separated by commas or spaces. */
function yearsValue(text: string): unknown {
  const t = text.trim();
  if (t === '') return undefined;
  if (t === 'construction' || t === 'operation') return t;
  return t
    .split(/[\s,，;；]+/)
    .filter((s) => s !== '')
    .map((s) => (/^\d{4}$/.test(s) ? Number(s) : s));
}

function itemInput(row: Record<string, string>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const text = (k: string) => ((row[k] ?? '').trim() === '' ? undefined : (row[k] ?? '').trim());
  setIn(out, 'id', text('id'));
  setIn(out, 'category', text('category'));
  setIn(out, 'description', text('description'));
  for (const k of ['probability', 'impactYuan', 'insuredYuan']) setIn(out, k, number(row[k] ?? ''));
  setIn(out, 'years', yearsValue(row.years ?? ''));
  setIn(out, 'allocation.government', number(row.government ?? ''));
  setIn(out, 'allocation.partner', number(row.partner ?? ''));
  if (text('driver') !== undefined) {
    setIn(out, 'monteCarlo.driver', text('driver'));
    for (const k of ['min', 'mode', 'max'])
      setIn(out, `monteCarlo.impact.${k}`, number(row[k] ?? ''));
  }
  return out;
}

/**
 * The `risks` section the form describes; empty optional blocks are left out. Validated by
 * `parseScenario` with the rest of the scenario, never trusted.
 */
export function formToRisks(form: RegisterForm): Record<string, unknown> {
  const f = form.fields;
  const out: Record<string, unknown> = {};
  setIn(out, 'method', (f.method ?? '').trim() === '' ? undefined : (f.method ?? '').trim());
  out.insuranceToGovernment = f.insuranceToGovernment === 'true';
  if ((f['proportion.ratio'] ?? '') !== '' || (f['proportion.operatingYears'] ?? '') !== '') {
    setIn(out, 'proportion.ratio', number(f['proportion.ratio'] ?? ''));
    setIn(out, 'proportion.operatingYears', whole(f['proportion.operatingYears'] ?? ''));
    if (out.proportion === undefined) out.proportion = {};
  }
  const given = RISK_CASES.some((c) =>
    ['probability', 'annualYuan', 'byYear'].some((k) => (f[`scenarios.${c}.${k}`] ?? '').trim()),
  );
  if (given) {
    const scenarios: Record<string, unknown> = {};
    for (const c of RISK_CASES) {
      const one: Record<string, unknown> = {};
      setIn(one, 'probability', number(f[`scenarios.${c}.probability`] ?? ''));
      setIn(one, 'annualYuan', number(f[`scenarios.${c}.annualYuan`] ?? ''));
      const phase = (f[`scenarios.${c}.phase`] ?? '').trim();
      if (phase !== '') one.phase = phase;
      setIn(one, 'byYear', yearAmounts(f[`scenarios.${c}.byYear`] ?? ''));
      scenarios[c] = one;
    }
    out.scenarios = scenarios;
  }
  out.items = form.items.map(itemInput);
  return out;
}

// ---------------------------------------------------------------------------------------------
// Figures

/** The register computed for a stored version; null when it has none or its inputs fail. */
export function registerOf(version: ScenarioVersion): RiskRegisterResult | null {
  const scenario = parseScenario(version.inputs);
  if (!scenario.risks) return null;
  return riskRegister(scenario, simulate(scenario).ledger);
}

const fen = (d: Dec) => d.toFixed(2);
const rows = (list: YearAmount[] | null) =>
  list && list.map((y) => ({ year: y.year, amountYuan: fen(y.amount) }));

/** The computed figures as JSON (amounts as yuan decimal text, fen), for the API. */
export function registerJson(r: RiskRegisterResult | null): Record<string, unknown> | null {
  if (!r) return null;
  return {
    method: r.method,
    riskBearing: rows(r.riskBearing),
    byMethod: Object.fromEntries(RISK_METHODS.map((m) => [m, rows(r.byMethod[m])])),
    items: r.items.map((i) => ({
      id: i.id,
      governmentYuan: fen(i.government),
      partnerYuan: fen(i.partner),
      byYear: i.byYear.map((y) => ({
        year: y.year,
        governmentYuan: fen(y.government),
        partnerYuan: fen(y.partner),
      })),
    })),
    discountRate: r.discountRate.toString(),
    valuationYear: r.valuationYear,
    retainedRiskYuan: fen(r.retainedRiskPv),
    transferableRiskYuan: fen(r.transferableRiskPv),
  };
}

interface FigureRow {
  year: number;
  cells: Array<{ amount: string | null; chosen: boolean }>;
}

/** The by-year table: one column per method (null where a method has no figure that year). */
function methodTable(r: RiskRegisterResult): FigureRow[] {
  const years = new Set<number>();
  for (const m of RISK_METHODS) for (const y of r.byMethod[m] ?? []) years.add(y.year);
  return [...years]
    .sort((a, b) => a - b)
    .map((year) => ({
      year,
      cells: RISK_METHODS.map((m) => {
        const found = r.byMethod[m]?.find((y) => y.year === year);
        return {
          amount: r.byMethod[m] ? (found ? fen(found.amount) : '0.00') : null,
          chosen: m === r.method,
        };
      }),
    }));
}

/** Σ of a method's figures, or null without them. */
const totalOf = (list: YearAmount[] | null) => (list ? fen(sum(list.map((y) => y.amount))) : null);

// ---------------------------------------------------------------------------------------------
// The page

const FIELD_PREFIX = 'risks.';

/** Field errors by form key (`method`, `items.2.government`) and the list of every problem. */
function placeIssues(
  issues: readonly FieldIssue[],
  lang: Lang,
): { byKey: Map<string, string>; summary: Array<{ path: string; message: string }> } {
  const byKey = new Map<string, string>();
  const summary = issues.map((i) => ({ path: i.path, message: localizeIssue(i.message, lang) }));
  for (const { path, message } of summary) {
    if (!path.startsWith(FIELD_PREFIX)) continue;
    const rest = path.slice(FIELD_PREFIX.length);
    const item = /^items\[(\d+)\]\.?(.*)$/.exec(rest);
    if (item) {
      const sub = (item[2] as string).replace(/\[\d+\]$/, '');
      const hit =
        ITEM_FIELDS.find(([, p]) => p === sub) ??
        ITEM_FIELDS.find(([, p]) => p.startsWith(`${sub}.`)) ??
        ITEM_FIELDS.find(([, p]) => sub.startsWith(`${p}`) && sub !== '');
      const key = `items.${item[1] as string}.${hit ? hit[0] : 'id'}`;
      if (!byKey.has(key)) byKey.set(key, message);
      continue;
    }
    const dotted = rest.replace(/\[\d+\].*$/, '');
    const top =
      TOP_FIELDS.find((p) => p === dotted) ?? TOP_FIELDS.find((p) => p.startsWith(`${dotted}.`));
    if (top && !byKey.has(top)) byKey.set(top, message);
  }
  return { byKey, summary };
}

interface PageInput {
  form: RegisterForm;
  figures: RiskRegisterResult | null;
  issues: readonly FieldIssue[];
  lang: Lang;
  t: Translate;
}

const options = (values: readonly string[], selected: string, label: (v: string) => string) =>
  values.map((value) => ({ value, label: label(value), selected: value === selected }));

/** The page model: the form with its errors, and the computed figures. */
export function registerView({ form, figures, issues, lang, t }: PageInput) {
  const { byKey, summary } = placeIssues(issues, lang);
  const field = (key: string) => ({
    name: `risks[${key.split('.').join('][')}]`,
    id: `r-${key.replace(/\./g, '-')}`,
    value: form.fields[key] ?? '',
    error: byKey.get(key) ?? null,
  });
  const blank = Object.fromEntries(ITEM_FIELDS.map(([k]) => [k, '']));
  const itemRows = [...form.items, blank].map((row, i) => ({
    index: i,
    cells: Object.fromEntries(
      ITEM_FIELDS.map(([key]) => [
        key,
        {
          name: `items[${i}][${key}]`,
          id: `r-items-${i}-${key}`,
          value: row[key] ?? '',
          error: byKey.get(`items.${i}.${key}`) ?? null,
        },
      ]),
    ),
    categories: options(['', ...RISK_CATEGORIES], row.category ?? '', (v) =>
      v === '' ? '—' : t(`risks.category.${v}`),
    ),
    drivers: options(['', ...RISK_DRIVERS], row.driver ?? '', (v) => (v === '' ? '—' : v)),
  }));
  const method = form.fields.method ?? '';
  return {
    baseVersionId: form.baseVersionId,
    comment: form.comment,
    summary,
    method: {
      ...field('method'),
      options: options(['', ...RISK_METHODS], method, (v) =>
        v === '' ? '—' : t(`risks.method.${v}`),
      ),
    },
    insurance: {
      ...field('insuranceToGovernment'),
      checked: form.fields.insuranceToGovernment === 'true',
    },
    proportion: {
      ratio: field('proportion.ratio'),
      operatingYears: field('proportion.operatingYears'),
    },
    cases: RISK_CASES.map((c) => ({
      label: t(`risks.case.${c}`),
      probability: field(`scenarios.${c}.probability`),
      annualYuan: field(`scenarios.${c}.annualYuan`),
      byYear: field(`scenarios.${c}.byYear`),
      phases: options(
        ['', 'construction', 'operation', 'all'],
        form.fields[`scenarios.${c}.phase`] ?? '',
        (v) => (v === '' ? '—' : t(`risks.phase.${v}`)),
      ),
      phaseName: field(`scenarios.${c}.phase`).name,
    })),
    items: itemRows,
    figures: figures && {
      method: t(`risks.method.${figures.method}`),
      methods: RISK_METHODS.map((m: RiskMethod) => ({
        label: t(`risks.method.${m}`),
        chosen: m === figures.method,
      })),
      years: methodTable(figures),
      totals: RISK_METHODS.map((m) => ({
        amount: totalOf(figures.byMethod[m]),
        chosen: m === figures.method,
      })),
      items: figures.items.map((i) => ({
        id: i.id,
        government: fen(i.government),
        partner: fen(i.partner),
      })),
      discountRate: figures.discountRate.toString(),
      valuationYear: figures.valuationYear,
      retained: fen(figures.retainedRiskPv),
      transferable: fen(figures.transferableRiskPv),
    },
  };
}
