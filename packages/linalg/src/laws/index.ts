export { gaussianMatrix, rankDeficientMatrix, matrixWithSpectrum, type MatrixShape } from './arbitraries.js';
export { svdReconstructs } from './decompositions.js';
export { polarIsPartialIsometry, newtonSchulzIsSpectral, newtonSchulzBand, racsBalances, woodburyMatchesDense } from './matfun.js';
export { doesNotMutate } from './purity.js';
export { orthonormalityError, maxAbsDiff, maxAbs, usv } from './helpers.js';
export { thrownCode, thrownError, rejectsWith, unknownKeyProblem } from './errors.js';
export { gemmMatchesNaive, gemmCases, naiveGemmInto, type GemmCase } from './kernels.js';
