import { DescentError, type DescentErrorCode } from './errors.js';
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
  assertArrayLike(x, where, what);
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
  assertMatrixStructure(a, where, what);
  if (options === null || typeof options !== 'object') throw new DescentError('INVALID_CONFIG', where, `assertMatrix options must be an object, got ${describeValue(options)}`);
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
  assertArrayLike(x, where, what);
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
  assertMatrixStructure(a, where, what);
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

/**
 * The largest number of entries a descent function allocates in one array (2^28 float64 = 2 GiB).
 * A request above it is a `SHAPE_MISMATCH` before anything is allocated, so a size such as 1e9 or
 * 1e308 fails fast instead of exhausting memory or looping for hours.
 *
 * @example
 * ```ts
 * MAX_ELEMENTS;
 * // 268435456
 * ```
 */
export const MAX_ELEMENTS = 2 ** 28;

/**
 * Throws `SHAPE_MISMATCH` unless `n` is a size: a safe integer in [0, {@link MAX_ELEMENTS}] (so
 * NaN, ±Infinity, 1.5, -1 and 1e9 are all rejected before a loop or an allocation uses them).
 *
 * @example
 * ```ts
 * const err = (() => { try { assertSize(1e9, 'f', 'n'); } catch (e) { return e as DescentError; } })();
 * err?.code;
 * // 'SHAPE_MISMATCH'
 * ```
 */
export function assertSize(n: number, where: string, what: string): void {
  if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 0) {
    throw new DescentError('SHAPE_MISMATCH', where, `${what} must be a non-negative integer, got ${describeValue(n)}`);
  }
  if (n > MAX_ELEMENTS) {
    throw new DescentError('SHAPE_MISMATCH', where, `${what} = ${n} is above the allocation limit of ${MAX_ELEMENTS}`);
  }
}

/**
 * Throws `SHAPE_MISMATCH` unless `rows` and `cols` are sizes (see {@link assertSize}) whose product
 * is at most {@link MAX_ELEMENTS}.
 *
 * @example
 * ```ts
 * const err = (() => { try { assertDims(1e5, 1e5, 'f', 'A'); } catch (e) { return e as DescentError; } })();
 * err?.code;
 * // 'SHAPE_MISMATCH'
 * ```
 */
export function assertDims(rows: number, cols: number, where: string, what: string): void {
  assertSize(rows, where, `${what} rows`);
  assertSize(cols, where, `${what} cols`);
  if (rows * cols > MAX_ELEMENTS) {
    throw new DescentError('SHAPE_MISMATCH', where, `${what} is ${rows}×${cols}, above the allocation limit of ${MAX_ELEMENTS} entries`);
  }
}

/**
 * Throws `SHAPE_MISMATCH` unless `a` is structurally a {@link Matrix}: an object whose `rows` and
 * `cols` are sizes and whose `data` is a `Float64Array` of length rows·cols. Entries are not read,
 * so this is O(1): kernels that propagate NaN like BLAS call it on every matrix argument, which
 * is what makes a mismatched or absurd shape fail before any loop runs.
 *
 * @example
 * ```ts
 * const err = (() => { try { assertMatrixStructure({ rows: 1e9, cols: 1, data: new Float64Array(2) }, 'f', 'A'); } catch (e) { return e as DescentError; } })();
 * err?.code;
 * // 'SHAPE_MISMATCH'
 * ```
 */
export function assertMatrixStructure(a: Matrix, where: string, what: string): void {
  if (a === null || typeof a !== 'object' || !(a.data instanceof Float64Array)) {
    throw new DescentError('SHAPE_MISMATCH', where, `${what} is not a Matrix (an object with rows, cols and a Float64Array data)`);
  }
  assertDims(a.rows, a.cols, where, what);
  if (a.data.length !== a.rows * a.cols) {
    throw new DescentError('SHAPE_MISMATCH', where, `${what} is ${a.rows}×${a.cols} but holds ${a.data.length} entries`);
  }
}

/**
 * Throws `SHAPE_MISMATCH` unless `x` is a `Float64Array` (optionally of length `n`). For callers
 * without TypeScript: `null`, a plain array or an object fails here with a `DescentError` instead
 * of a `TypeError` deep inside a kernel.
 *
 * @example
 * ```ts
 * const err = (() => { try { assertVector([1, 2] as unknown as Float64Array, 'f', 'x'); } catch (e) { return e as DescentError; } })();
 * err?.message;
 * // 'f: x must be a Float64Array, got an Array'
 * ```
 */
export function assertVector(x: Float64Array, where: string, what: string, n?: number): void {
  if (!(x instanceof Float64Array)) {
    throw new DescentError('SHAPE_MISMATCH', where, `${what} must be a Float64Array, got ${describeValue(x)}`);
  }
  if (n !== undefined && x.length !== n) {
    throw new DescentError('SHAPE_MISMATCH', where, `${what} has length ${x.length}, expected ${n}`);
  }
}

/**
 * Throws `SHAPE_MISMATCH` unless `x` is a typed array or an array (anything indexable with a
 * numeric `length`). A plain array's entries are not checked to be numbers here.
 *
 * @example
 * ```ts
 * assertArrayLike([1, 2], 'f', 'x'); // returns; null would throw SHAPE_MISMATCH
 * // undefined
 * ```
 */
export function assertArrayLike(x: ArrayLike<number>, where: string, what: string): void {
  if (!(Array.isArray(x) || (ArrayBuffer.isView(x) && !(x instanceof DataView)))) {
    throw new DescentError('SHAPE_MISMATCH', where, `${what} must be an array of numbers, got ${describeValue(x)}`);
  }
  assertSize(x.length, where, `${what}.length`);
}

/**
 * Throws `code` (default `DOMAIN`) unless `value` is a finite number. For scalar arguments such as a
 * score, a level or a bound.
 *
 * @example
 * ```ts
 * const err = (() => { try { assertNumber(Infinity, 'f', 'x'); } catch (e) { return e as DescentError; } })();
 * err?.message;
 * // 'f: x must be a finite number, got Infinity'
 * ```
 */
export function assertNumber(value: number, where: string, what: string, code: DescentErrorCode = 'DOMAIN'): void {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new DescentError(code, where, `${what} must be a finite number, got ${describeValue(value)}`);
  }
}

/**
 * A short description of a value for an error message: numbers and strings as themselves, other
 * values by their kind ("null", "an Array", "a Float32Array").
 *
 * @example
 * ```ts
 * [describeValue(null), describeValue([1]), describeValue(1.5)];
 * // ['null', 'an Array', '1.5']
 * ```
 */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? value.slice(0, 40) + '…' : value);
  if (typeof value === 'function') return 'a function';
  const name = (value as object).constructor?.name ?? 'Object';
  return /^[AEIOU]/.test(name) ? `an ${name}` : `a ${name}`;
}
