import type { Express, Request, Response } from 'express';
import Handlebars from 'handlebars';
import type { ChangeScope } from '../../store';
import type { Store } from '../../store/store';
import { prefsOf, type Prefs } from '../context';
import { layoutModel, type NavKey } from '../view-models/layout';
import { PageBuilds } from './page-builds';
import type { CachedPage, PageCache } from './page-cache';

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
  /** The layout under views/layouts (default `main`; `report`: a printed page without navigation). */
  layout?: string;
}

export interface PageRenderer {
  /** Renders a page for this request (not cached: pages with forms carry per-browser tokens). */
  send(req: Request, res: Response, spec: PageSpec): Promise<void>;
  /**
   * Sends a page from the rendered-page cache, building it on a miss. The key is the path, the
   * language, the unit and the query parameters named in `params` (the only ones the page may
   * depend on: `build` gets just those, and any other parameter leaves the key alone); a page
   * is served only if built from the data generation the request saw, or a later one, so a
   * cached page is never stale. Concurrent misses of one key share one build (see PageBuilds).
   * Only for pages whose HTML is the same for every browser (no CSRF token, no per-user content).
   */
  sendCached(
    req: Request,
    res: Response,
    params: readonly string[],
    build: (query: PageQuery) => PageSpec | Promise<PageSpec>,
    opts?: CachedPageOptions,
  ): Promise<void>;
  /** The HTML of a page. */
  renderToString(spec: PageSpec, prefs: Prefs, currentUrl: string): Promise<string>;
}

/** How a cached page depends on the data and the browser. */
export interface CachedPageOptions {
  /**
   * The part of the data the page shows (default: all of it). The page is rebuilt only when a
   * write within that scope lands (see Store.generation).
   */
  scope?: ChangeScope;
  /**
   * This browser's CSRF token, for a page with a form: the cached HTML carries CSRF_SLOT where
   * the model puts `csrfToken`, and each answer gets the token put in its place (never cached
   * or shared: such a page is sent `no-store`, without an ETag).
   */
  csrfToken?: string;
  /**
   * Long work the build needs, awaited on a miss before the build takes its turn (builds run
   * one at a time, see PageBuilds): e.g. `FiscalReports.prepare`, which waits for a worker
   * thread, so other pages' builds go on meanwhile.
   */
  prepare?: (query: PageQuery) => Promise<void>;
}

/**
 * What a cached page's model gives as its `csrfToken`; replaced by each browser's own token when
 * sent. Only letters, digits and dashes, so escaping leaves it as it is.
 */
export const CSRF_SLOT = 'fundmix-csrf-slot-7d1f0c';

/** The query parameters a cached page declared, as parsed (string, array or object), nothing else. */
export type PageQuery = Readonly<Record<string, unknown>>;

/** Called once per build of a cached page, with its key (for tests and diagnostics). */
export type PageBuildHook = (key: string) => void;

/** The declared parameters of this request's query, present ones only, in declared order. */
function declaredQuery(req: Request, params: readonly string[]): Record<string, unknown> {
  const query: Record<string, unknown> = {};
  const all = req.query as Record<string, unknown>;
  for (const name of params) if (all[name] !== undefined) query[name] = all[name];
  return query;
}

/**
 * The key of a cached page: who views it (`Viewer.key`: nothing built for one user is served to
 * another), path, language, unit, then the declared parameters sorted by name
 * (a repeated parameter keeps its order: `s=1&s=2` compares in that order).
 */
function pageKey(path: string, prefs: Prefs, query: Record<string, unknown>): string {
  const params = Object.keys(query)
    .sort()
    .map((name) => `${name}=${JSON.stringify(query[name])}`)
    .join('&');
  return `${prefs.viewer?.key ?? '-'}\u0000${prefs.lang}\u0000${prefs.unit}\u0000${path}\u0000${params}`;
}

/** The URL of a cached page with only its declared parameters (where the lang/unit links return). */
function canonicalUrl(path: string, query: Record<string, unknown>): string {
  const search = new URLSearchParams();
  for (const name of Object.keys(query).sort()) {
    const value = query[name];
    for (const v of Array.isArray(value) ? (value as unknown[]) : [value])
      if (typeof v === 'string') search.append(name, v);
  }
  const text = search.toString();
  return text === '' ? path : `${path}?${text}`;
}

/** A cached page's bytes around each CSRF_SLOT, split once per page. */
const slotParts = new WeakMap<CachedPage, Buffer[]>();
const SLOT_BYTES = Buffer.from(CSRF_SLOT, 'utf8');

/** The page's bytes with this browser's token (escaped as Handlebars would) in every slot. */
function withToken(page: CachedPage, csrfToken: string): Buffer {
  let parts = slotParts.get(page);
  if (!parts) {
    parts = [];
    let from = 0;
    for (
      let at = page.body.indexOf(SLOT_BYTES);
      at >= 0;
      at = page.body.indexOf(SLOT_BYTES, from)
    ) {
      parts.push(page.body.subarray(from, at));
      from = at + SLOT_BYTES.length;
    }
    parts.push(page.body.subarray(from));
    slotParts.set(page, parts);
  }
  const token = Buffer.from(Handlebars.Utils.escapeExpression(csrfToken), 'utf8');
  return Buffer.concat(parts.flatMap((part, i) => (i === 0 ? [part] : [token, part])));
}

export function createPageRenderer(
  app: Express,
  store: Store,
  cache: PageCache,
  onBuild?: PageBuildHook,
): PageRenderer {
  const builds = new PageBuilds<CachedPage>(() => store.generation());
  const renderToString = (spec: PageSpec, prefs: Prefs, currentUrl: string): Promise<string> => {
    const layout = layoutModel(prefs, {
      title: spec.title,
      nav: spec.nav,
      backUrl: spec.backUrl ?? currentUrl,
    });
    return new Promise((resolve, reject) => {
      app.render(
        `pages/${spec.view}`,
        { ...spec.model, ...layout, page: spec.view, layout: spec.layout ?? 'main' },
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
    async sendCached(req, res, params, build, opts = {}) {
      const prefs = prefsOf(res);
      const path = req.baseUrl + req.path;
      const query = declaredQuery(req, params);
      const key = pageKey(path, prefs, query);
      const { scope, csrfToken, prepare } = opts;
      const current = () => store.generation(scope);
      const seen = current();
      let page = cache.get(key, seen);
      if (!page && prepare) {
        await prepare(query);
        page = cache.get(key, seen);
      }
      if (!page) {
        const url = canonicalUrl(path, query);
        const built = await builds.get(
          key,
          seen,
          async (generation) => {
            onBuild?.(key);
            const spec = await build(query);
            const html = await renderToString(
              { ...spec, backUrl: spec.backUrl ?? url },
              prefs,
              url,
            );
            return cache.set(key, generation, html);
          },
          current,
        );
        page = built.value;
      }
      headers(res);
      if (csrfToken !== undefined) {
        res.set('Cache-Control', 'private, no-store');
        res.status(200).send(withToken(page, csrfToken));
        return;
      }
      res.set('ETag', page.etag);
      if (req.headers['if-none-match'] === page.etag) {
        res.status(304).end();
        return;
      }
      res.status(200).send(page.body);
    },
  };
}
