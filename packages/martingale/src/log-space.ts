import { assertArrayLike, DescentError } from '@descent/linalg';
// Log-space arithmetic shared by the detector and the bettors.

/**
 * log(e^a + e^b) without overflow; -Infinity is the log of zero.
 *
 * @example
 * ```ts
 * logAddExp(0, 0) === Math.LN2;
 * // true
 * ```
 */
export function logAddExp(a: number, b: number): number {
  if (a === -Infinity) return b;
  if (b === -Infinity) return a;
  return a > b ? a + Math.log1p(Math.exp(b - a)) : b + Math.log1p(Math.exp(a - b));
}

/**
 * log Σ exp(x[i]) over x[0..n) without overflow (-Infinity for an empty or all -Infinity input).
 *
 * @example
 * ```ts
 * logSumExp(new Float64Array([0, 0, 0, 0])) === Math.log(4);
 * // true
 * ```
 */
export function logSumExp(x: ArrayLike<number>, n?: number, offset = 0): number {
  assertArrayLike(x, 'logSumExp', 'x');
  if (n === undefined) n = x.length;
  if (!(Number.isInteger(offset) && offset >= 0 && Number.isInteger(n) && n >= 0 && offset + n <= x.length)) {
    throw new DescentError('SHAPE_MISMATCH', 'logSumExp', `need integers offset ≥ 0, n ≥ 0 with offset + n ≤ ${x.length}, got offset ${String(offset)}, n ${String(n)}`);
  }
  let max = -Infinity;
  for (let i = 0; i < n; i++) if (x[offset + i]! > max) max = x[offset + i]!;
  if (max === -Infinity || max === Infinity) return max;
  let s = 0;
  for (let i = 0; i < n; i++) s += Math.exp(x[offset + i]! - max);
  return max + Math.log(s);
}
