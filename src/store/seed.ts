import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { ORG_KINDS, ROLES } from '../domain/access';
import { ValidationError } from '../domain/errors';
import { toFieldIssues } from '../domain/scenario/parse';
import { importFiles, type ImportReport, type TransferFile } from './transfer';
import type { Store } from './store';

export interface SeedResult {
  seeded: boolean;
  /** Why nothing was seeded: the database was used before, or the directory holds no scenarios. */
  reason?: 'not-empty' | 'no-demo-data';
  report?: ImportReport;
}

/** The actor recorded for the demo data. */
export const DEMO_ACTOR = 'fundmix-demo';

/**
 * Seeds the demo programme into a database that has never been written to (no audit entries):
 * every `DIR/scenarios/*.json` scenario file and, when present, `DIR/portfolios.json`
 * (format `fundmix-portfolios@1`), in one transaction. A database whose data was all deleted is
 * not seeded again. Safe to call at every start-up, also from two processes at once.
 * @param dir a directory such as `data/demo`
 * @throws ValidationError when a demo file is invalid (nothing is written)
 */
export function seedDemoIfEmpty(store: Store, dir: string): SeedResult {
  if (!store.isPristine()) return { seeded: false, reason: 'not-empty' };
  const scenarioDir = path.join(dir, 'scenarios');
  const names = fs.existsSync(scenarioDir)
    ? fs
        .readdirSync(scenarioDir)
        .filter((f) => f.endsWith('.json'))
        .sort()
    : [];
  if (names.length === 0) return { seeded: false, reason: 'no-demo-data' };
  const files: TransferFile[] = names.map((n) => ({
    name: `scenarios/${n}`,
    text: fs.readFileSync(path.join(scenarioDir, n), 'utf8'),
  }));
  const portfolios = path.join(dir, 'portfolios.json');
  if (fs.existsSync(portfolios))
    files.push({ name: 'portfolios.json', text: fs.readFileSync(portfolios, 'utf8') });
  const accounts = readDemoAccounts(dir);
  return store.transaction(() => {
    // Checked again under the write lock: another process may have seeded meanwhile.
    if (!store.isPristine()) return { seeded: false, reason: 'not-empty' as const };
    // Organisations first: each imported project is then owned by its jurisdiction's bureau.
    if (accounts) seedAccounts(store, accounts);
    const report = importFiles(store, files, {
      actor: DEMO_ACTOR,
      comment: 'Demo data',
      via: 'demo-seed',
    });
    if (accounts) seedFiling(store);
    return { seeded: true, report };
  });
}

/** `DIR/accounts.json`: the demo's organisations and a user for every role (issue 10). */
const demoAccountsSchema = z.object({
  format: z.literal('fundmix-demo-accounts@1'),
  note: z.string().optional(),
  organisations: z.array(
    z.object({
      name: z.string().min(1),
      kind: z.enum(ORG_KINDS),
      jurisdiction: z.string().min(1).nullable(),
    }),
  ),
  users: z.array(
    z.object({
      username: z.string().regex(/^[a-z0-9._-]{1,64}$/),
      org: z.string().min(1),
      roles: z.array(z.enum(ROLES)).min(1),
      /** What the sign-in page calls the account. */
      label: z.string().min(1),
      /** Public on purpose: the sign-in page lists it while the demo data is in use. */
      password: z.string().min(12),
      /** argon2id of `password`, computed once so seeding is fast (test/data checks it). */
      passwordHash: z.string().startsWith('$argon2id$'),
    }),
  ),
});
export type DemoAccounts = z.infer<typeof demoAccountsSchema>;

/**
 * The demo accounts file of a demo directory, or null when it has none.
 * @throws ValidationError when the file is not a valid `fundmix-demo-accounts@1`
 */
export function readDemoAccounts(dir: string): DemoAccounts | null {
  const file = path.join(dir, 'accounts.json');
  if (!fs.existsSync(file)) return null;
  let data: unknown;
  try {
    data = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    throw new ValidationError(
      [{ path: 'accounts.json', message: `not JSON: ${(err as Error).message}` }],
      'The demo accounts file is not valid',
    );
  }
  const parsed = demoAccountsSchema.safeParse(data);
  if (!parsed.success)
    throw new ValidationError(toFieldIssues(parsed.error), 'The demo accounts file is not valid');
  return parsed.data;
}

function seedAccounts(store: Store, accounts: DemoAccounts): void {
  const by = { label: DEMO_ACTOR, userId: null, orgId: null };
  const orgIds = new Map<string, number>();
  for (const o of accounts.organisations)
    orgIds.set(o.name, store.accounts.addOrganisation(o, by).id);
  for (const u of accounts.users) {
    const orgId = orgIds.get(u.org);
    if (orgId === undefined)
      throw new ValidationError(
        [{ path: `users.${u.username}.org`, message: `no organisation named ${u.org}` }],
        'The demo accounts file is not valid',
      );
    store.accounts.addUser(
      { username: u.username, orgId, passwordHash: u.passwordHash, roles: u.roles },
      by,
    );
  }
}

/**
 * The demo's one filing, so the approver's inbox is not empty on a fresh start: the bureau
 * analyst has filed the community project's operating-subsidy scenario to the demo city, both
 * declarations made; it awaits review (`submitted`). Audited as the seed (`fundmix-demo`), with
 * the analyst as the filer. Left out when the demo data set lacks the scenario or the analyst.
 */
export const DEMO_FILING = {
  projectCode: 'SC-COMMUNITY',
  scenario: '特许经营+运营补贴 Concession + operating subsidy',
  username: 'analyst',
  jurisdiction: '示范市 Demo City',
  comment: '示范数据：请审核。Demo data: please review.',
} as const;

function seedFiling(store: Store): void {
  const user = store.accounts.findUser(DEMO_FILING.username);
  const project = store.projects.find(DEMO_FILING.projectCode);
  if (!user || !project) return;
  const scenario = store.scenarios
    .list({ projectCode: project.code })
    .find((x) => x.name === DEMO_FILING.scenario);
  if (!scenario) return;
  store.filings.addFiling(
    {
      scenarioId: scenario.id,
      versionId: scenario.currentVersionId,
      projectCode: project.code,
      jurisdiction: DEMO_FILING.jurisdiction,
      dataSharingDeclared: true,
      allFundingDeclared: true,
      comment: DEMO_FILING.comment,
    },
    { label: DEMO_ACTOR, userId: user.id, orgId: user.org_id },
  );
}
