import request from 'supertest';
import { makeApp, type Agent, type TestApp } from './support/app';
import {
  encodeForm,
  fieldValue,
  fill,
  formFields,
  section,
  setField,
  visibleText,
  type Fields,
} from './support/html';
import { BOND_HEAVY, PPP_HEAVY } from '../helpers/demo-names';

/**
 * The fiscal pages (issue 5) against the demo portfolio: what a finance bureau reads on them.
 * Figures are those of data/demo/README.md ("Fiscal context"): the PPP-heavy plan breaches the
 * 10 % cap in 2029–2033, worst 2032 at 10.2875 %, 161,356,641.54 yuan over; switching
 * SC-TRANSPORT to its construction-subsidy scenario removes the breach (2032 at 9.9810 %).
 */
const TRANSPORT_SUBSIDY = 'PPP+建设期补助 PPP with construction subsidy';
const EN_YUAN = 'lang=en; unit=yuan';

let t: TestApp;
let agent: Agent;
const portfolioId = (name: string) => t.store.portfolios.getByName(name).id;
const scenarioId = (code: string, name: string) => t.store.scenarios.get(code, name).id;
const get = (url: string, cookies = EN_YUAN) => agent.get(url).set('Cookie', cookies);
/** Text of one affordability row (by year). */
const yearRow = (html: string, year: number) => {
  const table = section(html, 'table', 'affordability');
  const m = new RegExp(`<tr data-year="${year}"[^>]*>[\\s\\S]*?</tr>`).exec(table);
  if (!m) throw new Error(`no row for ${year}`);
  return m[0];
};
const cell = (row: string, attr: string) =>
  visibleText(new RegExp(`<td[^>]*${attr}[^>]*>([\\s\\S]*?)</td>`).exec(row)?.[1] ?? '');
const card = (html: string, key: string) =>
  visibleText(
    section(html, 'section', 'fiscal-cards')
      .split(`data-card="${key}"`)[1]
      ?.split('data-card=')[0] ?? '',
  );

