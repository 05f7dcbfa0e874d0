import { DescentError } from '../errors.js';
import type { Matrix } from '../matrix.js';
import { assertDims, assertMatrix, assertMatrixStructure, assertShape, describeValue } from '../validate.js';
import { optionalBoolean, readOptions } from '../options.js';
import { gemmInto } from '../kernels/gemm.js';
import { overlaps } from '../kernels/transpose.js';
import { svdBuffers, svdCore, type SvdBuffers } from '../decompositions/svd.js';

const EPS = 2 ** -52;

// Workspaces made by polarWorkspace: anything else passed as one is rejected instead of being written
// out of bounds.
const workspaces = new WeakSet<object>();

/** Options of {@link polar} and {@link polarInto}. */
export interface PolarOptions {
  /** Relative rank tolerance: directions with σ ≤ rcond·σ₀ map to 0. Default max(m, n)·ε. */
  rcond?: number;
  /** Scan the input for non-finite values. Default true. */
  check?: boolean;
  /** Scratch from {@link polarWorkspace}(rows, cols) of G's shape ({@link polarInto}); without it one is allocated per call. */
  workspace?: PolarWorkspace;
}

/** Scratch space of {@link polarInto} for one shape (opaque: create with {@link polarWorkspace}). */
export interface PolarWorkspace {
  readonly rows: number;
  readonly cols: number;
}

/**
 * Scratch for {@link polarInto} on rows×cols matrices (the SVD's working copy and factors, about
 * 2·rows·cols + min(rows, cols)² numbers). Hold one per matrix shape so a loop allocates nothing.
 *
 * @example
 * ```ts
 * const ws = polarWorkspace(2, 2);
 * const out = zeros(2, 2);
 * polarInto(fromRows([[0, 3], [2, 0]]), out, { workspace: ws });
 * Array.from(out.data);
 * // [0, 1, 1, 0]
 * ```
 */
export function polarWorkspace(rows: number, cols: number): PolarWorkspace {
  if (!Number.isSafeInteger(rows) || !Number.isSafeInteger(cols) || rows < 1 || cols < 1) {
    throw new DescentError('INVALID_CONFIG', 'polarWorkspace', `rows and cols must be positive integers, got ${describeValue(rows)}×${describeValue(cols)}`);
  }
  assertDims(rows, cols, 'polarWorkspace', 'G');
  const ws = svdBuffers(rows, cols);
  workspaces.add(ws);
  return ws;
}

/**
 * The polar factor (orthogonal part) of G: U_r·V_rᵀ from the thin SVD, keeping only the rank-many
 * directions with σ > rcond·σ₀ (a true pseudo-inverse: null directions map to 0, so
 * (GGᵀ)^{-1/2}·G = U_r V_rᵀ even for rank-deficient G). Singular values of the result are rank-many
 * ones, and ⟨G, polar(G)⟩ = ‖G‖_* (nuclear norm).
 *
 * @example
 * ```ts
 * polar(fromRows([[2, 0], [0, 0.5]])).data;
 * // Float64Array [1, 0, 0, 1]
 * ```
 */
export function polar(g: Matrix, options: PolarOptions = {}): Matrix {
  // Structure first: the output is allocated from G's claimed shape.
  assertMatrixStructure(g, 'polar', 'G');
  return polarInto(g, { rows: g.rows, cols: g.cols, data: new Float64Array(g.rows * g.cols) }, options);
}

/**
 * {@link polar} written into `out` (same shape as G, must not alias it). With `options.workspace`
 * (from {@link polarWorkspace}) nothing is allocated: the SVD runs in the workspace and U_r·V_rᵀ is one
 * `gemmInto`.
 *
 * @example
 * ```ts
 * const out = zeros(1, 2);
 * polarInto(fromRows([[3, 4]]), out);
 * Array.from(out.data, (v) => +v.toFixed(12));
 * // [0.6, 0.8]
 * ```
 */
export function polarInto(g: Matrix, out: Matrix, options: PolarOptions = {}): Matrix {
  const o = readOptions(options, 'polar');
  optionalBoolean(o.check, 'polar', 'options.check');
  assertMatrix(g, 'polar', 'G', { finite: o.check ?? true });
  assertShape(out, g.rows, g.cols, 'polar', 'out');
  if (overlaps(out.data, g.data)) throw new DescentError('SHAPE_MISMATCH', 'polar', 'out must not alias G');
  const rcond = o.rcond ?? Math.max(g.rows, g.cols) * EPS;
  if (typeof rcond !== 'number' || !(rcond >= 0)) throw new DescentError('INVALID_CONFIG', 'polar', `rcond must be >= 0, got ${String(rcond)}`);
  let ws: SvdBuffers;
  if (o.workspace !== undefined) {
    ws = o.workspace as SvdBuffers;
    if (!workspaces.has(ws)) throw new DescentError('INVALID_CONFIG', 'polar', `options.workspace must come from polarWorkspace, got ${describeValue(ws)}`);
    if (ws.rows !== g.rows || ws.cols !== g.cols) {
      throw new DescentError('SHAPE_MISMATCH', 'polar', `workspace is for ${ws.rows}×${ws.cols}, G is ${g.rows}×${g.cols}`);
    }
  } else {
    ws = svdBuffers(g.rows, g.cols);
  }
  const r = svdCore(g, ws, rcond);
  const { m, n, u, v } = ws;
  // Column-major U (m×n) and V (n×n) are row-major Uᵀ and Vᵀ: their first r rows are U_rᵀ and V_rᵀ.
  const ut = { rows: r, cols: m, data: u.subarray(0, r * m) };
  const vt = { rows: r, cols: n, data: v.subarray(0, r * n) };
  // Tall: G = U S Vᵀ, polar = U_r V_rᵀ. Wide: Gᵀ = U S Vᵀ, polar = V_r U_rᵀ.
  if (ws.wide) gemmInto(vt, ut, out, { transA: true });
  else gemmInto(ut, vt, out, { transA: true });
  return out;
}
