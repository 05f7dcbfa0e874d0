import { gemmInto } from '../kernels/gemm.js';
import { applyBlockReflector, formBlockReflector, type ReflectorScratch } from './block-reflector.js';
import { pow2, pow2ExponentOf } from './pow2-scale.js';

/** Panel width of the blocked bidiagonalization. */
export const BRD_BLOCK = 32;

/**
 * LAPACK's dlarfg on x[off], x[off+stride], …, x[off+(len−1)·stride]: returns τ and writes β (the new
 * leading entry) to `beta[0]` and v (with v₀ = 1 implied, stored entries 1…) over x. Works on a copy
 * scaled by a power of two to max|x| ≈ 1, so tiny vectors neither underflow nor overflow 1/(α − β).
 */
function householder(x: Float64Array, off: number, stride: number, len: number, beta: Float64Array): number {
  let mx = 0;
  for (let i = 0; i < len; i++) mx = Math.max(mx, Math.abs(x[off + i * stride]!));
  beta[0] = x[off]!;
  if (mx === 0 || len <= 1) return 0;
  const sx = pow2ExponentOf(mx);
  const h1 = Math.trunc(-sx / 2);
  const f1 = pow2(h1);
  const f2 = pow2(-sx - h1);
  const alpha = x[off]! * f1 * f2;
  let xn = 0;
  for (let i = 1; i < len; i++) {
    const v = x[off + i * stride]! * f1 * f2;
    xn += v * v;
  }
  if (xn === 0) return 0;
  const nrm = Math.sqrt(alpha * alpha + xn);
  const bs = alpha >= 0 ? -nrm : nrm;
  const den = alpha - bs;
  for (let i = 1; i < len; i++) x[off + i * stride] = (x[off + i * stride]! * f1 * f2) / den;
  beta[0] = bs * pow2(sx);
  return (bs - alpha) / bs;
}

/** Scratch of {@link bidiagonalize}, grown on demand. */
export interface BidiagonalScratch {
  x: Float64Array;
  y: Float64Array;
  t: Float64Array;
  c: Float64Array;
  vt: Float64Array;
  yt: Float64Array;
  ut: Float64Array;
  xt: Float64Array;
  ur: Float64Array;
  row: Float64Array;
  beta: Float64Array;
}

/** Empty scratch for {@link bidiagonalize}. */
export function bidiagonalScratch(): BidiagonalScratch {
  const z = () => new Float64Array(0);
  return { x: z(), y: z(), t: z(), c: z(), vt: z(), yt: z(), ut: z(), xt: z(), ur: z(), row: z(), beta: new Float64Array(1) };
}

function grow(s: BidiagonalScratch, k: Exclude<keyof BidiagonalScratch, 'beta'>, size: number): Float64Array {
  if (s[k].length < size) s[k] = new Float64Array(size);
  return s[k].subarray(0, size);
}

/**
 * Householder reduction of the m×n (m ≥ n) column-major `a` to upper bidiagonal B = Qᵀ A P, blocked as
 * LAPACK's dgebrd/dlabrd: within a panel of b columns and rows the reflectors' effect on the trailing
 * matrix is carried as A − V Yᵀ − X Uᵀ and applied at the end of the panel by two gemm calls. On
 * return d (n) and e (n − 1, e[n−1] = 0) hold B's diagonal and superdiagonal; the left reflector k is
 * in column k from row k (leading 1 stored), τ in tauq[k]; the right reflector k in row k from column
 * k + 1 (leading 1 stored), τ in taup[k], and, if `pr` is given (n×n row-major, zero on entry), also in
 * row k of `pr`. Rows of the column-major `a` are strided, so the panel's rows (the right reflectors)
 * are worked on in a row-major copy and written back once.
 */
