import type { Matrix } from '../matrix.js';
import { assertMatrix } from '../validate.js';
import { optionalBoolean, readOptions } from '../options.js';
import { applyBlockReflector, applyReflectorsToRows, formBlockReflector, reflectorScratch } from './block-reflector.js';
import { pow2, pow2Exponent, scaleByPow2 } from './pow2-scale.js';
import { level2Kernels } from '../kernels/level2-kernels.js';
import { transposeInto } from '../kernels/transpose.js';
import { norm2 } from '../kernels/vector.js';

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
  const { k, w, rdiag, q } = ws;
  const f = pow2(ex);
  const r = { rows: k, cols: n, data: new Float64Array(k * n) };
  for (let i = 0; i < k; i++) {
    // Row i of R flips sign with column i of Q (qrCore made diag(R) ≥ 0 that way).
    const flip = rdiag[i]! * f < 0 ? -1 : 1;
    r.data[i * n + i] = flip * (rdiag[i]! * f);
    for (let j = i + 1; j < n; j++) r.data[i * n + j] = flip * (w[j * m + i]! * f);
  }
  return { q: { rows: m, cols: k, data: q }, r };
}

/**
 * Scratch of the thin QR of an m×n matrix: the column-major working copy `w` (Householder vectors
 * below the diagonal, R above), R's diagonal and the reflectors' τ (k = min(m, n) each), and Q
 * row-major in `q` (m×k).
 */
export interface QrBuffers {
  readonly m: number;
  readonly n: number;
  readonly k: number;
  readonly w: Float64Array;
  readonly rdiag: Float64Array;
  readonly tau: Float64Array;
  readonly q: Float64Array;
  readonly scratch: ReturnType<typeof reflectorScratch>;
}

/** Fresh {@link QrBuffers} for an m×n matrix. */
export function qrBuffers(m: number, n: number): QrBuffers {
  const k = Math.min(m, n);
  return { m, n, k, w: new Float64Array(m * n), rdiag: new Float64Array(k), tau: new Float64Array(k), q: new Float64Array(m * k), scratch: reflectorScratch() };
}

/**
 * The thin QR of A (validated, m×n as `ws`) in `ws`, allocating nothing after the first call of its
 * size: on return `ws.q` holds Q row-major with its columns signed so that diag(R) ≥ 0, and
 * `ws.w`/`ws.rdiag` hold R (unsigned) scaled by 2^−e, where e is the returned exponent. Each panel
 * column's reflector reaches the rest of its panel through the level-2 kernels (Aᵀv, then a rank-one
 * update), on a copy of the matrix in their heap; the panel then reaches the trailing columns as one
 * compact-WY block, and Q = H₀⋯H_{k−1}·I[:, :k] is applied by blocks to the rows of the row-major Q.
 */
export function qrCore(a: Matrix, ws: QrBuffers): number {
  const { m, n, k, w, rdiag, tau, q, scratch } = ws;
  const kern = level2Kernels(m * n + n + 16);
  const base = Math.ceil(kern.start / 8) * 8;
  const S = base + m * n;
  const h = kern.heap;
  const W = h.subarray(base, base + m * n);
  // Column-major copy (column j at W[j*m ..], i.e. Aᵀ row-major), scaled by an exact power of two to
  // max|a| ≈ 1 (R is scaled back; Q is scale-free), so subnormal input keeps its digits.
  transposeInto(a, { rows: n, cols: m, data: W });
  const ex = pow2Exponent(W);
  scaleByPow2(W, ex);
  tau.fill(0);
  const nb = k > QR_BLOCK ? QR_BLOCK : k;
  for (let c0 = 0; c0 < k; c0 += nb) {
    const b = Math.min(nb, k - c0);
    // Householder vectors overwrite the lower part of W (LINPACK's normalisation: v[c] ∈ [1, 2],
    // τ = 1/v[c]); within the panel each reflector is applied at once, to the columns right of the
    // panel as one block.
    for (let c = c0; c < c0 + b; c++) {
      const cc = c * m;
      let nrm = norm2(W.subarray(cc + c, cc + m));
      if (nrm !== 0) {
        if (W[cc + c]! < 0) nrm = -nrm;
        for (let i = c; i < m; i++) W[cc + i] /= nrm;
        W[cc + c] += 1;
        const vc = W[cc + c]!;
        tau[c] = 1 / vc;
        const rest = c0 + b - c - 1;
        if (rest > 0) {
          // w_j += s_j·v with s_j = −(vᵀw_j)/v[c] for the panel's columns j > c.
          kern.gemvT(base + cc + m + c, m, m - c, rest, base + cc + c, S);
          for (let j = 0; j < rest; j++) h[S + j] = -h[S + j]! / vc;
          kern.rank1Update(base + cc + m + c, m, m - c, rest, base + cc + c, S);
        }
      }
      rdiag[c] = -nrm;
    }
    if (c0 + b < n) {
      formBlockReflector(W, m, c0, c0, m, b, tau.subarray(c0, c0 + b), scratch);
      applyBlockReflector(W, m, c0, m, c0 + b, n, b, true, scratch);
    }
  }
  w.set(W);
  q.fill(0);
  for (let j = 0; j < k; j++) q[j * k + j] = 1;
  applyReflectorsToRows(w, m, k, 0, tau, q, k, scratch);
  // Flip signs so that diag(R) >= 0 (the sign R's diagonal has at A's scale, as qr() reports it).
  const f = pow2(ex);
  for (let i = 0; i < m; i++) {
    const row = i * k;
    for (let j = 0; j < k; j++) if (rdiag[j]! * f < 0) q[row + j] = -q[row + j]!;
  }
  return ex;
}
