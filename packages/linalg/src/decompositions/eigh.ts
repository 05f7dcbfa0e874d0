import { assertKnownKeys } from '../config.js';
import { DescentError } from '../errors.js';
import type { Matrix } from '../matrix.js';
import { assertMatrix } from '../validate.js';
import { optionalBoolean, readOptions } from '../options.js';
import { householder } from './householder.js';
import { pow2, pow2ExponentOf } from './pow2-scale.js';
import { symmetricLowerInto } from './symmetric.js';
import { applyBlockReflector, applyReflectorsToRows, formBlockReflector, reflectorScratch, type ReflectorScratch } from './block-reflector.js';
import { lowerProductInto } from '../kernels/gemm.js';
import { level2Kernels, type Level2Kernels } from '../kernels/level2-kernels.js';
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
  vp: Float64Array;
  wp: Float64Array;
  refl: ReflectorScratch;
}
const KEEP = 512 * 512;
let kept: Scratch | undefined;

function scratchFor(): Scratch {
  const e = new Float64Array(0);
  return kept ?? { z: e, c: e, vp: e, wp: e, refl: reflectorScratch() };
}

function grow(s: Scratch, k: 'z' | 'c' | 'vp' | 'wp', size: number): Float64Array {
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
  const kernels = level2Kernels(tridiagonalLayout(0, Math.max(n, 1)).size + 8);
  const L = tridiagonalLayout(kernels.start, n);
  const h = kernels.heap;
  // The lower triangle of the symmetric part, column-major, scaled by an exact power of two to
  // max|a| ≈ 1 (the eigenvalues are scaled back at the end).
  const ex = pow2ExponentOf(symmetricLowerInto(a, 'eigh', h, L.a));
  if (ex !== 0) {
    const half = Math.trunc(ex / 2);
    const f1 = pow2(-half);
    const f2 = pow2(half - ex);
    for (let j = 0; j < n; j++) for (let i = L.a + j * n + j, end = L.a + (j + 1) * n; i < end; i++) h[i] = h[i]! * f1 * f2;
  }
  const d = new Float64Array(n);
  const e = new Float64Array(n);
  const tau = new Float64Array(n);
  const sc = scratchFor();
  const scratch = sc.refl;
  tridiagonalize(kernels, L, n, d, e, tau, sc);
  const w = h.subarray(L.a, L.a + n * n);
  const vectors = { rows: n, cols: n, data: new Float64Array(n * n) };
  let solved = false;
  if (method === 'dc') {
    const dd = d.slice();
    const sub = e.slice(1);
    const z = grow(sc, 'z', n * n);
    if (tridiagonalEigenDC(dd, sub, n, z)) {
      // z holds T's eigenvectors column-major, i.e. row-major transposed; Q is applied to the rows
      // of the row-major result in place.
      transposeInto({ rows: n, cols: n, data: z }, vectors);
      applyReflectorsToRows(w, n, n - 1, 1, tau, vectors.data, n, scratch);
      d.set(dd);
      solved = true;
    }
  }
  if (!solved) {
    // QL (asked for, or the rare secular-equation failure of divide and conquer).
    const v = grow(sc, 'z', n * n);
    formQ(w, n, tau, v, scratch);
    tridiagonalQL(v, 0, n, d, e, n, 'eigh');
    transposeInto({ rows: n, cols: n, data: v }, vectors);
  }
  if (ex !== 0) {
    const f = pow2(ex);
    for (let i = 0; i < n; i++) d[i] = d[i]! * f;
  }
  kept = n * n <= KEEP ? sc : undefined;
  return { values: d, vectors };
}

/** Panel width of the blocked tridiagonal reduction. */
const TRD_BLOCK = 32;

/** Where {@link tridiagonalize}'s data sits in the kernels' heap (indices in doubles). */
interface TridiagonalLayout {
  /** The matrix, n×n column-major. */
  readonly a: number;
  /** The panel's V and W, b×N row-major (row p is column p of LAPACK's V, W over the trailing rows). */
  readonly v: number;
  readonly w: number;
  /** The symmetric matrix-vector product, n. */
  readonly y: number;
  /** Two coefficient vectors of the panel's matrix-vector products, b each. */
  readonly s: number;
  readonly t: number;
  /** Doubles used past the heap's start. */
  readonly size: number;
}

function tridiagonalLayout(start: number, n: number): TridiagonalLayout {
  // Each part starts on a 64-byte line.
  const up = (x: number) => Math.ceil(x / 8) * 8;
  const a = up(start);
  const v = up(a + n * n);
  const w = up(v + TRD_BLOCK * n);
  const y = up(w + TRD_BLOCK * n);
  const s = up(y + n);
  const t = up(s + TRD_BLOCK);
  return { a, v, w, y, s, t, size: t + TRD_BLOCK - start };
}

