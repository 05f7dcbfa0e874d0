import { assertKnownKeys } from '../config.js';
import { DescentError } from '../errors.js';
import type { Matrix } from '../matrix.js';
import { assertMatrix } from '../validate.js';
import { optionalBoolean, readOptions } from '../options.js';
import { pow2, pow2Exponent, pow2ExponentOf, scaleByPow2 } from './pow2-scale.js';
import { symmetricPart } from './symmetric.js';
import { applyBlockReflector, formBlockReflector, reflectorScratch, type ReflectorScratch } from './block-reflector.js';
import { gemmInto } from '../kernels/gemm.js';
import { transposeInto } from '../kernels/transpose.js';
import { tridiagonalEigenDC } from './tridiagonal-dc.js';
import { tridiagonalQL } from './tridiagonal-ql.js';

/** The eigendecomposition A = Q·diag(values)·Qᵀ of a symmetric matrix. */
export interface Eigh {
  /** Eigenvalues in ascending order (as NumPy's eigh). */
  readonly values: Float64Array;
  /** n×n orthogonal matrix whose column i is the eigenvector of values[i]. */
  readonly vectors: Matrix;
}

/** Options of {@link eigh}. */
export interface EighOptions {
  /** Skip the finiteness scan of the input (it costs O(n²)). Default true (check). */
  check?: boolean;
  /**
   * Tridiagonal eigensolver: `'dc'` (default) divide and conquer (LAPACK dstedc/dsyevd), whose merges
   * are matrix products; `'qr'` the implicit QL iteration (EISPACK tql2/LAPACK dsteqr), O(n³) plane
   * rotations. Both give backward-stable eigenpairs with orthonormal vectors.
   */
  method?: 'dc' | 'qr';
}

const OPTION_KEYS = ['check', 'method'] as const;

/**
 * Working buffers reused from one call to the next (fresh multi-megabyte arrays cost page faults and
 * garbage collection comparable to the arithmetic at n = 256); dropped after calls above
 * {@link KEEP} doubles so a single large problem does not pin its memory.
 */
interface Scratch {
  z: Float64Array;
  c: Float64Array;
  v: Float64Array;
  w: Float64Array;
  vp: Float64Array;
  wp: Float64Array;
  refl: ReflectorScratch;
}
const KEEP = 512 * 512;
let kept: Scratch | undefined;

function scratchFor(): Scratch {
  const e = new Float64Array(0);
  return kept ?? { z: e, c: e, v: e, w: e, vp: e, wp: e, refl: reflectorScratch() };
}

function grow(s: Scratch, k: 'z' | 'c' | 'v' | 'w' | 'vp' | 'wp', size: number): Float64Array {
  if (s[k].length < size) s[k] = new Float64Array(size);
  return s[k].subarray(0, size);
}

/**
 * Symmetric eigendecomposition: blocked Householder tridiagonalization (LAPACK dsytrd style, the
 * rank-2b panel updates through gemm), then the tridiagonal eigenproblem by divide and conquer
 * (LAPACK dstedc: Cuppen's tearing, deflation, the secular equation solved as dlaed4, Gu–Eisenstat
 * recomputation for orthogonal vectors, merges through gemm) or, with `method: 'qr'`, by the implicit
 * QL algorithm; the eigenvectors of T are then multiplied by Q's compact-WY blocks. The input must be
 * symmetric to √ε relative precision (`DOMAIN` otherwise); its symmetric part is decomposed.
 *
 * @example
 * ```ts
 * const a = fromRows([[2, 1, 0], [1, 2, 1], [0, 1, 2]]);
 * const dc = eigh(a).values;
 * const ql = eigh(a, { method: 'qr' }).values;
 * [Array.from(dc, (v) => +v.toFixed(12)), Math.max(...dc.map((v, i) => Math.abs(v - ql[i]!))) < 1e-14];
 * // [[0.585786437627, 2, 3.414213562373], true]
 * ```
 */
