export { Status, statusName, countStatuses, type StatusCode, type StatusCounts } from './status.js';
export { type ClassifyOptions, type ResolvedClassifyOptions, resolveClassifyOptions } from './classifyOptions.js';
export type { Objective } from './objective.js';
export type { Method, MethodState } from './method.js';
export {
  scalarVectorObjective,
  scalarVectorMinLoss,
  reduceScalarVector,
  liftScalarVector,
  type ScalarVectorConfig,
  type ScalarVectorReduction,
} from './scalarVector.js';
export { vectorTargetObjective, vectorTargetCriticalStepSize, type VectorTargetConfig } from './vectorTarget.js';
export {
  matrixFactorizationObjective,
  matrixFactorizationMinLoss,
  matrixFactorizationCriticalStepSize,
  alignedInit,
  type MatrixFactorizationConfig,
} from './matrixFactorization.js';
export { gradientDescent, type GdConfig, type GdState } from './gd.js';
export { classifyStart, classifyInPlace, type Classification, type ClassificationRecord } from './classify.js';
export { scalarVectorCriticalStepSize, scalarVectorCriticalStepSizeAt, bisectCriticalStepSize, type CriticalStepSearch } from './criticalStepSize.js';
export {
  squareGrid,
  validateGrid,
  gridAxis,
  coordinateSlice,
  randomSlice,
  validateSlice,
  slicePointInto,
  type Grid,
  type Slice,
} from './grid.js';
export { scalarRegionKernel, scalarMapKernel } from './scalarKernel.js';
export {
  scalarVectorRegion,
  planScalarVectorRegion,
  fillScalarStarts,
  assembleScalarRegion,
  regionMap,
  type ScalarVectorRegionConfig,
  type ScalarVectorRegion,
  type ScalarRegionPlan,
  type RegionConfig,
  type Region,
} from './region.js';
export { createRegionPool, scalarVectorRegionParallel, sharedFloat64, type RegionPool } from './parallel.js';
export { requireStepSize, requireFinite, requireNonNegative, requirePositive, requireInteger, requireFiniteVector } from './validate.js';
export { scalarVectorRegionCoordinate } from './region.js';
export { boundaryMask, boxCountingDimension, sohlBoxCountingDimension, olsSlope, type BoxDimension, type SohlBoxDimension } from './boxCounting.js';
export { encodePng, encodePpm, crc32, regionImage, valueImage, DEFAULT_PALETTE, type RgbImage, type RegionPalette } from './image.js';
export { ellipseValue, triplingMap, triplingLyapunov } from './ellipse.js';
export { balancedness, balancednessFactor, balancednessMatrix, predictedBalancednessMatrix } from './balancedness.js';
export { lyapunovExponents, type LyapunovResult } from './lyapunov.js';
export {
  sharpness,
  objectiveSharpness,
  finiteDifferenceHvp,
  trackSharpness,
  customObjective,
  type Hvp,
  type SharpnessResult,
  type SharpnessTrace,
} from './sharpness.js';
export { mixedNeighbourFraction, uncertaintyExponent, type UncertaintyExponent } from './sensitivity.js';
export { iterateScalarMap, createWasmMap, wasmMapModuleBytes, WASM_LANES, type WasmMap } from './wasmMap.js';
export {
  createWasmRegionKernel,
  wasmRegionKernelFrom,
  wasmClassifyModuleBytes,
  WASM_CLASSIFY_SCRATCH,
  type RegionKernel,
} from './wasmClassify.js';
export type { WasmApi, WasmMemory } from '@descent/linalg/wasm';
export { sohlConvergenceMeasure, type SohlMeasure } from './sohl.js';
// Save and resume: linalg's generic, tagged with the method's name.
export { serializeState, deserializeState, type DeserializeStateOptions } from '@descent/linalg';
