import { Dec } from '../../domain/decimal';
import { PAYMENT_MECHANISMS } from '../../domain/fiscal/section';
import { DRAW_TIMINGS } from '../../domain/scenario/draw-timing';
import { URBAN_MAINTENANCE_RATES } from '../../domain/scenario/indirect-tax';
import { OWNERSHIPS } from '../../domain/scenario/ownership';
import {
  DELIVERIES,
  REPAYMENTS,
  SCENARIO_FORMAT,
  SECTORS,
  SOURCE_KINDS,
  SOURCE_TYPES,
  type ScenarioInput,
  type SourceType,
} from '../../domain/scenario/schema';
import { isScenarioV1 } from '../../domain/scenario/parse';
import type { ScenarioInputV1 } from '../../domain/scenario/schema-v1';
import { upgradeScenarioV1 } from '../../domain/scenario/upgrade';

/**
 * The scenario editor's form: what the user typed, as text, shaped like the scenario file.
 * Field names map to the scenario JSON (`funding[sources][0][amountYuan]` is
 * `funding.sources[0].amountYuan`), so validation issues map back to fields by path.
 *
 * The form state is kept as typed (never normalised) so a form that comes back with errors shows
 * exactly what the user entered; `formToInput` converts it to a scenario file for validation.
 */

export type FieldKind =
  'text' | 'textarea' | 'decimal' | 'int' | 'date' | 'select' | 'bool' | 'list' | 'yearAmounts';

export interface FieldSpec {
  /** Path relative to the block the field belongs to (`debt.annualRate` inside a source). */
  path: string;
  kind: FieldKind;
  /** Shown as required; the schema decides what is really required. */
  required?: boolean;
  /** Choices of a select; '' is "none". */
  options?: readonly string[];
  /** Message group of the choices' labels (`sector` → `sector.<code>`). */
  optionLabels?: string;
  /** A rate written as a fraction (shows the "0.05 = 5%" hint). */
  fraction?: boolean;
  /** The field has its own hint message (`field.<path>.hint`). */
  hint?: boolean;
  /** Value of a new, empty form. */
  initial?: string;
  /** Value when a stored scenario leaves the field out (its schema default, for checkboxes). */
  absent?: string;
  /** A select whose choices are whole numbers in the file (`firstIndex`). */
  numeric?: boolean;
  /** Year-amount lines keyed by operation-year number (1, 2, …) rather than calendar year. */
  operationYears?: boolean;
  /**
   * A checkbox `<block>.on` that is not in the file: on when the block is; the block is written
   * only when it is on.
   */
  presence?: boolean;
}

const CATEGORIES = ['basic', 'market-oriented'] as const;
const SHORTFALLS = ['government', 'equity', 'unfunded'] as const;
const FISCAL_PHASES = ['construction', 'operation', 'all'] as const;
export const STREAM_KINDS = ['user-fee', 'public-data', 'other'] as const;
export type StreamKind = (typeof STREAM_KINDS)[number];

