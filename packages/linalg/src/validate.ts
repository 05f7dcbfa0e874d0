import { DescentError } from './errors.js';
import type { Matrix } from './matrix.js';

/**
 * Throws `NON_FINITE` naming the first NaN or ±Infinity in `x`. O(n): hot loops may skip it with
 * `{ check: false }` where a function offers that.
 *
 * @example
 * ```ts
 * const err = (() => { try { assertFinite(new Float64Array([1, NaN]), 'f', 'x'); } catch (e) { return e as DescentError; } })();
 * [err?.code, err?.message];
 * // ['NON_FINITE', 'f: x[1] is NaN']
 * ```
 */
export function assertFinite(x: ArrayLike<number>, where: string, what: string): void {
  for (let i = 0; i < x.length; i++) {
    const v = x[i]!;
    // v - v is 0 for finite v and NaN for NaN and ±Infinity: one branch per element.
    if (v - v !== 0) {
      throw new DescentError('NON_FINITE', where, `${what}[${i}] is ${v}`);
    }
  }
}

/**
 * Throws unless `a` is a well-formed matrix with finite entries; with `nonEmpty`, also unless it
 * has at least one row and one column.
 *
 * @example
 * ```ts
 * assertMatrix(identity(2), 'f', 'A'); // returns; a NaN entry would throw NON_FINITE naming A[i, j]
 * // undefined
 * ```
 */
export function assertMatrix(a: Matrix, where: string, what: string, options: { nonEmpty?: boolean; finite?: boolean } = {}): void {
  if (a === null || typeof a !== 'object' || !(a.data instanceof Float64Array)) {
    throw new DescentError('SHAPE_MISMATCH', where, `${what} is not a Matrix`);
  }
  if (a.data.length !== a.rows * a.cols) {
    throw new DescentError('SHAPE_MISMATCH', where, `${what} is ${a.rows}×${a.cols} but holds ${a.data.length} entries`);
  }
  if ((options.nonEmpty ?? true) && (a.rows === 0 || a.cols === 0)) {
    throw new DescentError('SHAPE_MISMATCH', where, `${what} is empty (${a.rows}×${a.cols})`);
  }
  if (options.finite ?? true) {
    for (let k = 0; k < a.data.length; k++) {
      const v = a.data[k]!;
      if (v - v !== 0) {
        const i = Math.floor(k / a.cols);
        throw new DescentError('NON_FINITE', where, `${what}[${i}, ${k - i * a.cols}] is ${v}`);
      }
    }
  }
}

/**
 * Throws `SHAPE_MISMATCH` unless `x.length === n`.
 *
 * @example
 * ```ts
 * assertLength(new Float64Array(3), 3, 'f', 'x'); // returns; length 2 would throw SHAPE_MISMATCH
 * // undefined
 * ```
 */
export function assertLength(x: ArrayLike<number>, n: number, where: string, what: string): void {
  if (x.length !== n) {
    throw new DescentError('SHAPE_MISMATCH', where, `${what} has length ${x.length}, expected ${n}`);
  }
}

/**
 * Throws `SHAPE_MISMATCH` unless `a` is rows×cols.
 *
 * @example
 * ```ts
 * assertShape(zeros(2, 3), 2, 3, 'f', 'out'); // returns; a 3×2 would throw SHAPE_MISMATCH
 * // undefined
 * ```
 */
export function assertShape(a: Matrix, rows: number, cols: number, where: string, what: string): void {
  if (a.rows !== rows || a.cols !== cols || a.data.length !== rows * cols) {
    throw new DescentError('SHAPE_MISMATCH', where, `${what} is ${a.rows}×${a.cols}, expected ${rows}×${cols}`);
  }
}

/**
 * Throws `INVALID_CONFIG` unless `value` is a finite number satisfying the predicate.
 *
 * @example
 * ```ts
 * assertParam(0.1, (v) => v > 0, 'adam', 'lr', 'a positive number'); // returns; -1 would throw INVALID_CONFIG
 * // undefined
 * ```
 */
export function assertParam(value: number, ok: (v: number) => boolean, where: string, name: string, expected: string): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || !ok(value)) {
    throw new DescentError('INVALID_CONFIG', where, `${name} must be ${expected}, got ${String(value)}`);
  }
}
