import { Dec, ONE, ZERO } from '../decimal';
import { RiskInputError } from './errors';
import type { Overrides } from '../engine/types';
import type { Scenario } from '../scenario/schema';

/**
 * Risk drivers: named, typed shifts of a scenario applied through the engine's `Overrides`
 * without copying the scenario (README "Risk drivers"). A driver's value is a Decimal in its unit:
 * - `factor`: multiplies (1 is the scenario as it is);
 * - `bp`: basis points added to a rate (100 bp = 1 percentage point; 0 is neutral);
 * - `years`: whole years (0 is neutral);
 * - `shift`: a decimal added to a rate (0.01 = one percentage point; 0 is neutral);
 * - `share`: a share in [0, 1) (0 is neutral).
 */
export type DriverUnit = 'factor' | 'bp' | 'years' | 'shift' | 'share';

export const BASE_DRIVERS = [
  'revenue',
  'tariff',
  'volume',
  'ramp-up',
  'capex',
  'opex',
  'rate',
  'delay',
  'escalation',
  'ap-deduction',
  'residual',
] as const;
export type BaseDriver = (typeof BASE_DRIVERS)[number];

/** A driver's definition: unit, allowed range, default low / high of a sensitivity, neutral value. */
export interface DriverKind {
  unit: DriverUnit;
  min: Dec;
  max: Dec;
  low: Dec;
  high: Dec;
  neutral: Dec;
  /** `revenue:STREAM` and `rate:SOURCE-ID` name one stream or one debt. */
  qualified: boolean;
}

const d = (s: string) => new Dec(s);
const kind = (
  unit: DriverUnit,
  [min, max]: [string, string],
  [low, high]: [string, string],
  qualified = false,
): DriverKind => ({
  unit,
  min: d(min),
  max: d(max),
  low: d(low),
  high: d(high),
  neutral: unit === 'factor' ? ONE : ZERO,
  qualified,
});

/** The catalogue: ranges are what the engine accepts; low / high are the sensitivity defaults. */
export const DRIVER_KINDS: Record<BaseDriver, DriverKind> = {
  revenue: kind('factor', ['0.1', '3'], ['0.8', '1.2'], true),
  tariff: kind('factor', ['0.1', '3'], ['0.9', '1.1']),
  volume: kind('factor', ['0.1', '3'], ['0.8', '1.2']),
  'ramp-up': kind('factor', ['0', '3'], ['0.5', '1.5']),
  capex: kind('factor', ['0.5', '3'], ['0.9', '1.2']),
  opex: kind('factor', ['0.5', '3'], ['0.9', '1.2']),
  rate: kind('bp', ['-300', '500'], ['-50', '100'], true),
  delay: kind('years', ['0', '5'], ['0', '2']),
  escalation: kind('shift', ['-0.05', '0.05'], ['-0.01', '0.01']),
  'ap-deduction': kind('share', ['0', '0.5'], ['0', '0.1']),
  residual: kind('factor', ['0', '5'], ['0.5', '1.5']),
};

/** A driver name parsed: its kind and, for `revenue:STREAM` / `rate:SOURCE-ID`, what it names. */
export interface DriverName {
  name: string;
  base: BaseDriver;
  target: string | null;
  kind: DriverKind;
}

const isBase = (s: string): s is BaseDriver => (BASE_DRIVERS as readonly string[]).includes(s);

/**
 * Reads a driver name against a scenario: a base name, `revenue:STREAM` (a revenue stream's name)
 * or `rate:SOURCE-ID` (a debt source's id). A delay's range ends at operation years − 1.
 * @throws RiskInputError `unknown-driver` for a name that is not in the catalogue or names nothing
 *   in the scenario
 */
export function parseDriverName(name: string, scenario: Scenario): DriverName {
  const colon = name.indexOf(':');
  const base = colon < 0 ? name : name.slice(0, colon);
  const target = colon < 0 ? null : name.slice(colon + 1);
  if (!isBase(base) || (target !== null && !DRIVER_KINDS[base].qualified)) {
    throw new RiskInputError('unknown-driver', 'driver', `Unknown driver "${name}"`);
  }
  if (target !== null && base === 'revenue' && !scenario.revenues.some((r) => r.name === target)) {
    throw new RiskInputError('unknown-driver', 'driver', `No revenue stream is named "${target}"`);
  }
  if (target !== null && base === 'rate') {
    const source = scenario.funding.sources.find((s) => s.id === target);
    // A general bond's rate moves the government's service of it (governmentNpv), not the project.
    if (!source?.debt) {
      throw new RiskInputError('unknown-driver', 'driver', `No debt source has the id "${target}"`);
    }
  }
  return { name, base, target, kind: kindFor(base, scenario) };
}

