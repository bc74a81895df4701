import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { BadRequestError } from './errors';

/**
 * How many parameters a query string or a form body may carry. A what-if sends one `switch=`
 * per project (portfolios hold up to 10,000 members, 1,000 are routine) and its save form as
 * many; the editor's form has a few hundred fields. Anything beyond is refused with 400, never cut short.
 */
export const PARAMETER_LIMIT = 12_000;

/** What a query value is: one text, or the texts of a repeated key in order. */
export type QueryValue = string | string[];

/** The message of a query string or form with too many parameters (see i18n/issues.ts). */
export const tooManyParameters = (what: 'query' | 'form') =>
  `The ${what === 'query' ? 'address' : 'form'} carries more than ${PARAMETER_LIMIT} parameters`;

/**
 * The app's query parser: flat names, a repeated name gives every value in order
 * (`s=1&s=2` → `{ s: ['1', '2'] }`) however often it is repeated. Express's `extended` parser
 * (qs) turns a name repeated more than 20 times into an object, which broke what-ifs of larger
 * portfolios; no page or API reads nested query names, so none are parsed (`a[b]=1` stays the
 * key `a[b]`). The object has no prototype, so `__proto__` and `constructor` are plain keys.
 * @throws BadRequestError with more than PARAMETER_LIMIT parameters
 */
export function parseQuery(text: string): Record<string, QueryValue> {
  const out = Object.create(null) as Record<string, QueryValue>;
  if (text === '') return out;
  let count = 0;
  for (const [key, value] of new URLSearchParams(text)) {
    count += 1;
    if (count > PARAMETER_LIMIT)
      throw new BadRequestError([{ path: 'query', message: tooManyParameters('query') }]);
    const had = out[key];
    if (had === undefined) out[key] = value;
    else if (Array.isArray(had)) had.push(value);
    else out[key] = [had, value];
  }
  return out;
}

/**
 * Reads the query once before any route, so a query string that cannot be read is answered
 * 400 here (with its message) rather than wherever a route first looks at `req.query`.
 */
export function queryCheck(req: Request, _res: Response, next: NextFunction): void {
  try {
    void req.query;
    next();
  } catch (err) {
    next(err);
  }
}

/**
 * A body parser's refusal of too many parameters (413 `parameters.too.many`, "too many
 * parameters") becomes a 400 that says what the limit is.
 */
export function withParameterMessage(parser: RequestHandler): RequestHandler {
  return (req, res, next) => {
    void parser(req, res, (err?: unknown) => {
      const type = (err as { type?: unknown } | undefined)?.type;
      if (type === 'parameters.too.many')
        next(new BadRequestError([{ path: 'body', message: tooManyParameters('form') }]));
      else next(err);
    });
  };
}
