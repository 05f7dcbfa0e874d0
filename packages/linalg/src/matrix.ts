import { DescentError } from './errors.js';

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
 * Wraps `data` (row-major, length rows·cols) as a matrix without copying.
 *
 * @example
 * ```ts
 * matrix(2, 2, new Float64Array([1, 2, 3, 4])).data[3];
 * // 4
 * ```
 */
export function matrix(rows: number, cols: number, data: Float64Array): Matrix {
  checkDims(rows, cols, 'matrix');
  if (data.length !== rows * cols) {
    throw new DescentError('SHAPE_MISMATCH', 'matrix', `data has length ${data.length}, expected ${rows}×${cols} = ${rows * cols}`);
  }
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
  const r = rows.length;
  const c = r === 0 ? 0 : rows[0]!.length;
  checkDims(r, c, 'fromRows');
  const data = new Float64Array(r * c);
  for (let i = 0; i < r; i++) {
    const row = rows[i]!;
    if (row.length !== c) {
      throw new DescentError('SHAPE_MISMATCH', 'fromRows', `row ${i} has length ${row.length}, expected ${c}`);
    }
    for (let j = 0; j < c; j++) data[i * c + j] = row[j]!;
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
  return { rows: a.rows, cols: a.cols, data: a.data.slice() };
}

/**
 * A diagonal matrix with the given diagonal (rows×cols, default square).
 *
 * @example
 * ```ts
 * diag(new Float64Array([2, 3])).data;
 * // Float64Array [2, 0, 0, 3]
 * ```
 */
export function diag(d: ArrayLike<number>, rows = d.length, cols = rows): Matrix {
  const m = zeros(rows, cols);
  const k = Math.min(d.length, rows, cols);
  for (let i = 0; i < k; i++) m.data[i * cols + i] = d[i]!;
  return m;
}

function checkDims(rows: number, cols: number, where: string): void {
  if (!Number.isInteger(rows) || !Number.isInteger(cols) || rows < 0 || cols < 0) {
    throw new DescentError('SHAPE_MISMATCH', where, `dimensions must be non-negative integers, got ${rows}×${cols}`);
  }
}
