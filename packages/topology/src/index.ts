export { diagram, assertDiagram, sortDiagram, filterDiagram, persistence, type Diagram } from './diagram.js';
export type { MetricInput } from './metric-input.js';
export { ripsPersistence, enclosingRadius, estimateRipsSize, type RipsOptions, type RipsStats, type PersistenceResult, type Cocycle } from './rips.js';
export { bottleneck, type DiagramDistance } from './bottleneck.js';
export { wasserstein } from './wasserstein.js';
export { totalPersistence, persistenceEntropy, bettiAt, bettiCurve } from './summaries.js';
export { sublevelPersistence0, lowerStarPersistence, mergeTree, mergeHeight, type Domain, type SublevelDiagram0, type MergeTree } from './sublevel.js';
export { linearPathLoss, barrier, lmcClasses, type PathLoss, type BarrierReference } from './paths.js';
export { bezier, polychain, curveFit, curveControlPoints, type CurveCfg, type CurveState, type StepMethod } from './curves.js';
export { filterNormalizedDirection, lossSlice } from './landscape.js';
export { homotopyTest, type HomotopyOptions, type HomotopyResult } from './homotopy.js';
export { greedySubsample } from './subsample.js';
export { parseRipserInput, parseRipserArgs, ripserOutput, type RipserFormat, type RipserOptions } from './ripser-io.js';
export { persistenceLandscape, type SampleOptions, type SampledFunctions } from './persistence-landscape.js';
export { silhouette } from './silhouette.js';
export { persistenceImage, type PersistenceImage, type PersistenceImageOptions } from './persistence-image.js';
export { cubicalPersistence, type CubicalOptions } from './cubical.js';
// Save and resume (curveFit's state): linalg's generic, tagged with the method's name.
export { serializeState, deserializeState, type DeserializeStateOptions } from '@descent/linalg';
