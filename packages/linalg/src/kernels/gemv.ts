import { DescentError } from '../errors.js';
import type { Matrix } from '../matrix.js';
import { assertMatrix, assertVector } from '../validate.js';
import { overlaps } from './transpose.js';

/**
 * y ← α·op(A)·x + β·y into `out` (which may alias neither A nor x). Memory-bound, so plain JavaScript:
 * four rows of A per pass share the loads of x (A·x) or the reads and writes of y (Aᵀ·x). Each A·x entry
 * sums even and odd columns separately, then adds the two; Aᵀ·x adds α·x_i·A[i, :] in increasing i.
 *
 * @example
 * ```ts
 * gemvInto(fromRows([[1, 2], [3, 4]]), new Float64Array([1, 1]), new Float64Array(2));
 * // Float64Array [3, 7]
 * ```
 */
export function gemvInto(
  a: Matrix,
  x: Float64Array,
  out: Float64Array,
  options: { trans?: boolean; alpha?: number; beta?: number } = {},
): Float64Array {
  assertMatrix(a, 'gemv', 'A', { nonEmpty: false, finite: false });
  assertVector(x, 'gemv', 'x');
  assertVector(out, 'gemv', 'out');
  if (options === null || typeof options !== 'object') throw new DescentError('INVALID_CONFIG', 'gemv', 'options must be an object');
  const trans = options.trans ?? false;
  const alpha = options.alpha ?? 1;
  const beta = options.beta ?? 0;
  const { rows: m, cols: n } = a;
  const inLen = trans ? m : n;
  const outLen = trans ? n : m;
  if (x.length !== inLen) throw new DescentError('SHAPE_MISMATCH', 'gemv', `x has length ${x.length}, op(A) has ${inLen} columns`);
  if (out.length !== outLen) throw new DescentError('SHAPE_MISMATCH', 'gemv', `out has length ${out.length}, op(A) has ${outLen} rows`);
  if (overlaps(out, x)) throw new DescentError('SHAPE_MISMATCH', 'gemv', 'out must not alias x');
  const d = a.data;
  if (!trans) {
    // Four rows per pass share each load of x; every row keeps its own two partial sums (even and odd
    // columns), so the result is the same as one row at a time.
    let i = 0;
    for (; i + 3 < m; i += 4) {
      const r0 = i * n, r1 = r0 + n, r2 = r1 + n, r3 = r2 + n;
      let s00 = 0, s01 = 0, s10 = 0, s11 = 0, s20 = 0, s21 = 0, s30 = 0, s31 = 0;
      let j = 0;
      for (; j + 1 < n; j += 2) {
        const x0 = x[j]!, x1 = x[j + 1]!;
        s00 += d[r0 + j]! * x0; s01 += d[r0 + j + 1]! * x1;
        s10 += d[r1 + j]! * x0; s11 += d[r1 + j + 1]! * x1;
        s20 += d[r2 + j]! * x0; s21 += d[r2 + j + 1]! * x1;
        s30 += d[r3 + j]! * x0; s31 += d[r3 + j + 1]! * x1;
      }
      if (j < n) {
        const x0 = x[j]!;
        s00 += d[r0 + j]! * x0; s10 += d[r1 + j]! * x0; s20 += d[r2 + j]! * x0; s30 += d[r3 + j]! * x0;
      }
      out[i] = beta === 0 ? alpha * (s00 + s01) : alpha * (s00 + s01) + beta * out[i]!;
      out[i + 1] = beta === 0 ? alpha * (s10 + s11) : alpha * (s10 + s11) + beta * out[i + 1]!;
      out[i + 2] = beta === 0 ? alpha * (s20 + s21) : alpha * (s20 + s21) + beta * out[i + 2]!;
      out[i + 3] = beta === 0 ? alpha * (s30 + s31) : alpha * (s30 + s31) + beta * out[i + 3]!;
    }
    for (; i < m; i++) {
      const row = i * n;
      let s0 = 0, s1 = 0;
      let j = 0;
      for (; j + 1 < n; j += 2) {
        s0 += d[row + j]! * x[j]!;
        s1 += d[row + j + 1]! * x[j + 1]!;
      }
      if (j < n) s0 += d[row + j]! * x[j]!;
      out[i] = beta === 0 ? alpha * (s0 + s1) : alpha * (s0 + s1) + beta * out[i]!;
    }
  } else {
    if (beta === 0) out.fill(0);
    else if (beta !== 1) for (let j = 0; j < n; j++) out[j] = beta * out[j]!;
    // out += Σ_i (α·x_i)·A[i, :] in increasing i; four rows per pass read and write out once, and the
    // left-to-right sum keeps the order of one row at a time.
    let i = 0;
    for (; i + 3 < m; i += 4) {
      const s0 = alpha * x[i]!, s1 = alpha * x[i + 1]!, s2 = alpha * x[i + 2]!, s3 = alpha * x[i + 3]!;
      const r0 = i * n, r1 = r0 + n, r2 = r1 + n, r3 = r2 + n;
      for (let j = 0; j < n; j++) out[j] = out[j]! + s0 * d[r0 + j]! + s1 * d[r1 + j]! + s2 * d[r2 + j]! + s3 * d[r3 + j]!;
    }
    for (; i < m; i++) {
      const s = alpha * x[i]!;
      const row = i * n;
      for (let j = 0; j < n; j++) out[j] = out[j]! + s * d[row + j]!;
    }
  }
  return out;
}

/**
 * α·op(A)·x as a new vector.
 *
 * @example
 * ```ts
 * gemv(fromRows([[1, 2], [3, 4]]), new Float64Array([1, 0]), { trans: true });
 * // Float64Array [1, 2]
 * ```
 */
export function gemv(a: Matrix, x: Float64Array, options: { trans?: boolean; alpha?: number } = {}): Float64Array {
  assertMatrix(a, 'gemv', 'A', { nonEmpty: false, finite: false });
  if (options === null || typeof options !== 'object') throw new DescentError('INVALID_CONFIG', 'gemv', 'options must be an object');
  return gemvInto(a, x, new Float64Array(options.trans ? a.cols : a.rows), options);
}
