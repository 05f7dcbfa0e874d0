import { assertKnownKeys, DescentError } from '@descent/linalg';
import { assertAllocation, assertFunction } from './internal/args.js';
import type { Diagram } from './diagram.js';
import { SAMPLE_KEYS, type SampledFunctions, type SampleOptions } from './persistence-landscape.js';
import { finiteBars, positiveInt, sampleGrid, tent } from './internal/vector-grid.js';

/**
 * The silhouette of a diagram (Chazal et al. 2014): the weighted mean Σ w_q·tent_q(t) / Σ w_q of the bars'
 * tents, sampled on a grid. Weights: `weight(birth, death)` (default 1) or `power` p for w = (d − b)^p.
 * With `scale: Math.SQRT2` the values are GUDHI's `representations.Silhouette`. Finite bars only; an
 * all-zero weight sum is `DOMAIN`. Law: with constant weights, moving every point by ≤ ε (sup norm) moves
 * the silhouette by ≤ ε in sup norm.
 *
 * @example
 * ```ts
 * // bars [0, 2) and [0, 4): at t = 1 the tents are 1 and 1, at t = 2 they are 0 and 2
 * Array.from(silhouette(diagram([[0, 2], [0, 4]]), { resolution: 3, range: [0, 2] }).values);
 * // [0, 1, 1]
 * ```
 */
export function silhouette(d: Diagram, o: SampleOptions & { weight?: (birth: number, death: number) => number; power?: number } = {}): SampledFunctions {
  const where = 'silhouette';
  assertKnownKeys(o, [...SAMPLE_KEYS, 'weight', 'power'], where, 'options');
  finiteBars(d, where);
  if (o.weight !== undefined && o.power !== undefined) throw new DescentError('INVALID_CONFIG', where, 'give weight or power, not both');
  if (o.power !== undefined && !Number.isFinite(o.power)) throw new DescentError('INVALID_CONFIG', where, `power must be finite, got ${o.power}`);
  if (o.weight !== undefined) assertFunction(o.weight, where, 'weight');
  const res = positiveInt(o.resolution, 100, 'resolution', where);
  assertAllocation(res, where, 'resolution');
  const grid = sampleGrid(d, res, o.range, o.keepEndpoints === true, where);
  const scale = o.scale ?? 1;
  if (typeof scale !== 'number' || !Number.isFinite(scale)) throw new DescentError('INVALID_CONFIG', where, `scale must be a finite number, got ${String(scale)}`);
  const m = d.birth.length;
  const w = new Float64Array(m);
  let total = 0;
  for (let q = 0; q < m; q++) {
    const b = d.birth[q]!;
    const e = d.death[q]!;
    const x = o.weight ? o.weight(b, e) : o.power !== undefined ? (e - b) ** o.power : 1;
    if (!Number.isFinite(x) || x < 0) throw new DescentError('DOMAIN', where, `weight of bar ${q} is ${x}; weights must be finite and ≥ 0`);
    w[q] = x;
    total += x;
  }
  if (!(total > 0)) throw new DescentError('DOMAIN', where, 'the weights sum to 0');
  const values = new Float64Array(res);
  for (let i = 0; i < res; i++) {
    const t = grid[i]!;
    let s = 0;
    for (let q = 0; q < m; q++) s += (w[q]! / total) * tent(d.birth[q]!, d.death[q]!, t);
    values[i] = s * scale;
  }
  return { grid, values, count: 1 };
}
