export { arbitraryCircuitCase, buildCircuit, randomData, allStates, DISCRETE_FAMILIES, type CircuitCase, type Family } from './arbitrary.js';
export { lawNormalization, lawMarginals, lawConditionals, lawMapBounds, lawConditionalSamplesKeepEvidence } from './queries.js';
export { lawFlowIdentities } from './flows.js';
export {
  lawSimplexAfterUpdate, lawFullBatchEmMonotone, lawBatchMonotone, lawAnemoneEtaOneIsEm, lawRootRate,
  lawUnvisitedUnchanged, lawMomentumFirstStep, assertOnSimplex, arbitraryLearner, type LearnerChoice,
} from './learning.js';
export { lawEngineMatchesReference, arbitraryWideCircuitCase } from './engine.js';
export { lawSofteningIsSoftEvidence, lawEntropyRegularization } from './regularization.js';
