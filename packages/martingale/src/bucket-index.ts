import { DescentError, describeValue } from '@descent/linalg';
import { calibrationSet, type TieRule } from './pvalue.js';

/**
 * A bucket index over a sorted calibration set: `starts[j]` counts the scores whose bucket
 * `⌊(c - lo)·scale⌋` (clamped to [0, nb)) is below j. Buckets are monotone in the score, so every score
 * in an earlier bucket is smaller and every score in a later bucket larger: a query searches only its
 * own bucket (about one score on average). Built once per calibration set; plain data.
 */
export interface BucketIndex {
  lo: number;
  scale: number;
  /** nb + 1 bucket starts (as doubles, so the state stays Float64Array-only). */
  starts: Float64Array;
}

/**
 * Builds the bucket index of an ascending, finite, non-empty calibration set (one bucket per score):
 * `SHAPE_MISMATCH` when empty or not a `Float64Array`, `NON_FINITE` on NaN/±Infinity, `DOMAIN` when
 * not ascending.
 *
 * @example
 * ```ts
 * buildBucketIndex(new Float64Array([0, 1, 2, 3])).starts;
 * // Float64Array [0, 1, 2, 3, 4]
 * ```
 */
export function buildBucketIndex(sorted: Float64Array): BucketIndex {
  if (!(sorted instanceof Float64Array)) throw new DescentError('SHAPE_MISMATCH', 'buildBucketIndex', `sorted must be a Float64Array, got ${describeValue(sorted)}`);
  calibrationSet(sorted, 'buildBucketIndex');
  for (let i = 1; i < sorted.length; i++) {
    if (!(sorted[i - 1]! <= sorted[i]!)) throw new DescentError('DOMAIN', 'buildBucketIndex', `sorted is not ascending at [${i}]`);
  }
  return bucketIndexOf(sorted);
}

/** {@link buildBucketIndex} without the checks (the calibration set is validated and sorted). */
export function bucketIndexOf(sorted: Float64Array): BucketIndex {
  const n = sorted.length;
  const nb = Math.max(1, n);
  const lo = sorted[0]!;
  const span = sorted[n - 1]! - lo;
  const scale = span > 0 && Number.isFinite(nb / span) ? nb / span : 0;
  const starts = new Float64Array(nb + 1);
  for (let i = 0; i < n; i++) starts[bucketOf(sorted[i]!, lo, scale, nb) + 1]! += 1;
  for (let j = 1; j <= nb; j++) starts[j] = starts[j]! + starts[j - 1]!;
  return { lo, scale, starts };
}

function bucketOf(x: number, lo: number, scale: number, nb: number): number {
  const j = (x - lo) * scale;
  if (!(j >= 0)) return 0; // below lo (and the 0·∞ guard)
  return j >= nb ? nb - 1 : Math.floor(j);
}

/**
 * The conformal p-value of `score` against a calibration set with its bucket index: the same number as
 * `conformalPValue(sorted, n, score, u, ties)`, in O(1) expected time for scores spread like the
 * calibration set (O(log n) worst case).
 *
 * @example
 * ```ts
 * const c = new Float64Array([1, 2, 3]);
 * bucketPValue(c, buildBucketIndex(c), 2.5, 0.5);
 * // 0.375
 * ```
 */
export function bucketPValue(sorted: Float64Array, index: BucketIndex, score: number, u: number, ties: TieRule = 'randomized'): number {
  const where = 'bucketPValue';
  if (!(sorted instanceof Float64Array) || sorted.length === 0) throw new DescentError('SHAPE_MISMATCH', where, `sorted must be a non-empty Float64Array, got ${describeValue(sorted)}`);
  if (index === null || typeof index !== 'object' || !(index.starts instanceof Float64Array) || index.starts.length !== Math.max(1, sorted.length) + 1 || index.starts[index.starts.length - 1] !== sorted.length) {
    throw new DescentError('SHAPE_MISMATCH', where, 'index is not the bucket index of sorted (use buildBucketIndex)');
  }
  if (!Number.isFinite(index.lo) || !(index.scale >= 0 && index.scale < Infinity)) throw new DescentError('SHAPE_MISMATCH', where, 'index has a non-finite lo or scale');
  if (typeof score !== 'number' || Number.isNaN(score)) throw new DescentError('NON_FINITE', where, `score is ${describeValue(score)}`);
  if (!(typeof u === 'number' && u >= 0 && u <= 1)) throw new DescentError('DOMAIN', where, `u must be in [0, 1], got ${describeValue(u)}`);
  if (ties !== 'randomized' && ties !== 'conservative') throw new DescentError('INVALID_CONFIG', where, `ties must be 'randomized' or 'conservative', got ${describeValue(ties)}`);
  return bucketPValueIn(sorted, index, score, u, ties);
}

/** {@link bucketPValue} without the checks, for the detector's hot loop. */
export function bucketPValueIn(sorted: Float64Array, index: BucketIndex, score: number, u: number, ties: TieRule | undefined): number {
  const starts = index.starts;
  const nb = starts.length - 1;
  const n = sorted.length;
  const j = bucketOf(score, index.lo, index.scale, nb);
  let lo = starts[j]!;
  let hi = starts[j + 1]!;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! < score) lo = mid + 1;
    else hi = mid;
  }
  const below = lo;
  let upTo = below;
  if (below < n && sorted[below] === score) {
    hi = starts[j + 1]!; // equal scores share the bucket
    lo = below + 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (sorted[mid]! <= score) lo = mid + 1;
      else hi = mid;
    }
    upTo = lo;
  }
  const greater = n - upTo;
  if (ties === 'conservative') return (1 + greater + (upTo - below)) / (n + 1);
  return (greater + u * (upTo - below + 1)) / (n + 1);
}
