import { decide, type Actor, type Role } from '../../src/domain/access';
import { simulate } from '../../src/domain/engine/simulate';
import { ENGINE_VERSION } from '../../src/domain/engine/types';
import { NotFoundError, ValidationError } from '../../src/domain/errors';
import { actorOfUser } from '../../src/app/actors';
import { ForbiddenError } from '../../src/app/errors';
import {
  approveFiling,
  approvedThisYear,
  awaitingMyReview,
  commentOnFiling,
  filingsOfScenario,
  getFiling,
  justifyFailure,
  resubmitFiling,
  returnedToMe,
  returnFiling,
  setPreApprovalChecklist,
  submitFiling,
  takeUnderReview,
  withdrawFiling,
  type FilingView,
} from '../../src/app/filings';
import { projectResource, scenarioResource, versionResource } from '../../src/app/resources';
import { ConflictError } from '../../src/store';
import type { AuditActor } from '../../src/store/repos/accounts';
import { memoryStore, scenarioInput } from '../store/helpers/fixtures';

const HASH = '$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA';
const SYSTEM: AuditActor = { label: 'system (cli)', userId: null, orgId: null };
const CITY = '示范市 Demo City';
const OTHER = '邻市 Other City';
/** The fixture's revenue: sb-coverage fails (0.741 < 1.2 at the default thresholds). */
const FAILING = scenarioInput('P-001');
/** Revenue 3,000,000 a year: sb-coverage passes (3.398). */
const PASSING = scenarioInput('P-001', 'Base case', (s) => {
  s.revenues = [{ kind: 'other', name: 'Advertising', annualYuan: '3000000.00', growth: '0.01' }];
});

function caught(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    return err;
  }
  throw new Error('expected an error');
}

/** Two bureaus, an audit office, two enterprises; one user per role; Firm's project P-001. */
function world() {
  const { db, store } = memoryStore({ engine: { simulate, version: ENGINE_VERSION } });
  const org = (name: string, kind: 'bureau' | 'enterprise' | 'audit', j: string | null) =>
    store.accounts.addOrganisation({ name, kind, jurisdiction: j }, SYSTEM);
  const bureau = org('示范市财政局', 'bureau', CITY);
  const otherBureau = org('邻市财政局', 'bureau', OTHER);
  const audit = org('示范市审计局', 'audit', CITY);
  const firm = org('智慧城建公司', 'enterprise', null);
  const rival = org('对手公司', 'enterprise', null);
  const user = (username: string, orgId: number, role: Role): Actor =>
    actorOfUser(
      store.accounts.addUser({ username, orgId, passwordHash: HASH, roles: [role] }, SYSTEM),
      'session',
      false,
    );
  const actors = {
    approver: user('approver', bureau.id, 'bureau-approver'),
    analyst: user('analyst', bureau.id, 'bureau-analyst'),
    otherApprover: user('other-approver', otherBureau.id, 'bureau-approver'),
    auditor: user('auditor', audit.id, 'auditor'),
    filer: user('filer', firm.id, 'enterprise-analyst'),
    rival: user('rival', rival.id, 'enterprise-analyst'),
  };
  const saved = store.scenarios.save(FAILING, { actor: 'filer' });
  const alternative = store.scenarios.save(scenarioInput('P-001', 'Alternative'), {
    actor: 'filer',
  });
  // The web app does not set owners yet (the integrator's wiring will): Firm owns P-001.
  db.prepare(`UPDATE projects SET owner_org_id = ? WHERE code = 'P-001'`).run(firm.id);
  return { db, store, ...actors, saved, alternative, firm };
}

type World = ReturnType<typeof world>;

function submit(w: World, versionId = w.saved.version.id): FilingView {
  return submitFiling(w.store, w.filer, {
    versionId,
    jurisdiction: CITY,
    dataSharingDeclared: true,
    allFundingDeclared: true,
    comment: 'For approval',
  });
}

const next = (f: FilingView, comment = '') => ({
  filingId: f.id,
  expectedEvents: f.eventCount,
  comment,
});