/** A delay leaves at least one operation year: its maximum is min(5, operation years − 1). */
function kindFor(base: BaseDriver, scenario: Scenario): DriverKind {
  const k = DRIVER_KINDS[base];
  if (base !== 'delay') return k;
  const max = Dec.min(k.max, scenario.timeline.operationYears - 1);
  return { ...k, max, high: Dec.min(k.high, max) };
}

/**
 * Whether a driver can move anything in this scenario: tariff and volume need a user-fee stream,
 * rate a debt source (a general bond included: it moves the government's service), ap-deduction an availability payment, delay a construction period with
 * an operation longer than one year; the others always apply.
 */
export function driverApplies(base: BaseDriver, scenario: Scenario): boolean {
  switch (base) {
    case 'tariff':
    case 'volume':
      return scenario.revenues.some((r) => r.kind === 'user-fee');
    case 'revenue':
      return scenario.revenues.length > 0;
    case 'ramp-up':
      return scenario.revenues.some((r) => r.rampUp.length > 0);
    case 'rate':
      return scenario.funding.sources.some((s) => s.debt);
    case 'ap-deduction':
      return scenario.government.availabilityPayment !== undefined;
    case 'residual':
      return !new Dec(scenario.residualValueYuan).isZero();
    case 'delay':
      return scenario.timeline.operationYears > 1;
    default:
      return true;
  }
}

/** The drivers a default sensitivity or Monte Carlo uses for a scenario: every base that applies. */
export function defaultDrivers(scenario: Scenario): DriverName[] {
  return BASE_DRIVERS.filter((b) => driverApplies(b, scenario)).map((b) =>
    parseDriverName(b, scenario),
  );
}

/**
 * Checks a value against the driver's range (and, for `years`, that it is whole).
 * @throws RiskInputError `driver-out-of-range` at `field`
 */
export function checkDriverValue(driver: DriverName, value: Dec, field = 'value'): void {
  const { min, max, unit } = driver.kind;
  if (value.isNaN() || value.lt(min) || value.gt(max) || (unit === 'years' && !value.isInteger())) {
    throw new RiskInputError(
      'driver-out-of-range',
      field,
      `${driver.name} must be ${unit === 'years' ? 'a whole number ' : ''}between ${min.toString()} and ${max.toString()}`,
    );
  }
}

const BP = new Dec(10000);

/**
 * Adds one driver's value to a set of overrides (returns a new object). Factors on the same
 * engine field multiply, shifts add, so several drivers (and Monte Carlo events) compose.
 */
export function applyDriver(overrides: Overrides, driver: DriverName, value: Dec): Overrides {
  const o: Overrides = { ...overrides };
  // The first driver on a field is the value itself (no product with 1 or sum with 0).
  const times = (x: Dec | undefined) => (x ? x.times(value) : value);
  const plus = (x: Dec | undefined, y: Dec) => (x ? x.plus(y) : y);
  switch (driver.base) {
    case 'revenue':
      if (driver.target === null) o.revenueFactor = times(o.revenueFactor);
      else
        o.streamFactors = {
          ...o.streamFactors,
          [driver.target]: times(o.streamFactors?.[driver.target]),
        };
      break;
    case 'tariff':
      o.tariffFactor = times(o.tariffFactor);
      break;
    case 'volume':
      o.volumeFactor = times(o.volumeFactor);
      break;
    case 'ramp-up':
      o.rampUpFactor = times(o.rampUpFactor);
      break;
    case 'capex':
      o.capexFactor = times(o.capexFactor);
      break;
    case 'opex':
      o.opexFactor = times(o.opexFactor);
      break;
    case 'rate':
      if (driver.target === null) o.rateShift = plus(o.rateShift, value.div(BP));
      else
        o.rateShifts = {
          ...o.rateShifts,
          [driver.target]: plus(o.rateShifts?.[driver.target], value.div(BP)),
        };
      break;
    case 'delay':
      o.delayYears = (o.delayYears ?? 0) + value.toNumber();
      break;
    case 'escalation':
      o.escalationShift = plus(o.escalationShift, value);
      break;
    case 'ap-deduction':
      o.availabilityDeduction = plus(o.availabilityDeduction, value);
      break;
    case 'residual':
      o.residualFactor = times(o.residualFactor);
      break;
  }
  return o;
}

/** The overrides of several driver values at once (each checked against its range). */
export function overridesOf(values: ReadonlyArray<{ driver: DriverName; value: Dec }>): Overrides {
  let o: Overrides = {};
  for (const { driver, value } of values) {
    checkDriverValue(driver, value);
    o = applyDriver(o, driver, value);
  }
  return o;
}
