import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Dec } from '../../../src/domain/decimal';
import { finance, solveIrr, solveXirr, type IrrResult } from '../../../src/domain/finance';

/**
 * Golden corpus: random cases with LibreOffice Calc as the oracle (test/golden/finance-corpus.json,
 * written by test/golden/generate-finance-corpus.js; LibreOffice reports 15 significant digits).
 *
 * Tolerances:
 * - amounts (NPV, XNPV, PMT, IPMT, PPMT): 1e-6 absolute. Inputs keep results below 1e8, where 15
 *   significant digits resolve 1e-7.
 * - rates (IRR, XIRR): 1e-9 relative to LibreOffice's rate (with a floor of 1e-3 on the magnitude, so a
 *   rate near 0 is held to 1e-12 absolute rather than to digits neither side has).
 * - where LibreOffice gives an error (Err:523: its Newton did not converge; Err:502) or a rate ≤ −1
 *   (outside the domain), there is nothing to compare: we assert that every root we return is a true
 *   root — NPV at it, computed independently by `npv`/`xnpv`, is zero relative to the discounted flows —
 *   or, if we say no-solution, that none exists (no sign change in the flows, or an even number of sign
 *   changes and no sign change of the NPV on a fine grid of rates).
 * - where several roots exist, LibreOffice's root must be one of ours; `rate` is the one nearest the
 *   guess, which need not be the one Calc's Newton iteration reached.
 */
interface Case {
  id: string;
  fn: 'irr' | 'xirr' | 'npv' | 'xnpv' | 'pmt' | 'ipmt' | 'ppmt';
  note?: string;
  args: Record<string, string | string[]>;
  libreoffice: { value?: string; error?: string };
}
// Read, not imported: type-checking a 600-case JSON literal would slow every `tsc` run.
const cases = (
  JSON.parse(readFileSync(join(__dirname, '../../golden/finance-corpus.json'), 'utf8')) as {
    cases: Case[];
  }
).cases;

const AMOUNT_TOLERANCE = new Dec('1e-6');
const RATE_TOLERANCE = new Dec('1e-9');
const RATE_FLOOR = new Dec('1e-3');
const RESIDUAL = new Dec('1e-9');

const str = (x: string | string[] | undefined): string => x as string;
const list = (x: string | string[] | undefined): string[] => x as string[];

function closeRate(ours: Dec, theirs: Dec): boolean {
  return ours
    .minus(theirs)
    .abs()
    .lte(RATE_TOLERANCE.times(Dec.max(theirs.abs(), RATE_FLOOR)));
}

/** Days from the first date, by the calendar (independent of the library's date reader). */
function dayOffsets(dates: string[]): number[] {
  const t0 = Date.parse(`${dates[0]}T00:00:00Z`);
  return dates.map((d) => Math.round((Date.parse(`${d}T00:00:00Z`) - t0) / 86_400_000));
}

/**
 * |NPV(rate)| / Σ|discounted flows|, with the NPV from `npv`/`xnpv` (Horner in 1/(1+r), resp. the
 * fractional Decimal power), not from the solver's own polynomial form.
 */
function relativeResidual(c: Case, rate: Dec): Dec {
  const values = list(c.args.values).map((v) => new Dec(v));
  const first = values[0] as Dec;
  if (c.fn === 'irr') {
    const rest = values.slice(1);
    const f = rest.length ? finance.npv(rate, rest).plus(first) : first;
    const s = rest.length
      ? finance
          .npv(
            rate,
            rest.map((v) => v.abs()),
          )
          .plus(first.abs())
      : first.abs();
    return f.abs().div(s);
  }
  const dates = list(c.args.dates);
  return finance
    .xnpv(rate, values, dates)
    .abs()
    .div(
      finance.xnpv(
        rate,
        values.map((v) => v.abs()),
        dates,
      ),
    );
}

/**
 * Whether the float NPV changes sign between adjacent points of a grid in u = ln(1 + r) over
 * [−15, 15] (1 + r from 3e-7 to 3e6) with step 0.002: an independent look for roots we may have missed.
 */
