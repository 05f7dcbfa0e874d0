import { assertArrayLike, assertKnownKeys, assertSize, DescentError } from '@descent/linalg';
import { assertDistortion } from './check-distortion.js';
import type { Distortion } from './distortion.js';
import { sortFloat64 } from './sort.js';

/** Which way a sample is read: `'loss'` (bigger is worse, g distorts the upper tail) or `'reward'`. */
export type Convention = 'loss' | 'reward';

const DRM_OPTION_KEYS = ['convention', 'check'];

/** Options of the sample DRM. */
export interface DrmOptions {
  /** `'loss'` (default): ρ_g(X). `'reward'`: ρ^rew_g(Y) = −ρ_g(−Y) = ∫ F_Y^{-1} dg. */
  convention?: Convention;
  /** Validate the samples (non-empty is always checked; finiteness is O(n)). Default true. */
  check?: boolean;
}

/**
 * The index (1-based, in ascending order) that carries an atom of dg̃ at level `u` for n samples:
 * ⌈n·u − 1e−12⌉ clamped to [1, n], so VaR_α is x_(⌈nα⌉) even when n·α is an integer up to rounding.
 *
 * @example
 * ```ts
 * atomIndex(5, 0.6);
 * // 3
 * ```
 */
export function atomIndex(n: number, u: number): number {
  return Math.min(n, Math.max(1, Math.ceil(n * u - 1e-12)));
}

/**
 * The L-statistic weights on the ascending order statistics of n samples:
 * w_i = g̃(i/n) − g̃((i−1)/n), with atoms of g̃ placed by {@link atomIndex}. Σ w = 1, w ≥ 0; this is
 * exactly the DRM of the empirical distribution.
 *
 * @example
 * ```ts
 * Array.from(drmWeights(5, expectedShortfall(0.6)), (v) => +v.toFixed(12));
 * // [0, 0, 0, 0.5, 0.5]
 * ```
 */
export function drmWeights(n: number, d: Distortion): Float64Array {
  assertDistortion(d, 'drmWeights');
  if (!Number.isInteger(n) || n < 1) throw new DescentError('SHAPE_MISMATCH', 'drmWeights', `need n >= 1 samples, got ${n}`);
  assertSize(n, 'drmWeights', 'n');
  const w = new Float64Array(n);
  let prev = d.gTildeContinuous(0);
  for (let i = 1; i <= n; i++) {
    const cur = i === n ? d.gTildeContinuous(1) : d.gTildeContinuous(i / n);
    w[i - 1] = cur - prev;
    prev = cur;
  }
  for (const j of d.jumps) w[atomIndex(n, j.u) - 1] += j.mass;
  return w;
}

function checkSamples(x: ArrayLike<number>, where: string, check: boolean): void {
  if (x.length === 0) throw new DescentError('SHAPE_MISMATCH', where, 'empty sample');
  if (check) {
    for (let i = 0; i < x.length; i++) {
      const v = x[i]!;
      if (v - v !== 0) throw new DescentError('NON_FINITE', where, `samples[${i}] is ${v}`);
    }
  }
}

/**
 * The DRM of an already ascending-sorted sample (the L-statistic Σ w_i x_(i)); O(n), no copy.
 *
 * @example
 * ```ts
 * +drmSorted(new Float64Array([-1, 0, 2, 3, 5]), dualPower(2)).toFixed(12);
 * // 3
 * ```
 */
export function drmSorted(sorted: ArrayLike<number>, d: Distortion, options: DrmOptions = {}): number {
  assertArrayLike(sorted, 'drmSorted', 'sorted');
  assertDistortion(d, 'drmSorted');
  assertKnownKeys(options, DRM_OPTION_KEYS, 'drmSorted', 'options');
  checkSamples(sorted, 'drmSorted', options.check ?? true);
  const n = sorted.length;
  const reward = options.convention === 'reward';
  // Reward: ρ^rew(y) = −ρ(−y); −y sorted ascending is y reversed. Summing in the same order with the same
  // products makes the identity exact in floating point.
  let total = 0;
  let prev = d.gTildeContinuous(0);
  if (!reward) {
    for (let i = 1; i <= n; i++) {
      const cur = i === n ? d.gTildeContinuous(1) : d.gTildeContinuous(i / n);
      total += (cur - prev) * sorted[i - 1]!;
      prev = cur;
    }
    for (const j of d.jumps) total += j.mass * sorted[atomIndex(n, j.u) - 1]!;
    return total;
  }
  for (let i = 1; i <= n; i++) {
    const cur = i === n ? d.gTildeContinuous(1) : d.gTildeContinuous(i / n);
    total += (cur - prev) * -sorted[n - i]!;
    prev = cur;
  }
  for (const j of d.jumps) total += j.mass * -sorted[n - atomIndex(n, j.u)]!;
  return reward ? -total : total;
}

/**
 * The distortion risk measure of a sample: ρ_g of its empirical distribution, Σ_i w_i x_(i) with
 * {@link drmWeights}. Sorts a copy (LSD radix sort, O(n)); never mutates `samples`.
 *
 * @example
 * ```ts
 * drm(new Float64Array([3, -1, 2, 5, 0]), expectedShortfall(0.6));
 * // 4
 * ```
 */
export function drm(samples: ArrayLike<number>, d: Distortion, options: DrmOptions = {}): number {
  assertArrayLike(samples, 'drm', 'samples');
  assertDistortion(d, 'drm');
  assertKnownKeys(options, DRM_OPTION_KEYS, 'drm', 'options');
  checkSamples(samples, 'drm', options.check ?? true);
  const sorted = sortFloat64(samples);
  return drmSorted(sorted, d, { ...options, check: false });
}
