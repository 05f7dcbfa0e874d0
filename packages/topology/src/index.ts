export { diagram, assertDiagram, sortDiagram, filterDiagram, persistence, type Diagram } from './diagram.js';
export type { MetricInput } from './metric-input.js';
export { ripsPersistence, enclosingRadius, type RipsOptions, type RipsStats, type PersistenceResult, type Cocycle } from './rips.js';
export { bottleneck, type DiagramDistance } from './bottleneck.js';
export { wasserstein } from './wasserstein.js';
export { totalPersistence, persistenceEntropy, bettiAt, bettiCurve } from './summaries.js';
export { sublevelPersistence0, lowerStarPersistence, mergeTree, mergeHeight, type Domain, type SublevelDiagram0, type MergeTree } from './sublevel.js';
