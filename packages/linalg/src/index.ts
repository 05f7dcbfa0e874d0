export { DescentError, isDescentError, type DescentErrorCode } from './errors.js';
export { matrix, zeros, identity, fromRows, toRows, cloneMatrix, diag, type Matrix } from './matrix.js';
export { assertFinite, assertMatrix, assertLength, assertShape, assertParam } from './validate.js';
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
export { dot, axpy, axpyInto, scale, scaleInto, norm2, normInf, normFro, globalNorm } from './kernels/vector.js';
export { transpose, transposeInto } from './kernels/transpose.js';
export { gemm, gemmInto, gemv, gemvInto, type GemmOptions } from './kernels/gemm.js';
export { gram, gramInto, outer, outerInto } from './kernels/gram.js';
export { placeBlocks, layoutSize, blockView, matrixView, pack, unpack, type Block, type Layout, type PlacedBlock } from './layout.js';
