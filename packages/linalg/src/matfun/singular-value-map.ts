import { DescentError } from '../errors.js';
import type { Matrix } from '../matrix.js';
import { assertMatrix, assertShape } from '../validate.js';
import { assertKnownKeys } from '../config.js';
import { gemmInto } from '../kernels/gemm.js';
import { overlaps } from '../kernels/transpose.js';
import { svdBuffers, svdCore, type SvdBuffers } from '../decompositions/svd.js';
import type { PolarWorkspace } from './polar.js';

/** Options of {@link singularValueMap} and {@link singularValueMapInto}. */
export interface SingularValueMapOptions {
  /** Scan the input for non-finite values. Default true. */
  check?: boolean;
  /** Scratch from {@link polarWorkspace}(rows, cols) of G's shape; without it one is allocated per call. */
  workspace?: PolarWorkspace;
}

const KEYS = ['check', 'workspace'] as const;

/**
 * U·diag(f(σ))·Vᵀ for the thin SVD G = U·diag(σ)·Vᵀ: a function applied to the singular values
 * (a generalized matrix function). f(σ) = 1 for σ > 0 is the polar factor; f(σ) = σ/max(σ, c) clamps
 * the singular values at c (EGD's 'clamp' variant). f is called once per singular value, in
 * descending order, and must return a finite number. Allocates a fresh result.
 *
 * @example
 * ```ts
 * singularValueMap(fromRows([[4, 0], [0, 0.5]]), (s) => Math.min(1, s)).data;
 * // Float64Array [1, 0, 0, 0.5]
 * ```
 */
export function singularValueMap(g: Matrix, f: (sigma: number) => number, options: SingularValueMapOptions = {}): Matrix {
  assertMatrix(g, 'singularValueMap', 'G', { finite: false });
  return mapInto(g, { rows: g.rows, cols: g.cols, data: new Float64Array(g.rows * g.cols) }, f, options, 'singularValueMap');
}

/**
 * {@link singularValueMap} written into `out` (same shape as G, must not alias it). With
 * `options.workspace` (from {@link polarWorkspace}) nothing is allocated: the SVD runs in the
 * workspace, the left factor's columns are scaled by f(σ) there, and the product is one `gemmInto`.
 *
 * @example
 * ```ts
 * const ws = polarWorkspace(1, 2);
 * const out = zeros(1, 2);
 * singularValueMapInto(fromRows([[3, 4]]), out, (s) => s / Math.max(s, 10), { workspace: ws });
 * Array.from(out.data, (v) => +v.toFixed(12));
 * // [0.3, 0.4]
 * ```
 */
export function singularValueMapInto(g: Matrix, out: Matrix, f: (sigma: number) => number, options: SingularValueMapOptions = {}): Matrix {
  return mapInto(g, out, f, options, 'singularValueMapInto');
}

function mapInto(g: Matrix, out: Matrix, f: (sigma: number) => number, options: SingularValueMapOptions, where: string): Matrix {
  if (options === null || typeof options !== 'object') throw new DescentError('INVALID_CONFIG', where, 'options must be an object');
  assertKnownKeys(options, KEYS, where);
  assertMatrix(g, where, 'G', { finite: options.check ?? true });
  assertMatrix(out, where, 'out', { finite: false });
  assertShape(out, g.rows, g.cols, where, 'out');
  if (overlaps(out.data, g.data)) throw new DescentError('SHAPE_MISMATCH', where, 'out must not alias G');
  if (typeof f !== 'function') throw new DescentError('INVALID_CONFIG', where, `f must be a function of a singular value, got ${typeof f}`);
  let ws: SvdBuffers;
  if (options.workspace !== undefined) {
    ws = options.workspace as SvdBuffers;
    if (ws === null || typeof ws !== 'object' || ws.rows !== g.rows || ws.cols !== g.cols || !(ws.u instanceof Float64Array)) {
      throw new DescentError('SHAPE_MISMATCH', where, `workspace is not a polarWorkspace(${g.rows}, ${g.cols})`);
    }
  } else {
    ws = svdBuffers(g.rows, g.cols);
  }
  svdCore(g, ws, 0);
  const { m, n, u, v, s } = ws;
  // Column-major U (m×n) and V (n×n) are row-major Uᵀ and Vᵀ; scale row r of Uᵀ by f(σ_r).
  for (let r = 0; r < n; r++) {
    const w = f(s[r]!);
    if (typeof w !== 'number' || !Number.isFinite(w)) throw new DescentError('NON_FINITE', where, `f(${s[r]}) is ${String(w)}, expected a finite number`);
    const row = u.subarray(r * m, r * m + m);
    for (let i = 0; i < m; i++) row[i] = row[i]! * w;
  }
  const ut = { rows: n, cols: m, data: u };
  const vt = { rows: n, cols: n, data: v };
  // Tall: G = U S Vᵀ, result U f(S) Vᵀ. Wide: Gᵀ = U S Vᵀ, result V f(S) Uᵀ.
  if (ws.wide) gemmInto(vt, ut, out, { transA: true });
  else gemmInto(ut, vt, out, { transA: true });
  return out;
}
