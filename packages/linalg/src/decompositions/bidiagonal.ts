import { gemmInto } from '../kernels/gemm.js';
import { level2Kernels } from '../kernels/level2-kernels.js';
import { applyBlockReflector, formBlockReflector, type ReflectorScratch } from './block-reflector.js';
import { householder } from './householder.js';

/** Panel width of the blocked bidiagonalization. */
export const BRD_BLOCK = 32;

/** Scratch of {@link bidiagonalize}, grown on demand. */
export interface BidiagonalScratch {
  /** The trailing update's packed panels (2b×(m − o) and 2b×(n − o)) and its product. */
  l: Float64Array;
  r: Float64Array;
  g: Float64Array;
  beta: Float64Array;
}

/** Empty scratch for {@link bidiagonalize}. */
export function bidiagonalScratch(): BidiagonalScratch {
  const z = new Float64Array(0);
  return { l: z, r: z, g: z, beta: new Float64Array(1) };
}

function grow(s: BidiagonalScratch, k: Exclude<keyof BidiagonalScratch, 'beta'>, size: number): Float64Array {
  if (s[k].length < size) s[k] = new Float64Array(size);
  return s[k].subarray(0, size);
}

/** Where {@link bidiagonalize}'s data sits in the level-2 kernels' heap (indices in doubles). */
interface BidiagonalLayout {
  /** The matrix, m×n column-major. */
  readonly a: number;
  /** The panel's X (m×b) and Y (n×b), column-major. */
  readonly x: number;
  readonly y: number;
  /** The panel's right reflectors, b×n row-major. */
  readonly u: number;
  /** The current row, n. */
  readonly row: number;
  /** Coefficient vectors of the panel's matrix-vector products, b + 1 each. */
  readonly s: number;
  readonly t: number;
  readonly size: number;
}

function bidiagonalLayout(start: number, m: number, n: number): BidiagonalLayout {
  // Each part starts on a 64-byte line.
  const up = (v: number) => Math.ceil(v / 8) * 8;
  const b = BRD_BLOCK;
  const a = up(start);
  const x = up(a + m * n);
  const y = up(x + m * b);
  const u = up(y + n * b);
  const row = up(u + b * n);
  const s = up(row + n);
  const t = up(s + b + 1);
  return { a, x, y, u, row, s, t, size: t + b + 1 - start };
}

/**
 * Householder reduction of the m×n (m ≥ n) column-major `a` to upper bidiagonal B = Qᵀ A P, blocked as
 * LAPACK's dgebrd/dlabrd: within a panel of b columns and rows the reflectors' effect on the trailing
 * matrix is carried as A − V Yᵀ − X Uᵀ and applied at the end of the panel by one gemm of depth 2b;
 * the matrix-vector products of each column and row run in the level-2 kernels, on a copy of `a` in
 * their heap. On return d (n) and e (n − 1, e[n−1] = 0) hold B's diagonal and superdiagonal; the left
 * reflector k is in column k from row k (leading 1 stored), τ in tauq[k]; the right reflector k in row
 * k from column k + 1 (leading 1 stored), τ in taup[k], and, if `pr` is given (n×n row-major, zero on
 * entry), also in row k of `pr`.
 */
