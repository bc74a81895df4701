import { Dec } from '../../domain/decimal';
import { ValidationError, type FieldIssue } from '../../domain/errors';
import { checkText } from '../../domain/text';
import type {
  FiscalAffordabilityYear,
  FiscalMemberReport,
  PortfolioFiscalReport,
} from '../../store/fiscal-report';
import type { ScenarioRecord } from '../../store/types';
import {
  amountForChart,
  formatAmount,
  formatPercent,
  formatRatio,
  type Lang,
  type Unit,
} from '../format/number';
import { yearRanges } from '../format/years';
import type { Translate } from '../i18n';
import { checkRowView, selfBalanceView, type CheckRowView, type SelfBalanceView } from './checks';
import { chartData, color, type ChartData, type ChartSpec, type DatasetSpec } from './charts';
import { projectName } from './common';

type D = InstanceType<typeof Dec>;

/** Query parameter of the what-if form and the API: `switch=CODE=SCENARIO`, repeated. */
export const SWITCH_PARAM = 'switch';

/**
 * Reads `switch=CODE=SCENARIO` values (a string or a list of them) into a switches map.
 * @throws ValidationError at `switch[i]` for a value without `CODE=` or a project given twice
 */
export function parseSwitchParams(value: unknown): Record<string, string> {
  const list = value === undefined ? [] : Array.isArray(value) ? value : [value];
  const out: Record<string, string> = {};
  const issues: FieldIssue[] = [];
  list.forEach((item, i) => {
    const path = `${SWITCH_PARAM}[${i}]`;
    const text = typeof item === 'string' ? item : '';
    const at = text.indexOf('=');
    const code = at > 0 ? text.slice(0, at).trim() : '';
    const scenario = at > 0 ? text.slice(at + 1).trim() : '';
    const refused = checkText('What-if switch', text, 'single-line');
    if (refused) issues.push({ path, message: refused });
    else if (!code || !scenario)
      issues.push({
        path,
        message: `Write a switch as PROJECT-CODE=SCENARIO (name or id), got ${JSON.stringify(typeof item === 'string' ? item : (item ?? null))}`,
      });
    else if (code in out) issues.push({ path, message: `Project ${code} is switched twice` });
    else out[code] = scenario;
  });
  if (issues.length > 0) throw new ValidationError(issues, 'The what-if switches are not valid');
  return out;
}

const money = (v: string | D, unit: Unit) => formatAmount(v, unit);
/** Amounts in a wide table: an exact zero as "–", so the figures that matter stand out. */
const cellAmount = (v: string | null, unit: Unit) =>
  v === null ? '—' : new Dec(v).isZero() ? '–' : formatAmount(v, unit);
const pct = (v: string | null, lang: Lang) => (v === null ? '—' : formatPercent(v, lang));
/** Percentage points between two fractions: ("0.099597", "0.102661") → "-0.31 pp". */
function ppDelta(to: string, from: string, t: Translate): string {
  return t('compare.pp', {
    value: formatRatio(new Dec(to).minus(from).times(100), { sign: true }),
  });
}
const memberName = (m: Pick<FiscalMemberReport, 'projectName' | 'projectNameEn'>, lang: Lang) =>
  projectName({ name: m.projectName, nameEn: m.projectNameEn }, lang);

/**
 * Affordability rows up to the last year with any obligation (in the report or, for a what-if,
 * the saved selection): a concession running to 2050 with nothing for the budget to pay adds
 * only empty rows.
 */
function affordabilityYears(
  report: PortfolioFiscalReport,
  saved: PortfolioFiscalReport | null,
): FiscalAffordabilityYear[] {
  const rows = report.affordability?.rows ?? [];
  const active = [...rows, ...(saved?.affordability?.rows ?? [])]
    .filter((r) => !new Dec(r.totalYuan).isZero())
    .map((r) => r.year);
  if (active.length === 0) return rows;
  const last = Math.max(...active);
  return rows.filter((r) => r.year <= last);
}

/** Bond rows up to the year the last bond is repaid (or the last with a balance or debt service). */
function bondYears(report: PortfolioFiscalReport): PortfolioFiscalReport['bonds']['rows'] {
  const rows = report.bonds.rows;
  const active = rows.filter(
    (r) =>
      !new Dec(r.openingYuan).isZero() ||
      !new Dec(r.closingYuan).isZero() ||
      !new Dec(r.debtServiceYuan).isZero() ||
      !new Dec(r.issuedYuan).isZero(),
  );
  if (active.length === 0) return rows;
  const last = Math.max(...active.map((r) => r.year));
  return rows.filter((r) => r.year <= last);
}

