import type { Matrix } from '../matrix.js';
import { assertMatrix } from '../validate.js';
import { optionalBoolean, readOptions } from '../options.js';
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
  const o = readOptions(options, 'qr');
  optionalBoolean(o.check, 'qr', 'options.check');
  assertMatrix(a, 'qr', 'A', { finite: o.check ?? true });
  const { rows: m, cols: n } = a;
  const ws = qrBuffers(m, n);
  const ex = qrCore(a, ws);
  const { k, w, rdiag, qc } = ws;
  const f = pow2(ex);
  const r = { rows: k, cols: n, data: new Float64Array(k * n) };
  for (let i = 0; i < k; i++) {
    // Row i of R flips sign with column i of Q (qrCore made diag(R) ≥ 0 that way).
    const flip = rdiag[i]! * f < 0 ? -1 : 1;
    r.data[i * n + i] = flip * (rdiag[i]! * f);
    for (let j = i + 1; j < n; j++) r.data[i * n + j] = flip * (w[j * m + i]! * f);
  }
  const q = { rows: m, cols: k, data: new Float64Array(m * k) };
  for (let j = 0; j < k; j++) for (let i = 0; i < m; i++) q.data[i * k + j] = qc[j * m + i]!;
  return { q, r };
}

/**
 * Scratch of the thin QR of an m×n matrix: the column-major working copy `w` (Householder vectors
 * below the diagonal, R above), R's diagonal and the reflectors' τ (k = min(m, n) each), and Q
 * column-major in `qc` (m×k).
 */
export interface QrBuffers {
  readonly m: number;
  readonly n: number;
  readonly k: number;
  readonly w: Float64Array;
  readonly rdiag: Float64Array;
  readonly tau: Float64Array;
  readonly qc: Float64Array;
  readonly scratch: ReturnType<typeof reflectorScratch>;
}

/** Fresh {@link QrBuffers} for an m×n matrix. */
export function qrBuffers(m: number, n: number): QrBuffers {
  const k = Math.min(m, n);
  return { m, n, k, w: new Float64Array(m * n), rdiag: new Float64Array(k), tau: new Float64Array(k), qc: new Float64Array(m * k), scratch: reflectorScratch() };
}

/**
 * The thin QR of A (validated, m×n as `ws`) in `ws`, allocating nothing: on return `ws.qc` holds Q
 * column-major with its columns signed so that diag(R) ≥ 0, and `ws.w`/`ws.rdiag` hold R (unsigned)
 * scaled by 2^−e, where e is the returned exponent.
 */
export function qrCore(a: Matrix, ws: QrBuffers): number {
  const { m, n, k, w, rdiag, tau, qc, scratch } = ws;
  // Column-major copy: column j at w[j*m ..], scaled by an exact power of two to max|a| ≈ 1 (R is
  // scaled back; Q is scale-free), so subnormal input keeps its digits.
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) w[j * m + i] = a.data[i * n + j]!;
  const ex = pow2Exponent(w);
  scaleByPow2(w, ex);
  tau.fill(0);
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
  // Q = H₀⋯H_{k−1}·I[:, :k] (column-major m×k), accumulated backwards a block at a time: columns left
  // of a block are still unit vectors there, so each block only touches rows and columns ≥ its start.
  qc.fill(0);
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
  // Flip signs so that diag(R) >= 0 (the sign R's diagonal has at A's scale, as qr() reports it).
  const f = pow2(ex);
  for (let j = 0; j < k; j++) {
    if (rdiag[j]! * f < 0) for (let i = 0; i < m; i++) qc[j * m + i] = -qc[j * m + i]!;
  }
  return ex;
}
