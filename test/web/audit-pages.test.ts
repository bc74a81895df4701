import pino from 'pino';
import request from 'supertest';
import type { Express } from 'express';
import { actorOfUser } from '../../src/app/actors';
import { ChainStatus, inProcessVerifier, type ChainVerifier } from '../../src/app/chain-status';
import { commentOnFiling, getFiling, takeUnderReview } from '../../src/app/filings';
import type { Actor } from '../../src/domain/access';
import { simulate } from '../../src/domain/engine/simulate';
import { ENGINE_VERSION } from '../../src/domain/engine/types';
import { createStore, migrate, openDatabase, seedDemoIfEmpty, type Store } from '../../src/store';
import type { AuditReport } from '../../src/store/types';
import { createApp } from '../../src/web/app';
import { behindTheBack } from '../store/helpers/fixtures';
import { DEMO_DIR, sessionCookie, signedInAs } from './support/app';
import { inputValue, section, unescapeHtml, visibleText } from './support/html';

/**
 * The auditor's workspace in the web app (issue 10): the audit log filtered by actor,
 * organisation, entity and date, by pages; chain verification on demand; the broken-chain
 * banner on every page of auditors and administrators, and only theirs.
 *
 * The history: the demo's 87 entries written on 4 May 2026 by `fundmix-demo` (no user, no
 * organisation); on 6 May the demo enterprise creates project ENT-OWN through the API
 * (entries 88–90: project, scenario, version); on 8 May the auditor comments on the demo
 * filing (91) and the approver takes it under review (92).
 */

const DEMO_ENTRIES = 87;

interface World {
  store: Store;
  inner: Express;
  /** The app as the demo auditor's browser sees it. */
  app: Express;
  chain: ChainStatus;
  setNow: (iso: string) => void;
}

function world(verifier?: (store: Store) => ChainVerifier): World {
  let now = new Date('2026-05-04T08:30:00.000Z');
  const clock = () => now;
  const db = openDatabase(':memory:');
  migrate(db);
  const store = createStore(db, { clock, engine: { simulate, version: ENGINE_VERSION } });
  seedDemoIfEmpty(store, DEMO_DIR);
  const chain = new ChainStatus((verifier ?? inProcessVerifier)(store), () =>
    clock().toISOString(),
  );
  const inner = createApp({
    store,
    clock,
    logger: pino({ level: 'silent' }),
    csrfSecret: 'test-secret-test-secret-test-secret',
    demoDir: DEMO_DIR,
    chain,
  });
  return {
    store,
    inner,
    app: signedInAs(inner, store, 'auditor'),
    chain,
    setNow: (iso) => (now = new Date(iso)),
  };
}

/** A page in English (the default language is Chinese), as the auditor or with `cookie`. */
const get = (app: Express, url: string, cookie = '') =>
  request(app)
    .get(url)
    .set('Cookie', cookie === '' ? 'lang=en' : `${cookie}; lang=en`);

const actorNamed = (store: Store, username: string): Actor =>
  actorOfUser(store.accounts.findUser(username)!, 'session', false);

/** The demo history plus the entries 88–92 described above. */
async function withHistory(w: World): Promise<void> {
  const { store } = w;
  w.setNow('2026-05-06T03:00:00.000Z');
  const version = store.scenarios.version(
    store.scenarios.list({ projectCode: 'SC-WATER' })[0]!.currentVersionId,
  );
  const inputs = JSON.parse(version.inputsJson);
  inputs.project = { ...inputs.project, code: 'ENT-OWN', jurisdiction: '示范市 Demo City' };
  const created = await request(w.inner)
    .post('/api/v1/projects')
    .set('Cookie', sessionCookie(store, 'enterprise'))
    .set('Content-Type', 'application/json')
    .send(JSON.stringify(inputs));
  expect(created.status).toBe(201);
  w.setNow('2026-05-08T02:00:00.000Z');
  const filingId = store.db.prepare('SELECT MIN(id) FROM filings').pluck().get() as number;
  commentOnFiling(store, actorNamed(store, 'auditor'), {
    filingId,
    comment: 'Please attach the bond plan.',
  });
  const filing = getFiling(store, actorNamed(store, 'approver'), filingId);
  takeUnderReview(store, actorNamed(store, 'approver'), {
    filingId,
    expectedEvents: filing.eventCount,
  });
}