/** Top-level fields by editor section (the capex schedule and the rows are handled apart). */
export const SECTION_FIELDS = {
  project: [
    { path: 'project.code', kind: 'text', required: true, hint: true },
    { path: 'project.name', kind: 'text', required: true },
    { path: 'project.nameEn', kind: 'text' },
    {
      path: 'project.sector',
      kind: 'select',
      required: true,
      options: ['', ...SECTORS],
      optionLabels: 'sector',
    },
    {
      path: 'project.category',
      kind: 'select',
      required: true,
      options: ['', ...CATEGORIES],
      optionLabels: 'category',
    },
    { path: 'project.approvalDate', kind: 'date', required: true },
    { path: 'project.jurisdiction', kind: 'text' },
  ],
  scenario: [
    { path: 'scenario.name', kind: 'text', required: true },
    // Format v2: the delivery model is the scenario's (one project, a bond and a PPP scenario).
    {
      path: 'scenario.delivery',
      kind: 'select',
      required: true,
      options: ['', ...DELIVERIES],
      optionLabels: 'delivery',
    },
    { path: 'scenario.description', kind: 'textarea' },
  ],
  timeline: [
    { path: 'timeline.startYear', kind: 'int', required: true },
    { path: 'timeline.constructionYears', kind: 'int', required: true, initial: '2' },
    { path: 'timeline.operationYears', kind: 'int', required: true, initial: '20' },
    { path: 'residualValueYuan', kind: 'decimal', hint: true },
  ],
  opex: [
    { path: 'operatingCost.annualYuan', kind: 'decimal', required: true, hint: true },
    { path: 'operatingCost.escalation', kind: 'decimal', fraction: true },
  ],
  government: [
    { path: 'government.operatingSubsidy.annualYuan', kind: 'decimal' },
    { path: 'government.operatingSubsidy.escalation', kind: 'decimal', fraction: true },
    { path: 'government.operatingSubsidy.years', kind: 'int' },
    {
      path: 'government.availabilityPayment.method',
      kind: 'select',
      options: ['', 'mof-formula', 'annuity'],
      optionLabels: 'apMethod',
    },
    { path: 'government.availabilityPayment.constructionCostYuan', kind: 'decimal', hint: true },
    { path: 'government.availabilityPayment.profitRate', kind: 'decimal', fraction: true },
    { path: 'government.availabilityPayment.discountRate', kind: 'decimal', fraction: true },
    {
      path: 'government.availabilityPayment.annuityRate',
      kind: 'decimal',
      fraction: true,
      hint: true,
    },
    { path: 'government.availabilityPayment.periodYears', kind: 'int' },
    {
      path: 'government.availabilityPayment.firstIndex',
      kind: 'select',
      options: ['1', '0'],
      initial: '1',
      absent: '1',
      numeric: true,
    },
    {
      path: 'government.availabilityPayment.includeOperatingCost',
      kind: 'bool',
      initial: 'true',
      absent: 'true',
    },
    {
      path: 'government.availabilityPayment.deductUserFees',
      kind: 'bool',
      initial: 'true',
      absent: 'true',
    },
  ],
  tax: [
    { path: 'tax.incomeTaxRate', kind: 'decimal', fraction: true, initial: '0.25' },
    { path: 'tax.depreciationYears', kind: 'int', hint: true },
    { path: 'tax.lossCarryForwardYears', kind: 'int', initial: '5' },
  ],
  rates: [
    { path: 'discountRates.project', kind: 'decimal', required: true, fraction: true },
    { path: 'discountRates.equity', kind: 'decimal', required: true, fraction: true },
    { path: 'discountRates.government', kind: 'decimal', required: true, fraction: true },
    { path: 'covenants.minDscr', kind: 'decimal', initial: '1.2' },
    { path: 'covenants.bondCoverage', kind: 'decimal', initial: '1.2' },
    {
      path: 'shortfall',
      kind: 'select',
      required: true,
      options: SHORTFALLS,
      optionLabels: 'shortfall',
      initial: 'government',
    },
  ],
  fiscal: [
    { path: 'fiscal.riskBearing.annualYuan', kind: 'decimal' },
    {
      path: 'fiscal.riskBearing.phase',
      kind: 'select',
      options: FISCAL_PHASES,
      optionLabels: 'fiscalPhase',
      initial: 'operation',
      absent: 'operation',
    },
    { path: 'fiscal.riskBearing.byYear', kind: 'yearAmounts', hint: true },
    { path: 'fiscal.supportingInvestment.annualYuan', kind: 'decimal' },
    {
      path: 'fiscal.supportingInvestment.phase',
      kind: 'select',
      options: FISCAL_PHASES,
      optionLabels: 'fiscalPhase',
      initial: 'operation',
      absent: 'operation',
    },
    { path: 'fiscal.supportingInvestment.byYear', kind: 'yearAmounts', hint: true },
    { path: 'fiscal.psc.referenceBuildCostYuan', kind: 'decimal' },
    { path: 'fiscal.psc.referenceOperatingCostYuan', kind: 'decimal' },
    { path: 'fiscal.psc.referenceIncomeYuan', kind: 'decimal' },
    { path: 'fiscal.psc.competitiveNeutralityYuan', kind: 'decimal' },
    { path: 'fiscal.psc.retainedRiskYuan', kind: 'decimal' },
    { path: 'fiscal.psc.transferableRiskYuan', kind: 'decimal' },
    { path: 'fiscal.psc.discountRate', kind: 'decimal', fraction: true },
    { path: 'fiscal.bondAsCapitalYuan', kind: 'decimal' },
    {
      path: 'fiscal.paymentMechanism',
      kind: 'select',
      options: ['', ...PAYMENT_MECHANISMS],
      optionLabels: 'paymentMechanism',
    },
  ],
  // Issue 9: equity waterfall tiers (src/domain/scenario/waterfall.ts); written only when a
  // preferred source or rate is given.
  waterfall: [
    { path: 'funding.waterfall.preferredSourceIds', kind: 'list', hint: true },
    { path: 'funding.waterfall.preferredRate', kind: 'decimal', fraction: true },
    { path: 'funding.waterfall.returnOfCapital', kind: 'bool', initial: 'true', absent: 'true' },
    { path: 'funding.waterfall.capped', kind: 'bool', hint: true },
  ],
  // Reserve accounts and lock-up (issue 9; src/domain/scenario/reserves.ts).
  reserves: [
    { path: 'reserves.dsra.months', kind: 'int', hint: true },
    {
      path: 'reserves.dsra.funding',
      kind: 'select',
      options: ['cfads', 'equity'],
      optionLabels: 'dsraFunding',
      initial: 'cfads',
      absent: 'cfads',
    },
    { path: 'reserves.maintenance', kind: 'yearAmounts', hint: true, operationYears: true },
    { path: 'reserves.lockUp.minDscr', kind: 'decimal', hint: true },
  ],
  // Indirect taxes (增值税及附加; src/domain/scenario/indirect-tax.ts): the checkbox is the block.
  indirectTax: [
    { path: 'indirectTax.on', kind: 'bool', presence: true, hint: true },
    { path: 'indirectTax.capexInputRate', kind: 'decimal', fraction: true, hint: true },
    { path: 'indirectTax.opexInputRate', kind: 'decimal', fraction: true, hint: true },
    { path: 'indirectTax.availabilityPaymentRate', kind: 'decimal', fraction: true },
    { path: 'indirectTax.operatingSubsidyRate', kind: 'decimal', fraction: true, hint: true },
    {
      path: 'indirectTax.urbanMaintenanceRate',
      kind: 'select',
      options: URBAN_MAINTENANCE_RATES,
      optionLabels: 'urbanMaintenance',
      initial: '0.07',
      absent: '0.07',
    },
    { path: 'indirectTax.educationRate', kind: 'decimal', fraction: true, hint: true },
    { path: 'indirectTax.localEducationRate', kind: 'decimal', fraction: true, hint: true },
  ],
} satisfies Record<string, FieldSpec[]>;

