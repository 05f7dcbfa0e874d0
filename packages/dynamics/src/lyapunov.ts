import { DescentError } from '@descent/linalg';
import type { Objective } from './objective.js';
import { Status, type StatusCode } from './status.js';
import { requireFiniteVector, requireInteger, requirePositive, requireStepSize, requireObjective, requireOptions } from './validate.js';

/** Finite-time Lyapunov exponents of a GD orbit. */
export interface LyapunovResult {
  /** The k exponents, descending (per step, natural log). */
  readonly exponents: Float64Array;
  /** Steps averaged over (fewer than requested if the orbit diverged). */
  readonly steps: number;
  /** `DIVERGED` if the orbit left the ball of radius `divergenceBound`, else `UNDECIDED`. */
  readonly status: StatusCode;
}

/**
 * Finite-time Lyapunov exponents of the GD map θ ↦ θ − η∇L(θ) by Benettin's method [RECON recipe,
 * spec §f]: k tangent vectors pushed through the Jacobian J = I − η∇²L (one HVP each), re-orthonormalized
 * by modified Gram–Schmidt every step, the logs of the stretch factors averaged. At a regularized
 * minimizer of scalar–vector factorization they tend to log|1−2η(y−λ)| and log|1−2ηλ|; an orbit of the
 * unregularized problem that converges has largest exponent → 0⁻ (neutral minimizer manifold).
 * A diverging orbit stops early (status `DIVERGED`); the output never holds NaN.
 *
 * @example
 * ```ts
 * const f = scalarVectorObjective({ y: 0.5, lambda: 0.2 });
 * const r = lyapunovExponents(f, new Float64Array([0.3, 0.2]), 1, { steps: 400 });
 * Array.from(r.exponents, (e) => e.toFixed(1));
 * // ['-0.5', '-0.9']
 * ```
 */
export function lyapunovExponents(
  objective: Objective,
  theta0: Float64Array,
  eta: number,
  options: { steps?: number; k?: number; divergenceBound?: number } = {},
): LyapunovResult {
  const where = 'lyapunovExponents';
  requireObjective(objective, where);
  options = requireOptions(options, where);
  const dim = objective.dim;
  requireStepSize(eta, where);
  if (!(theta0 instanceof Float64Array) || theta0.length !== dim) throw new DescentError('SHAPE_MISMATCH', where, `theta0 must have length ${dim}`);
  requireFiniteVector(theta0, where, 'theta0');
  const T = requireInteger(options.steps ?? 1000, 1, where, 'steps');
  const k = requireInteger(options.k ?? dim, 1, where, 'k');
  if (k > dim) throw new DescentError('INVALID_CONFIG', where, `k = ${k} exceeds dim = ${dim}`);
  const B = requirePositive(options.divergenceBound ?? 1e8, where, 'divergenceBound');
  const x = Float64Array.from(theta0);
  const g = new Float64Array(dim);
  const Q = new Float64Array(k * dim); // column j at j*dim
  const W = new Float64Array(k * dim);
  for (let j = 0; j < k; j++) Q[j * dim + j] = 1;
  const sums = new Float64Array(k);
  let t = 0;
  let status: StatusCode = Status.UNDECIDED;
  for (; t < T; t++) {
    for (let j = 0; j < k; j++) {
      const q = Q.subarray(j * dim, (j + 1) * dim);
      const w = W.subarray(j * dim, (j + 1) * dim);
      objective.hvpInto(x, q, w);
      for (let i = 0; i < dim; i++) w[i] = q[i]! - eta * w[i]!;
    }
    // Modified Gram–Schmidt: Q R = W, diag(R) ≥ 0.
    for (let j = 0; j < k; j++) {
      const w = W.subarray(j * dim, (j + 1) * dim);
      for (let l = 0; l < j; l++) {
        const q = Q.subarray(l * dim, (l + 1) * dim);
        let p = 0;
        for (let i = 0; i < dim; i++) p += q[i]! * w[i]!;
        for (let i = 0; i < dim; i++) w[i] = w[i]! - p * q[i]!;
      }
      let nn = 0;
      for (let i = 0; i < dim; i++) nn += w[i]! * w[i]!;
      const norm = Math.sqrt(nn);
      // A zero stretch (J singular on this direction) would give −∞; floor it at the smallest normal.
      sums[j] = sums[j]! + Math.log(Math.max(norm, 2.2250738585072014e-308));
      const q = Q.subarray(j * dim, (j + 1) * dim);
      if (norm > 0) for (let i = 0; i < dim; i++) q[i] = w[i]! / norm;
    }
    objective.gradInto(x, g);
    let xx = 0;
    for (let i = 0; i < dim; i++) {
      x[i] = x[i]! - eta * g[i]!;
      xx += x[i]! * x[i]!;
    }
    if (!(xx <= B * B)) {
      status = Status.DIVERGED;
      t++;
      break;
    }
  }
  const exps = Float64Array.from(sums, (s) => s / t).sort().reverse();
  return { exponents: exps, steps: t, status };
}
