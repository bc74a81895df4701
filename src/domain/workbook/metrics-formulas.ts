/**
 * The Metrics sheet of a scenario workbook: NPV, IRR, payback, DSCR, LLCR, PLCR and the
 * special-bond coverage as formulas over the Ledger sheet's rows (with ROUND where the engine
 * rounds: NPVs to the fen, cover ratios to 6 decimals, payback to 2), each with the engine's
 * figure as its cached value. Helper rows below the metrics (cumulative flows, equity flows)
 * carry the intermediate steps. A metric the engine leaves empty (no IRR, no debt) is written
 * as its value alone.
 *
 * Pure: strings only; src/store/xlsx writes them with exceljs.
 */
import type { Dec } from '../decimal';
import type { IrrFigure, SimulationResult } from '../engine/types';
import { isGovernmentServiced, type Scenario } from '../scenario/schema';
import { INPUTS_SHEET, tableCell, type Label } from './inputs-layout';
import { arrearsFormulas } from './ledger-arrears';
import { allocatedPart } from './ledger-cash';
import {
  LEDGER_SHEET,
  inputName,
  workingLayout,
  yearColumn,
  type LedgerSheetLine,
} from './ledger-formulas';

/** The Metrics sheet's name. */
export const METRICS_SHEET = 'Metrics';

/** How a metric's number is shown. */
export type MetricKind = 'amount' | 'ratio' | 'rate' | 'years';

/** One row of the Metrics sheet: A label, B the formula (cached value) or the value alone. */
export interface MetricRow {
  key: string;
  label: Label;
  kind: MetricKind;
  formula: string | null;
  value: Dec | number | null;
  /** Helper rows: one cell per year from column B (formulas), after the metrics. */
  years?: string[];
  /** A metric over working rows: the Ledger rows those read. */
  reads?: number[];
  /** Helper rows: the cached value of each year's cell. */
  cached?: number[];
}

interface Ctx {
  scenario: Scenario;
  result: SimulationResult;
  C: number;
  T: number;
  /** Number of ledger lines (the working block's place). */
  lines: number;
  rowOf(key: string): number;
  has(key: string): boolean;
}

/** A ledger line over some years: `Ledger!$B$12:$R$12`. */
function span(ctx: Ctx, key: string, from = 0, to = ctx.T - 1): string {
  const r = ctx.rowOf(key);
  return `${LEDGER_SHEET}!$${yearColumn(from)}$${r}:$${yearColumn(to)}$${r}`;
}

/** The text of a metric that does not exist (no payback within the project's life). */
export const NONE_TEXT = '—';

/**
 * An IRR by Excel's IRR, started from the engine's rate to 4 dp: Newton's method from Excel's
 * default 10 % fails on deeply negative IRRs (#N/A) and, of several roots, may find another than
 * the one the engine reports (the one nearest 10 %, src/domain/README.md "IRR roots"). When the
 * inputs have moved the IRR far from that guess (revenue − 20 %) and Newton's method fails from
 * it, from 10 % (Excel's default, nearest the engine's choice) and then from −10 %.
 */
const irrRow = (key: string, label: Label, flows: string, irr: IrrFigure): MetricRow => ({
  key,
  label,
  kind: 'rate',
  formula:
    irr.rate === null
      ? null
      : `IFERROR(IRR(${flows},${irr.rate.toDecimalPlaces(4).toString()}),IFERROR(IRR(${flows},0.1),IRR(${flows},-0.1)))`,
  value: irr.rate,
});

/**
 * The metrics as formulas; `rowOf` gives Metrics-sheet helper rows their place (they follow the
 * metrics, so their rows are known only after all metrics are listed: the builder returns both).
 */
