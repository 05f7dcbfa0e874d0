import ndarray from 'ndarray';

type NdArray<T extends ndarray.Data = ndarray.Data> = ndarray.NdArray<T>;
import { DescentError } from '../errors.js';
import type { Matrix } from '../matrix.js';

/**
 * A zero-copy 2-D `ndarray` view of a matrix (row-major strides).
 *
 * @example
 * ```ts
 * import { toNdarray } from '@descent/linalg/ndarray';
 * toNdarray(identity(2)).get(1, 1);
 * // 1
 * ```
 */
export function toNdarray(a: Matrix): NdArray<Float64Array> {
  return ndarray(a.data, [a.rows, a.cols], [a.cols, 1], 0);
}

/**
 * A matrix from a 1-D or 2-D `ndarray` of numbers. Shares memory when the ndarray is a contiguous
 * row-major Float64Array view; copies otherwise (any strides, offset or element type).
 *
 * @example
 * ```ts
 * import ndarray from 'ndarray';
 * fromNdarray(ndarray(new Float64Array([1, 2, 3, 4]), [2, 2])).rows;
 * // 2
 * ```
 */
export function fromNdarray(x: NdArray): Matrix {
  const shape = x.shape;
  if (shape.length !== 1 && shape.length !== 2) {
    throw new DescentError('SHAPE_MISMATCH', 'fromNdarray', `expected a 1-D or 2-D ndarray, got shape [${shape.join(', ')}]`);
  }
  const rows = shape.length === 2 ? shape[0]! : 1;
  const cols = shape.length === 2 ? shape[1]! : shape[0]!;
  const rs = shape.length === 2 ? x.stride[0]! : cols * x.stride[0]!;
  const cs = shape.length === 2 ? x.stride[1]! : x.stride[0]!;
  if (x.data instanceof Float64Array && cs === 1 && (rs === cols || rows <= 1)) {
    return { rows, cols, data: x.data.subarray(x.offset, x.offset + rows * cols) };
  }
  const data = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) {
      data[i * cols + j] = Number(shape.length === 2 ? x.get(i, j) : x.get(j));
    }
  }
  return { rows, cols, data };
}
