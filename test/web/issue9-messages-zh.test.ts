import request from 'supertest';
import { ValidationError } from '../../src/domain/errors';
import { parseScenario } from '../../src/domain/scenario/parse';
import type { ScenarioInput } from '../../src/domain/scenario/schema';
import { localizeIssue } from '../../src/web/i18n/issues';
import { smallInput } from '../helpers/scenarios';
import { demoCityInput } from './support/accounts';
import { makeApp } from './support/app';
import { encodeForm, fill, formFields, section } from './support/html';

/**
 * The validation messages of issue 9's new blocks (indirect taxes, equity waterfall, draw timing,
 * ownership, DSRA funding) on a Chinese page: found by the browser test of format v2, they were
 * shown in English (or with an English subject inside a Chinese sentence).
 */

/** The messages of a scenario with every new block filled in wrongly. */
function badIssues(): ValidationError['issues'] {
  const input = smallInput((s) => {
    const x = s as ScenarioInput & Record<string, unknown>;
    x.indirectTax = {
      capexInputRate: '0.3',
      opexInputRate: '0.3',
      availabilityPaymentRate: '0.3',
      operatingSubsidyRate: '0.3',
      urbanMaintenanceRate: '0.3' as '0.07',
      educationRate: '0.3',
      localEducationRate: '0.3',
    };
    (s.revenues![0] as Record<string, unknown>).vatRate = '0.3';
    s.funding.waterfall = {
      preferredSourceIds: ['nope', 'loan', 'eq', 'eq'],
      preferredRate: '0.9',
    };
    (s.funding.sources[0] as Record<string, unknown>).drawTiming = 'mid-year';
    (s.funding.sources[1] as Record<string, unknown>).ownership = 'private';
    (s.funding.sources[1] as Record<string, unknown>).drawTiming = 'soon';
    x.reserves = { dsra: { months: 6, funding: 'bank' as 'cfads' } };
  });
  try {
    parseScenario(input);
  } catch (err) {
    if (err instanceof ValidationError) return err.issues;
    throw err;
  }
  throw new Error('expected the scenario to be refused');
}

describe('issue 9 blocks: validation messages in Chinese', () => {
  it('translates every message of the badly filled new blocks (only quoted ids stay in Latin letters)', () => {
    const issues = badIssues();
    const paths = issues.map((i) => i.path);
    for (const p of [
      'indirectTax.capexInputRate',
      'indirectTax.urbanMaintenanceRate',
      'indirectTax.localEducationRate',
      'revenues[0].vatRate',
      'funding.waterfall.preferredRate',
      'funding.waterfall.preferredSourceIds',
      'funding.sources[0].drawTiming',
      'funding.sources[1].drawTiming',
      'funding.sources[1].ownership',
      'reserves.dsra.funding',
    ])
      expect(paths).toContain(p);
    const untranslated = issues
      .map((i) => [i.path, localizeIssue(i.message, 'zh')])
      .filter(([, zh]) => /[A-Za-z]{3,}/.test(zh!.replace(/“[^”]*”/g, '')));
    expect(untranslated).toEqual([]);
  });

  it.each([
    [
      'Input VAT rate on capex must be between 0 and 0.2 (a fraction: 0.05 means 5 %)',
      '建设投资进项税率应在 0 到 0.2 之间（填小数：0.05 表示 5%）',
    ],
    [
      'Preferred return rate must be between 0 and 0.5 (a fraction: 0.05 means 5 %)',
      '年优先回报率应在 0 到 0.5 之间（填小数：0.05 表示 5%）',
    ],
    [
      'Every equity source is preferred: leave at least one to take the remainder',
      '所有股权资金均列为优先级：须至少留一个股权资金来源分配剩余收益',
    ],
    ['There is no funding source "fund"', '没有编号为“fund”的资金来源'],
    [
      'Source "bank" is not equity: only equity holders take part in the waterfall',
      '资金来源“bank”不是股权资金：只有股东参与分配顺序',
    ],
  ])('%s', (message, zh) => {
    expect(localizeIssue(message, 'zh')).toBe(zh);
    expect(localizeIssue(message, 'en')).toBe(message);
  });

  it('shows them in Chinese at their fields in the editor (422), the form kept', async () => {
    const t = makeApp({ demo: false });
    const agent = request.agent(t.app);
    const id = t.store.scenarios.save(demoCityInput(), { actor: 'setup' }).scenario.id;
    const form = await agent.get(`/scenarios/${id}/edit`).set('Cookie', 'lang=zh');
    const fields = fill(formFields(section(form.text, 'form', 'editor')), {
      'indirectTax[on]': 'true',
      'indirectTax[capexInputRate]': '0.3',
      'funding[waterfall][preferredSourceIds]': 'eq',
      'funding[waterfall][preferredRate]': '0.05',
    });
    const res = await agent
      .post('/editor')
      .set('Cookie', 'lang=zh')
      .type('form')
      .send(encodeForm([...fields, ['action', 'save']]));
    expect(res.status).toBe(422);
    const errorAt = (id: string) =>
      new RegExp(`<p class="field-error" id="${id}-error">([^<]*)</p>`).exec(res.text)?.[1];
    expect(errorAt('f-indirectTax-capexInputRate')).toBe(
      '建设投资进项税率应在 0 到 0.2 之间（填小数：0.05 表示 5%）',
    );
    expect(errorAt('f-funding-waterfall-preferredSourceIds')).toBe(
      '所有股权资金均列为优先级：须至少留一个股权资金来源分配剩余收益',
    );
    expect(res.text).toMatch(/id="f-indirectTax-capexInputRate"[^>]*value="0\.3"/);
    expect(t.store.scenarios.getById(id).currentVersionNo).toBe(1);
  });
});