export function metricsSheet(
  scenario: Scenario,
  result: SimulationResult,
  ledger: readonly LedgerSheetLine[],
): MetricRow[] {
  const rows = new Map(ledger.map((l) => [l.line.key, l.row]));
  const ctx: Ctx = {
    scenario,
    result,
    C: scenario.timeline.constructionYears,
    T: result.ledger.length,
    lines: ledger.length,
    rowOf: (key) => {
      const r = rows.get(key);
      if (r === undefined) throw new Error(`No ledger line ${key}`);
      return r;
    },
    has: (key) => rows.has(key),
  };
  const m = result.metrics;
  const pf = span(ctx, 'project-flow');
  const out: MetricRow[] = [
    {
      key: 'total-investment',
      label: { en: 'Total investment', zh: '总投资' },
      kind: 'amount',
      formula: `SUM(${span(ctx, 'capex')})`,
      value: m.totalInvestment,
    },
    {
      key: 'project-npv',
      label: { en: 'Project NPV (after tax)', zh: '项目净现值（税后）' },
      kind: 'amount',
      formula: `ROUND(NPV(${inputName('discountRates.project')},${pf}),2)`,
      value: m.projectNpv,
    },
    irrRow(
      'project-irr',
      { en: 'Project IRR (after tax)', zh: '项目内部收益率（税后）' },
      pf,
      m.projectIrr,
    ),
    irrRow(
      'project-irr-pre-tax',
      { en: 'Project IRR (pre-tax)', zh: '项目内部收益率（税前）' },
      span(ctx, 'project-flow-pre-tax'),
      m.projectIrrPreTax,
    ),
    {
      key: 'government-npv',
      label: { en: 'Government net outlay, present value', zh: '政府净支出现值' },
      kind: 'amount',
      formula: `ROUND(NPV(${inputName('discountRates.government')},${span(ctx, 'government-net')}),2)`,
      value: m.governmentNpv,
    },
    {
      key: 'government-outlay',
      label: { en: 'Government net outlay, total', zh: '政府净支出合计' },
      kind: 'amount',
      formula: `SUM(${span(ctx, 'government-net')})`,
      value: m.governmentOutlayTotal,
    },
    ...dscrRows(ctx),
    ...coverRows(ctx),
    ...bondRows(ctx),
  ];
  // Helper rows follow all metrics: the two paybacks and two rows per equity holder.
  const helpers: MetricRow[] = [];
  const firstHelper = helperRow(out.length + 2 + 2 * result.equityHolders.length, 0);
  out.push(...paybackRows(ctx, firstHelper, helpers));
  out.push(...equityRows(ctx, firstHelper, helpers));
  return [...out, ...helpers];
}

/** DSCR minimum and average over the years with debt service (the DSCR line's cells). */
function dscrRows(ctx: Ctx): MetricRow[] {
  const m = ctx.result.metrics;
  const dscr = span(ctx, 'dscr');
  const cfads = span(ctx, 'cfads', ctx.C);
  const dscrOp = span(ctx, 'dscr', ctx.C);
  // The debt service due: paid in full unless shortfalls are unfunded (then interest + principal
  // due, working rows of src/domain/workbook/ledger-arrears.ts).
  const due = () => {
    const layout = workingLayout(ctx.scenario, ctx.lines);
    const working = (r: number) =>
      `${LEDGER_SHEET}!$${yearColumn(ctx.C)}$${r}:$${yearColumn(ctx.T - 1)}$${r}`;
    return `(${ctx.result.debts
      .map(
        (d, j) =>
          `${span(ctx, `debt:${d.id}:interest`, ctx.C)}+${working(layout.arrears(j).principalDue)}`,
      )
      .join('+')})`;
  };
  const service = arrearsFormulas(ctx) ? due() : span(ctx, 'debt-service', ctx.C);
  return [
    {
      key: 'dscr-min',
      label: { en: 'DSCR, minimum', zh: '偿债覆盖率（最低）' },
      kind: 'ratio',
      formula: m.dscrMin === null ? null : `MIN(${dscr})`,
      value: m.dscrMin,
    },
    {
      key: 'dscr-avg',
      label: { en: 'DSCR, average (Σ CFADS ÷ Σ debt service)', zh: '偿债覆盖率（平均）' },
      kind: 'ratio',
      // Over the years with a DSCR: Σ CFADS ÷ Σ the debt service the DSCR divides by.
      formula:
        m.dscrAvg === null
          ? null
          : `ROUND(SUMPRODUCT(ISNUMBER(${dscrOp})*${cfads})/SUMPRODUCT(ISNUMBER(${dscrOp})*${service}),6)`,
      value: m.dscrAvg,
    },
  ];
}

