import { assertKnownKeys, configKeys, DescentError, describeValue } from '@descent/linalg';
import { type ClassificationRecord, classifyInPlace } from './classify.js';
import { type ClassifyOptions, type ResolvedClassifyOptions, resolveClassifyOptions } from './classifyOptions.js';
import { type Grid, type Slice, gridAxis, slicePointInto, validateGrid, validateSlice } from './grid.js';
import type { Objective } from './objective.js';
import { scalarVectorMinLoss } from './scalarVector.js';
import { regionKernelRaw } from './scalarKernel.js';
import { createWasmRegionKernel } from './wasmClassify.js';
import { type StatusCounts, countStatuses } from './status.js';
import { requireFinite, requireNonNegative, requireStepSize, requireF64, requireU8, requireObjective } from './validate.js';

/** What a scalar–vector convergence-region map is computed for. */
export interface ScalarVectorRegionConfig extends ClassifyOptions {
  /** Scalar target y. */
  readonly y: number;
  /** Ridge λ ≥ 0 (default 0). */
  readonly lambda?: number;
  /** Step size η > 0. */
  readonly eta: number;
  /** The grid of slice coordinates (α, β). */
  readonly grid: Grid;
  /**
   * The 2-D slice θ(α, β) of R^{2d} (θ = (u, v), u first). Omit for the d = 1 picture of the paper's
   * Fig. 3, where α = u and β = v.
   */
  readonly slice?: Slice;
  /**
   * How converged starts are labelled: `'sign'` (1 + [u<0], the two balanced minimizers ±, default
   * for λ > 0) or `'signAndBalance'` (1 + 2[u<0] + [|u| ≤ |v|], default for λ = 0). For d > 1 the
   * label is that of the conjugate d = 1 problem ({@link reduceScalarVector}).
   */
  readonly label?: 'sign' | 'signAndBalance';
  /**
   * Use the WebAssembly SIMD kernel where available (default true). Results are bit-identical to the
   * scalar JS kernel either way; `false` forces the JS kernel.
   */
  readonly simd?: boolean;
}

/** A convergence-region map (structure of arrays, pixel (i, j) at j·n1 + i). */
export interface ScalarVectorRegion {
  readonly grid: Grid;
  readonly eta: number;
  readonly y: number;
  readonly lambda: number;
  readonly labelMode: 'sign' | 'signAndBalance';
  /** {@link Status} code per pixel. */
  readonly status: Uint8Array;
  /** Which minimizer was selected (0 if not converged). */
  readonly label: Uint8Array;
  /** Steps until the decision. */
  readonly steps: Int32Array;
  /** Final first coordinate of the (conjugate) d = 1 state; u itself for the d = 1 picture. Always finite. */
  readonly x: Float64Array;
  /** Final second coordinate; v for the d = 1 picture. Always finite. */
  readonly z: Float64Array;
  readonly counts: StatusCounts;
  /** Total GD steps taken over all pixels. */
  readonly totalSteps: number;
}

/** Validated parameters of a scalar-vector region run (shared with the worker mode). */
export interface ScalarRegionPlan {
  readonly grid: Grid;
  readonly eta: number;
  readonly y: number;
  readonly lambda: number;
  readonly labelMode: 'sign' | 'signAndBalance';
  readonly slice: Slice | undefined;
  readonly options: ResolvedClassifyOptions;
  readonly simd: boolean;
  /** Kernel arguments after (start, end): eta, y, lam, maxSteps, gradTol2, lossCut, bound2, rule, labelMode. */
  readonly kernelArgs: readonly [number, number, number, number, number, number, number, number, number];
}

/**
 * Validates a {@link ScalarVectorRegionConfig} and resolves defaults.
 *
 * @example
 * ```ts
 * planScalarVectorRegion({ y: 1, eta: 0.5, grid: squareGrid(3, 8) }, 'ex').labelMode;
 * // 'signAndBalance'
 * ```
 */
const GRID_KEYS = configKeys<Grid>()('lo1', 'hi1', 'n1', 'lo2', 'hi2', 'n2');

