import { readDemoAccounts, type Store } from '../store';

/** A demo account the sign-in page offers. */
export interface DemoAccount {
  username: string;
  password: string;
  label: string;
  organisation: string;
  roles: string[];
}

/**
 * The demo accounts still usable as seeded, for the sign-in page: those of `DIR/accounts.json`
 * whose user exists, is not disabled and still has the seeded password (its hash unchanged).
 * A database made with `db migrate --no-demo`, or whose demo users were disabled or given new
 * passwords, lists none, so the page never shows a password that works on real data.
 */
export function demoAccountsInUse(store: Store, demoDir: string | null): DemoAccount[] {
  if (demoDir === null) return [];
  let file;
  try {
    file = readDemoAccounts(demoDir);
  } catch {
    return [];
  }
  if (!file) return [];
  return file.users.flatMap((u) => {
    const user = store.accounts.findUser(u.username);
    if (!user || user.disabled_at !== null || user.password_hash !== u.passwordHash) return [];
    return [
      {
        username: u.username,
        password: u.password,
        label: u.label,
        organisation: user.org_name,
        roles: user.roles,
      },
    ];
  });
}
