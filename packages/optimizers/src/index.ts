// optimizers-core (issue 3): contract, drivers, baselines
export { cloneState, type Method, type MethodState, type ValueAndGrad, type FirstOrderMethod, type Oracle, type OracleResult } from './method.js';
export { minimize, type MinimizeOptions, type MinimizeResult, type StepInfo, type Start, type Trace } from './minimize.js';
export { iterate, type IterateOptions } from './iterate.js';
export { scan, type ScanOptions } from './scan.js';
export { sgd, type SgdConfig, type SgdState } from './sgd.js';
export { adam, adamw, type AdamConfig, type AdamState } from './adam.js';
export { hillAdam, type HillAdamConfig, type HillAdamState } from './hill-adam.js';
export { applyTransform, fromTransform, type Transform, type TransformMethodConfig, type TransformMethodState } from './transform.js';
export { scale, scaleByLearningRate, type LearningRateState } from './scale.js';
export { linearSchedule, cosineDecaySchedule, warmupCosineDecaySchedule, type Schedule } from './schedule.js';
export { clip, clipByGlobalNorm } from './clip.js';
export { addDecayedWeights } from './weight-decay.js';
export { traceMomentum, emaMomentum, type MomentumState } from './momentum.js';
export { scaleByAdam, type ScaleByAdamState } from './scale-by-adam.js';
export { chain, type ChainState } from './chain.js';
export { route, matrixLabels, type RouteState, type BlockLabels } from './route.js';
export { egd, egdDirectionInto, scaleByEgd, type EgdOptions, type EgdConfig, type EgdState, type EgdResolvedConfig, type EgdBlockState } from './egd.js';
export { muon, scaleByMuon, orthogonalizeInto, muonShapeScale, type MuonOptions, type OrthogonalizeOptions, type MuonConfig, type MuonState, type MuonResolvedConfig, type MuonBlockState, type AuxAdamWOptions, type MomentumStyle } from './muon.js';
export { reg, scaleByReg, racsDirectionInto, type RegOptions, type RacsVariantOptions, type RegConfig, type RegState, type RegResolvedConfig, type RegBlockState } from './reg.js';
// optimizers-multi (issue 4): natural gradient, Fisher estimators
export { naturalGradient, naturalDirection, klTrustRegionScale, type NaturalGradientConfig, type NaturalGradientState, type NaturalGradientObservation, type FisherSource } from './natural-gradient.js';
export { empiricalFisher, diagonalFisherEmaInto, softmax, softmaxFisher, softmaxFisherPinvCrossEntropy, softmaxFisherDampedSolve, logitFisher, pullbackMetric, sampleLabels } from './fisher.js';
export { dampedFisherSolve, empiricalFisherSolve, woodburyFisherSolve, type DampingMetric } from './fisher-solve.js';
export { sam, samPerturbInto, resolvePerturbation, type SamConfig, type SamState, type SamPerturbationConfig, type ResolvedPerturbation } from './sam.js';
export { arsam, type ArsamConfig, type ArsamState, type ArsamSchedule } from './arsam.js';
export { o2nc, projectBallInto, type O2ncConfig, type O2ncState, type O2ncPoint } from './o2nc.js';
export { odog, type OdogConfig, type OdogState } from './odog.js';
export { optimisticO2nc, type OptimisticO2ncConfig, type OptimisticO2ncState } from './optimistic-o2nc.js';
// Save and resume: linalg's generic, tagged with the method's name.
export { serializeState, deserializeState, type DeserializeStateOptions } from '@descent/linalg';
