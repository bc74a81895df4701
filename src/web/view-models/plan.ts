import { yuanOf, type PlanData, type PlanOutcome, type PlanRequest } from '../../app/plan';
import type { PlanJob } from '../services/plan-jobs';
import type { FieldIssue } from '../../domain/errors';
import { formatAmount, type Lang, type Unit } from '../format/number';
import type { Translate } from '../i18n';
import { localizeIssue } from '../i18n/issues';

/** The plan form as typed: every field is text, so a refused form shows what was typed. */
export interface PlanForm {
  years: Array<{ year: string; envelope: string; quota: string; generalQuota: string }>;
  windows: Record<string, { from: string; to: string }>;
  /** Per project code: '' (free), 'do' or 'not'. */
  must: Record<string, string>;
  timeLimitSeconds: string;
}

const text = (v: unknown): string => (typeof v === 'string' ? v : '');
const entries = (v: unknown): unknown[] =>
  Array.isArray(v) ? v : typeof v === 'object' && v !== null ? Object.values(v) : [];
const field = (o: unknown, k: string): string =>
  typeof o === 'object' && o !== null ? text((o as Record<string, unknown>)[k]) : '';

/** The posted form (urlencoded: `years[i][year|envelope|quota|generalQuota]`, `windows[CODE][from|to]`, `must[CODE]`). */
export function postedPlanForm(body: unknown): PlanForm {
  const b = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  const windows: PlanForm['windows'] = {};
  const rawWindows = b.windows;
  if (typeof rawWindows === 'object' && rawWindows !== null)
    for (const [code, w] of Object.entries(rawWindows))
      windows[code] = { from: field(w, 'from').trim(), to: field(w, 'to').trim() };
  const must: PlanForm['must'] = {};
  if (typeof b.must === 'object' && b.must !== null)
    for (const [code, v] of Object.entries(b.must)) must[code] = text(v);
  return {
    years: entries(b.years).map((r) => ({
      year: field(r, 'year').trim(),
      envelope: field(r, 'envelope').trim(),
      quota: field(r, 'quota').trim(),
      generalQuota: field(r, 'generalQuota').trim(),
    })),
    windows,
    must,
    timeLimitSeconds: text(b.timeLimitSeconds).trim(),
  };
}

const asInt = (s: string): number | string => (/^\d+$/.test(s) ? Number(s) : s);

/** The form as the use case's request: blank amounts are "no limit", numbers stay text. */
export function planRequestOf(form: PlanForm): PlanRequest {
  const codes = Object.keys(form.must);
  return {
    years: form.years.map((y) => ({
      year: asInt(y.year) as number,
      generalBudgetEnvelopeYuan: y.envelope === '' ? null : y.envelope.replace(/,/g, ''),
      specialBondQuotaYuan: y.quota === '' ? null : y.quota.replace(/,/g, ''),
      generalBondQuotaYuan: y.generalQuota === '' ? null : y.generalQuota.replace(/,/g, ''),
    })),
    windows: Object.fromEntries(
      Object.entries(form.windows).map(([code, w]) => [
        code,
        { from: asInt(w.from) as number, to: asInt(w.to) as number },
      ]),
    ),
    mustDo: codes.filter((c) => form.must[c] === 'do'),
    mustNot: codes.filter((c) => form.must[c] === 'not'),
    ...(form.timeLimitSeconds === ''
      ? {}
      : { timeLimitSeconds: asInt(form.timeLimitSeconds) as number }),
  };
}

/** The form's defaults from the plan data. */
export function defaultPlanForm(data: PlanData): PlanForm {
  return {
    years: data.years.map((y) => ({
      year: String(y.year),
      envelope: y.generalBudgetEnvelopeYuan ?? '',
      quota: y.specialBondQuotaYuan ?? '',
      generalQuota: y.generalBondQuotaYuan ?? '',
    })),
    windows: Object.fromEntries(
      data.projects.map((p) => [p.code, { from: String(p.window.from), to: String(p.window.to) }]),
    ),
    must: Object.fromEntries(data.projects.map((p) => [p.code, ''])),
    timeLimitSeconds: '30',
  };
}

