import { Dec } from '../domain/decimal';
import { FundMixError, NotFoundError, ValidationError, type FieldIssue } from '../domain/errors';
import type { SimulationResult } from '../domain/engine/types';
import {
  affordabilityMember,
  assessAffordabilityOf,
  type AffordabilityMember,
  type AffordabilityReport,
} from '../domain/fiscal/affordability';
import {
  bondMember,
  bondSelfBalance,
  portfolioBonds,
  portfolioBondsOf,
  type BondMember,
  type BondSelfBalance,
  type PortfolioBonds,
} from '../domain/fiscal/bonds';
import { cityCost, type BondQuotaYear, type CityCostReport } from '../domain/fiscal/city-cost';
import type { PortfolioMember } from '../domain/fiscal/obligations';
import {
  checkScenario,
  portfolioRuleFacts,
  recheckPortfolioRules,
  ruleSetsFor,
  summariseChecklist,
  type ChecklistRow,
  type PortfolioRuleFacts,
  type RuleSetId,
  type RuleStatus,
} from '../domain/fiscal/rules';
import type { JurisdictionThresholds } from '../domain/fiscal/thresholds';
import { valueForMoney, type VfmResult } from '../domain/fiscal/vfm';
import { parseScenario } from '../domain/scenario/parse';
import type { Scenario } from '../domain/scenario/schema';
import { deliveryOf } from '../domain/scenario/upgrade';
import { reviveResult } from './result-revive';
import type { Store } from './store';
import type {
  IsoTime,
  Jsonified,
  PortfolioFiscalSettings,
  Project,
  ScenarioDelivery,
  ScenarioRecord,
  ScenarioVersion,
  StoredResult,
} from './types';

/**
 * The fiscal service (issue 5, DOMAIN.md §5–6): a portfolio's PPP affordability against its
 * jurisdiction's budget, special-bond balances, and per member value for money, bond
 * self-balance and the rules checklist, with what-if switches that write nothing.
 *
 * Where the figures come from: each member's result is the results cache's entry for its current
 * version (computed and cached as usual when missing), turned back into Decimals with
 * `reviveResult`, not re-simulated. For the fiscal report, what a member contributes that does
 * not depend on the other members (its obligations and bond lines by year, value for money,
 * bond self-balance, the checklist but for the portfolio rules) is kept in memory per store as a
 * digest (the last `DIGEST_MEMO_SIZE`, keyed by engine version, inputs hash, thresholds and the
 * stress switch, all immutable), so a later report or what-if revives nothing it has seen: it
 * sums the digests and re-judges the portfolio rules. City cost and risk inputs keep parsed
 * inputs and revived results (the last `MEMO_SIZE`). Only the bond stress cases (−10 %, −20 %
 * revenue) re-run the engine, as `bondSelfBalance` does; `bondStress: false` skips them.
 *
 * Amounts and ratios in the returned reports are decimal strings, like `StoredResult`
 * (`Jsonified<…>` of the domain's types, whose TSDoc gives units and rounding): money in yuan,
 * ratios as fractions ("0.102345" is 10.2345 %). Format them for people in the web layer.
 */

/** The domain's affordability report with Decimals as strings. */
export type FiscalAffordability = Jsonified<AffordabilityReport>;
export type FiscalAffordabilityYear = FiscalAffordability['rows'][number];
/** Special-bond balance and debt service by year across the portfolio, Decimals as strings. */
export type FiscalPortfolioBonds = Jsonified<PortfolioBonds>;
/** Value for money of one PPP scenario, Decimals as strings. */
export type FiscalVfm = Jsonified<VfmResult>;
/** Special-bond self-balance of one scenario with its revenue stress cases, Decimals as strings. */
export type FiscalBondSelfBalance = Jsonified<BondSelfBalance>;

export interface FiscalReportOptions {
  /**
   * What-if: project code → the scenario to use instead of the portfolio's, by name, or by id
   * (a number, or a string of digits that is no scenario's name). Nothing is saved.
   */
  switches?: Readonly<Record<string, string | number>>;
  /** Re-simulate bond-funded members at −10 % and −20 % revenue (default true). */
  bondStress?: boolean;
}