/** LLCR and PLCR at the start of operation (src/domain/README.md, "LLCR"). */
function coverRows(ctx: Ctx): MetricRow[] {
  const { result, scenario, C, T } = ctx;
  const m = result.metrics;
  const debts = result.debts.map((d) => d.id);
  const opening = debts.map(
    (id) => `${LEDGER_SHEET}!${yearColumn(C)}${ctx.rowOf(`debt:${id}:opening`)}`,
  );
  const amounts = debts.map((id) => `SUM(${span(ctx, `drawdown:${id}`)})`);
  const rates = debts.map((id) => rateCell(scenario.funding.sources.findIndex((s) => s.id === id)));
  const weighted =
    debts.length === 0
      ? '0'
      : `(${rates.map((r, j) => `${r}*${amounts[j]}`).join('+')})/(${amounts.join('+')})`;
  // The project's own debt only: a general bond is the government's (README "General bonds").
  const tenors = scenario.funding.sources.flatMap((s) =>
    s.debt && !isGovernmentServiced(s.type) ? [s.debt.tenorYears] : [],
  );
  const lastMaturity = Math.max(0, ...tenors.map((t) => t - 1));
  const loanYears = Math.max(1, Math.min(T - C, lastMaturity - C + 1));
  const cover = (to: number) =>
    `ROUND(NPV(${weighted},${span(ctx, 'cfads', C, to)})/(${opening.join('+')}),6)`;
  return [
    {
      key: 'llcr',
      label: { en: 'LLCR at the start of operation', zh: '贷款期偿债覆盖率（LLCR）' },
      kind: 'ratio',
      formula: m.llcr === null ? null : cover(C + loanYears - 1),
      value: m.llcr,
    },
    {
      key: 'plcr',
      label: { en: 'PLCR at the start of operation', zh: '项目期偿债覆盖率（PLCR）' },
      kind: 'ratio',
      formula: m.plcr === null ? null : cover(T - 1),
      value: m.plcr,
    },
  ];
}

/** The interest-rate cell of funding source i. */
function rateCell(i: number): string {
  return `${INPUTS_SHEET}!${tableCell('sources', 'debt.annualRate', i)}`;
}

/**
 * Special-bond coverage (src/domain/README.md, "Special-bond coverage"): the project's own net
 * income over the bonds' life (with VAT on, the operating cost's input VAT added back and the
 * surcharges deducted) ÷ the bonds' drawdowns and interest.
 */
function bondRows(ctx: Ctx): MetricRow[] {
  const { result, scenario } = ctx;
  const bonds = scenario.funding.sources.filter((s) => s.type === 'special-bond' && s.debt);
  if (bonds.length === 0) return [];
  const vat = result.ledger.some((y) => y.indirectTax);
  const life = Math.min(ctx.T, Math.max(...bonds.map((b) => b.debt!.tenorYears)));
  const sum = (key: string) => `SUM(${span(ctx, key, 0, life - 1)})`;
  // With VAT on, + the operating cost's creditable input VAT (operation years) − the surcharges.
  const opexInputVat =
    vat && life > ctx.C ? `+SUM(${span(ctx, 'input-vat', ctx.C, life - 1)})` : '';
  const surcharges = vat
    ? ['urban-maintenance-tax', 'education-surcharge', 'local-education-surcharge']
        .map((k) => `-${sum(k)}`)
        .join('')
    : '';
  const ownNet = [
    `${sum('total-revenue')}-${sum('operating-subsidy')}-${sum('availability-payment')}`,
    `${sum('data-authority-share')}-${sum('opex')}-${sum('tax')}${opexInputVat}${surcharges}`,
  ].join('-');
  const service = bonds
    .map((b) => `SUM(${span(ctx, `drawdown:${b.id}`)})+SUM(${span(ctx, `debt:${b.id}:interest`)})`)
    .join('+');
  const m = result.metrics;
  return [
    {
      key: 'bond-coverage',
      label: { en: 'Special-bond coverage', zh: '专项债本息覆盖倍数' },
      kind: 'ratio',
      formula: m.bondCoverage === null ? null : `ROUND((${ownNet})/(${service}),6)`,
      value: m.bondCoverage,
    },
  ];
}