export interface AffordabilityRowView {
  year: number;
  equity: string;
  subsidy: string;
  risk: string;
  supporting: string;
  /** New-mechanism concessions' construction-period investment support (issue 9, item 11). */
  concessionSupport: string;
  programme: string;
  other: string;
  total: string;
  budget: string;
  ratio: string;
  capAmount: string;
  breach: string;
  breached: boolean;
  aboveLine: boolean;
  /** With a what-if: the saved selection's ratio and the change. */
  saved: { ratio: string; delta: string; tone: 'worse' | 'better' | 'same' } | null;
}

export interface FiscalCardView {
  key: string;
  label: string;
  value: string;
  note: string | null;
  tone: 'neutral' | 'good' | 'bad';
}

export interface FiscalPageView {
  portfolio: { id: number; name: string; description: string };
  portfolios: Array<{ id: number; name: string; selected: boolean }>;
  links: { self: string; settings: string; dashboard: string; api: string; manage: string };
  notice: { text: string; tone: 'ok' | 'warn' } | null;
  thresholds: { source: string; cap: string; line: string; coverage: string };
  whatIf: {
    active: boolean;
    switches: Array<{ project: string; code: string; from: string; to: string; toHref: string }>;
    selectors: Array<{
      code: string;
      name: string;
      label: string;
      switched: boolean;
      /** The option of the saved selection: the page's script leaves such selects out of "Show". */
      savedValue: string;
      options: Array<{ value: string; label: string; selected: boolean }>;
    }>;
    /** Hidden fields of the save form: `CODE=scenarioId`. */
    save: { switches: string[]; base: string } | null;
  };
  cards: FiscalCardView[];
  affordability: {
    rows: AffordabilityRowView[];
    /** The concessions' investment-support line: its column (when any year has some) and note. */
    concessionSupport: { column: boolean; header: string; note: string };
    capLabel: string;
    lineLabel: string;
    withoutBudget: string | null;
  } | null;
  bonds: {
    rows: Array<{
      year: number;
      opening: string;
      issued: string;
      interest: string;
      principal: string;
      service: string;
      closing: string;
    }>;
    totals: { issued: string; service: string };
    asCapital: { text: string; exceeds: boolean } | null;
  } | null;
  vfm: {
    columns: Array<{ name: string; scenario: string; href: string }>;
    rows: Array<{
      label: string;
      strong: boolean;
      cells: Array<{ text: string; badge: string | null }>;
    }>;
  } | null;
  selfBalance: Array<{
    name: string;
    code: string;
    scenario: string;
    href: string;
    view: SelfBalanceView;
  }>;
  failures: Array<{
    name: string;
    code: string;
    scenario: string;
    href: string;
    check: CheckRowView;
  }>;
  failureCount: number;
  problems: Array<{ name: string; scenario: string; message: string }>;
  charts: ChartData;
}

export interface FiscalPageInput {
  /** The report shown: the saved selection, or the what-if. */
  report: PortfolioFiscalReport;
  /** The saved selection's report when `report` is a what-if (switches applied), else null. */
  saved: PortfolioFiscalReport | null;
  portfolios: Array<{ id: number; name: string }>;
  /** Live scenarios of each member project, for the what-if selects. */
  scenariosOf: (projectCode: string) => ScenarioRecord[];
  /** Stamp of the saved portfolio (see routes/fiscal.ts): a save of the selection is refused when it moved. */
  savedAt: string;
  notice?: { text: string; tone: 'ok' | 'warn' } | null;
  lang: Lang;
  unit: Unit;
  t: Translate;
}