export function bidiagonalize(a: Float64Array, m: number, n: number, d: Float64Array, e: Float64Array, tauq: Float64Array, taup: Float64Array, s: BidiagonalScratch, pr?: Float64Array): void {
  const at = (r: number, c: number) => c * m + r;
  e[n - 1] = 0;
  for (let i0 = 0; i0 < n; i0 += BRD_BLOCK) {
    const b = Math.min(BRD_BLOCK, n - i0);
    // X (m×b) and Y (n×b), column-major over global rows / columns.
    const X = grow(s, 'x', m * b);
    const Y = grow(s, 'y', n * b);
    X.fill(0);
    Y.fill(0);
    // Ur (b×n row-major): row p is the panel's right reflector p (row i0 + p of A from column i0+p+1).
    const Ur = grow(s, 'ur', b * n);
    Ur.fill(0);
    const R = grow(s, 'row', n);
    const t = grow(s, 't', b + 1);
    for (let j = 0; j < b; j++) {
      const g = i0 + j;
      const cg = g * m;
      // Column g, rows g…: A(:, g) −= V(:, 0:j)·Y(g, 0:j)ᵀ + X(:, 0:j)·U(0:j, g).
      for (let p = 0; p < j; p++) {
        const yg = Y[p * n + g]!;
        const ug = Ur[p * n + g]!;
        const vp = (i0 + p) * m;
        const xp = p * m;
        for (let r = g; r < m; r++) a[cg + r] -= a[vp + r]! * yg + X[xp + r]! * ug;
      }
      tauq[g] = householder(a, cg + g, 1, m - g, s.beta);
      d[g] = s.beta[0]!;
      a[cg + g] = 1;
      if (g >= n - 1) {
        taup[g] = 0;
        continue;
      }
      const tq = tauq[g]!;
      // Y(g+1:, j) = τq·(A(g:, g+1:)ᵀ v − Y(g+1:, 0:j)(V(g:, 0:j)ᵀ v) − U(0:j, g+1:)ᵀ(X(g:, 0:j)ᵀ v)).
      const yj = j * n;
      if (tq !== 0) {
        // Four columns per pass share the loads of v (each dot product keeps its order).
        let c = g + 1;
        for (; c + 3 < n; c += 4) {
          const c0 = c * m;
          const c1 = c0 + m;
          const c2 = c1 + m;
          const c3 = c2 + m;
          let s0 = 0;
          let s1 = 0;
          let s2 = 0;
          let s3 = 0;
          for (let r = g; r < m; r++) {
            const v = a[cg + r]!;
            s0 += a[c0 + r]! * v;
            s1 += a[c1 + r]! * v;
            s2 += a[c2 + r]! * v;
            s3 += a[c3 + r]! * v;
          }
          Y[yj + c] = s0;
          Y[yj + c + 1] = s1;
          Y[yj + c + 2] = s2;
          Y[yj + c + 3] = s3;
        }
        for (; c < n; c++) {
          const cc = c * m;
          let acc = 0;
          for (let r = g; r < m; r++) acc += a[cc + r]! * a[cg + r]!;
          Y[yj + c] = acc;
        }
        for (let p = 0; p < j; p++) {
          const vp = (i0 + p) * m;
          const xp = p * m;
          let tv = 0;
          let tx = 0;
          for (let r = g; r < m; r++) {
            tv += a[vp + r]! * a[cg + r]!;
            tx += X[xp + r]! * a[cg + r]!;
          }
          const yp = p * n;
          if (tv !== 0) for (let c = g + 1; c < n; c++) Y[yj + c] -= Y[yp + c]! * tv;
          if (tx !== 0) for (let c = g + 1; c < n; c++) Y[yj + c] -= Ur[p * n + c]! * tx;
        }
        for (let c = g + 1; c < n; c++) Y[yj + c] = tq * Y[yj + c]!;
      }
      // Row g, columns g+1…, in the contiguous copy R: A(g, :) −= Y(:, 0:j+1)·V(g, 0:j+1)ᵀ + U(0:j, :)ᵀ·X(g, 0:j)ᵀ.
      for (let c = g + 1; c < n; c++) R[c] = a[c * m + g]!;
      for (let p = 0; p <= j; p++) {
        const vg = a[at(g, i0 + p)]!;
        if (vg === 0) continue;
        const yp = p * n;
        for (let c = g + 1; c < n; c++) R[c] -= Y[yp + c]! * vg;
      }
      for (let p = 0; p < j; p++) {
        const xg = X[p * m + g]!;
        if (xg === 0) continue;
        const up = p * n;
        for (let c = g + 1; c < n; c++) R[c] -= Ur[up + c]! * xg;
      }
      taup[g] = householder(R, g + 1, 1, n - g - 1, s.beta);
      e[g] = s.beta[0]!;
      R[g + 1] = 1;
      Ur.set(R.subarray(g + 1, n), j * n + g + 1);
      if (pr !== undefined) pr.set(R.subarray(g + 1, n), g * n + g + 1);
      for (let c = g + 1; c < n; c++) a[c * m + g] = R[c]!;
      const tp = taup[g]!;
      if (tp === 0) continue;
      // X(g+1:, j) = τp·(A(g+1:, g+1:) u − V(g+1:, 0:j+1)(Y(g+1:, 0:j+1)ᵀ u) − X(g+1:, 0:j)(U(0:j, g+1:) u)).
      const xj = j * m;
      for (let r = g + 1; r < m; r++) X[xj + r] = 0;
      // Four columns per pass: one load and store of X per row for four products (added in column order).
      let c = g + 1;
      for (; c + 3 < n; c += 4) {
        const c0 = c * m;
        const c1 = c0 + m;
        const c2 = c1 + m;
        const c3 = c2 + m;
        const u0 = R[c]!;
        const u1 = R[c + 1]!;
        const u2 = R[c + 2]!;
        const u3 = R[c + 3]!;
        for (let r = g + 1; r < m; r++) X[xj + r] = X[xj + r]! + a[c0 + r]! * u0 + a[c1 + r]! * u1 + a[c2 + r]! * u2 + a[c3 + r]! * u3;
      }
      for (; c < n; c++) {
        const uc = R[c]!;
        if (uc === 0) continue;
        const cc = c * m;
        for (let r = g + 1; r < m; r++) X[xj + r] += a[cc + r]! * uc;
      }
      for (let p = 0; p <= j; p++) {
        const yp = p * n;
        let acc = 0;
        for (let c = g + 1; c < n; c++) acc += Y[yp + c]! * R[c]!;
        t[p] = acc;
      }
      for (let p = 0; p <= j; p++) {
        const tv = t[p]!;
        if (tv === 0) continue;
        const vp = (i0 + p) * m;
        for (let r = g + 1; r < m; r++) X[xj + r] -= a[vp + r]! * tv;
      }
      for (let p = 0; p < j; p++) {
        const up = p * n;
        let acc = 0;
        for (let c = g + 1; c < n; c++) acc += Ur[up + c]! * R[c]!;
        if (acc === 0) continue;
        const xp = p * m;
        for (let r = g + 1; r < m; r++) X[xj + r] -= X[xp + r]! * acc;
      }
      for (let r = g + 1; r < m; r++) X[xj + r] = tp * X[xj + r]!;
    }
    // Trailing update A(o:, o:) −= V Yᵀ + X U on rows and columns from o = i0 + b, by gemm on copies.
    const o = i0 + b;
    if (o >= n) continue;
    const mr = m - o;
    const nc = n - o;
    const C = grow(s, 'c', nc * mr);
    const Vt = grow(s, 'vt', b * mr);
    const Xt = grow(s, 'xt', b * mr);
    const Yt = grow(s, 'yt', b * nc);
    const Ut = grow(s, 'ut', b * nc);
    for (let c = 0; c < nc; c++) {
      const src = (o + c) * m + o;
      for (let r = 0; r < mr; r++) C[c * mr + r] = a[src + r]!;
    }
    for (let p = 0; p < b; p++) {
      const vp = (i0 + p) * m + o;
      const xp = p * m + o;
      for (let r = 0; r < mr; r++) {
        Vt[p * mr + r] = a[vp + r]!;
        Xt[p * mr + r] = X[xp + r]!;
      }
      for (let c = 0; c < nc; c++) {
        Yt[p * nc + c] = Y[p * n + o + c]!;
        Ut[p * nc + c] = Ur[p * n + o + c]!;
      }
    }
    const cm = { rows: nc, cols: mr, data: C };
    // C is stored transposed (nc×mr): Cᵀ −= Yᵀ·Vᵀ and Cᵀ −= Uᵀ·Xᵀ, with the b×· blocks row-major.
    gemmInto({ rows: b, cols: nc, data: Yt }, { rows: b, cols: mr, data: Vt }, cm, { transA: true, alpha: -1, beta: 1 });
    gemmInto({ rows: b, cols: nc, data: Ut }, { rows: b, cols: mr, data: Xt }, cm, { transA: true, alpha: -1, beta: 1 });
    for (let c = 0; c < nc; c++) {
      const dst = (o + c) * m + o;
      for (let r = 0; r < mr; r++) a[dst + r] = C[c * mr + r]!;
    }
  }
}