/** A what-if switch as applied. */
export interface FiscalSwitch {
  projectCode: string;
  from: { scenarioId: number; scenarioName: string };
  to: { scenarioId: number; scenarioName: string; versionId: number; versionNo: number };
}

/** One project of the portfolio under the scenario the report used. */
export interface FiscalMemberReport {
  projectCode: string;
  projectName: string;
  projectNameEn: string | null;
  sector: Project['sector'];
  category: Project['category'];
  /** The scenario's delivery model (format v2: each scenario's own). */
  delivery: ScenarioDelivery | null;
  approvalDate: string;
  scenarioId: number;
  scenarioName: string;
  versionId: number;
  versionNo: number;
  /** True when a what-if switch put this scenario in place of the portfolio's. */
  switched: boolean;
  /** PPP and concession projects: their obligations count against the affordability cap. */
  countsTowardsCap: boolean;
  /** Rule sets that govern the scenario (by delivery, approval date and sources). */
  ruleSets: RuleSetId[];
  /**
   * Why the member is left out of the analysis: its result could not be computed (engine error,
   * no engine) or its stored inputs no longer validate. Then vfm, bonds and checklist are empty.
   */
  resultError: { code: string; message: string } | null;
  /** Value for money; null unless the scenario has a public-sector comparator (`fiscal.psc`). */
  vfm: FiscalVfm | null;
  /** Special-bond self-balance; null without special bonds. */
  bondSelfBalance: FiscalBondSelfBalance | null;
  /** Every rule, in `RULES` order, judged with the portfolio's affordability. */
  checklist: ChecklistRow[];
  checklistSummary: Record<RuleStatus, number>;
}

/** A failing checklist row with its member, for dashboards and the API. */
export interface FiscalFailure {
  projectCode: string;
  scenarioName: string;
  versionId: number;
  row: ChecklistRow;
}

export interface PortfolioFiscalReport {
  portfolio: {
    id: number;
    name: string;
    description: string;
    updatedAt: IsoTime;
    deletedAt: IsoTime | null;
  };
  engineVersion: string;
  /** The portfolio's fiscal settings (budget, other obligations); null when none are set. */
  settings: PortfolioFiscalSettings | null;
  /**
   * The jurisdiction whose thresholds apply: the settings' one, else the jurisdiction all
   * members' projects share, else null.
   */
  jurisdiction: string | null;
  thresholds: JurisdictionThresholds;
  /** 'defaults' when the jurisdiction has no stored thresholds (national defaults). */
  thresholdsSource: 'jurisdiction' | 'defaults';
  /** The what-if switches applied (none when the report is the portfolio as saved). */
  switches: FiscalSwitch[];
  /**
   * PPP obligations year by year against the budget, with the other obligations added; null
   * without fiscal settings (no budget to measure against). Breach years, years above the
   * new-project line and the peak are in it.
   */
  affordability: FiscalAffordability | null;
  bonds: FiscalPortfolioBonds;
  /** By project code. */
  members: FiscalMemberReport[];
  /** Every failing checklist row, by project code then rule order. */
  failures: FiscalFailure[];
  /** True when some member is left out (see `FiscalMemberReport.resultError`). */
  incomplete: boolean;
}

/** The checklist of one stored version, for the results page. */
export interface ScenarioChecklistReport {
  projectCode: string;
  scenarioId: number;
  scenarioName: string;
  versionId: number;
  versionNo: number;
  jurisdiction: string | null;
  thresholds: JurisdictionThresholds;
  thresholdsSource: 'jurisdiction' | 'defaults';
  ruleSets: RuleSetId[];
  /**
   * Every rule. Without a portfolio the affordability rules (10 % cap, 5 % line) are
   * 'not-applicable' and say why; use `portfolioFiscalReport` for them.
   */
  rows: ChecklistRow[];
  summary: Record<RuleStatus, number>;
  vfm: FiscalVfm | null;
  bondSelfBalance: FiscalBondSelfBalance | null;
}

