import request from 'supertest';
import { makeApp, type Agent, type TestApp } from './support/app';
import {
  encodeForm,
  fieldValue,
  fill,
  formFields,
  section,
  visibleText,
  type Fields,
} from './support/html';
import { demoCityInput } from './support/accounts';

let t: TestApp;
let id: number;
let versionIds: number[];
beforeAll(() => {
  t = makeApp({ demo: false });
  id = t.store.scenarios.save(demoCityInput(), { actor: '张三', comment: 'first' }).scenario.id;
  t.store.scenarios.save(
    demoCityInput((s) => (s.operatingCost.annualYuan = '350000')),
    { actor: '李四', comment: 'opex up' },
  );
  t.store.scenarios.save(
    demoCityInput((s) => {
      s.operatingCost.annualYuan = '350000';
      s.funding.sources[0]!.amountYuan = '500000';
      s.funding.sources[1]!.amountYuan = '500000';
    }),
    { actor: '王五', comment: 'more equity' },
  );
  versionIds = t.store.scenarios.versions(id).map((v) => v.id);
});

const get = (url: string) => request(t.app).get(url).set('Cookie', 'lang=en; unit=yuan');

describe('history of a scenario', () => {
  it('lists every version newest first and compares the last two by default', async () => {
    const res = await get(`/scenarios/${id}/history`);
    expect(res.status).toBe(200);
    const versions = visibleText(section(res.text, 'table', 'versions'));
    expect(versions.indexOf('v3')).toBeLessThan(versions.indexOf('v1'));
    for (const who of ['张三', '李四', '王五', 'more equity']) expect(versions).toContain(who);
    const diff = visibleText(section(res.text, 'ul', 'input-diff'));
    expect(diff).toContain(
      'Equity · Amount (CNY) 400,000.00 → 500,000.00 funding.sources[0].amountYuan',
    );
    expect(diff).toContain(
      'Loan · Amount (CNY) 600,000.00 → 500,000.00 funding.sources[1].amountYuan',
    );
    expect(diff).not.toContain('operating cost');
  });

  it('compares any two versions: inputs field by field and key metrics with exact deltas', async () => {
    const [v1, , v3] = versionIds;
    const res = await get(`/scenarios/${id}/history?from=${v1}&to=${v3}`);
    expect(res.status).toBe(200);
    const diff = visibleText(section(res.text, 'ul', 'input-diff'));
    expect(diff).toContain(
      'Annual operating cost (CNY) 300,000.00 → 350,000.00 operatingCost.annualYuan',
    );
    const metrics = visibleText(section(res.text, 'table', 'metric-diff'));
    expect(metrics).toContain('Total investment 1,000,000.00 1,000,000.00 0.00');
    expect(metrics).toContain('Project NPV');
    // The chosen versions are ticked in the form.
    expect(res.text).toMatch(new RegExp(`name="from" value="${v1}"[^>]*checked`));
    expect(res.text).toMatch(new RegExp(`name="to" value="${v3}"[^>]*checked`));
  });

  it('shows no differences between a version and itself', async () => {
    const res = await get(`/scenarios/${id}/history?from=${versionIds[1]}&to=${versionIds[1]}`);
    expect(visibleText(res.text)).toContain('The inputs are identical.');
  });

  it('answers 404 for an unknown scenario or version', async () => {
    expect((await get('/scenarios/999/history')).status).toBe(404);
    expect((await get(`/scenarios/${id}/history?from=999`)).status).toBe(404);
    expect((await get(`/scenarios/${id}/history?from=abc`)).status).toBe(404);
  });

  it('marks an old version on its results page and links to the current one', async () => {
    const res = await get(`/versions/${versionIds[0]}`);
    expect(visibleText(res.text)).toContain(
      'You are looking at version 1; the current version is 3.',
    );
    expect(res.text).toContain(`href="/scenarios/${id}"`);
  });
});

