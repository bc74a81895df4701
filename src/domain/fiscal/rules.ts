import { Dec, ZERO } from '../decimal';
import type { SimulationResult } from '../engine/types';
import { OWNERSHIPS, effectiveOwnership, type Ownership } from '../scenario/ownership';
import { SOURCE_KINDS, type Scenario } from '../scenario/schema';
import type { AffordabilityReport, AffordabilityYear } from './affordability';
import { assessCoverage, coverageBasis, type CoverageAssessment } from './bonds';
import { formatPercent, formatRatio, formatYuan } from './format';
import {
  NEW_MECHANISM_FROM,
  governmentObligations,
  isPppProject,
  paymentMechanism,
  type ObligationYear,
} from './obligations';
import type { PaymentMechanism } from './section';
import {
  DEFAULT_THRESHOLDS,
  maxBondAsCapitalShareFor,
  minCapitalRatioFor,
  type JurisdictionThresholds,
} from './thresholds';
import { valueForMoney, type VfmResult } from './vfm';

/**
 * Government-side rules as data (DOMAIN.md §5): each rule carries its id, bilingual title and
 * description, citation, effective period (judged against the project's approval date), the
 * projects it applies to and a check that returns the figure that decided it. Thresholds come
 * from the jurisdiction (`JurisdictionThresholds`), never from the rule. Citations and default
 * figures come from secondary sources ([verify] in DOMAIN.md): confirm them before relying on them.
 */

export interface Bilingual {
  zh: string;
  en: string;
}

export type RuleStatus = 'pass' | 'fail' | 'not-applicable';
export type RuleSetId = 'ppp-2015' | 'new-mechanism-2023' | 'special-bond';

/** Effective period, inclusive, compared with the project's approval date (`YYYY-MM-DD`). */
export interface EffectivePeriod {
  from?: string;
  to?: string;
}

export interface RuleOutcome {
  status: RuleStatus;
  /** The figure that decided the outcome, formatted for people. */
  figure: string;
  detail: Bilingual;
}

/**
 * What a portfolio rule sees: the scenario's inputs, its obligations and payment mechanism, and
 * the portfolio's affordability; not the ledger, so a caller checking many portfolios can keep
 * these few figures instead of the whole result (`portfolioRuleFacts`, `recheckPortfolioRules`).
 */
export interface PortfolioRuleContext {
  scenario: Scenario;
  thresholds: JurisdictionThresholds;
  /** The portfolio's affordability, when the caller has it (see `checkScenario`). */
  affordability?: AffordabilityReport;
  obligations(): ObligationYear[];
  mechanism(): PaymentMechanism;
}

/** What a check sees. Derived figures are computed on first use and kept. */
export interface RuleContext extends PortfolioRuleContext {
  result: SimulationResult;
  /** Null when the scenario has no `fiscal.psc`. */
  vfm(): VfmResult | null;
  /** Null when the scenario has no special bond. */
  coverage(): CoverageAssessment | null;
}

interface RuleBase {
  id: string;
  set: RuleSetId;
  title: Bilingual;
  description: Bilingual;
  citation: string;
  effective: EffectivePeriod;
  /** Which projects the rule is for, in words (shown when it does not apply). */
  scope: Bilingual;
  appliesTo(scenario: Scenario): boolean;
}

/** A rule judged on the scenario and its result alone. */
export interface ScenarioRule extends RuleBase {
  portfolio?: false;
  check(ctx: RuleContext): RuleOutcome;
}

/** A rule judged against the portfolio's affordability: the only rules that read it. */
export interface PortfolioRule extends RuleBase {
  portfolio: true;
  check(ctx: PortfolioRuleContext): RuleOutcome;
}

export type Rule = ScenarioRule | PortfolioRule;

const LEGACY_PPP_TO = '2024-04-30';

export const RULE_SETS: Record<
  RuleSetId,
  { title: Bilingual; effective: EffectivePeriod; scope: Bilingual }
> = {
  'ppp-2015': {
    title: { zh: '2015年PPP规则（存量项目）', en: '2015 PPP rules (legacy projects)' },
    effective: { to: LEGACY_PPP_TO },
    scope: {
      zh: 'PPP和特许经营项目，2024年5月1日前批复',
      en: 'PPP and concession projects approved before 1 May 2024',
    },
  },
  'new-mechanism-2023': {
    title: { zh: 'PPP新机制（2023）', en: 'New PPP mechanism (2023)' },
    effective: { from: NEW_MECHANISM_FROM },
    scope: {
      zh: 'PPP和特许经营项目，2024年5月1日起批复',
      en: 'PPP and concession projects approved from 1 May 2024',
    },
  },
  'special-bond': {
    title: { zh: '地方政府专项债券规则', en: 'Special-purpose bond rules' },
    effective: {},
    scope: { zh: '使用专项债券的项目', en: 'projects funded by special-purpose bonds' },
  },
};