export type SectionKey = keyof typeof SECTION_FIELDS;

const rampUp: FieldSpec = { path: 'rampUp', kind: 'list', hint: true };
/** Output VAT rate of a stream (used only when indirect taxes are on). */
const vatRate: FieldSpec = { path: 'vatRate', kind: 'decimal', fraction: true, hint: true };

/** Fields of a revenue stream, by kind. */
export const STREAM_FIELDS: Record<StreamKind, FieldSpec[]> = {
  'user-fee': [
    { path: 'name', kind: 'text', required: true },
    { path: 'unitPriceYuan', kind: 'decimal', required: true },
    { path: 'annualVolume', kind: 'decimal', required: true },
    { path: 'volumeGrowth', kind: 'decimal', fraction: true },
    { path: 'priceEscalation', kind: 'decimal', fraction: true },
    rampUp,
    vatRate,
  ],
  'public-data': [
    { path: 'name', kind: 'text', required: true },
    { path: 'annualIncomeYuan', kind: 'decimal', required: true },
    { path: 'growth', kind: 'decimal', fraction: true },
    { path: 'allowedProfitRate', kind: 'decimal', required: true, fraction: true },
    { path: 'taxRate', kind: 'decimal', fraction: true },
    { path: 'costBaseShare', kind: 'decimal', fraction: true },
    { path: 'authorityShare', kind: 'decimal', fraction: true },
    rampUp,
    vatRate,
  ],
  other: [
    { path: 'name', kind: 'text', required: true },
    { path: 'annualYuan', kind: 'decimal', required: true },
    { path: 'growth', kind: 'decimal', fraction: true },
    rampUp,
    vatRate,
  ],
};

