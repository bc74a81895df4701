import path from 'node:path';
import pino from 'pino';
import type { Express } from 'express';
import type request from 'supertest';
import { simulate } from '../../../src/domain/engine/simulate';
import { ENGINE_VERSION } from '../../../src/domain/engine/types';
import {
  createStore,
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
  app: Express;
  store: Store;
}

/** A fresh migrated in-memory store (optionally with the demo portfolio) and the app on it. */
export function makeApp(opts: { demo?: boolean } = {}): TestApp {
  const db = openDatabase(':memory:');
  migrate(db);
  const store = createStore(db, {
    clock: () => FIXED_NOW,
    engine: { simulate, version: ENGINE_VERSION },
  });
  if (opts.demo !== false) seedDemoIfEmpty(store, DEMO_DIR);
  const app = createApp({
    store,
    clock: () => FIXED_NOW,
    logger: pino({ level: process.env.TEST_LOG ?? 'silent' }),
    csrfSecret: 'test-secret-test-secret-test-secret',
  });
  return { app, store };
}
