import { DescentError } from '../errors.js';
import type { Matrix } from '../matrix.js';
import { readOptions, optionalBoolean, rhsShape } from '../options.js';
import { assertMatrix, assertMatrixStructure } from '../validate.js';
import { symmetricPart } from './symmetric.js';

/**
 * Cholesky factor L (lower triangular, positive diagonal) with A = L·Lᵀ. Throws `DOMAIN` when A is
 * not symmetric or not positive definite (a pivot ≤ 0), naming the failing pivot.
 *
 * @example
 * ```ts
 * cholesky(fromRows([[4, 2], [2, 2]])).data;
 * // Float64Array [2, 0, 1, 1]
 * ```
 */
export function cholesky(a: Matrix, options: { check?: boolean } = {}): Matrix {
  const o = readOptions(options, 'cholesky');
  optionalBoolean(o.check, 'cholesky', 'options.check');
  assertMatrix(a, 'cholesky', 'A', { finite: o.check ?? true });
  const n = a.rows;
  const s = symmetricPart(a, 'cholesky');
  const l = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    const rj = j * n;
    let d = s[rj + j]!;
    for (let k = 0; k < j; k++) d -= l[rj + k]! * l[rj + k]!;
    if (!(d > 0)) {
      throw new DescentError('DOMAIN', 'cholesky', `matrix is not positive definite: pivot ${j} is ${d}`);
    }
    const ljj = Math.sqrt(d);
    l[rj + j] = ljj;
    for (let i = j + 1; i < n; i++) {
      const ri = i * n;
      let t = s[ri + j]!;
      for (let k = 0; k < j; k++) t -= l[ri + k]! * l[rj + k]!;
      l[ri + j] = t / ljj;
    }
  }
  return { rows: n, cols: n, data: l };
}

/**
 * Solves A·X = B given the Cholesky factor L of A (forward then back substitution). B may be a
 * vector or a matrix of right-hand sides.
 *
 * @example
 * ```ts
 * choleskySolve(cholesky(fromRows([[4, 2], [2, 2]])), new Float64Array([6, 4]));
 * // Float64Array [1, 1]
 * ```
 */
export function choleskySolve<B extends Float64Array | Matrix>(l: Matrix, b: B): B {
  assertMatrixStructure(l, 'choleskySolve', 'L');
  const n = l.rows;
  if (l.cols !== n) throw new DescentError('SHAPE_MISMATCH', 'choleskySolve', `L must be square, got ${l.rows}×${l.cols}`);
  const { isVec, rhs, data } = rhsShape(b, n, 'choleskySolve');
  const x = data.slice();
  const L = l.data;
  for (let c = 0; c < rhs; c++) {
    for (let i = 0; i < n; i++) {
      let t = x[i * rhs + c]!;
      for (let k = 0; k < i; k++) t -= L[i * n + k]! * x[k * rhs + c]!;
      x[i * rhs + c] = t / L[i * n + i]!;
    }
    for (let i = n - 1; i >= 0; i--) {
      let t = x[i * rhs + c]!;
      for (let k = i + 1; k < n; k++) t -= L[k * n + i]! * x[k * rhs + c]!;
      x[i * rhs + c] = t / L[i * n + i]!;
    }
  }
  return (isVec ? x : { rows: n, cols: rhs, data: x }) as B;
}