describe('fiscal page', () => {
  beforeAll(() => {
    t = makeApp();
    agent = request.agent(t.app);
  });

  it('GET /fiscal opens the first portfolio, or the one asked for', async () => {
    const first = t.store.portfolios.list()[0]!;
    const res = await get('/fiscal');
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(`/portfolios/${first.id}/fiscal`);
    const chosen = await get(`/fiscal?portfolio=${portfolioId(BOND_HEAVY)}`);
    expect(chosen.headers.location).toBe(`/portfolios/${portfolioId(BOND_HEAVY)}/fiscal`);
    expect((await get('/fiscal?portfolio=999')).status).toBe(404);
  });

  it('shows the PPP-heavy plan over the 10 % cap in 2029–2033, with the amount over the cap each year', async () => {
    const res = await get(`/portfolios/${portfolioId(PPP_HEAVY)}/fiscal`);
    expect(res.status).toBe(200);
    expect(card(res.text, 'breach')).toContain('2029–2033');
    expect(card(res.text, 'breach')).toContain('worst 2032: 161,356,641.54 CNY over');
    expect(card(res.text, 'peak')).toContain('10.29%');
    const row2032 = yearRow(res.text, 2032);
    expect(row2032).toContain('class="breach"');
    expect(cell(row2032, 'data-ratio')).toContain('10.29%');
    expect(cell(row2032, 'data-breach')).toBe('161,356,641.54');
    const text2032 = visibleText(row2032);
    // Obligations: portfolio 1,063,356,641.54 + other 4,710,000,000.00 = 5,773,356,641.54 against 56.12 bn.
    expect(text2032).toContain('4,710,000,000.00');
    expect(text2032).toContain('5,773,356,641.54');
    expect(text2032).toContain('56,120,000,000.00');
    expect(text2032).toContain('5,612,000,000.00');
    for (const year of [2029, 2030, 2031, 2033])
      expect(yearRow(res.text, year)).toContain('class="breach"');
    for (const year of [2028, 2034]) {
      expect(yearRow(res.text, year)).not.toContain('class="breach"');
      expect(cell(yearRow(res.text, year), 'data-breach')).toBe('–');
    }
    // Above the 5 % line, marked on the ratio.
    expect(cell(yearRow(res.text, 2020), 'data-ratio')).toContain('>5.00%');
    expect(cell(yearRow(res.text, 2017), 'data-ratio')).toBe('2.54%');
  });

  it('draws the ratio chart with the 10 % cap and the 5 % line as flat lines (chart data)', async () => {
    const res = await get(`/portfolios/${portfolioId(PPP_HEAVY)}/fiscal`);
    const data = JSON.parse(
      /<script type="application\/json" id="chart-data">([\s\S]*?)<\/script>/.exec(res.text)![1]!,
    ) as {
      charts: Record<
        string,
        {
          yFormat: string;
          labels: number[];
          datasets: Array<{
            label: string;
            data: Array<number | null>;
            flat?: boolean;
            dashed?: boolean;
          }>;
        }
      >;
    };
    const ratio = data.charts.ratio!;
    expect(ratio.yFormat).toBe('percent');
    const cap = ratio.datasets.find((d) => d.label === '10.00% cap')!;
    const line = ratio.datasets.find((d) => d.label === '5.00% line')!;
    expect(cap.flat && cap.dashed).toBe(true);
    expect(new Set(cap.data)).toEqual(new Set([10]));
    expect(new Set(line.data)).toEqual(new Set([5]));
    const series = ratio.datasets.find((d) => d.label === 'Ratio')!;
    expect(series.data[ratio.labels.indexOf(2032)]).toBeCloseTo(10.2875, 4);
    expect(
      data.charts.obligations!.datasets.some((d) => d.label === 'Cap (10.00% of budget)'),
    ).toBe(true);
    expect(res.text).toContain('<canvas data-chart="ratio"');
  });

  it('what-if: SC-TRANSPORT on its construction-subsidy scenario removes the breach, and nothing is saved', async () => {
    const id = portfolioId(PPP_HEAVY);
    const members = JSON.stringify(t.store.portfolios.get(id).members);
    const audit = t.store.audit.count();
    const target = scenarioId('SC-TRANSPORT', TRANSPORT_SUBSIDY);
    const res = await get(
      `/portfolios/${id}/fiscal?switch=${encodeURIComponent(`SC-TRANSPORT=${target}`)}`,
    );
    expect(res.status).toBe(200);
    expect(visibleText(section(res.text, 'div', 'what-if-notice'))).toContain(
      `SC-TRANSPORT): PPP 可用性付费 Availability PPP → ${TRANSPORT_SUBSIDY}`,
    );
    const row = yearRow(res.text, 2032);
    expect(row).not.toContain('class="breach"');
    expect(cell(row, 'data-ratio')).toContain('9.98%');
    expect(cell(row, 'data-saved-ratio')).toBe('10.29%');
    expect(cell(row, 'data-delta')).toBe('-0.31 pp');
    expect(section(res.text, 'table', 'affordability')).not.toContain('class="breach"');
    expect(card(res.text, 'breach')).toContain('none');
    expect(card(res.text, 'breach')).toContain('the saved selection is over it in 2029–2033');
    expect(card(res.text, 'peak')).toContain('9.98%');
    // The select shows the switched scenario; the form keeps the what-if for another change.
    const form = formFields(section(res.text, 'form', 'what-if'));
    expect(form).toContainEqual(['switch', `SC-TRANSPORT=${target}`]);
    // Both ratio series on the chart.
    expect(res.text).toContain('Ratio, saved selection');
    expect(res.text).toContain('Ratio, what-if');
    expect(JSON.stringify(t.store.portfolios.get(id).members)).toBe(members);
    expect(t.store.audit.count()).toBe(audit);
  });

  it('what-if: the form sent unchanged is the saved selection (no what-if, no save form)', async () => {
    const id = portfolioId(PPP_HEAVY);
    const saved = await get(`/portfolios/${id}/fiscal`);
    const fields = formFields(section(saved.text, 'form', 'what-if'));
    const res = await get(`/portfolios/${id}/fiscal?${encodeForm(fields)}`);
    expect(res.status).toBe(200);
    expect(res.text).not.toContain('id="what-if-notice"');
    expect(res.text).not.toContain('id="save-selection"');
    expect(yearRow(res.text, 2032)).toContain('class="breach"');
  });

  it('answers 422 for a switch to a scenario the project does not have', async () => {
    const res = await get(
      `/portfolios/${portfolioId(PPP_HEAVY)}/fiscal?switch=${encodeURIComponent('SC-TRANSPORT=no such scenario')}`,
    );
    expect(res.status).toBe(422);
    expect(visibleText(res.text)).toContain(
      'Project SC-TRANSPORT has no scenario "no such scenario"',
    );
    const malformed = await get(`/portfolios/${portfolioId(PPP_HEAVY)}/fiscal?switch=nonsense`);
    expect(malformed.status).toBe(422);
  });

  it('lists special bonds by year, bond self-balance with the shortfall in yuan and revenue stress (bond-heavy plan)', async () => {
    const res = await get(`/portfolios/${portfolioId(BOND_HEAVY)}/fiscal`);
    expect(res.status).toBe(200);
    const balance = section(res.text, 'table', 'self-balance');
    const water = visibleText(/<tr data-project="SC-WATER">[\s\S]*?<\/tr>/.exec(balance)![0]);
    expect(water).toContain('0.982 Fail');
    expect(water).toContain('209,977,824.42');
    expect(water).toContain('Revenue −10%: 0.836 Fail');
    expect(water).toContain('Revenue −20%: 0.690 Fail');
    const iot = visibleText(/<tr data-project="SC-IOT-SENSE">[\s\S]*?<\/tr>/.exec(balance)![0]);
    expect(iot).toContain('1.818 Pass');
    expect(iot).toContain('Revenue −20%: 1.165 Fail');
    const bonds = visibleText(section(res.text, 'table', 'bonds-by-year'));
    expect(bonds).toContain('807,500,000.00');
    expect(visibleText(section(res.text, 'p', 'bond-as-capital'))).toContain(
      '240,000,000.00 CNY of 807,500,000.00 CNY of bonds (29.72%; at most 25.00%)',
    );
    expect(res.text).toContain('data-chart="bonds"');
  });

  it('shows value for money per PPP project: PSC components, PPP value, VfM amount, index and verdict', async () => {
    const res = await get(`/portfolios/${portfolioId(BOND_HEAVY)}/fiscal`);
    const vfm = visibleText(section(res.text, 'table', 'vfm'));
    expect(vfm).toContain('Smart street-lighting energy retrofit');
    expect(vfm).toContain('352,000,000.00');
    expect(vfm).toContain('455,264,754.36');
    expect(vfm).toContain('-103,264,754.36');
    expect(vfm).toContain('-29.34%');
    expect(vfm).toContain('Fails');
    expect(vfm).toContain('Reference build cost');
    expect(vfm).toContain('Transferable risk');
  });

  it('lists every failing rule with its figure and citation, in Chinese by default', async () => {
    const res = await get(`/portfolios/${portfolioId(BOND_HEAVY)}/fiscal`, '');
    const failures = section(res.text, 'table', 'fiscal-failures');
    const water = visibleText(
      /<tr data-rule="sb-coverage" data-project="SC-WATER">[\s\S]*?<\/tr>/.exec(failures)![0],
    );
    expect(water).toContain('不通过');
    expect(water).toContain('0.982 < 1.2');
    expect(water).toContain('财预〔2017〕89号');
    expect(visibleText(res.text)).toContain('财政分析');
    expect(visibleText(res.text)).toContain('专项债券收益与融资自求平衡');
  });

  it('amounts follow the unit switch', async () => {
    const res = await get(`/portfolios/${portfolioId(PPP_HEAVY)}/fiscal`, 'lang=en; unit=yi');
    expect(cell(yearRow(res.text, 2032), 'data-breach')).toBe('1.6136');
    expect(card(res.text, 'breach')).toContain('1.6136 CNY 100 million over');
  });
});