/**
 * Payback and discounted payback: helper rows of the cumulative (discounted) project flow; the
 * payback is the end of the last year whose cumulative flow is negative plus the part of the next
 * year's flow that covers it, to 2 dp (0 when never negative; none when it ends negative).
 */
function paybackRows(ctx: Ctx, firstHelper: number, helpers: MetricRow[]): MetricRow[] {
  const m = ctx.result.metrics;
  const pfRow = ctx.rowOf('project-flow');
  const rate = inputName('discountRates.project');
  const first = firstHelper + helpers.length;
  const make = (discounted: boolean, row: number) =>
    Array.from({ length: ctx.T }, (_, t) => {
      const flow = `${LEDGER_SHEET}!${yearColumn(t)}${pfRow}`;
      const term = discounted ? `${flow}/(1+${rate})^${t + 1}` : flow;
      return t === 0 ? term : `${yearColumn(t - 1)}${row}+${term}`;
    });
  // Per year: its 1-based position where the cumulative flow is negative, else 0 (MAX: the last).
  const negative = (row: number) =>
    Array.from({ length: ctx.T }, (_, t) => `IF(${yearColumn(t)}${row}<0,${t + 1},0)`);
  const r = Number(ctx.scenario.discountRates.project);
  let cum = 0;
  let disc = 0;
  const flows = ctx.result.ledger.map((y) => y.projectFlow.toNumber());
  const cumulative = flows.map((f) => (cum += f));
  const discountedCum = flows.map((f, t) => (disc += f / (1 + r) ** (t + 1)));
  const marks = (xs: number[]) => xs.map((x, t) => (x < 0 ? t + 1 : 0));
  helpers.push(
    {
      key: 'cumulative-flow',
      label: { en: 'Cumulative project flow', zh: '累计项目现金流' },
      kind: 'amount',
      formula: null,
      value: null,
      years: make(false, first),
      cached: cumulative,
    },
    {
      key: 'cumulative-discounted-flow',
      label: { en: 'Cumulative discounted project flow', zh: '累计折现项目现金流' },
      kind: 'amount',
      formula: null,
      value: null,
      years: make(true, first + 1),
      cached: discountedCum,
    },
    {
      key: 'negative-years',
      label: { en: 'Years with a negative cumulative flow', zh: '累计现金流为负的年份' },
      kind: 'years',
      formula: null,
      value: null,
      years: negative(first),
      cached: marks(cumulative),
    },
    {
      key: 'negative-discounted-years',
      label: {
        en: 'Years with a negative cumulative discounted flow',
        zh: '累计折现现金流为负的年份',
      },
      kind: 'years',
      formula: null,
      value: null,
      years: negative(first + 1),
      cached: marks(discountedCum),
    },
  );
  const payback = (row: number, discounted: boolean) => {
    const cum = `$B$${row}:$${yearColumn(ctx.T - 1)}$${row}`;
    const marksRow = row + 2;
    // p: 1-based position of the last negative cumulative flow; the next year's flow covers it.
    const p = `MAX($B$${marksRow}:$${yearColumn(ctx.T - 1)}$${marksRow})`;
    const flow = `INDEX(${LEDGER_SHEET}!$B$${pfRow}:$${yearColumn(ctx.T - 1)}$${pfRow},1,${p}+1)`;
    const next = discounted ? `${flow}/(1+${rate})^(${p}+1)` : flow;
    return `IF(${yearColumn(ctx.T - 1)}${row}<0,"${NONE_TEXT}",IF(${p}=0,0,(${p}*100+ROUND(-INDEX(${cum},1,${p})*100/(${next}),0))/100))`;
  };
  return [
    {
      key: 'payback',
      label: { en: 'Payback (years)', zh: '投资回收期（年）' },
      kind: 'years',
      formula: payback(first, false),
      value: m.paybackYears,
      reads: [pfRow],
    },
    {
      key: 'discounted-payback',
      label: { en: 'Discounted payback (years)', zh: '动态投资回收期（年）' },
      kind: 'years',
      formula: payback(first + 1, true),
      value: m.discountedPaybackYears,
      reads: [pfRow],
    },
  ];
}

