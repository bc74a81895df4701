import type { AuditLogEntry, AuditLogPage, ChainCheck } from '../../src/app/audit';
import { translator } from '../../src/web/i18n';
import {
  auditDetail,
  buildAuditLog,
  buildChainView,
  chainSummary,
} from '../../src/web/view-models/audit';

/** The audit pages' view models (issue 10, the auditor's workspace), from hand-made entries. */

const en = translator('en');
const zh = translator('zh');

const entry = (over: Partial<AuditLogEntry>): AuditLogEntry => ({
  id: 1,
  at: '2026-01-05T10:00:00.000Z',
  actor: 'alice',
  actorUserId: null,
  actorOrgId: null,
  organisation: null,
  action: 'create',
  entity: 'project',
  entityId: 1,
  details: {},
  ...over,
});

const typed = { actor: '', orgId: '', entity: '', from: '', to: '' };
const page = (entries: AuditLogEntry[], over: Partial<AuditLogPage> = {}): AuditLogPage => ({
  filter: { limit: 50 },
  entries,
  total: entries.length,
  nextBeforeId: null,
  organisations: [{ id: 1, name: '示范市财政局' }],
  ...over,
});

describe('audit log rows', () => {
  const version = entry({
    id: 3,
    entity: 'scenario-version',
    entityId: 7,
    action: 'import',
    details: { projectCode: 'SC-WATER', scenarioName: 'Base', versionNo: 2, comment: 'Demo data' },
  });
  const project = entry({ details: { code: 'SC-5G', state: { code: 'SC-5G', name: '5G杆' } } });
  const user = entry({ entity: 'user', entityId: 4, details: { state: { username: 'root' } } });
  const database = entry({ entity: 'database', entityId: null, action: 'restore' });

  it('says in a few words what each entry is about', () => {
    expect(auditDetail(version, en)).toBe('SC-WATER · Base · v2 · Demo data');
    expect(auditDetail(project, en)).toBe('SC-5G · 5G杆');
    expect(auditDetail(user, en)).toBe('root');
    expect(auditDetail(database, en)).toBe('');
  });

  it("links an entity to its page where it has one, and labels in the page's language", () => {
    const rows = buildAuditLog(typed, { page: page([version, project, user, database]) }, zh).rows;
    expect(rows.map((r) => [r.action, r.entity, r.href])).toEqual([
      ['导入', '方案版本', '/versions/7'],
      ['创建', '项目', '/projects/SC-5G'],
      ['创建', '用户', null],
      ['恢复', '数据库', null],
    ]);
  });

  it('shows an action it has no label for as recorded', () => {
    const rows = buildAuditLog(
      typed,
      { page: page([entry({ action: 'merge-accounts' })]) },
      en,
    ).rows;
    expect(rows[0]?.action).toBe('merge-accounts');
  });

  it('links the older page and the newest page of the same filter', () => {
    const view = buildAuditLog(
      { ...typed, actor: 'a b', orgId: '1' },
      {
        page: page([project], {
          filter: { actor: 'a b', orgId: 1, limit: 50, beforeId: 9 },
          nextBeforeId: 1,
          total: 20,
        }),
      },
      en,
    );
    expect(view.olderHref).toBe('/audit?actor=a+b&orgId=1&beforeId=1');
    expect(view.newestHref).toBe('/audit?actor=a+b&orgId=1');
    expect(view.summary).toBe('1 of 20 entries');
    expect(view.fields.find((f) => f.name === 'orgId')?.options).toEqual([
      { value: '', label: 'Any', selected: false },
      { value: '1', label: '示范市财政局', selected: true },
    ]);
  });

  it('keeps a refused filter as typed, each problem at its field', () => {
    const view = buildAuditLog(
      { ...typed, from: '2026-02-30', to: '2026-01-01' },
      {
        issues: [
          { path: 'from', message: 'From must be a real date written YYYY-MM-DD' },
          { path: 'to', message: 'To must not be before From' },
        ],
        organisations: [],
      },
      zh,
    );
    expect(view.fields.map((f) => [f.name, f.value, f.error])).toEqual([
      ['actor', '', null],
      ['orgId', '', null],
      ['entity', '', null],
      ['from', '2026-02-30', '请按 YYYY-MM-DD 填写有效日期'],
      ['to', '2026-01-01', '截止日早于起始日'],
    ]);
    expect(view.errorSummary).toBe('筛选未生效：请更正下面标出的字段。');
    expect(view.rows).toEqual([]);
  });
});

describe('chain status', () => {
  const check = (over: Partial<ChainCheck>): ChainCheck => ({
    ok: true,
    entries: 75,
    headId: 75,
    headHash: 'a'.repeat(64),
    firstBrokenEntryId: null,
    firstProblem: null,
    firstProblemCode: null,
    problems: 0,
    startedAt: '2026-01-05T10:00:00.000Z',
    finishedAt: '2026-01-05T10:00:01.000Z',
    ...over,
  });
  const broken = check({
    ok: false,
    firstBrokenEntryId: 17,
    firstProblem: 'entry 17 (create project 3) was changed after it was written',
    firstProblemCode: 'entry-altered',
    problems: 2,
  });

  it('says the result in either language, the first broken entry named', () => {
    expect(chainSummary(check({}), en)).toBe('75 entries checked, chain intact.');
    expect(chainSummary(broken, en)).toBe(
      'Broken at entry 17: it was changed after it was written.',
    );
    expect(chainSummary(broken, zh)).toBe('审计链在第 17 条记录处断裂：该记录写入后被改动。');
    const state = check({
      ok: false,
      firstBrokenEntryId: 9,
      firstProblem: 'version 2 differs from what entry 9 recorded (author)',
      firstProblemCode: 'version-altered',
    });
    expect(chainSummary(state, en)).toBe(
      'Broken at entry 9: version 2 differs from what entry 9 recorded (author)',
    );
  });

  it('shows progress while a verification runs, and links the broken entry', () => {
    const running = buildChainView(
      {
        last: broken,
        running: { startedAt: '2026-01-05T11:00:00.000Z', entriesChecked: 3000 },
        failure: null,
      },
      en,
    );
    expect([running.state, running.summary]).toEqual([
      'running',
      'Verifying: 3000 entries checked so far…',
    ]);
    expect(running.brokenHref).toBe('/audit?beforeId=18');
    expect(buildChainView({ last: null, running: null, failure: null }, en).summary).toBe(
      'The chain has not been verified since the server started.',
    );
  });
});
