import type { ScenarioInput } from '../../../src/domain/scenario/schema';
import type { Store } from '../../../src/store';
import { smallInput } from '../../helpers/scenarios';
import { DEMO_CITY } from '../../helpers/demo-names';

/** The jurisdiction of the demo's bureau, whose approver the test apps sign in as. */
export { DEMO_CITY };

/**
 * `smallInput` in the demo city: a project the signed-in approver may read and change
 * (a project saved by the store with no jurisdiction is held by no bureau).
 */
export function demoCityInput(patch: (s: ScenarioInput) => void = () => undefined): ScenarioInput {
  return smallInput((s) => {
    s.project.jurisdiction = DEMO_CITY;
    patch(s);
  });
}

/** A password hash nobody signs in with (tests use `sessionCookie`, never the sign-in form). */
const UNUSED_HASH =
  '$argon2id$v=19$m=19456,p=1,t=2$InwyGHV/20zcx2qCz09fIg$n1WdEAu5ybd7euHdLyJLQWf0oFOJZQgOIYp5udqampk';

/**
 * A bureau of `jurisdiction` and a bureau-approver `username` in it (no slow hashing). Requests
 * go as that user with `makeApp({ as: username })` (the session is started at the first request)
 * or `.set('Cookie', sessionCookie(store, username))`.
 */
export function addBureauApprover(store: Store, jurisdiction: string, username: string): void {
  const by = { label: 'test', userId: null, orgId: null };
  store.transaction(() => {
    const org = store.accounts.addOrganisation(
      { name: `${jurisdiction} Finance Bureau`, kind: 'bureau', jurisdiction },
      by,
    );
    store.accounts.addUser(
      { username, orgId: org.id, passwordHash: UNUSED_HASH, roles: ['bureau-approver'] },
      by,
    );
  });
}
