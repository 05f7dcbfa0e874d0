/**
 * The kinds of failure every descent package reports. `INVALID_STATE` is a saved state that cannot be
 * restored (foreign, corrupted, another version, or fields that do not fit the method): a different
 * failure from a wrong config, so a caller can fall back to a fresh start on it alone.
 */
export type DescentErrorCode = 'SHAPE_MISMATCH' | 'NON_FINITE' | 'INVALID_CONFIG' | 'NOT_CONVERGED' | 'DOMAIN' | 'INVALID_STATE';

/**
 * The one error type of descent: thrown at an API boundary when the input is wrong (shape, non-finite
 * value, invalid config, out-of-domain value) or an iterative method cannot reach its tolerance.
 * `where` names the function (and argument or node) that rejected the input.
 *
 * @example
 * ```ts
 * import { DescentError, dot } from '@descent/linalg';
 * const err = (() => { try { dot(new Float64Array(2), new Float64Array(3)); } catch (e) { return e as DescentError; } })();
 * err?.code;
 * // 'SHAPE_MISMATCH'
 * ```
 */
export class DescentError extends Error {
  readonly code: DescentErrorCode;
  readonly where: string;
  constructor(code: DescentErrorCode, where: string, message: string) {
    super(`${where}: ${message}`);
    this.name = 'DescentError';
    this.code = code;
    this.where = where;
  }
}

/**
 * Tells whether a value is a {@link DescentError}, optionally of a given code.
 *
 * @example
 * ```ts
 * isDescentError(new DescentError('DOMAIN', 'f', 'x < 0'), 'DOMAIN');
 * // true
 * ```
 */
export function isDescentError(e: unknown, code?: DescentErrorCode): e is DescentError {
  return e instanceof DescentError && (code === undefined || e.code === code);
}
