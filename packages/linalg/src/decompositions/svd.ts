import { DescentError } from '../errors.js';
import type { Matrix } from '../matrix.js';
import { assertMatrix } from '../validate.js';
import { assertKnownKeys } from '../config.js';
import { optionalBoolean, readOptions } from '../options.js';
import { gemmInto } from '../kernels/gemm.js';
import { bdcWork, bidiagonalSvdDC, type BdcWork } from './bidiagonal-dc.js';
import { bidiagonalQR } from './bidiagonal-qr.js';
import { hypot } from './hypot.js';
import { pow2, pow2Exponent, scaleByPow2 } from './pow2-scale.js';
import { accumulateReflectors, bidiagonalize, bidiagonalScratch, BRD_BLOCK, type BidiagonalScratch } from './bidiagonal.js';
import { applyReflectorsToRows, reflectorScratch, type ReflectorScratch } from './block-reflector.js';
import { transposeInto } from '../kernels/transpose.js';

/** From this many columns (tall frame) the SVD bidiagonalizes by blocks; below, unblocked (LINPACK). */
const BLOCKED_MIN = 48;

/** A thin singular value decomposition A = U·diag(s)·Vᵀ. */
export interface Svd {
  /** m×k with orthonormal columns, k = min(m, n). */
  readonly u: Matrix;
  /** The k singular values, nonnegative and descending. */
  readonly s: Float64Array;
  /** n×k with orthonormal columns. */
  readonly v: Matrix;
  /** Number of singular values above `rcond · s[0]`. */
  readonly rank: number;
}

/** Options of {@link svd}. */
export interface SvdOptions {
  /** Relative tolerance for the rank: σᵢ counts when σᵢ > rcond·σ₀. Default max(m, n)·ε (NumPy's matrix_rank). */
  rcond?: number;
  /** Skip the finiteness scan of the input (it costs O(mn)). Default true (check). */
  check?: boolean;
  /**
   * Bidiagonal singular value solver: `'dc'` (default) divide and conquer (LAPACK dbdsdc, as NumPy's
   * gesdd), whose merges are matrix products; `'qr'` the implicitly shifted QR iteration
   * (Golub–Kahan–Reinsch, LINPACK dsvdc), O(n³) plane rotations on U and V. Both are backward stable
   * with orthonormal factors.
   */
  method?: SvdMethod;
}

/** The bidiagonal SVD solver of {@link svd}. */
export type SvdMethod = 'dc' | 'qr';

const OPTION_KEYS = ['rcond', 'check', 'method'] as const;
const EPS = 2 ** -52;

/**
 * Thin SVD of any m×n matrix (tall, wide, square, rank-deficient): Householder bidiagonalization
 * (blocked as LAPACK dgebrd from 48 columns, the trailing updates through gemm), then the bidiagonal
 * SVD by divide and conquer (`method: 'dc'`, the default; LAPACK dbdsdc, as NumPy's gesdd: singular
 * vectors merged by gemm) or by implicitly shifted QR (`method: 'qr'`, Golub–Kahan–Reinsch as
 * LINPACK/JAMA), and the bidiagonal's singular vectors multiplied by the reduction's factors. The
 * working copies are column-major so every inner loop runs over contiguous memory; wide inputs are
 * transposed first, and the input is scaled by an exact power of two. Accuracy (both methods):
 * ‖A − U S Vᵀ‖ ≈ ε‖A‖ and orthonormal factors to ≈ ε·k.
 *
 * @example
 * ```ts
 * const { s, rank } = svd(fromRows([[3, 0], [0, 4], [0, 0]]));
 * const qr = svd(fromRows([[3, 0], [0, 4], [0, 0]]), { method: 'qr' }).s;
 * [Array.from(s), rank, Array.from(qr)];
 * // [[4, 3], 2, [4, 3]]
 * ```
 */
export function svd(a: Matrix, options: SvdOptions = {}): Svd {
  const o = readOptions(options, 'svd');
  assertKnownKeys(o, OPTION_KEYS, 'svd', 'options');
  optionalBoolean(o.check, 'svd', 'options.check');
  const method = o.method ?? 'dc';
  if (method !== 'dc' && method !== 'qr') throw new DescentError('INVALID_CONFIG', 'svd', `options.method must be 'dc' or 'qr', got ${String(method)}`);
  assertMatrix(a, 'svd', 'A', { finite: o.check ?? true });
  const { rows, cols } = a;
  const rcond = o.rcond ?? Math.max(rows, cols) * EPS;
  if (typeof rcond !== 'number' || !(rcond >= 0)) throw new DescentError('INVALID_CONFIG', 'svd', `rcond must be >= 0, got ${String(rcond)}`);
  const ws = kept !== undefined && kept.rows === rows && kept.cols === cols ? kept : svdBuffers(rows, cols);
  kept = undefined;
  const rank = svdCore(a, ws, rcond, method);
  const { m, n, u, v, wide } = ws;
  const s = ws.s.slice();
  // u: m×n column-major, v: n×n column-major (tall frame), i.e. row-major transposed.
  const k = n;
  const uTall = transposeInto({ rows: k, cols: m, data: u }, { rows: m, cols: k, data: new Float64Array(m * k) });
  const vTall = transposeInto({ rows: k, cols: n, data: v }, { rows: n, cols: k, data: new Float64Array(n * k) });
  if (m * n + n * n <= KEEP) kept = ws;
  return wide ? { u: vTall, s, v: uTall, rank } : { u: uTall, s, v: vTall, rank };
}