const pppScope = (s: Scenario) => isPppProject(s);
const hasSpecialBond = (s: Scenario) =>
  s.funding.sources.some((src) => src.type === 'special-bond');

const na = (figure: string, zh: string, en: string): RuleOutcome => ({
  status: 'not-applicable',
  figure,
  detail: { zh, en },
});
const outcome = (pass: boolean, figure: string, zh: string, en: string): RuleOutcome => ({
  status: pass ? 'pass' : 'fail',
  figure,
  detail: { zh, en },
});

const yearList = (years: readonly number[]) => years.join(', ');

/**
 * The portfolio rows for the years in which this scenario has PPP obligations, or why they
 * cannot be judged. A `decisive` row (one that fails the rule) decides it even when other years
 * lack a budget figure.
 */
function portfolioRows(
  ctx: PortfolioRuleContext,
  decisive: (r: AffordabilityYear) => boolean,
): { rows: AffordabilityYear[]; years: number[] } | RuleOutcome {
  const report = ctx.affordability;
  const { project, scenario } = ctx.scenario;
  if (!report) {
    return na(
      '—',
      '需要组合层面的财政承受能力测算（本地区全部PPP项目与一般公共预算支出预测），未提供。',
      "Needs the portfolio's affordability (all the jurisdiction's PPP projects against its budget forecast); none was given.",
    );
  }
  const member = report.members.find((m) => m.projectCode === project.code && m.counted);
  if (!member) {
    return na(
      '—',
      '组合测算未包含本项目。',
      'The portfolio analysis does not include this project.',
    );
  }
  if (member.scenarioName !== scenario.name) {
    return na(
      '—',
      `组合测算使用的是本项目的方案「${member.scenarioName}」，不是「${scenario.name}」。`,
      `The portfolio analysis used this project's scenario "${member.scenarioName}", not "${scenario.name}".`,
    );
  }
  const years = ctx
    .obligations()
    .filter((y) => y.components.total.gt(0))
    .map((y) => y.year);
  const rows = report.rows.filter((r) => years.includes(r.year));
  const missing = years.filter((y) => !rows.some((r) => r.year === y && r.budgetYuan !== null));
  if (missing.length > 0 && !rows.some(decisive)) {
    return na(
      `${missing.length} year(s) without budget`,
      `预算支出预测未覆盖本项目支出责任年度：${yearList(missing)}。`,
      `The budget forecast does not cover years with obligations of this project: ${yearList(missing)}.`,
    );
  }
  return { rows, years };
}

/**
 * Project capital (equity, grants and budget funds, general bonds, and special bonds used as capital up to the
 * bonds raised) and its ratio to the total investment, full precision (the `sb-capital-ratio`
 * rule and the programme optimiser's minimum capital ratio). Ratio 0 at zero investment.
 */
export function projectCapital(
  scenario: Scenario,
  result: SimulationResult,
): { capital: Dec; bondCapital: Dec; investment: Dec; ratio: Dec } {
  const bondCapital = Dec.min(
    new Dec(scenario.fiscal?.bondAsCapitalYuan ?? '0'),
    specialBondAmount(result),
  );
  // General-bond proceeds are general-budget funds in the project (README "General bonds").
  const capital = sourcesOfNature(result, 'equity')
    .plus(sourcesOfNature(result, 'grant'))
    .plus(typeAmount(result, 'general-bond'))
    .plus(bondCapital);
  const investment = result.metrics.totalInvestment;
  const ratio = investment.isZero() ? ZERO : capital.div(investment);
  return { capital, bondCapital, investment, ratio };
}

function highest(rows: readonly AffordabilityYear[]): AffordabilityYear | undefined {
  let best: AffordabilityYear | undefined;
  for (const r of rows)
    if (r.ratio !== null && (best === undefined || (best.ratio as Dec).lt(r.ratio))) best = r;
  return best;
}

function sourcesOfNature(result: SimulationResult, nature: 'equity' | 'grant' | 'debt'): Dec {
  return result.sources
    .filter((s) => SOURCE_KINDS[s.type].nature === nature)
    .reduce((a, s) => a.plus(s.amount), ZERO);
}

function typeAmount(result: SimulationResult, type: string): Dec {
  return result.sources.filter((s) => s.type === type).reduce((a, s) => a.plus(s.amount), ZERO);
}

const specialBondAmount = (result: SimulationResult): Dec => typeAmount(result, 'special-bond');

