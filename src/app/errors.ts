import { FundMixError, NotFoundError } from '../domain/errors';
import { decide, type AccessResource, type Action, type Actor } from '../domain/access';

/** The actor may see the resource but not do this (HTTP 403). */
export class ForbiddenError extends FundMixError {
  constructor(
    readonly action: Action,
    actor: Actor,
  ) {
    super(
      'forbidden',
      `${actor.username} may not do this (${action})`,
      { action, username: actor.username },
      actor.readOnly ? 'The access token is read-only.' : 'Ask an administrator for the role.',
    );
  }
}

/**
 * Why a sign-in failed. The message never says whether the username exists.
 * - `sign-in-failed`: unknown user or wrong password (or token);
 * - `sign-in-locked`: too many failures; `retryAt` (ISO time) says when to try again;
 * - `account-disabled`: the right password, but the account is disabled.
 */
export class SignInError extends FundMixError {
  constructor(
    code: 'sign-in-failed' | 'sign-in-locked' | 'account-disabled',
    message: string,
    readonly retryAt: string | null = null,
  ) {
    super(code, message, retryAt === null ? {} : { retryAt });
  }
}

/**
 * The one check every use case makes first.
 * @param notFound names the resource in the not-found message (as `NotFoundError` does); null
 *   for a resource about to be created: nothing exists whose existence could leak, so every
 *   refusal is forbidden
 * @throws NotFoundError where the actor may not know the resource exists
 * @throws ForbiddenError where the actor may see it but not do `action`
 */
export function authorise(
  actor: Actor,
  action: Action,
  resource: AccessResource | null,
  notFound: { what: string; id: string | number } | null = { what: 'Resource', id: '' },
): void {
  const decision = decide(actor, action, resource);
  if (decision === 'not-found' && notFound !== null)
    throw new NotFoundError(notFound.what, notFound.id);
  if (decision !== 'allow') throw new ForbiddenError(action, actor);
}

/** Nobody is signed in (HTTP 401): the API needs `Authorization: Bearer`, pages a session. */
export class UnauthenticatedError extends FundMixError {
  constructor(api: boolean) {
    super(
      'unauthenticated',
      api ? 'Sign in: send a personal access token (Authorization: Bearer fmx_…)' : 'Sign in first',
      {},
      api ? 'An administrator creates tokens with `fundmix token create --username U`.' : undefined,
    );
  }
}
