import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { simulate } from '../../src/domain/engine/simulate';
import { ENGINE_VERSION } from '../../src/domain/engine/types';
import { parseScenario } from '../../src/domain/scenario/parse';
import type { ScenarioInput } from '../../src/domain/scenario/schema';
import { createStore, migrate, openDatabase, type OpenOptions, type Store } from '../../src/store';
import { benchScenarioInput } from './engine';
import type { BenchRow } from './stats';

const SAVES = 1000;
const PROJECTS = 1000;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function freshStore(
  dir: string,
  name: string,
  opts: OpenOptions = {},
): { store: Store; close: () => void } {
  const file = path.join(dir, name);
  const db = openDatabase(file, opts);
  migrate(db);
  return {
    store: createStore(db, { clock: () => new Date(), engineVersion: ENGINE_VERSION }),
    close: () => db.close(),
  };
}

/** 1,000 distinct versions over 50 projects: each input differs from its scenario's last one. */
function saveInputs(): ScenarioInput[] {
  return Array.from({ length: SAVES }, (_, i) => {
    const s = benchScenarioInput(i % 50);
    s.residualValueYuan = `${i}.00`;
    return s;
  });
}

/** Milliseconds to save every input, one transaction per save (as the web app does). */
function timeSaves(store: Store, inputs: readonly ScenarioInput[]): number {
  const t0 = process.hrtime.bigint();
  for (const input of inputs)
    store.scenarios.save(input, { actor: 'bench', comment: 'bench save' });
  return Number(process.hrtime.bigint() - t0) / 1e6;
}

/**
 * `npm run bench` (store): saves per second into a file database in WAL mode, and the time to
 * load a 1,000-project portfolio with each project's current version and cached result.
 */
export async function benchStore(): Promise<BenchRow[]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fundmix-bench-store-'));
  try {
    const inputs = saveInputs();
    const runs: number[] = [];
    // Round 0 warms up the JIT and is not counted, as medianMs does for the engine benchmarks.
    for (let r = 0; r <= 5; r++) {
      const { store, close } = freshStore(dir, `saves-${r}.db`);
      const ms = timeSaves(store, inputs);
      if (r > 0) runs.push(ms);
      close();
    }
    const full = freshStore(dir, 'saves-full.db', { synchronous: 'full' });
    const fullMs = timeSaves(full.store, inputs);
    full.close();
    const memory = openDatabase(':memory:');
    migrate(memory);
    const memoryMs = timeSaves(createStore(memory, { clock: () => new Date() }), inputs);
    memory.close();

    // A portfolio of 1,000 projects, each result cached (one real 30-year result, stored per inputs hash).
    const { store, close } = freshStore(dir, 'portfolio.db');
    const result = simulate(parseScenario(benchScenarioInput()));
    const resultBytes = JSON.stringify(result).length;
    const members = store.transaction(() =>
      Array.from({ length: PROJECTS }, (_, i) => {
        const input = benchScenarioInput(i);
        input.project.code = `P-${String(i).padStart(4, '0')}`;
        const saved = store.scenarios.save(input, { actor: 'bench' });
        store.results.put(saved.version.inputsHash, result);
        return { projectCode: saved.project.code, scenarioName: saved.scenario.name };
      }),
    );
    const portfolio = store.portfolios.create({ name: 'Bench 1,000', members }, 'bench');
    const loads: number[] = [];
    const loadsParsed: number[] = [];
    let loaded = 0;
    for (let r = 0; r < 11; r++) {
      let t0 = process.hrtime.bigint();
      store.portfolios.load(portfolio.id, { computeMissing: false });
      loads.push(Number(process.hrtime.bigint() - t0) / 1e6);
      t0 = process.hrtime.bigint();
      const view = store.portfolios.load(portfolio.id, { computeMissing: false });
      loaded = view.members.filter((m) => m.result !== null && m.version.inputs !== null).length;
      loadsParsed.push(Number(process.hrtime.bigint() - t0) / 1e6);
    }
    close();

    const savesPerSecond = (ms: number) => ((SAVES * 1000) / ms).toFixed(0);
    return [
      {
        name: 'save 1,000 scenario versions, one transaction each (file, WAL, synchronous=NORMAL)',
        median: savesPerSecond(median(runs)),
        unit: 'saves/s',
        note: 'target ≥ 2000',
      },
      {
        name: 'same with synchronous=FULL (an fsync per commit, survives power loss)',
        median: savesPerSecond(fullMs),
        unit: 'saves/s',
        note: 'one run',
      },
      {
        name: 'same in memory (validation, hashing and audit chain only)',
        median: savesPerSecond(memoryMs),
        unit: 'saves/s',
        note: 'one run',
      },
      {
        name: 'load a 1,000-project portfolio with current versions and cached results',
        median: median(loads).toFixed(1),
        unit: 'ms',
        note: 'target ≤ 200 ms; one query, JSON parsed on first access',
      },
      {
        name: "same, then read every member's inputs and result (parses all JSON)",
        median: median(loadsParsed).toFixed(1),
        unit: 'ms',
        note: `${loaded} results of ${(resultBytes / 1024).toFixed(0)} KB JSON each`,
      },
    ];
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  void benchStore().then((rows) => {
    for (const row of rows)
      process.stdout.write(
        `${row.name.padEnd(90)} ${row.median.padStart(10)} ${row.unit}${row.note ? `   (${row.note})` : ''}\n`,
      );
  });
}
