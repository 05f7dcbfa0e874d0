import type { Matrix } from '../matrix.js';
import { assertMatrix } from '../validate.js';
import { applyBlockReflector, formBlockReflector, reflectorScratch } from './block-reflector.js';
import { hypot } from './hypot.js';
import { pow2, pow2Exponent, scaleByPow2 } from './pow2-scale.js';

/** Panel width of the blocked factorization (measured: 32 balances panel and gemm work up to 1024). */
const QR_BLOCK = 32;

/** A thin QR factorization A = Q·R. */
export interface Qr {
  /** m×k with orthonormal columns, k = min(m, n). */
  readonly q: Matrix;
  /** k×n upper triangular with a nonnegative diagonal. */
  readonly r: Matrix;
}

/**
 * Thin QR factorization by blocked Householder reflections (column-major working copy): panels of 32
 * columns are factored one reflector at a time, then applied to the rest of the matrix as one compact-WY
 * block reflector I − V T Vᵀ through three gemm calls (Q is accumulated the same way). The input is
 * scaled by a power of two to max|a| ≈ 1 first (exact), so subnormal input keeps its digits. The diagonal of R is
 * made nonnegative, which makes the factorization unique for full-column-rank A (LAPACK leaves signs
 * free: compare with NumPy after normalising signs). Rank-deficient input is fine: Q stays orthonormal.
 *
 * @example
 * ```ts
 * const { q, r } = qr(fromRows([[3], [4]]));
 * [Array.from(q.data, (v) => +v.toFixed(12)), Array.from(r.data)];
 * // [[0.6, 0.8], [5]]
 * ```
 */
export function qr(a: Matrix, options: { check?: boolean } = {}): Qr {
  assertMatrix(a, 'qr', 'A', { finite: options.check ?? true });
  const { rows: m, cols: n } = a;
  const k = Math.min(m, n);
  // Column-major copy: column j at w[j*m ..], scaled by an exact power of two to max|a| ≈ 1 (R is
  // scaled back; Q is scale-free), so subnormal input keeps its digits.
  const w = new Float64Array(m * n);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) w[j * m + i] = a.data[i * n + j]!;
  const ex = pow2Exponent(w);
  scaleByPow2(w, ex);
  const rdiag = new Float64Array(k);
  const tau = new Float64Array(k);
  const scratch = reflectorScratch();
  const nb = k > QR_BLOCK ? QR_BLOCK : k;
  for (let c0 = 0; c0 < k; c0 += nb) {
    const b = Math.min(nb, k - c0);
    // Householder vectors overwrite the lower part of w (as in JAMA QRDecomposition); within the
    // panel each reflector is applied at once, to the columns right of the panel as one block.
    for (let c = c0; c < c0 + b; c++) {
      const cc = c * m;
      let nrm = 0;
      for (let i = c; i < m; i++) nrm = hypot(nrm, w[cc + i]!);
      if (nrm !== 0) {
        if (w[cc + c]! < 0) nrm = -nrm;
        for (let i = c; i < m; i++) w[cc + i] /= nrm;
        w[cc + c] += 1;
        tau[c] = 1 / w[cc + c]!;
        for (let j = c + 1; j < c0 + b; j++) {
          const cj = j * m;
          let s = 0;
          for (let i = c; i < m; i++) s += w[cc + i]! * w[cj + i]!;
          s = -s / w[cc + c]!;
          for (let i = c; i < m; i++) w[cj + i] += s * w[cc + i]!;
        }
      }
      rdiag[c] = -nrm;
    }
    if (c0 + b < n) {
      formBlockReflector(w, m, c0, c0, m, b, tau.subarray(c0, c0 + b), scratch);
      applyBlockReflector(w, m, c0, m, c0 + b, n, b, true, scratch);
    }
  }
  const f = pow2(ex);
  const r = { rows: k, cols: n, data: new Float64Array(k * n) };
  for (let i = 0; i < k; i++) {
    r.data[i * n + i] = rdiag[i]! * f;
    for (let j = i + 1; j < n; j++) r.data[i * n + j] = w[j * m + i]! * f;
  }
  // Q = H₀⋯H_{k−1}·I[:, :k] (column-major m×k), accumulated backwards a block at a time: columns left
  // of a block are still unit vectors there, so each block only touches rows and columns ≥ its start.
  const qc = new Float64Array(m * k);
  for (let j = 0; j < k; j++) qc[j * m + j] = 1;
  const last = Math.floor((k - 1) / nb) * nb;
  for (let c0 = last; c0 >= 0; c0 -= nb) {
    const b = Math.min(nb, k - c0);
    // Within the block, reflectors right to left on the block's own columns (unblocked).
    for (let c = c0 + b - 1; c >= c0; c--) {
      const cc = c * m;
      if (w[cc + c] === 0) continue;
      for (let j = c; j < c0 + b; j++) {
        const cj = j * m;
        let s = 0;
        for (let i = c; i < m; i++) s += w[cc + i]! * qc[cj + i]!;
        s = -s / w[cc + c]!;
        for (let i = c; i < m; i++) qc[cj + i] += s * w[cc + i]!;
      }
    }
    if (c0 + b < k) {
      formBlockReflector(w, m, c0, c0, m, b, tau.subarray(c0, c0 + b), scratch);
      applyBlockReflector(qc, m, c0, m, c0 + b, k, b, false, scratch);
    }
  }
  const q = { rows: m, cols: k, data: new Float64Array(m * k) };
  for (let j = 0; j < k; j++) {
    // Flip signs so that diag(R) >= 0.
    const flip = r.data[j * n + j]! < 0 ? -1 : 1;
    for (let i = 0; i < m; i++) q.data[i * k + j] = flip * qc[j * m + i]!;
    if (flip < 0) for (let jj = j; jj < n; jj++) r.data[j * n + jj] = -r.data[j * n + jj]!;
  }
  return { q, r };
}