/** The log's rows as [id, actor, organisation, action, entity cell text, entity link]. */
function rowsOf(html: string): string[][] {
  const table = section(html, 'table', 'audit-entries');
  return [...table.matchAll(/<tr id="entry-(\d+)"[^>]*>([\s\S]*?)<\/tr>/g)].map((m) => {
    const cells = [...m[2]!.matchAll(/<td[^>]*>([\s\S]*?)<\/td>/g)].map((c) => c[1]!);
    const link = /<a href="([^"]+)">/.exec(cells[5]!)?.[1] ?? '';
    return [
      m[1]!,
      visibleText(cells[2]!),
      visibleText(cells[3]!),
      visibleText(cells[4]!),
      visibleText(cells[5]!),
      link,
    ];
  });
}

const ids = (html: string) => rowsOf(html).map((r) => Number(r[0]));
const summaryOf = (html: string) => visibleText(section(html, 'p', 'audit-summary'));
const bannerOf = (html: string) =>
  html.includes('id="chain-banner"') ? visibleText(section(html, 'p', 'chain-banner')) : null;
const navOf = (html: string) =>
  [.../<nav class="mainnav"[\s\S]*?<\/nav>/.exec(html)![0].matchAll(/<a href="([^"]+)"/g)].map(
    (m) => m[1],
  );

