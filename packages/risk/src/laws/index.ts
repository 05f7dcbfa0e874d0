export {
  weightsLaw,
  monotonicityLaw,
  translationLaw,
  homogeneityLaw,
  subadditivityLaw,
  comonotonicAdditivityLaw,
  dualityLaw,
  varCounterexampleLaw,
} from './axioms.js';
export { lstatConvergenceLaw, quantileTrackingLaw } from './statistical.js';
export { qfGradientUnbiasedLaw, dmGradientUnbiasedLaw, glrWeightLaw, qfGradientMean, gaussianMarket } from './gradient.js';
export { projectionLaw } from './projection.js';
