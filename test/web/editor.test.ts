import request from 'supertest';
import { makeApp, type Agent, type TestApp } from './support/app';
import {
  encodeForm,
  fieldValue,
  fill,
  formFields,
  inputValue,
  section,
  setField,
  visibleText,
  type Fields,
} from './support/html';
import { demoCityInput } from './support/accounts';

let t: TestApp;
let agent: Agent;
beforeEach(() => {
  t = makeApp({ demo: false });
  agent = request.agent(t.app);
});

async function openForm(
  url: string,
  cookies = 'lang=en',
): Promise<{ html: string; fields: Fields }> {
  const res = await agent.get(url).set('Cookie', cookies);
  expect(res.status).toBe(200);
  return { html: res.text, fields: formFields(section(res.text, 'form', 'editor')) };
}

const post = (fields: Fields, action = 'save', cookies = 'lang=en') =>
  agent
    .post('/editor')
    .set('Cookie', cookies)
    .type('form')
    .send(encodeForm([...fields, ['action', action]]));

/** The small test scenario typed into the new-project form. */
const SMALL: Record<string, string> = {
  'project[code]': 'T-WEB',
  'project[name]': '测试项目 <Web>',
  'project[sector]': 'other',
  'project[category]': 'market-oriented',
  'scenario[delivery]': 'concession',
  'project[approvalDate]': '2025-01-01',
  'scenario[name]': 'base',
  'timeline[startYear]': '2026',
  'timeline[constructionYears]': '1',
  'timeline[operationYears]': '2',
  'capex[scheduleYuan][0]': '1,000,000',
  'operatingCost[annualYuan]': '300000',
  'funding[sources][0][id]': 'eq',
  'funding[sources][0][name]': 'Equity',
  'funding[sources][0][type]': 'enterprise-equity',
  'funding[sources][0][amountYuan]': '1000000',
  'discountRates[project]': '0.06',
  'discountRates[equity]': '0.08',
  'discountRates[government]': '0.04',
  shortfall: 'equity',
};

/** The new-project form with one capex year (the form starts with two). */
async function newProjectFields(): Promise<Fields> {
  const { fields } = await openForm('/projects/new');
  return fill(
    fields.filter(([n]) => n !== 'capex[scheduleYuan][1]'),
    SMALL,
  );
}