export const SOURCE_FIELDS: FieldSpec[] = [
  { path: 'id', kind: 'text', required: true, hint: true },
  { path: 'name', kind: 'text', required: true },
  {
    path: 'type',
    kind: 'select',
    required: true,
    options: ['', ...SOURCE_TYPES],
    optionLabels: 'sourceType',
  },
  { path: 'amountYuan', kind: 'decimal' },
  { path: 'share', kind: 'decimal', hint: true },
];

/** Equity sources only: who owns it (empty: the type's default, see src/domain/scenario/ownership.ts). */
export const EQUITY_FIELDS: FieldSpec[] = [
  {
    path: 'ownership',
    kind: 'select',
    options: ['', ...OWNERSHIPS],
    optionLabels: 'ownership',
    hint: true,
  },
];

export const DEBT_FIELDS: FieldSpec[] = [
  { path: 'debt.annualRate', kind: 'decimal', required: true, fraction: true },
  { path: 'debt.tenorYears', kind: 'int', required: true, hint: true },
  { path: 'debt.graceYears', kind: 'int' },
  {
    path: 'debt.repayment',
    kind: 'select',
    required: true,
    options: ['', ...REPAYMENTS],
    optionLabels: 'repayment',
  },
  { path: 'debt.targetDscr', kind: 'decimal', hint: true },
  {
    path: 'debt.constructionInterest',
    kind: 'select',
    options: ['paid', 'capitalised'],
    optionLabels: 'constructionInterest',
    initial: 'paid',
    absent: 'paid',
  },
  { path: 'debt.upfrontFeeRate', kind: 'decimal', fraction: true },
  { path: 'debt.seniority', kind: 'int', hint: true },
  // Issue 9, item 9: when the draw bears interest (empty: by type, src/domain/scenario/draw-timing.ts).
  {
    path: 'drawTiming',
    kind: 'select',
    options: ['', ...DRAW_TIMINGS],
    optionLabels: 'drawTiming',
    hint: true,
  },
];

export type EditorMode = 'new-project' | 'new-scenario' | 'edit';

/** Values of one row (revenue stream or funding source), by relative path. */
export type RowValues = Record<string, string>;

export interface EditorForm {
  /** Top-level fields by absolute path. */
  fields: Record<string, string>;
  /** One amount per construction year. */
  capex: string[];
  revenues: Array<{ kind: string; values: RowValues }>;
  sources: RowValues[];
  meta: {
    mode: EditorMode;
    comment: string;
    /** The version the edit started from (to notice a save by someone else meanwhile). */
    baseVersionId: string;
    /** Project code that cannot change in this form (editing a stored project). */
    lockedCode: string;
    /**
     * The scenario's risk register (issue 11) as JSON text: the editor does not edit it (the
     * Risk register page does) but carries it through, so a save keeps it. '' or absent: none.
     */
    risks?: string;
  };
}

export const ALL_TOP_FIELDS: FieldSpec[] = Object.values(SECTION_FIELDS).flat();

// ---------------------------------------------------------------------------------------------
// Reading values

type Reader = (value: unknown, spec: FieldSpec) => string;

/** Text of a posted value: strings as sent; a repeated key (array) counts by its last value. */
const fromPost: Reader = (value, spec) => {
  if (Array.isArray(value)) return fromPost(value[value.length - 1], spec);
  if (typeof value === 'string') return value;
  return spec.kind === 'bool' ? 'false' : '';
};

/** Text of a stored scenario value (numbers, booleans and lists written out as a user would). */
const fromStored: Reader = (value, spec) => {
  if (value === undefined || value === null) return spec.absent ?? '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (spec.kind === 'yearAmounts' && Array.isArray(value)) {
    return value
      .map(
        (row) =>
          `${fromStored(getIn(row, 'year'), { path: '', kind: 'text' })}: ${fromStored(getIn(row, 'amountYuan'), { path: '', kind: 'text' })}`,
      )
      .join('\n');
  }
  if (Array.isArray(value))
    return value.map((v) => fromStored(v, { ...spec, kind: 'text' })).join(', ');
  return '';
};

