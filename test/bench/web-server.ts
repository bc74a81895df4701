import path from 'node:path';
import pino from 'pino';
import { simulate } from '../../src/domain/engine/simulate';
import { ENGINE_VERSION } from '../../src/domain/engine/types';
import { createStore, migrate, openDatabase, seedDemoIfEmpty } from '../../src/store';
import { actorOfUser } from '../../src/app/actors';
import { startSession } from '../../src/app/sessions';
import { createApp } from '../../src/web/app';
import { SIGN_IN_COOKIE } from '../../src/web/middleware/auth';
import { projectRoot } from '../../src/web/paths';
import { MonteCarloRunner } from '../../src/app/risk/runner';
import { benchScenarioInput } from './engine';
import { SIX_DRIVER_SPEC } from './risk';

/**
 * The server side of the web benchmark, run in its own process (forked by web.ts) so the load
 * generator does not share its event loop: opens the database file given as the first argument,
 * seeds the demo, listens on an ephemeral port on 127.0.0.1 and reports the port and a signed-in
 * session cookie (the demo approver's) to the parent.
 * With `--no-page-cache` as the second argument the rendered-page cache is off: every request
 * builds its page (what a page costs after a write).
 */
function main(): void {
  const dbPath = process.argv[2];
  if (!dbPath) throw new Error('usage: web-server <database file>');
  const db = openDatabase(dbPath);
  migrate(db);
  const clock = () => new Date();
  const store = createStore(db, { clock, engine: { simulate, version: ENGINE_VERSION } });
  seedDemoIfEmpty(store, path.join(projectRoot(), 'data', 'demo'));
  const noPageCache = process.argv[3] === '--no-page-cache';
  const riskRunner = new MonteCarloRunner();
  const app = createApp({
    store,
    clock,
    logger: pino({ level: 'warn' }),
    pageCache: noPageCache ? { maxEntries: 0 } : undefined,
    riskRunner,
  });
  // The parent asks for a Monte Carlo on this server's pool (as a web request would start it) and
  // measures the pages meanwhile.
  process.on('message', (m: { kind?: string; trials?: number }) => {
    if (m.kind !== 'montecarlo') return;
    const started = performance.now();
    void riskRunner
      .run({
        scenario: benchScenarioInput(),
        spec: SIX_DRIVER_SPEC,
        trials: m.trials ?? 10_000,
        seed: 7,
      })
      .then(() => process.send?.({ kind: 'montecarlo-done', ms: performance.now() - started }));
  });
  const server = app.listen(0, '127.0.0.1', () => {
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    const firstScenario = store.scenarios.list().reduce(
      (best, s) => {
        // The results page with the longest ledger: the heaviest page to render.
        const years = store.results.forVersion(s.currentVersionId).ledger.length;
        return years > best.years ? { id: s.id, years } : best;
      },
      { id: 0, years: 0 },
    );
    // A signed-in demo approver's session: the pages are measured as a signed-in user sees them.
    const approver = store.accounts.findUser('approver');
    if (!approver) throw new Error('the demo accounts were not seeded');
    const { sessionId } = startSession(store, actorOfUser(approver, 'session', false));
    process.send?.({
      port,
      scenarioId: firstScenario.id,
      years: firstScenario.years,
      cookie: `${SIGN_IN_COOKIE}=${sessionId}`,
    });
  });
  process.on('disconnect', () => {
    server.close();
    db.close();
    process.exit(0);
  });
}

main();