describe('restoring an earlier version', () => {
  let r: TestApp;
  let agent: Agent;
  let scenarioId: number;
  let ids: number[];
  beforeEach(() => {
    r = makeApp({ demo: false });
    agent = request.agent(r.app);
    scenarioId = r.store.scenarios.save(demoCityInput(), { actor: '张三', comment: 'first' })
      .scenario.id;
    r.store.scenarios.save(
      demoCityInput((s) => (s.operatingCost.annualYuan = '350000')),
      { actor: '李四', comment: 'opex up' },
    );
    r.store.scenarios.save(
      demoCityInput((s) => (s.operatingCost.annualYuan = '360000')),
      { actor: '王五', comment: 'opex up again' },
    );
    ids = r.store.scenarios.versions(scenarioId).map((v) => v.id);
  });

  const history = (cookies = 'lang=en; unit=yuan') =>
    agent.get(`/scenarios/${scenarioId}/history`).set('Cookie', cookies);
  /** The restore form of one version as the page gives it. */
  const restoreForm = async (versionId: number, cookies?: string): Promise<Fields> =>
    formFields(section((await history(cookies)).text, 'form', `restore-${versionId}`));
  const post = (versionId: number, fields: Fields) =>
    agent
      .post(`/versions/${versionId}/restore`)
      .set('Cookie', 'lang=en; unit=yuan')
      .type('form')
      .send(encodeForm(fields));

  it('offers a form with a token and a comment (no author: the signed-in user is) on every version but the current one', async () => {
    const res = await history();
    expect(res.status).toBe(200);
    const [v1, v2, v3] = ids as [number, number, number];
    for (const id of [v1, v2]) {
      const form = section(res.text, 'form', `restore-${id}`);
      expect(form).toContain(`action="/versions/${id}/restore"`);
      expect(form).toContain('method="post"');
      expect(fieldValue(formFields(form), '_csrf')).toMatch(/\S{20,}/);
      expect(formFields(form).map(([n]) => n)).toEqual(['_csrf', 'comment']);
      expect(visibleText(form)).not.toContain('Your name');
      expect(visibleText(form)).toContain('Restore this version');
    }
    expect(res.text).not.toContain(`id="restore-${v3}"`);
    // Per-browser tokens: the page is rendered for this browser and never stored.
    expect(res.headers['cache-control']).toBe('private, no-store');
    const zh = await history('lang=zh');
    expect(visibleText(section(zh.text, 'form', `restore-${v1}`))).toContain('恢复此版本');
  });

  it('saves the old inputs byte for byte as a new version, keeps every old version, audits, and shows the new results', async () => {
    const [v1] = ids as [number];
    const before = ids.map((id) => r.store.scenarios.version(id));
    const form = fill(await restoreForm(v1), { comment: 'back to the approved opex' });
    const res = await post(v1, form);
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(`/scenarios/${scenarioId}?restored=4&from=1`);

    const versions = r.store.scenarios.versions(scenarioId);
    expect(versions.map((v) => v.versionNo)).toEqual([1, 2, 3, 4]);
    const restored = r.store.scenarios.current(scenarioId);
    expect(restored.inputsJson).toBe(before[0]!.inputsJson);
    expect(restored.inputsHash).toBe(before[0]!.inputsHash);
    expect(restored).toMatchObject({
      versionNo: 4,
      author: 'approver',
      comment: 'back to the approved opex',
      restoredFromId: v1,
    });
    // Nothing overwritten: the old versions are exactly as they were.
    expect(ids.map((id) => r.store.scenarios.version(id))).toEqual(before);
    const entry = r.store.audit.list({
      entity: 'scenario-version',
      entityId: restored.id,
      limit: 1,
    })[0]!;
    expect(entry).toMatchObject({ action: 'restore', actor: 'approver' });

    const page = await agent
      .get(res.headers.location as string)
      .set('Cookie', 'lang=en; unit=yuan');
    expect(page.status).toBe(200);
    const text = visibleText(page.text);
    expect(text).toContain('Version 1 restored: its inputs are saved as version 4.');
    expect(text).toContain('Version 4 of 4');
    expect(text).toContain('restores v1');
    // The history now offers v3 for restoring and not v4.
    const after = await history();
    expect(after.text).toContain(`id="restore-${ids[2]}"`);
    expect(after.text).not.toContain(`id="restore-${restored.id}"`);
    expect(visibleText(section(after.text, 'table', 'versions'))).toContain('restores v1');
  });

  it('records the signed-in user and says where the version came from when the form is left empty', async () => {
    const [, v2] = ids as [number, number];
    expect((await post(v2, await restoreForm(v2))).status).toBe(303);
    expect(r.store.scenarios.current(scenarioId)).toMatchObject({
      versionNo: 4,
      author: 'approver',
      comment: 'Restored version 2',
    });
  });

  it('makes no version when the inputs already equal the current ones', async () => {
    const [v1] = ids as [number];
    await post(v1, await restoreForm(v1));
    const audit = r.store.audit.count();
    // v1 is no longer current (v4 is), but has the same inputs.
    const res = await post(v1, await restoreForm(v1));
    expect(res.headers.location).toBe(`/scenarios/${scenarioId}?unchanged=4`);
    expect(r.store.scenarios.versions(scenarioId)).toHaveLength(4);
    expect(r.store.audit.count()).toBe(audit);
    const page = await agent.get(res.headers.location as string).set('Cookie', 'lang=en');
    expect(visibleText(page.text)).toContain(
      'Nothing changed: the inputs equal version 4; no new version was made.',
    );
  });

  it('refuses a post without the form token (403) and a token of another browser; nothing is saved', async () => {
    const [v1] = ids as [number];
    const audit = r.store.audit.count();
    const form = await restoreForm(v1);
    const res = await post(
      v1,
      form.filter(([n]) => n !== '_csrf'),
    );
    expect(res.status).toBe(403);
    expect(visibleText(res.text)).toContain('The form has expired');
    const other = request.agent(r.app);
    await other.get(`/scenarios/${scenarioId}/history`);
    expect(
      (await other.post(`/versions/${v1}/restore`).type('form').send(encodeForm(form))).status,
    ).toBe(403);
    expect(r.store.audit.count()).toBe(audit);
    expect(r.store.scenarios.versions(scenarioId)).toHaveLength(3);
  });

  it('answers 404 for a version that does not exist', async () => {
    const form = await restoreForm(ids[0]!);
    expect((await post(999, form)).status).toBe(404);
    expect((await post('abc' as unknown as number, form)).status).toBe(404);
    expect(r.store.scenarios.versions(scenarioId)).toHaveLength(3);
  });

  it('ignores a posted author (even one too long to store): the signed-in user is recorded', async () => {
    const [, v2] = ids as [number, number];
    const form = fill(await restoreForm(v2), { author: 'x'.repeat(201), comment: 'as Li' });
    const res = await post(v2, form);
    expect(res.status).toBe(303);
    const restored = r.store.scenarios.current(scenarioId);
    expect(restored).toMatchObject({ versionNo: 4, author: 'approver', comment: 'as Li' });
    expect(
      r.store.audit.list({ entity: 'scenario-version', entityId: restored.id, limit: 1 })[0],
    ).toMatchObject({ action: 'restore', actor: 'approver' });
  });

  it('answers 422 at the field, keeping what was typed, when the comment is too long', async () => {
    const [v1, v2] = ids as [number, number];
    const comment = `keep <this> ${'x'.repeat(4000)}`;
    const form = fill(await restoreForm(v2), { comment });
    const res = await post(v2, form);
    expect(res.status).toBe(422);
    const refused = section(res.text, 'form', `restore-${v2}`);
    expect(visibleText(refused)).toContain(
      'Please correct 1 problem(s) and save again. Nothing was saved.',
    );
    expect(visibleText(refused)).toContain('The comment is longer than 4000 characters');
    expect(fieldValue(formFields(refused), 'comment')).toBe(comment);
    expect(res.text).toMatch(
      new RegExp(
        `<details class="restore" open>\\s*<summary>[^<]*</summary>\\s*<form[^>]*id="restore-${v2}"`,
      ),
    );
    // The other forms stay closed and empty.
    expect(fieldValue(formFields(section(res.text, 'form', `restore-${v1}`)), 'comment')).toBe('');
    expect(r.store.scenarios.versions(scenarioId)).toHaveLength(3);
  });

  it('offers no restore for a deleted scenario, and refuses one with 409', async () => {
    const [v1] = ids as [number];
    const form = await restoreForm(v1);
    r.store.scenarios.delete('T-SMALL', 'base', 'test');
    const page = await history();
    expect(page.text).not.toContain('id="restore-');
    const res = await post(v1, form);
    expect(res.status).toBe(409);
    expect(visibleText(res.text)).toContain('was deleted; it cannot get new versions');
    expect(r.store.scenarios.versions(scenarioId)).toHaveLength(3);
  });
});