export function planScalarVectorRegion(cfg: ScalarVectorRegionConfig, where: string): ScalarRegionPlan {
  assertKnownKeys(cfg, configKeys<ScalarVectorRegionConfig>()('y', 'lambda', 'eta', 'grid', 'slice', 'label', 'simd', 'maxSteps', 'gradTol', 'lossTol', 'divergenceBound', 'rule'), where);
  assertKnownKeys(cfg.grid ?? {}, GRID_KEYS, where, 'grid');
  const eta = requireStepSize(cfg.eta, where);
  const y = requireFinite(cfg.y, where, 'y');
  const lambda = requireNonNegative(cfg.lambda ?? 0, where, 'lambda');
  const grid = validateGrid(cfg.grid, where);
  const options = resolveClassifyOptions(cfg, where);
  let slice: Slice | undefined;
  if (cfg.slice !== undefined) {
    const dim = (cfg.slice as Slice | null)?.center?.length ?? NaN;
    if (!(dim >= 2 && dim % 2 === 0)) throw new DescentError('SHAPE_MISMATCH', where, `slice dimension must be even (θ = (u, v)), got ${dim}`);
    slice = validateSlice(cfg.slice, dim, where);
  }
  const labelMode = cfg.label ?? (lambda > 0 ? 'sign' : 'signAndBalance');
  if (labelMode !== 'sign' && labelMode !== 'signAndBalance') {
    throw new DescentError('INVALID_CONFIG', where, `label must be 'sign' or 'signAndBalance', got ${String(labelMode)}`);
  }
  const lossCut = scalarVectorMinLoss(y, lambda) + options.lossTol;
  return {
    grid,
    eta,
    y,
    lambda,
    labelMode,
    slice,
    options,
    simd: cfg.simd ?? true,
    kernelArgs: [
      eta,
      y,
      lambda,
      options.maxSteps,
      options.gradTol * options.gradTol,
      lossCut,
      options.divergenceBound * options.divergenceBound,
      options.rule === 'gradient' ? 0 : 1,
      labelMode === 'sign' ? 0 : 1,
    ],
  };
}

/**
 * Writes the starts of a plan into x, z (length n1·n2): (u, v) for the d = 1 picture, otherwise the
 * conjugate coordinates ((‖s‖+‖m‖)/2, (‖s‖−‖m‖)/2) of each slice point (exact, spec §a.1).
 *
 * @example
 * ```ts
 * const x = new Float64Array(4), z = new Float64Array(4);
 * fillScalarStarts(planScalarVectorRegion({ y: 1, eta: 0.5, grid: squareGrid(1, 2) }, 'ex'), x, z);
 * [x[3], z[3]];
 * // [1, 1]
 * ```
 */
export function fillScalarStarts(plan: ScalarRegionPlan, x: Float64Array, z: Float64Array): void {
  const where = 'fillScalarStarts';
  if (plan === null || typeof plan !== 'object' || plan.grid === null || typeof plan.grid !== 'object') {
    throw new DescentError('INVALID_CONFIG', where, 'plan must be a plan from planScalarVectorRegion');
  }
  // Validated before the first write, so a rejected call leaves x and z untouched.
  validateGrid(plan.grid, where);
  if (plan.slice !== undefined) {
    const dim = plan.slice !== null && typeof plan.slice === 'object' && plan.slice.center instanceof Float64Array ? plan.slice.center.length : -1;
    if (dim < 2 || dim % 2 !== 0) throw new DescentError('SHAPE_MISMATCH', where, 'plan.slice.center must be a Float64Array of even length (the (u, v) halves)');
    validateSlice(plan.slice, dim, where);
  }
  const cells = plan.grid.n1 * plan.grid.n2;
  if (!(x instanceof Float64Array) || x.length !== cells) throw new DescentError('SHAPE_MISMATCH', where, `x must be a Float64Array of length ${cells}`);
  if (!(z instanceof Float64Array) || z.length !== cells) throw new DescentError('SHAPE_MISMATCH', where, `z must be a Float64Array of length ${cells}`);
  const { grid, slice } = plan;
  const a1 = gridAxis(grid.lo1, grid.hi1, grid.n1);
  const a2 = gridAxis(grid.lo2, grid.hi2, grid.n2);
  if (slice === undefined) {
    for (let j = 0; j < grid.n2; j++) {
      for (let i = 0; i < grid.n1; i++) {
        x[j * grid.n1 + i] = a1[i]!;
        z[j * grid.n1 + i] = a2[j]!;
      }
    }
    return;
  }
  const dim = slice.center.length;
  const d = dim / 2;
  const theta = new Float64Array(dim);
  for (let j = 0; j < grid.n2; j++) {
    for (let i = 0; i < grid.n1; i++) {
      slicePointInto(slice, a1[i]!, a2[j]!, theta);
      let ss = 0;
      let mm = 0;
      for (let q = 0; q < d; q++) {
        const s = theta[q]! + theta[d + q]!;
        const m = theta[q]! - theta[d + q]!;
        ss += s * s;
        mm += m * m;
      }
      const sn = Math.sqrt(ss);
      const mn = Math.sqrt(mm);
      x[j * grid.n1 + i] = (sn + mn) / 2;
      z[j * grid.n1 + i] = (sn - mn) / 2;
    }
  }
}

