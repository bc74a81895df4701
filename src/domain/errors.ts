/** One problem with an input, located by its JSON path (e.g. `funding.sources[2].amountYuan`). */
export interface FieldIssue {
  path: string;
  message: string;
}

/** Base of FundMix's typed errors: a kebab-case `code`, a message for people, optional help. */
export class FundMixError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly context: Record<string, unknown> = {},
    readonly help?: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** Input that fails validation; `issues` names every wrong field and why. */
export class ValidationError extends FundMixError {
  constructor(
    readonly issues: FieldIssue[],
    message = 'The input is not valid',
  ) {
    super('invalid-input', message, { issues });
  }
}

/** A calculation that cannot be carried out on valid input, e.g. an IRR with no solution. */
export class DomainError extends FundMixError {}

/** A record that does not exist. */
export class NotFoundError extends FundMixError {
  constructor(what: string, id: string | number) {
    super('not-found', `${what} ${id} was not found`, { what, id });
  }
}
