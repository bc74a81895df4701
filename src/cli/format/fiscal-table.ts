import { Dec } from '../../domain/decimal';
import { formatPercent, formatYuan } from '../../domain/fiscal/format';
import type { PortfolioFiscalReport } from '../../store';

/** Display only (a rounding point): decimal strings of the report, half-up as named in format.ts. */
const yuan = (s: string | null) => (s === null ? '—' : formatYuan(new Dec(s)));
const pct = (s: string | null, dp = 2) => (s === null ? '—' : formatPercent(new Dec(s), dp));

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const fmt = (r: string[]) =>
    r
      .map((c, i) =>
        i === 0 || i === r.length - 1 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0),
      )
      .join('  ')
      .trimEnd();
  return (
    [fmt(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(fmt)].join('\n') + '\n'
  );
}

/** Consecutive years as ranges: 2029, 2030, 2031, 2033 → "2029–2031, 2033". */
function years(list: readonly number[]): string {
  const out: string[] = [];
  for (let i = 0; i < list.length;) {
    let j = i;
    while (j + 1 < list.length && list[j + 1] === (list[j] as number) + 1) j++;
    out.push(j > i ? `${list[i]}–${list[j]}` : `${list[i]}`);
    i = j + 1;
  }
  return out.join(', ');
}

/**
 * The line on new-mechanism concessions' construction-period investment support: how much, in
 * which years, and whether the jurisdiction counts it (default not: 国办函〔2023〕115号).
 */
function concessionSupportLine(
  a: NonNullable<PortfolioFiscalReport['affordability']>,
  withSupport: ReadonlyArray<NonNullable<PortfolioFiscalReport['affordability']>['rows'][number]>,
): string {
  const total = withSupport.reduce(
    (sum, x) => sum.plus(x.concessionInvestmentSupportYuan),
    new Dec(0),
  );
  const amount = withSupport.length
    ? `${formatYuan(total)} yuan in ${years(withSupport.map((x) => x.year))}`
    : 'none in this portfolio';
  return a.concessionInvestmentSupportCounted
    ? `Concessions' construction-period investment support: ${amount}; counted as supporting investment in Programme (the jurisdiction's countConcessionInvestmentSupport).\n`
    : `Concessions' construction-period investment support: ${amount}; not counted in the ratio (国办函〔2023〕115号 allows government investment support during construction and forbids new future fiscal obligations through concessions).\n`;
}

/**
 * The human-readable fiscal report of `fundmix fiscal report`: the PPP affordability table
 * (years with obligations) and the failing checklist rows. Amounts in yuan.
 */
export function renderFiscalTable(r: PortfolioFiscalReport): string {
  const parts: string[] = [];
  parts.push(`Portfolio: ${r.portfolio.name}\n`);
  const t = r.thresholds;
  parts.push(
    `Jurisdiction: ${r.jurisdiction ?? '(none)'}; thresholds: ${r.thresholdsSource === 'jurisdiction' ? "the jurisdiction's" : 'national defaults'} ` +
      `(cap ${pct(t.affordabilityCap)}, new-project line ${pct(t.newProjectLine)}, bond coverage ${t.bondCoverage})\n`,
  );
  for (const s of r.switches)
    parts.push(
      `What-if (not saved): ${s.projectCode} ${s.from.scenarioName} → ${s.to.scenarioName}\n`,
    );
  for (const m of r.members.filter((x) => x.resultError))
    parts.push(`Left out: ${m.projectCode} / ${m.scenarioName}: ${m.resultError?.message ?? ''}\n`);
  parts.push('\n');

  const a = r.affordability;
  if (!a) {
    parts.push(
      'PPP affordability: no fiscal settings for this portfolio (budget forecast, other obligations), so it cannot be measured.\n',
    );
  } else {
    parts.push('PPP obligations against general public budget expenditure (yuan)\n');
    const support = (x: (typeof a.rows)[number]) => new Dec(x.concessionInvestmentSupportYuan);
    const shown = a.rows.filter((x) => new Dec(x.totalYuan).gt(0) || support(x).gt(0));
    // The concessions' investment support (issue 9, item 11) gets a column only where there is some.
    const supportColumn = shown.some((x) => support(x).gt(0));
    parts.push(
      table(
        [
          'Year',
          'Programme',
          ...(supportColumn ? ['Concession support'] : []),
          'Other PPP',
          'Total',
          'Budget',
          'Ratio',
          'Headroom',
          'Check',
        ],
        shown.map((x) => [
          String(x.year),
          yuan(x.obligations.total),
          ...(supportColumn ? [yuan(x.concessionInvestmentSupportYuan)] : []),
          yuan(x.otherYuan),
          yuan(x.totalYuan),
          yuan(x.budgetYuan),
          pct(x.ratio, 4),
          yuan(x.headroomYuan),
          x.breach
            ? `OVER CAP by ${yuan(x.breachYuan)}`
            : x.aboveNewProjectLine
              ? `above ${pct(t.newProjectLine)}`
              : x.budgetYuan === null
                ? 'no budget figure'
                : '',
        ]),
      ),
    );
    parts.push(
      concessionSupportLine(
        a,
        shown.filter((x) => support(x).gt(0)),
      ),
    );
    parts.push('\n');
    if (a.breachYears.length > 0) {
      const worst = a.rows
        .filter((x) => x.breach)
        .reduce((w, x) => (new Dec(x.ratio as string).gt(w.ratio as string) ? x : w));
      parts.push(
        `Cap of ${pct(t.affordabilityCap)} breached in ${years(a.breachYears)}; worst ${worst.year}: ${pct(worst.ratio, 4)}, ${yuan(worst.breachYuan)} yuan over.\n`,
      );
    } else if (a.peak) {
      parts.push(
        `Within the cap of ${pct(t.affordabilityCap)} every year with a budget figure; peak ${pct(a.peak.ratio, 4)} in ${a.peak.year}.\n`,
      );
    }
    if (a.yearsAboveNewProjectLine.length > 0)
      parts.push(
        `Above the ${pct(t.newProjectLine)} line (no new government-pay PPP) in ${years(a.yearsAboveNewProjectLine)}.\n`,
      );
    if (a.yearsWithoutBudget.some((y) => shown.some((x) => x.year === y)))
      parts.push(
        `No budget figure for ${years(a.yearsWithoutBudget.filter((y) => shown.some((x) => x.year === y)))}: not judged.\n`,
      );
  }

  parts.push('\n');
  if (r.failures.length === 0) {
    parts.push('Failing checks: none.\n');
  } else {
    parts.push(`Failing checks (${r.failures.length}):\n`);
    for (const f of r.failures)
      parts.push(
        `  - ${f.projectCode} / ${f.scenarioName}: ${f.row.title.en} (${f.row.title.zh}): ${f.row.figure}\n` +
          `      ${f.row.detail.en}\n      ${f.row.citation}\n`,
      );
  }
  return parts.join('');
}
