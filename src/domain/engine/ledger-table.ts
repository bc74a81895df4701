import { ZERO, type Dec } from '../decimal';
import type { IndirectTaxYear, LedgerYear, ReservesYear, SimulationResult } from './types';

/** One line of the ledger as a row of yearly amounts (yuan, or a ratio for DSCR). */
export interface LedgerLine {
  key: string;
  label: string;
  labelZh: string;
  kind: 'amount' | 'ratio';
  /** Lines that sum others (shown in bold). */
  total?: boolean;
  values: Array<Dec | null>;
}

const sumOf = (xs: Dec[]) => xs.reduce((a, b) => a.plus(b), ZERO);

/**
 * The full ledger as lines × years, every line item of the result in a stable order.
 * The one flattening used by CSV export, the CLI table and the results page.
 */
export function ledgerLines(result: SimulationResult): LedgerLine[] {
  const L = result.ledger;
  const line = (
    key: string,
    label: string,
    labelZh: string,
    pick: (y: LedgerYear) => Dec | null,
    extra: Partial<LedgerLine> = {},
  ): LedgerLine => ({
    key,
    label,
    labelZh,
    kind: 'amount',
    values: L.map(pick),
    ...extra,
  });
  const out: LedgerLine[] = [line('capex', 'Capital expenditure', '建设投资', (y) => y.capex)];
  result.streams.forEach((s, i) => {
    out.push(
      line(
        `revenue:${i + 1}`,
        `Revenue: ${s.name}`,
        `收入：${s.name}`,
        (y) => y.revenues[i] as Dec,
      ),
    );
  });
  out.push(
    line('operating-subsidy', 'Operating subsidy', '运营补贴', (y) => y.operatingSubsidy),
    line(
      'availability-payment',
      'Availability payment',
      '可用性付费',
      (y) => y.availabilityPayment,
    ),
    line('total-revenue', 'Total revenue', '收入合计', (y) => y.totalRevenue, { total: true }),
    line('data-authority-share', 'Data revenue share to authority', '数据收益分成', (y) =>
      sumOf(y.dataAuthorityShare),
    ),
    line('opex', 'Operating cost', '运营成本', (y) => y.opex),
  );
  const reserves = result.ledger[0]?.reserves;
  if (reserves?.maintenance)
    out.push(
      line('maintenance-spend', 'Major maintenance', '大修支出', (y) =>
        zeroIfMissing(y.reserves?.maintenance?.spend),
      ),
    );
  // VAT lines only when the scenario has VAT (src/domain/README.md, "Indirect taxes").
  if (L.some((y) => y.indirectTax)) {
    const v = (pick: (x: IndirectTaxYear) => Dec) => (y: LedgerYear) =>
      y.indirectTax ? pick(y.indirectTax) : ZERO;
    out.push(
      line(
        'output-vat',
        'Output VAT',
        '销项税额',
        v((x) => x.outputVat),
      ),
      line(
        'input-vat',
        'Input VAT',
        '进项税额',
        v((x) => x.inputVat),
      ),
      line(
        'vat-credit',
        'VAT credit carried forward',
        '留抵税额',
        v((x) => x.creditCarriedForward),
      ),
      line(
        'vat-payable',
        'VAT paid',
        '应纳增值税',
        v((x) => x.vatPayable),
      ),
      line(
        'urban-maintenance-tax',
        'Urban maintenance tax',
        '城市维护建设税',
        v((x) => x.urbanMaintenanceTax),
      ),
      line(
        'education-surcharge',
        'Education surcharge',
        '教育费附加',
        v((x) => x.educationSurcharge),
      ),
      line(
        'local-education-surcharge',
        'Local education surcharge',
        '地方教育附加',
        v((x) => x.localEducationSurcharge),
      ),
    );
  }
  out.push(
    line('depreciation', 'Depreciation', '折旧', (y) => y.depreciation),
    line('interest-expense', 'Interest expense', '利息支出', (y) => y.interestExpense),
    line('taxable-income', 'Taxable income', '应纳税所得额', (y) => y.taxableIncome),
    line('tax', 'Income tax', '所得税', (y) => y.tax),
    line('cfads', 'CFADS', '可用于偿债的现金流', (y) => y.cfads, { total: true }),
    line('residual-value', 'Residual value', '期末残值', (y) => y.residualValue),
  );
  result.sources.forEach((s, i) => {
    out.push(
      line(
        `drawdown:${s.id}`,
        `Drawdown: ${s.name}`,
        `资金到位：${s.name}`,
        (y) => y.drawdowns[i] as Dec,
      ),
    );
  });
  result.debts.forEach((s, j) => {
    const d = (y: LedgerYear) => y.debt[j] as LedgerYear['debt'][number];
    out.push(
      line(
        `debt:${s.id}:opening`,
        `${s.name}: opening balance`,
        `${s.name}：期初余额`,
        (y) => d(y).opening,
      ),
      line(
        `debt:${s.id}:interest`,
        `${s.name}: interest accrued`,
        `${s.name}：应计利息`,
        (y) => d(y).interest,
      ),
      line(
        `debt:${s.id}:capitalised`,
        `${s.name}: capitalised`,
        `${s.name}：资本化利息`,
        (y) => d(y).capitalisedInterest,
      ),
      line(
        `debt:${s.id}:interest-paid`,
        `${s.name}: interest paid`,
        `${s.name}：付息`,
        (y) => d(y).interestPaid,
      ),
      line(
        `debt:${s.id}:principal`,
        `${s.name}: principal repaid`,
        `${s.name}：还本`,
        (y) => d(y).principalPaid,
      ),
      line(`debt:${s.id}:fees`, `${s.name}: fees paid`, `${s.name}：费用`, (y) => d(y).fees),
      line(
        `debt:${s.id}:arrears`,
        `${s.name}: new arrears`,
        `${s.name}：新增逾期`,
        (y) => d(y).arrears,
      ),
      line(
        `debt:${s.id}:arrears-paid`,
        `${s.name}: arrears recovered`,
        `${s.name}：偿还逾期`,
        (y) => d(y).arrearsPaid,
      ),
      line(
        `debt:${s.id}:arrears-balance`,
        `${s.name}: arrears outstanding`,
        `${s.name}：逾期余额`,
        (y) => d(y).arrearsBalance,
      ),
      line(
        `debt:${s.id}:closing`,
        `${s.name}: closing balance`,
        `${s.name}：期末余额`,
        (y) => d(y).closing,
      ),
    );
  });
  out.push(...governmentDebtLines(result, line));
  out.push(
    line('debt-service', 'Total debt service paid', '还本付息合计', (y) => y.totalDebtService, {
      total: true,
    }),
    line('dscr', 'DSCR', '偿债覆盖率', (y) => y.dscr, { kind: 'ratio' }),
    line('shortfall', 'Shortfall', '资金缺口', (y) => y.shortfall),
    line(
      'shortfall-government',
      'Shortfall funded by government',
      '政府兜底',
      (y) => y.shortfallByGovernment,
    ),
    line('shortfall-equity', 'Shortfall funded by equity', '股东补足', (y) => y.shortfallByEquity),
    line('shortfall-unfunded', 'Shortfall unfunded', '未落实缺口', (y) => y.shortfallUnfunded),
  );
  if (reserves) out.push(...reserveLines(result, line));
  result.equityHolders.forEach((s, i) => {
    const e = (y: LedgerYear) => y.equity[i] as LedgerYear['equity'][number];
    out.push(
      line(`equity:${s.id}:contribution`, `${s.name}: contribution`, `${s.name}：出资`, (y) =>
        e(y).contribution.plus(e(y).shortfallContribution),
      ),
      line(
        `equity:${s.id}:distribution`,
        `${s.name}: distribution`,
        `${s.name}：分配`,
        (y) => e(y).distribution,
      ),
    );
    // Waterfall tiers of a preferred holder (src/domain/README.md, "Equity waterfall").
    if (result.ledger[0]?.equity[i]?.preferredReturn !== undefined)
      out.push(
        line(
          `equity:${s.id}:preferred-return`,
          `${s.name}: of which preferred return`,
          `${s.name}：其中优先回报`,
          (y) => e(y).preferredReturn ?? null,
        ),
        line(
          `equity:${s.id}:capital-returned`,
          `${s.name}: of which capital returned`,
          `${s.name}：其中返还本金`,
          (y) => e(y).capitalReturned ?? null,
        ),
        line(
          `equity:${s.id}:preferred-unpaid`,
          `${s.name}: preferred return owed`,
          `${s.name}：累计未付优先回报`,
          (y) => e(y).preferredUnpaid ?? null,
        ),
      );
  });
  out.push(
    line(
      'surplus-to-government',
      'Surplus to government',
      '上缴政府',
      (y) => y.surplusToGovernment,
    ),
    line('unlevered-tax', 'Income tax without debt', '无融资所得税', (y) => y.unleveredTax),
    line(
      'project-flow',
      'Project cash flow (pre-financing, after tax)',
      '项目现金流（融资前税后）',
      (y) => y.projectFlow,
      { total: true },
    ),
    line(
      'project-flow-pre-tax',
      'Project cash flow (pre-financing, pre-tax)',
      '项目现金流（融资前税前）',
      (y) => y.projectFlowPreTax,
    ),
    line('government-net', 'Net government outlay', '政府净支出', (y) => y.governmentNet, {
      total: true,
    }),
  );
  return out;
}

