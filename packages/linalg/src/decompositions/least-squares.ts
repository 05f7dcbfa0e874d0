import { DescentError } from '../errors.js';
import type { Matrix } from '../matrix.js';
import { optionalNumber, readOptions } from '../options.js';
import { assertMatrix, assertMatrixStructure } from '../validate.js';
import { mulPow2, pow2Exponent, scaleByPow2 } from './pow2-scale.js';
import { svd } from './svd.js';

const EPS = 2 ** -52;

/**
 * Moore–Penrose pseudo-inverse A⁺ = V·S⁺·Uᵀ, where singular values at or below rcond·σ₀ are treated as
 * zero (default rcond = max(m, n)·ε, as NumPy ≥ 2).
 *
 * @example
 * ```ts
 * pinv(fromRows([[2, 0], [0, 0]])).data;
 * // Float64Array [0.5, 0, 0, 0]
 * ```
 */
export function pinv(a: Matrix, options: { rcond?: number } = {}): Matrix {
  const o = readOptions(options, 'pinv');
  optionalNumber(o.rcond, 'pinv', 'options.rcond', (v) => v >= 0, 'a finite number >= 0');
  assertMatrix(a, 'pinv', 'A');
  const { rows: m, cols: n } = a;
  const f = svd(a, { rcond: o.rcond ?? Math.max(m, n) * EPS });
  const k = f.s.length;
  const out = new Float64Array(n * m);
  // A⁺[i, j] = Σ_r v[i, r] u[j, r] / s[r] over the kept singular values.
  for (let r = 0; r < f.rank; r++) {
    // Divide rather than multiply by 1/σ, which overflows for a subnormal σ.
    const sr = f.s[r]!;
    for (let i = 0; i < n; i++) {
      const vir = f.v.data[i * k + r]! / sr;
      if (vir === 0) continue;
      const row = i * m;
      for (let j = 0; j < m; j++) out[row + j] += vir * f.u.data[j * k + r]!;
    }
  }
  return { rows: n, cols: m, data: out };
}

/** The result of {@link lstsq}. */
export interface LeastSquares<B> {
  /** The minimum-norm minimiser of ‖A·x − b‖₂ (a vector, or n×r for a matrix of right-hand sides). */
  readonly x: B;
  /** Effective rank used (singular values above rcond·σ₀). */
  readonly rank: number;
  /** Singular values of A, descending. */
  readonly singularValues: Float64Array;
  /** Squared residual norm per right-hand side, when rank = n < m (as NumPy); empty otherwise. */
  readonly residuals: Float64Array;
}

/**
 * Least squares min ‖A·x − b‖₂ with the minimum-norm solution for rank-deficient A, via the SVD
 * (NumPy's lstsq semantics; default rcond = max(m, n)·ε).
 *
 * @example
 * ```ts
 * +lstsq(fromRows([[1], [1]]), new Float64Array([1, 3])).x[0].toFixed(12);
 * // 2
 * ```
 */
export function lstsq<B extends Float64Array | Matrix>(a: Matrix, b: B, options: { rcond?: number } = {}): LeastSquares<B> {
  const o = readOptions(options, 'lstsq');
  optionalNumber(o.rcond, 'lstsq', 'options.rcond', (v) => v >= 0, 'a finite number >= 0');
  assertMatrix(a, 'lstsq', 'A');
  const { rows: m, cols: n } = a;
  const isVec = b instanceof Float64Array;
  if (!isVec) assertMatrixStructure(b as Matrix, 'lstsq', 'b');
  const bm: Matrix = isVec ? { rows: (b as Float64Array).length, cols: 1, data: b as Float64Array } : (b as Matrix);
  if (bm.rows !== m) throw new DescentError('SHAPE_MISMATCH', 'lstsq', `b has ${bm.rows} rows, A has ${m}`);
  assertMatrix(bm, 'lstsq', 'b', { nonEmpty: false });
  const rhs = bm.cols;
  // Solve A'x' = b' with A' = A·2^-ea and b' = b·2^-eb (both of order 1, exact), then x = x'·2^(eb-ea):
  // on subnormal or huge input the unscaled Uᵀb / σ overflows or loses every digit.
  const ea = pow2Exponent(a.data);
  const eb = pow2Exponent(bm.data);
  const as = Float64Array.from(a.data);
  scaleByPow2(as, ea);
  const bs = Float64Array.from(bm.data);
  scaleByPow2(bs, eb);
  const f = svd({ rows: m, cols: n, data: as }, { rcond: o.rcond ?? Math.max(m, n) * EPS, check: false });
  const k = f.s.length;
  // x' = V_r S_r⁻¹ U_rᵀ b'.
  const c = new Float64Array(f.rank * rhs);
  for (let r = 0; r < f.rank; r++) {
    for (let j = 0; j < m; j++) {
      const u = f.u.data[j * k + r]!;
      if (u === 0) continue;
      for (let q = 0; q < rhs; q++) c[r * rhs + q] += u * bs[j * rhs + q]!;
    }
    const sr = f.s[r]!;
    for (let q = 0; q < rhs; q++) c[r * rhs + q] /= sr;
  }
  const x = new Float64Array(n * rhs);
  for (let i = 0; i < n; i++) {
    for (let r = 0; r < f.rank; r++) {
      const v = f.v.data[i * k + r]!;
      for (let q = 0; q < rhs; q++) x[i * rhs + q] += v * c[r * rhs + q]!;
    }
  }
  let residuals = new Float64Array(0);
  if (f.rank === n && m > n) {
    residuals = new Float64Array(rhs);
    for (let j = 0; j < m; j++) {
      for (let q = 0; q < rhs; q++) {
        let t = -bs[j * rhs + q]!;
        for (let i = 0; i < n; i++) t += as[j * n + i]! * x[i * rhs + q]!;
        residuals[q] += t * t;
      }
    }
    // ‖Ax − b‖² = 2^(2eb)·‖A'x' − b'‖².
    mulPow2(residuals, 2 * eb);
  }
  mulPow2(x, eb - ea);
  const singularValues = f.s;
  mulPow2(singularValues, ea);
  return { x: (isVec ? x : { rows: n, cols: rhs, data: x }) as B, rank: f.rank, singularValues, residuals };
}
