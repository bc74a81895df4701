import request from 'supertest';
import pino from 'pino';
import { Writable } from 'node:stream';
import { createApp } from '../../src/web/app';
import { safeBack } from '../../src/web/routes/prefs';
import { FIXED_NOW, makeApp, sessionCookie } from './support/app';
import { smallInput } from '../helpers/scenarios';

describe('security headers', () => {
  const { app } = makeApp({ demo: false });

  it.each(['/', '/projects/new', '/api/v1/projects', '/nope'])(
    'sends helmet headers with a strict CSP on %s',
    async (url) => {
      const res = await request(app).get(url);
      const csp = res.headers['content-security-policy'] as string;
      expect(csp).toContain("default-src 'self'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("style-src 'self'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).not.toContain('unsafe-inline');
      expect(csp).not.toContain('unsafe-eval');
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
      expect(res.headers['referrer-policy']).toBe('same-origin');
      expect(res.headers['x-powered-by']).toBeUndefined();
    },
  );

  it('pages carry no inline script or style (the CSP would block them)', async () => {
    const { app: demo, store } = makeApp();
    const id = store.scenarios.list()[0]!.id;
    for (const url of [
      '/',
      '/projects',
      `/scenarios/${id}`,
      `/scenarios/${id}/edit`,
      `/scenarios/${id}/history`,
      `/compare?s=1&s=2`,
      '/import',
    ]) {
      const html = (await request(demo).get(url)).text;
      const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
      for (const [, attrs, body] of scripts) {
        if (/type="application\/json"/.test(attrs!)) continue;
        expect(attrs).toMatch(/src="\/static\//);
        expect(body!.trim()).toBe('');
      }
      expect(html).not.toMatch(/\sstyle="|<style\b|\son[a-z]+="/);
    }
  });
});

describe('escaping', () => {
  it('escapes user data in pages and in embedded chart JSON', async () => {
    const { app, store } = makeApp({ demo: false });
    const evil = '</script><img src=x onerror=alert(1)>';
    const { scenario } = store.scenarios.save(
      smallInput((s) => {
        s.project.name = evil;
        s.scenario.name = `"><b>${evil}`;
        s.funding.sources[0]!.name = evil;
        s.revenues![0]!.name = evil;
      }),
      { actor: '<i>x</i>' },
    );
    const res = await request(app).get(`/scenarios/${scenario.id}`);
    expect(res.status).toBe(200);
    expect(res.text).not.toContain('<img src=x');
    expect(res.text).not.toContain('<i>x</i>');
    const json = /<script type="application\/json" id="chart-data">([\s\S]*?)<\/script>/.exec(
      res.text,
    )![1]!;
    expect(json).not.toMatch(/[<>]/);
    expect(JSON.stringify(JSON.parse(json))).toContain(evil);
  });
});

describe('redirects after a preference change', () => {
  it.each([
    ['/projects?x=1', '/projects?x=1'],
    ['//evil.example/x', '/'],
    ['/\\evil.example', '/'],
    ['https://evil.example', '/'],
    ['javascript:alert(1)', '/'],
    ['/ok\r\nSet-Cookie: x=1', '/'],
    [undefined, '/'],
  ])('goes back to %s only when it is a local path', (back, expected) => {
    expect(safeBack(back)).toBe(expected);
  });

  it('never redirects off the site', async () => {
    const { app } = makeApp({ demo: false });
    const res = await request(app).get('/prefs?lang=en&back=%2F%2Fevil.example');
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/');
  });
});

describe('unexpected errors', () => {
  it('show a 500 page without a stack trace and log the error', async () => {
    const { store } = makeApp({ demo: false });
    const lines: string[] = [];
    const sink = new Writable({
      write: (chunk, _enc, done) => (lines.push(String(chunk)), done()),
    });
    const broken = Object.create(store, {
      portfolios: {
        value: {
          list: () => {
            throw new Error('disk on fire');
          },
        },
      },
    });
    const app = createApp({
      store: broken,
      clock: () => FIXED_NOW,
      logger: pino({ level: 'error' }, sink),
    });
    const page = await request(app)
      .get('/')
      .set('Cookie', `lang=en; ${sessionCookie(store, 'approver')}`);
    expect(page.status).toBe(500);
    expect(page.text).toContain('Something went wrong');
    expect(page.text).not.toContain('disk on fire');
    expect(page.text).not.toMatch(/at \w+ \(|\.ts:\d+/);
    expect(lines.join('')).toContain('disk on fire');
  });

  it('answer the API with a JSON 500 without details', async () => {
    const { store } = makeApp({ demo: false });
    const broken = Object.create(store, {
      projects: {
        value: {
          list: () => {
            throw new Error('secret detail');
          },
        },
      },
    });
    const app = createApp({
      store: broken,
      clock: () => FIXED_NOW,
      logger: pino({ level: 'silent' }),
    });
    const res = await request(app)
      .get('/api/v1/projects')
      .set('Cookie', sessionCookie(store, 'approver'));
    expect(res.status).toBe(500);
    expect(res.body).toEqual({
      error: { code: 'internal-error', message: 'Something went wrong; the error was logged' },
    });
  });
});

describe('page cache', () => {
  it('serves a cached page with an ETag, answers 304 to a revalidation, and shows new data after a write', async () => {
    const { app, store } = makeApp({ demo: false });
    store.scenarios.save(smallInput(), { actor: 't' });
    const first = await request(app).get('/projects').set('Cookie', 'lang=en');
    const etag = first.headers.etag as string;
    expect(etag).toBeDefined();
    const again = await request(app)
      .get('/projects')
      .set('Cookie', 'lang=en')
      .set('If-None-Match', etag);
    expect(again.status).toBe(304);
    // Another language is another page.
    const zh = await request(app)
      .get('/projects')
      .set('Cookie', 'lang=zh')
      .set('If-None-Match', etag);
    expect(zh.status).toBe(200);
    store.scenarios.save(
      smallInput((s) => (s.project.code = 'T-NEW')),
      { actor: 't' },
    );
    const after = await request(app)
      .get('/projects')
      .set('Cookie', 'lang=en')
      .set('If-None-Match', etag);
    expect(after.status).toBe(200);
    expect(after.text).toContain('T-NEW');
  });
});
