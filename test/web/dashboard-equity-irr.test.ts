import request from 'supertest';
import { equityIrrText } from '../../src/web/view-models/dashboard';
import { translator } from '../../src/web/i18n';
import { makeApp, type TestApp } from './support/app';
import { section, visibleText } from './support/html';
import { PPP_HEAVY } from '../helpers/demo-names';

/**
 * The dashboard's equity-IRR column (issue 9, equity waterfall): one cell per scenario. With a
 * waterfall the holders' IRRs differ, so the cell shows their range, lowest first; otherwise the
 * single figure. The demo's smart-water concession (data/demo/README.md, "Doing it itself or as a
 * PPP: smart water") has a capped 3.5 % preferred guided fund beside a private water company:
 * 3.49 % and 7.70 % (asserted from the engine in test/data/demo.test.ts).
 */

let t: TestApp;
beforeAll(() => {
  t = makeApp();
});

/** The visible text of the equity-IRR cell in the row of project `code`. */
function equityIrrCell(html: string, code: string): string {
  const rows = section(html, 'table', 'portfolio-projects');
  const row = new RegExp(`<tr>(?:(?!<tr>)[\\s\\S])*?${code}[\\s\\S]*?</tr>`).exec(rows)![0];
  return visibleText(/<td class="num" data-equity-irr>([\s\S]*?)<\/td>/.exec(row)![1]!);
}

async function dashboard(lang: 'en' | 'zh'): Promise<string> {
  const id = t.store.portfolios.getByName(PPP_HEAVY).id;
  const res = await request(t.app)
    .get(`/?portfolio=${id}`)
    .set('Cookie', `lang=${lang}; unit=yuan`);
  expect(res.status).toBe(200);
  return res.text;
}

describe('dashboard: equity IRR', () => {
  it('shows the range of the holders’ IRRs, lowest first, for the water concession’s waterfall (English)', async () => {
    expect(equityIrrCell(await dashboard('en'), 'SC-WATER')).toBe('3.49% – 7.70%');
  });

  it('shows the range in Chinese too', async () => {
    expect(equityIrrCell(await dashboard('zh'), 'SC-WATER')).toBe('3.49% 至 7.70%');
  });

  it('shows one figure when the holders are paid pro rata (transport: government and partner equity, 4.38 %) and a dash without equity', async () => {
    const html = await dashboard('en');
    expect(equityIrrCell(html, 'SC-TRANSPORT')).toBe('4.38%');
    expect(equityIrrCell(html, 'SC-DATA-BASE')).toBe('—');
  });
});

describe('equityIrrText', () => {
  const en = translator('en');
  const ok = (rate: string) => ({
    irr: { status: 'ok' as const, rate, multiple: false, roots: [rate] },
  });
  const none = { irr: { status: 'no-solution' as const, rate: null, multiple: false, roots: [] } };

  it('orders the range lowest first whatever the holders’ order', () => {
    expect(equityIrrText([ok('0.0731'), ok('0.0399')], 'en', en)).toBe('3.99% – 7.31%');
  });

  it('shows one figure when the IRRs read the same at two decimals', () => {
    expect(equityIrrText([ok('0.07701'), ok('0.07704')], 'en', en)).toBe('7.70%');
  });

  it('leaves out holders whose IRR has no solution; says so when none has one', () => {
    expect(equityIrrText([none, ok('0.05'), ok('0.08')], 'en', en)).toBe('5.00% – 8.00%');
    expect(equityIrrText([none, none], 'en', en)).toBe(en('metric.irrNone'));
    expect(equityIrrText([], 'en', en)).toBe('—');
  });
});