type OwnershipKey = Ownership | 'undeclared';
const OWNERSHIP_WORDS: Record<OwnershipKey, Bilingual> = {
  private: { zh: '民营', en: 'private' },
  'state-owned': { zh: '国有', en: 'state-owned' },
  mixed: { zh: '混合所有制', en: 'mixed' },
  foreign: { zh: '外资', en: 'foreign' },
  government: { zh: '政府', en: 'government' },
  undeclared: {
    zh: '未声明所有制，不计为民营',
    en: 'ownership undeclared, not counted as private',
  },
};

/**
 * The project's equity commitments (yuan, the engine's allocated amounts) by the ownership that
 * applies to each source (declared, else the type's default, else undeclared), in the order of
 * `OWNERSHIPS` with undeclared last; only ownerships holding something are listed.
 */
function equityByOwnership(ctx: RuleContext): Map<OwnershipKey, Dec> {
  const declared = new Map(ctx.scenario.funding.sources.map((s) => [s.id, s]));
  const sums = new Map<OwnershipKey, Dec>();
  for (const s of ctx.result.sources) {
    if (SOURCE_KINDS[s.type].nature !== 'equity') continue;
    const source = declared.get(s.id);
    const key = (source && effectiveOwnership(source)) ?? 'undeclared';
    sums.set(key, (sums.get(key) ?? ZERO).plus(s.amount));
  }
  const order: OwnershipKey[] = [...OWNERSHIPS, 'undeclared'];
  return new Map(order.filter((k) => sums.has(k)).map((k) => [k, sums.get(k) as Dec]));
}

/** "民营 600,000.00 元；国有 400,000.00 元" / "private 600,000.00; state-owned 400,000.00". */
function ownershipSplit(held: Map<OwnershipKey, Dec>): Bilingual {
  const parts = [...held.entries()];
  return {
    zh: parts.map(([k, v]) => `${OWNERSHIP_WORDS[k].zh} ${formatYuan(v)} 元`).join('；'),
    en: parts.map(([k, v]) => `${OWNERSHIP_WORDS[k].en} ${formatYuan(v)}`).join('; '),
  };
}

const sumOver = (result: SimulationResult, pick: (y: SimulationResult['ledger'][number]) => Dec) =>
  result.ledger.reduce((a, y) => a.plus(pick(y)), ZERO);