/**
 * How the ledger CSV names its columns and phases: `labels` are the line items' names in the
 * user's language ("收入：用户付费", "Revenue: User fees") and the phase in words; `codes` are the
 * stable machine keys (`revenue:1`, `debt:loan:opening`) and phase codes (`construction`).
 */
export interface LedgerCsvOptions {
  headers?: 'labels' | 'codes';
  lang?: 'en' | 'zh';
}

const CSV_WORDS = {
  en: { year: 'Year', phase: 'Phase', construction: 'Construction', operation: 'Operation' },
  zh: { year: '年份', phase: '阶段', construction: '建设期', operation: '运营期' },
} as const;

/**
 * CSV text of the ledger: one row per year, one column per line item (RFC 4180 quoting). Amounts
 * in yuan with two decimals, DSCR as its full decimal; headers as {@link LedgerCsvOptions} say
 * (default: labels in English).
 */
export function ledgerCsv(result: SimulationResult, options: LedgerCsvOptions = {}): string {
  const lines = ledgerLines(result);
  const codes = options.headers === 'codes';
  const words = CSV_WORDS[options.lang ?? 'en'];
  const zh = options.lang === 'zh';
  const quote = (s: string) => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  const header = codes
    ? ['year', 'phase', ...lines.map((l) => l.key)]
    : [words.year, words.phase, ...lines.map((l) => (zh ? l.labelZh : l.label))];
  const rows = result.ledger.map((y, t) =>
    [
      String(y.year),
      codes ? y.phase : words[y.phase],
      ...lines.map((l) => {
        const v = l.values[t];
        return v === null || v === undefined
          ? ''
          : l.kind === 'ratio'
            ? v.toString()
            : v.toFixed(2);
      }),
    ]
      .map(quote)
      .join(','),
  );
  return [header.map(quote).join(','), ...rows].join('\n') + '\n';
}

