import type { Actor } from '../../domain/access';
import { Dec } from '../../domain/decimal';
import type { FieldIssue } from '../../domain/errors';
import type { FilingTransition, PreApprovalGap, StoredFilingState } from '../../domain/filing';
import { deliveryOf } from '../../domain/scenario/upgrade';
import type { FilingFingerprints, FilingSummary, FilingView } from '../../app/filings';
import { scenarioChecklist, type Store } from '../../store';
import type { ScenarioVersion, StoredResult } from '../../store/types';
import { formatAmount, type Lang, type Unit } from '../format/number';
import type { Translate } from '../i18n';
import { localizeIssue } from '../i18n/issues';
import type { ResultFigures } from '../services/result-figures';
import { scenarioChecksView, type ScenarioChecksView } from './checks';
import type { MetricRow } from './common';
import { projectName } from './common';
import type { VersionFigures } from './results';

/**
 * The filing workflow's pages (issue 10): the inbox, the filing page (the version in words and
 * figures, its compliance checklist, the pre-approval checklist, the thread, the transitions the
 * viewer may make), the printed report, and the "File this version" form of a results page.
 * Figures come from the results page's view models; the checklist is judged against the
 * jurisdiction the version is filed to, as the pre-approval checklist is.
 */

/** Badge tone of each state. */
const STATE_BADGE: Readonly<Record<StoredFilingState | 'draft', string>> = {
  draft: 'muted',
  submitted: 'info',
  'under-review': 'warning',
  returned: 'error',
  resubmitted: 'info',
  approved: 'good',
  withdrawn: 'muted',
};

export interface StateView {
  code: string;
  label: string;
  badge: string;
}

export function stateView(state: StoredFilingState | 'draft', t: Translate): StateView {
  return { code: state, label: t(`filing.state.${state}`), badge: STATE_BADGE[state] };
}

/** One line of an inbox table. */
export interface InboxRow {
  href: string;
  project: string;
  projectCode: string;
  scenario: string;
  versionNo: number;
  jurisdiction: string;
  state: StateView;
  filedBy: string;
  filedByOrg: string;
  filedAt: string;
  updatedAt: string;
  decidedAt: string | null;
}

export interface InboxSection {
  id: string;
  title: string;
  rows: InboxRow[];
}

export function inboxRow(f: FilingSummary, t: Translate): InboxRow {
  return {
    href: `/filings/${f.id}`,
    project: f.projectName,
    projectCode: f.projectCode,
    scenario: f.scenarioName,
    versionNo: f.versionNo,
    jurisdiction: f.jurisdiction,
    state: stateView(f.state, t),
    filedBy: f.filedBy,
    filedByOrg: f.filedByOrg,
    filedAt: f.filedAt,
    updatedAt: f.updatedAt,
    decidedAt: f.decidedAt,
  };
}

/** The facts of the filed version in words: timeline, funding, revenues, operating cost. */
export function inputsInWords(
  version: ScenarioVersion,
  result: StoredResult,
  figures: Pick<VersionFigures, 'sources'>,
  lang: Lang,
  unit: Unit,
  t: Translate,
): string[] {
  const timeline = (version.inputs as { timeline?: Record<string, unknown> }).timeline ?? {};
  const construction = result.ledger.filter((y) => y.phase === 'construction').length;
  const operation = result.ledger.length - construction;
  const delivery = deliveryOf(version.inputs);
  const first = result.ledger[0]?.year ?? Number(timeline.startYear);
  const last = result.ledger[result.ledger.length - 1]?.year ?? first;
  const opex = result.ledger.reduce((sum, y) => sum.plus(y.opex), new Dec(0));
  const sources = figures.sources.map((s) =>
    t('filing.summary.source', {
      name: s.name,
      type: t(`sourceType.${s.type}`),
      amount: s.amount,
      share: s.share,
    }),
  );
  const join = lang === 'zh' ? '；' : '; ';
  return [
    t('filing.summary.timeline', {
      delivery: delivery ? t(`delivery.${delivery}`) : t('common.none'),
      c: construction,
      o: operation,
      start: first,
      end: last,
    }),
    t('filing.summary.funding', {
      total: formatAmount(result.metrics.totalInvestment, unit),
      n: sources.length,
      list: sources.join(join),
    }),
    result.streams.length === 0
      ? t('filing.summary.noRevenues')
      : t('filing.summary.revenues', {
          n: result.streams.length,
          list: result.streams.map((s) => s.name).join(lang === 'zh' ? '、' : ', '),
        }),
    t('filing.summary.opex', { total: formatAmount(opex, unit), o: operation }),
  ];
}

