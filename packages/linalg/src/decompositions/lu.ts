import { DescentError } from '../errors.js';
import type { Matrix } from '../matrix.js';
import { assertMatrix } from '../validate.js';

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
  assertMatrix(a, 'lu', 'A', { finite: options.check ?? true });
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
  const n = f.lu.rows;
  const isVec = b instanceof Float64Array;
  const rhs = isVec ? 1 : (b as Matrix).cols;
  const bRows = isVec ? (b as Float64Array).length : (b as Matrix).rows;
  if (bRows !== n) throw new DescentError('SHAPE_MISMATCH', 'solve', `B has ${bRows} rows, A is ${n}×${n}`);
  const src = isVec ? (b as Float64Array) : (b as Matrix).data;
  const w = f.lu.data;
  for (let i = 0; i < n; i++) {
    if (w[i * n + i] === 0) throw new DescentError('DOMAIN', 'solve', `matrix is singular: U[${i}, ${i}] = 0`);
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
  const bd = b instanceof Float64Array ? b : (b as Matrix).data;
  for (let i = 0; i < bd.length; i++) {
    if (bd[i]! - bd[i]! !== 0) throw new DescentError('NON_FINITE', 'solve', `B has a non-finite entry at ${i}: ${bd[i]}`);
  }
  return luSolve(lu(a), b);
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