/**
 * The last call's buffers, reused by the next call of the same shape: fresh multi-megabyte arrays
 * cost page faults and garbage collection comparable to the arithmetic at 256×256. Kept only up to
 * {@link KEEP} doubles of factors, so one large problem does not pin its memory.
 */
let kept: SvdBuffers | undefined;
const KEEP = 2 * 512 * 512;

/**
 * Scratch of the SVD of a rows×cols matrix in its tall frame (m ≥ n): the column-major working copy
 * `w` (m×n), the factors `u` (m×n) and `v` (n×n) column-major, the singular values `s` and the
 * bidiagonal's super-diagonal `e` (n each), and a length-m work vector.
 */
export interface SvdBuffers {
  readonly rows: number;
  readonly cols: number;
  readonly wide: boolean;
  readonly m: number;
  readonly n: number;
  readonly w: Float64Array;
  readonly u: Float64Array;
  readonly v: Float64Array;
  readonly s: Float64Array;
  readonly e: Float64Array;
  readonly work: Float64Array;
  /** Blocked path: the right reflectors copied into columns (n×n), both τ vectors, and scratch. */
  readonly p: Float64Array;
  readonly tauq: Float64Array;
  readonly taup: Float64Array;
  readonly brd: BidiagonalScratch;
  readonly refl: ReflectorScratch;
  /** Divide-and-conquer scratch, made by the first call that needs it. */
  dc: DcBuffers | undefined;
}

/** The bidiagonal's singular vectors (n×n each), a product buffer (m×n) and the D&C scratch. */
interface DcBuffers {
  readonly ub: Float64Array;
  readonly vt: Float64Array;
  readonly prod: Float64Array;
  readonly d: Float64Array;
  readonly e: Float64Array;
  readonly work: BdcWork;
}

/** Fresh {@link SvdBuffers} for a rows×cols matrix. */
export function svdBuffers(rows: number, cols: number): SvdBuffers {
  const wide = rows < cols;
  const m = wide ? cols : rows;
  const n = wide ? rows : cols;
  return {
    rows, cols, wide, m, n,
    w: new Float64Array(m * n), u: new Float64Array(m * n), v: new Float64Array(n * n),
    s: new Float64Array(n), e: new Float64Array(n), work: new Float64Array(m),
    p: new Float64Array(n >= BLOCKED_MIN ? n * n : 0), tauq: new Float64Array(n), taup: new Float64Array(n),
    brd: bidiagonalScratch(), refl: reflectorScratch(), dc: undefined,
  };
}

/**
 * The SVD of A (validated, shape matching `ws`) into `ws`: on return `ws.s` holds the singular
 * values (descending, at A's scale) and `ws.u`, `ws.v` the tall frame's factors column-major (for wide
 * A the tall frame is Aᵀ = U S Vᵀ). Returns the rank at relative tolerance `rcond`. Allocates nothing.
 */
export function svdCore(a: Matrix, ws: SvdBuffers, rcond: number, method: SvdMethod = 'dc'): number {
  const { m, n, w, s } = ws;
  // Column-major copy of the tall matrix: col j of the tall matrix at w[j*m .. j*m+m).
  // For tall A that is Aᵀ row-major; for wide A it is A itself row-major.
  if (ws.wide) w.set(a.data);
  else for (let i = 0; i < a.rows; i++) for (let j = 0; j < a.cols; j++) w[j * m + i] = a.data[i * a.cols + j]!;
  // Run on a copy scaled by an exact power of two to max|a| ≈ 1, and scale s back.
  const e = pow2Exponent(w);
  scaleByPow2(w, e);
  svdTall(w, m, n, ws, method);
  if (e !== 0) {
    const f = pow2(e);
    for (let i = 0; i < n; i++) s[i] = s[i]! * f;
  }
  let rank = 0;
  const cutoff = rcond * (s[0] ?? 0);
  for (let i = 0; i < n; i++) if (s[i]! > cutoff) rank++;
  return rank;
}