function getIn(obj: unknown, path: string): unknown {
  let at: unknown = obj;
  for (const key of path.split('.')) {
    if (typeof at !== 'object' || at === null || Array.isArray(at)) return undefined;
    at = Object.prototype.hasOwnProperty.call(at, key)
      ? (at as Record<string, unknown>)[key]
      : undefined;
  }
  return at;
}

/**
 * A posted list: qs gives an array, or an object with numeric keys when indexes are sparse or
 * beyond its array limit; either way the items come back in index order, gaps closed.
 */
export function postedList(value: unknown): unknown[] {
  if (Array.isArray(value)) return value.filter((v) => v !== undefined);
  if (typeof value === 'object' && value !== null) {
    return Object.entries(value as Record<string, unknown>)
      .filter(([k]) => /^\d{1,4}$/.test(k))
      .sort(([a], [b]) => Number(a) - Number(b))
      .map(([, v]) => v);
  }
  return [];
}

const isStreamKind = (k: string): k is StreamKind =>
  (STREAM_KINDS as readonly string[]).includes(k);

function readRow(obj: unknown, specs: FieldSpec[], read: Reader): RowValues {
  return Object.fromEntries(specs.map((s) => [s.path, read(getIn(obj, s.path), s)]));
}

function readForm(
  source: unknown,
  read: Reader,
  list: (v: unknown) => unknown[],
): Omit<EditorForm, 'meta'> {
  const fields = Object.fromEntries(
    ALL_TOP_FIELDS.map((s) => [s.path, read(getIn(source, s.path), s)]),
  );
  const capex = list(getIn(source, 'capex.scheduleYuan')).map((v) =>
    read(v, { path: '', kind: 'decimal' }),
  );
  const revenues = list(getIn(source, 'revenues')).map((r) => {
    const kind = read(getIn(r, 'kind'), { path: 'kind', kind: 'text' });
    return { kind, values: readRow(r, isStreamKind(kind) ? STREAM_FIELDS[kind] : [], read) };
  });
  const sources = list(getIn(source, 'funding.sources')).map((s) =>
    readRow(s, [...SOURCE_FIELDS, ...EQUITY_FIELDS, ...DEBT_FIELDS], read),
  );
  return { fields, capex, revenues, sources };
}

/** The form as posted (`express.urlencoded({ extended: true })` body). */
export function formFromPost(body: unknown): EditorForm {
  const text = (path: string) => fromPost(getIn(body, path), { path, kind: 'text' });
  const mode = text('meta.mode');
  return {
    ...readForm(body, fromPost, postedList),
    meta: {
      mode: mode === 'edit' || mode === 'new-scenario' ? mode : 'new-project',
      comment: text('meta.comment'),
      baseVersionId: /^\d{1,12}$/.test(text('meta.baseVersionId'))
        ? text('meta.baseVersionId')
        : '',
      lockedCode: text('meta.lockedCode'),
      risks: text('meta.risks'),
    },
  };
}

/** The form showing a stored scenario's inputs (a stored v1 version is shown upgraded to v2). */
export function formFromInput(
  input: ScenarioInput | ScenarioInputV1,
  meta: EditorForm['meta'],
): EditorForm {
  const v2 = (
    isScenarioV1(input) ? upgradeScenarioV1(input as ScenarioInputV1) : input
  ) as ScenarioInput;
  const form = {
    ...readForm(v2, fromStored, (v) => (Array.isArray(v) ? v : [])),
    meta: { ...meta, risks: v2.risks === undefined ? '' : JSON.stringify(v2.risks) },
  };
  for (const s of ALL_TOP_FIELDS.filter((x) => x.presence)) {
    const block = getIn(v2, s.path.replace(/\.on$/, ''));
    form.fields[s.path] = block === undefined ? 'false' : 'true';
  }
  return form;
}

/** An empty form for a new project (defaults where the schema has them; start next year). */
export function blankForm(now: Date, meta: EditorForm['meta']): EditorForm {
  const fields = Object.fromEntries(ALL_TOP_FIELDS.map((s) => [s.path, s.initial ?? '']));
  fields['timeline.startYear'] = String(now.getUTCFullYear() + 1);
  return { fields, capex: ['', ''], revenues: [], sources: [blankSource()], meta };
}

export function blankSource(): RowValues {
  return Object.fromEntries(
    [...SOURCE_FIELDS, ...EQUITY_FIELDS, ...DEBT_FIELDS].map((s) => [s.path, s.initial ?? '']),
  );
}

