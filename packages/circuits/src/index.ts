export {
  bernoulliNode, categoricalNode, gaussianNode, indicatorNode, productNode, sumNode, isInput,
  type Circuit, type CircuitNode, type InputNode, type BernoulliNode, type CategoricalNode, type GaussianNode,
  type IndicatorNode, type ProductNode, type SumNode,
} from './circuit.js';
export { compile, checkParams, nodeParams, KIND, SIMPLEX_TOLERANCE, type CompiledCircuit } from './compile.js';
export { checkData } from './data.js';
export { categoricalData, MAX_CARDINALITY, type CategoricalData } from './categorical.js';
export {
  logLikelihood, meanLogLikelihood, logConditional, posteriors, nodeFlows, topDownProbabilities,
  type QueryOptions, type LikelihoodOptions, type Posteriors,
} from './queries.js';
export { mapQuery, type MapResult } from './map.js';
export { sample, sampleConditional } from './sample.js';
export { batchStatistics, batchStatisticsInto, emptyStatistics, addStatistics, type BatchStatistics, type StatisticsOptions } from './statistics.js';
export type { CircuitLearner, CircuitLearnerState } from './learn/method.js';
export { fullBatchEm, miniBatchEm, type EmConfig, type EmState } from './learn/em.js';
export { anemone, type AnemoneConfig, type AnemoneState } from './learn/anemone.js';
export { adamCircuit, type AdamCircuitConfig, type AdamCircuitState } from './learn/adam.js';
export { train, type TrainOptions, type TrainResult, type CurvePoint, type OptimizerSpec } from './learn/train.js';
export { mutualInformation, chowLiuTree, chowLiuCircuit, type VariableTree } from './structures/chowLiu.js';
export { hclt, hcltFromTree, type HcltOptions } from './structures/hclt.js';
export { hcltMixture, hcltMixtureFromTrees, bootstrapTrees, type HcltMixtureOptions } from './structures/hcltMixture.js';
export { ratSpn, type RatSpnOptions } from './structures/ratSpn.js';
export { mixtureOfBernoullis } from './structures/mixture.js';
export { saveCircuit, loadCircuit, CIRCUIT_FILE_VERSION, type LoadedCircuit } from './save.js';
export { parseDebd, loadDebd, epochBatches, gatherRows, type DebdName, type DebdSplit } from './debd.js';
// Save and resume: linalg's generic, tagged with the method's name.
export { serializeState, deserializeState, type DeserializeStateOptions } from '@descent/linalg';
