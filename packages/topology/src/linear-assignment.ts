import { DescentError, describeValue } from '@descent/linalg';
import { assertIntIn } from './internal/args.js';

/**
 * Minimum-cost perfect assignment of an n×n cost matrix (row-major): `assignment[i]` is the column of
 * row i. Shortest augmenting paths with potentials (Hungarian / Jonker–Volgenant), O(n³), exact; the
 * solver behind {@link wasserstein}'s optimal matching.
 *
 * @example
 * ```ts
 * Array.from(linearAssignment(new Float64Array([4, 1, 3, 2, 0, 5, 3, 2, 2]), 3));
 * // [1, 0, 2]
 * ```
 */
export function linearAssignment(cost: Float64Array, n: number): Int32Array {
  const where = 'linearAssignment';
  assertIntIn(n, 0, 2 ** 15, where, 'n');
  if (!(cost instanceof Float64Array) || cost.length !== n * n) {
    throw new DescentError('SHAPE_MISMATCH', where, `cost must be a Float64Array of ${n}×${n} entries, got ${cost instanceof Float64Array ? `${cost.length} entries` : describeValue(cost)}`);
  }
  for (let i = 0; i < cost.length; i++) if (!Number.isFinite(cost[i]!)) throw new DescentError('NON_FINITE', where, `cost[${i}] is ${cost[i]}`);
  const out = new Int32Array(n);
  linearAssignmentInto(cost, n, out);
  return out;
}

/** {@link linearAssignment} into `out` (length n), without argument checks. @internal */
export function linearAssignmentInto(a: Float64Array, n: number, out: Int32Array): void {
  const u = new Float64Array(n + 1);
  const v = new Float64Array(n + 1);
  const p = new Int32Array(n + 1);
  const way = new Int32Array(n + 1);
  const minv = new Float64Array(n + 1);
  const used = new Uint8Array(n + 1);
  for (let i = 1; i <= n; i++) {
    p[0] = i;
    let j0 = 0;
    minv.fill(Infinity);
    used.fill(0);
    do {
      used[j0] = 1;
      const i0 = p[j0]!;
      let delta = Infinity;
      let j1 = 0;
      const row = (i0 - 1) * n - 1;
      const ui0 = u[i0]!;
      for (let j = 1; j <= n; j++) {
        if (used[j]) continue;
        const cur = a[row + j]! - ui0 - v[j]!;
        if (cur < minv[j]!) {
          minv[j] = cur;
          way[j] = j0;
        }
        if (minv[j]! < delta) {
          delta = minv[j]!;
          j1 = j;
        }
      }
      for (let j = 0; j <= n; j++) {
        if (used[j]) {
          u[p[j]!]! += delta;
          v[j]! -= delta;
        } else minv[j]! -= delta;
      }
      j0 = j1;
    } while (p[j0] !== 0);
    do {
      const j1 = way[j0]!;
      p[j0] = p[j1]!;
      j0 = j1;
    } while (j0 !== 0);
  }
  for (let j = 1; j <= n; j++) out[p[j]! - 1] = j - 1;
}