/** The rules FundMix checks. Order is the checklist's order. */
export const RULES: readonly Rule[] = [
  {
    id: 'ppp2015-affordability-cap',
    set: 'ppp-2015',
    title: { zh: '财政承受能力：10%红线', en: 'Fiscal affordability: the 10 % cap' },
    description: {
      zh: '每一年度本地区全部PPP项目从一般公共预算列支的财政支出责任（股权投资、运营补贴、风险承担、配套投入）占一般公共预算支出的比例不超过10%（地方可设更低比例）。新机制特许经营项目的建设期投资支持单列，默认不计入（国办函〔2023〕115号允许建设期政府投资支持，不得因特许经营新增地方财政未来支出责任）。',
      en: "Every year, the jurisdiction's PPP obligations paid from the general budget (equity, operating subsidy, risk-bearing cost, supporting investment) may not exceed 10 % of its general public budget expenditure (a lower local cap may apply). New-mechanism concessions' construction-period investment support is reported apart and not counted by default (国办函〔2023〕115号 allows government investment support during construction and forbids new future fiscal obligations through concessions).",
    },
    citation: '财金〔2015〕21号《政府和社会资本合作项目财政承受能力论证指引》',
    effective: { to: LEGACY_PPP_TO },
    scope: RULE_SETS['ppp-2015'].scope,
    appliesTo: pppScope,
    portfolio: true,
    check(ctx) {
      const got = portfolioRows(ctx, (r) => r.breach);
      if (!('rows' in got)) return got;
      const cap = new Dec(ctx.thresholds.affordabilityCap);
      if (got.years.length === 0) {
        return outcome(
          true,
          '0.00',
          '本方案没有政府支出责任。',
          'This scenario carries no government obligations.',
        );
      }
      const breaches = got.rows.filter((r) => r.breach);
      if (breaches.length > 0) {
        const worst = highest(breaches) as AffordabilityYear;
        return outcome(
          false,
          `${formatPercent(worst.ratio as Dec)} (${worst.year}) > ${formatPercent(cap)}`,
          `组合支出责任在 ${yearList(breaches.map((r) => r.year))} 年超过红线；${worst.year} 年最高，超出 ${formatYuan(worst.breachYuan as Dec)} 元。`,
          `Portfolio obligations exceed the cap in ${yearList(breaches.map((r) => r.year))}; worst in ${worst.year}, ${formatYuan(worst.breachYuan as Dec)} yuan over.`,
        );
      }
      const peak = highest(got.rows) as AffordabilityYear;
      return outcome(
        true,
        `${formatPercent(peak.ratio as Dec)} (${peak.year}) ≤ ${formatPercent(cap)}`,
        `本项目支出责任年度内组合比例最高为 ${peak.year} 年，未超过红线。`,
        `In the years of this project's obligations the portfolio ratio peaks in ${peak.year}, within the cap.`,
      );
    },
  },
  {
    id: 'ppp2015-new-project-line',
    set: 'ppp-2015',
    title: { zh: '5%以上不得新上政府付费项目', en: 'No new government-pay projects above 5 %' },
    description: {
      zh: '财政支出责任占一般公共预算支出比例超过5%的地区，不得新上政府付费项目。',
      en: 'Where PPP obligations exceed 5 % of general public budget expenditure, no new government-pay project may start.',
    },
    citation: '财金〔2019〕10号《关于推进政府和社会资本合作规范发展的实施意见》',
    effective: { from: '2019-03-07', to: LEGACY_PPP_TO },
    scope: { zh: '政府付费的PPP和特许经营项目', en: 'government-pay PPP and concession projects' },
    appliesTo: pppScope,
    portfolio: true,
    check(ctx) {
      const mechanism = ctx.mechanism();
      if (mechanism !== 'government-pay') {
        return na(
          mechanism,
          `付费机制为 ${mechanism}，不是政府付费。`,
          `The payment mechanism is ${mechanism}, not government-pay.`,
        );
      }
      const got = portfolioRows(ctx, (r) => r.aboveNewProjectLine === true);
      if (!('rows' in got)) return got;
      const line = new Dec(ctx.thresholds.newProjectLine);
      const above = got.rows.filter((r) => r.aboveNewProjectLine === true);
      if (above.length > 0) {
        const worst = highest(above) as AffordabilityYear;
        return outcome(
          false,
          `${formatPercent(worst.ratio as Dec)} (${worst.year}) > ${formatPercent(line)}`,
          `组合比例在 ${yearList(above.map((r) => r.year))} 年超过 ${formatPercent(line)}，不得新上政府付费项目。`,
          `The portfolio ratio is above ${formatPercent(line)} in ${yearList(above.map((r) => r.year))}: no new government-pay project.`,
        );
      }
      const peak = highest(got.rows);
      return outcome(
        true,
        peak
          ? `${formatPercent(peak.ratio as Dec)} (${peak.year}) ≤ ${formatPercent(line)}`
          : '0.00',
        `本项目支出责任年度内组合比例未超过 ${formatPercent(line)}。`,
        `In the years of this project's obligations the portfolio ratio stays at or below ${formatPercent(line)}.`,
      );
    },
  },
  {
    id: 'ppp2015-value-for-money',
    set: 'ppp-2015',
    title: { zh: '物有所值定量评价', en: 'Value for money' },
    description: {
      zh: 'PPP值（政府全生命周期支出责任现值）小于公共部门比较值（PSC）时，物有所值评价通过。',
      en: "Value for money passes when the PPP value (present value of the government's obligations) is below the public-sector comparator (PSC).",
    },
    citation: '财金〔2015〕167号《PPP物有所值评价指引（试行）》',
    effective: { to: LEGACY_PPP_TO },
    scope: RULE_SETS['ppp-2015'].scope,
    appliesTo: pppScope,
    check(ctx) {
      const v = ctx.vfm();
      if (!v)
        return na(
          '—',
          '方案未录入公共部门比较值（fiscal.psc）。',
          'The scenario has no public-sector comparator (fiscal.psc).',
        );
      const index = v.vfmIndex === null ? '—' : formatPercent(v.vfmIndex);
      return outcome(
        v.verdict === 'pass',
        `VfM ${formatYuan(v.vfmYuan)} (${index})`,
        `PSC ${formatYuan(v.psc.total)} 元，PPP值 ${formatYuan(v.pppValue.total)} 元，物有所值量值 ${formatYuan(v.vfmYuan)} 元，指数 ${index}。`,
        `PSC ${formatYuan(v.psc.total)} yuan, PPP value ${formatYuan(v.pppValue.total)} yuan: VfM ${formatYuan(v.vfmYuan)} yuan, index ${index}.`,
      );
    },
  },
  {
    id: 'nm2023-user-pays',
    set: 'new-mechanism-2023',
    title: {
      zh: '使用者付费，收入覆盖投资和运营成本',
      en: 'User-pays: revenue covers investment and operating cost',
    },
    description: {
      zh: '新机制项目应为使用者付费项目，项目经营收入能够覆盖建设投资和运营成本。',
      en: 'New-mechanism projects are user-pays: operating revenue must cover the investment and the operating cost.',
    },
    citation: '国办函〔2023〕115号《关于规范实施政府和社会资本合作新机制的指导意见》',
    effective: { from: NEW_MECHANISM_FROM },
    scope: RULE_SETS['new-mechanism-2023'].scope,
    appliesTo: pppScope,
    check(ctx) {
      const r = ctx.result;
      const revenue = sumOver(r, (y) =>
        y.revenues
          .reduce((a, b) => a.plus(b), ZERO)
          .minus(y.dataAuthorityShare.reduce((a, b) => a.plus(b), ZERO)),
      );
      const cost = r.metrics.totalInvestment.plus(sumOver(r, (y) => y.opex));
      const share = cost.gt(0) ? formatPercent(revenue.div(cost)) : '—';
      return outcome(
        revenue.gt(0) && revenue.gte(cost),
        `${formatYuan(revenue)} / ${formatYuan(cost)} (${share})`,
        `经营收入合计 ${formatYuan(revenue)} 元，建设投资与运营成本合计 ${formatYuan(cost)} 元。`,
        `Operating revenue ${formatYuan(revenue)} yuan against investment plus operating cost ${formatYuan(cost)} yuan.`,
      );
    },
  },
  {
    id: 'nm2023-no-availability-payment',
    set: 'new-mechanism-2023',
    title: { zh: '不得可用性付费', en: 'No availability payments' },
    description: {
      zh: '新机制项目不得通过可用性付费等方式由政府承担建设成本。',
      en: 'New-mechanism projects may not have the government pay for construction through availability payments.',
    },
    citation: '国办函〔2023〕115号《关于规范实施政府和社会资本合作新机制的指导意见》',
    effective: { from: NEW_MECHANISM_FROM },
    scope: RULE_SETS['new-mechanism-2023'].scope,
    appliesTo: pppScope,
    check(ctx) {
      const total = sumOver(ctx.result, (y) => y.availabilityPayment);
      const configured = ctx.scenario.government.availabilityPayment !== undefined;
      return outcome(
        !configured && total.isZero(),
        `${formatYuan(total)}`,
        configured
          ? `方案设置了可用性付费，合计 ${formatYuan(total)} 元。`
          : `可用性付费合计 ${formatYuan(total)} 元。`,
        configured
          ? `The scenario has availability payments: ${formatYuan(total)} yuan in all.`
          : `Availability payments: ${formatYuan(total)} yuan.`,
      );
    },
  },
  {
    id: 'nm2023-no-viability-gap',
    set: 'new-mechanism-2023',
    title: {
      zh: '不得可行性缺口补助，运营补贴只补运营',
      en: 'No viability-gap payments; subsidies for operation only',
    },
    description: {
      zh: '政府不得承担项目缺口（包括偿债缺口）；运营补贴只能用于运营，不超过当年运营成本。',
      en: 'The government may not fill the project’s gaps (debt service included); operating subsidies pay for operation only, at most the year’s operating cost.',
    },
    citation: '国办函〔2023〕115号《关于规范实施政府和社会资本合作新机制的指导意见》',
    effective: { from: NEW_MECHANISM_FROM },
    scope: RULE_SETS['new-mechanism-2023'].scope,
    appliesTo: pppScope,
    check(ctx) {
      const operation = ctx.result.ledger.filter((y) => y.phase === 'operation');
      const gap = operation.reduce((a, y) => a.plus(y.shortfallByGovernment), ZERO);
      const excessYears = operation.filter((y) => y.operatingSubsidy.gt(y.opex));
      const excess = excessYears.reduce((a, y) => a.plus(y.operatingSubsidy.minus(y.opex)), ZERO);
      return outcome(
        gap.isZero() && excess.isZero(),
        `${formatYuan(gap)} + ${formatYuan(excess)}`,
        `运营期政府缺口补助 ${formatYuan(gap)} 元；运营补贴超出运营成本 ${formatYuan(excess)} 元${excessYears.length ? `（${yearList(excessYears.map((y) => y.year))} 年）` : ''}。`,
        `Government gap support in operation ${formatYuan(gap)} yuan; operating subsidy above operating cost ${formatYuan(excess)} yuan${excessYears.length ? ` (${yearList(excessYears.map((y) => y.year))})` : ''}.`,
      );
    },
  },
  {
    id: 'nm2023-concession-term',
    set: 'new-mechanism-2023',
    title: { zh: '特许经营期限不超过40年', en: 'Concession term at most 40 years' },
    description: {
      zh: '特许经营期限（含建设期）原则上不超过40年。',
      en: 'The concession term, construction included, is at most 40 years in principle.',
    },
    citation: '《基础设施和公用事业特许经营管理办法》（2024年国家发展改革委等6部门令第17号）',
    effective: { from: NEW_MECHANISM_FROM },
    scope: RULE_SETS['new-mechanism-2023'].scope,
    appliesTo: pppScope,
    check(ctx) {
      const { constructionYears, operationYears } = ctx.scenario.timeline;
      const term = constructionYears + operationYears;
      const max = ctx.thresholds.maxConcessionYears;
      return outcome(
        term <= max,
        `${term} ${term <= max ? '≤' : '>'} ${max}`,
        `建设期 ${constructionYears} 年 + 运营期 ${operationYears} 年 = ${term} 年，上限 ${max} 年。`,
        `${constructionYears} construction + ${operationYears} operation years = ${term} years; limit ${max}.`,
      );
    },
  },
  {
    id: 'nm2023-private-share',
    set: 'new-mechanism-2023',
    title: { zh: '民营企业参与比例', en: 'Private-enterprise share' },
    description: {
      zh: '市场化程度较高的项目原则上由民营企业独资或控股；公益性较强的项目民营企业股权占比原则上不低于35%。社会资本也包括国有企业，因此只计入所有制声明为民营（ownership: private）的股权；未声明所有制的股权（政府出资和引导基金以外）不计为民营。',
      en: 'Market-oriented projects: private enterprises hold all or a controlling share; strongly public projects: private share of equity at least 35 % in principle. Social capital includes state-owned enterprises, so only equity whose ownership is declared private (ownership: private) counts; equity of undeclared ownership (other than government and guided-fund equity) does not count as private.',
    },
    citation: '国办函〔2023〕115号《关于规范实施政府和社会资本合作新机制的指导意见》',
    effective: { from: NEW_MECHANISM_FROM },
    scope: RULE_SETS['new-mechanism-2023'].scope,
    appliesTo: pppScope,
    check(ctx) {
      const held = equityByOwnership(ctx);
      const equity = [...held.values()].reduce((a, v) => a.plus(v), ZERO);
      const privateEquity = held.get('private') ?? ZERO;
      const market = ctx.scenario.project.category === 'market-oriented';
      const limit = new Dec(
        market ? ctx.thresholds.privateControlShare : ctx.thresholds.minPrivateShareStronglyPublic,
      );
      if (equity.isZero()) {
        return outcome(
          false,
          '0.00 %',
          '项目没有股权资金，民营企业未持股。',
          'The project has no equity: private enterprises hold nothing.',
        );
      }
      const share = privateEquity.div(equity);
      const pass = market ? share.gt(limit) : share.gte(limit);
      const op = market ? '>' : '≥';
      const split = ownershipSplit(held);
      return outcome(
        pass,
        `${formatPercent(share)} (${op} ${formatPercent(limit)})`,
        `民营股权 ${formatYuan(privateEquity)} 元 / 股权合计 ${formatYuan(equity)} 元（${split.zh}）；${market ? '市场化项目须民营控股' : '公益性较强项目'}要求 ${op} ${formatPercent(limit)}。`,
        `Private equity ${formatYuan(privateEquity)} of ${formatYuan(equity)} yuan (${split.en}); ${market ? 'a market-oriented project needs private control' : 'a strongly public project needs'} ${op} ${formatPercent(limit)}.`,
      );
    },
  },
  {
    id: 'sb-coverage',
    set: 'special-bond',
    title: { zh: '专项债本息覆盖倍数', en: 'Special-bond coverage ratio' },
    description: {
      zh: '项目在债券存续期内的收益须覆盖债券本息，覆盖倍数不低于阈值（常用1.2）。',
      en: "The project's net income over the bonds' life must cover principal and interest at least the threshold times (1.2 in common practice).",
    },
    citation: '财预〔2017〕89号《关于试点发展项目收益与融资自求平衡的地方政府专项债券品种的通知》',
    effective: {},
    scope: RULE_SETS['special-bond'].scope,
    appliesTo: hasSpecialBond,
    check(ctx) {
      const c = ctx.coverage() as CoverageAssessment;
      if (c.ratio === null) return na('—', '债券没有还本付息。', 'The bonds have no debt service.');
      const op = c.pass ? '≥' : '<';
      return outcome(
        c.pass,
        `${formatRatio(c.ratio)} ${op} ${c.threshold.toString()}${c.pass ? '' : `; ${formatYuan(c.shortfallYuan)}`}`,
        `存续期净收益 ${formatYuan(c.netIncomeYuan)} 元，债券本息 ${formatYuan(c.debtServiceYuan)} 元${c.pass ? '' : `，缺口 ${formatYuan(c.shortfallYuan)} 元`}。`,
        `Net income over the bonds' life ${formatYuan(c.netIncomeYuan)} yuan against principal and interest ${formatYuan(c.debtServiceYuan)} yuan${c.pass ? '' : `: ${formatYuan(c.shortfallYuan)} yuan short`}.`,
      );
    },
  },
  {
    id: 'sb-bond-as-capital',
    set: 'special-bond',
    title: { zh: '专项债用作资本金比例', en: 'Special bonds used as project capital' },
    description: {
      zh: '专项债券用作项目资本金的规模占专项债券规模的比例不超过上限（25%；2024年12月新规后批复的项目为30%；按省份口径管理，此处按项目口径测算）。',
      en: "Special bonds used as project capital may not exceed the cap as a share of special bonds (25 %; 30 % for projects approved under the December 2024 rules; a provincial limit, checked here on the project's own bonds).",
    },
    citation: '厅字〔2019〕33号《关于做好地方政府专项债券发行及项目配套融资工作的通知》',
    effective: {},
    scope: RULE_SETS['special-bond'].scope,
    appliesTo: hasSpecialBond,
    check(ctx) {
      const asCapital = new Dec(ctx.scenario.fiscal?.bondAsCapitalYuan ?? '0');
      if (asCapital.isZero()) {
        return na(
          '0.00',
          '方案未将专项债用作资本金（fiscal.bondAsCapitalYuan）。',
          'No special bonds are used as project capital (fiscal.bondAsCapitalYuan).',
        );
      }
      const bonds = specialBondAmount(ctx.result);
      const max = maxBondAsCapitalShareFor(ctx.thresholds, ctx.scenario.project.approvalDate);
      if (asCapital.gt(bonds)) {
        return outcome(
          false,
          `${formatYuan(asCapital)} > ${formatYuan(bonds)}`,
          `用作资本金的专项债 ${formatYuan(asCapital)} 元超过项目专项债总额 ${formatYuan(bonds)} 元。`,
          `Bonds used as capital (${formatYuan(asCapital)} yuan) exceed the project's special bonds (${formatYuan(bonds)} yuan).`,
        );
      }
      const share = asCapital.div(bonds);
      return outcome(
        share.lte(max),
        `${formatPercent(share)} ${share.lte(max) ? '≤' : '>'} ${formatPercent(max)}`,
        `用作资本金 ${formatYuan(asCapital)} 元 / 专项债 ${formatYuan(bonds)} 元。`,
        `${formatYuan(asCapital)} yuan used as capital out of ${formatYuan(bonds)} yuan of special bonds.`,
      );
    },
  },
  {
    id: 'sb-min-capital-ratio',
    set: 'special-bond',
    title: { zh: '项目资本金最低比例', en: 'Minimum project capital ratio' },
    description: {
      zh: '项目资本金（股权、财政资金及用作资本金的专项债）占总投资的比例不低于所属行业的最低比例。',
      en: "Project capital (equity, budget funds and special bonds used as capital) must be at least the sector's minimum share of the investment.",
    },
    citation: '国发〔2019〕26号《国务院关于加强固定资产投资项目资本金管理的通知》',
    effective: {},
    scope: RULE_SETS['special-bond'].scope,
    appliesTo: hasSpecialBond,
    check(ctx) {
      const { capital, bondCapital, investment, ratio } = projectCapital(ctx.scenario, ctx.result);
      const min = minCapitalRatioFor(ctx.thresholds, ctx.scenario.project.sector);
      const pass = ratio.gte(min);
      return outcome(
        pass,
        `${formatPercent(ratio)} ${pass ? '≥' : '<'} ${formatPercent(min)}`,
        `资本金 ${formatYuan(capital)} 元（其中专项债 ${formatYuan(bondCapital)} 元）/ 总投资 ${formatYuan(investment)} 元。`,
        `Capital ${formatYuan(capital)} yuan (special bonds ${formatYuan(bondCapital)} yuan) of ${formatYuan(investment)} yuan invested.`,
      );
    },
  },
];

