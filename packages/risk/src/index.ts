export { normalPdf, normalCdf, normalSf, normalPpf } from './normal.js';
export {
  valueAtRisk,
  expectedShortfall,
  conditionalValueAtRisk,
  rangeValueAtRisk,
  wangTransform,
  proportionalHazard,
  dualPower,
  gini,
  lookback,
  sShape,
  prospectWeighting,
  expectation,
  mixture,
  discontinuousDistortion,
  customDistortion,
  isConcaveOnGrid,
  type Distortion,
  type Jump,
  type CustomDistortionSpec,
} from './distortion.js';
export { drm, drmSorted, drmWeights, atomIndex, type DrmOptions, type Convention } from './lstatistic.js';
export {
  gaussianCoefficient,
  drmOfGaussian,
  drmOfLinearGaussian,
  drmOfLinearGaussianGradient,
  drmOfQuantileFunction,
  empiricalQuantile,
  type GaussianReturns,
  type QuantileRuleOptions,
} from './distributions.js';
export { gaussLegendre20, integrate, probitRange, probitKinks, MAX_PANELS } from './quadrature.js';
export { simplexSet, boxSet, budgetBoxSet, project, projectInto, type Projection } from './projection.js';
export { stepSize, codeSchedules, rateSchedules, validateSchedules, PAPER_RATES, type StepSchedule, type Schedules } from './schedule.js';
export { quantileGrid, MAX_GRID_CELLS, type QuantileGrid, type GridOptions, type SaForm, type AtomNodes, type TailRule } from './grid.js';
export { drmSA, type DrmSaConfig, type DrmSaState, type DrmSample, type SaMethod } from './sa.js';
export { quantileTracker, type QuantileTrackerConfig, type QuantileTrackerState } from './tracker.js';
export { linearGaussianModel, choleskyLower, sampleModel, type DrmModel } from './model.js';
export { runDrmSA, type RunOptions, type RunResult } from './run.js';
export { qfGradient, dmQuantileGradient } from './estimators.js';
export {
  normalizedMixture,
  mixtureCdf,
  mixturePdf,
  mixturePpf,
  mixtureLogPdf,
  robustMixtureModel,
  worstCaseDrm,
  robustPortfolioProblem,
  quantileDistance,
  type MixtureLaw,
  type RobustSetting,
  type RobustPortfolioProblem,
} from './robust.js';
export { sampleAverageObjective, sampleAverageOptimize, type SampleAverageOptions } from './saa.js';
export { gaussianPortfolioProblem, gaussianPortfolioOptimum, gaussianScenarios } from './portfolio.js';
export { sortFloat64 } from './sort.js';
// Save and resume: linalg's generic, tagged with the method's name.
export { serializeState, deserializeState, type DeserializeStateOptions } from '@descent/linalg';