/** Decimals become their decimal strings (`Decimal.toJSON`), exactly as the results cache stores them. */
function jsonify<T>(value: T): Jsonified<T> {
  return plainOf(value) as Jsonified<T>;
}

/**
 * `JSON.parse(JSON.stringify(value))` for the domain's reports (plain objects, arrays, strings,
 * finite numbers, booleans, null and Decimals), without building the text: a 1,000-member
 * report's per-member lines would otherwise be most of its cost. Undefined properties are left
 * out, as JSON leaves them.
 */
// Decimals are immutable, and a report's per-member lines are the kept digests' own instances:
// their text is built once, not on every report.
const decimalTexts = new WeakMap<Dec, string>();

function plainOf(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Dec.isDecimal(value)) {
    let text = decimalTexts.get(value);
    if (text === undefined) decimalTexts.set(value, (text = value.toJSON()));
    return text;
  }
  if (Array.isArray(value)) {
    const list = new Array<unknown>(value.length);
    for (let i = 0; i < value.length; i++)
      list[i] = value[i] === undefined ? null : plainOf(value[i]);
    return list;
  }
  const out: Record<string, unknown> = {};
  const from = value as Record<string, unknown>;
  for (const k in from) {
    const v = from[k];
    if (v !== undefined && Object.hasOwn(from, k)) out[k] = plainOf(v);
  }
  return out;
}

interface Resolved {
  project: Project;
  scenario: { id: number; name: string };
  version: ScenarioVersion;
  /** The cached result, read (and for a switched-in version computed) only when needed. */
  stored: () => StoredResult | null;
  resultError: { code: string; message: string } | null;
  switched: boolean;
}

interface Parsed {
  parsed: Scenario;
  result: SimulationResult;
}

interface Analysed extends Resolved {
  parsed: Scenario | null;
  result: SimulationResult | null;
}

/**
 * How many versions' parsed inputs and revived results are kept per store: a what-if on a
 * portfolio of up to this many projects revives nothing twice. About 0.2 MB each for a 30-year
 * result, so the memory stays bounded.
 */
export const MEMO_SIZE = 128;
const memos = new WeakMap<Store, Map<string, Parsed>>();

function memoOf(store: Store): Map<string, Parsed> {
  let memo = memos.get(store);
  if (!memo) {
    memo = new Map();
    memos.set(store, memo);
  }
  return memo;
}

function errorOf(err: unknown): { code: string; message: string } {
  if (err instanceof FundMixError) return { code: err.code, message: err.message };
  throw err;
}

/**
 * Parses the stored inputs and revives the cached result, or takes both from the memo;
 * failures become `resultError`.
 */
function analyse(store: Store, engineVersion: string, m: Resolved): Analysed {
  if (m.resultError) return { ...m, parsed: null, result: null };
  const memo = memoOf(store);
  const key = `${engineVersion}\u0000${m.version.inputsHash}`;
  const hit = memo.get(key);
  if (hit) {
    // Least recently used goes first: re-insert to mark it used.
    memo.delete(key);
    memo.set(key, hit);
    return { ...m, ...hit };
  }
  try {
    const stored = m.stored();
    if (stored === null) return { ...m, parsed: null, result: null };
    const fresh = { parsed: parseScenario(m.version.inputs), result: reviveResult(stored) };
    memo.set(key, fresh);
    if (memo.size > MEMO_SIZE) memo.delete(memo.keys().next().value as string);
    return { ...m, ...fresh };
  } catch (err) {
    return { ...m, parsed: null, result: null, resultError: errorOf(err) };
  }
}

/**
 * Resolves what-if switches against the loaded members.
 * @throws ValidationError naming each bad switch as `switches.CODE`
 */
