import request from 'supertest';
import { ValidationError } from '../../src/domain/errors';
import { parseScenario } from '../../src/domain/scenario/parse';
import { exportFiles } from '../../src/store';
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
import { smallInput } from '../helpers/scenarios';
import { demoCityInput } from './support/accounts';

let t: TestApp;
let agent: Agent;
beforeEach(() => {
  t = makeApp({ demo: false });
  agent = request.agent(t.app);
});

const EN = 'lang=en; unit=yuan';

/** The import form as the page gives it, with these values typed in. */
async function importForm(values: Record<string, string> = {}, cookies = EN): Promise<Fields> {
  const res = await agent.get('/import').set('Cookie', cookies);
  expect(res.status).toBe(200);
  return fill(formFields(section(res.text, 'form', 'import-form')), values);
}
const post = (fields: Fields, cookies = EN) =>
  agent.post('/import').set('Cookie', cookies).type('form').send(encodeForm(fields));
const fileText = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;
/** The problems listed above a refused form: each with its path ('' for the file as a whole). */
const problems = (html: string) =>
  [
    ...section(html, 'div', 'import-errors').matchAll(
      /<li>(?:<code>([^<]*)<\/code>: )?([\s\S]*?)<\/li>/g,
    ),
  ].map((m) => ({ path: visibleText(m[1] ?? ''), message: visibleText(m[2]!) }));

/** A scenario file with three problems: an amount with commas, an unknown field, 100,000 yuan unfunded. */
const BAD = smallInput((s) => {
  s.operatingCost.annualYuan = '300,000';
  (s as Record<string, unknown>).surprise = true;
  s.funding.sources[0]!.amountYuan = '300000';
});

