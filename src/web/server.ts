import os from 'node:os';
import path from 'node:path';
import { MonteCarloRunner } from '../app/risk/runner';
import type { Server } from 'node:http';
import type { Logger } from 'pino';
import { ChainStatus } from '../app/chain-status';
import { simulate } from '../domain/engine/simulate';
import { ENGINE_VERSION } from '../domain/engine/types';
import { FundMixError } from '../domain/errors';
import { createStore, seedDemoIfEmpty, type Store } from '../store';
import { CannotServeError, openForServing } from '../store/serving';
import { createApp } from './app';
import { workerChainVerifier } from './services/chain-verifier';
import { FiscalWorkerPool } from './services/fiscal-workers';
import { createHttpServer } from './http-server';
import { createLogger, logFormatOf, type LogFormat } from './log';
import { projectRoot } from './paths';

/**
 * `npm start`: the only place that reads the environment. Checks, opens and migrates the
 * database, seeds the demo portfolio into a fresh one, and serves the app.
 *   PORT          port to listen on (default 3000)
 *   HOST          interface to bind (default: all)
 *   FUNDMIX_DB    database file (default data/fundmix.db)
 *   FUNDMIX_CSRF_SECRET   secret for form tokens (default: random per start; forms open across
 *                         a restart then need a reload)
 *   FUNDMIX_SECURE_COOKIES=1  when served over HTTPS
 *   FUNDMIX_TRUST_PROXY=1     behind one reverse proxy: the client address (sign-in limits per
 *                             address) is taken from its X-Forwarded-For
 *   LOG_LEVEL     pino level (default info)
 *   FUNDMIX_LOG_FORMAT  plain | json (default: plain lines on a terminal, JSON records otherwise)
 *   FUNDMIX_FISCAL_WORKERS  worker threads for portfolio fiscal reports (default 1; 0: on the
 *                           main thread)
 * When it cannot serve, it prints one line saying what is wrong and what to do on stderr and
 * exits with status 1.
 */

/** Start-up failed: the one line for the person starting the app. */
class StartError extends Error {}

function parsePort(value: string | undefined): number {
  const port = Number(value ?? 3000);
  if (value?.trim() === '' || !Number.isInteger(port) || port < 0 || port > 65535)
    throw new StartError(`PORT must be a port number from 0 to 65535, got "${value}"`);
  return port;
}

/** How the database file is named in messages: relative to the working directory when inside it. */
function shownPath(file: string): string {
  const rel = path.relative(process.cwd(), file);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : file;
}

function parseWorkers(name: string, value: string | undefined, fallback: number): number {
  const n = Number(value ?? fallback);
  if (value?.trim() === '' || !Number.isInteger(n) || n < 0 || n > 16)
    throw new StartError(`${name} must be a whole number from 0 to 16, got "${value}"`);
  return n;
}

function seedDemo(store: Store, root: string, logger: Logger): void {
  try {
    if (seedDemoIfEmpty(store, path.join(root, 'data', 'demo')).seeded)
      logger.info('demo portfolio loaded: sign in with a demo account listed on /login');
  } catch (err) {
    if (!(err instanceof FundMixError)) throw err;
    logger.warn(`the demo portfolio was not loaded: ${err.message}`);
  }
}

const msBetween = (c: { startedAt: string; finishedAt: string }) =>
  Date.parse(c.finishedAt) - Date.parse(c.startedAt);

/**
 * Verifies the audit chain once, in a worker thread, after the server is listening: requests are
 * answered meanwhile. The result is kept in `chain` (the broken-chain banner) and logged.
 */