export function eigh(a: Matrix, options: EighOptions = {}): Eigh {
  const o = readOptions(options, 'eigh');
  assertKnownKeys(o, OPTION_KEYS, 'eigh', 'options');
  optionalBoolean(o.check, 'eigh', 'options.check');
  const method = o.method ?? 'dc';
  if (method !== 'dc' && method !== 'qr') throw new DescentError('INVALID_CONFIG', 'eigh', `method must be 'dc' or 'qr', got ${String(method)}`);
  assertMatrix(a, 'eigh', 'A', { finite: o.check ?? true });
  const n = a.rows;
  // Full symmetric storage; column j at w[j*n ..] (the same array read row- or column-major).
  const w = symmetricPart(a, 'eigh');
  const d = new Float64Array(n);
  const e = new Float64Array(n);
  // Decompose a copy scaled by an exact power of two to max|a| ≈ 1, and scale the eigenvalues back.
  const ex = pow2Exponent(w);
  scaleByPow2(w, ex);
  const tau = new Float64Array(n);
  const sc = scratchFor();
  const scratch = sc.refl;
  tridiagonalize(w, n, d, e, tau, sc);
  let v: Float64Array | undefined;
  if (method === 'dc') {
    const dd = d.slice();
    const sub = e.slice(1);
    const z = grow(sc, 'z', n * n);
    if (tridiagonalEigenDC(dd, sub, n, z)) {
      applyQ(w, n, tau, z, scratch);
      d.set(dd);
      v = z;
    }
  }
  if (v === undefined) {
    // QL (asked for, or the rare secular-equation failure of divide and conquer).
    v = new Float64Array(n * n);
    formQ(w, n, tau, v, scratch);
    tridiagonalQL(v, 0, n, d, e, n, 'eigh');
  }
  if (ex !== 0) {
    const f = pow2(ex);
    for (let i = 0; i < n; i++) d[i] = d[i]! * f;
  }
  const vectors = { rows: n, cols: n, data: new Float64Array(n * n) };
  // v holds the eigenvectors column-major, i.e. row-major transposed.
  transposeInto({ rows: n, cols: n, data: v }, vectors);
  kept = n * n <= KEEP ? sc : undefined;
  return { values: d, vectors };
}

/** Panel width of the blocked tridiagonal reduction. */
const TRD_BLOCK = 32;

/**
 * Householder reduction of the symmetric n×n matrix in `a` (full storage, column-major) to
 * tridiagonal form T = Qᵀ A Q, blocked as LAPACK's dsytrd/dlatrd (lower): within a panel of b columns
 * the reflectors' effect on the trailing matrix is kept as A − V Wᵀ − W Vᵀ and applied at the end of
 * the panel by gemm; only the symmetric matrix-vector product per column stays level-2. On return
 * d is T's diagonal, e[i] = T[i, i−1] (e[0] = 0, tql2's convention), and the reflector of column j
 * (v with v[j+1] = 1, H = I − τ vvᵀ acting on rows j+1…) is stored below the diagonal of column j.
 */
