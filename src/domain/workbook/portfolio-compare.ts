import { Dec } from '../decimal';
import { columnLetter, type CellKind, type SheetCell, type SheetModel } from './portfolio-sheet';

/** One compared metric: each scenario's value (decimal text, or a float of years) or its text. */
export interface CompareWorkbookMetric {
  label: string;
  kind: 'amount' | 'rate' | 'ratio' | 'years';
  values: ReadonlyArray<string | number | null>;
  /** What the page shows where a value is null ("No debt", "—"). */
  texts: readonly string[];
}

export interface CompareWorkbookLabels {
  sheet: string;
  metric: string;
  /** The heading of each scenario's column. */
  scenarios: readonly string[];
  /** The heading of the difference of scenario i (from the second) against the first. */
  delta: (name: string) => string;
}

const CELL_KIND: Record<CompareWorkbookMetric['kind'], CellKind> = {
  amount: 'yuan',
  rate: 'percent',
  ratio: 'ratio',
  years: 'number',
};

/** The difference formula of a kind: amounts to the fen, ratios to 6 places, rates and years plain. */
function deltaFormula(kind: CompareWorkbookMetric['kind'], a: string, b: string): string {
  if (kind === 'amount') return `ROUND(${b}-${a},2)`;
  if (kind === 'ratio') return `ROUND(${b}-${a},6)`;
  return `${b}-${a}`;
}

function deltaValue(kind: CompareWorkbookMetric['kind'], a: string | number, b: string | number) {
  // Paybacks are floats of years; every other value is decimal text, its difference exact.
  return kind === 'years'
    ? String((b as number) - (a as number))
    : new Dec(String(b)).minus(String(a)).toString();
}

function metricRow(m: CompareWorkbookMetric, r: number): SheetCell[] {
  const kind = CELL_KIND[m.kind];
  const values: SheetCell[] = m.values.map((v, i) =>
    v === null ? { kind: 'text', value: m.texts[i] ?? '—' } : { kind, value: String(v) },
  );
  const base = m.values[0] ?? null;
  const deltas: SheetCell[] = m.values.slice(1).map((v, i) => {
    if (v === null || base === null) return { kind: 'text', value: null };
    return {
      kind,
      value: deltaValue(m.kind, base, v),
      formula: deltaFormula(m.kind, `B${r}`, `${columnLetter(i + 2)}${r}`),
    };
  });
  return [{ kind: 'text', value: m.label }, ...values, ...deltas];
}

/**
 * The comparison of scenarios as a sheet (README "Portfolio workbooks"): A the metric, then one
 * column per scenario with its value (the page's text where it has none), then for each
 * scenario from the second its difference against the first as a formula: amounts
 * `ROUND(C−B,2)`, ratios `ROUND(C−B,6)`, rates and paybacks `C−B`; the exact difference is the
 * cached value.
 */
export function compareSheet(
  metrics: readonly CompareWorkbookMetric[],
  l: CompareWorkbookLabels,
): SheetModel {
  return {
    name: l.sheet,
    headers: [l.metric, ...l.scenarios, ...l.scenarios.slice(1).map((n) => l.delta(n))],
    widths: [40, ...l.scenarios.map(() => 24), ...l.scenarios.slice(1).map(() => 24)],
    frozen: { rows: 1, columns: 1 },
    rows: metrics.map((m, i) => metricRow(m, i + 2)),
  };
}
