import { DescentError } from '../errors.js';
import type { Matrix } from '../matrix.js';
import { assertMatrix, assertShape } from '../validate.js';
import { gemmInto } from '../kernels/gemm.js';
import { norm2 } from '../kernels/vector.js';

/** Muon's quintic coefficients (a, b, c) of p(x) = a·x + b·x³ + c·x⁵ (Keller Jordan's `muon.py`). */
export const MUON_COEFFICIENTS: readonly [number, number, number] = [3.4445, -4.775, 2.0315];

/** Options of {@link newtonSchulz}. */
export interface NewtonSchulzOptions {
  /** Iterations of X ← aX + (bS + cS²)X with S = XXᵀ. Default 5. */
  steps?: number;
  /** (a, b, c). Default {@link MUON_COEFFICIENTS}. */
  coefficients?: readonly [number, number, number];
  /** X₀ = G / (‖G‖_F + eps). Default 1e-7 (as Muon). */
  eps?: number;
  /** Scan the input for non-finite values. Default true. */
  check?: boolean;
}

/**
 * Newton–Schulz quintic orthogonalization, Muon's `zeropower_via_newtonschulz5` in float64: with
 * X₀ = G/(‖G‖_F + eps) (transposed first when G is tall so the Gram matrix is the small one),
 * iterate X ← aX + (bS + cS²)X, S = XXᵀ. Exactly U·f(S/(‖G‖_F + eps))·Vᵀ with f = p∘…∘p (`steps`
 * times), because odd matrix polynomials keep the singular vectors. With the default coefficients the
 * output singular values lie in [0.68, 1.21] whenever every normalised σ is ≥ 2e-3.
 *
 * @example
 * ```ts
 * const o = newtonSchulz(fromRows([[1, 0], [0, 1]]));
 * o.data[0].toFixed(3); // σ = 1/√2 after normalisation, then five quintic steps
 * // '1.108'
 * ```
 */
export function newtonSchulz(g: Matrix, options: NewtonSchulzOptions = {}): Matrix {
  return newtonSchulzInto(g, { rows: g.rows, cols: g.cols, data: new Float64Array(g.rows * g.cols) }, options);
}

let workX = new Float64Array(0);
let workS = new Float64Array(0);
let workT = new Float64Array(0);
let workY = new Float64Array(0);

/**
 * {@link newtonSchulz} written into `out` (same shape as G, must not alias it); scratch space is
 * reused across calls, so a training loop allocates nothing.
 *
 * @example
 * ```ts
 * const g = fromRows([[3, 0], [0, 4]]);
 * newtonSchulzInto(g, zeros(2, 2)).rows;
 * // 2
 * ```
 */
export function newtonSchulzInto(g: Matrix, out: Matrix, options: NewtonSchulzOptions = {}): Matrix {
  assertMatrix(g, 'newtonSchulz', 'G', { finite: options.check ?? true });
  assertShape(out, g.rows, g.cols, 'newtonSchulz', 'out');
  const steps = options.steps ?? 5;
  if (!Number.isInteger(steps) || steps < 0) throw new DescentError('INVALID_CONFIG', 'newtonSchulz', `steps must be a non-negative integer, got ${steps}`);
  const [a, b, c] = options.coefficients ?? MUON_COEFFICIENTS;
  if (![a, b, c].every(Number.isFinite)) throw new DescentError('INVALID_CONFIG', 'newtonSchulz', 'coefficients must be finite');
  const eps = options.eps ?? 1e-7;
  if (!(eps >= 0)) throw new DescentError('INVALID_CONFIG', 'newtonSchulz', `eps must be >= 0, got ${eps}`);
  const tall = g.rows > g.cols;
  const r = tall ? g.cols : g.rows; // X is r×q with r ≤ q
  const q = tall ? g.rows : g.cols;
  const size = r * q;
  if (workX.length < size) {
    workX = new Float64Array(size);
    workY = new Float64Array(size);
  }
  if (workS.length < r * r) {
    workS = new Float64Array(r * r);
    workT = new Float64Array(r * r);
  }
  let X = workX.subarray(0, size);
  let Y = workY.subarray(0, size);
  const S = workS.subarray(0, r * r);
  const T = workT.subarray(0, r * r);
  const denom = norm2(g.data) + eps;
  if (denom === 0) {
    out.data.fill(0);
    return out;
  }
  // Divide rather than multiply by 1/denom, which overflows when ‖G‖_F is subnormal and eps = 0.
  if (tall) {
    for (let i = 0; i < g.rows; i++) for (let j = 0; j < g.cols; j++) X[j * q + i] = g.data[i * g.cols + j]! / denom;
  } else {
    for (let i = 0; i < size; i++) X[i] = g.data[i]! / denom;
  }
  const mx = { rows: r, cols: q, data: X };
  const my = { rows: r, cols: q, data: Y };
  const ms = { rows: r, cols: r, data: S };
  const mt = { rows: r, cols: r, data: T };
  for (let s = 0; s < steps; s++) {
    (mx as { data: Float64Array }).data = X;
    (my as { data: Float64Array }).data = Y;
    gemmInto(mx, mx, ms, { transB: true }); // S = X Xᵀ
    // T = b·S + c·S·S
    gemmInto(ms, ms, mt, { alpha: c });
    for (let i = 0; i < r * r; i++) T[i] += b * S[i]!;
    // Y = a·X + T·X
    Y.set(X);
    gemmInto(mt, mx, my, { beta: a });
    const t = X;
    X = Y;
    Y = t;
  }
  if (tall) {
    for (let i = 0; i < g.rows; i++) for (let j = 0; j < g.cols; j++) out.data[i * g.cols + j] = X[j * q + i]!;
  } else {
    out.data.set(X);
  }
  return out;
}
