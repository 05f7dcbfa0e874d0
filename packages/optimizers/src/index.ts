// optimizers-core (issue 3): contract, drivers, baselines
export { cloneState, type Method, type MethodState, type ValueAndGrad, type FirstOrderMethod, type Oracle, type OracleResult } from './method.js';
export { minimize, type MinimizeOptions, type MinimizeResult, type StepInfo, type Start, type Trace } from './minimize.js';
export { iterate, type IterateOptions } from './iterate.js';
export { sgd, type SgdConfig, type SgdState } from './sgd.js';
export { adam, adamw, type AdamConfig, type AdamState } from './adam.js';
// optimizers-multi (issue 4): natural gradient, Fisher estimators
export { naturalGradient, naturalDirection, klTrustRegionScale, type NaturalGradientConfig, type NaturalGradientState, type NaturalGradientObservation, type FisherSource } from './natural-gradient.js';
export { empiricalFisher, diagonalFisherEmaInto, softmax, softmaxFisher, softmaxFisherPinvCrossEntropy, softmaxFisherDampedSolve, logitFisher, pullbackMetric } from './fisher.js';
export { dampedFisherSolve, empiricalFisherSolve, woodburyFisherSolve, type DampingMetric } from './fisher-solve.js';
export { sam, samPerturbInto, type SamConfig, type SamState, type SamPerturbationConfig } from './sam.js';
export { arsam, type ArsamConfig, type ArsamState, type ArsamSchedule } from './arsam.js';
export { o2nc, projectBallInto, type O2ncConfig, type O2ncState, type O2ncPoint } from './o2nc.js';
export { odog, type OdogConfig, type OdogState } from './odog.js';