describe('new project', () => {
  it('opens an empty editor with every section, a CSRF token and defaults', async () => {
    const res = await agent.get('/projects/new').set('Cookie', 'lang=en');
    expect(res.status).toBe(200);
    const text = visibleText(res.text);
    for (const s of [
      'Project',
      'Timeline and capital expenditure',
      'Operating cost',
      'Revenue streams',
      'Funding sources by pillar',
      'Government support',
      'Tax',
      'Discount rates, covenants and shortfalls',
      'Fiscal analysis inputs (optional)',
      'Funding check',
    ]) {
      expect(text).toContain(s);
    }
    const fields = formFields(section(res.text, 'form', 'editor'));
    expect(fieldValue(fields, '_csrf')).toMatch(/\S{20,}/);
    expect(fieldValue(fields, 'timeline[startYear]')).toBe('2027');
    expect(fieldValue(fields, 'tax[incomeTaxRate]')).toBe('0.25');
    expect(fields.filter(([n]) => n.startsWith('capex[scheduleYuan]'))).toHaveLength(2);
    const cookies = (res.headers['set-cookie'] as unknown as string[]).join('\n');
    expect(cookies).toMatch(/fm_sid=[\w-]+; Path=\/; HttpOnly; SameSite=Lax/);
    expect(cookies).toMatch(/fm_csrf=.*HttpOnly; SameSite=Strict/);
    // Editor pages carry a token: never stored by a browser cache.
    expect(res.headers['cache-control']).toBe('private, no-store');
  });

  it('saves a valid scenario as version 1 and shows its results', async () => {
    const fields = fill(await newProjectFields(), { 'meta[comment]': 'first cut' });
    const res = await post(fields);
    expect(res.status).toBe(303);
    const scenario = t.store.scenarios.get('T-WEB', 'base');
    expect(res.headers.location).toBe(`/scenarios/${scenario.id}?saved=1`);
    const version = t.store.scenarios.current(scenario.id);
    expect(version.author).toBe('approver'); // the signed-in user
    expect(version.comment).toBe('first cut');
    expect(version.inputs.capex.scheduleYuan).toEqual(['1000000']);
    const page = await agent.get(res.headers.location as string).set('Cookie', 'lang=en');
    expect(visibleText(page.text)).toContain('Saved as version 1.');
    expect(visibleText(page.text)).toContain('测试项目 <Web>');
    expect(page.text).toContain('测试项目 &lt;Web&gt;');
  });

  it('saves 30 funding sources, the most a scenario has, in their order (more than qs makes arrays of by default)', async () => {
    const base = (await newProjectFields()).filter(([n]) => !n.startsWith('funding[sources]'));
    const sources: Fields = Array.from({ length: 30 }, (_, i): Fields => [
      [`funding[sources][${i}][id]`, `eq${i}`],
      [`funding[sources][${i}][name]`, `Equity ${i}`],
      [`funding[sources][${i}][type]`, 'enterprise-equity'],
      [`funding[sources][${i}][amountYuan]`, i === 29 ? '33,333.43' : '33,333.33'],
    ]).flat();
    const res = await post([...base, ...sources]);
    expect(res.status).toBe(303);
    const saved = t.store.scenarios.current(t.store.scenarios.get('T-WEB', 'base').id);
    const ids = saved.inputs.funding.sources.map((x) => x.id);
    expect(ids).toEqual(Array.from({ length: 30 }, (_, i) => `eq${i}`));
  });

  it('comes back with every wrong field marked and explained, everything typed kept, and nothing saved (422)', async () => {
    const before = t.store.audit.count();
    const fields = fill(await newProjectFields(), {
      'project[name]': '<script>alert(1)</script>',
      'capex[scheduleYuan][0]': '1,00a',
      'operatingCost[annualYuan]': '',
      'timeline[operationYears]': 'two',
      'discountRates[project]': '0.9',
      'funding[sources][0][id]': 'Bad Id',
    });
    const res = await post(fields);
    expect(res.status).toBe(422);
    expect(t.store.audit.count()).toBe(before);
    expect(t.store.projects.list()).toHaveLength(0);
    const text = visibleText(res.text);
    expect(text).toMatch(/Please correct \d+ problem\(s\) and save again\. Nothing was saved\./);
    const expectations: Array<[string, RegExp]> = [
      ['f-capex-scheduleYuan-0', /Capital expenditure must be a plain decimal number/],
      ['f-operatingCost-annualYuan', /This field is required/],
      ['f-timeline-operationYears', /Enter a whole number/],
      ['f-discountRates-project', /Project discount rate must be between 0 and 0\.5/],
      ['f-funding-sources-0-id', /Source id must be lower-case letters/],
    ];
    for (const [id, message] of expectations) {
      expect(res.text).toContain(`id="${id}"`);
      expect(res.text).toMatch(
        new RegExp(`id="${id}"[^>]*aria-invalid="true"|aria-invalid="true"[^>]*id="${id}"`),
      );
      const error = new RegExp(`<p class="field-error" id="${id}-error">([^<]*)</p>`).exec(
        res.text,
      );
      expect(error?.[1]).toMatch(message);
      expect(res.text).toContain(`href="#${id}"`);
    }
    // Everything typed is kept, escaped.
    expect(inputValue(res.text, 'capex[scheduleYuan][0]')).toBe('1,00a');
    expect(inputValue(res.text, 'timeline[operationYears]')).toBe('two');
    expect(inputValue(res.text, 'project[name]')).toBe('<script>alert(1)</script>');
    expect(res.text).not.toContain('<script>alert(1)</script>');
  });

  it('explains the problems in Chinese on a Chinese page', async () => {
    const fields = fill(await newProjectFields(), {
      'operatingCost[annualYuan]': '',
      'funding[sources][0][amountYuan]': '-5',
    });
    const res = await post(fields, 'save', 'lang=zh');
    expect(res.status).toBe(422);
    const text = visibleText(res.text);
    expect(text).toContain('此项必填');
    expect(text).toContain('资金金额不能为负数');
  });

  it('shows the funding gap in yuan when sources do not add up (422), in the check panel and on the sources', async () => {
    const fields = fill(await newProjectFields(), { 'funding[sources][0][amountYuan]': '900000' });
    const res = await post(fields, 'save', 'lang=zh');
    expect(res.status).toBe(422);
    const sources = visibleText(section(res.text, 'fieldset', 'f-funding-sources'));
    expect(sources).toContain(
      '资金来源合计 900,000.00 元，总投资 1,000,000.00 元：尚有 100,000.00 元未落实',
    );
    const check = visibleText(section(res.text, 'div', 'funding-check'));
    expect(check).toContain('尚有 100,000.00 元资金未落实');
    expect(section(res.text, 'div', 'funding-check')).toContain('check-short');
  });

  it('adds and removes rows without JavaScript, keeping what was typed', async () => {
    let fields = await newProjectFields();
    let res = await post(fields, 'add-source');
    expect(res.status).toBe(200);
    fields = formFields(section(res.text, 'form', 'editor'));
    expect(fieldValue(fields, 'funding[sources][0][name]')).toBe('Equity');
    expect(fieldValue(fields, 'funding[sources][1][name]')).toBe('');
    fields = fill(fields, {
      'funding[sources][1][id]': 'loan',
      'funding[sources][1][name]': 'Loan',
      'funding[sources][1][type]': 'bank-loan',
    });

    res = await post(fields, 'add-stream:user-fee');
    fields = formFields(section(res.text, 'form', 'editor'));
    expect(fieldValue(fields, 'revenues[0][kind]')).toBe('user-fee');
    expect(res.text).toContain('name="revenues[0][unitPriceYuan]"');

    res = await post(fields, 'remove-source:0');
    fields = formFields(section(res.text, 'form', 'editor'));
    expect(fieldValue(fields, 'funding[sources][0][id]')).toBe('loan');
    expect(fieldValue(fields, 'funding[sources][1][id]')).toBeUndefined();
    expect(fieldValue(fields, 'project[name]')).toBe('测试项目 <Web>');
    expect(t.store.projects.list()).toHaveLength(0);

    res = await post(fill(fields, { 'timeline[constructionYears]': '3' }), 'refresh');
    expect(
      formFields(section(res.text, 'form', 'editor')).filter(([n]) =>
        n.startsWith('capex[scheduleYuan]'),
      ),
    ).toHaveLength(3);
  });

  it('saves debt terms, revenue streams and government support typed into the form', async () => {
    const fields = fill(await newProjectFields(), {
      'funding[sources][0][amountYuan]': '400000',
    });
    let res = await post(fields, 'add-source');
    let f = fill(formFields(section(res.text, 'form', 'editor')), {
      'funding[sources][1][id]': 'loan',
      'funding[sources][1][name]': 'Loan',
      'funding[sources][1][type]': 'bank-loan',
      'funding[sources][1][amountYuan]': '600000',
      'funding[sources][1][debt][annualRate]': '0.05',
      'funding[sources][1][debt][tenorYears]': '3',
      'funding[sources][1][debt][repayment]': 'equal-principal',
      'government[operatingSubsidy][annualYuan]': '50000',
    });
    res = await post(f, 'add-stream:other');
    f = fill(formFields(section(res.text, 'form', 'editor')), {
      'revenues[0][name]': 'Income',
      'revenues[0][annualYuan]': '800000',
      'revenues[0][rampUp]': '0.5, 0.8',
    });
    res = await post(f);
    expect(res.status).toBe(303);
    const inputs = t.store.scenarios.current(t.store.scenarios.get('T-WEB', 'base').id).inputs;
    expect(inputs.funding.sources[1]).toMatchObject({
      id: 'loan',
      debt: {
        annualRate: '0.05',
        tenorYears: 3,
        repayment: 'equal-principal',
        constructionInterest: 'paid',
      },
    });
    expect(inputs.revenues).toEqual([
      { kind: 'other', name: 'Income', annualYuan: '800000', rampUp: ['0.5', '0.8'] },
    ]);
    expect(inputs.government).toEqual({ operatingSubsidy: { annualYuan: '50000' } });
  });
});

