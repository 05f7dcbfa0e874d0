export { pValueBettingArb, pValueArb } from './arbitraries.js';
export { bettingIntegratesToOne } from './betting-laws.js';
export { statisticsNonnegativeFinite, stepIsPureAndDeterministic, pValueDependsOnU, momentExpMatchesGaussExp } from './detector-laws.js';
export {
  runsForMeanCheck,
  expectedWealthIsOne,
  villeCrossingBound,
  ksUniform,
  ksCritical,
  onlinePValuesUniform,
  delayRegression,
  delaySlopeMatchesGamma,
  arlAtLeastThreshold,
} from './statistical-laws.js';
export {
  promptCaseArb,
  type PromptCase,
  klIsHalfFisherQuadratic,
  fisherIsSymmetricPsd,
  naturalStepIsReparameterisationInvariant,
  naturalStepIsSteepestInFisherMetric,
  lossDecreasesForSmallNaturalStep,
  biasEntropyClosedForm,
} from './mfisher-laws.js';