/**
 * Householder reduction of the symmetric n×n matrix at L.a in the kernels' heap (lower triangle,
 * column-major) to tridiagonal form T = Qᵀ A Q, blocked as LAPACK's dsytrd/dlatrd (lower): within a
 * panel of b columns the reflectors' effect on the trailing matrix is kept as A − V Wᵀ − W Vᵀ and
 * applied at the end of the panel by one gemm of depth 2b on the lower triangle; the symmetric
 * matrix-vector product and the panel's matrix-vector products per column run in the level-2
 * kernels. On return d is T's diagonal, e[i] = T[i, i−1] (e[0] = 0, tql2's convention), and the
 * reflector of column j (v with v[j+1] = 1, H = I − τ vvᵀ acting on rows j+1…) is stored below the
 * diagonal of column j.
 */
function tridiagonalize(k: Level2Kernels, L: TridiagonalLayout, n: number, d: Float64Array, e: Float64Array, tau: Float64Array, sc: Scratch): void {
  const h = k.heap;
  const betaOut = new Float64Array(1);
  e[0] = 0;
  for (let i0 = 0; i0 < n - 1; i0 += TRD_BLOCK) {
    const b = Math.min(TRD_BLOCK, n - 1 - i0);
    const N = n - i0;
    // V[p, r], W[p, r] at L.v + p·N + r over the trailing rows i0 + r, so every loop over rows is
    // contiguous.
    h.fill(0, L.v, L.v + b * N);
    h.fill(0, L.w, L.w + b * N);
    for (let j = 0; j < b; j++) {
      const g = i0 + j;
      const col = L.a + g * n;
      // Bring column g (rows g…n−1) up to date with the panel's earlier reflectors:
      // a −= V·W[:, j] + W·V[:, j].
      if (j > 0) {
        for (let p = 0; p < j; p++) {
          h[L.s + p] = h[L.w + p * N + j]!;
          h[L.t + p] = h[L.v + p * N + j]!;
        }
        k.gemvPairSub(col + g, L.v + j, L.w + j, N, j, L.s, L.t, N - j);
      }
      d[g] = h[col + g]!;
      // Reflector annihilating rows g+2… of column g.
      const t = householder(h, col + g + 1, 1, n - g - 1, betaOut);
      const beta = betaOut[0]!;
      if (t === 0) for (let r = g + 2; r < n; r++) h[col + r] = 0;
      tau[g] = t;
      e[g + 1] = beta;
      h[col + g + 1] = 1;
      // V[j, :] = v over local rows j+1…N−1.
      h.copyWithin(L.v + j * N + j + 1, col + g + 1, col + n);
      if (t === 0) continue;
      // y = τ·(A₂₂ v − W (Vᵀ v) − V (Wᵀ v)) over rows g+1…, A₂₂ not yet updated by this panel.
      const y = L.y + g + 1;
      const m = n - g - 1;
      h.fill(0, y, y + m);
      k.symvLower(L.a + (g + 1) * n + g + 1, n, col + g + 1, y, m);
      if (j > 0) {
        k.gemvPairDots(L.v + j + 1, L.w + j + 1, N, j, col + g + 1, m, L.s, L.t);
        k.gemvPairSub(y, L.w + j + 1, L.v + j + 1, N, j, L.s, L.t, m);
      }
      let vw = 0;
      for (let r = 0; r < m; r++) {
        const yr = t * h[y + r]!;
        h[y + r] = yr;
        vw += yr * h[col + g + 1 + r]!;
      }
      const al = -0.5 * t * vw;
      const wj = L.w + j * N + j + 1;
      for (let r = 0; r < m; r++) h[wj + r] = h[y + r]! + al * h[col + g + 1 + r]!;
    }
    // Trailing update A₂₂ ← A₂₂ − V Wᵀ − W Vᵀ = A₂₂ − [V W]·[W V]ᵀ on rows and columns i0+b…n−1, by
    // one gemm of depth 2b on the lower triangle.
    const M = N - b;
    if (M > 0) {
      const P = grow(sc, 'vp', 2 * b * M);
      const Q = grow(sc, 'wp', 2 * b * M);
      for (let p = 0; p < b; p++) {
        const vr = h.subarray(L.v + p * N + b, L.v + p * N + N);
        const wr = h.subarray(L.w + p * N + b, L.w + p * N + N);
        P.set(vr, p * M);
        P.set(wr, (b + p) * M);
        Q.set(wr, p * M);
        Q.set(vr, (b + p) * M);
      }
      const G = grow(sc, 'c', M * M);
      lowerProductInto({ rows: 2 * b, cols: M, data: P }, { rows: 2 * b, cols: M, data: Q }, { rows: M, cols: M, data: G }, { transA: true }, 'eigh');
      // G's lower triangle is the update of row i, column j ≤ i; its mirror (the upper triangle) puts
      // the update of column c, rows r ≥ c, contiguously at c·M + r.
      const o = i0 + b;
      for (let c = 0; c < M; c++) {
        const dst = L.a + (o + c) * n + o;
        const src = c * M;
        for (let r = c; r < M; r++) h[dst + r] = h[dst + r]! - G[src + r]!;
      }
    }
  }
  d[n - 1] = h[L.a + (n - 1) * n + n - 1]!;
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
