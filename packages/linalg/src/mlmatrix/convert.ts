import { Matrix as MlMatrix } from 'ml-matrix';
import type { Matrix } from '../matrix.js';

/**
 * An ml-matrix `Matrix` holding a copy of `a` (ml-matrix stores rows as separate arrays, so a copy
 * is unavoidable).
 *
 * @example
 * ```ts
 * import { toMlMatrix } from '@descent/linalg/mlmatrix';
 * toMlMatrix(identity(2)).get(0, 0);
 * // 1
 * ```
 */
export function toMlMatrix(a: Matrix): MlMatrix {
  const m = new MlMatrix(a.rows, a.cols);
  for (let i = 0; i < a.rows; i++) {
    for (let j = 0; j < a.cols; j++) m.set(i, j, a.data[i * a.cols + j]!);
  }
  return m;
}

/**
 * A descent matrix copied from an ml-matrix `Matrix` (or any of its views).
 *
 * @example
 * ```ts
 * import { Matrix as MlMatrix } from 'ml-matrix';
 * fromMlMatrix(MlMatrix.eye(2)).data;
 * // Float64Array [1, 0, 0, 1]
 * ```
 */
export function fromMlMatrix(m: { rows: number; columns: number; get(i: number, j: number): number }): Matrix {
  const data = new Float64Array(m.rows * m.columns);
  for (let i = 0; i < m.rows; i++) {
    for (let j = 0; j < m.columns; j++) data[i * m.columns + j] = m.get(i, j);
  }
  return { rows: m.rows, cols: m.columns, data };
}