function npvChangesSign(c: Case): boolean {
  const v = list(c.args.values).map(Number);
  const t =
    c.fn === 'irr' ? v.map((_, i) => i) : dayOffsets(list(c.args.dates)).map((d) => d / 365);
  let prev = 0;
  const last = Math.max(...t);
  for (let u = -15; u <= 15; u += 0.002) {
    // NPV itself for r ≥ 0 and NPV · (1+r)^T (T the last time) for r < 0 keep every term ≤ |flow|.
    const T = u >= 0 ? 0 : last;
    const f = v.reduce((acc, x, i) => acc + x * Math.exp(u * (T - (t[i] as number))), 0);
    if (prev !== 0 && f !== 0 && f > 0 !== prev > 0) return true;
    if (f !== 0) prev = f;
  }
  return false;
}

function solve(c: Case): IrrResult {
  const values = list(c.args.values).map((v) => new Dec(v));
  const guess = c.args.guess === undefined ? undefined : str(c.args.guess);
  return c.fn === 'irr' ? solveIrr(values, guess) : solveXirr(values, list(c.args.dates), guess);
}

const rateCases = cases.filter((c) => c.fn === 'irr' || c.fn === 'xirr');
const amountCases = cases.filter((c) => c.fn !== 'irr' && c.fn !== 'xirr');

describe('golden corpus (LibreOffice oracle)', () => {
  it('holds at least 400 cases of every function', () => {
    expect(cases.length).toBeGreaterThanOrEqual(400);
    expect(new Set(cases.map((c) => c.fn))).toEqual(
      new Set(['irr', 'xirr', 'npv', 'xnpv', 'pmt', 'ipmt', 'ppmt']),
    );
  });

  it.each(amountCases)('$id $fn matches LibreOffice', (c) => {
    const a = c.args;
    const run = (): Dec => {
      switch (c.fn) {
        case 'npv':
          return finance.npv(str(a.rate), list(a.values));
        case 'xnpv':
          return finance.xnpv(str(a.rate), list(a.values), list(a.dates));
        case 'pmt':
          return finance.pmt(str(a.rate), str(a.nper), str(a.pv), str(a.fv), str(a.type));
        case 'ipmt':
          return finance.ipmt(
            str(a.rate),
            str(a.per),
            str(a.nper),
            str(a.pv),
            str(a.fv),
            str(a.type),
          );
        default:
          return finance.ppmt(
            str(a.rate),
            str(a.per),
            str(a.nper),
            str(a.pv),
            str(a.fv),
            str(a.type),
          );
      }
    };
    if (c.libreoffice.value === undefined) {
      // Calc refuses XNPV of a single flow (Err:502); Excel and FundMix return that flow undiscounted.
      expect(c.fn).toBe('xnpv');
      expect(list(a.values)).toHaveLength(1);
      expect(run().eq(list(a.values)[0] as string)).toBe(true);
      return;
    }
    const got = run();
    expect({
      id: c.id,
      got: got.toString(),
      ok: got.minus(c.libreoffice.value).abs().lte(AMOUNT_TOLERANCE),
    }).toEqual({
      id: c.id,
      got: got.toString(),
      ok: true,
    });
  });

  it.each(rateCases)('$id $fn ($note) agrees with LibreOffice', (c) => {
    const res = solve(c);
    // Whatever we return is a root, checked independently.
    for (const r of res.roots) {
      expect(r.gt(-1)).toBe(true);
      expect(relativeResidual(c, r).lte(RESIDUAL)).toBe(true);
    }
    const lo = c.libreoffice.value === undefined ? null : new Dec(c.libreoffice.value);
    if (lo !== null && lo.gt(-1)) {
      expect(res.status).toBe('ok');
      if (res.multiple) expect(res.roots.some((r) => closeRate(r, lo))).toBe(true);
      else
        expect({
          id: c.id,
          ours: res.rate?.toString(),
          lo: lo.toString(),
          close: closeRate(res.rate as Dec, lo),
        }).toMatchObject({ close: true });
      return;
    }
    // Calc failed or left the domain: we must find a true root (checked above) or prove there is none.
    if (res.status === 'no-solution') {
      const values = list(c.args.values).map((v) => new Dec(v));
      const oneSign = values.every((v) => !v.isNegative()) || values.every((v) => !v.isPositive());
      if (!oneSign) {
        expect(res.signChanges % 2).toBe(0);
        expect(npvChangesSign(c)).toBe(false);
      }
    } else {
      expect(res.roots.length).toBeGreaterThan(0);
    }
  });
});
