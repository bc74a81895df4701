import type { Dec } from '../../domain/decimal';
import type { Scenario } from '../../domain/scenario/schema';
import type { IrrFigure, SimulationResult } from '../../domain/engine/types';

const yuan = (d: Dec) => d.toFixed(2).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
const pct = (d: Dec | null) => (d === null ? '—' : `${d.times(100).toFixed(2)} %`);
const ratio = (d: Dec | null) => (d === null ? '—' : d.toFixed(2));
const irr = (f: IrrFigure) =>
  f.status === 'no-solution' ? 'none' : `${pct(f.rate)}${f.multiple ? ' (several)' : ''}`;

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const fmt = (r: string[]) =>
    r.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  ');
  return (
    [fmt(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(fmt)].join('\n') + '\n'
  );
}

/** The human-readable report of `fundmix simulate --format table`. Amounts in yuan. */
export function renderResultTable(scenario: Scenario, result: SimulationResult): string {
  const m = result.metrics;
  const parts: string[] = [];
  parts.push(`${scenario.project.name} — ${scenario.scenario.name}\n`);
  parts.push(
    `${scenario.project.category}, ${scenario.scenario.delivery}, approved ${scenario.project.approvalDate}; amounts in yuan\n\n`,
  );
  const metricRows: string[][] = [
    ['Total investment', yuan(m.totalInvestment)],
    ['Project NPV', yuan(m.projectNpv)],
    ['Project IRR', irr(m.projectIrr)],
    ...m.equity.map((e) => [`Equity IRR: ${e.name}`, irr(e.irr)]),
    ['Payback (years)', m.paybackYears === null ? 'never' : m.paybackYears.toFixed(2)],
    [
      'Discounted payback (years)',
      m.discountedPaybackYears === null ? 'never' : m.discountedPaybackYears.toFixed(2),
    ],
    ['DSCR min / avg', `${ratio(m.dscrMin)} (${m.dscrMinYear ?? '—'}) / ${ratio(m.dscrAvg)}`],
    ['LLCR / PLCR', `${ratio(m.llcr)} / ${ratio(m.plcr)}`],
    ['Special-bond coverage', ratio(m.bondCoverage)],
    ...(m.dsraAtStartOfOperation !== undefined
      ? [['DSRA at the start of operation', yuan(m.dsraAtStartOfOperation)]]
      : []),
    ['Government outlay (net)', yuan(m.governmentOutlayTotal)],
    [
      'Funding by pillar',
      (['government', 'enterprise', 'social'] as const)
        .map((p) => `${p} ${pct(m.fundingByPillar[p].share)}`)
        .join(', '),
    ],
  ];
  parts.push(table(['Metric', 'Value'], metricRows));
  if (result.flags.length > 0) {
    parts.push('\nFlags:\n');
    for (const f of result.flags) parts.push(`  [${f.severity}] ${f.code}: ${f.message}\n`);
  }
  parts.push('\n');
  const rows = result.ledger.map((y) => [
    String(y.year),
    y.phase === 'construction' ? 'build' : 'operate',
    yuan(y.capex),
    yuan(y.totalRevenue),
    yuan(y.opex),
    yuan(y.tax),
    yuan(y.cfads),
    yuan(y.totalDebtService),
    ratio(y.dscr),
    yuan(y.debt.reduce((a, d) => a.plus(d.closing), y.capex.mul(0))),
    yuan(y.shortfall),
    yuan(
      y.equity.reduce((a, e) => a.plus(e.distribution), y.capex.mul(0)).plus(y.surplusToGovernment),
    ),
    yuan(y.governmentNet),
  ]);
  parts.push(
    table(
      [
        'Year',
        'Phase',
        'Capex',
        'Revenue',
        'Opex',
        'Tax',
        'CFADS',
        'Debt service',
        'DSCR',
        'Debt balance',
        'Shortfall',
        'Distributed',
        'Gov. net',
      ],
      rows,
    ),
  );
  return parts.join('');
}
