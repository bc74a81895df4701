import request from 'supertest';
import { makeApp, type TestApp } from './support/app';
import { section, visibleText } from './support/html';
import { smallInput } from '../helpers/scenarios';
import { demoCityInput } from './support/accounts';
import { diffJson } from '../../src/store/json-diff';
import { translator } from '../../src/web/i18n';
import { readableChanges } from '../../src/web/view-models/readable-diff';

/**
 * Issue 10: the history page says each input change as a person would, in the page's language,
 * with the JSON path kept as small secondary text.
 *
 * v1: 项目资本金 400,000 + 银团贷款 600,000 at 0.038 (commercial bank loan), one stream, concession.
 * v2: 500,000 + 500,000 at 0.028 (policy-bank loan), a stream 停车收费 added, PPP delivery.
 * In 万元 the amounts read 40.00 → 50.00 and 60.00 → 50.00 (÷ 10,000, 2 places); the rate
 * 0.038 reads 3.80%, 0.028 reads 2.80% (× 100, 2 places, as the app writes percentages).
 */
let t: TestApp;
let id: number;
beforeAll(() => {
  t = makeApp({ demo: false });
  const names = (s: ReturnType<typeof smallInput>) => {
    s.funding.sources[0]!.name = '项目资本金';
    s.funding.sources[1]!.name = '银团贷款';
    s.funding.sources[1]!.debt!.annualRate = '0.038';
  };
  id = t.store.scenarios.save(demoCityInput(names), { actor: '张三', comment: 'first' }).scenario
    .id;
  t.store.scenarios.save(
    demoCityInput((s) => {
      names(s);
      const loan = s.funding.sources[1]!;
      s.funding.sources[0]!.amountYuan = '500000';
      loan.amountYuan = '500000';
      loan.type = 'policy-bank-loan';
      loan.debt!.annualRate = '0.028';
      s.revenues!.push({ kind: 'other', name: '停车收费', annualYuan: '50000' });
      s.scenario.delivery = 'ppp';
    }),
    { actor: '李四', comment: 'cheaper loan' },
  );
  // v3: capex 1,000,000 → 1,100,000 (equity 500,000 → 600,000), 停车收费 removed, a major
  // maintenance of 80,000 in operation year 2 added. In 亿元 (4 places): 0.0100 → 0.0110,
  // 0.0050 → 0.0060, 0.0008.
  t.store.scenarios.save(
    demoCityInput((s) => {
      names(s);
      const loan = s.funding.sources[1]!;
      s.capex.scheduleYuan = ['1100000'];
      s.funding.sources[0]!.amountYuan = '600000';
      loan.amountYuan = '500000';
      loan.type = 'policy-bank-loan';
      loan.debt!.annualRate = '0.028';
      s.scenario.delivery = 'ppp';
      s.reserves = { maintenance: [{ year: 2, amountYuan: '80000' }] };
    }),
    { actor: '王五', comment: 'bigger build, maintenance' },
  );
});

/** The visible sentence of each change, and the paths kept beside them. */
async function diffLines(
  cookie: string,
  query = '',
): Promise<{ lines: string[]; paths: string[] }> {
  const res = await request(t.app).get(`/scenarios/${id}/history${query}`).set('Cookie', cookie);
  expect(res.status).toBe(200);
  const list = section(res.text, 'ul', 'input-diff');
  return {
    lines: [...list.matchAll(/<span class="diff-text">([\s\S]*?)<\/span>/g)].map((m) =>
      visibleText(m[1] as string),
    ),
    paths: [...list.matchAll(/<li data-path="([^"]*)"/g)].map((m) => m[1] as string),
  };
}

