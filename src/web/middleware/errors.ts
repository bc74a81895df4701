import { ForbiddenError, SignInError, UnauthenticatedError } from '../../app/errors';
import { TooManyRiskJobsError } from '../services/risk-jobs';
import { TooManyPlanJobsError } from '../services/plan-jobs';
import type { NextFunction, Request, Response } from 'express';
import type { Logger } from 'pino';
import { DomainError, NotFoundError, ValidationError, type FieldIssue } from '../../domain/errors';
import { ConflictError } from '../../store/errors';
import { DatabaseDamagedError, StorageUnavailableError } from '../../store/storage';
import { prefsOf, type Prefs } from '../context';
import { DEFAULT_LANG, DEFAULT_UNIT } from './prefs';
import { translator } from '../i18n';
import { localizeIssue } from '../i18n/issues';
import type { PageRenderer } from '../services/pages';

/** How an error reaches the user: status, a short code, a message safe to show, field issues. */
export interface ErrorReply {
  status: number;
  code: string;
  message: string;
  issues?: FieldIssue[];
  /** For 503 storage errors: why (an SQLite code, `read-only` or `damaged`); picks the page text. */
  reason?: string;
}

/**
 * A request that cannot be read at all (400): a body that is not a JSON object, a query
 * parameter in the wrong shape. Input that can be read but is not valid is a ValidationError (422).
 */
export class BadRequestError extends Error {
  readonly code = 'bad-request';
  constructor(
    readonly issues: FieldIssue[],
    message = 'The request is not valid',
  ) {
    super(message);
    this.name = 'BadRequestError';
  }
}

/** Errors thrown by body parsers and csrf-csrf carry an HTTP status (and sometimes a type). */
interface HttpishError {
  status?: unknown;
  statusCode?: unknown;
  type?: unknown;
  code?: unknown;
  expose?: unknown;
  message?: unknown;
}

/**
 * Maps any error to what the user sees. Typed errors keep their message; anything unexpected
 * becomes a 500 with a fixed message (the details go to the log, never to the page).
 */
export function classifyError(err: unknown): ErrorReply {
  if (err instanceof ValidationError)
    return { status: 422, code: err.code, message: err.message, issues: err.issues };
  if (err instanceof BadRequestError)
    return { status: 400, code: err.code, message: err.message, issues: err.issues };
  if (err instanceof NotFoundError) return { status: 404, code: err.code, message: err.message };
  if (err instanceof UnauthenticatedError)
    return { status: 401, code: err.code, message: err.message };
  if (err instanceof SignInError)
    return {
      status: err.code === 'sign-in-locked' ? 429 : 401,
      code: err.code,
      message: err.message,
    };
  if (err instanceof ForbiddenError)
    return { status: 403, code: err.code, message: `${err.message}. ${err.help ?? ''}`.trim() };
  if (err instanceof ConflictError) return { status: 409, code: err.code, message: err.message };
  if (err instanceof TooManyRiskJobsError || err instanceof TooManyPlanJobsError)
    return { status: 429, code: err.code, message: err.message };
  // The database cannot be written now, or is damaged: 503, nothing was saved.
  if (err instanceof StorageUnavailableError)
    return {
      status: 503,
      code: err.code,
      message: `${err.message}. ${err.help ?? ''}`.trim(),
      reason: err.reason,
    };
  if (err instanceof DatabaseDamagedError)
    return {
      status: 503,
      code: err.code,
      message: `${err.message}. ${err.help ?? ''}`.trim(),
      reason: 'damaged',
    };
  // Valid input the model cannot compute (e.g. an out-of-range override): the request's fault.
  if (err instanceof DomainError) return { status: 422, code: err.code, message: err.message };
  const h = (typeof err === 'object' && err !== null ? err : {}) as HttpishError;
  const status =
    typeof h.status === 'number' ? h.status : typeof h.statusCode === 'number' ? h.statusCode : 500;
  if (status === 403 && h.code === 'EBADCSRFTOKEN')
    return {
      status: 403,
      code: 'invalid-csrf-token',
      message: 'The form token is missing or invalid',
    };
  if (status >= 400 && status < 500) {
    if (h.type === 'entity.parse.failed')
      return { status: 400, code: 'invalid-json', message: 'The request body is not valid JSON' };
    if (status === 404) return { status, code: 'not-found', message: 'Not found' };
    if (h.type === 'entity.too.large')
      return { status: 413, code: 'too-large', message: 'The request body is too large' };
    const message =
      h.expose === true && typeof h.message === 'string' ? h.message : 'The request is not valid';
    return { status, code: typeof h.type === 'string' ? h.type : 'bad-request', message };
  }
  return {
    status: 500,
    code: 'internal-error',
    message: 'Something went wrong; the error was logged',
  };
}