/**
 * The SVD of a tall m×n (m ≥ n) matrix given column-major in `A` (destroyed), into `out`: U (m×n) and
 * V (n×n) column-major and s (n).
 */
function svdTall(A: Float64Array, m: number, n: number, out: SvdBuffers, method: SvdMethod): void {
  const nu = n;
  const { s, u: U, v: V, e, work } = out;
  e.fill(0);
  work.fill(0);
  let p = n;
  if (n >= BLOCKED_MIN) {
    // Blocked Householder bidiagonalization (most flops in gemm), U and V from compact-WY blocks.
    // The right reflectors also come out row by row in P (row k of A from column k + 1).
    const P = out.p;
    P.fill(0);
    bidiagonalize(A, m, n, s, e, out.tauq, out.taup, out.brd, P);
    if (method === 'dc' && n > 1 && blockedDivideAndConquer(A, P, m, n, out)) return;
    accumulateReflectors(A, m, n, 0, out.tauq, U, n, BRD_BLOCK, out.refl);
    accumulateReflectors(P, n, n - 1, 1, out.taup, V, n, BRD_BLOCK, out.refl);
    bidiagonalQR(s, 0, e, 0, n, U, 0, m, m, V, 0, n, n, 'svd');
    return;
  } else {
  const nct = Math.min(m - 1, n);
  const nrt = Math.max(0, Math.min(n - 2, m));
  // Reduce A to bidiagonal form, storing the diagonal in s and the super-diagonal in e.
  for (let k = 0; k < Math.max(nct, nrt); k++) {
    const ck = k * m;
    if (k < nct) {
      let sk = 0;
      for (let i = k; i < m; i++) sk = hypot(sk, A[ck + i]!);
      if (sk !== 0) {
        if (A[ck + k]! < 0) sk = -sk;
        // Divide, not multiply by 1/sk: for a subnormal norm the reciprocal overflows to Infinity.
        for (let i = k; i < m; i++) A[ck + i] /= sk;
        A[ck + k] += 1;
      }
      s[k] = -sk;
    }
    for (let j = k + 1; j < n; j++) {
      const cj = j * m;
      if (k < nct && s[k] !== 0) {
        let t = 0;
        for (let i = k; i < m; i++) t += A[ck + i]! * A[cj + i]!;
        t = -t / A[ck + k]!;
        for (let i = k; i < m; i++) A[cj + i] += t * A[ck + i]!;
      }
      e[j] = A[cj + k]!;
    }
    if (k < nct) for (let i = k; i < m; i++) U[k * m + i] = A[ck + i]!;
    if (k < nrt) {
      let ek = 0;
      for (let i = k + 1; i < n; i++) ek = hypot(ek, e[i]!);
      if (ek !== 0) {
        if (e[k + 1]! < 0) ek = -ek;
        for (let i = k + 1; i < n; i++) e[i] /= ek;
        e[k + 1] += 1;
      }
      ek = -ek;
      e[k] = ek;
      if (k + 1 < m && ek !== 0) {
        for (let i = k + 1; i < m; i++) work[i] = 0;
        for (let j = k + 1; j < n; j++) {
          const ej = e[j]!;
          const cj = j * m;
          for (let i = k + 1; i < m; i++) work[i] += ej * A[cj + i]!;
        }
        for (let j = k + 1; j < n; j++) {
          const t = -e[j]! / e[k + 1]!;
          const cj = j * m;
          for (let i = k + 1; i < m; i++) A[cj + i] += t * work[i]!;
        }
      }
      for (let i = k + 1; i < n; i++) V[k * n + i] = e[i]!;
    }
  }
  p = Math.min(n, m + 1);
  if (nct < n) s[nct] = A[nct * m + nct]!;
  if (m < p) s[p - 1] = 0;
  if (nrt + 1 < p) e[nrt] = A[(p - 1) * m + nrt]!;
  e[p - 1] = 0;
  // Generate U.
  for (let j = nct; j < nu; j++) {
    U.fill(0, j * m, j * m + m);
    U[j * m + j] = 1;
  }
  for (let k = nct - 1; k >= 0; k--) {
    const ck = k * m;
    if (s[k] !== 0) {
      for (let j = k + 1; j < nu; j++) {
        const cj = j * m;
        let t = 0;
        for (let i = k; i < m; i++) t += U[ck + i]! * U[cj + i]!;
        t = -t / U[ck + k]!;
        for (let i = k; i < m; i++) U[cj + i] += t * U[ck + i]!;
      }
      for (let i = k; i < m; i++) U[ck + i] = -U[ck + i]!;
      U[ck + k] = 1 + U[ck + k]!;
      for (let i = 0; i < k; i++) U[ck + i] = 0;
    } else {
      U.fill(0, ck, ck + m);
      U[ck + k] = 1;
    }
  }
  // Generate V.
  for (let k = n - 1; k >= 0; k--) {
    const ck = k * n;
    if (k < nrt && e[k] !== 0) {
      for (let j = k + 1; j < nu; j++) {
        const cj = j * n;
        let t = 0;
        for (let i = k + 1; i < n; i++) t += V[ck + i]! * V[cj + i]!;
        t = -t / V[ck + k + 1]!;
        for (let i = k + 1; i < n; i++) V[cj + i] += t * V[ck + i]!;
      }
    }
    V.fill(0, ck, ck + n);
    V[ck + k] = 1;
  }
  }
  if (method === 'dc' && n > 1 && divideAndConquer(m, n, out)) return;
  bidiagonalQR(s, 0, e, 0, p, U, 0, m, m, V, 0, n, n, 'svd');
}