describe('ownership of equity sources (issue 9, item 10)', () => {
  const ownershipSelect = (html: string, index: number) =>
    new RegExp(
      `<select[^>]*name="funding\\[sources\\]\\[${index}\\]\\[ownership\\]"[^>]*>([\\s\\S]*?)</select>`,
    ).exec(html)?.[1] ?? '';

  it('offers a select per equity source with labels in both languages', async () => {
    const en = await openForm('/projects/new');
    expect(visibleText(ownershipSelect(en.html, 0))).toBe(
      'Not declared (government for government and guided-fund equity) Private enterprise State-owned enterprise Mixed ownership Foreign-invested Government',
    );
    const zh = await openForm('/projects/new', 'lang=zh');
    expect(visibleText(ownershipSelect(zh.html, 0))).toBe(
      '未声明（政府出资和引导基金视为政府） 民营企业 国有企业 混合所有制企业 外商投资企业 政府',
    );
  });

  it('saves the declared ownership, shows it with the results and in the form again', async () => {
    const fields = fill(await newProjectFields(), {
      'funding[sources][0][ownership]': 'private',
    });
    const res = await post(fields);
    expect(res.status).toBe(303);
    const scenario = t.store.scenarios.get('T-WEB', 'base');
    expect(t.store.scenarios.current(scenario.id).inputs.funding.sources[0]).toEqual({
      id: 'eq',
      name: 'Equity',
      type: 'enterprise-equity',
      ownership: 'private',
      amountYuan: '1000000',
    });
    const page = await agent.get(res.headers.location as string).set('Cookie', 'lang=en');
    expect(/<span data-ownership>([^<]*)<\/span>/.exec(page.text)?.[1]).toBe('Private enterprise');
    const { fields: again } = await openForm(`/scenarios/${scenario.id}/edit`);
    expect(fieldValue(again, 'funding[sources][0][ownership]')).toBe('private');
  });

  it('leaves ownership out of the file when the source is not equity or it is not declared', async () => {
    const fields = fill(await newProjectFields(), {
      'funding[sources][0][type]': 'budget',
      'funding[sources][0][ownership]': 'private',
      shortfall: 'government',
    });
    expect((await post(fields)).status).toBe(303);
    const id = t.store.scenarios.get('T-WEB', 'base').id;
    expect(t.store.scenarios.current(id).inputs.funding.sources[0]).not.toHaveProperty('ownership');
    const page = await agent.get(`/scenarios/${id}`).set('Cookie', 'lang=en');
    expect(page.text).not.toContain('data-ownership');
  });

  it('refuses a new project in a jurisdiction not the user’s with 403 (not 404: it does not exist yet); saves nothing', async () => {
    const audit = t.store.audit.count();
    const res = await post(
      fill(await newProjectFields(), { 'project[jurisdiction]': '邻市 Next City' }),
    );
    expect(res.status).toBe(403);
    expect(t.store.projects.list()).toHaveLength(0);
    expect(t.store.audit.count()).toBe(audit);
  });

  it('refuses private ownership of government equity at the field (422), keeping the choice', async () => {
    const fields = fill(await newProjectFields(), {
      'funding[sources][0][type]': 'government-equity',
      'funding[sources][0][ownership]': 'private',
    });
    const res = await post(fields);
    expect(res.status).toBe(422);
    expect(t.store.projects.list()).toHaveLength(0);
    expect(
      /<p class="field-error" id="f-funding-sources-0-ownership-error">([^<]*)<\/p>/.exec(
        res.text,
      )?.[1],
    ).toBe(
      'A government-equity source is government money: its ownership can only be government or state-owned',
    );
    expect(
      fieldValue(formFields(section(res.text, 'form', 'editor')), 'funding[sources][0][ownership]'),
    ).toBe('private');
  });
});

