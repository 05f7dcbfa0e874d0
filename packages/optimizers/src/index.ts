// optimizers-core (issue 3): contract, drivers, baselines
export { cloneState, type Method, type MethodState, type ValueAndGrad, type FirstOrderMethod, type Oracle, type OracleResult } from './method.js';
export { minimize, type MinimizeOptions, type MinimizeResult, type StepInfo, type Start, type Trace } from './minimize.js';
export { iterate, type IterateOptions } from './iterate.js';
export { sgd, type SgdConfig, type SgdState } from './sgd.js';
export { adam, adamw, type AdamConfig, type AdamState } from './adam.js';
