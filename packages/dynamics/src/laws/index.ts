export { convergesBelowCriticalLaw, noConvergenceAboveCriticalLaw, criticalStepAtStartLaw } from './critical.js';
export { balancednessStepIdentityLaw, matrixBalancednessIdentityLaw, balancednessFlowLaw } from './balancedness.js';
export { regionSymmetryLaw } from './symmetry.js';
export { sierpinskiDimensionLaw, smoothCurveDimensionLaw } from './boxCounting.js';
export { planarReductionLaw, alignedDecouplingLaw, ellipseInvarianceLaw } from './reduction.js';
