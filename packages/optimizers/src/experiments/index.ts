export { spirals, mlpLayout, mlpSize, mlpInit, mlpLossGrad, mlpPerSampleGrads, mlpLogitJacobians, mlpAccuracy, batchIndices, standardProblem, trainMinibatch, type Dataset, type MlpShape, type RunFigures, type TrainOptions } from './mlp.js';
export { runSamExperiment, type SamExperimentOptions } from './sam.js';
export { runArsamExperiment, type ArsamExperimentOptions, type ArsamFigures } from './arsam.js';
export { runO2ncExperiment, runDeterministic, type O2ncExperimentOptions, type StationarityFigures } from './o2nc.js';
export { runOdogExperiment, type OdogExperimentOptions } from './odog.js';
export { runNaturalGradientExperiment, type NaturalGradientExperimentOptions } from './natural-gradient.js';