function affordabilityRows(
  report: PortfolioFiscalReport,
  saved: PortfolioFiscalReport | null,
  lang: Lang,
  unit: Unit,
  t: Translate,
): AffordabilityRowView[] {
  const rows = affordabilityYears(report, saved);
  const savedByYear = new Map((saved?.affordability?.rows ?? []).map((r) => [r.year, r]));
  return rows.map((r: FiscalAffordabilityYear) => {
    const before = savedByYear.get(r.year);
    let savedView: AffordabilityRowView['saved'] = null;
    if (saved) {
      const a = r.ratio;
      const b = before?.ratio ?? null;
      const diff = a !== null && b !== null ? new Dec(a).minus(b) : null;
      savedView = {
        ratio: pct(b, lang),
        delta: a !== null && b !== null ? ppDelta(a, b, t) : '—',
        tone: diff === null || diff.isZero() ? 'same' : diff.gt(0) ? 'worse' : 'better',
      };
    }
    return {
      year: r.year,
      equity: cellAmount(r.obligations.equityContribution, unit),
      subsidy: cellAmount(r.obligations.operatingSubsidy, unit),
      risk: cellAmount(r.obligations.riskBearing, unit),
      supporting: cellAmount(r.obligations.supportingInvestment, unit),
      concessionSupport: cellAmount(r.concessionInvestmentSupportYuan, unit),
      programme: cellAmount(r.obligations.total, unit),
      other: cellAmount(r.otherYuan, unit),
      total: cellAmount(r.totalYuan, unit),
      budget: r.budgetYuan === null ? '—' : money(r.budgetYuan, unit),
      ratio: pct(r.ratio, lang),
      capAmount: r.capYuan === null ? '—' : money(r.capYuan, unit),
      breach: r.breach && r.breachYuan !== null ? money(r.breachYuan, unit) : '–',
      breached: r.breach,
      aboveLine: r.aboveNewProjectLine === true,
      saved: savedView,
    };
  });
}

/**
 * The concessions' investment-support line: a column when some shown year has any, and a note
 * saying whether the jurisdiction counts it in the ratio (default not: 国办函〔2023〕115号).
 */
function concessionSupportView(
  report: PortfolioFiscalReport,
  saved: PortfolioFiscalReport | null,
  t: Translate,
): { column: boolean; header: string; note: string } {
  const counted = report.affordability?.concessionInvestmentSupportCounted === true;
  return {
    column: affordabilityYears(report, saved).some(
      (r) => !new Dec(r.concessionInvestmentSupportYuan).isZero(),
    ),
    header: t(counted ? 'fiscal.col.concessionSupportCounted' : 'fiscal.col.concessionSupport'),
    note: t(counted ? 'fiscal.concessionSupportCounted' : 'fiscal.concessionSupportNotCounted'),
  };
}

function cards(
  report: PortfolioFiscalReport,
  saved: PortfolioFiscalReport | null,
  lang: Lang,
  unit: Unit,
  t: Translate,
): FiscalCardView[] {
  const a = report.affordability;
  if (!a) return [];
  const capText = pct(a.cap, lang);
  const out: FiscalCardView[] = [];
  const peakNote = (x: typeof a) =>
    x.peak ? t('fiscal.card.peakIn', { year: x.peak.year, cap: pct(x.cap, lang) }) : null;
  const savedPeak = saved?.affordability?.peak ?? null;
  out.push({
    key: 'peak',
    label: saved ? t('fiscal.card.peakWhatIf') : t('fiscal.card.peak'),
    value: a.peak ? pct(a.peak.ratio, lang) : '—',
    note:
      saved && a.peak && savedPeak
        ? t('fiscal.card.peakVsSaved', {
            saved: pct(savedPeak.ratio, lang),
            year: savedPeak.year,
            delta: ppDelta(a.peak.ratio, savedPeak.ratio, t),
          })
        : peakNote(a),
    tone: a.breachYears.length > 0 ? 'bad' : 'good',
  });
  const worst = a.rows.reduce<FiscalAffordabilityYear | null>(
    (w, r) =>
      r.breach &&
      r.breachYuan !== null &&
      (w === null || new Dec(r.breachYuan).gt(w.breachYuan ?? '0'))
        ? r
        : w,
    null,
  );
  out.push({
    key: 'breach',
    label: t('fiscal.card.breachYears', { cap: capText }),
    value: a.breachYears.length > 0 ? yearRanges(a.breachYears) : t('fiscal.card.none'),
    note: worst
      ? t('fiscal.card.worst', {
          amount: money(worst.breachYuan as string, unit),
          unit: t(`unit.${unit}`),
          year: worst.year,
        })
      : saved?.affordability && saved.affordability.breachYears.length > 0
        ? t('fiscal.card.savedBreach', { years: yearRanges(saved.affordability.breachYears) })
        : t('fiscal.card.withinCap'),
    tone: a.breachYears.length > 0 ? 'bad' : 'good',
  });
  out.push({
    key: 'line',
    label: t('fiscal.card.aboveLine', { line: pct(a.newProjectLine, lang) }),
    value:
      a.yearsAboveNewProjectLine.length > 0
        ? yearRanges(a.yearsAboveNewProjectLine)
        : t('fiscal.card.none'),
    note: a.yearsAboveNewProjectLine.length > 0 ? t('fiscal.card.lineNote') : null,
    tone: a.yearsAboveNewProjectLine.length > 0 ? 'bad' : 'good',
  });
  return out;
}