describe('editing a stored scenario', () => {
  let id: number;
  beforeEach(() => {
    id = t.store.scenarios.save(demoCityInput(), { actor: 'setup' }).scenario.id;
  });

  it('opens the current version in the form with the project code locked', async () => {
    const { html, fields } = await openForm(`/scenarios/${id}/edit`);
    expect(fieldValue(fields, 'project[code]')).toBe('T-SMALL');
    expect(html).toMatch(/name="project\[code\]"[^>]*readonly/);
    expect(fieldValue(fields, 'meta[lockedCode]')).toBe('T-SMALL');
    expect(fieldValue(fields, 'meta[baseVersionId]')).toBe(
      String(t.store.scenarios.current(id).id),
    );
    expect(fieldValue(fields, 'funding[sources][1][debt][repayment]')).toBe('equal-principal');
    expect(fieldValue(fields, 'revenues[0][annualYuan]')).toBe('800000');
  });

  it('saves a change as a new version; saving it again unchanged makes none', async () => {
    const { fields } = await openForm(`/scenarios/${id}/edit`);
    const changed = fill(fields, {
      'operatingCost[annualYuan]': '310000',
      'meta[comment]': 'opex +10k',
    });
    const res = await post(changed);
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(`/scenarios/${id}?saved=2`);
    const v2 = t.store.scenarios.current(id);
    expect(v2).toMatchObject({ versionNo: 2, author: 'approver', comment: 'opex +10k' });
    expect(t.store.scenarios.compare(v2.id - 1, v2.id)).toEqual([
      { path: 'operatingCost.annualYuan', kind: 'changed', before: '300000', after: '310000' },
    ]);

    const again = await openForm(`/scenarios/${id}/edit`);
    const res2 = await post(again.fields);
    expect(res2.headers.location).toBe(`/scenarios/${id}?unchanged=2`);
    const page = await agent.get(res2.headers.location as string).set('Cookie', 'lang=en');
    expect(visibleText(page.text)).toContain(
      'Nothing changed: the inputs equal version 2; no new version was made.',
    );
  });

  it('does not let a form post change the locked project code', async () => {
    const { fields } = await openForm(`/scenarios/${id}/edit`);
    const res = await post(
      fill(fields, { 'project[code]': 'OTHER', 'operatingCost[annualYuan]': '1' }),
    );
    expect(res.status).toBe(303);
    expect(t.store.projects.find('OTHER')).toBeNull();
  });

  it('notices a save by someone else since the form was opened (409), then saves on the second try', async () => {
    const { fields } = await openForm(`/scenarios/${id}/edit`);
    t.store.scenarios.save(
      demoCityInput((s) => (s.operatingCost.annualYuan = '333333')),
      { actor: '李审核' },
    );
    const res = await post(fill(fields, { 'operatingCost[annualYuan]': '320000' }));
    expect(res.status).toBe(409);
    expect(visibleText(res.text)).toContain(
      'Version 2 was saved by 李审核 while you were editing.',
    );
    expect(t.store.scenarios.current(id).versionNo).toBe(2);
    const retry = formFields(section(res.text, 'form', 'editor'));
    expect(fieldValue(retry, 'operatingCost[annualYuan]')).toBe('320000');
    const res2 = await post(retry);
    expect(res2.status).toBe(303);
    expect(t.store.scenarios.current(id).versionNo).toBe(3);
  });

  it('copies a scenario into a new one (same project, name to fill in)', async () => {
    const { fields } = await openForm(`/scenarios/${id}/edit?copy=1`);
    expect(fieldValue(fields, 'scenario[name]')).toBe('');
    expect(fieldValue(fields, 'meta[mode]')).toBe('new-scenario');
    const res = await post(
      fill(fields, { 'scenario[name]': 'higher opex', 'operatingCost[annualYuan]': '350000' }),
    );
    expect(res.status).toBe(303);
    expect(t.store.scenarios.list({ projectCode: 'T-SMALL' }).map((s) => s.name)).toEqual([
      'base',
      'higher opex',
    ]);
  });

  it('starts a new scenario of a project with the project filled in', async () => {
    const { fields } = await openForm('/projects/T-SMALL/scenarios/new');
    expect(fieldValue(fields, 'project[name]')).toBe('Small test project');
    expect(fieldValue(fields, 'project[sector]')).toBe('other');
    expect(fieldValue(fields, 'scenario[name]')).toBe('');
  });

  it('ignores a posted author (even one too long to store): the signed-in user is recorded', async () => {
    const { fields } = await openForm(`/scenarios/${id}/edit`);
    expect(fieldValue(fields, 'meta[author]')).toBeUndefined();
    const res = await post(
      fill(fields, { 'meta[author]': 'x'.repeat(201), 'operatingCost[annualYuan]': '1' }),
    );
    expect(res.status).toBe(303);
    expect(t.store.scenarios.current(id)).toMatchObject({ versionNo: 2, author: 'approver' });
  });

  it.each(['/scenarios/999/edit', '/projects/NOPE/scenarios/new'])(
    'answers 404 for %s',
    async (url) => {
      expect((await agent.get(url)).status).toBe(404);
    },
  );
});

