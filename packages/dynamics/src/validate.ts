import { DescentError } from '@descent/linalg';

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
  for (let i = 0; i < x.length; i++) {
    const v = x[i]!;
    if (v - v !== 0) throw new DescentError('NON_FINITE', where, `${what}[${i}] is ${v}`);
  }
  return x;
}