function charts(
  report: PortfolioFiscalReport,
  saved: PortfolioFiscalReport | null,
  lang: Lang,
  unit: Unit,
  t: Translate,
): ChartData {
  const unitLabel = t(`unit.${unit}`);
  const out: Record<string, ChartSpec> = {};
  const a = report.affordability;
  const CAP = '#c4534a';
  const LINE = '#d08a2e';
  // Floats for the picture only: percentages of exact ratios (6 dp), amounts via amountForChart.
  const percent = (v: string | null) =>
    v === null ? null : new Dec(v).times(100).toDecimalPlaces(4).toNumber();
  if (a) {
    const shown = affordabilityYears(report, saved);
    const years = shown.map((r) => r.year);
    const capPct = percent(a.cap) as number;
    const linePct = percent(a.newProjectLine) as number;
    const ratio: DatasetSpec[] = [];
    if (saved) {
      const byYear = new Map((saved.affordability?.rows ?? []).map((r) => [r.year, r.ratio]));
      ratio.push({
        label: t('fiscal.chart.savedRatio'),
        data: years.map((y) => percent(byYear.get(y) ?? null)),
        color: '#6b7785',
        dashed: true,
      });
      ratio.push({
        label: t('fiscal.chart.whatIfRatio'),
        data: shown.map((r) => percent(r.ratio)),
        color: color(0),
      });
    } else {
      ratio.push({
        label: t('fiscal.chart.ratio'),
        data: shown.map((r) => percent(r.ratio)),
        color: color(0),
      });
    }
    ratio.push({
      label: t('fiscal.chart.cap', { cap: pct(a.cap, lang) }),
      data: years.map(() => capPct),
      color: CAP,
      dashed: true,
      flat: true,
    });
    ratio.push({
      label: t('fiscal.chart.line', { line: pct(a.newProjectLine, lang) }),
      data: years.map(() => linePct),
      color: LINE,
      dashed: true,
      flat: true,
    });
    out.ratio = {
      kind: 'line',
      labels: years,
      datasets: ratio,
      yFormat: 'percent',
      yTitle: t('fiscal.chart.ratioAxis'),
      beginAtZero: true,
    };

    const amt = (v: string) => amountForChart(v, unit);
    const parts: Array<[string, (r: FiscalAffordabilityYear) => string]> = [
      [t('fiscal.col.equity'), (r) => r.obligations.equityContribution],
      [t('fiscal.col.subsidy'), (r) => r.obligations.operatingSubsidy],
      [t('fiscal.col.risk'), (r) => r.obligations.riskBearing],
      [t('fiscal.col.supporting'), (r) => r.obligations.supportingInvestment],
      [t('fiscal.col.other'), (r) => r.otherYuan],
    ];
    const bars: DatasetSpec[] = parts
      .map(([label, pick], i) => ({
        label,
        data: shown.map((r) => amt(pick(r))),
        color: i === 4 ? '#b9c2cc' : color(i),
      }))
      .filter((d) => d.data.some((v) => v !== 0));
    bars.push({
      label: t('fiscal.chart.capAmount', { cap: pct(a.cap, lang) }),
      data: shown.map((r) => (r.capYuan === null ? null : amt(r.capYuan))),
      color: CAP,
      line: true,
      dashed: true,
      flat: true,
    });
    out.obligations = {
      kind: 'bar',
      labels: years,
      datasets: bars,
      stacked: true,
      yFormat: 'amount',
      yTitle: unitLabel,
    };
  }
  const bondRows = bondYears(report);
  if (bondRows.length > 0) {
    const amt = (v: string) => amountForChart(v, unit);
    out.bonds = {
      kind: 'bar',
      labels: bondRows.map((r) => r.year),
      yFormat: 'amount',
      yTitle: unitLabel,
      datasets: [
        {
          label: t('fiscal.chart.bondBalance'),
          data: bondRows.map((r) => amt(r.closingYuan)),
          color: color(0),
        },
        {
          label: t('fiscal.chart.debtService'),
          data: bondRows.map((r) => amt(r.debtServiceYuan)),
          color: '#1f2a37',
          line: true,
        },
      ],
    };
  }
  return chartData(lang, unit, t, out);
}

