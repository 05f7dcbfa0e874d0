import fc from 'fast-check';
import { gemm, key, normal, qr, svd, type Matrix } from '@descent/linalg';

/** A matrix with prescribed singular values: G = U·diag(s)·Vᵀ, U and V random orthonormal (seeded). */
export interface SpectralCase {
  readonly rows: number;
  readonly cols: number;
  /** The singular values, descending, length min(rows, cols) (zeros allowed). */
  readonly s: readonly number[];
  readonly seed: number;
}

/** An m×k matrix with orthonormal columns drawn from `seed` (QR of a Gaussian). */
export function orthonormal(m: number, k: number, seed: number): Matrix {
  return qr({ rows: m, cols: k, data: normal(key(seed), m * k) }, { check: false }).q;
}

/** An n×n orthogonal matrix drawn from `seed`. */
export function orthogonal(n: number, seed: number): Matrix {
  return orthonormal(n, n, seed);
}

/**
 * Builds U·diag(s)·Vᵀ with random orthonormal U, V drawn from the case's seed.
 *
 * @example
 * ```ts
 * import { fromSpectrum } from '@descent/optimizers/laws';
 * fromSpectrum({ rows: 3, cols: 2, s: [2, 1], seed: 0 }).data.length;
 * // 6
 * ```
 */
export function fromSpectrum(c: SpectralCase): Matrix {
  const k = Math.min(c.rows, c.cols);
  const u = orthonormal(c.rows, k, c.seed);
  const v = orthonormal(c.cols, k, c.seed + 1_000_003);
  const us = { rows: c.rows, cols: k, data: u.data.slice() };
  for (let i = 0; i < c.rows; i++) for (let r = 0; r < k; r++) us.data[i * k + r]! *= c.s[r]!;
  return gemm(us, v, { transB: true });
}

/**
 * Matrices of 1..maxDim rows and columns with singular values in [lo, hi] (descending), the last
 * few of them (up to min dim − 1) set to 0 when `allowZeros`: the generator behind the EGD and Muon laws.
 *
 * @example
 * ```ts
 * import fc from 'fast-check';
 * import { spectralCases } from '@descent/optimizers/laws';
 * fc.sample(spectralCases({ maxDim: 3 }), 1)[0].s.length <= 3;
 * // true
 * ```
 */
export function spectralCases(options: { maxDim?: number; lo?: number; hi?: number; allowZeros?: boolean } = {}): fc.Arbitrary<SpectralCase> {
  const maxDim = options.maxDim ?? 6;
  const lo = options.lo ?? 0.1;
  const hi = options.hi ?? 10;
  return fc
    .tuple(fc.integer({ min: 1, max: maxDim }), fc.integer({ min: 1, max: maxDim }), fc.integer({ min: 0, max: 1_000_000 }), fc.nat())
    .chain(([rows, cols, seed, z]) => {
      const k = Math.min(rows, cols);
      const zeros = options.allowZeros ? z % k : 0;
      return fc.array(fc.double({ min: lo, max: hi, noNaN: true }), { minLength: k, maxLength: k }).map((vals) => {
        const s = vals.sort((a, b) => b - a).map((v, i) => (i >= k - zeros ? 0 : v));
        return { rows, cols, s, seed };
      });
    });
}

/** Singular values of a matrix (descending). */
export function singularValues(a: Matrix): Float64Array {
  return svd(a, { check: false }).s;
}

/** max |a − b| over entries. */
export function maxAbsDiff(a: Float64Array, b: Float64Array): number {
  let d = 0;
  for (let i = 0; i < a.length; i++) d = Math.max(d, Math.abs(a[i]! - b[i]!));
  return d;
}

/** Frobenius inner product. */
export function inner(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

/** The transpose of a matrix. */
export function transposed(a: Matrix): Matrix {
  const out = new Float64Array(a.data.length);
  for (let i = 0; i < a.rows; i++) for (let j = 0; j < a.cols; j++) out[j * a.rows + i] = a.data[i * a.cols + j]!;
  return { rows: a.cols, cols: a.rows, data: out };
}

/** An empty matrix of the same shape. */
export function like(a: Matrix): Matrix {
  return { rows: a.rows, cols: a.cols, data: new Float64Array(a.data.length) };
}

export function fail(message: string): never {
  throw new Error(message);
}
