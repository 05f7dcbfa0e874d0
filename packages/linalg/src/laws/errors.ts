import fc from 'fast-check';
import { isDescentError, type DescentError, type DescentErrorCode } from '../errors.js';

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
 * Calls `fn` and returns the {@link DescentError} it throws, so a test can check its code, `where` and
 * message. Throws an Error saying what happened instead when `fn` returns or throws anything else, so
 * an assertion on the result cannot pass by accident.
 *
 * @example
 * ```ts
 * const e = thrownError(() => cholesky(fromRows([[1, 2], [2, 1]])));
 * [e.code, e.where];
 * // ['DOMAIN', 'cholesky']
 * ```
 */
export function thrownError(fn: () => unknown): DescentError {
  try {
    fn();
  } catch (e) {
    if (isDescentError(e)) return e;
    throw new Error(`expected a DescentError, got ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`, { cause: e });
  }
  throw new Error('expected a DescentError, the call returned');
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

/**
 * Checks that `fn` rejects the unknown config key `key` as a strict config must: a DescentError
 * `INVALID_CONFIG` reported by `where`, naming the key in backticks and, when `near` is given,
 * suggesting it ("did you mean `near`?"; without `near`, any suggestion). Returns undefined when it
 * does, else what went wrong, for a test to show.
 *
 * @example
 * ```ts
 * const init = (cfg: object) => assertKnownKeys(cfg, ['lr', 'momentum'], 'sgd.init');
 * [unknownKeyProblem(() => init({ momentun: 0.9 }), 'sgd.init', 'momentun', 'momentum') === undefined, unknownKeyProblem(() => init({ lr: 1 }), 'sgd.init', 'lr')];
 * // [true, 'sgd.init accepted the unknown key `lr`']
 * ```
 */
export function unknownKeyProblem(fn: () => unknown, where: string, key: string, near?: string): string | undefined {
  try {
    fn();
  } catch (e) {
    if (!isDescentError(e)) return `${where} threw ${String(e)} instead of a DescentError`;
    const said = `${e.code} from ${e.where}: ${e.message}`;
    if (e.code !== 'INVALID_CONFIG' || e.where !== where) return `expected INVALID_CONFIG from ${where}, got ${said}`;
    if (!e.message.replace(/did you mean `[^`]*`\?/g, '').includes(`\`${key}\``)) return `the message does not name \`${key}\`: ${said}`;
    const hint = near === undefined ? 'did you mean' : `did you mean \`${near}\`?`;
    if (!e.message.includes(hint)) return `the message does not say "${hint}": ${said}`;
    return undefined;
  }
  return `${where} accepted the unknown key \`${key}\``;
}