describe('the filing walk', () => {
  it('submit → under review → return with comment → resubmit a new version → under review → approve', () => {
    const w = world();
    const filed = submit(w);
    expect(filed).toMatchObject({
      state: 'submitted',
      projectCode: 'P-001',
      scenarioName: 'Base case',
      versionId: w.saved.version.id,
      versionNo: 1,
      jurisdiction: CITY,
      filedBy: 'filer',
      filedByOrg: '智慧城建公司',
      eventCount: 1,
      allowed: ['withdraw', 'comment', 'justify'],
    });
    expect(awaitingMyReview(w.store, w.approver).map((f) => f.id)).toEqual([filed.id]);
    expect(awaitingMyReview(w.store, w.analyst)).toEqual([]);
    expect(awaitingMyReview(w.store, w.otherApprover)).toEqual([]);
    expect(getFiling(w.store, w.approver, filed.id).allowed).toEqual([
      'take-under-review',
      'comment',
    ]);

    const reviewing = takeUnderReview(w.store, w.approver, next(filed));
    expect(reviewing.state).toBe('under-review');
    expect(reviewing.allowed).toEqual(['return', 'approve', 'comment']);
    expect(getFiling(w.store, w.filer, filed.id).allowed).toEqual(['comment', 'justify']);

    const returned = returnFiling(w.store, w.approver, next(reviewing, 'Coverage is below 1.2'));
    expect(returned.state).toBe('returned');
    expect(returnedToMe(w.store, w.filer).map((f) => f.id)).toEqual([filed.id]);
    expect(returnedToMe(w.store, w.rival)).toEqual([]);
    expect(awaitingMyReview(w.store, w.approver)).toEqual([]);

    const v2 = w.store.scenarios.save(PASSING, { actor: 'filer', comment: 'More revenue' }).version;
    const resubmitted = resubmitFiling(w.store, w.filer, {
      ...next(returned, 'Revenue revised'),
      versionId: v2.id,
    });
    expect(resubmitted).toMatchObject({ state: 'resubmitted', versionId: v2.id, versionNo: 2 });
    expect(resubmitted.submissions.map((s) => [s.kind, s.versionNo])).toEqual([
      ['submit', 1],
      ['resubmit', 2],
    ]);
    const again = takeUnderReview(w.store, w.approver, next(resubmitted));
    const approved = approveFiling(w.store, w.approver, next(again, 'Approved'));
    expect(approved).toMatchObject({ state: 'approved', decidedBy: 'approver', eventCount: 6 });
    expect(approved.allowed).toEqual(['comment']);
    expect(
      approved.events.map((e) => [e.kind, e.from, e.to, e.username, e.organisation, e.comment]),
    ).toEqual([
      ['submit', null, 'submitted', 'filer', '智慧城建公司', 'For approval'],
      ['take-under-review', 'submitted', 'under-review', 'approver', '示范市财政局', ''],
      ['return', 'under-review', 'returned', 'approver', '示范市财政局', 'Coverage is below 1.2'],
      ['resubmit', 'returned', 'resubmitted', 'filer', '智慧城建公司', 'Revenue revised'],
      ['take-under-review', 'resubmitted', 'under-review', 'approver', '示范市财政局', ''],
      ['approve', 'under-review', 'approved', 'approver', '示范市财政局', 'Approved'],
    ]);
    for (const who of [w.approver, w.filer, w.auditor, w.analyst])
      expect(approvedThisYear(w.store, who).map((f) => f.id)).toEqual([filed.id]);
    expect(approvedThisYear(w.store, w.rival)).toEqual([]);
    expect(approvedThisYear(w.store, w.otherApprover)).toEqual([]);

    // Every write audited with the signed-in actor; the chain and every filing verify.
    const entries = w.store.audit.list({ entity: 'filing', entityId: filed.id }).reverse();
    expect(entries.map((e) => [e.action, e.actor, e.details.by])).toEqual([
      ['submit', 'filer', { userId: w.filer.userId, orgId: w.filer.orgId }],
      ['take-under-review', 'approver', { userId: w.approver.userId, orgId: w.approver.orgId }],
      ['return', 'approver', { userId: w.approver.userId, orgId: w.approver.orgId }],
      ['resubmit', 'filer', { userId: w.filer.userId, orgId: w.filer.orgId }],
      ['take-under-review', 'approver', { userId: w.approver.userId, orgId: w.approver.orgId }],
      ['approve', 'approver', { userId: w.approver.userId, orgId: w.approver.orgId }],
    ]);
    // The audit rows' own actor columns (migration 0005) name the user and organisation.
    expect(entries.map((e) => [e.actorUserId, e.actorOrgId])).toEqual(
      [w.filer, w.approver, w.approver, w.filer, w.approver, w.approver].map((a) => [
        a.userId,
        a.orgId,
      ]),
    );
    expect(w.store.audit.verify()).toMatchObject({ ok: true, problems: [] });

    w.db
      .prepare(`UPDATE filings SET decided_at = '2026-06-30T00:00:00.000Z' WHERE id = ?`)
      .run(filed.id);
    const last = entries[entries.length - 1]?.id;
    expect(w.store.audit.verify().problems).toEqual([
      {
        entryId: last,
        code: 'filing-altered',
        message: `filing ${filed.id} (P-001 to ${CITY}) differs from the state entry ${last} recorded`,
      },
    ]);
  });

  it('approval is refused until the pre-approval checklist is complete, then allowed after the justification', () => {
    const w = world();
    const reviewing = takeUnderReview(w.store, w.approver, next(submit(w)));
    expect(reviewing.preApproval).toMatchObject({
      complete: false,
      items: [
        { item: 'data-sharing', complete: true },
        {
          item: 'all-caliber',
          complete: false,
          gaps: [{ code: 'failure-unjustified', ruleId: 'sb-coverage' }],
        },
      ],
    });
    const refused = caught(() => approveFiling(w.store, w.approver, next(reviewing)));
    expect(refused).toBeInstanceOf(ValidationError);
    expect((refused as ValidationError).message).toBe(
      'The pre-approval checklist is not complete: 全口径审查 all-caliber review',
    );
    expect((refused as ValidationError).issues).toEqual([
      {
        path: 'preApproval.all-caliber',
        message:
          '全口径审查 all-caliber review: the failing rule sb-coverage has no written justification',
      },
    ]);
    expect(getFiling(w.store, w.approver, reviewing.id)).toMatchObject({
      state: 'under-review',
      eventCount: 2,
    });

    const badRule = caught(() =>
      justifyFailure(w.store, w.filer, {
        filingId: reviewing.id,
        ruleId: 'sb-min-capital-ratio',
        text: 'x',
      }),
    );
    expect((badRule as ValidationError).issues).toEqual([
      {
        path: 'ruleId',
        message: 'The filed version does not fail rule sb-min-capital-ratio (it fails sb-coverage)',
      },
    ]);
    expect(
      caught(() =>
        justifyFailure(w.store, w.approver, {
          filingId: reviewing.id,
          ruleId: 'sb-coverage',
          text: 'x',
        }),
      ),
    ).toBeInstanceOf(ForbiddenError);
    const justified = justifyFailure(w.store, w.filer, {
      filingId: reviewing.id,
      ruleId: 'sb-coverage',
      text: 'Land revenue of plot 7 covers the gap',
    });
    expect(justified.justifications).toEqual([
      expect.objectContaining({
        ruleId: 'sb-coverage',
        text: 'Land revenue of plot 7 covers the gap',
        username: 'filer',
      }),
    ]);
    expect(justified.preApproval.complete).toBe(true);
    // The approver saw 2 events; the justification made it 3.
    expect(caught(() => approveFiling(w.store, w.approver, next(reviewing)))).toMatchObject({
      code: 'filing-changed',
    });
    const approved = approveFiling(w.store, w.approver, next(justified));
    expect(approved.state).toBe('approved');
    expect(w.store.audit.verify().ok).toBe(true);
  });

  it('a missing declaration blocks approval unless the jurisdiction turned that item off', () => {
    const w = world();
    const filed = submitFiling(w.store, w.filer, {
      versionId: w.store.scenarios.save(PASSING, { actor: 'filer' }).version.id,
      jurisdiction: CITY,
    });
    const reviewing = takeUnderReview(w.store, w.approver, next(filed));
    expect(
      (caught(() => approveFiling(w.store, w.approver, next(reviewing))) as ValidationError).issues,
    ).toEqual([
      {
        path: 'preApproval.data-sharing',
        message:
          '信息共享前置 data-sharing commitment: the filer has not declared the data resources registered for sharing with the city data platform',
      },
      {
        path: 'preApproval.all-caliber',
        message: '全口径审查 all-caliber review: the filer has not declared every funding source',
      },
    ]);
    expect(
      caught(() =>
        setPreApprovalChecklist(w.store, w.filer, {
          jurisdiction: CITY,
          items: { 'data-sharing': false, 'all-caliber': false },
        }),
      ),
    ).toBeInstanceOf(ForbiddenError);
    expect(
      caught(() =>
        setPreApprovalChecklist(w.store, w.otherApprover, {
          jurisdiction: CITY,
          items: { 'data-sharing': false, 'all-caliber': false },
        }),
      ),
    ).toBeInstanceOf(ForbiddenError);
    expect(
      setPreApprovalChecklist(w.store, w.approver, {
        jurisdiction: CITY,
        items: { 'data-sharing': false, 'all-caliber': false },
      }),
    ).toEqual({ 'data-sharing': false, 'all-caliber': false });
    expect(approveFiling(w.store, w.approver, next(reviewing)).state).toBe('approved');
    expect(w.store.audit.list({ entity: 'filing-checklist' })[0]).toMatchObject({
      actor: 'approver',
      actorUserId: w.approver.userId,
      actorOrgId: w.approver.orgId,
    });
    expect(w.store.audit.verify().ok).toBe(true);
  });
});

