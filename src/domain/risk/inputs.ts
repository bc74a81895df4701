import { Dec, Rounding, ZERO } from '../decimal';
import { SOURCE_KINDS, type Scenario } from '../scenario/schema';
import { RiskInputError } from './errors';

/**
 * Solvable inputs (README "Risk drivers", "Break-even on inputs"): scenario inputs a break-even
 * may solve for, besides the drivers. A driver shifts a scenario through the engine's overrides;
 * an input is written into a modified copy of the scenario (`applyInput`), rounded as the schema
 * demands, so a solved value is a value a user could type into the scenario.
 * - `rate`: a fraction per year (0.06 = 6 %), to `INPUT_RATE_DP` places;
 * - `yuan`: an amount in yuan, to the fen;
 * - `share`: a fraction of the total investment, to `INPUT_RATE_DP` places.
 */
export type InputUnit = 'rate' | 'yuan' | 'share';

export const BASE_INPUTS = ['ap-profit-rate', 'operating-subsidy', 'debt-share'] as const;
export type BaseInput = (typeof BASE_INPUTS)[number];

/** Each input's unit. */
export const INPUT_UNITS: Record<BaseInput, InputUnit> = {
  'ap-profit-rate': 'rate',
  'operating-subsidy': 'yuan',
  'debt-share': 'share',
};

/** Every solvable input's name starts with this prefix: `input:ap-profit-rate`. */
export const INPUT_PREFIX = 'input:';

/** Rates and shares solved for are written with 10 decimal places (half-up). */
export const INPUT_RATE_DP = 10;

/** An input read against a scenario: its unit, range (the default bracket) and scenario field. */
export interface InputName {
  name: string;
  base: BaseInput;
  /** The debt source id of `input:debt-share:SOURCE-ID`; null otherwise. */
  target: string | null;
  unit: InputUnit;
  min: Dec;
  max: Dec;
  /** Decimal places a value is rounded to (half-up): 2 for yuan (fen), 10 for a rate or share. */
  dp: number;
  /** The scenario field the value is written to, e.g. `government.availabilityPayment.profitRate`. */
  field: string;
  /** The scenario's own value (decimal text). */
  current: string;
}

const isBase = (s: string): s is BaseInput => (BASE_INPUTS as readonly string[]).includes(s);

/** Whether a solvable name is an input (`input:…`) rather than a driver. */
export const isInputName = (name: string): boolean => name.startsWith(INPUT_PREFIX);

const missing = (name: string, field: string, why = '') =>
  new RiskInputError(
    'input-not-in-scenario',
    'driver',
    `The scenario has no ${field}${why}: ${name} cannot be solved for`,
  );

const totalInvestment = (s: Scenario) => s.capex.scheduleYuan.reduce((a, v) => a.plus(v), ZERO);

/** The source a debt share re-balances against: the first equity source of the funding list. */
function balancingSource(s: Scenario) {
  return s.funding.sources.findIndex((x) => SOURCE_KINDS[x.type].nature === 'equity');
}

/**
 * Reads an input name against a scenario: `input:ap-profit-rate`, `input:operating-subsidy` or
 * `input:debt-share:SOURCE-ID`.
 * @throws RiskInputError `unknown-driver` for a name outside the list; `input-not-in-scenario`
 *   (naming the scenario field) when the scenario does not have the input
 */
export function parseInputName(name: string, scenario: Scenario): InputName {
  const rest = name.slice(INPUT_PREFIX.length);
  const colon = rest.indexOf(':');
  const base = colon < 0 ? rest : rest.slice(0, colon);
  const target = colon < 0 ? null : rest.slice(colon + 1);
  if (!isInputName(name) || !isBase(base) || (target === null) !== (base !== 'debt-share'))
    throw new RiskInputError('unknown-driver', 'driver', `Unknown input "${name}"`);
  const g = scenario.government;
  switch (base) {
    case 'ap-profit-rate': {
      const field = 'government.availabilityPayment.profitRate';
      if (!g.availabilityPayment) throw missing(name, 'government.availabilityPayment');
      const [min, max] = [new Dec(0), new Dec('0.5')];
      const current = g.availabilityPayment.profitRate;
      return {
        name,
        base,
        target,
        unit: INPUT_UNITS[base],
        min,
        max,
        dp: INPUT_RATE_DP,
        field,
        current,
      };
    }
    case 'operating-subsidy': {
      const field = 'government.operatingSubsidy.annualYuan';
      if (!g.operatingSubsidy) throw missing(name, 'government.operatingSubsidy');
      const current = g.operatingSubsidy.annualYuan;
      const max = Dec.max(totalInvestment(scenario), new Dec(current).times(10));
      return { name, base, target, unit: INPUT_UNITS[base], min: ZERO, max, dp: 2, field, current };
    }
    case 'debt-share':
      return debtShare(name, target as string, scenario);
  }
}