/**
 * Convergence-region map of scalar–vector factorization (any d, any 2-D slice): for every grid start,
 * which minimizer GD selects, or whether it diverges, saddles or stays undecided within the budget.
 * One fused, allocation-free loop over structure-of-arrays `Float64Array`s (WebAssembly SIMD where
 * available, else scalar JS; identical bits); d > 1 runs through the exact planar reduction, so the
 * cost per step is O(1) whatever d. Deterministic bit for bit.
 * For every core see {@link createRegionPool}.
 *
 * @example
 * ```ts
 * const r = scalarVectorRegion({ y: 0.5, lambda: 0.2, eta: 1, grid: squareGrid(4, 64), maxSteps: 100 });
 * r.counts.converged > 0 && r.counts.diverged > 0;
 * // true
 * ```
 */
export function scalarVectorRegion(cfg: ScalarVectorRegionConfig): ScalarVectorRegion {
  const plan = planScalarVectorRegion(cfg, 'scalarVectorRegion');
  const n = plan.grid.n1 * plan.grid.n2;
  const x = new Float64Array(n);
  const z = new Float64Array(n);
  fillScalarStarts(plan, x, z);
  const status = new Uint8Array(n);
  const label = new Uint8Array(n);
  const steps = new Int32Array(n);
  const kernel = (plan.simd ? createWasmRegionKernel() : undefined) ?? regionKernelRaw;
  const total = kernel(x, z, status, label, steps, 0, n, ...plan.kernelArgs);
  return assembleScalarRegion(plan, x, z, status, label, steps, total);
}

/**
 * Packs kernel outputs into a {@link ScalarVectorRegion}.
 *
 * @example
 * ```ts
 * const plan = planScalarVectorRegion({ y: 1, eta: 0.5, grid: squareGrid(1, 2) }, 'ex');
 * assembleScalarRegion(plan, new Float64Array(4), new Float64Array(4), new Uint8Array(4), new Uint8Array(4), new Int32Array(4), 0).counts.undecided;
 * // 4
 * ```
 */
export function assembleScalarRegion(
  plan: ScalarRegionPlan,
  x: Float64Array,
  z: Float64Array,
  status: Uint8Array,
  label: Uint8Array,
  steps: Int32Array,
  totalSteps: number,
): ScalarVectorRegion {
  const where = 'assembleScalarRegion';
  if (plan === null || typeof plan !== 'object') throw new DescentError('INVALID_CONFIG', where, 'plan must be a plan from planScalarVectorRegion');
  const grid = validateGrid(plan.grid, where);
  const n = grid.n1 * grid.n2;
  requireF64(x, where, 'x', n);
  requireF64(z, where, 'z', n);
  requireU8(status, where, 'status', n);
  requireU8(label, where, 'label', n);
  if (!(steps instanceof Int32Array) || steps.length !== n) throw new DescentError('SHAPE_MISMATCH', where, `steps must be an Int32Array of length ${n}`);
  if (typeof totalSteps !== 'number' || !Number.isSafeInteger(totalSteps) || totalSteps < 0) throw new DescentError('INVALID_CONFIG', where, `totalSteps must be a non-negative integer, got ${describeValue(totalSteps)}`);
  return {
    grid: plan.grid,
    eta: plan.eta,
    y: plan.y,
    lambda: plan.lambda,
    labelMode: plan.labelMode,
    status,
    label,
    steps,
    x,
    z,
    counts: countStatuses(status),
    totalSteps,
  };
}

