import { DescentError } from '../errors.js';
import type { Matrix } from '../matrix.js';
import { assertFinite, assertMatrix, assertVector } from '../validate.js';
import { gemvInto } from '../kernels/gemv.js';
import { gramInto } from '../kernels/gram.js';
import { cholesky, choleskySolve } from '../decompositions/cholesky.js';

/**
 * Solves (ΓᵀΓ/N + λI)·x = g for Γ of size N×d (N per-sample gradients as rows) in O(N²d + N³) instead
 * of O(d³), by the Woodbury identity:
 * x = (g − Γᵀ(NλI_N + ΓΓᵀ)⁻¹Γg)/λ. This is the empirical-Fisher natural-gradient solve when N ≪ d.
 * Requires λ > 0.
 *
 * @example
 * ```ts
 * woodburySolve(fromRows([[1, 0]]), new Float64Array([2, 1]), 1);
 * // Float64Array [1, 1]
 * ```
 */
export function woodburySolve(gamma: Matrix, g: Float64Array, lambda: number): Float64Array {
  assertMatrix(gamma, 'woodburySolve', 'Γ');
  const { rows: N, cols: d } = gamma;
  assertVector(g, 'woodburySolve', 'g');
  if (g.length !== d) throw new DescentError('SHAPE_MISMATCH', 'woodburySolve', `g has length ${g.length}, Γ has ${d} columns`);
  assertFinite(g, 'woodburySolve', 'g');
  if (!(lambda > 0) || !Number.isFinite(lambda)) {
    throw new DescentError('INVALID_CONFIG', 'woodburySolve', `λ must be a finite number > 0, got ${lambda}`);
  }
  const k = gramInto(gamma, { rows: N, cols: N, data: new Float64Array(N * N) }, 'right');
  for (let i = 0; i < N; i++) k.data[i * N + i] += N * lambda;
  const gg = gemvInto(gamma, g, new Float64Array(N));
  const z = choleskySolve(cholesky(k, { check: false }), gg);
  const correction = gemvInto(gamma, z, new Float64Array(d), { trans: true });
  const x = new Float64Array(d);
  const inv = 1 / lambda;
  for (let i = 0; i < d; i++) x[i] = (g[i]! - correction[i]!) * inv;
  return x;
}
