import { DescentError } from '@descent/linalg';

/**
 * How ties between the new score and the reference scores are broken.
 * - `'randomized'` (default): `p = (#{c > s} + U (#{c = s} + 1)) / (n + 1)`, exactly U(0, 1) under
 *   exchangeability (nonconform `tie_break="randomized"`; MAPIE after issue #984).
 * - `'conservative'`: `p = (1 + #{c >= s}) / (n + 1)`, super-uniform; valid only for bettors that
 *   decrease in p (power, Gaussianized exponential), not for the jumper's increasing expert.
 */
export type TieRule = 'randomized' | 'conservative';

/**
 * The number of entries of `sorted[0..n)` (ascending) that are `< x` (NumPy `searchsorted(side='left')`).
 *
 * @example
 * ```ts
 * lowerBound(new Float64Array([1, 2, 2, 3]), 4, 2);
 * // 1
 * ```
 */
export function lowerBound(sorted: Float64Array, n: number, x: number): number {
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The number of entries of `sorted[0..n)` (ascending) that are `<= x` (NumPy `searchsorted(side='right')`);
 * `from` skips a prefix already known to be `<= x`.
 *
 * @example
 * ```ts
 * upperBound(new Float64Array([1, 2, 2, 3]), 4, 2);
 * // 3
 * ```
 */
export function upperBound(sorted: Float64Array, n: number, x: number, from = 0): number {
  let lo = from;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The conformal p-value of `score` against the reference scores `sorted[0..n)` (ascending), with the
 * tie rule of spec (a): `(#{c > s} + u (#{c = s} + 1)) / (n + 1)`. Two binary searches, O(log n).
 * With a fixed calibration set this is the split p-value; with the stream's own past scores it is the
 * online (full) conformal p-value. No validation: the detector checks its inputs once.
 *
 * @example
 * ```ts
 * conformalPValue(new Float64Array([1, 2, 3]), 3, 2.5, 0.5);
 * // 0.375
 * ```
 */
export function conformalPValue(sorted: Float64Array, n: number, score: number, u: number, ties: TieRule = 'randomized'): number {
  const below = lowerBound(sorted, n, score);
  // Without a tie at `below` the upper bound is `below`: the second search only runs on ties.
  const upTo = below < n && sorted[below] === score ? upperBound(sorted, n, score, below + 1) : below;
  const greater = n - upTo;
  const equal = upTo - below;
  if (ties === 'conservative') return (1 + greater + equal) / (n + 1);
  return (greater + u * (equal + 1)) / (n + 1);
}

/**
 * A validated, sorted (ascending) copy of calibration scores for split conformal p-values.
 * Throws `SHAPE_MISMATCH` on an empty set and `NON_FINITE` on NaN/±Infinity.
 *
 * @example
 * ```ts
 * calibrationSet(new Float64Array([3, 1, 2]));
 * // Float64Array [1, 2, 3]
 * ```
 */
export function calibrationSet(scores: ArrayLike<number>, where = 'calibrationSet'): Float64Array {
  if (scores === null || typeof scores !== 'object' || typeof scores.length !== 'number') {
    throw new DescentError('SHAPE_MISMATCH', where, 'calibration scores must be an array of numbers');
  }
  if (scores.length === 0) throw new DescentError('SHAPE_MISMATCH', where, 'calibration set is empty');
  const out = Float64Array.from(scores);
  for (let i = 0; i < out.length; i++) {
    const v = out[i]!;
    if (v - v !== 0) throw new DescentError('NON_FINITE', where, `calibration score [${i}] is ${v}`);
  }
  return out.sort();
}

/**
 * Split conformal p-values of many test scores against one calibration set (sorted internally),
 * with tie uniforms `u` (same length as `scores`). Results from a fixed calibration set are
 * exchangeable but dependent; use them for monitoring (see the README caveat).
 *
 * @example
 * ```ts
 * splitPValues(new Float64Array([0, 1, 2]), new Float64Array([1.5]), new Float64Array([0.5]));
 * // Float64Array [0.375]
 * ```
 */
export function splitPValues(calibration: ArrayLike<number>, scores: ArrayLike<number>, u: ArrayLike<number>, ties: TieRule = 'randomized'): Float64Array {
  const cal = calibrationSet(calibration, 'splitPValues');
  checkScoresAndUniforms(scores, u, 'splitPValues');
  const out = new Float64Array(scores.length);
  for (let i = 0; i < out.length; i++) out[i] = conformalPValue(cal, cal.length, scores[i]!, u[i]!, ties);
  return out;
}

/**
 * Online (full) conformal p-values of a score stream: `p_t` compares `s_t` with `initial` and
 * `s_1..s_{t-1}` (spec (a)); under exchangeability they are i.i.d. U(0, 1). Sorted insertion: two
 * binary searches plus one memmove per score.
 *
 * @example
 * ```ts
 * onlinePValues(new Float64Array([1, 2]), new Float64Array([0.5, 0.5]));
 * // Float64Array [0.5, 0.25]
 * ```
 */
export function onlinePValues(scores: ArrayLike<number>, u: ArrayLike<number>, options: { initial?: ArrayLike<number>; ties?: TieRule } = {}): Float64Array {
  checkScoresAndUniforms(scores, u, 'onlinePValues');
  const n0 = options.initial?.length ?? 0;
  const hist = new Float64Array(n0 + scores.length);
  if (n0 > 0) hist.set(calibrationSet(options.initial!, 'onlinePValues'));
  let count = n0;
  const out = new Float64Array(scores.length);
  for (let i = 0; i < out.length; i++) {
    const s = scores[i]!;
    out[i] = conformalPValue(hist, count, s, u[i]!, options.ties);
    count = insertSorted(hist, count, s);
  }
  return out;
}

/**
 * Inserts `x` into the ascending `sorted[0..n)` (capacity > n) after any equal entries; returns n + 1.
 *
 * @example
 * ```ts
 * const a = new Float64Array([1, 3, 0]);
 * insertSorted(a, 2, 2); // returns 3, the new length
 * a;
 * // Float64Array [1, 2, 3]
 * ```
 */
export function insertSorted(sorted: Float64Array, n: number, x: number): number {
  const at = upperBound(sorted, n, x);
  if (at < n) sorted.copyWithin(at + 1, at, n);
  sorted[at] = x;
  return n + 1;
}

function checkScoresAndUniforms(scores: ArrayLike<number>, u: ArrayLike<number>, where: string): void {
  if (scores.length !== u.length) throw new DescentError('SHAPE_MISMATCH', where, `scores has length ${scores.length} but u has ${u.length}`);
  for (let i = 0; i < scores.length; i++) {
    const s = scores[i]!;
    if (s - s !== 0) throw new DescentError('NON_FINITE', where, `scores[${i}] is ${s}`);
    const v = u[i]!;
    if (!(v >= 0 && v <= 1)) throw new DescentError('DOMAIN', where, `u[${i}] = ${v} is outside [0, 1]`);
  }
}
