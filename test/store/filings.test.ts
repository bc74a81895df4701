import { sha256Hex, canonicalJson, type Store } from '../../src/store';
import type { AuditActor } from '../../src/store/repos/accounts';
import type { FilingActor } from '../../src/store/repos/filings';
import { memoryStore, rows, scenarioInput } from './helpers/fixtures';

const HASH = '$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA';
const SYSTEM: AuditActor = { label: 'system (cli)', userId: null, orgId: null };
const CITY = '示范市 Demo City';

/** A bureau of CITY, an enterprise, one user in each; a saved scenario. */
function world() {
  const { db, store } = memoryStore();
  const bureau = store.accounts.addOrganisation(
    { name: 'Bureau', kind: 'bureau', jurisdiction: CITY },
    SYSTEM,
  );
  const firm = store.accounts.addOrganisation(
    { name: 'Firm', kind: 'enterprise', jurisdiction: null },
    SYSTEM,
  );
  const approver = store.accounts.addUser(
    { username: 'approver', orgId: bureau.id, passwordHash: HASH, roles: ['bureau-approver'] },
    SYSTEM,
  );
  const filer = store.accounts.addUser(
    { username: 'filer', orgId: firm.id, passwordHash: HASH, roles: ['enterprise-analyst'] },
    SYSTEM,
  );
  const saved = store.scenarios.save(scenarioInput('P-001'), { actor: 'filer' });
  const by = (u: { id: number; org_id: number; username: string }): FilingActor => ({
    label: u.username,
    userId: u.id,
    orgId: u.org_id,
  });
  return { db, store, saved, filerBy: by(filer), approverBy: by(approver), firm };
}

function file(store: Store, w: ReturnType<typeof world>) {
  return store.filings.addFiling(
    {
      scenarioId: w.saved.scenario.id,
      versionId: w.saved.version.id,
      projectCode: 'P-001',
      jurisdiction: CITY,
      dataSharingDeclared: true,
      allFundingDeclared: false,
      comment: 'Please review',
    },
    w.filerBy,
  );
}

describe('migration 0006-filings', () => {
  it('allows one open filing per scenario; a new one once the first is approved or withdrawn', () => {
    const w = world();
    const first = file(w.store, w);
    expect(() => file(w.store, w)).toThrow(/UNIQUE constraint failed: filings.scenario_id/);
    w.store.filings.changeFiling(
      first.id,
      { kind: 'withdraw', to: 'withdrawn', comment: '' },
      w.filerBy,
    );
    const second = file(w.store, w);
    expect(second.id).toBe(first.id + 1);
    expect(w.store.filings.openFiling(w.saved.scenario.id)?.id).toBe(second.id);
  });

  it('refuses a stored draft, an unknown state, a decision without approval and an approval without decision', () => {
    const w = world();
    const f = file(w.store, w);
    const set = (sql: string) => () =>
      w.db.prepare(`UPDATE filings SET ${sql} WHERE id = ?`).run(f.id);
    expect(set(`state = 'draft'`)).toThrow(/CHECK/);
    expect(set(`state = 'rejected'`)).toThrow(/CHECK/);
    expect(
      set(`decided_by = ${w.approverBy.userId}, decided_at = '2026-01-01T00:00:00.000Z'`),
    ).toThrow(/CHECK/);
    expect(set(`state = 'approved'`)).toThrow(/CHECK/);
    expect(set(`decided_by = ${w.approverBy.userId}`)).toThrow(/CHECK/);
  });
});

