import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { AccessResource, Action } from '../../domain/access';
import { authorise, UnauthenticatedError } from '../../app/errors';
import type { Store } from '../../store';
import { actorOrNull } from './auth';

/**
 * Who may reach a route, declared where the route is (issue 10). Every route of the app carries
 * exactly one guard made here; the authorisation test walks the app's route table and fails on
 * a route without one.
 * - `public`: anyone, signed in or not (the sign-in page, static files);
 * - `signed-in`: any signed-in user (the dashboard and lists, which show only what the user may
 *   see; preferences; sign-out);
 * - `action`: the signed-in user must be allowed `action` on the resource the request names,
 *   decided by `authorise` in src/app from the authorisation matrix alone.
 */
export type RouteAccess =
  | { kind: 'public' }
  | { kind: 'signed-in' }
  | { kind: 'action'; action: Action; resource: ResourceOf };

/**
 * The resource a request is about, from its parameters (and body, for creations), or null for
 * actions on no resource; `what` and `id` name it in the "not found" answer to a user who may
 * not see it, which reads exactly as the answer for one that does not exist.
 * @throws NotFoundError for an unknown resource
 */
export type ResourceOf = (req: Request, store: Store) => Located | null;

export interface Located {
  resource: AccessResource;
  what: string;
  id: string | number;
  /**
   * The resource does not exist yet (a project the request would create): there is nothing
   * whose existence could leak, so a refusal answers "forbidden", never "not found".
   */
  creating?: boolean;
}

/** A guard: middleware that carries its declaration. */
export type Guard = RequestHandler & { readonly access: RouteAccess };

/** The declaration of a route's guard, if the handler is one. */
export function accessOf(handler: unknown): RouteAccess | undefined {
  return typeof handler === 'function' ? (handler as Partial<Guard>).access : undefined;
}

function isApi(req: Request): boolean {
  return req.originalUrl.startsWith('/api/');
}

/**
 * Refuses a request without a signed-in user: the API answers 401; a page GET goes to the
 * sign-in form and back here after it; any other page request answers 401.
 */
function requireActor(req: Request, res: Response): boolean {
  if (actorOrNull(res)) return true;
  if (!isApi(req) && (req.method === 'GET' || req.method === 'HEAD')) {
    res.redirect(303, `/login?next=${encodeURIComponent(req.originalUrl)}`);
    return false;
  }
  if (isApi(req)) res.set('WWW-Authenticate', 'Bearer');
  throw new UnauthenticatedError(isApi(req));
}

function guard(access: RouteAccess, check: (req: Request, res: Response) => void): Guard {
  const handler = (req: Request, res: Response, next: NextFunction) => {
    check(req, res);
    if (!res.headersSent) next();
  };
  return Object.assign(handler, { access });
}

/** Anyone may reach the route. */
export const open: Guard = guard({ kind: 'public' }, () => undefined);

/** Any signed-in user may reach the route; what it shows must be filtered for them. */
export const signedIn: Guard = guard({ kind: 'signed-in' }, (req, res) => {
  requireActor(req, res);
});

/**
 * The signed-in user must be allowed `action` on the request's resource (`authorise`):
 * 404 where they may not know it exists, 403 where they may see it but not do this.
 * @param store the app's store, from which `resource` reads ownership
 */
export function can(
  store: Store,
  action: Action,
  resource: ResourceOf = () => null,
  opts: { seenWith?: Action } = {},
): Guard {
  return guard({ kind: 'action', action, resource }, (req, res) => {
    if (!requireActor(req, res)) return;
    const found = resource(req, store);
    const located = found?.creating ? null : (found ?? undefined);
    // An action not itself seen through a read (e.g. evaluation.write, which admins hold for
    // systems without seeing projects) names the read that must pass first: not found, not 403.
    if (opts.seenWith)
      authorise(actorOrNull(res)!, opts.seenWith, found?.resource ?? null, located);
    authorise(actorOrNull(res)!, action, found?.resource ?? null, located);
  });
}