/** A field's problem as the page shows it, in the page's language. */
function issueText(issue: FieldIssue, lang: Lang, t: Translate): string {
  const known: Record<string, string> = {
    'Say why the filing is returned': 'filing.error.returnComment',
    'Write the comment': 'filing.error.comment',
    'Write the justification': 'filing.error.justification',
  };
  const key = known[issue.message];
  if (key) return t(key);
  const item = /^preApproval\.(data-sharing|all-caliber)$/.exec(issue.path)?.[1];
  if (item) return t('filing.error.preApproval', { item: t(`filing.preApproval.${item}`) });
  return localizeIssue(issue.message, lang);
}

function gapText(gap: PreApprovalGap, t: Translate, titles: Map<string, string>): string {
  return gap.code === 'failure-unjustified'
    ? t('filing.gap.failure-unjustified', { rule: titles.get(gap.ruleId) ?? gap.ruleId })
    : t(`filing.gap.${gap.code}`);
}

/** What a refused form post brings back to the page: which form, what was typed, what is wrong. */
export interface FormState {
  /** `transition-<kind>`, `comment`, `justify-<ruleId>`. */
  form: string;
  values: Record<string, string>;
  issues: FieldIssue[];
}

export interface TransitionFormView {
  id: string;
  kind: FilingTransition;
  action: string;
  label: string;
  commentRequired: boolean;
  comment: string;
  errors: string[];
  primary: boolean;
  resubmit: {
    versionId: number;
    versionNo: number;
    newer: boolean;
    dataSharing: boolean;
    allFunding: boolean;
  } | null;
}

export interface FilingPageView {
  id: number;
  state: StateView;
  project: { code: string; name: string; href: string };
  scenario: { id: number; name: string; href: string };
  version: { id: number; no: number; href: string; author: string; createdAt: string };
  jurisdiction: string;
  filedBy: string;
  filedByOrg: string;
  filedAt: string;
  decidedBy: string | null;
  decidedAt: string | null;
  eventCount: number;
  notice: { text: string; tone: 'ok' | 'warn' } | null;
  declarations: Array<{ label: string; declared: boolean; text: string }>;
  inputs: string[];
  metrics: MetricRow[];
  checks: ScenarioChecksView | null;
  preApproval: {
    complete: boolean;
    headline: { text: string; badge: string };
    /** The jurisdiction's checklist settings page. */
    configureHref: string;
    items: Array<{
      id: string;
      label: string;
      enabled: boolean;
      complete: boolean;
      badge: string;
      status: string;
      gaps: string[];
    }>;
  };
  justifications: Array<{
    ruleId: string;
    title: string;
    text: string | null;
    by: string | null;
    at: string | null;
    form: { id: string; action: string; value: string; errors: string[] } | null;
  }>;
  thread: Array<{
    kind: string;
    change: string | null;
    username: string;
    organisation: string;
    at: string;
    comment: string;
    versionNo: number;
  }>;
  transitions: TransitionFormView[];
  commentForm: { id: string; action: string; value: string; errors: string[] } | null;
  formErrors: string[];
  csrfToken: string;
  links: { report: string; inbox: string };
}

export interface FilingPageInput {
  store: Store;
  actor: Actor;
  view: FilingView;
  lang: Lang;
  unit: Unit;
  t: Translate;
  figures: ResultFigures;
  csrfToken: string;
  notice?: FilingPageView['notice'];
  refused?: FormState;
}

/** The figures, checklist and words of the version a filing carries. */
export function filedVersion(
  store: Store,
  view: FilingView,
  lang: Lang,
  unit: Unit,
  t: Translate,
  figures: ResultFigures,
) {
  const version = store.scenarios.version(view.versionId);
  const result = () => store.results.forVersion(view.versionId);
  const figs = figures.of(version, result, lang, unit, t);
  const checks = scenarioChecksView(
    scenarioChecklist(store, view.versionId, view.jurisdiction),
    [],
    lang,
    unit,
    t,
  );
  return {
    version,
    figures: figs,
    inputs: inputsInWords(version, result(), figs, lang, unit, t),
    checks,
    ruleTitles: new Map([...checks.rows, ...checks.notApplicable].map((r) => [r.ruleId, r.title])),
  };
}

const TRANSITION_ORDER: readonly FilingTransition[] = [
  'approve',
  'take-under-review',
  'resubmit',
  'return',
  'withdraw',
];