export function blankStream(kind: StreamKind): { kind: string; values: RowValues } {
  return {
    kind,
    values: Object.fromEntries(STREAM_FIELDS[kind].map((s) => [s.path, s.initial ?? ''])),
  };
}

// ---------------------------------------------------------------------------------------------
// Form → scenario file

/** A number as typed, without grouping: "1,200,000" and "1 200 000" are read as 1200000. */
const compactNumber = (text: string) => text.replace(/[\s,，_]/g, '');

/** The JSON value of one field, or undefined when the field is empty (left out of the file). */
export function fieldValue(spec: FieldSpec, text: string): unknown {
  switch (spec.kind) {
    case 'bool':
      return text === 'true' || text === 'on';
    case 'decimal': {
      const t = compactNumber(text);
      return t === '' ? undefined : t;
    }
    case 'int': {
      const t = compactNumber(text);
      if (t === '') return undefined;
      // Not a whole number: passed on as text, so the schema names the problem at this field.
      return /^[+-]?\d{1,15}$/.test(t) ? Number(t) : t;
    }
    case 'list': {
      const items = text.split(/[\s,，;；]+/).filter((s) => s !== '');
      return items.length === 0 ? undefined : items;
    }
    case 'yearAmounts': {
      const entries = text
        .split(/[\n;；]+/)
        .map((e) => e.trim())
        .filter((e) => e !== '');
      if (entries.length === 0) return undefined;
      return entries.map((e) => {
        const m = (
          spec.operationYears ? /^(\d{1,2})\s*[:=：]\s*(.*)$/ : /^(\d{4})\s*[:=：]\s*(.*)$/
        ).exec(e);
        // An entry not written "year: amount" goes on as text: the schema names it at this field.
        return m
          ? { year: Number(m[1]), amountYuan: compactNumber(m[2] as string) }
          : { year: e, amountYuan: '' };
      });
    }
    case 'select':
      if (text.trim() === '') return undefined;
      return spec.numeric && /^\d{1,9}$/.test(text.trim()) ? Number(text.trim()) : text.trim();
    case 'date':
    case 'text':
      return text.trim() === '' ? undefined : text.trim();
    case 'textarea':
      return text.trim() === '' ? undefined : text;
  }
}

function setIn(obj: Record<string, unknown>, path: string, value: unknown): void {
  if (value === undefined) return;
  const keys = path.split('.');
  let at = obj;
  keys.slice(0, -1).forEach((k) => {
    if (typeof at[k] !== 'object' || at[k] === null) at[k] = {};
    at = at[k] as Record<string, unknown>;
  });
  at[keys[keys.length - 1] as string] = value;
}

function rowObject(values: RowValues, specs: FieldSpec[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const s of specs) setIn(out, s.path, fieldValue(s, values[s.path] ?? ''));
  return out;
}

export const isDebtType = (type: string): boolean =>
  SOURCE_KINDS[type as SourceType]?.nature === 'debt';
export const isEquityType = (type: string): boolean =>
  SOURCE_KINDS[type as SourceType]?.nature === 'equity';

/** The fields of a source row that go into the file: debt terms for debt, ownership for equity. */
export function sourceFieldsFor(type: string): FieldSpec[] {
  if (isDebtType(type)) return [...SOURCE_FIELDS, ...DEBT_FIELDS];
  return isEquityType(type) ? [...SOURCE_FIELDS, ...EQUITY_FIELDS] : SOURCE_FIELDS;
}

/**
 * The scenario file the form describes. Empty optional fields are left out (the schema's
 * defaults apply); optional blocks appear only when something in them is filled in; debt terms
 * only for debt instruments. The result is validated by `parseScenario`, never trusted.
 */
