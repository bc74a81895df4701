import { Dec, ONE, ZERO } from '../decimal';
import { DomainError } from '../errors';

export interface SculptedDebt {
  /** Debt the CFADS can carry at the target DSCR, yuan, unrounded. */
  debt: Dec;
  interest: Dec[];
  principal: Dec[];
  closing: Dec[];
  dscr: Dec[];
  llcr: Dec;
}

/**
 * Debt sizing by sculpting (src/domain/README.md, "Debt sculpting"): debt = Σ CFADS_t / DSCR / (1 + r)^t, and each year
 * principal_t = CFADS_t / DSCR − interest_t, so DSCR equals the target every year and the debt
 * is repaid exactly at the end. Flows at year ends; unrounded (round at the caller's posting point).
 * @param cfads CFADS per repayment year, yuan
 * @param targetDscr e.g. "1.30"
 * @param annualRate interest rate as a fraction
 * @throws DomainError `invalid-argument` for a target DSCR ≤ 0 or a rate ≤ −1
 */
export function sculptDebt(cfads: readonly Dec[], targetDscr: Dec, annualRate: Dec): SculptedDebt {
  if (targetDscr.lte(0))
    throw new DomainError('invalid-argument', 'The target DSCR must be positive');
  if (annualRate.lte(-1))
    throw new DomainError('invalid-argument', 'The rate must be above -100 %');
  const onePlus = ONE.plus(annualRate);
  let factor = ONE;
  let debt = ZERO;
  let pvCfads = ZERO;
  for (const c of cfads) {
    factor = factor.times(onePlus);
    debt = debt.plus(c.div(targetDscr).div(factor));
    pvCfads = pvCfads.plus(c.div(factor));
  }
  const interest: Dec[] = [];
  const principal: Dec[] = [];
  const closing: Dec[] = [];
  const dscr: Dec[] = [];
  let balance = debt;
  for (const c of cfads) {
    const i = balance.times(annualRate);
    const p = c.div(targetDscr).minus(i);
    balance = balance.minus(p);
    interest.push(i);
    principal.push(p);
    closing.push(balance);
    dscr.push(c.div(i.plus(p)));
  }
  return {
    debt,
    interest,
    principal,
    closing,
    dscr,
    llcr: debt.isZero() ? ZERO : pvCfads.div(debt),
  };
}