const zeroIfMissing = (d: Dec | undefined): Dec => d ?? ZERO;

type LineMaker = (
  key: string,
  label: string,
  labelZh: string,
  pick: (y: LedgerYear) => Dec | null,
  extra?: Partial<LedgerLine>,
) => LedgerLine;

/**
 * The reserve accounts' and lock-up's lines (src/domain/README.md, "Reserve accounts"), only for
 * the parts the scenario uses; the DSRA's equity funding line only when the equity paid it.
 */
function reserveLines(result: SimulationResult, line: LineMaker): LedgerLine[] {
  const first = result.ledger[0]?.reserves;
  const out: LedgerLine[] = [];
  if (first?.dsra) {
    const d = (pick: (x: NonNullable<ReservesYear['dsra']>) => Dec) => (y: LedgerYear) =>
      y.reserves?.dsra ? pick(y.reserves.dsra) : ZERO;
    out.push(
      line(
        'dsra-target',
        'DSRA target',
        '偿债储备目标余额',
        d((x) => x.target),
      ),
      line(
        'dsra-contribution',
        'DSRA paid in from cash',
        '偿债储备计提',
        d((x) => x.contribution),
      ),
    );
    if (result.ledger.some((y) => y.reserves?.dsra?.equityContribution.gt(0)))
      out.push(
        line(
          'dsra-equity',
          'DSRA paid in by equity holders',
          '股东注资偿债储备',
          d((x) => x.equityContribution),
        ),
      );
    out.push(
      line(
        'dsra-draw',
        'DSRA drawn for debt service',
        '动用偿债储备',
        d((x) => x.draw),
      ),
      line(
        'dsra-release',
        'DSRA released',
        '释放偿债储备',
        d((x) => x.release),
      ),
      line(
        'dsra-balance',
        'DSRA balance',
        '偿债储备余额',
        d((x) => x.balance),
        { total: true },
      ),
    );
  }
  if (first?.maintenance) {
    const m = (pick: (x: NonNullable<ReservesYear['maintenance']>) => Dec) => (y: LedgerYear) =>
      y.reserves?.maintenance ? pick(y.reserves.maintenance) : ZERO;
    out.push(
      line(
        'maintenance-contribution',
        'Maintenance reserve paid in',
        '大修储备计提',
        m((x) => x.contribution),
      ),
      line(
        'maintenance-from-reserve',
        'Maintenance paid from the reserve',
        '大修储备支用',
        m((x) => x.fromReserve),
      ),
      line(
        'maintenance-balance',
        'Maintenance reserve balance',
        '大修储备余额',
        m((x) => x.balance),
        { total: true },
      ),
    );
  }
  if (first?.lockUp) {
    const l = (pick: (x: NonNullable<ReservesYear['lockUp']>) => Dec) => (y: LedgerYear) =>
      y.reserves?.lockUp ? pick(y.reserves.lockUp) : ZERO;
    out.push(
      line(
        'lock-up-locked',
        'Distributions locked up',
        '分配锁定',
        l((x) => x.locked),
      ),
      line(
        'lock-up-released',
        'Locked-up cash released',
        '锁定资金释放',
        l((x) => x.released),
      ),
      line(
        'lock-up-balance',
        'Lock-up balance',
        '锁定资金余额',
        l((x) => x.balance),
        {
          total: true,
        },
      ),
    );
  }
  return out;
}