describe('the audit log page', () => {
  let w: World;
  beforeAll(async () => {
    w = world();
    await withHistory(w);
  });

  it('filters by actor: the enterprise user’s three entries, with organisation, action and linked entity', async () => {
    const res = await get(w.app, '/audit?actor=enterpr');
    expect(res.status).toBe(200);
    expect(rowsOf(res.text)).toEqual([
      [
        '90',
        'enterprise',
        '智慧城建科技有限公司 Smart City Builders Ltd',
        'Created',
        'Scenario version 30',
        '/versions/30',
      ],
      [
        '89',
        'enterprise',
        '智慧城建科技有限公司 Smart City Builders Ltd',
        'Created',
        'Scenario 30',
        '/scenarios/30',
      ],
      [
        '88',
        'enterprise',
        '智慧城建科技有限公司 Smart City Builders Ltd',
        'Created',
        'Project 13',
        '/projects/ENT-OWN',
      ],
    ]);
    expect(summaryOf(res.text)).toBe('3 of 3 entries');
    // The filter is shown as applied.
    expect(inputValue(res.text, 'actor')).toBe('enterpr');
  });

  it('filters by organisation and by entity', async () => {
    const office = w.store.accounts.listOrganisations().find((o) => o.kind === 'audit')!;
    const byOrg = await get(w.app, `/audit?orgId=${office.id}`);
    expect(rowsOf(byOrg.text)).toEqual([
      [
        '91',
        'auditor',
        '示范市审计局 Demo City Audit Office',
        'Commented',
        'Filing 1',
        '/filings/1',
      ],
    ]);
    expect(byOrg.text).toMatch(new RegExp(`<option value="${office.id}" selected>`));

    const byEntity = await get(w.app, '/audit?entity=filing');
    expect(rowsOf(byEntity.text)).toEqual([
      [
        '92',
        'approver',
        '示范市财政局 Demo City Finance Bureau',
        'Taken under review',
        'Filing 1',
        '/filings/1',
      ],
      [
        '91',
        'auditor',
        '示范市审计局 Demo City Audit Office',
        'Commented',
        'Filing 1',
        '/filings/1',
      ],
      // Written by the demo seeding: no user, no organisation.
      ['87', 'fundmix-demo', '—', 'Filed', 'Filing 1', '/filings/1'],
    ]);
  });

  it('filters by date (China Standard Time days, both ends included)', async () => {
    const may8 = await get(w.app, '/audit?from=2026-05-07');
    expect(ids(may8.text)).toEqual([92, 91]);
    const may6 = await get(w.app, '/audit?from=2026-05-05&to=2026-05-06');
    expect(ids(may6.text)).toEqual([90, 89, 88]);
    const seeded = await get(w.app, '/audit?to=2026-05-04');
    expect(summaryOf(seeded.text)).toBe(`50 of ${DEMO_ENTRIES} entries`);
  });

  it('pages: 50 newest first, then the older ones, the filter kept', async () => {
    const first = await get(w.app, '/audit');
    expect(ids(first.text)).toEqual(Array.from({ length: 50 }, (_, i) => 92 - i));
    expect(summaryOf(first.text)).toBe('50 of 92 entries');
    const older = unescapeHtml(/<a href="([^"]+)" rel="next">/.exec(first.text)![1]!);
    expect(older).toBe('/audit?beforeId=43');
    const second = await get(w.app, older);
    expect(ids(second.text)).toEqual(Array.from({ length: 42 }, (_, i) => 42 - i));
    expect(second.text).not.toContain('rel="next"');
    expect(second.text).toContain('<a href="/audit">Newest entries</a>');

    const filtered = await get(w.app, '/audit?to=2026-05-04');
    expect(unescapeHtml(/<a href="([^"]+)" rel="next">/.exec(filtered.text)![1]!)).toBe(
      '/audit?to=2026-05-04&beforeId=38',
    );
    const rest = await get(w.app, '/audit?to=2026-05-04&beforeId=38');
    expect(ids(rest.text)).toEqual(Array.from({ length: 37 }, (_, i) => 37 - i));
  });

  it('refuses a date that does not exist: 422, the filter as typed, the error at its field', async () => {
    const res = await get(w.app, '/audit?actor=audi&from=2026-02-30');
    expect(res.status).toBe(422);
    expect(inputValue(res.text, 'from')).toBe('2026-02-30');
    expect(inputValue(res.text, 'actor')).toBe('audi');
    expect(visibleText(section(res.text, 'div', 'audit-errors'))).toBe(
      'The filter was not applied: correct the fields marked below.',
    );
    expect(visibleText(section(res.text, 'p', 'audit-from-error'))).toBe(
      'Enter a real date as YYYY-MM-DD',
    );
    expect(res.text).not.toContain('id="audit-entries"');

    const zh = await request(w.app).get('/audit?to=2026-13-01').set('Cookie', 'lang=zh');
    expect(zh.status).toBe(422);
    expect(inputValue(zh.text, 'to')).toBe('2026-13-01');
    expect(visibleText(section(zh.text, 'p', 'audit-to-error'))).toBe(
      '请按 YYYY-MM-DD 填写有效日期',
    );
  });

  it('is in Chinese for a Chinese page', async () => {
    const res = await request(w.app).get('/audit?entity=filing').set('Cookie', 'lang=zh');
    expect(rowsOf(res.text)[0]).toEqual([
      '92',
      'approver',
      '示范市财政局 Demo City Finance Bureau',
      '开始审核',
      '备案 1',
      '/filings/1',
    ]);
    expect(summaryOf(res.text)).toBe('共 3 条，显示 3 条');
    expect(res.text).toContain('<h1>审计日志</h1>');
  });

  it('is linked from the navigation of auditors and administrators only', async () => {
    const auditor = await get(w.app, '/projects');
    expect(navOf(auditor.text)).toContain('/audit');
    const admin = await get(w.inner, '/', sessionCookie(w.store, 'admin'));
    expect(navOf(admin.text)).toContain('/audit');
    const analyst = await get(w.inner, '/', sessionCookie(w.store, 'analyst'));
    expect(navOf(analyst.text)).toEqual([
      '/',
      '/fiscal',
      '/portfolios',
      '/projects',
      '/compare',
      '/filings',
      '/projects/new',
    ]);
    const zh = await request(w.app).get('/').set('Cookie', 'lang=zh');
    expect(zh.text).toContain('<a href="/audit">审计日志</a>');
  });
});

/** The verification page's summary line. */
const chainSummaryOf = (html: string) => visibleText(section(html, 'p', 'chain-summary'));

type Agent = ReturnType<typeof request.agent>;

/** Switches the browser's language (the `lang` cookie, as the language switch sets it). */
async function speaks(agent: Agent, lang: 'en' | 'zh'): Promise<void> {
  expect((await agent.get(`/prefs?lang=${lang}&back=/`)).status).toBe(303);
}

