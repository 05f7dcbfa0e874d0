import { assertConfigObject } from './config.js';
import { DescentError } from './errors.js';
import type { Matrix } from './matrix.js';
import { assertMatrixStructure, describeValue } from './validate.js';

// Argument checks shared by the decompositions and matrix functions (not exported by the package).

/**
 * `options` itself when it is a plain object, `{}` when it is undefined; `INVALID_CONFIG` naming
 * `where` otherwise (a default parameter `= {}` does not replace null).
 */
export function readOptions<T extends object>(options: T | undefined, where: string, what = 'options'): T {
  if (options === undefined) return {} as T;
  assertConfigObject(options, where, what);
  return options;
}

/** `INVALID_CONFIG` unless `value` is undefined or a boolean. */
export function optionalBoolean(value: unknown, where: string, name: string): void {
  if (value !== undefined && typeof value !== 'boolean') {
    throw new DescentError('INVALID_CONFIG', where, `${name} must be a boolean, got ${describeValue(value)}`);
  }
}

/** `INVALID_CONFIG` unless `value` is undefined or a finite number satisfying `ok`. */
export function optionalNumber(value: unknown, where: string, name: string, ok: (v: number) => boolean = () => true, expected = 'a finite number'): void {
  if (value !== undefined && (typeof value !== 'number' || !Number.isFinite(value) || !ok(value))) {
    throw new DescentError('INVALID_CONFIG', where, `${name} must be ${expected}, got ${describeValue(value)}`);
  }
}

/**
 * The shape of a right-hand side B (a Float64Array or a Matrix) after checking its structure and
 * that it has `n` rows: `SHAPE_MISMATCH` naming `where` otherwise.
 */
export function rhsShape(b: Float64Array | Matrix, n: number, where: string, what = 'B'): { isVec: boolean; rhs: number; data: Float64Array } {
  if (b instanceof Float64Array) {
    if (b.length !== n) throw new DescentError('SHAPE_MISMATCH', where, `${what} has ${b.length} rows, expected ${n}`);
    return { isVec: true, rhs: 1, data: b };
  }
  if (b === null || typeof b !== 'object') {
    throw new DescentError('SHAPE_MISMATCH', where, `${what} must be a Float64Array or a Matrix, got ${describeValue(b)}`);
  }
  assertMatrixStructure(b, where, what);
  if (b.rows !== n) throw new DescentError('SHAPE_MISMATCH', where, `${what} has ${b.rows} rows, expected ${n}`);
  return { isVec: false, rhs: b.cols, data: b.data };
}
