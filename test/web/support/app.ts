import path from 'node:path';
import { MonteCarloRunner } from '../../../src/app/risk/runner';
import { riskWorkerFile } from '../../helpers/risk-worker';
import pino from 'pino';
import type { Express } from 'express';
import type request from 'supertest';
import { simulate } from '../../../src/domain/engine/simulate';
import { ENGINE_VERSION } from '../../../src/domain/engine/types';
import http from 'node:http';
import { actorOfUser } from '../../../src/app/actors';
import { startSession } from '../../../src/app/sessions';
import { SIGN_IN_COOKIE } from '../../../src/web/middleware/auth';
import {
  createStore,
  readDemoAccounts,
  migrate,
  openDatabase,
  seedDemoIfEmpty,
  type Store,
} from '../../../src/store';
import { createApp } from '../../../src/web/app';

export const DEMO_DIR = path.join(__dirname, '..', '..', '..', 'data', 'demo');

/** A fixed clock: pages and defaults do not depend on when the tests run. */
export const FIXED_NOW = new Date('2026-05-04T08:30:00.000Z');

/** A browser for supertest: keeps cookies (session id, CSRF cookie) between requests. */
export type Agent = ReturnType<typeof request.agent>;

export interface TestApp {
  /** The app behind the signed-in wrapper (see `MakeAppOptions.as`). */
  app: Express;
  store: Store;
  /** The app itself, for what needs the Express object (rendering, the route table). */
  inner: Express;
}

/** The demo account every test app signs requests in as unless told otherwise. */
export const DEFAULT_TEST_USER = 'approver';

export interface MakeAppOptions {
  /** Seed the demo portfolio (default); without it, only the demo's organisations and users. */
  demo?: boolean;
  /**
   * The demo user (data/demo/accounts.json) whose session every request carries unless it
   * brings its own session cookie or an Authorization header; null: requests go as they are
   * (anonymous unless they sign in). Default `DEFAULT_TEST_USER` (a bureau approver of the demo
   * city, who may read and write everything of it).
   */
  as?: string | null;
  /** The risk worker pool (default `testRiskRunner()`), e.g. one that holds a solve back. */
  riskRunner?: MonteCarloRunner;
}

/**
 * A fresh migrated in-memory store (optionally with the demo portfolio) and the app on it,
 * behind a wrapper that signs each request in with a real session (see `MakeAppOptions.as`).
 */
export function makeApp(opts: MakeAppOptions = {}): TestApp {
  const store = demoStore(opts.demo !== false);
  const inner = createApp({
    store,
    clock: () => FIXED_NOW,
    logger: pino({ level: process.env.TEST_LOG ?? 'silent' }),
    csrfSecret: 'test-secret-test-secret-test-secret',
    demoDir: DEMO_DIR,
    riskRunner: opts.riskRunner ?? testRiskRunner(),
  });
  const as = opts.as === undefined ? DEFAULT_TEST_USER : opts.as;
  return { app: as === null ? inner : signedInAs(inner, store, as), inner, store };
}

/**
 * A fresh migrated in-memory store on the fixed clock, with the demo portfolio (default) or only
 * the demo's organisations and users.
 */
export function demoStore(demo = true): Store {
  const db = openDatabase(':memory:');
  migrate(db);
  const store = createStore(db, {
    clock: () => FIXED_NOW,
    engine: { simulate, version: ENGINE_VERSION },
  });
  if (demo) seedDemoIfEmpty(store, DEMO_DIR);
  else seedDemoAccounts(store);
  return store;
}

let riskRunner: MonteCarloRunner | null = null;

/**
 * One risk worker pool per test file, on the TypeScript sources (see `riskWorkerFile`); its one
 * thread starts on first use and stops when idle.
 */
export function testRiskRunner(): MonteCarloRunner {
  riskRunner ??= new MonteCarloRunner({ workers: 1, filename: riskWorkerFile() });
  return riskRunner;
}

/** The demo's organisations and users, without its projects (as seeding does). */
export function seedDemoAccounts(store: Store): void {
  const file = readDemoAccounts(DEMO_DIR)!;
  const by = { label: 'test', userId: null, orgId: null };
  store.transaction(() => {
    const ids = new Map<string, number>();
    for (const o of file.organisations) ids.set(o.name, store.accounts.addOrganisation(o, by).id);
    for (const u of file.users)
      store.accounts.addUser(
        {
          username: u.username,
          orgId: ids.get(u.org)!,
          passwordHash: u.passwordHash,
          roles: u.roles,
        },
        by,
      );
  });
}

/** A real session for a stored user (no password check: tests of sign-in itself use the form). */
export function sessionCookie(store: Store, username: string): string {
  const user = store.accounts.findUser(username);
  if (!user) throw new Error(`no user ${username}`);
  return `${SIGN_IN_COOKIE}=${startSession(store, actorOfUser(user, 'session', false)).sessionId}`;
}

/**
 * The app as a browser signed in as `username` sees it: every request without a session
 * cookie or an Authorization header gets the user's session cookie added.
 */
export function signedInAs(app: Express, store: Store, username: string): Express {
  let cookie: string | null = null;
  const handler = (req: http.IncomingMessage, res: http.ServerResponse) => {
    const has = req.headers.cookie ?? '';
    if (req.headers.authorization === undefined && !has.includes(`${SIGN_IN_COOKIE}=`)) {
      cookie ??= sessionCookie(store, username);
      req.headers.cookie = has === '' ? cookie : `${has}; ${cookie}`;
    }
    app(req as Parameters<Express>[0], res as Parameters<Express>[1]);
  };
  const listen = (...args: unknown[]) =>
    (http.createServer(handler).listen as (...a: unknown[]) => http.Server)(...args);
  return Object.assign(handler, { listen }) as unknown as Express;
}
