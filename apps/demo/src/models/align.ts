import { DescentError } from '@descent/linalg';
import { linearAssignment } from '@descent/topology';
import type { Mlp } from './mlp.js';

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
