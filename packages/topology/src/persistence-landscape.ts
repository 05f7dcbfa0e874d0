import { DescentError, assertKnownKeys, configKeys } from '@descent/linalg';
import { assertAllocation } from './internal/args.js';
import type { Diagram } from './diagram.js';
import { finiteBars, positiveInt, sampleGrid, tent } from './internal/vector-grid.js';

/** The keys of {@link SampleOptions}. @internal */
export const SAMPLE_KEYS = configKeys<SampleOptions>()('resolution', 'range', 'keepEndpoints', 'scale');

/**
 * Options of {@link persistenceLandscape} and {@link silhouette}: where the functions are sampled.
 *
 * @example
 * ```ts
 * const o: SampleOptions = { resolution: 50, range: [0, 2] };
 * o.resolution;
 * // 50
 * ```
 */
export interface SampleOptions {
  /** Number of samples (default 100). */
  resolution?: number;
  /** Sample on linspace(range[0], range[1], resolution) (default: from the diagram, see `keepEndpoints`). */
  range?: readonly [number, number];
  /**
   * Without `range`: sample [min birth, max death] with its end points (where every tent is 0) when true;
   * by default use resolution + 2 points and drop the two ends, as GUDHI does.
   */
  keepEndpoints?: boolean;
  /** Multiply the values by this factor (default 1; GUDHI's representations use √2 = `Math.SQRT2`). */
  scale?: number;
}

/**
 * A function sampled on a grid: `values[j·grid.length + i]` is function j at `grid[i]`.
 *
 * @example
 * ```ts
 * const s: SampledFunctions = { grid: new Float64Array([0, 1]), values: new Float64Array([0, 1]), count: 1 };
 * s.count;
 * // 1
 * ```
 */
export interface SampledFunctions {
  grid: Float64Array;
  values: Float64Array;
  /** Number of functions (landscapes) in `values`. */
  count: number;
}

/**
 * The persistence landscape λ_1 ≥ λ_2 ≥ … ≥ λ_k of a diagram (Bubenik 2015): λ_j(t) is the j-th largest
 * tent max(0, min(t − b, d − t)) over the bars at t, sampled on a grid. Finite bars only. With
 * `scale: Math.SQRT2` the values are GUDHI's `representations.Landscape` (same grid rules).
 * Laws: λ_j ≥ 0, λ_j ≥ λ_{j+1}, each λ_j is 1-Lipschitz, and ‖λ_j(D) − λ_j(D′)‖∞ ≤ d_B(D, D′).
 *
 * @example
 * ```ts
 * // one bar [0, 2): a single tent of height 1 at t = 1
 * const l = persistenceLandscape(diagram([[0, 2]]), { k: 2, resolution: 5, range: [0, 2] });
 * Array.from(l.values);
 * // [0, 0.5, 1, 0.5, 0, 0, 0, 0, 0, 0]
 * ```
 */
export function persistenceLandscape(d: Diagram, o: SampleOptions & { k?: number } = {}): SampledFunctions {
  const where = 'persistenceLandscape';
  assertKnownKeys(o, [...SAMPLE_KEYS, 'k'], where, 'options');
  finiteBars(d, where);
  const k = positiveInt(o.k, 5, 'k', where);
  const res = positiveInt(o.resolution, 100, 'resolution', where);
  assertAllocation(k * res, where, 'k × resolution');
  const grid = sampleGrid(d, res, o.range, o.keepEndpoints === true, where);
  const scale = o.scale ?? 1;
  if (typeof scale !== 'number' || !Number.isFinite(scale)) throw new DescentError('INVALID_CONFIG', where, `scale must be a finite number, got ${String(scale)}`);
  const m = d.birth.length;
  const values = new Float64Array(k * res);
  const col = new Float64Array(m);
  for (let i = 0; i < res; i++) {
    const t = grid[i]!;
    let live = 0;
    for (let q = 0; q < m; q++) {
      const h = tent(d.birth[q]!, d.death[q]!, t);
      if (h > 0) col[live++] = h;
    }
    // k largest, descending (zeros where fewer than k tents are positive)
    const top = col.subarray(0, live).sort();
    for (let j = 0; j < k && j < live; j++) values[j * res + i] = top[live - 1 - j]! * scale;
  }
  return { grid, values, count: k };
}
