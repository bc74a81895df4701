/**
 * Formula builders of the government-serviced bonds' lines of the Ledger sheet (README "General
 * bonds"; src/domain/engine/government-debt.ts): opening, interest, principal and closing of each
 * general bond, and the general budget's service of them. They follow the engine step by step:
 * construction interest by draw timing, all paid; principal by the repayment kind from the first
 * repayment year, the balance at maturity. The bonds stay out of the project's debt service and
 * interest formulas (those sum `result.debts`, which holds only the project's own debt), and no
 * shortfall policy touches them: the government pays in full every year.
 */
import { isGovernmentServiced } from '../scenario/schema';
import { debtTerms, profilePrincipal } from './ledger-debt';
import { yearColumn, type LedgerContext, roundFen } from './ledger-context';

type YearFormula = (t: number) => string | null;

/** The cell of line `key` in year t (same sheet). */
const at = (ctx: LedgerContext, key: string, t: number) => `${yearColumn(t)}${ctx.row(key)}`;

/** One line `gov-debt:<id>:<part>` per year, or null for a part it does not know. */
export function generalBondLine(ctx: LedgerContext, id: string, part: string): YearFormula | null {
  const source = ctx.scenario.funding.sources.find((s) => s.id === id);
  if (!source || !isGovernmentServiced(source.type)) return null;
  const k = debtTerms(ctx, id);
  const line = (p: string, t: number) => at(ctx, `gov-debt:${id}:${p}`, t);
  const draw = (t: number) => at(ctx, `drawdown:${id}`, t);
  switch (part) {
    case 'opening':
      return (t) => (t === 0 ? null : line('closing', t - 1));
    case 'interest':
      return (t) => {
        if (t >= ctx.C) return roundFen(`${line('opening', t)}*${k.rate}`);
        return `IF(${k.startOfYear},${roundFen(`(${line('opening', t)}+${draw(t)})*${k.rate}`)},${roundFen(`(2*${line('opening', t)}+${draw(t)})*${k.rate}/2`)})`;
      };
    case 'principal':
      return (t) => {
        if (t < ctx.C) return null;
        const opening = line('opening', t);
        const r = ctx.row(`gov-debt:${id}:opening`);
        const base = `INDEX($${yearColumn(0)}$${r}:$${yearColumn(ctx.T - 1)}$${r},1,${k.S}+1)`;
        const scheduled = profilePrincipal(k, base, line('interest', t));
        return `IF(${t}>=${k.M},${opening},IF(${t}>=${k.S},MIN(${opening},${scheduled}),0))`;
      };
    case 'closing':
      return (t) => `${line('opening', t)}+${draw(t)}-${line('principal', t)}`;
    default:
      return null;
  }
}

/** The general budget's service of the bonds in year t: Σ interest + principal. */
export function generalBondService(ctx: LedgerContext): YearFormula {
  const ids = (ctx.result.governmentDebts ?? []).map((d) => d.id);
  return (t) =>
    ids.length === 0
      ? null
      : ids
          .flatMap((id) => ['interest', 'principal'].map((p) => at(ctx, `gov-debt:${id}:${p}`, t)))
          .join('+');
}