/**
 * q ← H₀⋯H_{k−1}·I[:, :cols] (column-major, `rows` rows), where reflector j is column j of `w`
 * (column-major, leading dimension `rows`) with its leading 1 at row j + shift and τ = tau[j].
 * Accumulated backwards a block at a time: columns left of a block are still unit vectors there, so
 * each block touches only rows and columns ≥ its first pivot; the block's own columns take the
 * reflectors one by one, the columns right of it the compact-WY block through gemm.
 */
export function accumulateReflectors(w: Float64Array, rows: number, k: number, shift: number, tau: Float64Array, q: Float64Array, cols: number, nb: number, scratch: ReflectorScratch): void {
  q.fill(0, 0, rows * cols);
  for (let j = 0; j < cols; j++) q[j * rows + j] = 1;
  if (k <= 0) return;
  const last = Math.floor((k - 1) / nb) * nb;
  for (let c0 = last; c0 >= 0; c0 -= nb) {
    const b = Math.min(nb, k - c0);
    const ownEnd = Math.min(c0 + b + shift, cols);
    for (let c = c0 + b - 1; c >= c0; c--) {
      const t = tau[c]!;
      if (t === 0) continue;
      const cc = c * rows;
      const piv = c + shift;
      for (let j = piv; j < ownEnd; j++) {
        const cj = j * rows;
        let acc = 0;
        for (let i = piv; i < rows; i++) acc += w[cc + i]! * q[cj + i]!;
        acc *= t;
        if (acc === 0) continue;
        for (let i = piv; i < rows; i++) q[cj + i] -= acc * w[cc + i]!;
      }
    }
    if (ownEnd < cols) {
      formBlockReflector(w, rows, c0, c0 + shift, rows, b, tau.subarray(c0, c0 + b), scratch);
      applyBlockReflector(q, rows, c0 + shift, rows, ownEnd, cols, b, false, scratch);
    }
  }
}
