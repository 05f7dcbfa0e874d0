export { DescentError, isDescentError, type DescentErrorCode } from './errors.js';
export { matrix, zeros, identity, fromRows, toRows, cloneMatrix, diag, type Matrix } from './matrix.js';
export { assertKnownKeys, assertConfigObject, closestKey, editDistance, configKeys, type ListsEveryKey } from './config.js';
export {
  serialize,
  deserialize,
  serializeState,
  deserializeState,
  assertStateLike,
  STATE_FORMAT,
  STATE_VERSION,
  type SerializedState,
  type DeserializeOptions,
  type DeserializeStateOptions,
  type JsonValue,
} from './serialize.js';
export {
  assertFinite,
  assertMatrix,
  assertLength,
  assertShape,
  assertParam,
  assertSize,
  assertDims,
  assertMatrixStructure,
  assertVector,
  assertArrayLike,
  assertNumber,
  describeValue,
  MAX_ELEMENTS,
} from './validate.js';
export {
  key,
  split,
  foldIn,
  randomBitsInto,
  uniform,
  uniformInto,
  normal,
  normalInto,
  bernoulli,
  categorical,
  categoricalLogits,
  permutation,
  type Key,
} from './random.js';
export { portableLog, portableExp, portableSinTurn, portableCosTurn } from './portable-math.js';
export { dot, axpy, axpyInto, scale, scaleInto, norm2, normInf, normFro, globalNorm } from './kernels/vector.js';
export { transpose, transposeInto } from './kernels/transpose.js';
export { gemm, gemmInto, type GemmOptions } from './kernels/gemm.js';
export { gemv, gemvInto } from './kernels/gemv.js';
export { setKernelThreads, kernelThreads } from './kernels/threads.js';
export { gram, gramInto, outer, outerInto } from './kernels/gram.js';
export { placeBlocks, layoutSize, blockView, matrixView, pack, unpack, type Block, type Layout, type PlacedBlock } from './layout.js';
export { svd, type Svd, type SvdMethod, type SvdOptions } from './decompositions/svd.js';
export { eigh, type Eigh, type EighOptions } from './decompositions/eigh.js';
export { qr, type Qr } from './decompositions/qr.js';
export { cholesky, choleskySolve } from './decompositions/cholesky.js';
export { lu, luSolve, solve, det, type Lu } from './decompositions/lu.js';
export { pinv, lstsq, type LeastSquares } from './decompositions/least-squares.js';
export { polar, polarInto, polarWorkspace, type PolarOptions, type PolarWorkspace } from './matfun/polar.js';
export { singularValueMap, singularValueMapInto, type SingularValueMapOptions } from './matfun/singular-value-map.js';
export {
  newtonSchulz,
  newtonSchulzInto,
  newtonSchulzWorkspace,
  MUON_COEFFICIENTS,
  type NewtonSchulzOptions,
  type NewtonSchulzIntoOptions,
  type NewtonSchulzWorkspace,
} from './matfun/newton-schulz.js';
export { invSqrtPsd, type InvSqrtPsdOptions } from './matfun/inv-sqrt-psd.js';
export { racs, racsInto, racsGong, racsGongInto, racsGongInit, type RacsOptions, type RacsGongState } from './matfun/racs.js';
export { woodburySolve } from './matfun/woodbury.js';
export { randomizedSvd, randomizedSvdInto, randomizedSvdWorkspace, type RandomizedSvdOptions, type RandomizedSvdWorkspace } from './matfun/randomized-svd.js';