function vfmTable(
  report: PortfolioFiscalReport,
  lang: Lang,
  unit: Unit,
  t: Translate,
): FiscalPageView['vfm'] {
  const members = report.members.filter((m) => m.vfm !== null);
  if (members.length === 0) return null;
  const cell = (text: string, badge: string | null = null) => ({ text, badge });
  const row = (
    label: string,
    pick: (v: NonNullable<FiscalMemberReport['vfm']>) => { text: string; badge: string | null },
    strong = false,
  ) => ({
    label,
    strong,
    cells: members.map((m) => pick(m.vfm as NonNullable<FiscalMemberReport['vfm']>)),
  });
  const a = (v: string) => cell(money(v, unit));
  return {
    columns: members.map((m) => ({
      name: memberName(m, lang),
      scenario: m.scenarioName,
      href: `/versions/${m.versionId}`,
    })),
    rows: [
      row(t('vfm.referenceBuild'), (v) => a(v.psc.referenceBuildCost)),
      row(t('vfm.referenceOperating'), (v) => a(v.psc.referenceOperatingCost)),
      row(t('vfm.referenceIncome'), (v) =>
        cell(formatAmount(new Dec(v.psc.referenceIncome).neg(), unit)),
      ),
      row(t('vfm.referenceNet'), (v) => a(v.psc.referenceNetCost)),
      row(t('vfm.competitiveNeutrality'), (v) => a(v.psc.competitiveNeutrality)),
      row(t('vfm.retainedRisk'), (v) =>
        cell(
          money(v.psc.retainedRisk, unit) +
            (v.psc.retainedRiskSource === 'risk-register'
              ? ` ${t('risks.fromRegister')}`
              : v.psc.retainedRiskSource === 'risk-bearing-cost' &&
                  !new Dec(v.psc.retainedRisk).isZero()
                ? ` ${t('vfm.fromRiskBearing')}`
                : ''),
        ),
      ),
      row(t('vfm.transferableRisk'), (v) => a(v.psc.transferableRisk)),
      row(t('vfm.psc'), (v) => a(v.psc.total), true),
      row(t('vfm.pppEquity'), (v) => a(v.pppValue.equityContribution)),
      row(t('vfm.pppSubsidy'), (v) => a(v.pppValue.operatingSubsidy)),
      row(t('vfm.pppRisk'), (v) => a(v.pppValue.riskBearing)),
      row(t('vfm.pppSupporting'), (v) => a(v.pppValue.supportingInvestment)),
      row(t('vfm.pppValue'), (v) => a(v.pppValue.total), true),
      row(t('vfm.amount'), (v) => cell(formatAmount(v.vfmYuan, unit, { sign: true })), true),
      row(
        t('vfm.index'),
        (v) => cell(v.vfmIndex === null ? '—' : formatPercent(v.vfmIndex, lang, { sign: true })),
        true,
      ),
      row(
        t('vfm.verdict'),
        (v) => cell(t(`vfm.verdict.${v.verdict}`), v.verdict === 'pass' ? 'good' : 'error'),
        true,
      ),
      row(t('vfm.basisLabel'), (v) =>
        cell(t('vfm.basis', { rate: formatPercent(v.discountRate, lang), year: v.valuationYear })),
      ),
    ],
  };
}

function bondsTable(
  report: PortfolioFiscalReport,
  lang: Lang,
  unit: Unit,
  t: Translate,
): FiscalPageView['bonds'] {
  const b = report.bonds;
  if (b.rows.length === 0) return null;
  const c = b.bondAsCapital;
  return {
    rows: bondYears(report).map((r) => ({
      year: r.year,
      opening: cellAmount(r.openingYuan, unit),
      issued: cellAmount(r.issuedYuan, unit),
      interest: cellAmount(r.interestYuan, unit),
      principal: cellAmount(r.principalPaidYuan, unit),
      service: cellAmount(r.debtServiceYuan, unit),
      closing: cellAmount(r.closingYuan, unit),
    })),
    totals: {
      issued: money(b.totalIssuedYuan, unit),
      service: money(b.totalDebtServiceYuan, unit),
    },
    asCapital: new Dec(c.amountYuan).isZero()
      ? null
      : {
          text: t('fiscal.bondAsCapital', {
            amount: money(c.amountYuan, unit),
            bonds: money(c.bondsYuan, unit),
            unit: t(`unit.${unit}`),
            share: pct(c.share, lang),
            max: pct(c.max, lang),
          }),
          exceeds: c.exceeds,
        },
  };
}

