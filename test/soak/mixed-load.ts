import { cannonTogether, otherStatuses, type CannonOptions, type CannonResult } from './cannon';
import { fiscalPath, scenarioIds, seededDb } from './fixtures';
import { auditVerify, integrityCheck, startServer } from './processes';
import { boolRow, infoRow, integrityRow, maxRow, zeroRow, type SoakRow } from './report';
import {
  checkAcks,
  ensureProjects,
  type AckCheck,
  loadTemplates,
  quantile,
  saveScenario,
  type SaveOutcome,
} from './saves';
import { send, signIn, type Client } from './session';

const PART = '4 mixed load';
const READERS = 100;
const SAVES_PER_S = 40;
const READ_P99_MS = 250;
/** A request without an answer after this long counts as a timeout (readers and saves). */
const TIMEOUT_S = 10;

/**
 * Fires `perSecond` saves a second for `seconds`, each on its own schedule slot (not waiting for
 * the previous one), each a new scenario name; resolves with every outcome.
 */
async function pacedSaves(client: Client, perSecond: number, seconds: number) {
  const templates = loadTemplates();
  const n = Math.round(perSecond * seconds);
  const t0 = performance.now();
  const pending: Array<Promise<SaveOutcome>> = [];
  for (let i = 0; i < n; i++) {
    const wait = t0 + (i * 1000) / perSecond - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    pending.push(
      saveScenario(client, templates[i % templates.length]!, `mix-${i}`, TIMEOUT_S * 1000),
    );
  }
  const sentInS = (performance.now() - t0) / 1000;
  return { outcomes: await Promise.all(pending), sentInS };
}

/**
 * The three pages the readers cycle over, each read a few times first to warm its cache; each
 * must answer 200 to the signed-in client (a 303 to /login fails the part before it loads).
 */
async function readerPages(client: Client): Promise<Array<[string, string]>> {
  const ids = await scenarioIds(client);
  const pages: Array<[string, string]> = [
    ['dashboard', '/'],
    ['results', `/scenarios/${ids[0]}`],
    ['fiscal', await fiscalPath(client)],
  ];
  for (const [, url] of pages)
    for (let i = 0; i < 3; i++) {
      const res = await send(client, url);
      await res.arrayBuffer();
      if (res.status !== 200) throw new Error(`warming ${url}: ${res.status}`);
    }
  return pages;
}

/**
 * Part 4: 100 reading connections spread over the dashboard, a results page and the fiscal page,
 * while 40 API saves a second arrive, for `seconds`. Targets: no reader error or timeout, reads
 * p99 ≤ 250 ms, every save acknowledged and found again, audit chain intact.
 */
export async function mixedLoad(dir: string, seconds: number): Promise<SoakRow[]> {
  const db = await seededDb(dir, 'mixed.db', (client) => ensureProjects(client, loadTemplates()));
  const server = await startServer(db);
  const client = await signIn(server.base);
  const pages = await readerPages(client);
  const per = Math.floor(READERS / pages.length);
  // Every reader carries the session: a 303 to /login counts as a non-2xx error.
  const runs: CannonOptions[] = pages.map(([, url], i) => ({
    url: server.base + url,
    headers: { cookie: client.cookie },
    connections: i === 0 ? READERS - per * (pages.length - 1) : per,
    duration: seconds,
    timeout: TIMEOUT_S,
  }));
  const [reads, saves] = await Promise.all([
    cannonTogether(runs),
    pacedSaves(client, SAVES_PER_S, seconds),
  ]);
  const acks = saves.outcomes.flatMap((o) => (o.kind === 'ack' ? [o.ack] : []));
  const check = await checkAcks(client, acks);
  await server.stop();
  const audit = await auditVerify(db);
  const integrity = integrityCheck(db);
  return [
    ...readRows(reads, pages, seconds),
    ...saveRows(saves, check),
    boolRow(PART, 'audit verify afterwards', audit.ok, audit.line),
    integrityRow(PART, integrity),
  ];
}

/** The readers' figures: errors, silent pages, timeouts, latency (overall and per page). */
function readRows(
  reads: { all: CannonResult; each: CannonResult[] },
  pages: Array<[string, string]>,
  seconds: number,
): SoakRow[] {
  const r = reads.all;
  const silent = pages.flatMap(([name], i) => (reads.each[i]!.requests.total === 0 ? [name] : []));
  const perPage = pages
    .map(
      ([name], i) =>
        `${name} ${reads.each[i]!.requests.total} req, p99 ${reads.each[i]!.latency.p99} ms`,
    )
    .join(', ');
  return [
    infoRow(
      PART,
      `reads, ${READERS} connections for ${seconds} s`,
      `${r.requests.total} req`,
      `${(r.requests.total / r.duration).toFixed(0)} req/s; ${pages.map(([n, u]) => `${n} ${u}`).join(', ')}`,
    ),
    zeroRow(
      PART,
      'read errors (incl. non-2xx)',
      r.errors - r.timeouts + r.non2xx,
      otherStatuses(r) || undefined,
    ),
    // autocannon drops requests still open when the run ends: a page that never answered
    // would otherwise only show as a low request count.
    zeroRow(
      PART,
      'reader pages that never answered',
      silent.length,
      silent.join(', ') || undefined,
    ),
    zeroRow(PART, 'read timeouts', r.timeouts, `no answer within ${TIMEOUT_S} s`),
    maxRow(
      PART,
      'read latency p99',
      r.latency.p99,
      READ_P99_MS,
      'ms',
      `p50 ${r.latency.p50} ms, max ${r.latency.max} ms; ${perPage}`,
    ),
  ];
}

/** The savers' figures: how many, how fast, refused, failed, timed out, found again. */
function saveRows(saves: { outcomes: SaveOutcome[]; sentInS: number }, check: AckCheck): SoakRow[] {
  const { outcomes } = saves;
  const refused = outcomes.flatMap((o) => (o.kind === 'refused' ? [o] : []));
  const errored = outcomes.flatMap((o) => (o.kind === 'error' ? [o.message] : []));
  const ms = outcomes.map((o) => o.ms);
  return [
    infoRow(
      PART,
      `saves sent at ${SAVES_PER_S}/s`,
      String(outcomes.length),
      `sent in ${saves.sentInS.toFixed(1)} s; save p50 ${quantile(ms, 0.5)} ms, p99 ${quantile(ms, 0.99)} ms`,
    ),
    zeroRow(
      PART,
      'save errors (refused or failed)',
      refused.length + errored.length,
      refused[0]
        ? `first: ${refused[0].status} ${refused[0].body.slice(0, 100)}`
        : errored[0] && `first: ${errored[0]}`,
    ),
    zeroRow(PART, 'save timeouts', outcomes.filter((o) => o.kind === 'timeout').length),
    zeroRow(
      PART,
      'acknowledged saves missing or different',
      check.missing.length + check.different.length,
      `${check.checked} looked up`,
    ),
  ];
}