/**
 * The bidiagonal (s, e) solved by divide and conquer, its singular vectors multiplied into U and V
 * (the bidiagonalization's factors) by two gemm calls. False, with s, e, U and V untouched, if a
 * secular equation did not converge.
 */
function divideAndConquer(m: number, n: number, out: SvdBuffers): boolean {
  const { u: U, v: V } = out;
  const dc = solveBidiagonal(m, n, out);
  if (dc === undefined) return false;
  // Column-major X is row-major Xᵀ: (U·Ub)ᵀ = Ubᵀ·Uᵀ, and Vᵀ stored by rows is V_b column-major.
  const prod = dc.prod;
  gemmInto({ rows: n, cols: n, data: dc.ub }, { rows: n, cols: m, data: U }, { rows: n, cols: m, data: prod });
  U.set(prod);
  const pv = prod.subarray(0, n * n);
  gemmInto({ rows: n, cols: n, data: dc.vt }, { rows: n, cols: n, data: V }, { rows: n, cols: n, data: pv });
  V.set(pv);
  return true;
}

/**
 * The bidiagonal (out.s, out.e) by divide and conquer in `out.dc` (made on first use): on success s
 * holds the singular values and dc.ub, dc.vt the bidiagonal's singular vectors; undefined, with s and
 * e untouched, if a secular equation did not converge.
 */
function solveBidiagonal(m: number, n: number, out: SvdBuffers): DcBuffers | undefined {
  const dc = out.dc ?? (out.dc = {
    ub: new Float64Array(n * n), vt: new Float64Array(n * n), prod: new Float64Array(m * n),
    d: new Float64Array(n), e: new Float64Array(n), work: bdcWork(n),
  });
  dc.d.set(out.s);
  dc.e.set(out.e);
  if (!bidiagonalSvdDC(dc.d, dc.e, n, dc.ub, n, dc.vt, n, dc.work)) return undefined;
  out.s.set(dc.d);
  return dc;
}

/**
 * The blocked path's divide and conquer: the bidiagonal's singular vectors Ub, Vb are multiplied by
 * the bidiagonalization's reflectors without forming Q and P (LAPACK dgesdd's dormbr): U = Q·[Ub; 0]
 * and V = P·Vb, each by compact-WY blocks on the rows of a row-major copy, 2mn² and 2n³ flops where
 * forming Q and P and multiplying would cost about twice that. `A` holds the left reflectors and `P`
 * the right ones in columns (as {@link accumulateReflectors} reads them). False, with s, e, U and V
 * untouched, if a secular equation did not converge.
 */
function blockedDivideAndConquer(A: Float64Array, P: Float64Array, m: number, n: number, out: SvdBuffers): boolean {
  const { u: U, v: V } = out;
  const dc = solveBidiagonal(m, n, out);
  if (dc === undefined) return false;
  // dc.ub is Ub column-major, i.e. Ubᵀ row-major: its transpose is the first n rows of [Ub; 0].
  const z = dc.prod;
  transposeInto({ rows: n, cols: n, data: dc.ub }, { rows: n, cols: n, data: z.subarray(0, n * n) });
  z.fill(0, n * n, m * n);
  applyReflectorsToRows(A, m, n, 0, out.tauq, z, n, out.refl);
  // U column-major is the row-major m×n result transposed.
  transposeInto({ rows: m, cols: n, data: z }, { rows: n, cols: m, data: U });
  const zv = z.subarray(0, n * n);
  // dc.vt holds Vbᵀ by rows, i.e. Vb column-major.
  transposeInto({ rows: n, cols: n, data: dc.vt }, { rows: n, cols: n, data: zv });
  applyReflectorsToRows(P, n, n - 1, 1, out.taup, zv, n, out.refl);
  transposeInto({ rows: n, cols: n, data: zv }, { rows: n, cols: n, data: V });
  return true;
}
