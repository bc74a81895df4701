import request from 'supertest';
import ExcelJS from 'exceljs';
import { Decimal } from 'decimal.js';
import { CITY_COST_COLUMNS } from '../../src/domain/fiscal/city-cost';
import { makeApp, type TestApp } from '../web/support/app';
import { computed, recomputeWithLibreOffice } from './libreoffice';
import { BOND_HEAVY } from '../helpers/demo-names';

/**
 * Portfolio workbooks (issue 13): the cost to the city, the comparison of scenarios and the
 * dashboard's project table as .xlsx, every formula cell recomputed by LibreOffice (one soffice
 * run for all) and compared with the figures the API gives for the page: money to the fen,
 * shares and ratios within 1e-9.
 */
const EN = 'lang=en; unit=wan';
const ZH = 'lang=zh; unit=yi';

let t: TestApp;
let books: Record<string, ExcelJS.Workbook>;
let originals: Record<string, ExcelJS.Workbook>;
let cityCost: CityCostJson;
let portfolioId: number;
let compared: number[];
let filingId: number;

interface Side {
  chargedYuan: string;
  budgetYuan: string | null;
  share: string | null;
  headroomYuan: string | null;
}
interface Issuance {
  issuedYuan: string;
  quotaYuan: string | null;
  headroomYuan: string | null;
  overYuan: string;
}
interface CityCostJson {
  report: {
    rows: Array<{
      year: number;
      columns: Record<string, string>;
      totalYuan: string;
      general: Side;
      fund: Side;
      specialIssuance: Issuance;
      generalIssuance: Issuance;
    }>;
    totals: Record<string, string>;
  };
}

const binary = (url: string, cookie: string) =>
  request(t.app)
    .get(url)
    .set('Cookie', cookie)
    .buffer(true)
    .parse((res, cb) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => cb(null, Buffer.concat(chunks)));
    });

