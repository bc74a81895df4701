import { ValidationError } from '../errors';

/** Why a risk request is refused: a driver or metric it names, or a value outside a range. */
export type RiskInputReason =
  | 'unknown-driver'
  | 'unknown-metric'
  | 'driver-out-of-range'
  /** A solvable input (`input:…`) the scenario does not have; the message names its field. */
  | 'input-not-in-scenario';

/**
 * A risk request naming something that does not exist or a value out of range: bad input (422,
 * exit status 2), located at the request's field (`driver`, `metric`, `low`, `high`, `value`).
 */
export class RiskInputError extends ValidationError {
  constructor(
    readonly reason: RiskInputReason,
    field: string,
    message: string,
  ) {
    super([{ path: field, message }], message);
  }
}
