import request from 'supertest';
import ExcelJS from 'exceljs';
import { Decimal } from 'decimal.js';
import { makeApp, type TestApp } from './support/app';
import { computed, recomputeWithLibreOffice } from '../xlsx/libreoffice';
import { PPP_HEAVY } from '../helpers/demo-names';

/**
 * Portfolio workbooks (issue 13): the fiscal affordability report as .xlsx, its formulas
 * recomputed by LibreOffice and compared with the API's fiscal report (the engine's figures):
 * money to the fen, ratios within 1e-9, checks exactly.
 */
let t: TestApp;
beforeAll(() => {
  t = makeApp();
});

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

interface ApiYear {
  year: number;
  obligations: { total: string };
  totalYuan: string;
  budgetYuan: string | null;
  ratio: string | null;
  capYuan: string | null;
  breach: boolean;
  breachYuan: string | null;
  headroomYuan: string | null;
  aboveNewProjectLine: boolean | null;
}

const fen = (v: unknown) => new Decimal(String(v)).toFixed(2);

describe('the fiscal affordability workbook', () => {
  it('recomputes in LibreOffice to the API report: totals, ratio, cap, breach, headroom and the 5 % line', async () => {
    const id = t.store.portfolios.getByName(PPP_HEAVY).id;
    const api = await request(t.app).get(`/api/v1/portfolios/${id}/fiscal`);
    expect(api.status).toBe(200);
    const years = api.body.report.affordability.rows as ApiYear[];
    expect(years.some((y) => y.budgetYuan !== null)).toBe(true);

    const en = await binary(`/portfolios/${id}/fiscal.xlsx`, 'lang=en');
    expect(en.status).toBe(200);
    expect(en.headers['content-type']).toBe(
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    );
    const zh = await binary(`/portfolios/${id}/fiscal.xlsx`, 'lang=zh');
    const books = await recomputeWithLibreOffice({
      en: en.body as Buffer<ArrayBuffer>,
      zh: zh.body as Buffer<ArrayBuffer>,
    });

    const original = new ExcelJS.Workbook();
    await original.xlsx.load(en.body as unknown as ExcelJS.Buffer);
    const ows = original.getWorksheet('Affordability')!;
    expect(ows.getCell('J2').formula).toBe('ROUND(H2/I2,6)');
    expect(ows.views[0]).toMatchObject({ state: 'frozen', xSplit: 1, ySplit: 1 });

    const ws = books.en!.getWorksheet('Affordability')!;
    expect(ws.getCell('A1').value).toBe('Year');
    expect(books.zh!.getWorksheet('财政承受能力')!.getCell('I1').value).toBe('一般公共预算支出');
    years.forEach((y, i) => {
      const r = i + 2;
      const c = (col: string) => computed(ws.getCell(`${col}${r}`));
      expect(c('A')).toBe(y.year);
      expect(fen(c('F'))).toBe(fen(y.obligations.total));
      expect(fen(c('H'))).toBe(fen(y.totalYuan));
      if (y.budgetYuan === null) return;
      expect(Math.abs(Number(c('J')) - Number(y.ratio))).toBeLessThan(1e-9);
      expect(fen(c('L'))).toBe(fen(y.capYuan));
      expect(fen(c('O'))).toBe(fen(y.headroomYuan));
      expect(c('M')).toBe(y.breach ? 1 : 0);
      expect(fen(c('N'))).toBe(fen(y.breachYuan));
      expect(c('Q')).toBe(y.aboveNewProjectLine ? 1 : 0);
    });
  }, 180_000);
});
