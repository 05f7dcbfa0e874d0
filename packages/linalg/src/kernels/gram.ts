import type { Matrix } from '../matrix.js';
import { DescentError } from '../errors.js';
import { assertMatrixStructure, assertShape, assertVector } from '../validate.js';
import { assertNumberType } from './number-type.js';
import { symmetricProductInto } from './gemm.js';

/**
 * out ← AᵀA (`side: 'left'`, n×n, the default) or AAᵀ (`side: 'right'`, m×m), exactly symmetric. A
 * syrk: only the tiles on or below the diagonal are computed (half the flops of gemm), each entry the
 * naive sum in increasing k, and mirrored.
 *
 * @example
 * ```ts
 * gramInto(fromRows([[1, 2], [3, 4]]), zeros(2, 2)).data;
 * // Float64Array [10, 14, 14, 20]
 * ```
 */
export function gramInto(a: Matrix, out: Matrix, side: 'left' | 'right' = 'left'): Matrix {
  assertMatrixStructure(a, 'gram', 'A');
  if (side !== 'left' && side !== 'right') throw new DescentError('INVALID_CONFIG', 'gram', `side must be 'left' or 'right', got ${String(side)}`);
  const n = side === 'left' ? a.cols : a.rows;
  assertShape(out, n, n, 'gram', 'out');
  return symmetricProductInto(a, out, side, 'gram');
}

/**
 * AᵀA (`'left'`) or AAᵀ (`'right'`) as a new matrix.
 *
 * @example
 * ```ts
 * gram(fromRows([[1, 2]]), 'right').data;
 * // Float64Array [5]
 * ```
 */
export function gram(a: Matrix, side: 'left' | 'right' = 'left'): Matrix {
  assertMatrixStructure(a, 'gram', 'A');
  const n = side === 'left' ? a.cols : a.rows;
  return gramInto(a, { rows: n, cols: n, data: new Float64Array(n * n) }, side);
}

/**
 * out ← α·x·yᵀ (+ out when `accumulate`), a rank-one update.
 *
 * @example
 * ```ts
 * outerInto(new Float64Array([1, 2]), new Float64Array([3]), zeros(2, 1)).data;
 * // Float64Array [3, 6]
 * ```
 */
export function outerInto(x: Float64Array, y: Float64Array, out: Matrix, options: { alpha?: number; accumulate?: boolean } = {}): Matrix {
  assertVector(x, 'outer', 'x');
  assertVector(y, 'outer', 'y');
  assertShape(out, x.length, y.length, 'outer', 'out');
  if (options === null || typeof options !== 'object') throw new DescentError('INVALID_CONFIG', 'outer', 'options must be an object');
  const alpha = options.alpha ?? 1;
  const acc = options.accumulate ?? false;
  const n = y.length;
  const d = out.data;
  for (let i = 0; i < x.length; i++) {
    const s = alpha * x[i]!;
    const row = i * n;
    if (acc) for (let j = 0; j < n; j++) d[row + j] += s * y[j]!;
    else for (let j = 0; j < n; j++) d[row + j] = s * y[j]!;
  }
  return out;
}

/**
 * x·yᵀ as a new matrix.
 *
 * @example
 * ```ts
 * outer(new Float64Array([1, 2]), new Float64Array([1, 1])).data;
 * // Float64Array [1, 1, 2, 2]
 * ```
 */
export function outer(x: Float64Array, y: Float64Array, alpha = 1): Matrix {
  assertVector(x, 'outer', 'x');
  assertVector(y, 'outer', 'y');
  assertNumberType(alpha, 'outer', 'alpha');
  return outerInto(x, y, { rows: x.length, cols: y.length, data: new Float64Array(x.length * y.length) }, { alpha });
}
