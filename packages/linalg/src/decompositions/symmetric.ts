import { DescentError } from '../errors.js';
import type { Matrix } from '../matrix.js';

/**
 * A column-major copy of (A + Aᵀ)/2 after checking that A is square and symmetric to within
 * √ε·max|aᵢⱼ| (round-off from forming AᵀA passes; a genuinely asymmetric input does not).
 */
export function symmetricPart(a: Matrix, where: string): Float64Array {
  const out = new Float64Array(a.rows * a.cols);
  symmetricLowerInto(a, where, out, 0);
  const n = a.rows;
  for (let j = 0; j < n; j++) for (let i = j + 1; i < n; i++) out[i * n + j] = out[j * n + i]!;
  return out;
}

/**
 * The lower triangle of (A + Aᵀ)/2 into the column-major `out` at `offset` (column j from row j down;
 * the upper triangle is not written), with {@link symmetricPart}'s checks; returns the largest |entry|.
 */
export function symmetricLowerInto(a: Matrix, where: string, out: Float64Array, offset: number): number {
  if (a.rows !== a.cols) throw new DescentError('SHAPE_MISMATCH', where, `matrix must be square, got ${a.rows}×${a.cols}`);
  const n = a.rows;
  const d = a.data;
  let max = 0;
  for (let k = 0; k < d.length; k++) max = Math.max(max, Math.abs(d[k]!));
  const tol = Math.sqrt(2 ** -52) * max;
  let big = 0;
  for (let i = 0; i < n; i++) {
    const col = offset + i * n;
    for (let j = i; j < n; j++) {
      const x = d[i * n + j]!;
      const y = d[j * n + i]!;
      if (Math.abs(x - y) > tol) {
        throw new DescentError('DOMAIN', where, `matrix is not symmetric: A[${i}, ${j}] = ${x} but A[${j}, ${i}] = ${y}`);
      }
      const v = (x + y) / 2;
      out[col + j] = v;
      big = Math.max(big, Math.abs(v));
    }
  }
  return big;
}