/** True when a date (`YYYY-MM-DD`) falls in the period, both ends inclusive. */
export function inEffect(period: EffectivePeriod, date: string): boolean {
  return (
    (period.from === undefined || date >= period.from) &&
    (period.to === undefined || date <= period.to)
  );
}

/** The rule sets that govern a scenario, by delivery, sources and approval date. */
export function ruleSetsFor(scenario: Scenario): RuleSetId[] {
  const date = scenario.project.approvalDate;
  const sets: RuleSetId[] = [];
  if (isPppProject(scenario))
    sets.push(inEffect(RULE_SETS['ppp-2015'].effective, date) ? 'ppp-2015' : 'new-mechanism-2023');
  if (hasSpecialBond(scenario)) sets.push('special-bond');
  return sets;
}

export interface ChecklistRow {
  ruleId: string;
  set: RuleSetId;
  title: Bilingual;
  citation: string;
  effective: EffectivePeriod;
  status: RuleStatus;
  figure: string;
  detail: Bilingual;
}

export interface CheckContext {
  /**
   * The portfolio's affordability (`assessAffordability`), run with this scenario as the
   * project's member. Without it the rules that need it are not applicable.
   */
  affordability?: AffordabilityReport;
}

/**
 * The compliance checklist of one scenario: one row per rule, in the rules' order, with the
 * status, the figure that decided it, an explanation and the citation. A rule whose effective
 * period does not contain the project's approval date, or whose scope excludes the project, is
 * 'not-applicable' with the reason. Pure; runs no simulation.
 *
 * @param rules the rules to apply (default `RULES`): rules are data, callers may add their own
 */