describe('filings repository', () => {
  it('records each change as an event carrying the version, the user and organisation, and audits it', () => {
    const w = world();
    const f = file(w.store, w);
    w.store.filings.changeFiling(
      f.id,
      { kind: 'take-under-review', to: 'under-review', comment: '' },
      w.approverBy,
    );
    const approved = w.store.filings.changeFiling(
      f.id,
      { kind: 'approve', to: 'approved', comment: 'Fine' },
      w.approverBy,
    );
    expect(approved.state).toBe('approved');
    expect(approved.decided_by).toBe(w.approverBy.userId);
    expect(approved.decided_at).toBe(approved.updated_at);
    expect(
      rows(
        w.db,
        'SELECT kind, from_state, to_state, version_id, user_id, org_id, comment FROM filing_events ORDER BY id',
      ),
    ).toEqual([
      {
        kind: 'submit',
        from_state: null,
        to_state: 'submitted',
        version_id: w.saved.version.id,
        user_id: w.filerBy.userId,
        org_id: w.filerBy.orgId,
        comment: 'Please review',
      },
      {
        kind: 'take-under-review',
        from_state: 'submitted',
        to_state: 'under-review',
        version_id: w.saved.version.id,
        user_id: w.approverBy.userId,
        org_id: w.approverBy.orgId,
        comment: '',
      },
      {
        kind: 'approve',
        from_state: 'under-review',
        to_state: 'approved',
        version_id: w.saved.version.id,
        user_id: w.approverBy.userId,
        org_id: w.approverBy.orgId,
        comment: 'Fine',
      },
    ]);
    const entries = w.store.audit.list({ entity: 'filing', entityId: f.id });
    expect(entries.map((e) => [e.action, e.actor])).toEqual([
      ['approve', 'approver'],
      ['take-under-review', 'approver'],
      ['submit', 'filer'],
    ]);
    expect(entries[0]?.details.by).toEqual({
      userId: w.approverBy.userId,
      orgId: w.approverBy.orgId,
    });
    expect(entries[0]?.details.state).toMatchObject({
      state: 'approved',
      events: 3,
      decidedBy: w.approverBy.userId,
    });
    expect(w.store.audit.verify()).toMatchObject({ ok: true, problems: [] });
  });

  it('the recorded state digests the events exactly', () => {
    const w = world();
    const f = file(w.store, w);
    const [event] = rows(w.db, 'SELECT * FROM filing_events');
    const expected = sha256Hex(
      canonicalJson([
        {
          id: event?.id,
          kind: 'submit',
          from: null,
          to: 'submitted',
          versionId: w.saved.version.id,
          userId: w.filerBy.userId,
          orgId: w.filerBy.orgId,
          at: f.filed_at,
          comment: 'Please review',
        },
      ]),
    );
    const entry = w.store.audit.list({ entity: 'filing', entityId: f.id })[0];
    expect((entry?.details.state as { eventsHash: string }).eventsHash).toBe(expected);
    expect((entry?.details.state as { justificationsHash: string }).justificationsHash).toBe(
      sha256Hex('[]'),
    );
  });

  it('a resubmission carries the new version and keeps the one each earlier submission carried', () => {
    const w = world();
    const f = file(w.store, w);
    w.store.filings.changeFiling(
      f.id,
      { kind: 'take-under-review', to: 'under-review', comment: '' },
      w.approverBy,
    );
    w.store.filings.changeFiling(
      f.id,
      { kind: 'return', to: 'returned', comment: 'Fix capex' },
      w.approverBy,
    );
    const v2 = w.store.scenarios.save(
      scenarioInput(
        'P-001',
        'Base case',
        (s) => (s.capex.scheduleYuan = ['6000000.00', '3000000.00']),
      ),
      { actor: 'filer' },
    ).version;
    const again = w.store.filings.changeFiling(
      f.id,
      {
        kind: 'resubmit',
        to: 'resubmitted',
        comment: 'Fixed',
        resubmission: { versionId: v2.id, dataSharingDeclared: true, allFundingDeclared: true },
      },
      w.filerBy,
    );
    expect(again).toMatchObject({
      version_id: v2.id,
      all_funding_declared: 1,
      state: 'resubmitted',
    });
    expect(
      rows(
        w.db,
        `SELECT kind, version_id FROM filing_events WHERE kind IN ('submit', 'resubmit') ORDER BY id`,
      ),
    ).toEqual([
      { kind: 'submit', version_id: w.saved.version.id },
      { kind: 'resubmit', version_id: v2.id },
    ]);
    expect(w.store.audit.verify().ok).toBe(true);
  });

  it('justifications are kept per version and rule; a second one for the same rule replaces the text', () => {
    const w = world();
    const f = file(w.store, w);
    w.store.filings.justifyRule(f.id, 'sb-coverage', 'Covered by land revenue', w.filerBy);
    w.store.filings.justifyRule(
      f.id,
      'sb-coverage',
      'Covered by land revenue from plot 7',
      w.filerBy,
    );
    expect(
      w.store.filings.justifications(f.id).map((j) => [j.version_id, j.rule_id, j.text]),
    ).toEqual([[w.saved.version.id, 'sb-coverage', 'Covered by land revenue from plot 7']]);
    expect(w.store.filings.events(f.id).map((e) => [e.kind, e.comment])).toEqual([
      ['submit', 'Please review'],
      ['justify', 'Covered by land revenue'],
      ['justify', 'Covered by land revenue from plot 7'],
    ]);
    expect(w.store.audit.verify().ok).toBe(true);
  });

  it('lists who filed to where and its visibility', () => {
    const w = world();
    const f = file(w.store, w);
    expect(w.store.filings.filedToOfScenario(w.saved.scenario.id)).toEqual([CITY]);
    expect(w.store.filings.filedToOfProject(w.saved.project.id)).toEqual([CITY]);
    expect(w.store.filings.filingsTo([CITY], ['submitted']).map((x) => x.id)).toEqual([f.id]);
    expect(w.store.filings.filingsTo(['Elsewhere'], ['submitted'])).toEqual([]);
    expect(w.store.filings.filingsBy(w.firm.id, ['submitted'])[0]).toMatchObject({
      id: f.id,
      project_name: 'Project P-001',
      scenario_name: 'Base case',
      version_no: 1,
      filed_by_username: 'filer',
      filed_org_name: 'Firm',
      decided_by_username: null,
      event_count: 1,
    });
    w.store.filings.changeFiling(
      f.id,
      { kind: 'withdraw', to: 'withdrawn', comment: '' },
      w.filerBy,
    );
    expect(w.store.filings.filedToOfScenario(w.saved.scenario.id)).toEqual([]);
    expect(w.store.filings.filedToOfProject(w.saved.project.id)).toEqual([]);
  });

  it('stores and audits a jurisdiction pre-approval checklist', () => {
    const w = world();
    expect(w.store.filings.findChecklist(CITY)).toBeUndefined();
    w.store.filings.setChecklist(
      CITY,
      { 'data-sharing': false, 'all-caliber': true },
      w.approverBy,
    );
    const row = w.store.filings.findChecklist(CITY);
    expect(row).toMatchObject({ data_sharing: 0, all_caliber: 1 });
    const [entry] = w.store.audit.list({ entity: 'filing-checklist' });
    expect(entry).toMatchObject({
      action: 'update-pre-approval',
      actor: 'approver',
      entityId: row?.id,
    });
    expect(entry?.details).toMatchObject({
      before: null,
      state: { jurisdiction: CITY, items: { 'data-sharing': false, 'all-caliber': true } },
    });
    expect(w.store.audit.verify().ok).toBe(true);
  });
});

