export { normalCdf, logNormalCdf, normalQuantile, normalPdf } from './normal.js';
export { logAddExp, logSumExp } from './log-space.js';
export { lowerBound, upperBound, conformalPValue, calibrationSet, splitPValues, onlinePValues, insertSorted, type TieRule } from './pvalue.js';
export { streamUniform } from './stream-uniform.js';
export { buildBucketIndex, bucketPValue, type BucketIndex } from './bucket-index.js';
export { treeInsert, treeCountBelow, treeCountAtMost } from './order-tree.js';
export {
  usesPValues,
  normalizeBetting,
  bettingStateSize,
  resetBettingState,
  betInPlace,
  bettingDensity,
  P_MIN,
  P_MAX,
  type Betting,
} from './betting.js';
export {
  detector,
  initDetector,
  step,
  stepInto,
  resetDetector,
  cloneDetectorState,
  scanDetector,
  alarmStatistic,
  validityOf,
  type DetectorConfig,
  type DetectorState,
  type PSource,
  type AlarmStatistic,
  type AlarmPolicy,
  type Validity,
} from './detector.js';
export { serializeDetector, deserializeDetector, detectorStateToJSON, detectorStateFromJSON } from './detector-save.js';
export { villeThreshold, arlThreshold, restartedDelayBound } from './thresholds.js';
export { crossingFrequency, averageRunLength, type Crossing, type MonteCarloOptions, type ScoreSampler } from './monte-carlo.js';
export { normalMixtureRho, normalLogMixture, normalMixtureBound, type NormalMixtureOptions } from './normal-mixture.js';
export { predmixLambdas, bettingLogCapital, bettingConfidenceSequence, type PredmixOptions, type BettingCsOptions } from './betting-cs.js';
export {
  oneMinusMaxProbability,
  negLogMaxProbability,
  entropyScore,
  negLogLabelProbability,
  nearestMeanDistance,
  mahalanobisDistance,
} from './scores.js';
export { integrateUnitInterval } from './quadrature.js';
export {
  promptDimension,
  promptProbabilities,
  promptAccuracy,
  promptLoss,
  promptFisher,
  promptKl,
  type SoftmaxPromptModel,
  type PromptLoss,
} from './softmax-prompt.js';
export { adaptPrompt, runMFisher, mFisherToy, type PromptAdaptationOptions, type MFisherScore, type MFisherConfig, type MFisherRun, type MFisherToyOptions, type MFisherToyResult } from './mfisher.js';
export { nullMoments, hoeffdingMu0 } from './null-moments.js';
