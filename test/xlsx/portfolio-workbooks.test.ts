import request from 'supertest';
import ExcelJS from 'exceljs';
import { Decimal } from 'decimal.js';
import { CITY_COST_COLUMNS } from '../../src/domain/fiscal/city-cost';
import { makeApp, type TestApp } from '../web/support/app';
import { computed, recomputeWithLibreOffice } from './libreoffice';

/**
 * Portfolio workbooks (issue 13): the cost to the city, the comparison of scenarios and the
 * dashboard's project table as .xlsx, every formula cell recomputed by LibreOffice (one soffice
 * run for all) and compared with the figures the API gives for the page: money to the fen,
 * shares and ratios within 1e-9.
 */

const BOND_HEAVY = '2027 专项债为主方案 Bond-heavy 2027 plan';
const EN = 'lang=en; unit=wan';

let t: TestApp;
let books: Record<string, ExcelJS.Workbook>;
let originals: Record<string, ExcelJS.Workbook>;
let cityCost: CityCostJson;
let portfolioId: number;

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