/** Asks for a verification through the form, as the auditor's browser does. */
async function verifyNow(agent: Agent) {
  const page = await agent.get('/audit/verify');
  const token = inputValue(page.text, '_csrf')!;
  const posted = await agent
    .post('/audit/verify')

    .type('form')
    .send({ _csrf: token });
  expect(posted.status).toBe(303);
  expect(posted.headers.location).toBe('/audit/verify');
  return agent.get('/audit/verify');
}

describe('chain verification and the broken-chain banner', () => {
  it('reports the intact chain, then a tampered entry on every page of auditors and admins', async () => {
    const w = world();
    await withHistory(w);
    const agent = request.agent(w.app);
    await speaks(agent, 'en');
    const before = await agent.get('/audit/verify');
    expect(chainSummaryOf(before.text)).toBe(
      'The chain has not been verified since the server started.',
    );

    const intact = await verifyNow(agent);
    expect(chainSummaryOf(intact.text)).toBe('92 entries checked, chain intact.');
    expect(intact.headers.refresh).toBeUndefined();
    await speaks(agent, 'zh');
    const intactZh = await verifyNow(agent);
    expect(chainSummaryOf(intactZh.text)).toBe('已检查 92 条记录，审计链完好。');
    await speaks(agent, 'en');

    // Pages cached while the chain was intact: no banner.
    const pages = ['/', '/projects', '/projects/SC-WATER', '/filings', '/audit'];
    for (const url of pages) expect(bannerOf((await agent.get(url)).text)).toBeNull();

    // Entry 88 (the enterprise's project) edited behind the application's back.
    behindTheBack(w.store.db, 'audit_log', () =>
      w.store.db.prepare(`UPDATE audit_log SET actor = 'someone else' WHERE id = 88`).run(),
    );
    // A quarter of an hour later (the auditor's session stays alive).
    w.setNow('2026-05-08T02:15:00.000Z');
    const broken = await verifyNow(agent);
    expect(chainSummaryOf(broken.text)).toBe(
      'Broken at entry 88: it was changed after it was written.',
    );
    expect(section(broken.text, 'a', 'chain-entry-link')).toContain(
      'href="/audit?beforeId&#x3D;89"',
    );

    const banner =
      'The audit chain is broken at entry 88: it was changed after it was written. Verified 8 May 2026, 10:15. Show the entry Verify again';
    for (const url of pages)
      expect([url, bannerOf((await agent.get(url)).text)]).toEqual([url, banner]);
    const link = section((await agent.get('/')).text, 'p', 'chain-banner');
    expect(link).toContain('<a href="/audit?beforeId&#x3D;89">Show the entry</a>');

    await speaks(agent, 'zh');
    const zh = await agent.get('/projects');
    await speaks(agent, 'en');
    expect(bannerOf(zh.text)).toBe(
      '审计链在第 88 条记录处断裂：该记录写入后被改动。 校验于 2026年5月8日 10:15。 查看该记录 重新校验',
    );

    const admin = sessionCookie(w.store, 'admin');
    for (const url of ['/', '/audit', '/account'])
      expect(bannerOf((await get(w.inner, url, admin)).text)).toBe(banner);

    const analyst = sessionCookie(w.store, 'analyst');
    for (const url of ['/', '/projects', '/projects/SC-WATER', '/filings']) {
      const res = await get(w.inner, url, analyst);
      expect([url, res.status, bannerOf(res.text)]).toEqual([url, 200, null]);
    }
  });

  it('shows a verification in progress, reloading itself until it is done', async () => {
    let finish: (report: AuditReport) => void = () => undefined;
    const w = world(() => (onProgress) => {
      onProgress(1000);
      return new Promise<AuditReport>((resolve) => (finish = resolve));
    });
    const running = w.chain.refresh();
    const page = await get(w.app, '/audit/verify');
    expect(page.headers.refresh).toBe('2');
    expect(chainSummaryOf(page.text)).toBe('Verifying: 1000 entries checked so far…');
    expect(visibleText(section(page.text, 'p', 'chain-refresh'))).toBe(
      'This page reloads until verification is done.',
    );
    finish(w.store.audit.verify());
    await running;
    const done = await request(w.app).get('/audit/verify').set('Cookie', 'lang=zh');
    expect(done.headers.refresh).toBeUndefined();
    expect(chainSummaryOf(done.text)).toBe(`已检查 ${DEMO_ENTRIES} 条记录，审计链完好。`);
  });
});
