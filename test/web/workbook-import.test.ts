import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import request from 'supertest';
import { parseScenario } from '../../src/domain/scenario/parse';
import { cellOfField } from '../../src/domain/workbook/inputs-layout';
import { makeApp, type Agent, type TestApp } from './support/app';
import { inputValue, section, visibleText } from './support/html';

/** Issue 13: the workbook template, the upload on the import page, a version's workbook. */

let t: TestApp;
let agent: Agent;
beforeEach(() => {
  t = makeApp();
  agent = request.agent(t.app);
});

const EN = 'lang=en; unit=yuan';
const ZH = 'lang=zh; unit=yuan';
const water = () => t.store.scenarios.list({ projectCode: 'SC-WATER' })[0]!;

/** Binary bodies for supertest (xlsx downloads). */
const binary = (res: request.Response, cb: (err: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => cb(null, Buffer.concat(chunks)));
};

async function download(url: string, cookies = EN): Promise<ExcelJS.Workbook> {
  const res = await agent.get(url).set('Cookie', cookies).buffer(true).parse(binary);
  expect(res.status).toBe(200);
  expect(res.headers['content-type']).toBe(
    'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  );
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(res.body as ArrayBuffer);
  return wb;
}

/** The current version's workbook of the demo's SC-WATER scenario, changed by `edit`. */
async function waterWorkbook(edit: (ws: ExcelJS.Worksheet) => void = () => undefined) {
  const wb = await download(`/versions/${water().currentVersionId}/workbook.xlsx`);
  edit(wb.getWorksheet('Inputs')!);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

async function token(cookies = EN): Promise<string> {
  const page = await agent.get('/import').set('Cookie', cookies);
  return inputValue(section(page.text, 'form', 'workbook-form'), '_csrf')!;
}

async function upload(
  bytes: Buffer,
  opts: { cookies?: string; csrf?: string; name?: string } = {},
) {
  const cookies = opts.cookies ?? EN;
  const csrf = opts.csrf ?? (await token(cookies));
  return agent
    .post('/import/workbook')
    .set('Cookie', cookies)
    .field('_csrf', csrf)
    .field('comment', 'from Excel')
    .attach('workbook', bytes, opts.name ?? 'water.xlsx')
    .redirects(0);
}

const problems = (html: string) =>
  [
    ...section(html, 'div', 'workbook-errors').matchAll(
      /<li>(?:<code>([^<]*)<\/code>: )?([\s\S]*?)<\/li>/g,
    ),
  ].map((m) => `${visibleText(m[1] ?? '')}: ${visibleText(m[2]!)}`);

const notice = (html: string) => visibleText(section(html, 'p', 'workbook-notice'));

describe('the import page offers the workbook upload and the templates', () => {
  it('a multipart form with its token first, and the template links', async () => {
    const res = await agent.get('/import').set('Cookie', EN);
    const form = section(res.text, 'form', 'workbook-form');
    expect(form).toContain('method="post" action="/import/workbook" enctype="multipart/form-data"');
    expect(form.indexOf('name="_csrf"')).toBeLessThan(form.indexOf('name="workbook"'));
    expect(res.text).toContain('href="/import/template.xlsx" download');
    expect(res.text).toContain('href="/import/template.xlsx?demo&#x3D;1" download');
  });

  it('the template, blank in Chinese and with the demo scenario in English', async () => {
    const blank = await download('/import/template.xlsx', ZH);
    const ws = blank.getWorksheet('Inputs')!;
    expect(ws.getCell('A5').value).toBe('行业');
    expect(ws.getCell('B2').value).toBeNull();
    expect(ws.getCell('B5').dataValidation?.type).toBe('list');
    const demo = (await download('/import/template.xlsx?demo=1')).getWorksheet('Inputs')!;
    expect(demo.getCell('A5').value).toBe('Sector');
    expect(demo.getCell('B2').value).toBe('SC-WATER');
  });

  it("the results page links the version's workbook", async () => {
    const res = await agent.get(`/versions/${water().currentVersionId}`).set('Cookie', EN);
    expect(res.text).toContain(
      `href="/versions/${water().currentVersionId}/workbook.xlsx" download`,
    );
  });
});

describe('uploading a workbook', () => {
  it('saves a changed workbook as a new version, as the signed-in user, audited', async () => {
    const before = water();
    const bytes = await waterWorkbook((ws) => {
      ws.getCell(cellOfField(['operatingCost', 'annualYuan'])!).value = 17500000.5;
    });
    const res = await upload(bytes);
    expect(res.status).toBe(303);
    const after = water();
    expect(res.headers.location).toBe(
      `/scenarios/${after.id}?saved=${before.currentVersionNo + 1}`,
    );
    const v = t.store.scenarios.current(after.id);
    expect(v.comment).toBe('from Excel');
    expect(v.author).toBe('approver');
    const old = parseScenario(t.store.scenarios.version(before.currentVersionId).inputs);
    const now = parseScenario(v.inputs);
    expect(now.operatingCost.annualYuan).toBe('17500000.5');
    expect(now.funding.sources.map((s) => s.id)).toEqual(old.funding.sources.map((s) => s.id));
    const entry = t.store.audit.list({ entity: 'scenario-version', limit: 1 })[0]!;
    expect(entry).toMatchObject({
      actor: 'approver',
      actorUserId: t.store.accounts.findUser('approver')!.id,
    });
  });

  it('an unchanged workbook saves nothing', async () => {
    const before = water();
    const res = await upload(await waterWorkbook());
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(
      `/scenarios/${before.id}?unchanged=${before.currentVersionNo}`,
    );
    expect(water().currentVersionNo).toBe(before.currentVersionNo);
  });

  it('lists every bad cell in the language of the page and saves nothing', async () => {
    const before = water();
    const bytes = await waterWorkbook((ws) => {
      ws.getCell(cellOfField(['funding', 'sources', 1, 'debt', 'annualRate'])!).value = 4.35;
      ws.getCell(cellOfField(['capex', 'scheduleYuan', 0])!).value = 1.005;
      ws.getCell(cellOfField(['project', 'category'])!).value = 'basis';
    });
    const audit = t.store.audit.count();
    const en = await upload(bytes);
    expect(en.status).toBe(422);
    expect(problems(en.text)).toEqual([
      'Inputs!B6: "basis" is not one of the choices: basic, market-oriented',
      'Inputs!B58: Capital expenditure is in yuan and can have at most 2 decimal places (fen)',
      'Inputs!I95: Interest rate must be between 0 and 0.5 (a fraction: 0.05 means 5 %)',
    ]);
    const zh = await upload(bytes, { cookies: ZH });
    expect(zh.status).toBe(422);
    expect(problems(zh.text)).toEqual([
      'Inputs!B6: “basis”不在可选值之中：basic, market-oriented',
      'Inputs!B58: 建设投资以元为单位，最多两位小数（分）',
      'Inputs!I95: 年利率应在 0 到 0.5 之间（填小数：0.05 表示 5%）',
    ]);
    expect(water().currentVersionNo).toBe(before.currentVersionNo);
    expect(t.store.audit.count()).toBe(audit);
  });

  it('a loan typed to mature before construction and grace end: 422 at the tenor cell, nothing saved', async () => {
    // A valid scenario cannot have it (the schema refuses it), but the Inputs sheet can.
    const before = water();
    const bytes = await waterWorkbook((ws) => {
      ws.getCell(cellOfField(['funding', 'sources', 1, 'debt', 'tenorYears'])!).value = 3;
      ws.getCell(cellOfField(['funding', 'sources', 1, 'debt', 'graceYears'])!).value = 2;
    });
    const en = await upload(bytes);
    expect(en.status).toBe(422);
    expect(problems(en.text)).toEqual([
      'Inputs!J95: Tenor 3 years leaves no year to repay after 2 construction and 2 grace years',
    ]);
    const zh = await upload(bytes, { cookies: ZH });
    expect(zh.status).toBe(422);
    expect(problems(zh.text)).toEqual([
      'Inputs!J95: 期限 3 年扣除 2 年建设期和 2 年宽限期后，没有还款年度',
    ]);
    expect(water().currentVersionNo).toBe(before.currentVersionNo);
  });

  it('a file that is no workbook: 422 with the reason', async () => {
    const res = await upload(Buffer.from('{"format":"fundmix-scenario@2"}'), { name: 'x.xlsx' });
    expect(res.status).toBe(422);
    expect(problems(res.text)).toEqual([
      ': The file is not an Excel workbook (.xlsx): save it as "Excel Workbook (*.xlsx)" and import it again',
    ]);
  });

  it('a file over 5 MB: 413 with the limit, never read', async () => {
    const res = await upload(Buffer.alloc(5 * 1024 * 1024 + 1, 0x50));
    expect(res.status).toBe(413);
    expect(notice(res.text)).toBe(
      'The file is larger than 5 MB: it was not read. A FundMix workbook is far smaller.',
    );
    expect(res.text).toContain('id="workbook-form"');
  });

  it('a small file that unpacks to more than 50 MB (a zip bomb): 422, never read whole', async () => {
    const zip = new JSZip();
    zip.file('xl/worksheets/sheet1.xml', Buffer.alloc(51 * 1024 * 1024, 0x20));
    const bomb = await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
    const res = await upload(bomb, { cookies: ZH });
    expect(res.status).toBe(422);
    expect(problems(res.text)).toEqual([
      ': 工作簿解压后大于 50 MB：FundMix 工作簿解压后仅几 MB，请删除其他工作表或图片（或该文件是压缩炸弹）',
    ]);
    expect(res.text).toContain('id="workbook-form"');
  });

  it('no file: 422 asking for one', async () => {
    const csrf = await token();
    const res = await agent
      .post('/import/workbook')
      .set('Cookie', EN)
      .field('_csrf', csrf)
      .redirects(0);
    expect(res.status).toBe(422);
    expect(notice(res.text)).toBe('Choose a workbook file (.xlsx) to import.');
  });

  it('without a valid form token: 403, nothing saved', async () => {
    const before = water();
    const bytes = await waterWorkbook((ws) => {
      ws.getCell(cellOfField(['operatingCost', 'annualYuan'])!).value = 1;
    });
    const res = await upload(bytes, { csrf: 'forged' });
    expect(res.status).toBe(403);
    expect(water().currentVersionNo).toBe(before.currentVersionNo);
    const none = await agent
      .post('/import/workbook')
      .set('Cookie', EN)
      .attach('workbook', bytes, 'water.xlsx')
      .redirects(0);
    expect(none.status).toBe(403);
    expect(water().currentVersionNo).toBe(before.currentVersionNo);
  });

  it("an enterprise may not save to the bureau's project its workbook names: 404, nothing saved", async () => {
    const bytes = await waterWorkbook((ws) => {
      ws.getCell(cellOfField(['operatingCost', 'annualYuan'])!).value = 1;
    });
    const before = water();
    const ent = makeApp({ as: 'enterprise' });
    t = { ...t, app: ent.app };
    agent = request.agent(ent.app);
    const res = await upload(bytes);
    expect(res.status).toBe(404);
    expect(ent.store.scenarios.list({ projectCode: 'SC-WATER' })[0]!.currentVersionNo).toBe(
      before.currentVersionNo,
    );
  });
});
