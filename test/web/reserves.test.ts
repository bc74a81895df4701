import request from 'supertest';
import { makeApp, type Agent, type TestApp } from './support/app';
import { encodeForm, fieldValue, fill, formFields, section, visibleText } from './support/html';
import type { Fields } from './support/html';
import { smallInput } from '../helpers/scenarios';
import { demoCityInput } from './support/accounts';

/** The reserves block of the editor and the reserve lines on the results page (issue 9). */
let t: TestApp;
let agent: Agent;
beforeEach(() => {
  t = makeApp({ demo: false });
  agent = request.agent(t.app);
});

const RESERVES = {
  dsra: { months: 6, funding: 'equity' as const },
  maintenance: [{ year: 2, amountYuan: '10000' }],
  lockUp: { minDscr: '1.1' },
};

async function editForm(id: number, lang = 'en'): Promise<{ html: string; fields: Fields }> {
  const res = await agent.get(`/scenarios/${id}/edit`).set('Cookie', `lang=${lang}`);
  expect(res.status).toBe(200);
  return { html: res.text, fields: formFields(section(res.text, 'form', 'editor')) };
}
const post = (fields: Fields, action = 'save') =>
  agent
    .post('/editor')
    .set('Cookie', 'lang=en')
    .type('form')
    .send(encodeForm([...fields, ['action', action]]));

describe('the editor’s reserves block', () => {
  it('shows a stored scenario’s reserves and saves them unchanged (no new version)', async () => {
    const saved = t.store.scenarios.save(
      demoCityInput((s) => (s.reserves = RESERVES)),
      { actor: 'setup' },
    );
    const id = saved.scenario.id;
    const { html, fields } = await editForm(id);
    expect(fieldValue(fields, 'reserves[dsra][months]')).toBe('6');
    expect(fieldValue(fields, 'reserves[dsra][funding]')).toBe('equity');
    expect(fieldValue(fields, 'reserves[maintenance]')).toBe('2: 10000');
    expect(fieldValue(fields, 'reserves[lockUp][minDscr]')).toBe('1.1');
    expect(html).toMatch(/<details class="card section" id="f-reserves" open>/);
    expect(visibleText(html)).toContain('DSRA: months of next year’s debt service');
    const res = await post(fields);
    expect(res.status).toBe(303);
    expect(t.store.scenarios.current(id).id).toBe(saved.version.id);
  });

  it('saves reserves typed into the form into the scenario file', async () => {
    const id = t.store.scenarios.save(demoCityInput(), { actor: 'setup' }).scenario.id;
    const { html, fields } = await editForm(id);
    expect(html).toMatch(/<details class="card section" id="f-reserves">/);
    const res = await post(
      fill(fields, {
        'reserves[dsra][months]': '3',
        'reserves[maintenance]': '2: 12,000.50',
        'reserves[lockUp][minDscr]': '1.15',
      }),
    );
    expect(res.status).toBe(303);
    expect(t.store.scenarios.current(id).inputs.reserves).toEqual({
      dsra: { months: 3, funding: 'cfads' },
      maintenance: [{ year: 2, amountYuan: '12000.50' }],
      lockUp: { minDscr: '1.15' },
    });
  });

  it('marks a maintenance year after the last operation year at its field (422), keeping what was typed', async () => {
    const id = t.store.scenarios.save(demoCityInput(), { actor: 'setup' }).scenario.id;
    const before = t.store.scenarios.current(id).id;
    const { fields } = await editForm(id);
    const res = await post(fill(fields, { 'reserves[maintenance]': '7: 5000' }));
    expect(res.status).toBe(422);
    expect(
      /<p class="field-error" id="f-reserves-maintenance-error">([^<]*)<\/p>/.exec(res.text)?.[1],
    ).toBe('Maintenance year 7 is after the last operation year (2)');
    expect(
      fieldValue(formFields(section(res.text, 'form', 'editor')), 'reserves[maintenance]'),
    ).toBe('7: 5000');
    expect(t.store.scenarios.current(id).id).toBe(before);
  });
});

describe('the results page', () => {
  it('shows the DSRA, maintenance and lock-up lines for a scenario that uses them, in both languages', async () => {
    const id = t.store.scenarios.save(
      demoCityInput((s) => (s.reserves = RESERVES)),
      { actor: 'setup' },
    ).scenario.id;
    const en = visibleText((await agent.get(`/scenarios/${id}`).set('Cookie', 'lang=en')).text);
    for (const label of [
      'DSRA target',
      'DSRA paid in by equity holders',
      'DSRA balance',
      'Major maintenance',
      'Maintenance reserve balance',
      'Lock-up balance',
      'DSRA at the start of operation',
    ])
      expect(en).toContain(label);
    const zh = visibleText((await agent.get(`/scenarios/${id}`).set('Cookie', 'lang=zh')).text);
    expect(zh).toContain('偿债储备余额');
    expect(zh).toContain('运营开始时偿债储备余额');
  });

  it('has no reserve lines for a scenario without reserves', async () => {
    const id = t.store.scenarios.save(demoCityInput(), { actor: 'setup' }).scenario.id;
    const en = visibleText((await agent.get(`/scenarios/${id}`).set('Cookie', 'lang=en')).text);
    expect(en).not.toContain('DSRA');
    expect(en).not.toContain('Lock-up');
  });
});

describe('the API', () => {
  const simulate = (body: unknown) =>
    request(t.app)
      .post('/api/v1/simulate')
      .set('Content-Type', 'application/json')
      .send(JSON.stringify(body));

  it('simulates a scenario with reserves: the ledger carries the reserve lines', async () => {
    // smallInput: 2 operation years, loan 600,000 at 5 % paid in construction, equal principal
    // 300,000; 2027 interest 30,000 → debt service 330,000; the equity pays 6/12 of it,
    // 165,000.00, at the start of operation.
    const res = await simulate(smallInput((s) => (s.reserves = { dsra: RESERVES.dsra })));
    expect(res.status).toBe(200);
    const ledger = res.body.result.ledger as Array<{
      reserves?: { dsra?: { equityContribution: string; balance: string } };
    }>;
    expect(ledger[0]?.reserves?.dsra).toMatchObject({
      equityContribution: '165000',
      balance: '165000',
    });
  });

  it('refuses equity funding without an equity holder (422) naming the field', async () => {
    const res = await simulate(
      smallInput((s) => {
        s.funding.sources = [{ ...s.funding.sources[1]!, amountYuan: '1000000' }];
        s.shortfall = 'government';
        s.reserves = { dsra: RESERVES.dsra };
      }),
    );
    expect(res.status).toBe(422);
    expect(res.body.error.issues).toContainEqual({
      path: 'reserves.dsra.funding',
      message: 'The DSRA cannot be funded by equity: the scenario has no equity source',
    });
  });
});
