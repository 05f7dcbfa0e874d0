import { DescentError } from './errors.js';
import { assertArrayLike, assertDims, assertFinite, assertMatrixStructure, assertVector } from './validate.js';

/**
 * A dense row-major Float64 matrix: entry (i, j) is `data[i * cols + j]`. Plain data: it can be
 * structured-cloned, serialised and compared, and a `Matrix` may view part of a larger buffer.
 */
export interface Matrix {
  readonly rows: number;
  readonly cols: number;
  readonly data: Float64Array;
}

/**
 * Wraps `data` (row-major, length rows·cols) as a matrix without copying. Sizes must be
 * non-negative integers within the allocation limit and the entries finite (`SHAPE_MISMATCH`,
 * `NON_FINITE`).
 *
 * @example
 * ```ts
 * matrix(2, 2, new Float64Array([1, 2, 3, 4])).data[3];
 * // 4
 * ```
 */
export function matrix(rows: number, cols: number, data: Float64Array): Matrix {
  checkDims(rows, cols, 'matrix');
  assertVector(data, 'matrix', 'data');
  if (data.length !== rows * cols) {
    throw new DescentError('SHAPE_MISMATCH', 'matrix', `data has length ${data.length}, expected ${rows}×${cols} = ${rows * cols}`);
  }
  assertFinite(data, 'matrix', 'data');
  return { rows, cols, data };
}

/**
 * A rows×cols matrix of zeros.
 *
 * @example
 * ```ts
 * zeros(2, 3).data.length;
 * // 6
 * ```
 */
export function zeros(rows: number, cols: number): Matrix {
  checkDims(rows, cols, 'zeros');
  return { rows, cols, data: new Float64Array(rows * cols) };
}

/**
 * The n×n identity matrix.
 *
 * @example
 * ```ts
 * identity(2).data;
 * // Float64Array [1, 0, 0, 1]
 * ```
 */
export function identity(n: number): Matrix {
  checkDims(n, n, 'identity');
  const m = zeros(n, n);
  for (let i = 0; i < n; i++) m.data[i * n + i] = 1;
  return m;
}

/**
 * Builds a matrix from nested rows (copied). All rows must have the same length.
 *
 * @example
 * ```ts
 * fromRows([[1, 2], [3, 4]]).cols;
 * // 2
 * ```
 */
export function fromRows(rows: readonly (readonly number[])[]): Matrix {
  if (!Array.isArray(rows)) throw new DescentError('SHAPE_MISMATCH', 'fromRows', 'rows must be an array of arrays');
  const r = rows.length;
  if (r > 0) assertArrayLike(rows[0]!, 'fromRows', 'rows[0]');
  const c = r === 0 ? 0 : rows[0]!.length;
  checkDims(r, c, 'fromRows');
  const data = new Float64Array(r * c);
  for (let i = 0; i < r; i++) {
    const row = rows[i]!;
    assertArrayLike(row, 'fromRows', `rows[${i}]`);
    if (row.length !== c) {
      throw new DescentError('SHAPE_MISMATCH', 'fromRows', `row ${i} has length ${row.length}, expected ${c}`);
    }
    for (let j = 0; j < c; j++) {
      const v = row[j]!;
      if (typeof v !== 'number' || !Number.isFinite(v)) {
        throw new DescentError('NON_FINITE', 'fromRows', `rows[${i}][${j}] is ${String(v)}`);
      }
      data[i * c + j] = v;
    }
  }
  return { rows: r, cols: c, data };
}

/**
 * Nested rows of a matrix (a copy), for printing and tests.
 *
 * @example
 * ```ts
 * toRows(identity(2));
 * // [[1, 0], [0, 1]]
 * ```
 */
export function toRows(a: Matrix): number[][] {
  assertMatrixStructure(a, 'toRows', 'a');
  const out: number[][] = [];
  for (let i = 0; i < a.rows; i++) out.push(Array.from(a.data.subarray(i * a.cols, (i + 1) * a.cols)));
  return out;
}

/**
 * A deep copy of a matrix.
 *
 * @example
 * ```ts
 * const a = identity(2);
 * cloneMatrix(a).data !== a.data;
 * // true
 * ```
 */
export function cloneMatrix(a: Matrix): Matrix {
  assertMatrixStructure(a, 'cloneMatrix', 'a');
  return { rows: a.rows, cols: a.cols, data: a.data.slice() };
}

/**
 * A diagonal matrix with the given diagonal (rows×cols, default square); finite entries only.
 *
 * @example
 * ```ts
 * diag(new Float64Array([2, 3])).data;
 * // Float64Array [2, 0, 0, 3]
 * ```
 */
export function diag(d: ArrayLike<number>, rows?: number, cols?: number): Matrix {
  assertArrayLike(d, 'diag', 'd');
  const r = rows === undefined ? d.length : rows;
  const c = cols === undefined ? r : cols;
  checkDims(r, c, 'diag');
  for (let i = 0; i < d.length; i++) {
    const v = d[i]!;
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new DescentError('NON_FINITE', 'diag', `d[${i}] is ${String(v)}`);
  }
  return diagOf(d, r, c);
}

function diagOf(d: ArrayLike<number>, rows: number, cols: number): Matrix {
  const m = zeros(rows, cols);
  const k = Math.min(d.length, rows, cols);
  for (let i = 0; i < k; i++) m.data[i * cols + i] = d[i]!;
  return m;
}

function checkDims(rows: number, cols: number, where: string): void {
  assertDims(rows, cols, where, 'matrix');
}