function tridiagonalize(a: Float64Array, n: number, d: Float64Array, e: Float64Array, tau: Float64Array, sc: Scratch): void {
  e[0] = 0;
  const wv = new Float64Array(n);
  for (let i0 = 0; i0 < n - 1; i0 += TRD_BLOCK) {
    const b = Math.min(TRD_BLOCK, n - 1 - i0);
    const N = n - i0;
    // V and W of the panel over the trailing rows i0…n−1, one column after another (b×N row-major),
    // so every loop over rows is contiguous.
    const V = grow(sc, 'v', N * b);
    const W = grow(sc, 'w', N * b);
    V.fill(0);
    W.fill(0);
    for (let j = 0; j < b; j++) {
      const g = i0 + j;
      const col = g * n;
      // Bring column g (rows g…n−1) up to date with the panel's earlier reflectors.
      for (let p = 0; p < j; p++) {
        const wjp = W[p * N + j]!;
        const vjp = V[p * N + j]!;
        if (wjp === 0 && vjp === 0) continue;
        for (let r = j; r < N; r++) a[col + i0 + r] -= V[p * N + r]! * wjp + W[p * N + r]! * vjp;
      }
      d[g] = a[col + g]!;
      // Reflector annihilating rows g+2… of column g (LAPACK's dlarfg on a power-of-two-scaled copy,
      // so a column of tiny entries neither underflows nor overflows in 1/(α − β)).
      let mx = 0;
      for (let r = g + 1; r < n; r++) mx = Math.max(mx, Math.abs(a[col + r]!));
      let t = 0;
      let beta = a[col + g + 1]!;
      if (mx !== 0) {
        const sx = pow2ExponentOf(mx);
        const h1 = Math.trunc(-sx / 2);
        const f1 = pow2(h1);
        const f2 = pow2(-sx - h1);
        const alpha = a[col + g + 1]! * f1 * f2;
        let xn = 0;
        for (let r = g + 2; r < n; r++) {
          const x = a[col + r]! * f1 * f2;
          xn += x * x;
        }
        if (xn !== 0) {
          const nrm = Math.sqrt(alpha * alpha + xn);
          const bs = alpha >= 0 ? -nrm : nrm;
          t = (bs - alpha) / bs;
          const den = alpha - bs;
          for (let r = g + 2; r < n; r++) a[col + r] = (a[col + r]! * f1 * f2) / den;
          beta = bs * pow2(sx);
        }
      }
      if (t === 0) for (let r = g + 2; r < n; r++) a[col + r] = 0;
      tau[g] = t;
      e[g + 1] = beta;
      a[col + g + 1] = 1;
      // V[:, j] = v over local rows j+1…N−1.
      for (let r = j + 1; r < N; r++) V[j * N + r] = a[col + i0 + r]!;
      if (t === 0) continue;
      // w = τ·(A₂₂ v − W (Vᵀ v) − V (Wᵀ v)) over rows g+1…, A₂₂ not yet updated by this panel.
      // A₂₂·v from A₂₂'s lower triangle only (as dsymv): each stored entry is read once and used
      // twice, a dot product for its column's entry of the result and an axpy for its row's; two
      // columns per pass share the loads and stores of the result.
      for (let r = g + 1; r < n; r++) wv[r] = 0;
      let c = g + 1;
      for (; c + 1 < n; c += 2) {
        const k0 = c * n;
        const k1 = k0 + n;
        const x0 = a[col + c]!;
        const x1 = a[col + c + 1]!;
        const a10 = a[k0 + c + 1]!;
        let t0 = a[k0 + c]! * x0 + a10 * x1;
        let t1 = a10 * x0 + a[k1 + c + 1]! * x1;
        for (let r = c + 2; r < n; r++) {
          const p0 = a[k0 + r]!;
          const p1 = a[k1 + r]!;
          const vr = a[col + r]!;
          t0 += p0 * vr;
          t1 += p1 * vr;
          wv[r] += p0 * x0 + p1 * x1;
        }
        wv[c] += t0;
        wv[c + 1] += t1;
      }
      if (c < n) wv[c] += a[c * n + c]! * a[col + c]!;
      for (let p = 0; p < j; p++) {
        let yv = 0;
        let yw = 0;
        for (let r = j + 1; r < N; r++) {
          const vr = a[col + i0 + r]!;
          yv += V[p * N + r]! * vr;
          yw += W[p * N + r]! * vr;
        }
        if (yv === 0 && yw === 0) continue;
        for (let r = j + 1; r < N; r++) wv[i0 + r] -= W[p * N + r]! * yv + V[p * N + r]! * yw;
      }
      let vw = 0;
      for (let r = g + 1; r < n; r++) {
        wv[r] = t * wv[r]!;
        vw += wv[r]! * a[col + r]!;
      }
      const al = -0.5 * t * vw;
      for (let r = j + 1; r < N; r++) W[j * N + r] = wv[i0 + r]! + al * a[col + i0 + r]!;
    }
    // Trailing update A₂₂ ← A₂₂ − V Wᵀ − W Vᵀ on rows and columns i0+b…n−1, by gemm on a copy.
    const M = N - b;
    if (M > 0) {
      const C = grow(sc, 'c', M * M);
      const o = i0 + b;
      for (let c = 0; c < M; c++) for (let r = 0; r < M; r++) C[c * M + r] = a[(o + c) * n + o + r]!;
      const Vp = grow(sc, 'vp', b * M);
      const Wp = grow(sc, 'wp', b * M);
      for (let p = 0; p < b; p++) {
        Vp.set(V.subarray(p * N + b, p * N + N), p * M);
        Wp.set(W.subarray(p * N + b, p * N + N), p * M);
      }
      const vs = { rows: b, cols: M, data: Vp };
      const ws = { rows: b, cols: M, data: Wp };
      const cm = { rows: M, cols: M, data: C };
      gemmInto(vs, ws, cm, { transA: true, alpha: -1, beta: 1 });
      gemmInto(ws, vs, cm, { transA: true, alpha: -1, beta: 1 });
      // Only the lower triangle is read from here on (the upper one goes stale).
      for (let c = 0; c < M; c++) {
        const dst = (o + c) * n + o;
        for (let r = c; r < M; r++) a[dst + r] = C[c * M + r]!;
      }
    }
  }
  d[n - 1] = a[(n - 1) * n + n - 1]!;
}

