import { DescentError } from '../errors.js';
import type { Matrix } from '../matrix.js';
import { readOptions, optionalBoolean, rhsShape } from '../options.js';
import { assertMatrix, assertMatrixStructure, describeValue } from '../validate.js';

/** An LU factorization with partial pivoting, P·A = L·U. */
export interface Lu {
  /** L (unit lower, below the diagonal) and U (upper, on and above it) packed in one n×n matrix. */
  readonly lu: Matrix;
  /** Row i of P·A is row pivots[i] of A. */
  readonly pivots: Int32Array;
  /** det(P) = ±1. */
  readonly sign: number;
}

/**
 * LU factorization with partial pivoting of a square matrix (row-major Doolittle, the pivot row
 * chosen by largest magnitude).
 *
 * @example
 * ```ts
 * Array.from(lu(fromRows([[1, 2], [3, 4]])).pivots);
 * // [1, 0]
 * ```
 */
export function lu(a: Matrix, options: { check?: boolean } = {}): Lu {
  const o = readOptions(options, 'lu');
  optionalBoolean(o.check, 'lu', 'options.check');
  assertMatrix(a, 'lu', 'A', { finite: o.check ?? true });
  if (a.rows !== a.cols) throw new DescentError('SHAPE_MISMATCH', 'lu', `matrix must be square, got ${a.rows}×${a.cols}`);
  const n = a.rows;
  const w = a.data.slice();
  const piv = new Int32Array(n);
  for (let i = 0; i < n; i++) piv[i] = i;
  let sign = 1;
  for (let k = 0; k < n; k++) {
    let p = k;
    let max = Math.abs(w[k * n + k]!);
    for (let i = k + 1; i < n; i++) {
      const v = Math.abs(w[i * n + k]!);
      if (v > max) {
        max = v;
        p = i;
      }
    }
    if (p !== k) {
      for (let j = 0; j < n; j++) {
        const t = w[p * n + j]!;
        w[p * n + j] = w[k * n + j]!;
        w[k * n + j] = t;
      }
      const t = piv[p]!;
      piv[p] = piv[k]!;
      piv[k] = t;
      sign = -sign;
    }
    const pivot = w[k * n + k]!;
    if (pivot === 0) continue;
    for (let i = k + 1; i < n; i++) {
      const f = (w[i * n + k]! /= pivot);
      if (f === 0) continue;
      const ri = i * n;
      const rk = k * n;
      for (let j = k + 1; j < n; j++) w[ri + j] -= f * w[rk + j]!;
    }
  }
  return { lu: { rows: n, cols: n, data: w }, pivots: piv, sign };
}

/**
 * Solves A·X = B from an LU factorization. Throws `DOMAIN` for an exactly singular U.
 *
 * @example
 * ```ts
 * luSolve(lu(fromRows([[2, 0], [0, 4]])), new Float64Array([2, 4]));
 * // Float64Array [1, 1]
 * ```
 */
export function luSolve<B extends Float64Array | Matrix>(f: Lu, b: B): B {
  assertLu(f, 'luSolve');
  return luSolveAt(f, b, 'luSolve');
}

/** `SHAPE_MISMATCH` unless `f` has the structure of an {@link Lu} (pivots a permutation index each). */
function assertLu(f: Lu, where: string): void {
  if (f === null || typeof f !== 'object') throw new DescentError('SHAPE_MISMATCH', where, `F must be an LU factorization from lu(), got ${describeValue(f)}`);
  assertMatrixStructure(f.lu, where, 'F.lu');
  const n = f.lu.rows;
  if (f.lu.cols !== n) throw new DescentError('SHAPE_MISMATCH', where, `F.lu must be square, got ${f.lu.rows}×${f.lu.cols}`);
  if (!(f.pivots instanceof Int32Array) || f.pivots.length !== n) {
    throw new DescentError('SHAPE_MISMATCH', where, `F.pivots must be an Int32Array of length ${n}, got ${describeValue(f.pivots)}`);
  }
  for (let i = 0; i < n; i++) {
    const p = f.pivots[i]!;
    if (p < 0 || p >= n) throw new DescentError('SHAPE_MISMATCH', where, `F.pivots[${i}] = ${p} is not a row index of a ${n}×${n} matrix`);
  }
}

function luSolveAt<B extends Float64Array | Matrix>(f: Lu, b: B, where: string): B {
  const n = f.lu.rows;
  const { isVec, rhs, data: src } = rhsShape(b, n, where);
  const w = f.lu.data;
  for (let i = 0; i < n; i++) {
    if (w[i * n + i] === 0) throw new DescentError('DOMAIN', where, `matrix is singular: U[${i}, ${i}] = 0`);
  }
  const x = new Float64Array(n * rhs);
  for (let i = 0; i < n; i++) {
    const from = f.pivots[i]!;
    for (let c = 0; c < rhs; c++) x[i * rhs + c] = src[from * rhs + c]!;
  }
  for (let c = 0; c < rhs; c++) {
    for (let i = 0; i < n; i++) {
      let t = x[i * rhs + c]!;
      for (let k = 0; k < i; k++) t -= w[i * n + k]! * x[k * rhs + c]!;
      x[i * rhs + c] = t;
    }
    for (let i = n - 1; i >= 0; i--) {
      let t = x[i * rhs + c]!;
      for (let k = i + 1; k < n; k++) t -= w[i * n + k]! * x[k * rhs + c]!;
      x[i * rhs + c] = t / w[i * n + i]!;
    }
  }
  return (isVec ? x : { rows: n, cols: rhs, data: x }) as B;
}

/**
 * Solves the square system A·X = B (B a vector or a matrix) by LU with partial pivoting.
 *
 * @example
 * ```ts
 * solve(fromRows([[1, 2], [3, 4]]), new Float64Array([5, 11]));
 * // Float64Array [1, 2]
 * ```
 */
export function solve<B extends Float64Array | Matrix>(a: Matrix, b: B): B {
  assertMatrixStructure(a, 'solve', 'A');
  const bd = rhsShape(b, a.rows, 'solve').data;
  for (let i = 0; i < bd.length; i++) {
    if (bd[i]! - bd[i]! !== 0) throw new DescentError('NON_FINITE', 'solve', `B has a non-finite entry at ${i}: ${bd[i]}`);
  }
  return luSolveAt(lu(a), b, 'solve');
}

/**
 * Determinant via LU.
 *
 * @example
 * ```ts
 * det(fromRows([[1, 2], [3, 4]]));
 * // -2
 * ```
 */
export function det(a: Matrix): number {
  const f = lu(a);
  const n = a.rows;
  let d = f.sign;
  for (let i = 0; i < n; i++) d *= f.lu.data[i * n + i]!;
  return d;
}
