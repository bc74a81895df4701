import * as formulajs from '@formulajs/formulajs';
import { Dec } from '../../src/domain/decimal';
import { irr, solveIrr, xirr } from '../../src/domain/finance';
import { evalExact, partsOfDec, scaleToIntegers } from '../../src/domain/finance/exact';

/** One benchmark figure: `median` is a decimal string in `unit`. */
export interface BenchRow {
  name: string;
  median: string;
  unit: string;
  note?: string;
}

const FLOWS = 30;
const SETS = 64;
const ROUNDS = 15;

/** Deterministic flows (a fixed LCG) so every run measures the same work. */
function makeFlowSets(): string[][] {
  let seed = 20240501;
  const rand = (): number => {
    seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
    return seed / 2 ** 32;
  };
  const sets: string[][] = [];
  for (let s = 0; s < SETS; s++) {
    const capex = 500_000 + Math.floor(rand() * 500_000);
    const flows = [`-${capex}.00`];
    for (let i = 1; i < FLOWS; i++) flows.push((capex * (0.04 + rand() * 0.1)).toFixed(2));
    sets.push(flows);
  }
  return sets;
}

function dates(n: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < n; i++)
    out.push(`${2025 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}-15`);
  return out;
}

/**
 * Times every function in `fns` on the same inputs, interleaved round by round so that load from other
 * processes hits all of them alike. Returns, per function, the median over rounds of the mean time per
 * call in µs, and the median per-round ratio of each function to the last one (the reference).
 */
function race<T>(
  inputs: readonly T[],
  fns: ReadonlyArray<(x: T) => unknown>,
  callsPerRound: number,
): { micros: number[]; ratios: number[] } {
  for (const fn of fns) for (let i = 0; i < callsPerRound; i++) fn(inputs[i % inputs.length] as T);
  const times = fns.map(() => [] as number[]);
  const ratios = fns.map(() => [] as number[]);
  for (let r = 0; r < ROUNDS; r++) {
    const round = fns.map((fn) => {
      const start = process.hrtime.bigint();
      for (let i = 0; i < callsPerRound; i++) fn(inputs[i % inputs.length] as T);
      return Number(process.hrtime.bigint() - start) / 1000 / callsPerRound;
    });
    const ref = round[round.length - 1] as number;
    round.forEach((t, k) => {
      (times[k] as number[]).push(t);
      (ratios[k] as number[]).push(t / ref);
    });
  }
  const median = (xs: number[]): number =>
    [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
  return { micros: times.map(median), ratios: ratios.map(median) };
}

/**
 * IRR of 30 flows: FundMix `irr` (decimal strings in: read, float search, exact confirmation in
 * integers) and `solveIrr` (Decimals in) against @formulajs/formulajs IRR (numbers in, floats only) on
 * the same flows, plus the cost of the one exact BigInt Horner pass that confirms the rounded root
 * (the floor of an exactly confirmed answer); XIRR of 30 monthly flows likewise. Median time per call
 * in µs, the median of per-round ratios, and the largest difference between the two libraries' rates.
 */
export async function benchFinance(): Promise<BenchRow[]> {
  const sets = makeFlowSets();
  const numbers = sets.map((s) => s.map(Number));
  const decimals = sets.map((s) => s.map((v) => new Dec(v)));
  const ints = decimals.map((d) => scaleToIntegers(d.map(partsOfDec)).ints);
  const exps = Array.from({ length: FLOWS }, (_, i) => i);
  const d30 = dates(FLOWS);
  const calls = 1000;

  let maxDiff = 0;
  for (let i = 0; i < sets.length; i++) {
    const ours = irr(sets[i] as string[]).toNumber();
    const theirs = formulajs.IRR(numbers[i] as number[]) as number;
    maxDiff = Math.max(maxDiff, Math.abs(ours - theirs));
  }

  const idx = sets.map((_, i) => i);
  // A confirmation point as the solver uses it: 1 + r with r rounded to 15 significant digits.
  const w = { n: 10730106747010567n, d: 16 };
  const ir = race(
    idx,
    [
      (i) => irr(sets[i] as string[]),
      (i) => solveIrr(decimals[i] as Dec[]),
      (i) => evalExact(ints[i] as bigint[], exps, FLOWS - 1, w, false),
      (i) => formulajs.IRR(numbers[i] as number[]),
    ],
    calls,
  );
  const xr = race(
    idx,
    [(i) => xirr(sets[i] as string[], d30), (i) => formulajs.XIRR(numbers[i] as number[], d30)],
    calls / 4,
  );

  const us = (x: number): string => x.toFixed(2);
  const times = (x: number): string => x.toFixed(2);
  const [tIrr, tSolve, tHorner, tFjs] = ir.micros as [number, number, number, number];
  const [rIrr, rSolve, rHorner] = ir.ratios as [number, number, number];
  return [
    { name: 'irr, 30 flows (fundmix, decimal strings in)', median: us(tIrr), unit: 'µs/call' },
    { name: 'solveIrr, 30 flows (fundmix, Decimal[] in)', median: us(tSolve), unit: 'µs/call' },
    {
      name: '  of which one exact BigInt Horner pass (the confirmation)',
      median: us(tHorner),
      unit: 'µs/call',
    },
    { name: 'IRR, 30 flows (@formulajs/formulajs, numbers in)', median: us(tFjs), unit: 'µs/call' },
    { name: 'irr / formulajs IRR', median: times(rIrr), unit: '×', note: 'target ≤ 3×' },
    { name: 'solveIrr / formulajs IRR', median: times(rSolve), unit: '×', note: 'target ≤ 3×' },
    {
      name: 'exact Horner pass alone / formulajs IRR',
      median: times(rHorner),
      unit: '×',
      note: 'floor for an exactly confirmed IRR',
    },
    {
      name: 'max |irr − formulajs IRR| over the 64 flow sets',
      median: maxDiff.toExponential(2),
      unit: 'rate',
      note: 'formulajs stops at |NPV| < 1e-10',
    },
    {
      name: 'xirr, 30 monthly flows (fundmix)',
      median: us(xr.micros[0] as number),
      unit: 'µs/call',
    },
    {
      name: 'XIRR, 30 monthly flows (@formulajs/formulajs)',
      median: us(xr.micros[1] as number),
      unit: 'µs/call',
    },
    { name: 'xirr / formulajs XIRR', median: times(xr.ratios[0] as number), unit: '×' },
  ];
}
