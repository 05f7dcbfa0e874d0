import { DescentError } from '../errors.js';
import type { Matrix } from '../matrix.js';
import { assertMatrix } from '../validate.js';
import { optionalBoolean, readOptions } from '../options.js';
import { hypot } from './hypot.js';
import { pow2, pow2Exponent, pow2ExponentOf, scaleByPow2 } from './pow2-scale.js';
import { symmetricPart } from './symmetric.js';
import { applyBlockReflector, formBlockReflector, reflectorScratch, type ReflectorScratch } from './block-reflector.js';
import { gemmInto } from '../kernels/gemm.js';

/** The eigendecomposition A = Q·diag(values)·Qᵀ of a symmetric matrix. */
export interface Eigh {
  /** Eigenvalues in ascending order (as NumPy's eigh). */
  readonly values: Float64Array;
  /** n×n orthogonal matrix whose column i is the eigenvector of values[i]. */
  readonly vectors: Matrix;
}

const EPS = 2 ** -52;

/**
 * Symmetric eigendecomposition: blocked Householder tridiagonalization (LAPACK dsytrd style, the
 * rank-2b panel updates through gemm), Q accumulated from compact-WY block reflectors, then the
 * implicit QL algorithm (EISPACK tql2) rotating Q into the eigenvectors. The input must be symmetric to
 * √ε relative precision (`DOMAIN` otherwise); its symmetric part is decomposed.
 *
 * @example
 * ```ts
 * Array.from(eigh(fromRows([[2, 1], [1, 2]])).values, (v) => +v.toFixed(12));
 * // [1, 3]
 * ```
 */
