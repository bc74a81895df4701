import type { NextFunction, Request, Response } from 'express';
import { LANGS, UNITS, type Lang, type Unit } from '../format/number';
import { translator } from '../i18n';

export const LANG_COOKIE = 'lang';
export const UNIT_COOKIE = 'unit';
export const DEFAULT_LANG: Lang = 'zh';
export const DEFAULT_UNIT: Unit = 'wan';

export function parseLang(value: unknown): Lang | null {
  return LANGS.includes(value as Lang) ? (value as Lang) : null;
}

export function parseUnit(value: unknown): Unit | null {
  return UNITS.includes(value as Unit) ? (value as Unit) : null;
}

/** Reads the language and unit cookies (defaults: Chinese, 万元) into `res.locals.prefs`. */
export function prefsMiddleware(req: Request, res: Response, next: NextFunction): void {
  const cookies = (req.cookies ?? {}) as Record<string, unknown>;
  const lang = parseLang(cookies[LANG_COOKIE]) ?? DEFAULT_LANG;
  const unit = parseUnit(cookies[UNIT_COOKIE]) ?? DEFAULT_UNIT;
  res.locals.prefs = { lang, unit, t: translator(lang) };
  next();
}