async function download(url: string, cookie: string): Promise<Buffer> {
  const res = await binary(url, cookie);
  expect(res.status).toBe(200);
  expect(res.headers['content-type']).toBe(
    'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  );
  return res.body as Buffer;
}

const fen = (v: unknown) => new Decimal(String(v)).toFixed(2);
const near = (v: unknown, want: string) =>
  expect(Math.abs(Number(v) - Number(want))).toBeLessThan(1e-9);

/** The demo's bond-heavy portfolio with a government-fund budget and quotas, one year over. */
async function withFundBudgetAndQuotas(): Promise<void> {
  const before = await request(t.app)
    .get(`/api/v1/portfolios/${portfolioId}/city-cost`)
    .set('Cookie', EN);
  const issuing = (before.body.cityCost as CityCostJson).report.rows.filter((r) =>
    new Decimal(r.specialIssuance.issuedYuan).gt(0),
  );
  expect(issuing.length).toBeGreaterThanOrEqual(2);
  const [first, second] = issuing as [(typeof issuing)[0], (typeof issuing)[0]];
  const { jurisdiction, budget, otherObligations } = t.store.fiscal.getSettings(portfolioId)!;
  t.store.fiscal.setSettings(
    portfolioId,
    {
      jurisdiction,
      budget,
      otherObligations,
      fundBudget: { method: 'growth', baseYear: 2026, baseAmountYuan: '150000000', growth: '0.03' },
      bondQuotas: [
        {
          year: first.year,
          specialBondYuan: new Decimal(first.specialIssuance.issuedYuan).div(2).toFixed(2),
          generalBondYuan: '0',
        },
        {
          year: second.year,
          specialBondYuan: new Decimal(second.specialIssuance.issuedYuan).times(2).toFixed(2),
          generalBondYuan: '1000000',
        },
      ],
    },
    'approver',
  );
}

beforeAll(async () => {
  t = makeApp();
  portfolioId = t.store.portfolios.getByName(BOND_HEAVY).id;
  await withFundBudgetAndQuotas();
  filingId = t.store.db.prepare('SELECT MIN(id) FROM filings').pluck().get() as number;
  // Three scenarios of different projects: with and without debt, an IRR each or not.
  const members = t.store.portfolios.get(portfolioId).members;
  compared = [0, 1, 2].map(
    (i) =>
      t.store.scenarios
        .list({ projectCode: members[i]!.projectCode })
        .find((s) => s.name === members[i]!.scenarioName)!.id,
  );
  const api = await request(t.app)
    .get(`/api/v1/portfolios/${portfolioId}/city-cost`)
    .set('Cookie', EN);
  cityCost = api.body.cityCost as CityCostJson;
  const files: Record<string, Buffer> = {
    cityEn: await download(`/portfolios/${portfolioId}/city-cost.xlsx`, EN),
    cityZh: await download(
      `/api/v1/portfolios/${portfolioId}/city-cost.xlsx?lang=zh&unit=yuan`,
      'lang=en',
    ),
    compare: await download(`/compare.xlsx?${compared.map((id) => `s=${id}`).join('&')}`, EN),
    dashboard: await download(`/portfolios/${portfolioId}/dashboard.xlsx`, ZH),
    filing: await download(`/filings/${filingId}/report.xlsx`, EN),
  };
  originals = {};
  for (const [name, bytes] of Object.entries(files)) {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(bytes as unknown as ExcelJS.Buffer);
    originals[name] = wb;
  }
  books = await recomputeWithLibreOffice(files);
}, 240_000);

describe('the cost to the city as a workbook', () => {
  it('is laid out as the page: headings in the language, amounts in the unit, frozen panes', () => {
    const ws = originals.cityEn!.getWorksheet('Cost by year')!;
    expect(ws.getCell('A1').value).toBe('Year');
    expect(ws.getCell('B1').value).toBe('Budget appropriations');
    expect(ws.getCell('M1').value).toBe('Total');
    expect(ws.getCell('N1').value).toBe('General public budget · Charged');
    expect(ws.getCell('U1').value).toBe('Government-fund budget · Headroom');
    expect(ws.views[0]).toMatchObject({ state: 'frozen', xSplit: 1, ySplit: 1 });
    expect(ws.getCell('B2').numFmt).toBe('0!.0000"万元"');
    expect(ws.getCell('P2').numFmt).toBe('0.0000%');
    expect(ws.getCell('M2').formula).toBe('ROUND(SUM(B2:L2),2)');
    expect(ws.getCell('N2').formula).toBe('ROUND(M2-ROUND(H2+I2,2),2)');
    expect(ws.getColumn(2).width).toBe(18);
    const zh = originals.cityZh!;
    expect(zh.worksheets.map((w) => w.name)).toEqual(['逐年支出', '债券限额']);
    expect(zh.getWorksheet('逐年支出')!.getCell('B2').numFmt).toBe('#,##0.00');
    expect(zh.getWorksheet('债券限额')!.getCell('E1').value).toBe('专项债券 · 超出限额');
  });

  it('recomputes to the report: every column, total, charge, share and headroom by year', () => {
    const ws = books.cityEn!.getWorksheet('Cost by year')!;
    const rows = cityCost.report.rows;
    expect(rows.some((r) => r.fund.budgetYuan !== null && r.general.budgetYuan !== null)).toBe(
      true,
    );
    rows.forEach((y, i) => {
      const c = (col: string) => computed(ws.getCell(`${col}${i + 2}`));
      expect(c('A')).toBe(y.year);
      CITY_COST_COLUMNS.forEach((k, j) =>
        expect(fen(computed(ws.getCell(i + 2, 2 + j)))).toBe(fen(y.columns[k])),
      );
      expect(fen(c('M'))).toBe(fen(y.totalYuan));
      const side = (s: Side, [charged, budget, share, headroom]: string[]) => {
        expect(fen(c(charged!))).toBe(fen(s.chargedYuan));
        if (s.budgetYuan === null) return expect(c(budget!)).toBeNull();
        expect(fen(c(budget!))).toBe(fen(s.budgetYuan));
        near(c(share!), s.share!);
        expect(fen(c(headroom!))).toBe(fen(s.headroomYuan));
      };
      side(y.general, ['N', 'O', 'P', 'Q']);
      side(y.fund, ['R', 'S', 'T', 'U']);
    });
    const total = rows.length + 2;
    expect(ws.getCell(`A${total}`).value).toBe('All years');
    expect(fen(computed(ws.getCell(`M${total}`)))).toBe(fen(cityCost.report.totals.totalYuan));
    CITY_COST_COLUMNS.forEach((k, j) =>
      expect(fen(computed(ws.getCell(total, 2 + j)))).toBe(fen(cityCost.report.totals[k])),
    );
  });

  it('recomputes the bond quotas: headroom and the amount over, one year over its quota', () => {
    const ws = books.cityZh!.getWorksheet('债券限额')!;
    let over = 0;
    cityCost.report.rows.forEach((y, i) => {
      const c = (col: string) => computed(ws.getCell(`${col}${i + 2}`));
      expect(c('A')).toBe(y.year);
      const kinds: Array<[Issuance, string[]]> = [
        [y.specialIssuance, ['B', 'C', 'D', 'E']],
        [y.generalIssuance, ['F', 'G', 'H', 'I']],
      ];
      for (const [s, [issued, quota, headroom, excess]] of kinds) {
        expect(fen(c(issued!))).toBe(fen(s.issuedYuan));
        expect(fen(c(excess!))).toBe(fen(s.overYuan));
        if (s.quotaYuan === null) continue;
        expect(fen(c(quota!))).toBe(fen(s.quotaYuan));
        expect(fen(c(headroom!))).toBe(fen(s.headroomYuan));
        if (new Decimal(s.overYuan).gt(0)) over++;
      }
    });
    expect(over).toBe(1);
  });
});

describe('the comparison of scenarios as a workbook', () => {
  const results = () =>
    compared.map((id) =>
      t.store.results.forVersion(t.store.scenarios.getById(id).currentVersionId),
    );

  it('has a column per scenario and its difference against the first, as formulas', () => {
    const ws = originals.compare!.getWorksheet('Comparison')!;
    expect(ws.getCell('A1').value).toBe('Metric');
    const names = compared.map((id) => {
      const s = t.store.scenarios.getById(id);
      return `${s.projectCode} · ${s.name}`;
    });
    expect([2, 3, 4, 5, 6].map((c) => ws.getCell(1, c).value)).toEqual([
      ...names,
      `Δ ${names[1]}`,
      `Δ ${names[2]}`,
    ]);
    expect(ws.getCell('A2').value).toBe('Total investment');
    expect(ws.getCell('E2').formula).toBe('ROUND(C2-B2,2)');
    expect(ws.getCell('B2').numFmt).toBe('0!.0000"万元"');
  });

  it('recomputes to the stored results: amounts to the fen, rates and ratios within 1e-9', () => {
    const ws = books.compare!.getWorksheet('Comparison')!;
    const rs = results();
    const rowOf = (label: string) => {
      let at = 0;
      ws.eachRow((row, r) => {
        if (row.getCell(1).value === label) at = r;
      });
      expect(at).toBeGreaterThan(0);
      return at;
    };
    const amounts: Array<[string, (r: (typeof rs)[number]) => string]> = [
      ['Total investment', (r) => r.metrics.totalInvestment],
      ['Project NPV', (r) => r.metrics.projectNpv],
      ['Government outlay (net)', (r) => r.metrics.governmentOutlayTotal],
    ];
    for (const [label, pick] of amounts) {
      const r = rowOf(label);
      rs.forEach((res, i) => expect(fen(computed(ws.getCell(r, 2 + i)))).toBe(fen(pick(res))));
      [1, 2].forEach((i) =>
        expect(fen(computed(ws.getCell(r, 4 + i)))).toBe(
          new Decimal(pick(rs[i]!)).minus(pick(rs[0]!)).toFixed(2),
        ),
      );
    }
    const irrRow = rowOf('Project IRR');
    const irrs = rs.map((res) =>
      res.metrics.projectIrr.status === 'ok' ? res.metrics.projectIrr.rate : null,
    );
    expect(irrs.filter((v) => v !== null).length).toBeGreaterThanOrEqual(2);
    irrs.forEach((rate, i) => {
      if (rate !== null) near(computed(ws.getCell(irrRow, 2 + i)), rate);
      else expect(typeof ws.getCell(irrRow, 2 + i).value).toBe('string');
    });
    [1, 2].forEach((i) => {
      if (irrs[0] === null || irrs[i] === null) return;
      near(computed(ws.getCell(irrRow, 4 + i)), new Decimal(irrs[i]!).minus(irrs[0]!).toString());
    });
    const dscr = rowOf('Minimum DSCR');
    rs.forEach((res, i) => {
      const v = computed(ws.getCell(dscr, 2 + i));
      if (res.metrics.dscrMin === null) expect(v).toBe('no debt');
      else near(v, res.metrics.dscrMin);
    });
  });
});

describe("the dashboard's project table as a workbook", () => {
  it('recomputes to the members: shares of investment and the totals', () => {
    const view = t.store.portfolios.load(portfolioId);
    const original = originals.dashboard!.getWorksheet('项目')!;
    expect(original.getCell('A1').value).toBe('编号');
    expect(original.getCell('F2').numFmt).toBe('0!.00000000"亿元"');
    const ws = books.dashboard!.getWorksheet('项目')!;
    let investment = new Decimal(0);
    let outlay = new Decimal(0);
    for (const m of view.members) {
      investment = investment.plus(m.result!.metrics.totalInvestment);
      outlay = outlay.plus(m.result!.metrics.governmentOutlayTotal);
    }
    view.members.forEach((m, i) => {
      const c = (col: string) => computed(ws.getCell(`${col}${i + 2}`));
      const mt = m.result!.metrics;
      expect(c('A')).toBe(m.project.code);
      expect(fen(c('F'))).toBe(fen(mt.totalInvestment));
      near(
        c('G'),
        new Decimal(mt.totalInvestment)
          .div(investment)
          .toDecimalPlaces(6, Decimal.ROUND_HALF_UP)
          .toString(),
      );
      expect(fen(c('L'))).toBe(fen(mt.governmentOutlayTotal));
      if (mt.dscrMin !== null) near(c('J'), mt.dscrMin);
    });
    const total = view.members.length + 2;
    expect(ws.getCell(`A${total}`).value).toBe('组合合计');
    expect(fen(computed(ws.getCell(`F${total}`)))).toBe(investment.toFixed(2));
    expect(fen(computed(ws.getCell(`L${total}`)))).toBe(outlay.toFixed(2));
  });
});

describe('the download links', () => {
  it('are on the city-cost page, the compare page and the dashboard', async () => {
    const get = (url: string) => request(t.app).get(url).set('Cookie', EN);
    const city = await get(`/portfolios/${portfolioId}/city-cost`);
    expect(city.text).toContain(`href="/portfolios/${portfolioId}/city-cost.xlsx" download`);
    const query = compared.map((id) => `s=${id}`).join('&');
    const compare = await get(`/compare?${query}`);
    expect(compare.text).toContain(
      `href="/compare.xlsx?${query.replace(/&/g, '&amp;').replace(/=/g, '&#x3D;')}" download`,
    );
    const dash = await get(`/?portfolio=${portfolioId}`);
    expect(dash.text).toContain(`href="/portfolios/${portfolioId}/dashboard.xlsx" download`);
  });

  it('a comparison workbook of one scenario is refused: 422 naming s', async () => {
    const res = await request(t.app).get(`/api/v1/compare.xlsx?s=${compared[0]}`).set('Cookie', EN);
    expect(res.status).toBe(422);
    expect(res.body.error.issues).toEqual([
      { path: 's', message: 'Choose two to 4 scenarios to compare (s=ID, repeated)' },
    ]);
  });
});

describe("the auditor's filing report as a workbook", () => {
  it("holds the report, the filed version's results and the checklist counted by formulas", async () => {
    const page = await request(t.app).get(`/filings/${filingId}/report`).set('Cookie', EN);
    expect(page.status).toBe(200);
    expect(page.text).toContain(`href="/filings/${filingId}/report.xlsx" download`);
    const wb = books.filing!;
    expect(wb.worksheets.map((w) => w.name)).toEqual(['Filing report', 'Results', 'Checklist']);
    const facts = new Map<string, string>();
    wb.getWorksheet('Filing report')!.eachRow((row) =>
      // LibreOffice writes text mixing scripts back as rich text: `text` joins its runs.
      facts.set(row.getCell(1).text, row.getCell(2).text),
    );
    const hash = facts.get('Inputs hash (SHA-256)')!;
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(page.text).toContain(hash);
    expect(facts.get('Jurisdiction')).toBe('示范市 Demo City');
    expect(page.text).toContain(facts.get('Project')!);
    expect(facts.get('Approved by')).toBe('Not approved (yet)');

    const filing = t.store.db
      .prepare('SELECT version_id FROM filings WHERE id = ?')
      .pluck()
      .get(filingId) as number;
    const result = t.store.results.forVersion(filing);
    const results = wb.getWorksheet('Results')!;
    expect(results.getCell('A2').value).toBe('Total investment');
    expect(fen(computed(results.getCell('B2')))).toBe(fen(result.metrics.totalInvestment));

    const checks = wb.getWorksheet('Checklist')!;
    const statuses: string[] = [];
    for (let r = 2; checks.getCell(`D${r}`).value !== null; r++)
      statuses.push(String(checks.getCell(`D${r}`).value));
    expect(statuses.length).toBeGreaterThan(0);
    const summary = statuses.length + 3;
    const counts = ['pass', 'fail', 'not-applicable'].map(
      (s) => statuses.filter((x) => x === s).length,
    );
    expect([0, 1, 2].map((i) => checks.getCell(`A${summary + i}`).value)).toEqual([
      'Pass',
      'Fail',
      'n/a',
    ]);
    expect([0, 1, 2].map((i) => computed(checks.getCell(`B${summary + i}`)))).toEqual(counts);
    expect(originals.filing!.getWorksheet('Checklist')!.getCell(`B${summary}`).formula).toBe(
      `COUNTIF(D2:D${statuses.length + 1},"pass")`,
    );
  });
});