/** Equity holders' NPV and IRR over a helper row of their flows (distribution − paid in). */
function equityRows(ctx: Ctx, firstHelper: number, helpers: MetricRow[]): MetricRow[] {
  const { result } = ctx;
  const holders = result.equityHolders;
  // The DSRA paid in by equity is one line for all holders, split over their commitments as the
  // engine does (largest remainder in fen over the committed amounts, working cells of the Ledger).
  const dsra = ctx.has('dsra-equity');
  const layout = workingLayout(ctx.scenario, ctx.lines);
  const weights = holders.every((h) => h.amount.isZero())
    ? holders.map(() => '1')
    : holders.map(
        (h) =>
          `${LEDGER_SHEET}!$G$${layout.sourceRow(ctx.scenario.funding.sources.findIndex((s) => s.id === h.id))}`,
      );
  const out: MetricRow[] = [];
  holders.forEach((h, i) => {
    const e = result.metrics.equity[i]!;
    const row = firstHelper + helpers.length;
    const flows = Array.from({ length: ctx.T }, (_, t) => {
      const c = (key: string) => `${LEDGER_SHEET}!${yearColumn(t)}${ctx.rowOf(key)}`;
      const share = () =>
        holders.length === 1 ? c('dsra-equity') : allocatedPart(c('dsra-equity'), weights, i);
      const paid = `${c(`equity:${h.id}:contribution`)}${dsra ? `+${share()}` : ''}`;
      return `${c(`equity:${h.id}:distribution`)}-(${paid})`;
    });
    helpers.push({
      key: `equity-flow:${h.id}`,
      label: { en: `Equity flow: ${h.name}`, zh: `资本金现金流：${h.name}` },
      kind: 'amount',
      formula: null,
      value: null,
      years: flows,
      cached: result.ledger.map((y) => {
        const q = y.equity[i]!;
        const dsraPaid = dsra ? (y.reserves?.dsra?.equityByHolder[i]?.toNumber() ?? 0) : 0;
        return (
          q.distribution.toNumber() -
          q.contribution.plus(q.shortfallContribution).toNumber() -
          dsraPaid
        );
      }),
    });
    const range = `$B$${row}:$${yearColumn(ctx.T - 1)}$${row}`;
    const reads = [
      ctx.rowOf(`equity:${h.id}:contribution`),
      ctx.rowOf(`equity:${h.id}:distribution`),
      ...(dsra ? [ctx.rowOf('dsra-equity')] : []),
    ];
    out.push(
      {
        key: `equity-npv:${h.id}`,
        label: { en: `Equity NPV: ${h.name}`, zh: `资本金净现值：${h.name}` },
        kind: 'amount',
        formula: `ROUND(NPV(${inputName('discountRates.equity')},${range}),2)`,
        value: e.npv,
        reads,
      },
      irrRow(
        `equity-irr:${h.id}`,
        { en: `Equity IRR: ${h.name}`, zh: `资本金内部收益率：${h.name}` },
        range,
        e.irr,
      ),
    );
    out[out.length - 1]!.reads = reads;
  });
  return out;
}

/** Sheet row of helper row h: after the metrics, a blank row and a header row. */
export function helperRow(metricCount: number, h: number): number {
  return 2 + metricCount + 2 + h;
}
