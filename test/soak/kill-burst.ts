import path from 'node:path';
import { auditVerify, integrityCheck, startServer } from './processes';
import { boolRow, infoRow, integrityRow, zeroRow, type SoakRow } from './report';
import { checkAcks, ensureProjects, loadTemplates, saveScenario, type Ack } from './saves';
import { signIn, type Client } from './session';

const PART = '1 SIGKILL mid-burst';
/** Saves in flight at once during a burst. */
const CONCURRENCY = 8;
/** Acknowledged saves per round before the kill is armed, then a round-dependent delay (ms). */
const ACKS_BEFORE_KILL = 10;
const KILL_DELAYS_MS = [150, 400, 250, 600, 50, 350, 500, 100];

interface Round {
  acks: Ack[];
  inFlightAtKill: number;
  killSignal: string;
  audit: { ok: boolean; line: string };
}

/**
 * Saves as fast as CONCURRENCY loops allow until `killed` is set; resolves with the acknowledged
 * ones. Every name is new: `kill-rROUND-N`.
 */
async function burst(
  client: Client,
  round: number,
  state: { killed: boolean; inFlight: number; acks: Ack[] },
): Promise<void> {
  const templates = loadTemplates();
  let n = 0;
  const loop = async () => {
    while (!state.killed) {
      const i = n++;
      state.inFlight++;
      const r = await saveScenario(client, templates[i % templates.length]!, `kill-r${round}-${i}`);
      state.inFlight--;
      if (r.kind === 'ack') state.acks.push(r.ack);
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, loop));
}

/**
 * One round: start, sign in, burst, SIGKILL once the burst is well under way, then `audit verify`.
 */
async function round(db: string, no: number): Promise<Round> {
  const server = await startServer(db);
  const client = await signIn(server.base);
  if (no === 1) await ensureProjects(client, loadTemplates());
  const state = { killed: false, inFlight: 0, acks: [] as Ack[] };
  const running = burst(client, no, state);
  // Armed after a few acknowledgements (or 20 s, should saves not succeed at all).
  const armBy = Date.now() + 20_000;
  while (state.acks.length < ACKS_BEFORE_KILL && Date.now() < armBy)
    await new Promise((r) => setTimeout(r, 5));
  await new Promise((r) => setTimeout(r, KILL_DELAYS_MS[(no - 1) % KILL_DELAYS_MS.length]));
  const inFlightAtKill = state.inFlight;
  const fin = await server.kill();
  state.killed = true;
  await running;
  return {
    acks: state.acks,
    inFlightAtKill,
    killSignal: String(fin.signal ?? fin.code),
    audit: await auditVerify(db),
  };
}

/**
 * Part 1: a server on a fresh database is SIGKILLed in the middle of a burst of API saves,
 * `rounds` times; after a last restart every save it acknowledged must be there with the same
 * inputs, and `fundmix audit verify` must pass after every kill.
 */
export async function killBurst(dir: string, rounds: number): Promise<SoakRow[]> {
  const db = path.join(dir, 'kill.db');
  const done: Round[] = [];
  for (let no = 1; no <= rounds; no++) done.push(await round(db, no));
  const acks = done.flatMap((r) => r.acks);
  const server = await startServer(db);
  const check = await checkAcks(await signIn(server.base), acks);
  await server.stop();
  const finalAudit = await auditVerify(db);
  const integrity = integrityCheck(db);
  const brokenRounds = done.filter((r) => !r.audit.ok);
  return [
    infoRow(
      PART,
      'rounds (save burst, then SIGKILL)',
      String(rounds),
      `${CONCURRENCY} saves in flight; killed by ${[...new Set(done.map((r) => r.killSignal))].join(', ')}`,
    ),
    infoRow(
      PART,
      'acknowledged saves',
      String(acks.length),
      `per round ${done.map((r) => r.acks.length).join(', ')}; in flight at the kill ${done.map((r) => r.inFlightAtKill).join(', ')}`,
    ),
    zeroRow(PART, 'acknowledged saves missing after restart', check.missing.length),
    zeroRow(PART, 'acknowledged saves with other inputs or name', check.different.length),
    zeroRow(
      PART,
      'rounds after which audit verify failed',
      brokenRounds.length,
      brokenRounds[0]?.audit.line,
    ),
    boolRow(PART, 'audit verify after the last restart', finalAudit.ok, finalAudit.line),
    integrityRow(PART, integrity),
  ];
}