export function formToInput(form: EditorForm): Record<string, unknown> {
  const f = form.fields;
  const top = (path: string) => {
    const spec = ALL_TOP_FIELDS.find((s) => s.path === path) as FieldSpec;
    return fieldValue(spec, f[path] ?? '');
  };
  const block = (prefix: string) => {
    const out: Record<string, unknown> = {};
    for (const s of ALL_TOP_FIELDS.filter((x) => x.path.startsWith(`${prefix}.`) && !x.presence)) {
      setIn(out, s.path.slice(prefix.length + 1), fieldValue(s, f[s.path] ?? ''));
    }
    return out;
  };

  const government: Record<string, unknown> = {};
  const subsidy = block('government.operatingSubsidy');
  if (Object.keys(subsidy).length > 0) government.operatingSubsidy = subsidy;
  if (top('government.availabilityPayment.method') !== undefined)
    government.availabilityPayment = block('government.availabilityPayment');

  const fiscal: Record<string, unknown> = {};
  for (const part of ['riskBearing', 'supportingInvestment'] as const) {
    // The phase alone (it has a default) does not make a block: an amount must be given.
    const amounts = block(`fiscal.${part}`);
    if (amounts.annualYuan !== undefined || amounts.byYear !== undefined) fiscal[part] = amounts;
  }
  const psc = block('fiscal.psc');
  if (Object.keys(psc).length > 0) fiscal.psc = psc;
  for (const key of ['bondAsCapitalYuan', 'paymentMechanism']) {
    const v = top(`fiscal.${key}`);
    if (v !== undefined) fiscal[key] = v;
  }

  const project = block('project');
  if (form.meta.lockedCode !== '') project.code = form.meta.lockedCode;

  // Empty optional blocks are left out rather than written empty: the file stays as small as
  // what the user entered, and re-saving an unchanged stored scenario makes no new version.
  const input: Record<string, unknown> = {
    format: SCENARIO_FORMAT,
    project,
    scenario: block('scenario'),
    timeline: block('timeline'),
    capex: {
      scheduleYuan: form.capex.map((v) => fieldValue({ path: '', kind: 'decimal' }, v) ?? ''),
    },
    operatingCost: block('operatingCost'),
    funding: {
      sources: form.sources.map((s) => rowObject(s, sourceFieldsFor(s.type ?? ''))),
      ...waterfallInput(block('funding.waterfall')),
    },
    discountRates: block('discountRates'),
  };
  if (form.revenues.length > 0) {
    input.revenues = form.revenues.map((r) => ({
      kind: r.kind,
      ...rowObject(r.values, isStreamKind(r.kind) ? STREAM_FIELDS[r.kind] : []),
    }));
  }
  for (const [key, value] of [
    ['government', government],
    ['tax', block('tax')],
    ['covenants', block('covenants')],
  ] as const) {
    if (Object.keys(value).length > 0) input[key] = value;
  }
  const residual = top('residualValueYuan');
  if (residual !== undefined) input.residualValueYuan = residual;
  const shortfall = top('shortfall');
  if (shortfall !== undefined) input.shortfall = shortfall;
  if (Object.keys(fiscal).length > 0) input.fiscal = fiscal;
  const reserves = reservesInput(top, block);
  if (reserves) input.reserves = reserves;
  if (top('indirectTax.on') === true) input.indirectTax = block('indirectTax');
  const risks = carriedRisks(form.meta.risks);
  if (risks !== undefined) input.risks = risks;
  return input;
}