describe('readable differences between versions', () => {
  it('says each change in Chinese, amounts in 万元, with the JSON path kept', async () => {
    const [v1, v2] = t.store.scenarios.versions(id).map((v) => v.id);
    const { lines, paths } = await diffLines('lang=zh; unit=wan', `?from=${v1}&to=${v2}`);
    expect(lines).toEqual([
      '项目资本金 · 金额（万元） 40.00 → 50.00',
      '银团贷款 · 金额（万元） 60.00 → 50.00',
      '银团贷款 · 年利率 3.80% → 2.80%',
      '银团贷款 · 资金工具 商业银行贷款 → 政策性银行贷款',
      '新增：停车收费',
      '实施方式（本方案） 特许经营 → PPP',
    ]);
    expect(paths).toEqual([
      'funding.sources[0].amountYuan',
      'funding.sources[1].amountYuan',
      'funding.sources[1].debt.annualRate',
      'funding.sources[1].type',
      'revenues[1]',
      'scenario.delivery',
    ]);
  });

  it('says the same in English, amounts in yuan', async () => {
    const [v1, v2] = t.store.scenarios.versions(id).map((v) => v.id);
    const { lines } = await diffLines('lang=en; unit=yuan', `?from=${v1}&to=${v2}`);
    expect(lines).toEqual([
      '项目资本金 · Amount (CNY) 400,000.00 → 500,000.00',
      '银团贷款 · Amount (CNY) 600,000.00 → 500,000.00',
      '银团贷款 · Interest rate 3.80% → 2.80%',
      '银团贷款 · Instrument Commercial bank loan → Policy-bank loan',
      'added: 停车收费',
      'Delivery model (of this scenario) Concession → PPP',
    ]);
  });

  it('names a capex year by its calendar year and a maintenance line by its operation year', async () => {
    expect((await diffLines('lang=zh; unit=yi')).lines).toEqual([
      '2026 年投资（亿元） 0.0100 → 0.0110',
      '项目资本金 · 金额（亿元） 0.0050 → 0.0060',
      '大修支出（按运营年度） · 运营第 2 年（亿元） — → 0.0008',
      '删除：停车收费',
    ]);
    expect((await diffLines('lang=en; unit=wan')).lines).toEqual([
      'Capex 2026 (CNY 10,000) 100.00 → 110.00',
      '项目资本金 · Amount (CNY 10,000) 50.00 → 60.00',
      'Major maintenance by operation year · operation year 2 (CNY 10,000) — → 8.00',
      'removed: 停车收费',
    ]);
  });

  it('says yes/no, choices by their labels, list entries by number, and short labels with their group', () => {
    const a = {
      government: { availabilityPayment: { includeOperatingCost: true, method: 'annuity' } },
      revenues: [{ kind: 'user-fee', name: '水费', rampUp: ['0.6', '0.8'] }],
    };
    const b = {
      government: { availabilityPayment: { includeOperatingCost: false, method: 'annuity' } },
      revenues: [{ kind: 'user-fee', name: '水费', rampUp: ['0.5', '0.8'] }],
    };
    const say = (lang: 'zh' | 'en') =>
      readableChanges(diffJson(a, b), { before: a, after: b }, lang, 'yuan', translator(lang));
    expect(say('zh').map((c) => c.text)).toEqual([
      '可用性付费 · 包含运营成本 是 → 否',
      '水费 · 爬坡系数 1 0.6 → 0.5',
    ]);
    expect(say('en')).toEqual([
      {
        text: 'Availability payment · Include operating cost Yes → No',
        path: 'government.availabilityPayment.includeOperatingCost',
      },
      { text: '水费 · Ramp-up 1 0.6 → 0.5', path: 'revenues[0].rampUp[0]' },
    ]);
  });

  it('follows funding sources by id: one inserted in front is one addition, a removal is named from before, a reorder is said', () => {
    const eq = { id: 'eq', name: '资本金', amountYuan: '400000' };
    const loan = { id: 'loan', name: '银团贷款', amountYuan: '600000' };
    const bond = { id: 'bond', name: '专项债', amountYuan: '200000' };
    const v1 = { funding: { sources: [eq, loan] } };
    const v2 = { funding: { sources: [bond, eq, { ...loan, amountYuan: '400000' }] } };
    const say = (a: unknown, b: unknown, lang: 'zh' | 'en' = 'zh') =>
      readableChanges(diffJson(a, b), { before: a, after: b }, lang, 'wan', translator(lang));
    // By position this read as three changed amounts and names plus an addition at the end.
    expect(say(v1, v2)).toEqual([
      { text: '新增：专项债', path: 'funding.sources[0]' },
      { text: '银团贷款 · 金额（万元） 60.00 → 40.00', path: 'funding.sources[2].amountYuan' },
    ]);
    // Removing the first source: named from the earlier version, the rest unchanged.
    expect(say(v2, { funding: { sources: [eq, { ...loan, amountYuan: '400000' }] } })).toEqual([
      { text: '删除：专项债', path: 'funding.sources[0]' },
    ]);
    // Same sources in another order.
    expect(say(v1, { funding: { sources: [loan, eq] } }, 'en')).toEqual([
      {
        text: 'Order of Funding sources: 资本金, 银团贷款 → 银团贷款, 资本金',
        path: 'funding.sources',
      },
    ]);
    expect(diffJson(v1, { funding: { sources: [loan, eq] } })).toEqual([
      { path: 'funding.sources', kind: 'changed', before: ['eq', 'loan'], after: ['loan', 'eq'] },
    ]);
  });
});