/**
 * The government-serviced bonds' lines (README "General bonds"): their schedules and the
 * general budget's service of them; none of it is the project's debt service. Only when the
 * scenario has such a bond.
 */
function governmentDebtLines(
  result: SimulationResult,
  line: (key: string, label: string, labelZh: string, pick: (y: LedgerYear) => Dec) => LedgerLine,
): LedgerLine[] {
  const bonds = result.governmentDebts ?? [];
  if (bonds.length === 0) return [];
  const out: LedgerLine[] = [];
  const parts = [
    ['opening', 'opening balance', '期初余额'],
    ['interest', 'interest (general budget)', '利息（一般公共预算）'],
    ['principal', 'principal (general budget)', '还本（一般公共预算）'],
    ['closing', 'closing balance', '期末余额'],
  ] as const;
  bonds.forEach((s, j) => {
    for (const [part, en, zh] of parts)
      out.push(
        line(`gov-debt:${s.id}:${part}`, `${s.name}: ${en}`, `${s.name}：${zh}`, (y) => {
          const row = y.governmentDebt?.[j];
          return row ? row[part] : ZERO;
        }),
      );
  });
  out.push(
    line(
      'gov-debt-service',
      'General-bond service from the general budget',
      '一般债券还本付息（一般公共预算）',
      (y) => sumOf((y.governmentDebt ?? []).map((g) => g.interest.plus(g.principal))),
    ),
  );
  return out;
}