describe('a filed version is frozen', () => {
  it('an edit or a restore makes a new, unfiled version; the filing keeps the filed one', () => {
    const w = world();
    const filed = submit(w);
    const v2 = w.store.scenarios.save(PASSING, { actor: 'filer' }).version;
    const v3 = w.store.scenarios.restoreVersion(w.saved.version.id, { actor: 'filer' }).version;
    expect([v2.versionNo, v3.versionNo, v3.restoredFromId]).toEqual([2, 3, w.saved.version.id]);
    const now = getFiling(w.store, w.filer, filed.id);
    expect([now.versionId, now.versionNo]).toEqual([w.saved.version.id, 1]);
    expect(w.store.scenarios.version(w.saved.version.id).inputsHash).toBe(
      w.saved.version.inputsHash,
    );
    expect(w.store.scenarios.version(v3.id).inputsHash).toBe(w.saved.version.inputsHash);
  });

  it('a scenario or project with an open filing cannot be deleted; once withdrawn it can', () => {
    const w = world();
    const filed = submit(w);
    const scenario = caught(() => w.store.scenarios.delete('P-001', 'Base case', 'filer'));
    expect((scenario as ConflictError).message).toBe(
      `Scenario "Base case" of project P-001 has an open filing (filing ${filed.id}, submitted)`,
    );
    expect(caught(() => w.store.projects.delete('P-001', 'filer'))).toMatchObject({
      code: 'project-filed',
      message: `Project P-001 has open filing(s) ${filed.id}`,
    });
    withdrawFiling(w.store, w.filer, next(filed));
    expect(w.store.scenarios.delete('P-001', 'Base case', 'filer').deletedAt).not.toBeNull();
    expect(w.store.projects.delete('P-001', 'filer').deletedAt).not.toBeNull();
  });

  it('only the current version is filed or resubmitted; one open filing per scenario', () => {
    const w = world();
    const old = w.saved.version.id;
    w.store.scenarios.save(PASSING, { actor: 'filer' });
    expect(caught(() => submit(w, old))).toMatchObject({ code: 'version-not-current' });
    const current = w.store.scenarios.current(w.saved.scenario.id).id;
    const filed = submit(w, current);
    const open = caught(() => submit(w, current));
    expect(open).toBeInstanceOf(ConflictError);
    expect((open as ConflictError).message).toBe(
      `Scenario "Base case" of P-001 has an open filing already (filing ${filed.id}, submitted)`,
    );
    const returned = returnFiling(
      w.store,
      w.approver,
      next(takeUnderReview(w.store, w.approver, next(filed)), 'No'),
    );
    expect(
      caught(() => resubmitFiling(w.store, w.filer, { ...next(returned), versionId: old })),
    ).toMatchObject({
      code: 'version-not-current',
    });
    expect(
      (
        caught(() =>
          resubmitFiling(w.store, w.filer, {
            ...next(returned),
            versionId: w.alternative.version.id,
          }),
        ) as ValidationError
      ).issues,
    ).toEqual([
      {
        path: 'versionId',
        message: `Version ${w.alternative.version.id} is not a version of the filed scenario`,
      },
    ]);
    // Resubmitted as it is: the same version.
    expect(resubmitFiling(w.store, w.filer, next(returned)).versionId).toBe(current);
  });
});