function resolveSwitches(
  store: Store,
  members: Resolved[],
  switches: Readonly<Record<string, string | number>>,
): FiscalSwitch[] {
  const issues: FieldIssue[] = [];
  const applied: FiscalSwitch[] = [];
  for (const [code, target] of Object.entries(switches)) {
    const path = `switches.${code}`;
    const at = members.findIndex((m) => m.project.code === code);
    const member = members[at];
    if (!member) {
      issues.push({ path, message: `Project ${code} is not in the portfolio` });
      continue;
    }
    let record: ScenarioRecord | null = null;
    const byId = (id: number) => {
      try {
        const r = store.scenarios.getById(id);
        return r.projectCode === code ? r : null;
      } catch (err) {
        if (err instanceof NotFoundError) return null;
        throw err;
      }
    };
    if (typeof target === 'number') {
      record = Number.isSafeInteger(target) ? byId(target) : null;
    } else if (typeof target === 'string' && target.trim() !== '') {
      try {
        record = store.scenarios.get(code, target.trim());
      } catch (err) {
        if (!(err instanceof NotFoundError)) throw err;
        if (/^\d+$/.test(target.trim())) record = byId(Number(target.trim()));
      }
    }
    if (!record) {
      issues.push({
        path,
        message: `Project ${code} has no scenario ${typeof target === 'number' ? `with id ${target}` : JSON.stringify(target)}`,
      });
      continue;
    }
    if (record.deletedAt !== null) {
      issues.push({ path, message: `Scenario "${record.name}" of ${code} was deleted` });
      continue;
    }
    if (record.id === member.scenario.id) continue;
    const version = store.scenarios.current(record.id);
    applied.push({
      projectCode: code,
      from: { scenarioId: member.scenario.id, scenarioName: member.scenario.name },
      to: {
        scenarioId: record.id,
        scenarioName: record.name,
        versionId: version.id,
        versionNo: version.versionNo,
      },
    });
    members[at] = {
      project: member.project,
      scenario: { id: record.id, name: record.name },
      version,
      // From the cache; computed and cached when missing, like any result.
      stored: () => store.results.forVersion(version.id),
      resultError: null,
      switched: true,
    };
  }
  if (issues.length > 0) throw new ValidationError(issues, 'The what-if switches are not valid');
  return applied;
}

/** The jurisdiction every member's project names, when they all name the same one. */
function commonJurisdiction(members: readonly Resolved[]): string | null {
  const names = new Set(members.map((m) => m.project.jurisdiction));
  const [only] = [...names];
  return names.size === 1 && only ? only : null;
}

/**
 * What the fiscal report keeps of one member between calls: everything it shows or sums that
 * does not depend on the other members (all but the portfolio rules' rows, re-judged per report).
 */
interface MemberDigest {
  parsed: Scenario;
  affordability: AffordabilityMember;
  bonds: BondMember;
  facts: PortfolioRuleFacts;
  vfm: FiscalVfm | null;
  bondSelfBalance: FiscalBondSelfBalance | null;
  /** The checklist without the portfolio's affordability (its portfolio rules not applicable). */
  checklist: ChecklistRow[];
}

/**
 * How many members' digests are kept per store: a portfolio of up to this many projects is
 * reported without reviving any result again. A digest holds the parsed inputs and a few lines
 * per year (about 40 KB for a 30-year scenario), not the result.
 */
export const DIGEST_MEMO_SIZE = 2048;
const digestMemos = new WeakMap<Store, Map<string, MemberDigest>>();

function digestOf(
  store: Store,
  key: string,
  m: Resolved,
  thresholds: JurisdictionThresholds,
  bondStress: boolean,
): { digest: MemberDigest | null; resultError: Resolved['resultError'] } {
  if (m.resultError) return { digest: null, resultError: m.resultError };
  let memo = digestMemos.get(store);
  if (!memo) digestMemos.set(store, (memo = new Map()));
  const hit = memo.get(key);
  if (hit) {
    // Least recently used goes first: re-insert to mark it used.
    memo.delete(key);
    memo.set(key, hit);
    return { digest: hit, resultError: null };
  }
  try {
    const stored = m.stored();
    if (stored === null) return { digest: null, resultError: null };
    const digest = digestMember(
      parseScenario(m.version.inputs),
      reviveResult(stored),
      thresholds,
      bondStress,
    );
    memo.set(key, digest);
    if (memo.size > DIGEST_MEMO_SIZE) memo.delete(memo.keys().next().value as string);
    return { digest, resultError: null };
  } catch (err) {
    return { digest: null, resultError: errorOf(err) };
  }
}