export function checkScenario(
  scenario: Scenario,
  result: SimulationResult,
  thresholds: JurisdictionThresholds = DEFAULT_THRESHOLDS,
  context: CheckContext = {},
  rules: readonly Rule[] = RULES,
): ChecklistRow[] {
  let obligations: ObligationYear[] | undefined;
  let mechanism: PaymentMechanism | undefined;
  let vfm: VfmResult | null | undefined;
  let coverage: CoverageAssessment | null | undefined;
  const ctx: RuleContext = {
    scenario,
    result,
    thresholds,
    affordability: context.affordability,
    obligations: () => (obligations ??= governmentObligations(scenario, result, thresholds)),
    mechanism: () => (mechanism ??= paymentMechanism(scenario, result)),
    vfm: () =>
      vfm !== undefined
        ? vfm
        : (vfm = scenario.fiscal?.psc ? valueForMoney(scenario, result) : null),
    coverage: () => {
      if (coverage === undefined) {
        const basis = coverageBasis(scenario, result);
        coverage = basis
          ? assessCoverage(basis.netIncome, basis.debtService, new Dec(thresholds.bondCoverage))
          : null;
      }
      return coverage;
    },
  };
  return rules.map((rule) => checkRow(rule, scenario, () => rule.check(ctx)));
}