function debtShare(name: string, id: string, scenario: Scenario): InputName {
  const sources = scenario.funding.sources;
  const at = sources.findIndex((x) => x.id === id);
  const debt = sources[at];
  if (!debt?.debt)
    throw new RiskInputError('unknown-driver', 'driver', `No debt source has the id "${id}"`);
  const field = `funding.sources.${at}.share`;
  const e = balancingSource(scenario);
  const equity = sources[e];
  if (!equity) throw missing(name, 'equity source', ' to re-balance the debt share against');
  for (const [x, i] of [
    [debt, at],
    [equity, e],
  ] as const)
    if (x.share === undefined)
      throw missing(
        name,
        `funding.sources.${i}.share`,
        ` (source "${x.id}" is stated in yuan; a debt share re-balances shares)`,
      );
  const max = new Dec(debt.share!).plus(equity.share!);
  return {
    name,
    base: 'debt-share',
    target: id,
    unit: 'share',
    min: ZERO,
    max,
    dp: INPUT_RATE_DP,
    field,
    current: debt.share!,
  };
}

/** The inputs a scenario has, in `BASE_INPUTS` order (`input:debt-share:ID` per debt source). */
export function scenarioInputs(scenario: Scenario): InputName[] {
  const names = [
    `${INPUT_PREFIX}ap-profit-rate`,
    `${INPUT_PREFIX}operating-subsidy`,
    ...scenario.funding.sources
      .filter((s) => s.debt)
      .map((s) => `${INPUT_PREFIX}debt-share:${s.id}`),
  ];
  return names.flatMap((n) => {
    try {
      return [parseInputName(n, scenario)];
    } catch (err) {
      if (err instanceof RiskInputError) return [];
      throw err;
    }
  });
}

/** A value on the input's grid: half-up to its decimal places (the fen for yuan). */
export const roundInput = (input: InputName, value: Dec): Dec =>
  value.toDecimalPlaces(input.dp, Rounding.halfUp);

/**
 * Checks a value against the input's range.
 * @throws RiskInputError `driver-out-of-range` at `field`
 */
export function checkInputValue(input: InputName, value: Dec, field = 'value'): void {
  if (value.isNaN() || value.lt(input.min) || value.gt(input.max))
    throw new RiskInputError(
      'driver-out-of-range',
      field,
      `${input.name} must be between ${input.min.toString()} and ${input.max.toString()}`,
    );
}

/**
 * A copy of the scenario with the input at `value`, rounded to the input's grid first
 * (`roundInput`); the scenario itself is not changed. A debt share sets the debt source's
 * `share` and gives the difference to the first equity source's `share` (its share falls by as
 * much as the debt's rises), so the sources still sum exactly to the investment.
 */
export function applyInput(scenario: Scenario, input: InputName, value: Dec): Scenario {
  // A bound with more places than the grid is not passed by rounding up.
  const v = Dec.min(input.max, Dec.max(input.min, roundInput(input, value)));
  const text = input.unit === 'yuan' ? v.toFixed(2) : v.toFixed();
  const copy = structuredClone(scenario);
  const g = copy.government;
  switch (input.base) {
    case 'ap-profit-rate':
      g.availabilityPayment!.profitRate = text;
      break;
    case 'operating-subsidy':
      g.operatingSubsidy!.annualYuan = text;
      break;
    case 'debt-share': {
      const sources = copy.funding.sources;
      const debt = sources.find((s) => s.id === input.target)!;
      const equity = sources[balancingSource(copy)]!;
      const moved = v.minus(debt.share!);
      debt.share = text;
      equity.share = new Dec(equity.share!).minus(moved).toFixed();
      break;
    }
  }
  return copy;
}
