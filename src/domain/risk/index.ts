/**
 * Risk analysis (issue 11). The sampling and statistics layer: a seeded generator with
 * independent streams, driver distributions, rank correlation (Iman–Conover), Latin hypercube
 * sampling, revenue paths, and exact Decimal summaries of the results. Floats are used for the
 * samples and the chart data only; reported figures are Decimals.
 */
export {
  uniformStream,
  uniformStreams,
  uniformIndex,
  shuffleInPlace,
  MAX_STREAM_INDEX,
} from './random';
export type { Uniform } from './random';
export {
  validate as validateDistribution,
  quantile,
  quantileFunction,
  mean as distributionMean,
  variance as distributionVariance,
  pertShape,
  lognormalParameters,
  PERT_DEFAULT_LAMBDA,
} from './distributions';
export type { Distribution, DistributionIssue, WeightedValue } from './distributions';
export { normalQuantile, normalCdf, betaQuantile, regularisedBeta } from './special';
export {
  checkCorrelation,
  imanConover,
  spearman,
  pearson,
  averageRanks,
  cholesky,
} from './correlation';
export type { CorrelationIssue } from './correlation';
export {
  drawSamples,
  drawPaths,
  drawRevenuePaths,
  stratifiedUniforms,
  MAX_DRIVERS,
  MAX_TRIALS,
  CORRELATION_STREAM,
  PATHS_STREAM,
} from './sampling';
export type { SampleRequest, PathRequest, RevenuePathRequest } from './sampling';
export {
  summarise,
  percentileInc,
  sortDecimals,
  probability,
  probabilityStandardError,
  histogram,
  cdfPoints,
  SUMMARY_PLACES,
  SUMMARY_PERCENTILES,
} from './stats';
export type { Summary, Histogram, CdfPoint } from './stats';