/** What a generic convergence-region map is computed for. */
export interface RegionConfig extends ClassifyOptions {
  /** Step size η > 0. */
  readonly eta: number;
  /** The grid of slice coordinates. */
  readonly grid: Grid;
  /** The slice θ(α, β) = center + α e1 + β e2 of R^dim. */
  readonly slice: Slice;
  /** Label of a converged final iterate, 1..255 (default 1 + [θ₀ < 0]). */
  readonly labelOf?: (theta: Float64Array) => number;
  /** A continuous value of the final iterate (default θ[0]; the Fig. 1 colouring). */
  readonly valueAt?: (theta: Float64Array) => number;
}

/** A generic convergence-region map. */
export interface Region {
  readonly grid: Grid;
  readonly eta: number;
  readonly status: Uint8Array;
  readonly label: Uint8Array;
  readonly steps: Int32Array;
  /** `valueAt` at the final iterate (finite: diverged runs stop at ‖θ‖ > B). */
  readonly value: Float64Array;
  readonly counts: StatusCounts;
  readonly totalSteps: number;
}

/**
 * Convergence-region map of GD on any {@link Objective} over a 2-D slice (e.g. matrix factorization,
 * Fig. 1's random slice): classifies every grid start with {@link classifyStart}'s rules, reusing two
 * buffers and one record for all pixels (no allocation in the loop beyond what the objective's
 * oracles and the label/value callbacks do).
 *
 * @example
 * ```ts
 * const f = matrixFactorizationObjective({ Y: fromRows([[1, 0], [0, 0.5]]), k: 1 });
 * const r = regionMap(f, { eta: 0.5, grid: squareGrid(2, 16), slice: randomSlice(key(0), f.dim) });
 * r.status.length;
 * // 256
 * ```
 */
export function regionMap(objective: Objective, cfg: RegionConfig): Region {
  const where = 'regionMap';
  requireObjective(objective, where);
  assertKnownKeys(cfg, configKeys<RegionConfig>()('eta', 'grid', 'slice', 'labelOf', 'valueAt', 'maxSteps', 'gradTol', 'lossTol', 'divergenceBound', 'rule'), where);
  assertKnownKeys(cfg.grid ?? {}, GRID_KEYS, where, 'grid');
  const eta = requireStepSize(cfg.eta, where);
  const grid = validateGrid(cfg.grid, where);
  const slice = validateSlice(cfg.slice, objective.dim, where);
  const o = resolveClassifyOptions(cfg, where);
  const labelOf = cfg.labelOf ?? ((t: Float64Array) => (t[0]! < 0 ? 2 : 1));
  const valueAt = cfg.valueAt ?? ((t: Float64Array) => t[0]!);
  const n = grid.n1 * grid.n2;
  const a1 = gridAxis(grid.lo1, grid.hi1, grid.n1);
  const a2 = gridAxis(grid.lo2, grid.hi2, grid.n2);
  const status = new Uint8Array(n);
  const label = new Uint8Array(n);
  const steps = new Int32Array(n);
  const value = new Float64Array(n);
  const x = new Float64Array(objective.dim);
  const g = new Float64Array(objective.dim);
  const c: ClassificationRecord = { status: 0, steps: 0, loss: 0 };
  let total = 0;
  for (let j = 0; j < grid.n2; j++) {
    for (let i = 0; i < grid.n1; i++) {
      const p = j * grid.n1 + i;
      slicePointInto(slice, a1[i]!, a2[j]!, x);
      classifyInPlace(objective, x, g, eta, o, c);
      status[p] = c.status;
      steps[p] = c.steps;
      total += c.steps;
      value[p] = valueAt(x);
      if (c.status === 1) {
        const l = labelOf(x);
        if (!(Number.isInteger(l) && l >= 1 && l <= 255)) throw new DescentError('DOMAIN', where, `labelOf returned ${l}, expected an integer in 1..255`);
        label[p] = l;
      }
    }
  }
  return { grid, eta, status, label, steps, value, counts: countStatuses(status), totalSteps: total };
}

