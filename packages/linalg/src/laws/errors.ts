import fc from 'fast-check';
import { isDescentError, type DescentErrorCode } from '../errors.js';

/**
 * Calls `fn` and reports how it ended: the {@link DescentErrorCode} it threw, `'none'` when it
 * returned, or `'other'` for any other exception (a bug: bad input must raise a DescentError).
 *
 * @example
 * ```ts
 * thrownCode(() => cholesky(fromRows([[1, 2], [2, 1]])));
 * // 'DOMAIN'
 * ```
 */
export function thrownCode(fn: () => unknown): DescentErrorCode | 'none' | 'other' {
  try {
    fn();
    return 'none';
  } catch (e) {
    return isDescentError(e) ? e.code : 'other';
  }
}

/**
 * Bad input is rejected with a DescentError of the expected code, for every generated input: the law
 * behind "never a silent NaN".
 *
 * @example
 * ```ts
 * fc.check(rejectsWith((x: number) => key(x + 0.5), fc.integer().map((n) => [n] as [number]), 'INVALID_CONFIG')).failed;
 * // false
 * ```
 */
export function rejectsWith<Args extends unknown[]>(fn: (...args: Args) => unknown, args: fc.Arbitrary<Args>, code: DescentErrorCode): fc.IPropertyWithHooks<[Args]> {
  return fc.property(args, (xs) => thrownCode(() => fn(...xs)) === code);
}