/**
 * Q = H₀⋯H_{n−2} from the reflectors {@link tridiagonalize} left in `a`, into `q` (column-major),
 * accumulated backwards a block at a time as in QR: H_j touches rows and columns > j only.
 */
function formQ(a: Float64Array, n: number, tau: Float64Array, q: Float64Array, scratch: ReflectorScratch): void {
  q.fill(0);
  for (let j = 0; j < n; j++) q[j * n + j] = 1;
  const k = n - 1;
  if (k <= 0) return;
  const nb = TRD_BLOCK;
  const last = Math.floor((k - 1) / nb) * nb;
  for (let c0 = last; c0 >= 0; c0 -= nb) {
    const b = Math.min(nb, k - c0);
    // Own columns c0+1…c0+b: reflectors right to left, unblocked.
    for (let c = c0 + b - 1; c >= c0; c--) {
      const t = tau[c]!;
      if (t === 0) continue;
      const cc = c * n;
      for (let j = c + 1; j <= c0 + b; j++) {
        const cj = j * n;
        let s = 0;
        for (let i = c + 1; i < n; i++) s += a[cc + i]! * q[cj + i]!;
        s *= t;
        for (let i = c + 1; i < n; i++) q[cj + i] -= s * a[cc + i]!;
      }
    }
    if (c0 + b + 1 < n) {
      formBlockReflector(a, n, c0, c0 + 1, n, b, tau.subarray(c0, c0 + b), scratch);
      applyBlockReflector(q, n, c0 + 1, n, c0 + b + 1, n, b, false, scratch);
    }
  }
}

/**
 * z ← Q·z for Q = H₀⋯H_{n−2} from the reflectors {@link tridiagonalize} left in `a` (z column-major
 * n×n), one compact-WY block at a time from the last: three gemm calls per block, 2n³ flops in all.
 */
function applyQ(a: Float64Array, n: number, tau: Float64Array, z: Float64Array, scratch: ReflectorScratch): void {
  const k = n - 1;
  if (k <= 0) return;
  const nb = TRD_BLOCK;
  const last = Math.floor((k - 1) / nb) * nb;
  for (let c0 = last; c0 >= 0; c0 -= nb) {
    const b = Math.min(nb, k - c0);
    formBlockReflector(a, n, c0, c0 + 1, n, b, tau.subarray(c0, c0 + b), scratch);
    applyBlockReflector(z, n, c0 + 1, n, 0, n, b, false, scratch);
  }
}