function transitionForms(
  store: Store,
  view: FilingView,
  t: Translate,
  lang: Lang,
  refused: FormState | undefined,
): TransitionFormView[] {
  const scenario = store.scenarios.getById(view.scenarioId);
  return TRANSITION_ORDER.filter((k) => view.allowed.includes(k)).map((kind) => {
    const id = `transition-${kind}`;
    const mine = refused?.form === id ? refused : undefined;
    const checked = (name: string, was: boolean) => (mine ? mine.values[name] === 'true' : was);
    return {
      id,
      kind,
      action: `/filings/${view.id}/${kind}`,
      label: t(`filing.do.${kind}`),
      commentRequired: kind === 'return',
      comment: mine?.values.comment ?? '',
      errors: (mine?.issues ?? []).map((i) => issueText(i, lang, t)),
      primary: kind === 'approve' || kind === 'take-under-review' || kind === 'resubmit',
      resubmit:
        kind === 'resubmit'
          ? {
              versionId: scenario.currentVersionId,
              versionNo: scenario.currentVersionNo,
              newer: scenario.currentVersionId !== view.versionId,
              dataSharing: checked('dataSharingDeclared', view.declarations.dataSharing),
              allFunding: checked('allFundingDeclared', view.declarations.allFunding),
            }
          : null,
    };
  });
}

/** The filing page. */
export function filingPage(input: FilingPageInput): FilingPageView {
  const { store, view, lang, unit, t, refused } = input;
  const filed = filedVersion(store, view, lang, unit, t, input.figures);
  const project = store.projects.get(view.projectCode);
  const versionNo = new Map(
    store.scenarios.versions(view.scenarioId).map((v) => [v.id, v.versionNo]),
  );
  const failing = filed.checks.rows.filter((r) => r.status === 'fail');
  const mayJustify = view.allowed.includes('justify');
  const yesNo = (b: boolean) => (b ? t('filing.declared') : t('filing.notDeclared'));
  const errorsOf = (form: string) =>
    refused?.form === form ? refused.issues.map((i) => issueText(i, lang, t)) : [];
  const known = new Set([
    'transition-approve',
    'transition-take-under-review',
    'transition-resubmit',
    'transition-return',
    'transition-withdraw',
    'comment',
    ...failing.map((r) => `justify-${r.ruleId}`),
  ]);
  return {
    id: view.id,
    state: stateView(view.state, t),
    project: {
      code: project.code,
      name: projectName(project, lang),
      href: `/projects/${encodeURIComponent(project.code)}`,
    },
    scenario: {
      id: view.scenarioId,
      name: view.scenarioName,
      href: `/scenarios/${view.scenarioId}`,
    },
    version: {
      id: view.versionId,
      no: view.versionNo,
      href: `/versions/${view.versionId}`,
      author: filed.version.author,
      createdAt: filed.version.createdAt,
    },
    ...whoAndWhen(view),
    eventCount: view.eventCount,
    notice: input.notice ?? null,
    declarations: [
      {
        label: t('filing.declare.dataSharing'),
        declared: view.declarations.dataSharing,
        text: yesNo(view.declarations.dataSharing),
      },
      {
        label: t('filing.declare.allFunding'),
        declared: view.declarations.allFunding,
        text: yesNo(view.declarations.allFunding),
      },
    ],
    inputs: filed.inputs,
    metrics: filed.figures.metrics,
    checks: filed.checks,
    preApproval: {
      configureHref: `/jurisdictions/${encodeURIComponent(view.jurisdiction)}/pre-approval`,
      complete: view.preApproval.complete,
      headline: view.preApproval.complete
        ? { text: t('filing.preApproval.complete'), badge: 'good' }
        : { text: t('filing.preApproval.incomplete'), badge: 'error' },
      items: view.preApproval.items.map((i) => ({
        id: i.item,
        label: t(`filing.preApproval.${i.item}`),
        enabled: i.enabled,
        complete: i.complete,
        badge: !i.enabled ? 'muted' : i.complete ? 'good' : 'error',
        status: !i.enabled
          ? t('filing.preApproval.notRequired', { jurisdiction: view.jurisdiction })
          : i.complete
            ? t('filing.preApproval.itemComplete')
            : t('filing.preApproval.itemIncomplete'),
        gaps: i.gaps.map((g) => gapText(g, t, filed.ruleTitles)),
      })),
    },
    justifications: failing.map((r) => {
      const j = view.justifications.find((x) => x.ruleId === r.ruleId);
      const form = `justify-${r.ruleId}`;
      return {
        ruleId: r.ruleId,
        title: r.title,
        text: j?.text ?? null,
        by: j?.username ?? null,
        at: j?.at ?? null,
        form: mayJustify
          ? {
              id: form,
              action: `/filings/${view.id}/justify`,
              value: refused?.form === form ? (refused.values.text ?? '') : (j?.text ?? ''),
              errors: errorsOf(form),
            }
          : null,
      };
    }),
    thread: view.events.map((e) => ({
      kind: t(`filing.event.${e.kind}`),
      change:
        e.from !== null && e.from !== e.to
          ? `${t(`filing.state.${e.from}`)} → ${t(`filing.state.${e.to}`)}`
          : e.from === null
            ? t(`filing.state.${e.to}`)
            : null,
      username: e.username,
      organisation: e.organisation,
      at: e.at,
      comment: e.comment,
      versionNo: versionNo.get(e.versionId) ?? 0,
    })),
    transitions: transitionForms(store, view, t, lang, refused),
    commentForm: view.allowed.includes('comment')
      ? {
          id: 'comment',
          action: `/filings/${view.id}/comment`,
          value: refused?.form === 'comment' ? (refused.values.comment ?? '') : '',
          errors: errorsOf('comment'),
        }
      : null,
    // Problems of a form the viewer no longer has (the filing moved on): shown at the top.
    formErrors:
      refused && !known.has(refused.form) ? refused.issues.map((i) => issueText(i, lang, t)) : [],
    csrfToken: input.csrfToken,
    links: { report: `/filings/${view.id}/report`, inbox: '/filings' },
  };
}