describe('withdrawal', () => {
  it('the filer withdraws a submitted filing; its bureau no longer sees the scenario; a new filing is possible', () => {
    const w = world();
    const filed = submit(w);
    expect(decide(w.approver, 'project.read', scenarioResource(w.store, w.saved.scenario.id))).toBe(
      'allow',
    );
    const withdrawn = withdrawFiling(w.store, w.filer, next(filed, 'Filed by mistake'));
    expect(withdrawn).toMatchObject({ state: 'withdrawn', allowed: ['comment'] });
    expect(scenarioResource(w.store, w.saved.scenario.id).filedTo).toEqual([]);
    expect(caught(() => getFiling(w.store, w.approver, filed.id))).toBeInstanceOf(NotFoundError);
    expect(awaitingMyReview(w.store, w.approver)).toEqual([]);
    expect(filingsOfScenario(w.store, w.filer, w.saved.scenario.id).map((f) => f.state)).toEqual([
      'withdrawn',
    ]);
    expect(submit(w).state).toBe('submitted');
  });

  it('is refused while under review (a conflict with the state) and to the bureau', () => {
    const w = world();
    const reviewing = takeUnderReview(w.store, w.approver, next(submit(w)));
    const refused = caught(() => withdrawFiling(w.store, w.filer, next(reviewing)));
    expect(refused).toBeInstanceOf(ConflictError);
    expect((refused as ConflictError).message).toBe(
      `Filing ${reviewing.id} is under-review: it cannot take "withdraw" now`,
    );
    expect(caught(() => withdrawFiling(w.store, w.approver, next(reviewing)))).toBeInstanceOf(
      ForbiddenError,
    );
  });
});