function verifyChainAtStart(chain: ChainStatus, logger: Logger): void {
  chain.refresh().then(
    (check) =>
      check.ok
        ? logger.info(
            { entries: check.entries, headHash: check.headHash, ms: msBetween(check) },
            `audit chain verified: ${check.entries} entries intact`,
          )
        : logger.error(
            {
              firstBrokenEntryId: check.firstBrokenEntryId,
              problems: check.problems,
              ms: msBetween(check),
            },
            `audit chain BROKEN: ${check.firstProblem ?? 'see fundmix audit verify'}`,
          ),
    (err: unknown) =>
      logger.warn(
        `the audit chain was not verified at start-up: ${err instanceof Error ? err.message : String(err)}`,
      ),
  );
}

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const failed = (err: NodeJS.ErrnoException) => {
      reject(
        new StartError(
          err.code === 'EADDRINUSE'
            ? `Port ${port} is already in use: stop the program using it, or set PORT to a free port`
            : err.code === 'EACCES'
              ? `Port ${port} may not be used by this user: set PORT to a port above 1023`
              : `Cannot listen on ${host}:${port} (${err.code ?? err.message}): set HOST and PORT to an address of this machine`,
        ),
      );
    };
    server.once('error', failed);
    server.listen(port, host, () => {
      server.off('error', failed);
      const addr = server.address();
      resolve(typeof addr === 'object' && addr ? addr.port : port);
    });
  });
}

async function main(format: LogFormat): Promise<void> {
  const root = projectRoot();
  const logger = createLogger(process.env.LOG_LEVEL ?? 'info', format);
  const port = parsePort(process.env.PORT);
  const workers = parseWorkers('FUNDMIX_FISCAL_WORKERS', process.env.FUNDMIX_FISCAL_WORKERS, 1);
  const dbPath = path.resolve(root, process.env.FUNDMIX_DB ?? path.join('data', 'fundmix.db'));
  const shown = shownPath(dbPath);

  const { db, readOnly, migrated } = openForServing(dbPath, shown);
  if (migrated.length > 0)
    logger.info({ migrations: migrated.map((m) => m.id) }, 'database migrated');
  const clock = () => new Date();
  const store = createStore(db, { clock, engine: { simulate, version: ENGINE_VERSION } });
  if (readOnly !== null) store.storage.refuseWrites('read-only', readOnly);
  else seedDemo(store, root, logger);

  const fiscalWorkers =
    workers > 0
      ? new FiscalWorkerPool({ file: dbPath, writable: readOnly === null, size: workers })
      : undefined;
  const chain = new ChainStatus(workerChainVerifier({ file: dbPath }), () => clock().toISOString());
  const riskRunner = new MonteCarloRunner({
    workers:
      parseWorkers(
        'FUNDMIX_RISK_WORKERS',
        process.env.FUNDMIX_RISK_WORKERS,
        os.availableParallelism(),
      ) || 1,
  });
  const app = createApp({
    store,
    clock,
    logger,
    fiscalWorkers,
    riskRunner,
    csrfSecret: process.env.FUNDMIX_CSRF_SECRET,
    secureCookies: process.env.FUNDMIX_SECURE_COOKIES === '1',
    trustProxy: process.env.FUNDMIX_TRUST_PROXY === '1',
    demoDir: path.join(root, 'data', 'demo'),
    chain,
  });
  const server = createHttpServer(app);
  let bound: number;
  try {
    bound = await listen(server, port, process.env.HOST ?? '0.0.0.0');
  } catch (err) {
    await fiscalWorkers?.close();
    await riskRunner.close();
    db.close();
    throw err;
  }
  const stop = () => {
    void fiscalWorkers?.close();
    void riskRunner.close();
    server.close(() => {
      db.close();
      process.exit(0);
    });
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  // Only now: whoever waits for this line may stop the server at once.
  logger.info(
    { db: dbPath, port: bound, readOnly },
    `FundMix is serving http://localhost:${bound} with ${shown}` +
      (readOnly === null ? '' : ` read-only (${readOnly}): writes answer 503`),
  );
  verifyChainAtStart(chain, logger);
}

function fail(err: unknown, format: LogFormat): void {
  const known = err instanceof StartError || err instanceof CannotServeError;
  const line = known
    ? (err as Error).message
    : `unexpected error: ${err instanceof Error ? err.message : String(err)}`;
  if (format === 'json')
    createLogger('info', 'json').fatal(
      { code: err instanceof CannotServeError ? err.code : undefined },
      `FundMix cannot start: ${line}`,
    );
  process.stderr.write(`FundMix cannot start: ${line}\n`);
  process.exitCode = 1;
}

let format: LogFormat = 'plain';
try {
  format = logFormatOf(process.env.FUNDMIX_LOG_FORMAT, process.stdout.isTTY === true);
  main(format).catch((err: unknown) => fail(err, format));
} catch (err) {
  fail(err instanceof Error ? new StartError(err.message) : err, format);
}
