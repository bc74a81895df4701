/**
 * Excel-compatible financial functions, pure and exact: arguments are decimal strings, safe integers
 * or Decimals; results are Decimals. Rates are fractions ("0.05" = 5 %) per period (per 365-day year
 * for XNPV/XIRR); signs follow Excel (money received positive, paid negative).
 * Bad arguments throw DomainError `invalid-argument`; an IRR/XIRR without a root in (−1, ∞) throws
 * DomainError `no-solution` (the `solve*` variants report it in the result instead).
 */
import { irr, xirr } from './irr';
import { npv, xnpv } from './npv';
import { ipmt, pmt, ppmt } from './payments';

export { irr, xirr, solveIrr, solveIrrFen, solveXirr, NO_SOLUTION } from './irr';
export type { IrrResult } from './irr';
export { npv, xnpv } from './npv';
export { pmt, ipmt, ppmt } from './payments';
export { INVALID_ARGUMENT } from './args';
export { RESIDUAL_TOLERANCE, RATE_SIGNIFICANT_DIGITS } from './rate-solver';

/** The spreadsheet functions under their Excel names (lower-case), for lookup by name. */
export const finance = { npv, xnpv, irr, xirr, pmt, ipmt, ppmt } as const;
