import type { Matrix } from '../matrix.js';
import { assertMatrix } from '../validate.js';
import { hypot } from './hypot.js';

/** A thin QR factorization A = Q·R. */
export interface Qr {
  /** m×k with orthonormal columns, k = min(m, n). */
  readonly q: Matrix;
  /** k×n upper triangular with a nonnegative diagonal. */
  readonly r: Matrix;
}

/**
 * Thin QR factorization by Householder reflections (column-major working copy). The diagonal of R is
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
  // Column-major copy: column j at w[j*m ..].
  const w = new Float64Array(m * n);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) w[j * m + i] = a.data[i * n + j]!;
  const rdiag = new Float64Array(k);
  // Householder vectors overwrite the lower part of w (as in JAMA QRDecomposition).
  for (let c = 0; c < k; c++) {
    const cc = c * m;
    let nrm = 0;
    for (let i = c; i < m; i++) nrm = hypot(nrm, w[cc + i]!);
    if (nrm !== 0) {
      if (w[cc + c]! < 0) nrm = -nrm;
      for (let i = c; i < m; i++) w[cc + i] /= nrm;
      w[cc + c] += 1;
      for (let j = c + 1; j < n; j++) {
        const cj = j * m;
        let s = 0;
        for (let i = c; i < m; i++) s += w[cc + i]! * w[cj + i]!;
        s = -s / w[cc + c]!;
        for (let i = c; i < m; i++) w[cj + i] += s * w[cc + i]!;
      }
    }
    rdiag[c] = -nrm;
  }
  const r = { rows: k, cols: n, data: new Float64Array(k * n) };
  for (let i = 0; i < k; i++) {
    r.data[i * n + i] = rdiag[i]!;
    for (let j = i + 1; j < n; j++) r.data[i * n + j] = w[j * m + i]!;
  }
  // Q (column-major m×k) from the reflectors, applied backwards to the identity's first k columns.
  const qc = new Float64Array(m * k);
  for (let c = k - 1; c >= 0; c--) {
    const cc = c * m;
    for (let i = 0; i < m; i++) qc[cc + i] = 0;
    qc[cc + c] = 1;
    for (let j = c; j < k; j++) {
      const cj = j * m;
      if (w[cc + c] !== 0) {
        let s = 0;
        for (let i = c; i < m; i++) s += w[cc + i]! * qc[cj + i]!;
        s = -s / w[cc + c]!;
        for (let i = c; i < m; i++) qc[cj + i] += s * w[cc + i]!;
      }
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