describe('CSRF', () => {
  it('refuses an editor post without a token (403), saves nothing, and gives the entries back with a new token', async () => {
    const fields = (await newProjectFields()).filter(([n]) => n !== '_csrf');
    const res = await post(fields);
    expect(res.status).toBe(403);
    expect(visibleText(res.text)).toContain('The form had expired, so nothing was saved.');
    expect(t.store.projects.list()).toHaveLength(0);
    const back = formFields(section(res.text, 'form', 'editor'));
    expect(fieldValue(back, 'project[name]')).toBe('测试项目 <Web>');
    // The new token works.
    expect((await post(back)).status).toBe(303);
    expect(t.store.projects.list()).toHaveLength(1);
  });

  it('refuses other state-changing posts without a token with the 403 page', async () => {
    const res = await agent.post('/projects').set('Cookie', 'lang=en').type('form').send('x=1');
    expect(res.status).toBe(403);
    expect(visibleText(res.text)).toContain('The form has expired');
  });

  it('refuses a token from another browser (another session id)', async () => {
    const fields = await newProjectFields();
    const other = request.agent(t.app);
    await other.get('/projects/new');
    const res = await other
      .post('/editor')
      .type('form')
      .send(encodeForm([...fields, ['action', 'save']]));
    expect(res.status).toBe(403);
    expect(res.text).toContain('id="editor"');
    expect(t.store.projects.list()).toHaveLength(0);
  });

  it('refuses a forged token', async () => {
    const fields = setField(await newProjectFields(), '_csrf', 'forged.token');
    expect((await post(fields)).status).toBe(403);
  });
});

