import type { Express, Request, Response } from 'express';
import type { Store } from '../../store/store';
import { prefsOf, type Prefs } from '../context';
import { layoutModel, type NavKey } from '../view-models/layout';
import type { PageCache } from './page-cache';

/** A page to render: a template under views/pages, its view model, and layout details. */
export interface PageSpec {
  view: string;
  /** Already translated. */
  title: string;
  nav?: NavKey;
  model: object;
  status?: number;
  /** Where the language/unit switches return to (default: this URL for GET, else the dashboard). */
  backUrl?: string;
}

export interface PageRenderer {
  /** Renders a page for this request (not cached: pages with forms carry per-browser tokens). */
  send(req: Request, res: Response, spec: PageSpec): Promise<void>;
  /**
   * Sends a page from the rendered-page cache, building it on a miss. The key is the URL, the
   * language, the unit and the data generation, so a cached page is never stale. Only for pages
   * whose HTML is the same for every browser (no CSRF token, no per-user content).
   */
  sendCached(req: Request, res: Response, build: () => PageSpec | Promise<PageSpec>): Promise<void>;
  /** The HTML of a page. */
  renderToString(spec: PageSpec, prefs: Prefs, currentUrl: string): Promise<string>;
}

export function createPageRenderer(app: Express, store: Store, cache: PageCache): PageRenderer {
  const renderToString = (spec: PageSpec, prefs: Prefs, currentUrl: string): Promise<string> => {
    const layout = layoutModel(prefs, {
      title: spec.title,
      nav: spec.nav,
      backUrl: spec.backUrl ?? currentUrl,
    });
    return new Promise((resolve, reject) => {
      app.render(
        `pages/${spec.view}`,
        { ...spec.model, ...layout, page: spec.view, layout: 'main' },
        (err: Error | null, html?: string) => (err ? reject(err) : resolve(html ?? '')),
      );
    });
  };

  const backOf = (req: Request) => (req.method === 'GET' ? req.originalUrl : '/');

  const headers = (res: Response) => {
    res.type('html');
    // Pages depend on the lang/unit cookies and on stored data: revalidate every time.
    res.set('Cache-Control', 'private, no-cache');
    res.vary('Cookie');
  };

  return {
    renderToString,
    async send(req, res, spec) {
      const html = await renderToString(
        { ...spec, backUrl: spec.backUrl ?? backOf(req) },
        prefsOf(res),
        req.originalUrl,
      );
      headers(res);
      res.set('Cache-Control', 'private, no-store');
      res.status(spec.status ?? 200).send(html);
    },
    async sendCached(req, res, build) {
      const prefs = prefsOf(res);
      const key = `${store.generation()}\u0000${prefs.lang}\u0000${prefs.unit}\u0000${req.originalUrl}`;
      let page = cache.get(key);
      if (!page) {
        const spec = await build();
        const html = await renderToString(
          { ...spec, backUrl: spec.backUrl ?? backOf(req) },
          prefs,
          req.originalUrl,
        );
        page = cache.set(key, html);
      }
      headers(res);
      res.set('ETag', page.etag);
      if (req.headers['if-none-match'] === page.etag) {
        res.status(304).end();
        return;
      }
      res.status(200).send(page.body);
    },
  };
}
