import path from 'node:path';
import pino from 'pino';
import { simulate } from '../domain/engine/simulate';
import { ENGINE_VERSION } from '../domain/engine/types';
import { createStore, migrate, openDatabase, seedDemoIfEmpty } from '../store';
import { createApp } from './app';
import { createHttpServer } from './http-server';
import { projectRoot } from './paths';

/**
 * `npm start`: the only place that reads the environment. Opens and migrates the database,
 * seeds the demo portfolio into a fresh one, and serves the app.
 *   PORT          port to listen on (default 3000)
 *   HOST          interface to bind (default: all)
 *   FUNDMIX_DB    database file (default data/fundmix.db)
 *   FUNDMIX_CSRF_SECRET   secret for form tokens (default: random per start; forms open across
 *                         a restart then need a reload)
 *   FUNDMIX_SECURE_COOKIES=1  when served over HTTPS
 *   LOG_LEVEL     pino level (default info)
 */
function main(): void {
  const root = projectRoot();
  const logger = pino({ level: process.env.LOG_LEVEL ?? 'info' });
  const port = Number(process.env.PORT ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`PORT must be a port number, got ${process.env.PORT}`);
  const dbPath = path.resolve(root, process.env.FUNDMIX_DB ?? path.join('data', 'fundmix.db'));

  const db = openDatabase(dbPath);
  const applied = migrate(db);
  if (applied.length > 0)
    logger.info({ migrations: applied.map((m) => m.id) }, 'database migrated');
  const clock = () => new Date();
  const store = createStore(db, { clock, engine: { simulate, version: ENGINE_VERSION } });
  const seeded = seedDemoIfEmpty(store, path.join(root, 'data', 'demo'));
  if (seeded.seeded) logger.info('demo portfolio loaded');

  const app = createApp({
    store,
    clock,
    logger,
    csrfSecret: process.env.FUNDMIX_CSRF_SECRET,
    secureCookies: process.env.FUNDMIX_SECURE_COOKIES === '1',
  });
  const server = createHttpServer(app).listen(port, process.env.HOST ?? '0.0.0.0', () => {
    const addr = server.address();
    logger.info(
      { db: dbPath, port: typeof addr === 'object' && addr ? addr.port : port },
      `FundMix is serving http://localhost:${typeof addr === 'object' && addr ? addr.port : port}`,
    );
  });
  const stop = () => {
    server.close(() => {
      db.close();
      process.exit(0);
    });
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main();
