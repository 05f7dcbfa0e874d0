import { assertKnownKeys, DescentError } from '@descent/linalg';
import { prepareDistances, type MetricInput } from './metric-input.js';

/**
 * Greedy (farthest-point) permutation subsample of `k` points (ripser.py `n_perm`), starting from
 * point `start` (default 0): each next point is the farthest from those chosen. Returns the indices and
 * the covering radius r_c (the largest distance from any point to the subsample); the subsample's
 * Rips diagrams are within bottleneck distance 2·r_c of the full ones (law L7).
 *
 * @example
 * ```ts
 * greedySubsample({ kind: 'points', n: 3, d: 1, data: new Float64Array([0, 1, 10]) }, 2).coveringRadius;
 * // 1
 * ```
 */
export function greedySubsample(x: MetricInput, k: number, o: { start?: number } = {}): { indices: Int32Array; coveringRadius: number } {
  const where = 'greedySubsample';
  assertKnownKeys(o, ['start'], where, 'options');
  const d = prepareDistances(x, where);
  const n = d.n;
  if (!d.lower) throw new DescentError('INVALID_CONFIG', where, 'graph input is not supported');
  if (!Number.isInteger(k) || k < 1 || k > n) throw new DescentError('INVALID_CONFIG', where, `k must be an integer in [1, ${n}], got ${String(k)}`);
  const start = o.start ?? 0;
  if (!Number.isInteger(start) || start < 0 || start >= n) throw new DescentError('INVALID_CONFIG', where, `start must be a vertex, got ${String(start)}`);
  const lower = d.lower;
  const D = (i: number, j: number) => (i === j ? 0 : i > j ? lower[(i * (i - 1)) / 2 + j]! : lower[(j * (j - 1)) / 2 + i]!);
  const near = new Float64Array(n).fill(Infinity);
  const indices = new Int32Array(k);
  let cur = start;
  for (let t = 0; t < k; t++) {
    indices[t] = cur;
    let far = -1;
    let farD = -1;
    for (let v = 0; v < n; v++) {
      const dv = D(cur, v);
      if (dv < near[v]!) near[v] = dv;
      if (near[v]! > farD) {
        farD = near[v]!;
        far = v;
      }
    }
    cur = far;
  }
  let r = 0;
  for (let v = 0; v < n; v++) r = Math.max(r, near[v]!);
  return { indices, coveringRadius: r };
}