describe('saving a what-if selection', () => {
  beforeEach(() => {
    t = makeApp();
    agent = request.agent(t.app);
  });

  const whatIfPage = async () => {
    const id = portfolioId(PPP_HEAVY);
    const target = scenarioId('SC-TRANSPORT', TRANSPORT_SUBSIDY);
    const res = await get(
      `/portfolios/${id}/fiscal?switch=${encodeURIComponent(`SC-TRANSPORT=${target}`)}`,
    );
    expect(res.status).toBe(200);
    return { id, fields: formFields(section(res.text, 'form', 'save-selection')) };
  };
  const post = (id: number, fields: Fields) =>
    agent
      .post(`/portfolios/${id}/fiscal/selection`)
      .set('Cookie', EN_YUAN)
      .type('form')
      .send(encodeForm(fields));

  it('saves the switched scenarios as the portfolio members (audited) and shows the portfolio without the breach', async () => {
    const { id, fields } = await whatIfPage();
    expect(fieldValue(fields, 'author')).toBeUndefined();
    // A posted author is ignored: the signed-in user is recorded.
    const res = await post(id, setField(fields, 'author', 'Wang Fang'));
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(`/portfolios/${id}/fiscal?saved=1`);
    expect(
      t.store.portfolios.get(id).members.find((m) => m.projectCode === 'SC-TRANSPORT')
        ?.scenarioName,
    ).toBe(TRANSPORT_SUBSIDY);
    const entry = t.store.audit.list({ entity: 'portfolio', entityId: id, limit: 1 })[0]!;
    expect(entry).toMatchObject({ action: 'update', actor: 'approver' });
    const page = await get(res.headers.location as string);
    expect(visibleText(page.text)).toContain("The selection was saved as the portfolio's members.");
    expect(section(page.text, 'table', 'affordability')).not.toContain('class="breach"');
    expect(cell(yearRow(page.text, 2032), 'data-ratio')).toContain('9.98%');
  });

  it('refuses the save without the form token (403) and saves nothing', async () => {
    const { id, fields } = await whatIfPage();
    const audit = t.store.audit.count();
    const res = await post(
      id,
      fields.filter(([n]) => n !== '_csrf'),
    );
    expect(res.status).toBe(403);
    expect(t.store.audit.count()).toBe(audit);
  });

  it('refuses a save when the portfolio changed since the page was shown (409), saving nothing', async () => {
    const { id, fields } = await whatIfPage();
    t.store.portfolios.update(id, { description: 'changed meanwhile' }, 'someone-else');
    const audit = t.store.audit.count();
    const res = await post(id, fields);
    expect(res.status).toBe(409);
    expect(visibleText(res.text)).toContain(
      'The portfolio was changed by someone else since this page was shown; nothing was saved.',
    );
    expect(t.store.audit.count()).toBe(audit);
  });
});

