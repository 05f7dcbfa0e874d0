import type { Matrix } from '../matrix.js';
import { gemm } from '../kernels/gemm.js';

/** max |Xᵀ X − I| for a matrix with (supposedly) orthonormal columns. */
export function orthonormalityError(x: Matrix): number {
  const g = gemm(x, x, { transA: true });
  let e = 0;
  for (let i = 0; i < g.rows; i++) for (let j = 0; j < g.cols; j++) e = Math.max(e, Math.abs(g.data[i * g.cols + j]! - (i === j ? 1 : 0)));
  return e;
}

/** max |aᵢ − bᵢ|. */
export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let e = 0;
  for (let i = 0; i < a.length; i++) e = Math.max(e, Math.abs(a[i]! - b[i]!));
  return e;
}

/** max |aᵢ|. */
export function maxAbs(a: ArrayLike<number>): number {
  let e = 0;
  for (let i = 0; i < a.length; i++) e = Math.max(e, Math.abs(a[i]!));
  return e;
}

/** U·diag(s)·Vᵀ. */
export function usv(u: Matrix, s: ArrayLike<number>, v: Matrix): Matrix {
  const k = s.length;
  const us = { rows: u.rows, cols: k, data: new Float64Array(u.rows * k) };
  for (let i = 0; i < u.rows; i++) for (let j = 0; j < k; j++) us.data[i * k + j] = u.data[i * u.cols + j]! * s[j]!;
  return gemm(us, v, { transB: true });
}
