/** Evaluation index system (README "Evaluation index system"): pure model, validation, scoring. */
export * from './types';
export { parseEvaluationSystem, systemIssues, MAX_DEPTH, CODE_RE } from './validate';
export {
  scoreProject,
  scoreTotals,
  compileSystem,
  SCORE_DECIMALS,
  type CompiledSystem,
  type BatchItem,
} from './score';
export { evaluationMetrics, withActualsData } from './metrics';
export { defaultEvaluationSystem } from './defaults';
