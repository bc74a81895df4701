import fs from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../../src/web/paths';
import { send, type Client } from './session';

/** A scenario file from data/examples, the body of every save (with a fresh scenario name). */
export interface Template {
  code: string;
  file: Record<string, unknown> & { scenario: Record<string, unknown> };
}

/** A save the server acknowledged (2xx): what must be found again afterwards. */
export interface Ack {
  versionId: number;
  code: string;
  scenarioName: string;
  inputsHash: string;
}

/** How one save ended, with its time from send to answer. */
export type SaveOutcome =
  | { kind: 'ack'; ack: Ack; ms: number }
  | { kind: 'refused'; status: number; body: string; ms: number }
  | { kind: 'error'; message: string; ms: number }
  | { kind: 'timeout'; ms: number };

/** The four example scenario files; each save picks one in turn. */
export function loadTemplates(): Template[] {
  const dir = path.join(projectRoot(__dirname), 'data', 'examples');
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => {
      const file = JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')) as Template['file'];
      return { code: (file.project as { code: string }).code, file };
    });
}

const JSON_HEADERS = { 'content-type': 'application/json' };

/** Creates the example projects (POST /api/v1/projects); 409 means it is there already. */
export async function ensureProjects(
  client: Client,
  templates: readonly Template[],
): Promise<void> {
  for (const t of templates) {
    const res = await send(client, '/api/v1/projects', {
      method: 'POST',
      headers: JSON_HEADERS,
      body: JSON.stringify(t.file),
    });
    if (res.status !== 201 && res.status !== 409)
      throw new Error(`creating project ${t.code}: ${res.status} ${await res.text()}`);
    await res.arrayBuffer().catch(() => undefined);
  }
}

/**
 * POST /api/v1/projects/:code/scenarios with `template` renamed to `name`: a new scenario, so
 * every acknowledged save is a new version (its author is the signed-in user). Only a 2xx is an
 * acknowledgement; a 401 (session unknown) is refused like any other status.
 */
export async function saveScenario(
  client: Client,
  template: Template,
  name: string,
  timeoutMs = 10_000,
): Promise<SaveOutcome> {
  const body = JSON.stringify({ ...template.file, scenario: { ...template.file.scenario, name } });
  const t0 = performance.now();
  const ms = () => Math.round(performance.now() - t0);
  try {
    const res = await send(
      client,
      `/api/v1/projects/${encodeURIComponent(template.code)}/scenarios`,
      { method: 'POST', headers: JSON_HEADERS, body, signal: AbortSignal.timeout(timeoutMs) },
    );
    const text = await res.text();
    if (res.status < 200 || res.status > 299)
      return { kind: 'refused', status: res.status, body: text.slice(0, 300), ms: ms() };
    const v = (JSON.parse(text) as { version: { id: number; inputsHash: string } }).version;
    return {
      kind: 'ack',
      ack: { versionId: v.id, code: template.code, scenarioName: name, inputsHash: v.inputsHash },
      ms: ms(),
    };
  } catch (err) {
    const e = err as { name?: string; message?: string; cause?: { code?: string } };
    if (e.name === 'TimeoutError') return { kind: 'timeout', ms: ms() };
    return { kind: 'error', message: e.cause?.code ?? e.message ?? String(err), ms: ms() };
  }
}

/** Acknowledged saves not found again, or found with other inputs or another name. */
export interface AckCheck {
  checked: number;
  missing: Ack[];
  different: Ack[];
}

/**
 * Looks every acknowledged save up again (GET /api/v1/versions/:id, a few at a time): it must
 * exist with the same project, scenario name and inputs hash.
 */
export async function checkAcks(client: Client, acks: readonly Ack[]): Promise<AckCheck> {
  const result: AckCheck = { checked: 0, missing: [], different: [] };
  let next = 0;
  const worker = async () => {
    while (next < acks.length) {
      const ack = acks[next++]!;
      const res = await send(client, `/api/v1/versions/${ack.versionId}`);
      const text = await res.text();
      result.checked++;
      if (res.status === 404) {
        result.missing.push(ack);
        continue;
      }
      const v = (JSON.parse(text) as { version?: Record<string, unknown> }).version ?? {};
      if (
        res.status !== 200 ||
        v.projectCode !== ack.code ||
        v.scenarioName !== ack.scenarioName ||
        v.inputsHash !== ack.inputsHash
      )
        result.different.push(ack);
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  return result;
}

/** The value at quantile `q` (0–1) of `values` (nearest rank); 0 for none. */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? 0;
}
