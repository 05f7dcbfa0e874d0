import { assertMatrixStructure, assertShape } from '../validate.js';
import type { Matrix } from '../matrix.js';
import { DescentError } from '../errors.js';

/**
 * out ← Aᵀ, by 8×8 tiles so both reads and writes stay in cache (with a power-of-two row length a
 * tile's rows share few cache sets, and eight of them fit). `out` must not alias `a`.
 *
 * @example
 * ```ts
 * transposeInto(fromRows([[1, 2]]), zeros(2, 1)).data;
 * // Float64Array [1, 2]
 * ```
 */
export function transposeInto(a: Matrix, out: Matrix): Matrix {
  assertMatrixStructure(a, 'transpose', 'A');
  assertShape(out, a.cols, a.rows, 'transpose', 'out');
  if (out.data.buffer === a.data.buffer && a.data.length > 0 && overlaps(a.data, out.data)) {
    throw new DescentError('SHAPE_MISMATCH', 'transpose', 'out must not alias the input');
  }
  const { rows: m, cols: n } = a;
  const src = a.data;
  const dst = out.data;
  const T = 8;
  for (let i0 = 0; i0 < m; i0 += T) {
    const i1 = Math.min(i0 + T, m);
    for (let j0 = 0; j0 < n; j0 += T) {
      const j1 = Math.min(j0 + T, n);
      for (let i = i0; i < i1; i++) {
        const row = i * n;
        for (let j = j0; j < j1; j++) dst[j * m + i] = src[row + j]!;
      }
    }
  }
  return out;
}

/**
 * Aᵀ as a new matrix.
 *
 * @example
 * ```ts
 * transpose(fromRows([[1, 2], [3, 4]])).data;
 * // Float64Array [1, 3, 2, 4]
 * ```
 */
export function transpose(a: Matrix): Matrix {
  assertMatrixStructure(a, 'transpose', 'A');
  return transposeInto(a, { rows: a.cols, cols: a.rows, data: new Float64Array(a.data.length) });
}

/** True when two typed arrays share any bytes. */
export function overlaps(a: Float64Array, b: Float64Array): boolean {
  if (a.buffer !== b.buffer) return false;
  const a0 = a.byteOffset;
  const a1 = a0 + a.byteLength;
  const b0 = b.byteOffset;
  const b1 = b0 + b.byteLength;
  return a0 < b1 && b0 < a1;
}