describe('fiscal settings page', () => {
  beforeEach(() => {
    t = makeApp();
    agent = request.agent(t.app);
  });

  const settingsUrl = () => `/portfolios/${portfolioId(PPP_HEAVY)}/fiscal/settings`;
  const open = async (
    form: 'settings-form' | 'thresholds-form' | 'clear-settings-form',
    cookies = EN_YUAN,
  ) => {
    const res = await get(settingsUrl(), cookies);
    expect(res.status).toBe(200);
    return formFields(section(res.text, 'form', form));
  };
  const post = (
    path: 'settings' | 'thresholds' | 'settings/clear',
    fields: Fields,
    cookies = EN_YUAN,
  ) =>
    agent
      .post(`/portfolios/${portfolioId(PPP_HEAVY)}/fiscal/${path}`)
      .set('Cookie', cookies)
      .type('form')
      .send(encodeForm(fields));
  /** The field (its `<div class="field" data-path>`) of one form key. */
  const fieldOf = (html: string, key: string) => {
    const start = html.indexOf(`data-path="${key}"`);
    if (start < 0) throw new Error(`no field ${key}`);
    const next = html.indexOf('data-path="', start + 10);
    return html.slice(start, next < 0 ? undefined : next);
  };
  const fieldError = (html: string, key: string) =>
    visibleText(/<p class="field-error"[^>]*>([\s\S]*?)<\/p>/.exec(fieldOf(html, key))?.[1] ?? '');

  it('shows the stored budget forecast, other obligations and thresholds of Demo City', async () => {
    const res = await get(settingsUrl());
    const settings = formFields(section(res.text, 'form', 'settings-form'));
    expect(settings).toContainEqual(['jurisdiction', '示范市 Demo City']);
    expect(settings).toContainEqual(['method', 'explicit']);
    expect(settings.find(([n]) => n === 'years')?.[1]).toContain('2032: 56120000000.00');
    expect(settings.find(([n]) => n === 'otherObligations')?.[1]).toContain('2032: 4710000000.00');
    const thresholds = formFields(section(res.text, 'form', 'thresholds-form'));
    expect(thresholds).toContainEqual(['affordabilityCap', '0.10']);
    expect(thresholds).toContainEqual(['maxConcessionYears', '40']);
    expect(visibleText(res.text)).toContain('Thresholds of 示范市 Demo City');
  });

  it('answers 422 with a message at each bad field and the values as typed; nothing is saved', async () => {
    const audit = t.store.audit.count();
    const fields = fill(await open('settings-form'), {
      method: 'growth',
      baseYear: '',
      baseAmountYuan: '-5',
      growth: '2',
      otherObligations: '2030: 12,000,000\n2030: 5',
    });
    const res = await post('settings', fields);
    expect(res.status).toBe(422);
    const form = section(res.text, 'form', 'settings-form');
    expect(visibleText(section(form, 'div', 'settings-errors'))).toBe(
      'Please correct 4 problem(s) and save again. Nothing was saved.',
    );
    expect(fieldError(form, 'baseYear')).toBe('This field is required');
    expect(fieldError(form, 'baseAmountYuan')).toContain(
      'Budget expenditure in the base year cannot be negative',
    );
    expect(fieldError(form, 'growth')).toBe(
      'Budget growth must be between -0.5 and 1 (a fraction: 0.05 means 5 %)',
    );
    expect(fieldError(form, 'otherObligations')).toBe('Entry 2: Year 2030 is listed twice');
    expect(fieldError(form, 'jurisdiction')).toBe('');
    expect(formFields(form)).toContainEqual(['baseAmountYuan', '-5']);
    expect(formFields(form)).toContainEqual(['otherObligations', '2030: 12,000,000\n2030: 5']);
    expect(fieldOf(form, 'growth')).toContain('aria-invalid="true"');
    expect(t.store.audit.count()).toBe(audit);
  });

  it('gives the field messages in Chinese on a Chinese page', async () => {
    const fields = fill(await open('settings-form', ''), {
      method: 'growth',
      baseYear: '2026',
      baseAmountYuan: '0',
      growth: '0.03',
      jurisdiction: '',
    });
    const res = await post('settings', fields, '');
    expect(res.status).toBe(422);
    const form = section(res.text, 'form', 'settings-form');
    expect(fieldError(form, 'baseAmountYuan')).toBe('基准年预算支出必须大于 0 元');
    expect(fieldError(form, 'jurisdiction')).toBe('此项必填');
  });

  it('saves a growth forecast (audited) and the fiscal page measures against it', async () => {
    const fields = fill(await open('settings-form'), {
      method: 'growth',
      baseYear: '2026',
      baseAmountYuan: '60,000,000,000',
      growth: '0.03',
      author: 'Zhao Min', // ignored: the signed-in user is recorded
      comment: 'new forecast',
    });
    const res = await post('settings', fields);
    expect(res.status).toBe(303);
    // The demo's three portfolios share Demo City's figures: the notice says so.
    expect(res.headers.location).toBe(`${settingsUrl()}?saved=jurisdiction`);
    const settings = t.store.fiscal.getSettings(portfolioId(PPP_HEAVY))!;
    expect(settings.budget).toEqual({
      method: 'growth',
      baseYear: 2026,
      baseAmountYuan: '60000000000',
      growth: '0.03',
    });
    const entry = t.store.audit.list({ entity: 'jurisdiction-fiscal', limit: 1 })[0]!;
    expect(entry).toMatchObject({
      action: 'update-fiscal-settings',
      actor: 'approver',
      details: expect.objectContaining({
        comment: 'new forecast',
        portfolioId: portfolioId(PPP_HEAVY),
      }),
    });
    const page = await get(res.headers.location as string);
    expect(visibleText(page.text)).toContain(
      "The jurisdiction's budget figures were saved and recorded in the audit log",
    );
    const log = visibleText(section(page.text, 'table', 'settings-audit'));
    expect(log).toContain('approver');
    expect(log).not.toContain('Zhao Min');
    const fiscal = await get(`/portfolios/${portfolioId(PPP_HEAVY)}/fiscal`);
    // 2032 budget: 60 bn × 1.03^6 (= 1.194052296529) = 71,643,137,791.74 → 8.06 %, no breach.
    expect(visibleText(yearRow(fiscal.text, 2032))).toContain('71,643,137,791.74');
    expect(cell(yearRow(fiscal.text, 2032), 'data-ratio')).toContain('8.06%');
    expect(section(fiscal.text, 'table', 'affordability')).not.toContain('class="breach"');
  });

  it('refuses a cap above the national 10 % (422, values kept, nothing written)', async () => {
    const audit = t.store.audit.count();
    const res = await post(
      'thresholds',
      fill(await open('thresholds-form'), { affordabilityCap: '0.12' }),
    );
    expect(res.status).toBe(422);
    const form = section(res.text, 'form', 'thresholds-form');
    expect(fieldError(form, 'affordabilityCap')).toBe(
      'A jurisdiction may lower the affordability cap but not raise it above the national 10 %',
    );
    expect(visibleText(section(form, 'div', 'thresholds-errors'))).toContain(
      'Please correct 1 problem(s)',
    );
    expect(formFields(form)).toContainEqual(['affordabilityCap', '0.12']);
    const years = await post(
      'thresholds',
      fill(await open('thresholds-form'), {
        maxConcessionYears: 'forty',
        'sector[smart-water]': '1.5',
      }),
    );
    expect(years.status).toBe(422);
    const again = section(years.text, 'form', 'thresholds-form');
    expect(fieldError(again, 'maxConcessionYears')).toBe('Enter a whole number');
    expect(fieldError(again, 'sector.smart-water')).toBe(
      'Minimum project capital ratio must be between 0 and 1 (a fraction: 0.05 means 5 %)',
    );
    expect(formFields(again)).toContainEqual(['maxConcessionYears', 'forty']);
    expect(again).toContain('<details class="section sector-overrides" open>');
    expect(t.store.audit.count()).toBe(audit);
  });

  it('refuses an emptied threshold instead of quietly using the national default', async () => {
    const fields = fill(await open('thresholds-form'), { newProjectLine: '' });
    const res = await post('thresholds', fields);
    expect(res.status).toBe(422);
    expect(fieldError(section(res.text, 'form', 'thresholds-form'), 'newProjectLine')).toBe(
      'This field is required',
    );
  });

  it('records a threshold change in the audit log and shows it in the change log; the fiscal page uses it', async () => {
    const fields = fill(await open('thresholds-form'), {
      affordabilityCap: '0.08',
      'sector[smart-water]': '0.3',
      author: 'Li Wei', // ignored: the signed-in user is recorded
      comment: 'local cap from the 2027 budget law',
    });
    const res = await post('thresholds', fields);
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(`${settingsUrl()}?saved=thresholds`);
    const stored = t.store.fiscal.getJurisdiction('示范市 Demo City')!;
    expect(stored.thresholds.affordabilityCap).toBe('0.08');
    expect(stored.thresholds.minCapitalRatioBySector['smart-water']).toBe('0.3');
    const entry = t.store.audit.list({ entity: 'jurisdiction', entityId: stored.id, limit: 1 })[0]!;
    expect(entry).toMatchObject({ action: 'update-thresholds', actor: 'approver' });
    expect(entry.details.changes).toEqual(
      expect.arrayContaining([
        { path: 'affordabilityCap', kind: 'changed', before: '0.10', after: '0.08' },
        expect.objectContaining({ path: 'minCapitalRatioBySector.smart-water', after: '0.3' }),
      ]),
    );
    const page = await get(res.headers.location as string);
    const log = visibleText(section(page.text, 'table', 'settings-audit'));
    expect(log).toContain('approver');
    expect(log).not.toContain('Li Wei');
    expect(log).toContain('Thresholds of 示范市 Demo City');
    expect(log).toContain('Affordability cap: 10.00% → 8.00%');
    expect(log).toContain('Minimum project capital ratio · Smart water: — → 30.00%');
    expect(log).toContain('local cap from the 2027 budget law');
    const fiscal = await get(`/portfolios/${portfolioId(BOND_HEAVY)}/fiscal`);
    expect(visibleText(fiscal.text)).toContain('cap 8.00%');
    // At 8 % the bond-heavy plan (9.85 % at its 2032 peak) is over the cap from 2022 (8.64 %) to 2035 (8.78 %).
    expect(card(fiscal.text, 'breach')).toContain('2022–2035');
  });

  it('a portfolio without settings: the fiscal page asks for a budget; saving one from the settings page creates them', async () => {
    const plan = t.store.portfolios.create(
      {
        name: 'Two projects',
        members: [
          { projectCode: 'SC-TRANSPORT', scenarioName: 'PPP 可用性付费 Availability PPP' },
          { projectCode: 'SC-WATER', scenarioName: '专项债+预算 Bond + budget' },
        ],
      },
      'test',
    );
    const page = await get(`/portfolios/${plan.id}/fiscal`);
    expect(page.status).toBe(200);
    expect(visibleText(section(page.text, 'section', 'no-budget'))).toContain(
      'This portfolio has no budget forecast yet.',
    );
    expect(page.text).not.toContain('id="affordability"');
    // Bonds, self-balance and failures do not need a budget.
    expect(page.text).toContain('id="self-balance"');
    const settings = await get(`/portfolios/${plan.id}/fiscal/settings`);
    expect(visibleText(settings.text)).toContain('Not set yet.');
    const fields = fill(formFields(section(settings.text, 'form', 'settings-form')), {
      baseYear: '2020',
      baseAmountYuan: '40000000000',
      growth: '0.03',
    });
    // The jurisdiction all its projects name is proposed.
    expect(fields).toContainEqual(['jurisdiction', '示范市 Demo City']);
    const res = await agent
      .post(`/portfolios/${plan.id}/fiscal/settings`)
      .set('Cookie', EN_YUAN)
      .type('form')
      .send(encodeForm(fields));
    expect(res.status).toBe(303);
    const after = await get(`/portfolios/${plan.id}/fiscal`);
    expect(after.text).toContain('id="affordability"');
    expect(
      t.store.audit.list({ entity: 'portfolio-fiscal', entityId: plan.id, limit: 1 })[0]?.actor,
    ).toBe('approver');
  });

  it('refuses a settings post without the form token (403)', async () => {
    const fields = await open('settings-form');
    const res = await post(
      'settings',
      fields.filter(([n]) => n !== '_csrf'),
    );
    expect(res.status).toBe(403);
  });

  describe('clearing the budget settings', () => {
    const clear = (fields: Fields, cookies = EN_YUAN) => post('settings/clear', fields, cookies);

    it('offers a form with a token, an unticked confirmation and the comment (no author: the signed-in user is)', async () => {
      const fields = await open('clear-settings-form');
      expect(fields.map(([n]) => n)).toEqual(['_csrf', 'confirm', 'comment']);
      // Only the hidden "false" is sent until the box is ticked.
      expect(fieldValue(fields, 'confirm')).toBe('false');
      expect(fieldValue(fields, '_csrf')).toMatch(/\S{20,}/);
    });

    it('refuses without the box ticked (422 at the box), keeping what was typed; nothing is removed', async () => {
      const audit = t.store.audit.count();
      const res = await clear(
        fill(await open('clear-settings-form'), { comment: 'new budget law' }),
      );
      expect(res.status).toBe(422);
      const form = section(res.text, 'form', 'clear-settings-form');
      expect(visibleText(section(form, 'div', 'clear-errors'))).toBe(
        'Please correct 1 problem(s) and save again. Nothing was saved.',
      );
      expect(fieldError(form, 'confirm')).toBe('Tick the box to confirm');
      expect(formFields(form)).toContainEqual(['comment', 'new budget law']);
      expect(t.store.fiscal.getSettings(portfolioId(PPP_HEAVY))).not.toBeNull();
      expect(t.store.audit.count()).toBe(audit);
      const zh = await clear(await open('clear-settings-form', ''), '');
      expect(fieldError(section(zh.text, 'form', 'clear-settings-form'), 'confirm')).toBe(
        '请勾选确认框',
      );
    });

    it('removes the settings when confirmed, audited with the signed-in user (a posted author ignored) and the comment; the fiscal page asks for a budget again', async () => {
      const id = portfolioId(PPP_HEAVY);
      const res = await clear(
        fill(await open('clear-settings-form'), {
          confirm: 'true',
          author: 'Li Wei', // ignored
          comment: 'new budget law',
        }),
      );
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe(`${settingsUrl()}?saved=cleared`);
      expect(t.store.fiscal.getSettings(id)).toBeNull();
      const entry = t.store.audit.list({ entity: 'portfolio-fiscal', entityId: id, limit: 1 })[0]!;
      expect(entry).toMatchObject({
        action: 'clear-fiscal-settings',
        actor: 'approver',
        details: expect.objectContaining({ comment: 'new budget law', state: null }),
      });
      const page = await get(res.headers.location as string);
      expect(visibleText(page.text)).toContain(
        'The budget settings were cleared and the change recorded in the audit log.',
      );
      expect(visibleText(section(page.text, 'table', 'settings-audit'))).toContain(
        'Budget settings removed',
      );
      expect(page.text).not.toContain('id="clear-settings-form"');
      expect(visibleText(page.text)).toContain('Not set yet.');
      const fiscal = await get(`/portfolios/${id}/fiscal`);
      expect(visibleText(section(fiscal.text, 'section', 'no-budget'))).toContain(
        'This portfolio has no budget forecast yet.',
      );
    });

    it('refuses a post without the form token (403) and answers 404 for an unknown portfolio', async () => {
      const fields = fill(await open('clear-settings-form'), { confirm: 'true' });
      expect((await clear(fields.filter(([n]) => n !== '_csrf'))).status).toBe(403);
      expect(t.store.fiscal.getSettings(portfolioId(PPP_HEAVY))).not.toBeNull();
      const unknown = await agent
        .post('/portfolios/999/fiscal/settings/clear')
        .set('Cookie', EN_YUAN)
        .type('form')
        .send(encodeForm(fields));
      expect(unknown.status).toBe(404);
    });
  });
});