export function eigh(a: Matrix, options: { check?: boolean } = {}): Eigh {
  const o = readOptions(options, 'eigh');
  optionalBoolean(o.check, 'eigh', 'options.check');
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
  const scratch = reflectorScratch();
  tridiagonalize(w, n, d, e, tau);
  const v = new Float64Array(n * n);
  formQ(w, n, tau, v, scratch);
  tql2(v, d, e, n);
  if (ex !== 0) {
    const f = pow2(ex);
    for (let i = 0; i < n; i++) d[i] = d[i]! * f;
  }
  const vectors = { rows: n, cols: n, data: new Float64Array(n * n) };
  for (let j = 0; j < n; j++) for (let k = 0; k < n; k++) vectors.data[k * n + j] = v[j * n + k]!;
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
function tridiagonalize(a: Float64Array, n: number, d: Float64Array, e: Float64Array, tau: Float64Array): void {
  e[0] = 0;
  const wv = new Float64Array(n);
  let vb = new Float64Array(0);
  let wb = new Float64Array(0);
  let cb = new Float64Array(0);
  for (let i0 = 0; i0 < n - 1; i0 += TRD_BLOCK) {
    const b = Math.min(TRD_BLOCK, n - 1 - i0);
    const N = n - i0;
    // V and W of the panel, row-major N×b over the trailing rows i0…n−1.
    if (vb.length < N * b) {
      vb = new Float64Array(N * b);
      wb = new Float64Array(N * b);
    }
    const V = vb.subarray(0, N * b);
    const W = wb.subarray(0, N * b);
    V.fill(0);
    W.fill(0);
    for (let j = 0; j < b; j++) {
      const g = i0 + j;
      const col = g * n;
      // Bring column g (rows g…n−1) up to date with the panel's earlier reflectors.
      for (let p = 0; p < j; p++) {
        const wjp = W[j * b + p]!;
        const vjp = V[j * b + p]!;
        if (wjp === 0 && vjp === 0) continue;
        for (let r = j; r < N; r++) a[col + i0 + r] -= V[r * b + p]! * wjp + W[r * b + p]! * vjp;
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
      for (let r = j + 1; r < N; r++) V[r * b + j] = a[col + i0 + r]!;
      if (t === 0) continue;
      // w = τ·(A₂₂ v − W (Vᵀ v) − V (Wᵀ v)) over rows g+1…, A₂₂ not yet updated by this panel.
      // A₂₂ is stored exactly symmetric, so (A₂₂ v)_r is the dot product of column r with v: two
      // contiguous reads per term instead of an axpy's read-modify-write.
      for (let r = g + 1; r < n; r++) {
        const cr = r * n;
        let s0 = 0;
        let s1 = 0;
        let c = g + 1;
        for (; c + 1 < n; c += 2) {
          s0 += a[cr + c]! * a[col + c]!;
          s1 += a[cr + c + 1]! * a[col + c + 1]!;
        }
        if (c < n) s0 += a[cr + c]! * a[col + c]!;
        wv[r] = s0 + s1;
      }
      for (let p = 0; p < j; p++) {
        let yv = 0;
        let yw = 0;
        for (let r = j + 1; r < N; r++) {
          const vr = a[col + i0 + r]!;
          yv += V[r * b + p]! * vr;
          yw += W[r * b + p]! * vr;
        }
        if (yv === 0 && yw === 0) continue;
        for (let r = j + 1; r < N; r++) wv[i0 + r] -= W[r * b + p]! * yv + V[r * b + p]! * yw;
      }
      let vw = 0;
      for (let r = g + 1; r < n; r++) {
        wv[r] = t * wv[r]!;
        vw += wv[r]! * a[col + r]!;
      }
      const al = -0.5 * t * vw;
      for (let r = j + 1; r < N; r++) W[r * b + j] = wv[i0 + r]! + al * a[col + i0 + r]!;
    }
    // Trailing update A₂₂ ← A₂₂ − V Wᵀ − W Vᵀ on rows and columns i0+b…n−1, by gemm on a copy.
    const M = N - b;
    if (M > 0) {
      if (cb.length < M * M) cb = new Float64Array(M * M);
      const C = cb.subarray(0, M * M);
      const o = i0 + b;
      for (let c = 0; c < M; c++) for (let r = 0; r < M; r++) C[c * M + r] = a[(o + c) * n + o + r]!;
      const vs = { rows: M, cols: b, data: V.subarray(b * b) };
      const ws = { rows: M, cols: b, data: W.subarray(b * b) };
      const cm = { rows: M, cols: M, data: C };
      gemmInto(vs, ws, cm, { transB: true, alpha: -1, beta: 1 });
      gemmInto(ws, vs, cm, { transB: true, alpha: -1, beta: 1 });
      // Keep the stored matrix exactly symmetric (the two products round differently per triangle).
      for (let c = 0; c < M; c++) {
        for (let r = c; r < M; r++) {
          const x = C[c * M + r]!;
          a[(o + c) * n + o + r] = x;
          a[(o + r) * n + o + c] = x;
        }
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

function tql2(V: Float64Array, d: Float64Array, e: Float64Array, n: number): void {
  for (let i = 1; i < n; i++) e[i - 1] = e[i]!;
  e[n - 1] = 0;
  let f = 0;
  let tst1 = 0;
  for (let l = 0; l < n; l++) {
    tst1 = Math.max(tst1, Math.abs(d[l]!) + Math.abs(e[l]!));
    let m = l;
    while (m < n) {
      if (Math.abs(e[m]!) <= EPS * tst1) break;
      m++;
    }
    if (m > l) {
      let iter = 0;
      do {
        if (++iter > 60) throw new DescentError('NOT_CONVERGED', 'eigh', `QL iteration for eigenvalue ${l} did not converge`);
        let g = d[l]!;
        let p = (d[l + 1]! - g) / (2 * e[l]!);
        let r = hypot(p, 1);
        if (p < 0) r = -r;
        d[l] = e[l]! / (p + r);
        d[l + 1] = e[l]! * (p + r);
        const dl1 = d[l + 1]!;
        let h = g - d[l]!;
        for (let i = l + 2; i < n; i++) d[i] -= h;
        f += h;
        p = d[m]!;
        let c = 1;
        let c2 = c;
        let c3 = c;
        const el1 = e[l + 1]!;
        let s = 0;
        let s2 = 0;
        for (let i = m - 1; i >= l; i--) {
          c3 = c2;
          c2 = c;
          s2 = s;
          g = c * e[i]!;
          h = c * p;
          r = hypot(p, e[i]!);
          e[i + 1] = s * r;
          s = e[i]! / r;
          c = p / r;
          p = c * d[i]! - s * g;
          d[i + 1] = h + s * (c * g + s * d[i]!);
          const ci = i * n;
          const ci1 = ci + n;
          for (let k = 0; k < n; k++) {
            h = V[ci1 + k]!;
            V[ci1 + k] = s * V[ci + k]! + c * h;
            V[ci + k] = c * V[ci + k]! - s * h;
          }
        }
        p = (-s * s2 * c3 * el1 * e[l]!) / dl1;
        e[l] = s * p;
        d[l] = c * p;
      } while (Math.abs(e[l]!) > EPS * tst1);
    }
    d[l] = d[l]! + f;
    e[l] = 0;
  }
  for (let i = 0; i < n - 1; i++) {
    let k = i;
    let p = d[i]!;
    for (let j = i + 1; j < n; j++) {
      if (d[j]! < p) {
        k = j;
        p = d[j]!;
      }
    }
    if (k !== i) {
      d[k] = d[i]!;
      d[i] = p;
      const ci = i * n;
      const ck = k * n;
      for (let j = 0; j < n; j++) {
        p = V[ci + j]!;
        V[ci + j] = V[ck + j]!;
        V[ck + j] = p;
      }
    }
  }
}