/**
 * Lifts one coordinate of the selected minimizer back to θ = (u, v) for every converged pixel of a
 * sliced scalar–vector region (the Fig. 1 colouring): u = (σŝ₀ + δm̂₀)/2, v = (σŝ₀ − δm̂₀)/2 with
 * σ = x + z, δ = x − z the final conjugate state. Non-converged pixels get the coordinate of their
 * last (finite) iterate as well. `cfg` must be the config the region was computed with.
 *
 * @example
 * ```ts
 * const cfg = { y: 1, lambda: 0.3, eta: 1, grid: squareGrid(3, 8), slice: randomSlice(key(0), 10) };
 * scalarVectorRegionCoordinate(cfg, scalarVectorRegion(cfg), 0).length;
 * // 64
 * ```
 */
export function scalarVectorRegionCoordinate(cfg: ScalarVectorRegionConfig, region: ScalarVectorRegion, coordinate: number): Float64Array {
  const where = 'scalarVectorRegionCoordinate';
  const plan = planScalarVectorRegion(cfg, where);
  const { grid } = plan;
  const n = grid.n1 * grid.n2;
  if (region === null || typeof region !== 'object') throw new DescentError('INVALID_CONFIG', where, `region must be a result of scalarVectorRegion, got ${describeValue(region)}`);
  requireF64(region.x, where, 'region.x', n);
  requireF64(region.z, where, 'region.z', n);
  if (region.x.length !== n) throw new DescentError('SHAPE_MISMATCH', where, 'region does not match cfg.grid');
  const out = new Float64Array(n);
  if (plan.slice === undefined) {
    if (coordinate !== 0 && coordinate !== 1) throw new DescentError('INVALID_CONFIG', where, `coordinate must be 0 (u) or 1 (v), got ${coordinate}`);
    out.set(coordinate === 0 ? region.x : region.z);
    return out;
  }
  const slice = plan.slice;
  const dim = slice.center.length;
  const d = dim / 2;
  if (!(Number.isInteger(coordinate) && coordinate >= 0 && coordinate < dim)) throw new DescentError('INVALID_CONFIG', where, `coordinate must be in [0, ${dim})`);
  const c = coordinate % d;
  const a1 = gridAxis(grid.lo1, grid.hi1, grid.n1);
  const a2 = gridAxis(grid.lo2, grid.hi2, grid.n2);
  const theta = new Float64Array(dim);
  for (let j = 0; j < grid.n2; j++) {
    for (let i = 0; i < grid.n1; i++) {
      const p = j * grid.n1 + i;
      slicePointInto(slice, a1[i]!, a2[j]!, theta);
      let ss = 0;
      let mm = 0;
      for (let q = 0; q < d; q++) {
        ss += (theta[q]! + theta[d + q]!) ** 2;
        mm += (theta[q]! - theta[d + q]!) ** 2;
      }
      const sn = Math.sqrt(ss);
      const mn = Math.sqrt(mm);
      const sh = sn > 0 ? (theta[c]! + theta[d + c]!) / sn : c === 0 ? 1 : 0;
      const mh = mn > 0 ? (theta[c]! - theta[d + c]!) / mn : c === 0 ? 1 : 0;
      const sigma = region.x[p]! + region.z[p]!;
      const delta = region.x[p]! - region.z[p]!;
      out[p] = coordinate < d ? (sigma * sh + delta * mh) / 2 : (sigma * sh - delta * mh) / 2;
    }
  }
  return out;
}