function digestMember(
  parsed: Scenario,
  result: SimulationResult,
  thresholds: JurisdictionThresholds,
  bondStress: boolean,
): MemberDigest {
  const member = { scenario: parsed, result };
  const facts = portfolioRuleFacts(parsed, result, thresholds);
  const vfm = parsed.fiscal?.psc ? valueForMoney(parsed, result) : null;
  const bonds = bondSelfBalance(parsed, result, thresholds, {
    revenueFactors: bondStress ? undefined : [],
  });
  return {
    parsed,
    affordability: affordabilityMember(member, thresholds, facts.obligations),
    bonds: bondMember(member),
    facts,
    vfm: vfm && jsonify(vfm),
    bondSelfBalance: bonds && jsonify(bonds),
    checklist: checkScenario(parsed, result, thresholds),
  };
}

const NO_CHECKS: Pick<
  FiscalMemberReport,
  'vfm' | 'bondSelfBalance' | 'checklist' | 'checklistSummary'
> = {
  vfm: null,
  bondSelfBalance: null,
  checklist: [],
  checklistSummary: { pass: 0, fail: 0, 'not-applicable': 0 },
};

function memberChecks(
  d: MemberDigest | null,
  thresholds: JurisdictionThresholds,
  affordability: AffordabilityReport | undefined,
): Pick<FiscalMemberReport, 'vfm' | 'bondSelfBalance' | 'checklist' | 'checklistSummary'> {
  if (d === null) return NO_CHECKS;
  const checklist = affordability
    ? recheckPortfolioRules(d.checklist, d.parsed, d.facts, thresholds, affordability)
    : d.checklist;
  return {
    vfm: d.vfm,
    bondSelfBalance: d.bondSelfBalance,
    checklist,
    checklistSummary: summariseChecklist(checklist),
  };
}

/** A loaded portfolio's members as saved (no what-if switch), with their stored results. */
function savedMembers(view: ReturnType<Store['portfolios']['load']>): Resolved[] {
  return view.members.map((m) => ({
    project: m.project,
    scenario: { id: m.scenario.id, name: m.scenario.name },
    version: m.version,
    stored: () => m.result,
    resultError: m.resultError,
    switched: false,
  }));
}

/**
 * The fiscal report of a portfolio, optionally with what-if switches.
 *
 * Writes nothing but results-cache entries for results that were not cached yet (a switched-in
 * scenario's current version, a member saved since the last computation): no audit entry, no
 * change to the portfolio. Repeated calls with the same switches give the same report.
 *
 * @param portfolioId the portfolio (a deleted one too: its history can be reviewed)
 * @throws NotFoundError for an unknown portfolio
 * @throws ValidationError for switches naming a project that is not a member, or a scenario the
 *   project does not have (or a deleted one), each at `switches.CODE`
 */
