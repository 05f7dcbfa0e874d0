import { DescentError } from '@descent/linalg';
import type { Mlp } from './mlp.js';

/**
 * Minimum-cost perfect assignment of an n×n cost matrix (row-major): `assignment[i]` is the column of
 * row i. Shortest augmenting paths with potentials (Hungarian / Jonker–Volgenant), O(n³), exact.
 */
export function linearAssignment(cost: Float64Array, n: number): Int32Array {
  if (cost.length !== n * n) throw new DescentError('SHAPE_MISMATCH', 'linearAssignment', `cost has ${cost.length} entries, expected ${n}×${n}`);
  for (let i = 0; i < cost.length; i++) if (!Number.isFinite(cost[i]!)) throw new DescentError('NON_FINITE', 'linearAssignment', `cost[${i}] is ${cost[i]}`);
  // 1-based arrays: column 0 is the virtual start of each augmenting path.
  const u = new Float64Array(n + 1);
  const v = new Float64Array(n + 1);
  const p = new Int32Array(n + 1); // p[j]: row matched to column j
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
      for (let j = 1; j <= n; j++) {
        if (used[j]) continue;
        const cur = cost[(i0 - 1) * n + (j - 1)]! - u[i0]! - v[j]!;
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
        } else {
          minv[j]! -= delta;
        }
      }
      j0 = j1;
    } while (p[j0] !== 0);
    do {
      const j1 = way[j0]!;
      p[j0] = p[j1]!;
      j0 = j1;
    } while (j0 !== 0);
  }
  const assignment = new Int32Array(n);
  for (let j = 1; j <= n; j++) assignment[p[j]! - 1] = j - 1;
  return assignment;
}

/**
 * Weight matching (Ainsworth, Hayase & Srinivasa, "Git Re-Basin", 2023) for an MLP with one hidden
 * layer: the permutation π of `b`'s hidden units that maximises Σ_j ⟨a's unit j, b's unit π(j)⟩, where
 * a unit's weights are its incoming column of W1, its bias and its outgoing row of W2. With one hidden
 * layer this is a single linear assignment, solved exactly. Returns `b` with its hidden units permuted
 * (the same function as `b`), and the permutation.
 */
export function alignHiddenUnits(net: Mlp, a: Float64Array, b: Float64Array): { aligned: Float64Array; perm: Int32Array } {
  if (net.layers.length !== 2) throw new DescentError('INVALID_CONFIG', 'alignHiddenUnits', `needs one hidden layer, the MLP has ${net.layers.length - 1}`);
  if (a.length !== net.size || b.length !== net.size) throw new DescentError('SHAPE_MISMATCH', 'alignHiddenUnits', `parameter vectors must have length ${net.size}`);
  const [L1, L2] = net.layers as [Mlp['layers'][0], Mlp['layers'][0]];
  const H = L1.fanOut;
  const unit = (th: Float64Array, j: number, k: number, other: Float64Array): number => {
    // ⟨th's unit j, other's unit k⟩
    let s = 0;
    for (let i = 0; i < L1.fanIn; i++) s += th[L1.wOffset + i * H + j]! * other[L1.wOffset + i * H + k]!;
    if (L1.bOffset >= 0) s += th[L1.bOffset + j]! * other[L1.bOffset + k]!;
    for (let c = 0; c < L2.fanOut; c++) s += th[L2.wOffset + j * L2.fanOut + c]! * other[L2.wOffset + k * L2.fanOut + c]!;
    return s;
  };
  const cost = new Float64Array(H * H);
  for (let j = 0; j < H; j++) for (let k = 0; k < H; k++) cost[j * H + k] = -unit(a, j, k, b);
  const perm = linearAssignment(cost, H);
  const aligned = new Float64Array(b);
  for (let j = 0; j < H; j++) {
    const k = perm[j]!;
    for (let i = 0; i < L1.fanIn; i++) aligned[L1.wOffset + i * H + j] = b[L1.wOffset + i * H + k]!;
    if (L1.bOffset >= 0) aligned[L1.bOffset + j] = b[L1.bOffset + k]!;
    for (let c = 0; c < L2.fanOut; c++) aligned[L2.wOffset + j * L2.fanOut + c] = b[L2.wOffset + k * L2.fanOut + c]!;
  }
  return { aligned, perm };
}
