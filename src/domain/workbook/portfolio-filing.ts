import type { SheetCell, SheetModel } from './portfolio-sheet';

export type CheckStatus = 'pass' | 'fail' | 'not-applicable';

/** One rule of the filed version's checklist, as the report shows it. */
export interface FilingWorkbookCheck {
  title: string;
  status: CheckStatus;
  statusLabel: string;
  figure: string;
}

export interface FilingWorkbookLabels {
  reportSheet: string;
  checksSheet: string;
  /** Headings of the checklist: rule, status, figure, status code. */
  checkColumns: [string, string, string, string];
  /** The summary rows' labels by status. */
  statuses: Record<CheckStatus, string>;
  /** Headings of the report sheet: item, value. */
  reportColumns: [string, string];
}

const STATUSES: readonly CheckStatus[] = ['pass', 'fail', 'not-applicable'];

const text = (value: string | null): SheetCell => ({ kind: 'text', value });

/**
 * The auditor's filing report as sheets (README "Portfolio workbooks"): the report's facts
 * (jurisdiction, project, version, who filed and decided, the inputs in words, declarations,
 * comments, fingerprints) as item and value, and the checklist: A rule, B status, C figure,
 * D the status code, then one row per status counting the rules `=COUNTIF(D2:Dn,"pass")`. The
 * version's metrics are a third sheet built like the comparison's (./portfolio-compare.ts).
 */
export function filingSheets(
  facts: ReadonlyArray<readonly [string, string]>,
  checks: readonly FilingWorkbookCheck[],
  l: FilingWorkbookLabels,
): { report: SheetModel; checks: SheetModel } {
  const last = checks.length + 1;
  const count = (s: CheckStatus) => checks.filter((c) => c.status === s).length;
  return {
    report: {
      name: l.reportSheet,
      headers: [...l.reportColumns],
      widths: [34, 100],
      frozen: { rows: 1, columns: 1 },
      rows: facts.map(([item, value]) => [text(item), text(value)]),
    },
    checks: {
      name: l.checksSheet,
      headers: [...l.checkColumns],
      widths: [50, 12, 40, 16],
      frozen: { rows: 1, columns: 1 },
      rows: [
        ...checks.map((c) => [text(c.title), text(c.statusLabel), text(c.figure), text(c.status)]),
        [],
        ...STATUSES.map((s): SheetCell[] => [
          text(l.statuses[s]),
          {
            kind: 'integer',
            value: String(count(s)),
            ...(checks.length > 0 ? { formula: `COUNTIF(D2:D${last},"${s}")` } : {}),
          },
        ]),
      ],
      boldRows: STATUSES.map((_, i) => checks.length + 1 + i),
    },
  };
}