export function portfolioFiscalReport(
  store: Store,
  portfolioId: number,
  opts: FiscalReportOptions = {},
): PortfolioFiscalReport {
  const view = store.portfolios.load(portfolioId);
  const resolved = savedMembers(view);
  const switches = resolveSwitches(store, resolved, opts.switches ?? {});

  const settings = store.fiscal.getSettings(portfolioId);
  const { jurisdiction, thresholds, source } = store.fiscal.thresholdsFor(
    settings?.jurisdiction ?? commonJurisdiction(resolved),
  );
  const bondStress = opts.bondStress ?? true;
  // A digest depends on the member's inputs, the engine, the thresholds and the stress switch.
  const context = `${view.engineVersion}\u0000${JSON.stringify(thresholds)}\u0000${bondStress}`;
  const members = resolved.map((m) => ({
    ...m,
    ...digestOf(store, `${context}\u0000${m.version.inputsHash}`, m, thresholds, bondStress),
  }));
  const digests = members.flatMap((m) => (m.digest ? [m.digest] : []));
  const affordability = settings
    ? assessAffordabilityOf(
        digests.map((d) => d.affordability),
        settings.budget,
        thresholds,
        { otherObligations: settings.otherObligations },
      )
    : undefined;
  const bonds = portfolioBondsOf(
    digests.map((d) => d.bonds),
    thresholds,
  );

  const reports: FiscalMemberReport[] = members.map((m) => ({
    projectCode: m.project.code,
    projectName: m.project.name,
    projectNameEn: m.project.nameEn,
    sector: m.project.sector,
    category: m.project.category,
    delivery: m.digest ? m.digest.parsed.scenario.delivery : deliveryOf(m.version.inputs),
    approvalDate: m.project.approvalDate,
    scenarioId: m.scenario.id,
    scenarioName: m.scenario.name,
    versionId: m.version.id,
    versionNo: m.version.versionNo,
    switched: m.switched,
    countsTowardsCap: m.digest
      ? m.digest.affordability.counted
      : deliveryOf(m.version.inputs) !== 'government',
    ruleSets: m.digest ? ruleSetsFor(m.digest.parsed) : [],
    resultError: m.resultError,
    ...memberChecks(m.digest, thresholds, affordability),
  }));

  return {
    portfolio: {
      id: view.portfolio.id,
      name: view.portfolio.name,
      description: view.portfolio.description,
      updatedAt: view.portfolio.updatedAt,
      deletedAt: view.portfolio.deletedAt,
    },
    engineVersion: view.engineVersion,
    settings,
    jurisdiction,
    thresholds,
    thresholdsSource: source,
    switches,
    affordability: affordability ? jsonify(affordability) : null,
    bonds: jsonify(bonds),
    members: reports,
    failures: reports.flatMap((r) =>
      r.checklist
        .filter((row) => row.status === 'fail')
        .map((row) => ({
          projectCode: r.projectCode,
          scenarioName: r.scenarioName,
          versionId: r.versionId,
          row,
        })),
    ),
    incomplete: reports.some((r) => r.resultError !== null),
  };
}

/**
 * The checklist of one stored version (any version, not only the current one), with its value
 * for money and bond self-balance, against a jurisdiction's thresholds. The result comes from the
 * cache (computed and cached when missing).
 *
 * @param jurisdiction whose thresholds apply (default: the version's own `project.jurisdiction`;
 *   national defaults when that jurisdiction has none stored)
 * @param opts.bondStress re-simulate at −10 % / −20 % revenue for the bond self-balance (default true)
 * @throws NotFoundError for an unknown version
 * @throws FundMixError `engine-unavailable`, or the engine's error, when the result cannot be computed
 */
export function scenarioChecklist(
  store: Store,
  versionId: number,
  jurisdiction?: string | null,
  opts: { bondStress?: boolean } = {},
): ScenarioChecklistReport {
  const version = store.scenarios.version(versionId);
  const scenario = parseScenario(version.inputs);
  const result = reviveResult(store.results.forVersion(versionId));
  const applied = store.fiscal.thresholdsFor(jurisdiction ?? scenario.project.jurisdiction ?? null);
  const rows = checkScenario(scenario, result, applied.thresholds);
  const vfm = scenario.fiscal?.psc ? valueForMoney(scenario, result) : null;
  const bonds = bondSelfBalance(scenario, result, applied.thresholds, {
    revenueFactors: (opts.bondStress ?? true) ? undefined : [],
  });
  return {
    projectCode: version.projectCode,
    scenarioId: version.scenarioId,
    scenarioName: version.scenarioName,
    versionId: version.id,
    versionNo: version.versionNo,
    jurisdiction: applied.jurisdiction,
    thresholds: applied.thresholds,
    thresholdsSource: applied.source,
    ruleSets: ruleSetsFor(scenario),
    rows,
    summary: summariseChecklist(rows),
    vfm: vfm && jsonify(vfm),
    bondSelfBalance: bonds && jsonify(bonds),
  };
}

/** What a portfolio risk run measures (README "Portfolio risk"): the fiscal report's inputs. */
export interface PortfolioRiskInputs {
  /**
   * The members that enter the fiscal report (their result computes and their inputs validate),
   * with `index`, their place among all of the portfolio's members by project code.
   */
  members: Array<{
    index: number;
    projectCode: string;
    /** The member's version as saved in the portfolio, and that version's inputs hash. */
    versionId: number;
    inputsHash: string;
    inputs: ScenarioVersion['inputs'];
  }>;
  budget: PortfolioFiscalSettings['budget'] | null;
  otherObligations: PortfolioFiscalSettings['otherObligations'];
  jurisdiction: string | null;
  thresholds: JurisdictionThresholds;
}

