import type { Matrix } from '../matrix.js';
import { svd } from '../decompositions/svd.js';

/**
 * The polar factor (orthogonal part) of G: U_r·V_rᵀ from the thin SVD, keeping only the rank-many
 * directions with σ > rcond·σ₀ (a true pseudo-inverse: null directions map to 0, so
 * (GGᵀ)^{-1/2}·G = U_r V_rᵀ even for rank-deficient G). Singular values of the result are rank-many
 * ones, and ⟨G, polar(G)⟩ = ‖G‖_* (nuclear norm).
 *
 * @example
 * ```ts
 * polar(fromRows([[2, 0], [0, 0.5]])).data;
 * // Float64Array [1, 0, 0, 1]
 * ```
 */
export function polar(g: Matrix, options: { rcond?: number; check?: boolean } = {}): Matrix {
  const f = svd(g, options);
  const { rows: m, cols: n } = g;
  const k = f.s.length;
  const out = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    const row = i * n;
    for (let r = 0; r < f.rank; r++) {
      const u = f.u.data[i * k + r]!;
      if (u === 0) continue;
      for (let j = 0; j < n; j++) out[row + j] += u * f.v.data[j * k + r]!;
    }
  }
  return { rows: m, cols: n, data: out };
}
