import { assertKnownKeys, assertArrayLike, DescentError, describeValue } from '@descent/linalg';

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
  checkSearch(sorted, n, x, 'lowerBound');
  return lowerIn(sorted, n, x);
}

function lowerIn(sorted: Float64Array, n: number, x: number): number {
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
  checkSearch(sorted, n, x, 'upperBound');
  if (!(Number.isInteger(from) && from >= 0 && from <= n)) {
    throw new DescentError('SHAPE_MISMATCH', 'upperBound', `from must be an integer in [0, n = ${n}], got ${describeValue(from)}`);
  }
  return upperIn(sorted, n, x, from);
}

function upperIn(sorted: Float64Array, n: number, x: number, from: number): number {
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
 * online (full) conformal p-value. O(1) checks of the arguments (types, `n`, NaN score, `u` in [0, 1]);
 * the entries of `sorted` are trusted to be ascending.
 *
 * @example
 * ```ts
 * conformalPValue(new Float64Array([1, 2, 3]), 3, 2.5, 0.5);
 * // 0.375
 * ```
 */
export function conformalPValue(sorted: Float64Array, n: number, score: number, u: number, ties: TieRule = 'randomized'): number {
  checkSearch(sorted, n, score, 'conformalPValue');
  checkUniform(u, ties, 'conformalPValue');
  return pValueIn(sorted, n, score, u, ties);
}

/** {@link conformalPValue} without the argument checks, for callers that validated once. */
export function pValueIn(sorted: Float64Array, n: number, score: number, u: number, ties: TieRule | undefined): number {
  const below = lowerIn(sorted, n, score);
  // Without a tie at `below` the upper bound is `below`: the second search only runs on ties.
  const upTo = below < n && sorted[below] === score ? upperIn(sorted, n, score, below + 1) : below;
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
  checkUniform(0, ties, 'splitPValues');
  const out = new Float64Array(scores.length);
  for (let i = 0; i < out.length; i++) out[i] = pValueIn(cal, cal.length, scores[i]!, u[i]!, ties);
  return out;
}

/**
 * Online (full) conformal p-values of a score stream: `p_t` compares `s_t` with `initial` and
 * `s_1..s_{t-1}` (spec (a)); under exchangeability they are i.i.d. U(0, 1). Sorted insertion: two
 * binary searches plus one memmove per score. An empty stream is `SHAPE_MISMATCH` (there is no
 * p-value to return).
 *
 * @example
 * ```ts
 * onlinePValues(new Float64Array([1, 2]), new Float64Array([0.5, 0.5]));
 * // Float64Array [0.5, 0.25]
 * ```
 */
export function onlinePValues(scores: ArrayLike<number>, u: ArrayLike<number>, options: { initial?: ArrayLike<number>; ties?: TieRule } = {}): Float64Array {
  if (options === null || typeof options !== 'object') throw new DescentError('INVALID_CONFIG', 'onlinePValues', `options must be an object, got ${describeValue(options)}`);
  assertKnownKeys(options, ['initial', 'ties'], 'onlinePValues', 'options');
  checkScoresAndUniforms(scores, u, 'onlinePValues');
  if (scores.length === 0) throw new DescentError('SHAPE_MISMATCH', 'onlinePValues', 'the score stream is empty');
  checkUniform(0, options.ties, 'onlinePValues');
  const initial = options.initial === undefined ? undefined : calibrationSet(options.initial, 'onlinePValues');
  const n0 = initial?.length ?? 0;
  const hist = new Float64Array(n0 + scores.length);
  if (initial !== undefined) hist.set(initial);
  let count = n0;
  const out = new Float64Array(scores.length);
  for (let i = 0; i < out.length; i++) {
    const s = scores[i]!;
    out[i] = pValueIn(hist, count, s, u[i]!, options.ties);
    count = insertIn(hist, count, s);
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
  checkSearch(sorted, n, x, 'insertSorted');
  if (n >= sorted.length) throw new DescentError('SHAPE_MISMATCH', 'insertSorted', `sorted has no room: n = ${n}, capacity ${sorted.length}`);
  return insertIn(sorted, n, x);
}

function insertIn(sorted: Float64Array, n: number, x: number): number {
  const at = upperIn(sorted, n, x, 0);
  if (at < n) sorted.copyWithin(at + 1, at, n);
  sorted[at] = x;
  return n + 1;
}

// O(1): the searches are O(log n) and run in hot loops, so they trust the order of `sorted` but
// never loop on a bad `n` (n = Infinity made `(lo + hi) >>> 1` stick at 0) or a NaN key.
function checkSearch(sorted: Float64Array, n: number, x: number, where: string): void {
  if (!(sorted instanceof Float64Array)) throw new DescentError('SHAPE_MISMATCH', where, `sorted must be a Float64Array, got ${describeValue(sorted)}`);
  if (!(Number.isInteger(n) && n >= 0 && n <= sorted.length)) {
    throw new DescentError('SHAPE_MISMATCH', where, `n must be an integer in [0, ${sorted.length}], got ${describeValue(n)}`);
  }
  if (typeof x !== 'number' || Number.isNaN(x)) throw new DescentError('NON_FINITE', where, `the key is ${describeValue(x)}`);
}

function checkUniform(u: number, ties: TieRule | undefined, where: string): void {
  if (!(typeof u === 'number' && u >= 0 && u <= 1)) throw new DescentError('DOMAIN', where, `u must be in [0, 1], got ${describeValue(u)}`);
  if (ties !== undefined && ties !== 'randomized' && ties !== 'conservative') {
    throw new DescentError('INVALID_CONFIG', where, `ties must be 'randomized' or 'conservative', got ${describeValue(ties)}`);
  }
}

function checkScoresAndUniforms(scores: ArrayLike<number>, u: ArrayLike<number>, where: string): void {
  assertArrayLike(scores, where, 'scores');
  assertArrayLike(u, where, 'u');
  if (scores.length !== u.length) throw new DescentError('SHAPE_MISMATCH', where, `scores has length ${scores.length} but u has ${u.length}`);
  for (let i = 0; i < scores.length; i++) {
    const s = scores[i]!;
    if (s - s !== 0) throw new DescentError('NON_FINITE', where, `scores[${i}] is ${s}`);
    const v = u[i]!;
    if (!(v >= 0 && v <= 1)) throw new DescentError('DOMAIN', where, `u[${i}] = ${v} is outside [0, 1]`);
  }
}
