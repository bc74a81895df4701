import { open } from '../middleware/access';
import { Router, type Response } from 'express';
import { LANG_COOKIE, UNIT_COOKIE, parseLang, parseUnit } from '../middleware/prefs';
import { queryText } from './params';

const ONE_YEAR_MS = 365 * 24 * 3600 * 1000;

/**
 * Where to go back to: only a path on this site. `//evil.example`, `/\evil.example`,
 * `https://...` and anything with control characters fall back to the dashboard.
 */
export function safeBack(value: string | undefined): string {
  if (!value || !value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\'))
    return '/';
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
  if (/[\u0000-\u001f\u007f\\]/.test(value) || value.length > 2000) return '/';
  return value;
}

/**
 * GET /prefs?lang=en&unit=wan&back=/path — sets the language and unit cookies and returns to
 * the page. A plain link (no form, no token): pages stay the same for every browser and can be
 * cached; a preference is no state worth forging.
 */
export function prefsRoutes(secure: boolean): Router {
  const router = Router();
  const set = (res: Response, name: string, value: string) =>
    res.cookie(name, value, {
      maxAge: ONE_YEAR_MS,
      httpOnly: true,
      sameSite: 'lax',
      secure,
      path: '/',
    });
  router.get('/prefs', open, (req, res) => {
    const lang = parseLang(queryText(req.query.lang));
    const unit = parseUnit(queryText(req.query.unit));
    if (lang) set(res, LANG_COOKIE, lang);
    if (unit) set(res, UNIT_COOKIE, unit);
    res.redirect(303, safeBack(queryText(req.query.back)));
  });
  return router;
}