const isApi = (req: Request) => req.path.startsWith('/api/');

/** Which page text explains a 503 storage error. */
function unavailableText(reason: string | undefined) {
  return reason === 'damaged'
    ? 'error.damaged.text'
    : reason === 'read-only'
      ? 'error.readOnly.text'
      : 'error.unavailable.text';
}

/**
 * The one error middleware: JSON for the API, a page for everyone else, never a stack trace.
 * @param translate turns raw storage errors (SQLite codes) into typed ones first; the app passes
 *   `store.storage.translate`
 */
export function errorMiddleware(
  pages: PageRenderer,
  logger: Logger,
  translate: (err: unknown) => unknown = (err) => err,
) {
  // Express recognises error middleware by its four parameters.
  return (raw: unknown, req: Request, res: Response, _next: NextFunction): void => {
    const err = translate(raw);
    const reply = classifyError(err);
    if (reply.status === 503)
      // Expected while the disk is full or the file read-only: one line, no stack.
      logger.warn(
        { code: reply.code, reason: reply.reason, method: req.method, url: req.originalUrl },
        'request refused: the database cannot be written',
      );
    else if (reply.status >= 500)
      logger.error({ err, method: req.method, url: req.originalUrl }, 'request failed');
    else
      logger.debug(
        { code: reply.code, status: reply.status, url: req.originalUrl },
        'request refused',
      );
    if (res.headersSent) {
      res.end();
      return;
    }
    if (isApi(req)) {
      res.status(reply.status).json({
        error: {
          code: reply.code,
          message: reply.message,
          ...(reply.issues ? { issues: reply.issues } : {}),
        },
      });
      return;
    }
    const prefs: Prefs = (res.locals.prefs as Prefs | undefined) ?? {
      lang: DEFAULT_LANG,
      unit: DEFAULT_UNIT,
      t: translator(DEFAULT_LANG),
    };
    res.locals.prefs = prefs;
    const { t, lang } = prefsOf(res);
    const kind =
      reply.code === 'forbidden'
        ? 'denied'
        : reply.status === 401
          ? 'unauthenticated'
          : reply.status === 404
            ? 'notFound'
            : reply.status === 422
              ? 'invalid'
              : reply.status === 403
                ? 'forbidden'
                : reply.status === 409
                  ? 'conflict'
                  : reply.status === 503
                    ? 'unavailable'
                    : reply.status >= 500
                      ? 'server'
                      : 'bad';
    const title = t(`error.${kind}.title`);
    const text =
      kind === 'unavailable'
        ? t(unavailableText(reply.reason))
        : kind === 'notFound' ||
            kind === 'invalid' ||
            kind === 'forbidden' ||
            kind === 'server' ||
            kind === 'denied' ||
            kind === 'unauthenticated'
          ? t(`error.${kind}.text`)
          : localizeIssue(reply.message, lang);
    const issues = (reply.issues ?? []).map((i) => ({
      path: i.path,
      message: localizeIssue(i.message, lang),
    }));
    pages
      .send(req, res, {
        view: 'error',
        title,
        status: reply.status,
        model: { status: reply.status, heading: title, text, issues },
        backUrl: '/',
      })
      .catch((renderErr: unknown) => {
        logger.error({ err: renderErr }, 'the error page failed to render');
        if (!res.headersSent)
          res.status(reply.status).type('text/plain').send(`${reply.status} ${title}`);
      });
  };
}

/** Last route: nothing matched. */
export function notFound(req: Request, _res: Response, next: NextFunction): void {
  next(new NotFoundError('Page', req.path));
}