export function bidiagonalize(a: Float64Array, m: number, n: number, d: Float64Array, e: Float64Array, tauq: Float64Array, taup: Float64Array, s: BidiagonalScratch, pr?: Float64Array): void {
  const k = level2Kernels(bidiagonalLayout(0, m, n).size + 8);
  const L = bidiagonalLayout(k.start, m, n);
  const h = k.heap;
  h.set(a.subarray(0, m * n), L.a);
  const A = L.a;
  const X = L.x;
  const Y = L.y;
  const U = L.u;
  const R = L.row;
  const S = L.s;
  const T = L.t;
  e[n - 1] = 0;
  for (let i0 = 0; i0 < n; i0 += BRD_BLOCK) {
    const b = Math.min(BRD_BLOCK, n - i0);
    h.fill(0, X, X + m * b);
    h.fill(0, Y, Y + n * b);
    h.fill(0, U, U + b * n);
    // The panel's left reflectors V(:, p) are A's columns i0 + p.
    const V = A + i0 * m;
    for (let j = 0; j < b; j++) {
      const g = i0 + j;
      const cg = A + g * m;
      // Column g, rows g…: A(:, g) −= V(:, 0:j)·Y(g, 0:j)ᵀ + X(:, 0:j)·U(0:j, g).
      if (j > 0) {
        for (let p = 0; p < j; p++) {
          h[S + p] = h[Y + p * n + g]!;
          h[T + p] = h[U + p * n + g]!;
        }
        k.gemvPairSub(cg + g, V + g, X + g, m, j, S, T, m - g);
      }
      tauq[g] = householder(h, cg + g, 1, m - g, s.beta);
      d[g] = s.beta[0]!;
      h[cg + g] = 1;
      if (g >= n - 1) {
        taup[g] = 0;
        continue;
      }
      const tq = tauq[g]!;
      const nr = n - g - 1;
      // Y(g+1:, j) = τq·(A(g:, g+1:)ᵀ v − Y(g+1:, 0:j)(V(g:, 0:j)ᵀ v) − U(0:j, g+1:)ᵀ(X(g:, 0:j)ᵀ v)).
      const yj = Y + j * n + g + 1;
      if (tq !== 0) {
        k.gemvT(cg + m + g, m, m - g, nr, cg + g, yj);
        if (j > 0) {
          k.gemvPairDots(V + g, X + g, m, j, cg + g, m - g, S, T);
          k.gemvPairSub(yj, Y + g + 1, U + g + 1, n, j, S, T, nr);
        }
        for (let c = 0; c < nr; c++) h[yj + c] = tq * h[yj + c]!;
      }
      // Row g, columns g+1…, in the contiguous copy R: A(g, :) −= Y(:, 0:j+1)·V(g, 0:j+1)ᵀ + U(0:j, :)ᵀ·X(g, 0:j)ᵀ.
      for (let c = g + 1; c < n; c++) h[R + c] = h[A + c * m + g]!;
      for (let p = 0; p < j; p++) {
        h[S + p] = h[V + p * m + g]!;
        h[T + p] = h[X + p * m + g]!;
      }
      if (j > 0) k.gemvPairSub(R + g + 1, Y + g + 1, U + g + 1, n, j, S, T, nr);
      {
        const vg = h[cg + g]!;
        const y = Y + j * n;
        for (let c = g + 1; c < n; c++) h[R + c] = h[R + c]! - h[y + c]! * vg;
      }
      taup[g] = householder(h, R + g + 1, 1, nr, s.beta);
      e[g] = s.beta[0]!;
      h[R + g + 1] = 1;
      h.copyWithin(U + j * n + g + 1, R + g + 1, R + n);
      if (pr !== undefined) pr.set(h.subarray(R + g + 1, R + n), g * n + g + 1);
      for (let c = g + 1; c < n; c++) h[A + c * m + g] = h[R + c]!;
      const tp = taup[g]!;
      if (tp === 0) continue;
      // X(g+1:, j) = τp·(A(g+1:, g+1:) u − V(g+1:, 0:j+1)(Y(g+1:, 0:j+1)ᵀ u) − X(g+1:, 0:j)(U(0:j, g+1:) u)).
      const mr = m - g - 1;
      const xj = X + j * m + g + 1;
      h.fill(0, xj, xj + mr);
      k.gemvN(cg + m + g + 1, m, mr, nr, R + g + 1, xj);
      if (j > 0) {
        k.gemvPairDots(Y + g + 1, U + g + 1, n, j, R + g + 1, nr, S, T);
        k.gemvPairSub(xj, V + g + 1, X + g + 1, m, j, S, T, mr);
      }
      {
        // The term of column j itself: V(:, j) = v, with Y(:, j)ᵀ u.
        let tj = 0;
        for (let c = 0; c < nr; c++) tj += h[Y + j * n + g + 1 + c]! * h[R + g + 1 + c]!;
        for (let r = 0; r < mr; r++) h[xj + r] = tp * (h[xj + r]! - h[cg + g + 1 + r]! * tj);
      }
    }
    // Trailing update A(o:, o:) −= V Yᵀ + X Uᵀ = [V X]·[Y U]ᵀ on rows and columns from o = i0 + b: one
    // gemm of depth 2b, its product subtracted as it is copied back.
    const o = i0 + b;
    if (o >= n) continue;
    const mr = m - o;
    const nc = n - o;
    // Cᵀ (nc×mr row-major, i.e. the block column-major) = [Y U]ᵀ-rows · [V X]-rows.
    const left = grow(s, 'l', 2 * b * nc);
    const right = grow(s, 'r', 2 * b * mr);
    for (let p = 0; p < b; p++) {
      left.set(h.subarray(Y + p * n + o, Y + p * n + n), p * nc);
      left.set(h.subarray(U + p * n + o, U + p * n + n), (b + p) * nc);
      right.set(h.subarray(V + p * m + o, V + p * m + m), p * mr);
      right.set(h.subarray(X + p * m + o, X + p * m + m), (b + p) * mr);
    }
    const G = grow(s, 'g', nc * mr);
    gemmInto({ rows: 2 * b, cols: nc, data: left }, { rows: 2 * b, cols: mr, data: right }, { rows: nc, cols: mr, data: G }, { transA: true });
    for (let c = 0; c < nc; c++) {
      const dst = A + (o + c) * m + o;
      const src = c * mr;
      for (let r = 0; r < mr; r++) h[dst + r] = h[dst + r]! - G[src + r]!;
    }
  }
  a.set(h.subarray(L.a, L.a + m * n));
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