describe('checklists on the dashboard, project and results pages', () => {
  beforeAll(() => {
    t = makeApp();
    agent = request.agent(t.app);
  });

  it('dashboard: the peak PPP ratio with the breach years, failing checks by project and in all', async () => {
    const res = await get(`/?portfolio=${portfolioId(PPP_HEAVY)}`);
    expect(res.status).toBe(200);
    const text = visibleText(res.text);
    expect(text).toContain('Peak PPP ratio 10.29% over the 10.00% cap in 2029–2033');
    // 11 since engine 1.2.0 (SC-PUBLIC-DATA also fails nm2023-user-pays); 12 since the water concession joined the plan (the 10 % cap).
    expect(text).toContain('Failing rule checks 12 in 7 project(s)');
    const rows = section(res.text, 'table', 'portfolio-projects');
    const transport = /<tr>(?:(?!<tr>)[\s\S])*?SC-TRANSPORT[\s\S]*?<\/tr>/.exec(rows)![0];
    expect(
      visibleText(/<td class="badges" data-checks>([\s\S]*?)<\/td>/.exec(transport)![1]!),
    ).toBe('2 failed');
    expect(transport).toContain(
      'title="Fiscal affordability: the 10 % cap · No new government-pay projects above 5 %"',
    );
    const community = /<tr>(?:(?!<tr>)[\s\S])*?SC-COMMUNITY[\s\S]*?<\/tr>/.exec(rows)![0];
    expect(
      visibleText(/<td class="badges" data-checks>([\s\S]*?)<\/td>/.exec(community)![1]!),
    ).toBe('all pass');
    expect(res.text).toContain(`href="/portfolios/${portfolioId(PPP_HEAVY)}/fiscal"`);
  });

  it('project page: the failing rules of each scenario, with the figure that decided them', async () => {
    const res = await get('/projects/SC-WATER');
    expect(res.status).toBe(200);
    const checks = section(res.text, 'table', 'project-checks');
    const bond = scenarioId('SC-WATER', '专项债+预算 Bond + budget');
    const rows = [
      ...checks.matchAll(new RegExp(`<tr data-scenario="${bond}">[\\s\\S]*?</tr>`, 'g')),
    ].map((m) => visibleText(m[0]));
    expect(rows).toHaveLength(2);
    expect(rows[0]).toContain('Special-bond coverage ratio');
    expect(rows[0]).toContain('0.982 < 1.2; 209,977,824.42');
    expect(rows[1]).toContain('33.33 % > 25.00 %');
    const half = scenarioId('SC-WATER', '专项债50%+预算 Bond 50 % + budget');
    expect(
      visibleText(new RegExp(`<tr data-scenario="${half}">[\\s\\S]*?</tr>`).exec(checks)![0]),
    ).toContain('No rule fails.');
    expect(visibleText(/<tr data-row="checks">[\s\S]*?<\/tr>/.exec(res.text)![0])).toContain(
      '2 failed',
    );
  });

  it('project page: the 10 % cap is judged in the portfolio that uses the scenario', async () => {
    const res = await get('/projects/SC-TRANSPORT');
    const availability = scenarioId('SC-TRANSPORT', 'PPP 可用性付费 Availability PPP');
    const rows = [
      ...section(res.text, 'table', 'project-checks').matchAll(
        new RegExp(`<tr data-scenario="${availability}">[\\s\\S]*?</tr>`, 'g'),
      ),
    ].map((m) => visibleText(m[0]));
    expect(
      rows.some(
        (r) =>
          r.includes('Fiscal affordability: the 10 % cap') &&
          r.includes('10.29 % (2032) > 10.00 %'),
      ),
    ).toBe(true);
  });

  it('results page: the checklist with status, figure, detail, citation and rule set; bond self-balance with stress', async () => {
    const res = await get(`/scenarios/${scenarioId('SC-WATER', '专项债+预算 Bond + budget')}`);
    expect(res.status).toBe(200);
    const checklist = section(res.text, 'table', 'checklist');
    const coverage = visibleText(
      /<tr data-rule="sb-coverage" data-status="fail"[\s\S]*?<\/tr>/.exec(checklist)![0],
    );
    expect(coverage).toContain('Special-bond coverage ratio');
    expect(coverage).toContain('Special-purpose bond rules');
    expect(coverage).toContain('Fail');
    expect(coverage).toContain('0.982 < 1.2; 209,977,824.42');
    expect(coverage).toContain('财预〔2017〕89号');
    expect(checklist).toContain('data-rule="sb-min-capital-ratio" data-status="pass"');
    expect(section(res.text, 'table', 'checklist-na')).toContain('data-status="not-applicable"');
    const balance = visibleText(section(res.text, 'div', 'results-self-balance'));
    expect(balance).toContain('Coverage 0.982 Fail');
    expect(balance).toContain('Shortfall 209,977,824.42');
    expect(balance).toContain('Revenue −10% 0.836 Fail');
    expect(visibleText(section(res.text, 'section', 'compliance'))).toContain(
      'Compliance checklist 2 failed',
    );
  });

  it('results page: a PPP scenario shows its value for money and the cap as judged in its portfolio', async () => {
    const res = await get(
      `/scenarios/${scenarioId('SC-TRANSPORT', 'PPP 可用性付费 Availability PPP')}`,
    );
    const compliance = section(res.text, 'section', 'compliance');
    const text = visibleText(compliance);
    expect(text).toContain('Compliance checklist 2 failed');
    expect(text).toContain(`Judged in the portfolio ${PPP_HEAVY}`);
    expect(text).toContain('10.29 % (2032) > 10.00 %');
    expect(visibleText(section(res.text, 'div', 'results-vfm'))).toContain('Passes');
  });

  it('results page of a government-funded scenario: no rule applies, all folded away', async () => {
    const res = await get(`/scenarios/${scenarioId('SC-DATA-BASE', '财政预算 Budget-funded')}`);
    const compliance = section(res.text, 'section', 'compliance');
    expect(visibleText(compliance)).toContain('Compliance checklist no rule applies');
    expect(compliance).not.toContain('id="checklist"');
    expect(compliance).toContain('id="checklist-na"');
  });
});