describe('import page', () => {
  it('offers a file chooser, a text box and the comment (no author: the signed-in user is), with a token and its script; linked from the projects page', async () => {
    const res = await agent.get('/import').set('Cookie', EN);
    const form = section(res.text, 'form', 'import-form');
    expect(form).toContain('method="post" action="/import"');
    expect(form).toMatch(/<input type="file" id="import-file"[^>]*data-import-file>/);
    // The file input has no name: the script reads the file into the text box, which is sent.
    expect(form).not.toMatch(/<input type="file"[^>]*name=/);
    expect(formFields(form).map(([n]) => n)).toEqual(['_csrf', 'fileName', 'text', 'comment']);
    expect(fieldValue(formFields(form), '_csrf')).toMatch(/\S{20,}/);
    expect(res.text).toContain('<script src="/static/js/import.js" defer></script>');
    expect(visibleText(res.text)).toContain('Import a scenario file');
    const zh = await agent.get('/import');
    expect(visibleText(zh.text)).toContain('导入方案文件');
    const projects = await agent.get('/projects').set('Cookie', EN);
    expect(projects.text).toContain('href="/import"');
    const script = await agent.get('/static/js/import.js');
    expect(script.status).toBe(200);
    expect(script.text).toContain('readAsText');
  });

  it('saves a scenario file as a new version (a posted author ignored: the signed-in user recorded) and shows its results; the same file again makes no version', async () => {
    const text = fileText(smallInput());
    const res = await post(await importForm({ text, fileName: 'small.json', author: '张三' }));
    expect(res.status).toBe(303);
    const scenario = t.store.scenarios.get('T-SMALL', 'base');
    expect(res.headers.location).toBe(`/scenarios/${scenario.id}?saved=1`);
    const version = t.store.scenarios.current(scenario.id);
    expect(version).toMatchObject({
      versionNo: 1,
      author: 'approver',
      comment: 'Imported from small.json',
    });
    expect(version.inputs).toEqual(smallInput());
    const page = await agent.get(res.headers.location as string).set('Cookie', EN);
    expect(visibleText(page.text)).toContain('Saved as version 1.');

    const again = await post(await importForm({ text, comment: 'same again' }));
    expect(again.headers.location).toBe(`/scenarios/${scenario.id}?unchanged=1`);
    const changed = await post(
      await importForm({
        text: fileText(smallInput((s) => (s.operatingCost.annualYuan = '310000'))),
        comment: 'opex',
      }),
    );
    expect(changed.headers.location).toBe(`/scenarios/${scenario.id}?saved=2`);
    expect(t.store.scenarios.current(scenario.id)).toMatchObject({
      versionNo: 2,
      author: 'approver',
      comment: 'opex',
    });
  });

  it('answers 422 with every problem the schema finds, each with its JSON path, and keeps the text as sent', async () => {
    let expected: ValidationError['issues'] = [];
    try {
      parseScenario(BAD);
    } catch (err) {
      expected = (err as ValidationError).issues;
    }
    expect(expected.length).toBeGreaterThanOrEqual(3);
    const text = fileText(BAD);
    const audit = t.store.audit.count();
    const res = await post(await importForm({ text, fileName: 'bad.json' }));
    expect(res.status).toBe(422);
    const errors = section(res.text, 'div', 'import-errors');
    expect(visibleText(errors)).toContain(
      `The file was not imported: ${expected.length} problem(s) found. Nothing was saved.`,
    );
    expect(problems(res.text)).toEqual(expected.map((i) => ({ path: i.path, message: i.message })));
    expect(problems(res.text).map((p) => p.path)).toEqual([
      'operatingCost.annualYuan',
      '',
      'funding.sources',
    ]);
    const back = formFields(section(res.text, 'form', 'import-form'));
    expect(fieldValue(back, 'text')).toBe(text);
    expect(fieldValue(back, 'fileName')).toBe('bad.json');
    expect(t.store.audit.count()).toBe(audit);
  });

  it('gives the problems in Chinese on a Chinese page', async () => {
    const res = await post(await importForm({ text: fileText(BAD) }, ''), '');
    expect(res.status).toBe(422);
    const errors = visibleText(section(res.text, 'div', 'import-errors'));
    expect(errors).toContain('文件未导入');
    expect(errors).toContain('未知字段：surprise');
    expect(errors).toContain('尚有 100,000.00 元未落实');
  });

  it.each([
    ['text that is not JSON', '{"format": "fundmix-scenario@1",', '', /^Not valid JSON: /],
    ['an empty text box', '  \n', '', /^Choose a file or paste its text\.$/],
    [
      'a portfolios file',
      fileText({ format: 'fundmix-portfolios@1', portfolios: [] }),
      'format',
      /^A portfolios file cannot be imported here/,
    ],
    ['a JSON array', '[]', '', /./],
  ])('answers 422 for %s, keeping the text', async (_what, text, path, message) => {
    const audit = t.store.audit.count(); // the demo organisations and users
    const res = await post(await importForm({ text }));
    expect(res.status).toBe(422);
    expect(problems(res.text)[0]).toEqual({ path, message: expect.stringMatching(message) });
    expect(fieldValue(formFields(section(res.text, 'form', 'import-form')), 'text')).toBe(text);
    expect(t.store.audit.count()).toBe(audit);
  });

  it('imports an exported history with every version as exported; again, nothing new', async () => {
    const source = makeApp({ demo: false });
    source.store.scenarios.save(smallInput(), { actor: '张三', comment: 'first' });
    source.store.scenarios.save(
      smallInput((s) => (s.operatingCost.annualYuan = '350000')),
      { actor: '李四', comment: 'opex up' },
    );
    const [file] = exportFiles(source.store);
    const res = await post(await importForm({ text: file!.text, fileName: 'base.json' }));
    expect(res.status).toBe(303);
    const scenario = t.store.scenarios.get('T-SMALL', 'base');
    expect(res.headers.location).toBe(`/scenarios/${scenario.id}?imported=2`);
    const strip = (v: { id: number; scenarioId: number }) => ({ ...v, id: 0, scenarioId: 0 });
    const mine = t.store.scenarios.versions(scenario.id).map(strip);
    const theirs = source.store.scenarios
      .versions(source.store.scenarios.get('T-SMALL', 'base').id)
      .map(strip);
    expect(mine).toEqual(theirs);
    expect(t.store.audit.list({ entity: 'scenario-version', limit: 1 })[0]).toMatchObject({
      actor: 'approver',
      action: 'import',
    });
    expect(
      visibleText((await agent.get(res.headers.location as string).set('Cookie', EN)).text),
    ).toContain('Imported 2 version(s) from the history file.');

    const again = await post(await importForm({ text: file!.text }));
    expect(again.headers.location).toBe(`/scenarios/${scenario.id}?imported=0`);
    expect(
      visibleText((await agent.get(again.headers.location as string).set('Cookie', EN)).text),
    ).toContain('Every version in the history file was stored already');
  });

  it('refuses an altered history with the path of each problem inside the file', async () => {
    const source = makeApp({ demo: false });
    source.store.scenarios.save(smallInput(), { actor: 'a' });
    const history = JSON.parse(exportFiles(source.store)[0]!.text) as {
      versions: Array<{ versionNo: number; inputs: { operatingCost: { annualYuan: string } } }>;
    };
    history.versions[0]!.inputs.operatingCost.annualYuan = '300001';
    history.versions[0]!.versionNo = 2;
    const res = await post(await importForm({ text: fileText(history), fileName: 'base.json' }));
    expect(res.status).toBe(422);
    expect(problems(res.text)).toEqual([
      { path: 'versions[0].versionNo', message: 'Expected version 1, found 2' },
      {
        path: 'versions[0].inputsHash',
        message: 'The inputs do not match their recorded hash: the file was altered',
      },
    ]);
    expect(t.store.projects.list()).toHaveLength(0);
  });

  it('takes files larger than other forms may be (here 1.5 MB)', async () => {
    const text = JSON.stringify(smallInput()).replace('{', `{${' '.repeat(1_500_000)}`);
    const res = await post(await importForm({ text }));
    expect(res.status).toBe(303);
    expect(t.store.scenarios.list()).toHaveLength(1);
  });

  it('refuses a post without a valid token (403) but gives the text back with a new token, which works', async () => {
    const text = fileText(smallInput());
    const fields = await importForm({ text });
    const res = await post(fields.filter(([n]) => n !== '_csrf'));
    expect(res.status).toBe(403);
    expect(visibleText(res.text)).toContain('The form had expired, so nothing was imported.');
    const back = formFields(section(res.text, 'form', 'import-form'));
    expect(fieldValue(back, 'text')).toBe(text);
    expect(t.store.projects.list()).toHaveLength(0);
    expect((await post(setField(fields, '_csrf', 'forged.token'))).status).toBe(403);
    const other = request.agent(t.app);
    await other.get('/import');
    expect((await other.post('/import').type('form').send(encodeForm(fields))).status).toBe(403);
    expect(t.store.projects.list()).toHaveLength(0);
    expect((await post(back)).status).toBe(303);
    expect(t.store.projects.list()).toHaveLength(1);
  });

  it('answers 403 (not 404: it does not exist yet) for a new project in a jurisdiction not the user’s, here and over the API; nothing saved', async () => {
    const audit = t.store.audit.count();
    const input = smallInput((s) => (s.project.jurisdiction = '邻市 Next City'));
    const res = await post(await importForm({ text: fileText(input) }));
    expect(res.status).toBe(403);
    const api = await request(t.app)
      .post('/api/v1/projects')
      .set('Content-Type', 'application/json')
      .send(JSON.stringify(input));
    expect(api.status).toBe(403);
    expect(api.body.error.code).toBe('forbidden');
    expect(t.store.projects.list()).toHaveLength(0);
    expect(t.store.audit.count()).toBe(audit);
  });

  it('answers 409 for a scenario that was deleted, keeping the text', async () => {
    t.store.scenarios.save(demoCityInput(), { actor: 'a' });
    t.store.scenarios.delete('T-SMALL', 'base', 'a');
    const text = fileText(demoCityInput((s) => (s.operatingCost.annualYuan = '1')));
    const res = await post(await importForm({ text }));
    expect(res.status).toBe(409);
    expect(visibleText(section(res.text, 'p', 'import-notice'))).toContain(
      'was deleted; it cannot get new versions',
    );
    expect(fieldValue(formFields(section(res.text, 'form', 'import-form')), 'text')).toBe(text);
  });
});
