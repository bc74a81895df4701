/**
 * FundMix public library API. Stable contract: others build on it.
 * Engine: `simulate(scenario, { overrides })`, the scenario schema and parser.
 * Finance: Excel-compatible `finance.npv/xnpv/irr/xirr/pmt/ipmt/ppmt` on Decimals.
 */
export { Dec, toDec, toFen, type DecimalInput } from './domain/decimal';
export {
  FundMixError,
  ValidationError,
  DomainError,
  NotFoundError,
  type FieldIssue,
} from './domain/errors';
export {
  scenarioSchema,
  SCENARIO_FORMAT,
  SCENARIO_FORMAT_V1,
  type Scenario,
  type ScenarioInput,
} from './domain/scenario/schema';
export {
  scenarioSchemaV1,
  type ScenarioV1,
  type ScenarioInputV1,
} from './domain/scenario/schema-v1';
export { upgradeScenarioV1 } from './domain/scenario/upgrade';
export { parseScenario, parseScenarioText } from './domain/scenario/parse';
export { simulate, runModel, compiled, type SimulateOptions } from './domain/engine/simulate';
export { ledgerLines, ledgerCsv } from './domain/engine/ledger-table';
export { sculptDebt } from './domain/engine/sculpt';
export * from './domain/engine/types';
export { finance } from './domain/finance';
export * as fiscal from './domain/fiscal';
