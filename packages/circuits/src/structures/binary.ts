import { DescentError, foldIn, uniform, type Key, type Matrix } from '@descent/linalg';

/** @internal Throws unless data is a non-empty matrix of 0/1 values (names row and column). */
export function checkBinary(data: Matrix, where: string): void {
  if (data === null || typeof data !== 'object' || !(data.data instanceof Float64Array) || data.data.length !== data.rows * data.cols) {
    throw new DescentError('SHAPE_MISMATCH', where, 'data must be a Matrix { rows, cols, data: Float64Array }');
  }
  if (data.rows < 1 || data.cols < 1) throw new DescentError('SHAPE_MISMATCH', where, `data is empty (${data.rows}×${data.cols})`);
  const x = data.data;
  for (let i = 0; i < x.length; i++) {
    const v = x[i]!;
    if (v !== 0 && v !== 1) {
      const r = Math.floor(i / data.cols);
      throw new DescentError(v - v !== 0 ? 'NON_FINITE' : 'DOMAIN', where, `row ${r}, column ${i - r * data.cols}: value ${v} is not binary (0/1)`);
    }
  }
}

/**
 * @internal pyjuice's random initialisation: weights ∝ exp(-perturbation · U(0,1)), normalised.
 */
export function randomSimplex(k: Key, size: number, perturbation: number): Float64Array {
  const u = uniform(k, size);
  let s = 0;
  for (let i = 0; i < size; i++) {
    u[i] = Math.exp(-perturbation * u[i]!);
    s += u[i]!;
  }
  for (let i = 0; i < size; i++) u[i] = u[i]! / s;
  return u;
}

/** @internal A source of fresh keys for a builder: the i-th key is foldIn(k, i). */
export class KeyStream {
  private i = 0;
  constructor(private readonly k: Key) {}
  next(): Key {
    return foldIn(this.k, this.i++);
  }
}
