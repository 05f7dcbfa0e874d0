import { assertArrayLike, assertConfigObject, DescentError, describeValue } from '@descent/linalg';

// Argument checks shared by the package's API boundaries. Each names the function and the argument.

/**
 * Throws `INVALID_CONFIG` unless `eta` is a finite, strictly positive step size.
 *
 * @example
 * ```ts
 * requireStepSize(0.5, 'f');
 * // 0.5
 * ```
 */
export function requireStepSize(eta: number, where: string, what = 'eta'): number {
  if (typeof eta !== 'number' || !Number.isFinite(eta) || !(eta > 0)) {
    throw new DescentError('INVALID_CONFIG', where, `${what} must be a finite step size > 0, got ${eta}`);
  }
  return eta;
}

/**
 * Throws `NON_FINITE` unless `x` is a finite number.
 *
 * @example
 * ```ts
 * requireFinite(1, 'f', 'y');
 * // 1
 * ```
 */
export function requireFinite(x: number, where: string, what: string): number {
  if (typeof x !== 'number' || !Number.isFinite(x)) {
    throw new DescentError('NON_FINITE', where, `${what} must be a finite number, got ${x}`);
  }
  return x;
}

/**
 * Throws unless `x` is finite (`NON_FINITE`) and `>= 0` (`INVALID_CONFIG`).
 *
 * @example
 * ```ts
 * requireNonNegative(0.2, 'f', 'lambda');
 * // 0.2
 * ```
 */
export function requireNonNegative(x: number, where: string, what: string): number {
  requireFinite(x, where, what);
  if (!(x >= 0)) throw new DescentError('INVALID_CONFIG', where, `${what} must be >= 0, got ${x}`);
  return x;
}

/**
 * Throws `INVALID_CONFIG` unless `x` is finite and `> 0`.
 *
 * @example
 * ```ts
 * requirePositive(1e-9, 'f', 'gradTol');
 * // 1e-9
 * ```
 */
export function requirePositive(x: number, where: string, what: string): number {
  if (typeof x !== 'number' || !Number.isFinite(x) || !(x > 0)) {
    throw new DescentError('INVALID_CONFIG', where, `${what} must be a finite number > 0, got ${x}`);
  }
  return x;
}

/**
 * Throws `INVALID_CONFIG` unless `n` is an integer `>= min`.
 *
 * @example
 * ```ts
 * requireInteger(3, 1, 'f', 'maxSteps');
 * // 3
 * ```
 */
export function requireInteger(n: number, min: number, where: string, what: string): number {
  if (!Number.isSafeInteger(n) || n < min) {
    throw new DescentError('INVALID_CONFIG', where, `${what} must be an integer >= ${min}, got ${n}`);
  }
  return n;
}

/**
 * Throws `NON_FINITE` naming the first non-finite entry of `x`.
 *
 * @example
 * ```ts
 * requireFiniteVector(new Float64Array([1, 2]), 'f', 'x0');
 * // Float64Array [1, 2]
 * ```
 */
export function requireFiniteVector<T extends ArrayLike<number>>(x: T, where: string, what: string): T {
  assertArrayLike(x, where, what);
  for (let i = 0; i < x.length; i++) {
    const v = x[i]!;
    if (v - v !== 0) throw new DescentError('NON_FINITE', where, `${what}[${i}] is ${v}`);
  }
  return x;
}

// Internal checks (not exported by the package): typed arrays, objectives and options objects, for
// callers without TypeScript (null, a plain array, a missing field is a DescentError naming the call).

/** `SHAPE_MISMATCH` unless `x` is a Float64Array (of length `n` when given). */
export function requireF64(x: unknown, where: string, what: string, n?: number): Float64Array {
  if (!(x instanceof Float64Array)) throw new DescentError('SHAPE_MISMATCH', where, `${what} must be a Float64Array, got ${describeValue(x)}`);
  if (n !== undefined && x.length !== n) throw new DescentError('SHAPE_MISMATCH', where, `${what} has length ${x.length}, expected ${n}`);
  return x;
}

/** `SHAPE_MISMATCH` unless `x` is a Uint8Array (of length `n` when given). */
export function requireU8(x: unknown, where: string, what: string, n?: number): Uint8Array {
  if (!(x instanceof Uint8Array)) throw new DescentError('SHAPE_MISMATCH', where, `${what} must be a Uint8Array, got ${describeValue(x)}`);
  if (n !== undefined && x.length !== n) throw new DescentError('SHAPE_MISMATCH', where, `${what} has length ${x.length}, expected ${n}`);
  return x;
}

/** `INVALID_CONFIG` unless `f` is an Objective: a `dim` ≥ 1 and `loss`, `gradInto` functions. */
export function requireObjective(f: unknown, where: string): void {
  const o = f as { dim?: unknown; loss?: unknown; gradInto?: unknown; hvpInto?: unknown } | null;
  if (o === null || typeof o !== 'object' || typeof o.loss !== 'function' || typeof o.gradInto !== 'function' || typeof o.hvpInto !== 'function' || typeof o.dim !== 'number' || !Number.isSafeInteger(o.dim) || o.dim < 1) {
    throw new DescentError('INVALID_CONFIG', where, `objective must be an Objective (dim, loss, gradInto, hvpInto), got ${describeValue(f)}`);
  }
}

/** `options` when it is a plain object, `{}` when undefined; `INVALID_CONFIG` otherwise. */
export function requireOptions<T extends object>(options: T | undefined, where: string, what = 'options'): T {
  if (options === undefined) return {} as T;
  assertConfigObject(options, where, what);
  return options;
}