/** The fiscal page of a portfolio: affordability, what-if, bonds, VfM, self-balance, failures. */
export function fiscalPageView(input: FiscalPageInput): FiscalPageView {
  const { report, saved, lang, unit, t } = input;
  const id = report.portfolio.id;
  const th = report.thresholds;
  const switchedTo = new Map(report.switches.map((s) => [s.projectCode, s]));
  const selectors = report.members.map((m) => {
    const savedId = switchedTo.get(m.projectCode)?.from.scenarioId ?? m.scenarioId;
    return {
      code: m.projectCode,
      name: memberName(m, lang),
      label: `${memberName(m, lang)} (${m.projectCode})`,
      switched: m.switched,
      savedValue: `${m.projectCode}=${savedId}`,
      options: input.scenariosOf(m.projectCode).map((s) => ({
        value: `${m.projectCode}=${s.id}`,
        label: s.id === savedId ? `${s.name} ${t('fiscal.savedMark')}` : s.name,
        selected: s.id === m.scenarioId,
      })),
    };
  });
  const byCode = new Map(report.members.map((m) => [m.projectCode, m]));
  const a = report.affordability;
  const shownYears = new Set(affordabilityYears(report, saved).map((r) => r.year));
  const missingBudget = (a?.yearsWithoutBudget ?? []).filter((y) => shownYears.has(y));
  const withoutBudget =
    missingBudget.length > 0
      ? t('fiscal.withoutBudget', { years: yearRanges(missingBudget) })
      : null;
  return {
    portfolio: { id, name: report.portfolio.name, description: report.portfolio.description },
    portfolios: input.portfolios.map((p) => ({ ...p, selected: p.id === id })),
    links: {
      self: `/portfolios/${id}/fiscal`,
      settings: `/portfolios/${id}/fiscal/settings`,
      dashboard: `/?portfolio=${id}`,
      api: `/api/v1/portfolios/${id}/fiscal`,
      manage: `/portfolios/${id}`,
    },
    notice: input.notice ?? null,
    thresholds: {
      source:
        report.thresholdsSource === 'jurisdiction'
          ? t('check.thresholdsOf', { name: report.jurisdiction ?? '' })
          : t('check.thresholdsDefault'),
      cap: pct(th.affordabilityCap, lang),
      line: pct(th.newProjectLine, lang),
      coverage: formatRatio(th.bondCoverage),
    },
    whatIf: {
      active: report.switches.length > 0,
      switches: report.switches.map((s) => ({
        project: memberName(byCode.get(s.projectCode) as FiscalMemberReport, lang),
        code: s.projectCode,
        from: s.from.scenarioName,
        to: s.to.scenarioName,
        toHref: `/versions/${s.to.versionId}`,
      })),
      selectors,
      save:
        report.switches.length > 0
          ? {
              switches: report.switches.map((s) => `${s.projectCode}=${s.to.scenarioId}`),
              base: input.savedAt,
            }
          : null,
    },
    cards: cards(report, saved, lang, unit, t),
    affordability: a
      ? {
          rows: affordabilityRows(report, saved, lang, unit, t),
          concessionSupport: concessionSupportView(report, saved, t),
          capLabel: pct(a.cap, lang),
          lineLabel: pct(a.newProjectLine, lang),
          withoutBudget,
        }
      : null,
    bonds: bondsTable(report, lang, unit, t),
    vfm: vfmTable(report, lang, unit, t),
    selfBalance: report.members
      .filter((m) => m.bondSelfBalance !== null)
      .map((m) => ({
        name: memberName(m, lang),
        code: m.projectCode,
        scenario: m.scenarioName,
        href: `/versions/${m.versionId}`,
        view: selfBalanceView(
          m.bondSelfBalance as NonNullable<FiscalMemberReport['bondSelfBalance']>,
          lang,
          unit,
          t,
        ),
      })),
    failures: report.failures.map((f) => {
      const m = byCode.get(f.projectCode) as FiscalMemberReport;
      return {
        name: memberName(m, lang),
        code: f.projectCode,
        scenario: f.scenarioName,
        href: `/versions/${f.versionId}`,
        check: checkRowView(f.row, lang, t),
      };
    }),
    failureCount: report.failures.length,
    problems: report.members
      .filter((m) => m.resultError !== null)
      .map((m) => ({
        name: memberName(m, lang),
        scenario: m.scenarioName,
        message: m.resultError?.message ?? '',
      })),
    charts: charts(report, saved, lang, unit, t),
  };
}