/** The printed A4 report of a filing. */
export function filingReport(
  store: Store,
  view: FilingView,
  prints: FilingFingerprints,
  lang: Lang,
  unit: Unit,
  t: Translate,
  figures: ResultFigures,
  printedAt: string,
) {
  const filed = filedVersion(store, view, lang, unit, t, figures);
  const project = store.projects.get(view.projectCode);
  return {
    id: view.id,
    state: stateView(view.state, t),
    project: { code: project.code, name: projectName(project, lang) },
    scenario: view.scenarioName,
    version: {
      no: view.versionNo,
      author: filed.version.author,
      createdAt: filed.version.createdAt,
    },
    ...whoAndWhen(view),
    inputs: filed.inputs,
    metrics: filed.figures.metrics.slice(0, 8),
    checks: filed.checks,
    justifications: view.justifications.map((j) => ({
      title: filed.ruleTitles.get(j.ruleId) ?? j.ruleId,
      text: j.text,
      by: j.username,
    })),
    declarations: [
      [t('filing.declare.dataSharing'), view.declarations.dataSharing] as const,
      [t('filing.declare.allFunding'), view.declarations.allFunding] as const,
    ].map(([label, declared]) =>
      t('report.declaration', {
        label,
        value: declared ? t('filing.declared') : t('filing.notDeclared'),
      }),
    ),
    comments: view.events
      .filter((e) => e.comment.trim() !== '' && e.kind !== 'justify')
      .map((e) => ({
        kind: t(`filing.event.${e.kind}`),
        username: e.username,
        at: e.at,
        comment: e.comment,
      })),
    prints,
    printedAt,
  };
}

export type FilingReportView = ReturnType<typeof filingReport>;

/** The "File this version" form of a results page, or null when the viewer may not file it now. */
export interface FileFormView {
  action: string;
  jurisdictions: Array<{ name: string; selected: boolean }>;
  dataSharing: boolean;
  allFunding: boolean;
  comment: string;
  errors: Record<string, string>;
  formErrors: string[];
}

/** The jurisdictions a version can be filed to: those with a registered finance bureau. */
export function bureauJurisdictions(store: Store): string[] {
  return store.accounts
    .listOrganisations()
    .filter((o) => o.kind === 'bureau' && o.jurisdiction !== null)
    .map((o) => o.jurisdiction as string)
    .sort();
}

export function fileForm(
  store: Store,
  versionId: number,
  preferred: string | null,
  lang: Lang,
  t: Translate,
  typed?: FormState,
): FileFormView {
  const names = bureauJurisdictions(store);
  const chosen =
    typed?.values.jurisdiction ?? (preferred && names.includes(preferred) ? preferred : names[0]);
  const errors: Record<string, string> = {};
  const formErrors: string[] = [];
  for (const issue of typed?.issues ?? []) {
    const text =
      issue.path === 'jurisdiction' && issue.message.startsWith('No finance bureau')
        ? t('file.noBureau', { jurisdiction: typed?.values.jurisdiction ?? '' })
        : issueText(issue, lang, t);
    if (['jurisdiction', 'comment'].includes(issue.path)) errors[issue.path] = text;
    else formErrors.push(text);
  }
  const list = chosen !== undefined && !names.includes(chosen) ? [...names, chosen] : names;
  return {
    action: `/versions/${versionId}/file`,
    jurisdictions: list.map((name) => ({ name, selected: name === chosen })),
    dataSharing: typed ? typed.values.dataSharingDeclared === 'true' : false,
    allFunding: typed ? typed.values.allFundingDeclared === 'true' : false,
    comment: typed?.values.comment ?? '',
    errors,
    formErrors,
  };
}

/** Where a filing went, who filed it and who decided, and when: the page and the report alike. */
function whoAndWhen(view: FilingView) {
  return {
    jurisdiction: view.jurisdiction,
    filedBy: view.filedBy,
    filedByOrg: view.filedByOrg,
    filedAt: view.filedAt,
    decidedBy: view.decidedBy,
    decidedAt: view.decidedAt,
  };
}