/** One rule's checklist row: not applicable outside its scope or period, else `judge()`. */
function checkRow(rule: Rule, scenario: Scenario, judge: () => RuleOutcome): ChecklistRow {
  const row = {
    ruleId: rule.id,
    set: rule.set,
    title: rule.title,
    citation: rule.citation,
    effective: rule.effective,
  };
  if (!rule.appliesTo(scenario)) {
    return {
      ...row,
      ...na('—', `仅适用于${rule.scope.zh}。`, `Applies only to ${rule.scope.en}.`),
    };
  }
  const date = scenario.project.approvalDate;
  if (!inEffect(rule.effective, date)) {
    const period = `${rule.effective.from ?? '…'} – ${rule.effective.to ?? '…'}`;
    return {
      ...row,
      ...na(
        date,
        `项目批复日期 ${date} 不在本规则适用期间（${period}）。`,
        `The project was approved on ${date}, outside this rule's period (${period}).`,
      ),
    };
  }
  return { ...row, ...judge() };
}

/** What the portfolio rules read of a scenario's result (see `PortfolioRuleContext`). */
export interface PortfolioRuleFacts {
  obligations: ObligationYear[];
  mechanism: PaymentMechanism;
}

/** The few figures of a result that the portfolio rules need, to keep instead of the result. */
export function portfolioRuleFacts(
  scenario: Scenario,
  result: SimulationResult,
  thresholds: JurisdictionThresholds = DEFAULT_THRESHOLDS,
): PortfolioRuleFacts {
  return {
    obligations: governmentObligations(scenario, result, thresholds),
    mechanism: paymentMechanism(scenario, result),
  };
}

/**
 * A checklist of `checkScenario` (of the same scenario, thresholds and rules) with the portfolio
 * rules' rows judged again against `affordability`, from the scenario's kept facts: equal to
 * `checkScenario(scenario, result, thresholds, { affordability }, rules)` without the result.
 */
export function recheckPortfolioRules(
  rows: readonly ChecklistRow[],
  scenario: Scenario,
  facts: PortfolioRuleFacts,
  thresholds: JurisdictionThresholds,
  affordability: AffordabilityReport | undefined,
  rules: readonly Rule[] = RULES,
): ChecklistRow[] {
  const ctx: PortfolioRuleContext = {
    scenario,
    thresholds,
    affordability,
    obligations: () => facts.obligations,
    mechanism: () => facts.mechanism,
  };
  return rows.map((row, i) => {
    const rule = rules[i];
    return rule?.portfolio ? checkRow(rule, scenario, () => rule.check(ctx)) : row;
  });
}

/** Counts of a checklist's statuses. */
export function summariseChecklist(rows: readonly ChecklistRow[]): Record<RuleStatus, number> {
  const out: Record<RuleStatus, number> = { pass: 0, fail: 0, 'not-applicable': 0 };
  for (const r of rows) out[r.status] += 1;
  return out;
}
