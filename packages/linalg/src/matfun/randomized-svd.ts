import { DescentError } from '../errors.js';
import type { Matrix } from '../matrix.js';
import { assertMatrix } from '../validate.js';
import { gemm } from '../kernels/gemm.js';
import { normal, type Key } from '../random.js';
import { qr } from '../decompositions/qr.js';
import { svd, type Svd } from '../decompositions/svd.js';

/** Options of {@link randomizedSvd}. */
export interface RandomizedSvdOptions {
  /** Subspace (power) iterations, each re-orthonormalised by QR. Default 2. */
  powerIterations?: number;
  /** Extra sketch columns beyond k (Halko et al. use 5–10). Default 0, as EGD's reference code. */
  oversample?: number;
}

/**
 * Rank-k randomized SVD (Halko, Martinsson, Tropp 2011): sketch Y = A·Ω with a Gaussian Ω drawn from
 * `key`, refine by power iterations with QR, project B = QᵀA and take B's exact SVD. Returns the top k
 * triplets (u m×k, s, v n×k). With k ≥ rank(A) it reproduces the exact thin SVD's nonzero part.
 *
 * @example
 * ```ts
 * Array.from(randomizedSvd(fromRows([[3, 0], [0, 1]]), 2, key(0)).s, (v) => +v.toFixed(12));
 * // [3, 1]
 * ```
 */
export function randomizedSvd(a: Matrix, k: number, rngKey: Key, options: RandomizedSvdOptions = {}): Svd {
  assertMatrix(a, 'randomizedSvd', 'A');
  const { rows: m, cols: n } = a;
  if (!Number.isInteger(k) || k < 1 || k > Math.min(m, n)) {
    throw new DescentError('INVALID_CONFIG', 'randomizedSvd', `k must be an integer in [1, ${Math.min(m, n)}], got ${k}`);
  }
  const q = options.powerIterations ?? 2;
  const p = options.oversample ?? 0;
  if (!Number.isInteger(q) || q < 0) throw new DescentError('INVALID_CONFIG', 'randomizedSvd', `powerIterations must be a non-negative integer, got ${q}`);
  if (!Number.isInteger(p) || p < 0) throw new DescentError('INVALID_CONFIG', 'randomizedSvd', `oversample must be a non-negative integer, got ${p}`);
  const l = Math.min(k + p, Math.min(m, n));
  const omega: Matrix = { rows: n, cols: l, data: normal(rngKey, n * l) };
  let basis = qr(gemm(a, omega), { check: false }).q; // m×l
  for (let i = 0; i < q; i++) {
    const z = qr(gemm(a, basis, { transA: true }), { check: false }).q; // n×l
    basis = qr(gemm(a, z), { check: false }).q;
  }
  const b = gemm(basis, a, { transA: true }); // l×n
  const f = svd(b, { check: false });
  const ub = f.u; // l×l
  const u = gemm(basis, ub); // m×l
  const take = (mat: Matrix, cols: number): Matrix => {
    const out = new Float64Array(mat.rows * cols);
    for (let i = 0; i < mat.rows; i++) for (let j = 0; j < cols; j++) out[i * cols + j] = mat.data[i * mat.cols + j]!;
    return { rows: mat.rows, cols, data: out };
  };
  const s = f.s.slice(0, k);
  const cutoff = Math.max(m, n) * 2 ** -52 * (s[0] ?? 0);
  let rank = 0;
  for (let i = 0; i < k; i++) if (s[i]! > cutoff) rank++;
  return { u: take(u, k), s, v: take(f.v, k), rank };
}