describe('audit verify and filings', () => {
  function tampered(change: (w: ReturnType<typeof world>, filingId: number) => void) {
    const w = world();
    const f = file(w.store, w);
    w.store.filings.justifyRule(f.id, 'sb-coverage', 'Covered', w.filerBy);
    const head = w.store.audit.list({ limit: 1 })[0]?.id;
    change(w, f.id);
    return { report: w.store.audit.verify(), head, f };
  }

  it.each<[string, (w: ReturnType<typeof world>, id: number) => void]>([
    [
      'a filing row whose state was changed',
      (w, id) => void w.db.prepare(`UPDATE filings SET state = 'withdrawn' WHERE id = ?`).run(id),
    ],
    [
      'a declaration taken back',
      (w, id) =>
        void w.db.prepare(`UPDATE filings SET data_sharing_declared = 0 WHERE id = ?`).run(id),
    ],
    [
      'an event comment rewritten',
      (w, id) =>
        void w.db
          .prepare(`UPDATE filing_events SET comment = 'x' WHERE filing_id = ? AND kind = 'submit'`)
          .run(id),
    ],
    [
      'an event deleted',
      (w, id) =>
        void w.db
          .prepare(`DELETE FROM filing_events WHERE filing_id = ? AND kind = 'justify'`)
          .run(id),
    ],
    [
      'a justification rewritten',
      (w, id) =>
        void w.db
          .prepare(`UPDATE filing_justifications SET text = 'y' WHERE filing_id = ?`)
          .run(id),
    ],
  ])('reports %s', (_what, change) => {
    const { report, head, f } = tampered(change);
    expect(report.ok).toBe(false);
    expect(report.problems).toEqual([
      {
        entryId: head,
        code: 'filing-altered',
        message: `filing ${f.id} (P-001 to ${CITY}) differs from the state entry ${head} recorded`,
      },
    ]);
  });

  it('reports a filing inserted behind the application and a missing one', () => {
    const w = world();
    const f = file(w.store, w);
    w.db.prepare('DELETE FROM filing_events').run();
    w.db.prepare('DELETE FROM filings').run();
    const entry = w.store.audit.list({ limit: 1 })[0]?.id;
    expect(w.store.audit.verify().problems).toEqual([
      {
        entryId: entry,
        code: 'filing-missing',
        message: `filing ${f.id}, recorded by entry ${entry}, is missing`,
      },
    ]);
    const w2 = world();
    w2.db
      .prepare(
        `INSERT INTO filings (scenario_id, version_id, project_code, jurisdiction, state, filed_by, filed_org_id, filed_at,
           data_sharing_declared, all_funding_declared, updated_at)
         VALUES (?, ?, 'P-001', ?, 'submitted', ?, ?, '2026-01-01T00:00:00.000Z', 1, 1, '2026-01-01T00:00:00.000Z')`,
      )
      .run(w2.saved.scenario.id, w2.saved.version.id, CITY, w2.filerBy.userId, w2.filerBy.orgId);
    expect(w2.store.audit.verify().problems).toEqual([
      {
        entryId: null,
        code: 'filing-unrecorded',
        message: `filing 1 (P-001 to ${CITY}) has no audit entry`,
      },
    ]);
  });
});
