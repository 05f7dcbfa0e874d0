import { assertKnownKeys, configKeys, DescentError } from '@descent/linalg';
import type { Objective } from './objective.js';
import { requireFiniteVector, requireNonNegative, requireF64 } from './validate.js';

/** Parameters of the scalar-times-vector loss (model M2 of the spec). */
export interface VectorTargetConfig {
  /** Target vector y ∈ R^d (d ≥ 1). */
  readonly y: Float64Array;
  /** Ridge weight λ ≥ 0 (default 0). */
  readonly lambda?: number;
}

/**
 * The alternative reading of "scalar–vector factorization" [RECON, spec §a.2]: a scalar a times a
 * vector b fits a vector target, L(a, b) = ½‖a b − y‖² + (λ/2)(a² + ‖b‖²), θ = (a, b) ∈ R^{1+d}.
 * Gradient (rᵀb + λa, a r + λb) with r = a b − y; Hessian [[‖b‖²+λ, (r + a b)ᵀ], [r + a b, (a²+λ)I]].
 * Its critical step size is 1/‖y‖ (see {@link vectorTargetCriticalStepSize}).
 *
 * @example
 * ```ts
 * vectorTargetObjective({ y: new Float64Array([3, 4]) }).loss(new Float64Array([1, 3, 4]));
 * // 0
 * ```
 */
export function vectorTargetObjective(cfg: VectorTargetConfig): Objective {
  const where = 'vectorTargetObjective';
  assertKnownKeys(cfg, configKeys<VectorTargetConfig>()('y', 'lambda'), where);
  if (!(cfg.y instanceof Float64Array) || cfg.y.length === 0) {
    throw new DescentError('SHAPE_MISMATCH', where, 'y must be a non-empty Float64Array');
  }
  const y = Float64Array.from(requireFiniteVector(cfg.y, where, 'y'));
  const lam = requireNonNegative(cfg.lambda ?? 0, where, 'lambda');
  const d = y.length;
  let yn = 0;
  for (let i = 0; i < d; i++) yn += y[i]! * y[i]!;
  yn = Math.sqrt(yn);
  // Same reduction as M1: b along ŷ, so L* is the scalar problem's with target ‖y‖.
  const minLoss = lam === 0 ? 0 : lam < yn ? lam * yn - (lam * lam) / 2 : (yn * yn) / 2;
  return {
    name: 'vectorTarget',
    dim: 1 + d,
    minLoss,
    loss(t) {
      const a = t[0]!;
      let rr = 0;
      let bb = 0;
      for (let i = 0; i < d; i++) {
        const b = t[1 + i]!;
        const r = a * b - y[i]!;
        rr += r * r;
        bb += b * b;
      }
      return 0.5 * rr + 0.5 * lam * (a * a + bb);
    },
    gradInto(t, out) {
      const a = t[0]!;
      let rb = 0;
      for (let i = 0; i < d; i++) {
        const b = t[1 + i]!;
        const r = a * b - y[i]!;
        rb += r * b;
        out[1 + i] = a * r + lam * b;
      }
      out[0] = rb + lam * a;
      return out;
    },
    hvpInto(t, vec, out) {
      const a = t[0]!;
      const alpha = vec[0]!;
      let bb = 0;
      let cross = 0;
      for (let i = 0; i < d; i++) {
        const b = t[1 + i]!;
        const w = a * b - y[i]! + a * b; // r_i + a b_i
        bb += b * b;
        cross += w * vec[1 + i]!;
        out[1 + i] = w * alpha + (a * a + lam) * vec[1 + i]!;
      }
      out[0] = (bb + lam) * alpha + cross;
      return out;
    },
  };
}

/**
 * Critical step size 1/‖y‖ of the scalar-times-vector loss without ridge: at a minimizer the
 * sharpness is a² + ‖b‖² ≥ 2|a|‖b‖ = 2‖y‖ with equality at the balanced ones, so some minimizer is
 * linearly stable iff η < 1/‖y‖. [RECON, spec §a.2; checked there by bisection: 0.79505 vs 0.79556]
 *
 * @example
 * ```ts
 * vectorTargetCriticalStepSize(new Float64Array([3, 4]));
 * // 0.2
 * ```
 */
export function vectorTargetCriticalStepSize(y: Float64Array): number {
  requireF64(y, 'vectorTargetCriticalStepSize', 'y');
  requireFiniteVector(y, 'vectorTargetCriticalStepSize', 'y');
  let s = 0;
  for (let i = 0; i < y.length; i++) s += y[i]! * y[i]!;
  return s === 0 ? Infinity : 1 / Math.sqrt(s);
}