describe('malformed form posts', () => {
  it.each([
    [
      'nested values where text is expected',
      'project[code][x]=1&project[name][]=a&project[name][]=b&timeline[startYear][y]=2',
    ],
    ['a list given as text', 'funding[sources]=oops&revenues=1&capex[scheduleYuan]=5'],
    [
      'sparse and huge indexes',
      'funding[sources][7][id]=a&funding[sources][999][type]=bank-loan&revenues[40][kind]=user-fee',
    ],
    [
      'unknown stream kinds and source types',
      'revenues[0][kind]=magic&revenues[0][name]=x&funding[sources][0][type]=gold',
    ],
    ['prototype keys', '__proto__[x]=1&constructor[prototype][y]=2&project[__proto__][code]=z'],
    ['an unknown action', ''],
    ['nothing at all', ''],
  ])('answers %s with the form (200/422), never a crash', async (_what, body) => {
    const { fields } = await openForm('/projects/new');
    const token = fieldValue(fields, '_csrf')!;
    for (const action of ['save', 'add-source', 'remove-source:9', 'add-stream:nope', 'explode']) {
      const res = await agent
        .post('/editor')
        .type('form')
        .send(`${body}&_csrf=${encodeURIComponent(token)}&action=${encodeURIComponent(action)}`);
      expect([200, 422]).toContain(res.status);
      expect(res.text).toContain('id="editor"');
    }
    expect(({} as Record<string, unknown>).x).toBeUndefined();
    expect(t.store.projects.list()).toHaveLength(0);
  });
});
