import { describeValue, MAX_ELEMENTS, assertVector, assertKnownKeys, DescentError, normal, placeBlocks, type Key, type Layout } from '@descent/linalg';
import { assertAllocation, assertFunction, assertIntIn } from './internal/args.js';

/**
 * A filter-normalised random direction (Li et al. 2018, tomgoldstein/loss-landscape `net_plotter.py`):
 * Gaussian d with θ's layout; for every block with ≥ 2 dims and each filter (a slice along the block's
 * first axis, e.g. one output neuron's incoming weights of an [out, in] matrix) d_f ← d_f·‖θ_f‖/(‖d_f‖ + 1e−10);
 * 1-D blocks (biases, norm parameters) are zeroed (`ignore: 'biasbn'`, the default) or normalised as one
 * filter (`ignore: 'none'`).
 *
 * @example
 * ```ts
 * const layout = [{ name: 'W', shape: [2, 3] }, { name: 'b', shape: [2] }];
 * const d = filterNormalizedDirection(new Float64Array(8).fill(1), layout, key(0));
 * [Math.hypot(d[0], d[1], d[2]).toFixed(6), d[6]];
 * // ['1.732051', 0]
 * ```
 */
export function filterNormalizedDirection(theta: Float64Array, layout: Layout, k: Key, o: { ignore?: 'biasbn' | 'none' } = {}): Float64Array {
  const where = 'filterNormalizedDirection';
  assertKnownKeys(o, ['ignore'], where, 'options');
  const placed = placeBlocks(layout);
  const size = placed.reduce((s, b) => Math.max(s, b.offset + b.size), 0);
  if (!(theta instanceof Float64Array) || theta.length !== size) throw new DescentError('SHAPE_MISMATCH', where, `theta must have ${size} entries for this layout, got ${theta?.length}`);
  const d = normal(k, size);
  for (const b of placed) {
    if (b.shape.length < 2) {
      if ((o.ignore ?? 'biasbn') === 'biasbn') d.fill(0, b.offset, b.offset + b.size);
      else normaliseSlice(d, theta, b.offset, b.size);
      continue;
    }
    const rows = b.shape[0]!;
    const per = b.size / rows;
    for (let r = 0; r < rows; r++) normaliseSlice(d, theta, b.offset + r * per, per);
  }
  return d;
}

function normaliseSlice(d: Float64Array, theta: Float64Array, off: number, len: number): void {
  let nd = 0;
  let nt = 0;
  for (let i = off; i < off + len; i++) {
    nd += d[i]! * d[i]!;
    nt += theta[i]! * theta[i]!;
  }
  const s = Math.sqrt(nt) / (Math.sqrt(nd) + 1e-10);
  for (let i = off; i < off + len; i++) d[i]! *= s;
}

/**
 * Samples the loss on the 2-D slice θ + x·d1 + y·d2, x, y on a uniform `points`×`points` grid over
 * [lo, hi]² (default 41 points over [−1, 1]). Row-major: value at (row i ↔ y_i, col j ↔ x_j). Feed it to
 * `sublevelPersistence0` with `{ kind: 'grid', shape: [points, points], connectivity: 8 }`.
 *
 * @example
 * ```ts
 * const s = lossSlice((x) => x[0] ** 2 + x[1] ** 2, new Float64Array(2), new Float64Array([1, 0]), new Float64Array([0, 1]), { points: 3 });
 * Array.from(s.values);
 * // [2, 1, 2, 1, 0, 1, 2, 1, 2]
 * ```
 */
export function lossSlice(
  loss: (x: Float64Array) => number,
  theta: Float64Array,
  d1: Float64Array,
  d2: Float64Array,
  o: { points?: number; range?: readonly [number, number] } = {},
): { values: Float64Array; coords: Float64Array; points: number } {
  const where = 'lossSlice';
  assertKnownKeys(o, ['points', 'range'], where, 'options');
  assertFunction(loss, where, 'loss');
  assertVector(theta, where, 'theta');
  const D = theta.length;
  assertVector(d1, where, 'd1', D);
  assertVector(d2, where, 'd2', D);
  const m = o.points ?? 41;
  assertIntIn(m, 2, MAX_ELEMENTS, where, 'points');
  assertAllocation(m * m, where, 'points² grid values');
  const range: unknown = o.range ?? [-1, 1];
  if (!Array.isArray(range) || range.length !== 2 || typeof range[0] !== 'number' || typeof range[1] !== 'number' || !Number.isFinite(range[0]) || !Number.isFinite(range[1])) {
    throw new DescentError('INVALID_CONFIG', where, `range must be [lo, hi] with finite numbers, got ${describeValue(range)}`);
  }
  const [lo, hi] = range as [number, number];
  if (!(hi > lo)) throw new DescentError('INVALID_CONFIG', where, `range must be increasing, got [${lo}, ${hi}]`);
  const coords = new Float64Array(m);
  for (let i = 0; i < m; i++) coords[i] = lo + ((hi - lo) * i) / (m - 1);
  const values = new Float64Array(m * m);
  const x = new Float64Array(D);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < m; j++) {
      for (let k = 0; k < D; k++) x[k] = theta[k]! + coords[j]! * d1[k]! + coords[i]! * d2[k]!;
      const v = loss(x);
      if (!Number.isFinite(v)) throw new DescentError('NON_FINITE', where, `the loss is ${v} at grid point (${i}, ${j})`);
      values[i * m + j] = v;
    }
  }
  return { values, coords, points: m };
}