/** The carried risk register: its JSON, or the text itself when it is not JSON (the schema names it). */
function carriedRisks(text: string | undefined): unknown {
  if (text === undefined || text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** The waterfall block, only when a preferred source or rate is given (the booleans alone are not). */
function waterfallInput(block: Record<string, unknown>): { waterfall?: Record<string, unknown> } {
  return block.preferredSourceIds !== undefined || block.preferredRate !== undefined
    ? { waterfall: block }
    : {};
}

/**
 * The `reserves` section from the form: the DSRA only when its months are given (the funding
 * choice alone has a default), the schedule and the lock-up only when filled in.
 */
function reservesInput(
  top: (path: string) => unknown,
  block: (prefix: string) => Record<string, unknown>,
): Record<string, unknown> | null {
  const out: Record<string, unknown> = {};
  if (top('reserves.dsra.months') !== undefined) out.dsra = block('reserves.dsra');
  const schedule = top('reserves.maintenance');
  if (schedule !== undefined) out.maintenance = schedule;
  if (top('reserves.lockUp.minDscr') !== undefined) out.lockUp = block('reserves.lockUp');
  return Object.keys(out).length > 0 ? out : null;
}

// ---------------------------------------------------------------------------------------------
// Rows and the capex schedule

/** Applies an add/remove/refresh action (the no-JavaScript fallback of the row buttons). */
export function applyAction(form: EditorForm, action: string): EditorForm {
  const next: EditorForm = {
    ...form,
    capex: [...form.capex],
    revenues: [...form.revenues],
    sources: [...form.sources],
  };
  const [verb, arg = ''] = action.split(':');
  const index = /^\d+$/.test(arg) ? Number(arg) : -1;
  switch (verb) {
    case 'add-source':
      if (next.sources.length < 30) next.sources.push(blankSource());
      break;
    case 'remove-source':
      if (index >= 0) next.sources.splice(index, 1);
      break;
    case 'add-stream':
      if (isStreamKind(arg) && next.revenues.length < 20) next.revenues.push(blankStream(arg));
      break;
    case 'remove-stream':
      if (index >= 0) next.revenues.splice(index, 1);
      break;
    default:
      break;
  }
  next.capex = fitCapex(next.capex, next.fields['timeline.constructionYears'] ?? '');
  return next;
}

/** One capex field per construction year (when the number of years is valid), keeping values. */
export function fitCapex(capex: string[], constructionYears: string): string[] {
  const n = /^\s*\d{1,2}\s*$/.test(constructionYears) ? Number(constructionYears) : NaN;
  if (!(n >= 1 && n <= 10)) return capex.length > 0 ? capex : [''];
  return Array.from({ length: n }, (_, i) => capex[i] ?? '');
}

// ---------------------------------------------------------------------------------------------
// The funding check

const YUAN_RE = /^\d+(\.\d{1,2})?$/;
const FRACTION_RE = /^\d+(\.\d+)?$/;

export interface FundingCheck {
  /** False while some capex or source amount is missing or unreadable. */
  complete: boolean;
  investment: string;
  funded: string;
  /** investment − funded: positive means unfunded, negative means too much. */
  gap: string;
  byPillar: Record<'government' | 'enterprise' | 'social', string>;
}

/**
 * Sources against uses as typed, exactly (Decimal), with the same arithmetic the schema uses:
 * amounts plus shares × total investment. The server recomputes it on every render; the
 * browser script mirrors it while typing.
 */
export function fundingCheck(form: EditorForm): FundingCheck {
  let complete = form.capex.length > 0;
  let investment = new Dec(0);
  for (const v of form.capex) {
    const t = compactNumber(v);
    if (YUAN_RE.test(t)) investment = investment.plus(t);
    else complete = false;
  }
  let funded = new Dec(0);
  const byPillar = { government: new Dec(0), enterprise: new Dec(0), social: new Dec(0) };
  if (form.sources.length === 0) complete = false;
  for (const s of form.sources) {
    const amount = compactNumber(s.amountYuan ?? '');
    const share = compactNumber(s.share ?? '');
    let value: InstanceType<typeof Dec> | null = null;
    if (YUAN_RE.test(amount) && share === '') value = new Dec(amount);
    else if (FRACTION_RE.test(share) && amount === '') value = investment.times(share);
    if (value === null) {
      complete = false;
      continue;
    }
    funded = funded.plus(value);
    const pillar = SOURCE_KINDS[s.type as SourceType]?.pillar;
    if (pillar) byPillar[pillar] = byPillar[pillar].plus(value);
  }
  return {
    complete,
    investment: investment.toFixed(2),
    funded: funded.toFixed(2),
    gap: investment.minus(funded).toFixed(2),
    byPillar: {
      government: byPillar.government.toFixed(2),
      enterprise: byPillar.enterprise.toFixed(2),
      social: byPillar.social.toFixed(2),
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Paths and names

/** `funding.sources[0].debt.annualRate` → `funding[sources][0][debt][annualRate]`. */
export function formName(path: string): string {
  const parts = path.replace(/\[(\d+|__i__)\]/g, '.$1').split('.');
  return (
    parts[0] +
    parts
      .slice(1)
      .map((p) => `[${p}]`)
      .join('')
  );
}

/** An element id for a path: `f-funding-sources-0-debt-annualRate`. */
export function fieldId(path: string): string {
  return `f-${path.replace(/[[\].]+/g, '-').replace(/-$/, '')}`;
}