/**
 * The inputs of a portfolio's fiscal report as a portfolio risk run needs them: members as
 * `portfolioFiscalReport` includes them (no what-if switches), the budget forecast, other
 * obligations and the thresholds it applies.
 * @throws NotFoundError for an unknown portfolio
 */
export function portfolioRiskInputs(store: Store, portfolioId: number): PortfolioRiskInputs {
  const view = store.portfolios.load(portfolioId);
  const resolved = savedMembers(view);
  const members = resolved.flatMap((m, index) => {
    const a = analyse(store, view.engineVersion, m);
    return a.parsed && a.result
      ? [
          {
            index,
            projectCode: m.project.code,
            versionId: m.version.id,
            inputsHash: m.version.inputsHash,
            inputs: m.version.inputs,
          },
        ]
      : [];
  });
  const settings = store.fiscal.getSettings(portfolioId);
  const { jurisdiction, thresholds } = store.fiscal.thresholdsFor(
    settings?.jurisdiction ?? commonJurisdiction(resolved),
  );
  return {
    members,
    budget: settings?.budget ?? null,
    otherObligations: settings?.otherObligations ?? [],
    jurisdiction,
    thresholds,
  };
}

/** What a portfolio costs the city by year (README "What it costs the city"), Decimals as strings. */
export interface PortfolioCityCost {
  portfolio: { id: number; name: string };
  engineVersion: string;
  /** The jurisdiction whose settings and thresholds apply, as in the fiscal report. */
  jurisdiction: string | null;
  /** False without fiscal settings: then no budget figures and no quotas. */
  hasSettings: boolean;
  /** True when a general / government-fund budget forecast is set. */
  hasGeneralBudget: boolean;
  hasFundBudget: boolean;
  quotas: BondQuotaYear[];
  report: Jsonified<CityCostReport>;
  /** Special bonds used as project capital against the cap (the `sb-bond-as-capital` rule's figures). */
  bondAsCapital: FiscalPortfolioBonds['bondAsCapital'];
  /** Members left out because their result could not be computed, by project code. */
  leftOut: string[];
}

/**
 * A portfolio's cost to the city by calendar year, as saved (no what-if): the domain's
 * `cityCost` over the members' cached results, the settings' general and government-fund
 * budgets and bond quotas. Writes nothing but results-cache entries not cached yet.
 * @throws NotFoundError for an unknown portfolio
 */
export function portfolioCityCost(store: Store, portfolioId: number): PortfolioCityCost {
  const view = store.portfolios.load(portfolioId);
  const resolved = savedMembers(view);
  const members = resolved.map((m) => analyse(store, view.engineVersion, m));
  const settings = store.fiscal.getSettings(portfolioId);
  const { jurisdiction, thresholds } = store.fiscal.thresholdsFor(
    settings?.jurisdiction ?? commonJurisdiction(resolved),
  );
  const domainMembers: PortfolioMember[] = members.flatMap((m) =>
    m.parsed && m.result ? [{ scenario: m.parsed, result: m.result }] : [],
  );
  const report = cityCost({
    members: domainMembers,
    generalBudget: settings?.budget ?? null,
    fundBudget: settings?.fundBudget ?? null,
    quotas: settings?.bondQuotas ?? [],
  });
  return {
    portfolio: { id: view.portfolio.id, name: view.portfolio.name },
    engineVersion: view.engineVersion,
    jurisdiction,
    hasSettings: settings !== null,
    hasGeneralBudget: settings !== null,
    hasFundBudget: (settings?.fundBudget ?? null) !== null,
    quotas: settings?.bondQuotas ?? [],
    report: jsonify(report),
    bondAsCapital: jsonify(portfolioBonds(domainMembers, thresholds).bondAsCapital),
    leftOut: members.filter((m) => !m.parsed || !m.result).map((m) => m.project.code),
  };
}