describe('who may do what', () => {
  it('refuses by role: the enterprise cannot approve, the analyst cannot approve or review, the auditor only comments', () => {
    const w = world();
    const filed = submit(w);
    expect(caught(() => takeUnderReview(w.store, w.filer, next(filed)))).toBeInstanceOf(
      ForbiddenError,
    );
    expect(caught(() => takeUnderReview(w.store, w.analyst, next(filed)))).toBeInstanceOf(
      ForbiddenError,
    );
    const reviewing = takeUnderReview(w.store, w.approver, next(filed));
    for (const who of [w.filer, w.analyst, w.auditor]) {
      const err = caught(() => approveFiling(w.store, who, next(reviewing)));
      expect(err).toBeInstanceOf(ForbiddenError);
      expect((err as ForbiddenError).message).toBe(
        `${who.username} may not do this (filing.approve)`,
      );
    }
    const commented = commentOnFiling(w.store, w.auditor, {
      filingId: filed.id,
      comment: 'Checked the re-run',
    });
    expect(commented.events.at(-1)).toMatchObject({
      kind: 'comment',
      username: 'auditor',
      comment: 'Checked the re-run',
    });
    expect(getFiling(w.store, w.auditor, filed.id).allowed).toEqual(['comment']);
    expect(
      (
        caught(() =>
          commentOnFiling(w.store, w.auditor, { filingId: filed.id, comment: '  ' }),
        ) as ValidationError
      ).issues,
    ).toEqual([{ path: 'comment', message: 'Write the comment' }]);
    expect(
      (caught(() => returnFiling(w.store, w.approver, next(commented))) as ValidationError).issues,
    ).toEqual([{ path: 'comment', message: 'Say why the filing is returned' }]);
  });

  it('the auditor cannot file, even a project it may see', () => {
    const w = world();
    const own = w.store.scenarios.save(
      scenarioInput('B-001', 'Bureau plan', (s) => (s.project.jurisdiction = CITY)),
      { actor: 'analyst' },
    );
    expect(decide(w.auditor, 'project.read', versionResource(w.store, own.version.id))).toBe(
      'allow',
    );
    const err = caught(() =>
      submitFiling(w.store, w.auditor, { versionId: own.version.id, jurisdiction: CITY }),
    );
    expect(err).toBeInstanceOf(ForbiddenError);
    expect((err as ForbiddenError).message).toBe('auditor may not do this (version.file)');
    // A bureau's own project filed to another jurisdiction: the owning bureau sees it but does not decide.
    const filed = submitFiling(w.store, w.analyst, {
      versionId: own.version.id,
      jurisdiction: OTHER,
    });
    expect(caught(() => takeUnderReview(w.store, w.approver, next(filed)))).toBeInstanceOf(
      ForbiddenError,
    );
    expect(takeUnderReview(w.store, w.otherApprover, next(filed)).state).toBe('under-review');
  });

  it('another enterprise, or a bureau it is not filed to, is told the filing does not exist', () => {
    const w = world();
    const filed = submit(w);
    for (const who of [w.rival, w.otherApprover]) {
      for (const act of [
        () => getFiling(w.store, who, filed.id),
        () => takeUnderReview(w.store, who, next(filed)),
        () => approveFiling(w.store, who, next(filed)),
        () => commentOnFiling(w.store, who, { filingId: filed.id, comment: 'hi' }),
        () => withdrawFiling(w.store, who, next(filed)),
      ]) {
        const err = caught(act);
        expect(err).toBeInstanceOf(NotFoundError);
        expect((err as NotFoundError).message).toBe(`Filing ${filed.id} was not found`);
      }
    }
    const err = caught(() =>
      submitFiling(w.store, w.rival, { versionId: w.saved.version.id, jurisdiction: CITY }),
    );
    expect((err as NotFoundError).message).toBe(
      `Scenario version ${w.saved.version.id} was not found`,
    );
    expect((caught(() => getFiling(w.store, w.filer, 999)) as NotFoundError).message).toBe(
      'Filing 999 was not found',
    );
  });

  it('a bureau sees the filed scenario of an enterprise, not its other scenarios', () => {
    const w = world();
    expect(decide(w.approver, 'project.read', projectResource(w.store, 'P-001'))).toBe('not-found');
    submit(w);
    expect(projectResource(w.store, 'P-001').filedTo).toEqual([CITY]);
    const filedScenario = scenarioResource(w.store, w.saved.scenario.id);
    const other = scenarioResource(w.store, w.alternative.scenario.id);
    expect(filedScenario).toEqual({
      ownerOrgId: w.firm.id,
      heldByJurisdiction: null,
      filedTo: [CITY],
    });
    expect(other).toEqual({ ownerOrgId: w.firm.id, heldByJurisdiction: null, filedTo: [] });
    for (const who of [w.approver, w.analyst, w.auditor]) {
      expect(decide(who, 'project.read', filedScenario)).toBe('allow');
      expect(decide(who, 'project.read', other)).toBe('not-found');
    }
    expect(
      decide(w.approver, 'project.read', versionResource(w.store, w.alternative.version.id)),
    ).toBe('not-found');
    expect(decide(w.otherApprover, 'project.read', filedScenario)).toBe('not-found');
  });

  it('names the bad field and requires a registered bureau', () => {
    const w = world();
    const err = caught(() =>
      submitFiling(w.store, w.filer, { versionId: w.saved.version.id, jurisdiction: 'Nowhere' }),
    );
    expect((err as ValidationError).issues).toEqual([
      { path: 'jurisdiction', message: 'No finance bureau is registered for Nowhere' },
    ]);
    const bad = caught(() =>
      submitFiling(w.store, w.filer, {
        versionId: w.saved.version.id,
        jurisdiction: CITY,
        dataSharingDeclared: 'yes' as never,
      }),
    );
    expect((bad as ValidationError).issues).toEqual([
      { path: 'dataSharingDeclared', message: 'A declaration is true or false' },
    ]);
    expect(w.store.filings.filingsOfScenario(w.saved.scenario.id)).toEqual([]);
    const filed = submit(w);
    const noCount = caught(() =>
      takeUnderReview(w.store, w.approver, { filingId: filed.id } as never),
    );
    expect((noCount as ValidationError).issues).toEqual([
      {
        path: 'expectedEvents',
        message: 'Say how many events of the filing you have seen (expectedEvents)',
      },
    ]);
  });
});
