export { pointCloud, finiteDiagram, type Cloud } from './arbitraries.js';
export {
  h0EqualsMst,
  permutationInvariance,
  isometryInvariance,
  scalingCovariance,
  stabilityDistances,
  stabilityPoints,
  subsampleBound,
  thresholdTruncation,
  dimensionIndependence,
  enclosingRadiusLaw,
  eulerCharacteristic,
  knownShapes,
  coefficientField,
} from './rips.js';
export { engineAgreement } from './engines.js';
export { bottleneckIsMetric, wassersteinLaws, entropyLaws } from './distances.js';
export { gridValues, sublevelStability, sublevelShiftScale, mergeHeightUltrametric } from './sublevel.js';
export { barrierLaws, homotopyLaws } from './paths.js';
export { landscapeLaws, silhouetteStability, imageAdditivity } from './vectorisations.js';