const money = (yuan: string | null, unit: Unit): string =>
  yuan === null ? '—' : formatAmount(yuan, unit);

const issuesAt = (issues: FieldIssue[], prefix: string, lang: Lang) =>
  issues
    .filter((i) => i.path === prefix || i.path.startsWith(`${prefix}.`))
    .map((i) => localizeIssue(i.message, lang))
    .join('; ') || null;

function formView(
  data: PlanData,
  form: PlanForm,
  issues: FieldIssue[],
  lang: Lang,
  unit: Unit,
  t: Translate,
) {
  const budgets = new Map(data.years.map((y) => [String(y.year), y]));
  return {
    years: form.years.map((y, i) => {
      const d = budgets.get(y.year);
      return {
        index: i,
        ...y,
        budget: money(d?.budgetExpenditureYuan ?? null, unit),
        other: money(d?.otherPppYuan ?? null, unit),
        issue: issuesAt(issues, `years[${i}]`, lang),
      };
    }),
    projects: data.projects.map((p) => {
      const w = form.windows[p.code] ?? { from: '', to: '' };
      const must = form.must[p.code] ?? '';
      return {
        code: p.code,
        name: p.name,
        member: p.member.scenarioName,
        from: w.from,
        to: w.to,
        options: [
          { value: '', label: t('plan.mustFree'), selected: must === '' },
          { value: 'do', label: t('plan.mustDo'), selected: must === 'do' },
          { value: 'not', label: t('plan.mustNot'), selected: must === 'not' },
        ],
        issue:
          issuesAt(issues, `windows.${p.code}`, lang) ??
          (issues
            .filter((i) => /^must(Do|Not)\[/.test(i.path) && i.message.startsWith(`${p.code} `))
            .map((i) => localizeIssue(i.message, lang))
            .join('; ') ||
            null),
      };
    }),
    timeLimitSeconds: form.timeLimitSeconds,
  };
}

const KIND_KEYS = {
  'general-budget': 'plan.kind.generalBudget',
  'special-bond-quota': 'plan.kind.specialBond',
  'general-bond-quota': 'plan.kind.generalBond',
  'ppp-cap': 'plan.kind.ppp',
} as const;

function resultView(o: PlanOutcome, unit: Unit, t: Translate) {
  const r = o.result;
  const base = new Map(
    o.data.projects.flatMap((p) => p.scenarios.map((s) => [`${p.code}|${s.id}`, s.startYear])),
  );
  const yuan = yuanOf;
  const rows = r.constraints.map((c) => ({
    kind: t(KIND_KEYS[c.kind]) + (c.lineApplies ? ` (${t('plan.lineApplies')})` : ''),
    year: c.year,
    limit: formatAmount(yuan(c.limitFen), unit),
    used: formatAmount(yuan(c.usedFen), unit),
    slack: formatAmount(yuan(c.slackFen), unit),
    binding: c.binding,
    shadow: c.shadowValue,
  }));
  const cur = new Map(o.comparison.current.years.map((y) => [y.year, y]));
  const opt = (v: bigint | null | undefined) =>
    v === null || v === undefined ? '—' : formatAmount(yuan(v), unit);
  return {
    optimal: r.status === 'optimal',
    gap: r.gap,
    totalScore: r.totalScore,
    candidateCount: r.candidateCount,
    chosen: r.chosen.map((c) => ({
      ...c,
      modelledStart: base.get(`${c.projectCode}|${c.scenarioId}`) ?? c.startYear,
      moved: base.get(`${c.projectCode}|${c.scenarioId}`) !== c.startYear,
    })),
    notChosen: o.data.projects
      .filter((p) => !r.chosen.some((c) => c.projectCode === p.code))
      .map((p) => p.code),
    binding: rows.filter((x) => x.binding),
    shadows: rows.filter((x) => x.shadow !== null && x.shadow !== '0.0000'),
    excluded: r.excluded,
    comparison: {
      current: o.comparison.current.totalScore,
      chosen: o.comparison.chosen.totalScore,
      years: o.comparison.chosen.years
        .filter((y) => {
          const c = cur.get(y.year);
          return (
            y.generalBudgetFen !== 0n ||
            y.specialBondFen !== 0n ||
            (c?.generalBudgetFen ?? 0n) !== 0n ||
            (c?.specialBondFen ?? 0n) !== 0n ||
            y.envelopeFen !== null
          );
        })
        .map((y) => {
          const c = cur.get(y.year);
          return {
            year: y.year,
            generalCurrent: opt(c?.generalBudgetFen),
            generalChosen: opt(y.generalBudgetFen),
            envelope: opt(y.envelopeFen),
            bondCurrent: opt(c?.specialBondFen),
            bondChosen: opt(y.specialBondFen),
            quota: opt(y.quotaFen),
            headroomCurrent: opt(c?.capHeadroomFen),
            headroomChosen: opt(y.capHeadroomFen),
          };
        }),
    },
  };
}

/** The plan page's model: the form (as typed or the defaults), its issues and the result. */
export function planPageView(args: {
  data: PlanData;
  form: PlanForm;
  issues: FieldIssue[];
  problem: string | null;
  outcome: PlanOutcome | null;
  lang: Lang;
  unit: Unit;
  t: Translate;
  csrfToken: string;
  maySave: boolean;
  /** The job whose result is shown: its save form posts there, with the name as typed. */
  job?: { id: string; saveAs: string } | null;
  /** Why a save was refused (the name, or a chosen scenario archived since): shown at the form. */
  saveIssues?: FieldIssue[];
}) {
  const { data, outcome, lang, unit, t } = args;
  const saveIssue =
    (args.saveIssues ?? []).map((i) => localizeIssue(i.message, lang)).join('; ') || null;
  return {
    portfolio: data.portfolio,
    jurisdiction: data.jurisdiction,
    hasSettings: data.hasSettings,
    cap: data.cap,
    line: data.newProjectLine,
    unitLabel: t(`unit.${unit}`),
    csrfToken: args.csrfToken,
    form: formView(data, args.form, args.issues, lang, unit, t),
    problem: args.problem,
    issues: args.issues.map((i) => ({ path: i.path, message: localizeIssue(i.message, lang) })),
    leftOut: data.leftOut,
    result: outcome === null ? null : resultView(outcome, unit, t),
    save:
      args.maySave && outcome !== null && args.job
        ? { action: `/plan-jobs/${args.job.id}/save`, name: args.job.saveAs, issue: saveIssue }
        : null,
    backHref: `/portfolios/${data.portfolio.id}`,
  };
}

const seconds = (ms: number) => String(Math.ceil(ms / 1000));

/**
 * The progress page of a running optimisation: the phase (building the model, solving, shadow
 * values k of n), the time so far and left, the cancel form's token.
 */
export function planJobView(job: PlanJob, t: Translate, csrfToken: string) {
  const p = job.progress;
  return {
    job: { id: job.id, state: job.state, done: p.done, total: p.total },
    phase: t(`plan.job.phase.${p.phase}`, { done: String(p.done), total: String(p.total) }),
    shadowPhase: p.phase === 'shadow',
    elapsed: t('plan.job.elapsed', { s: String(Math.floor(p.elapsedMs / 1000)) }),
    eta:
      p.etaMs === null
        ? ''
        : t(p.etaIsLimit ? 'plan.job.etaLimit' : 'plan.job.eta', { s: seconds(p.etaMs) }),
    back: `/portfolios/${job.portfolioId}/plan`,
    csrfToken,
  };
}
