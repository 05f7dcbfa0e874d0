import { assertKnownKeys, configKeys, DescentError, describeValue } from '@descent/linalg';
import type { Objective } from './objective.js';
import { requireFinite, requireInteger, requireNonNegative, requireF64 } from './validate.js';

/** Parameters of the scalar–vector factorization loss (model M1 of the spec). */
export interface ScalarVectorConfig {
  /** Dimension d of each factor (θ = (u, v) ∈ R^{2d}); default 1. */
  readonly d?: number;
  /** Scalar target y. */
  readonly y: number;
  /** Ridge weight λ ≥ 0 (default 0). */
  readonly lambda?: number;
}

/**
 * The global minimum of ½(uᵀv − y)² + (λ/2)(‖u‖² + ‖v‖²): 0 without ridge, λ|y| − λ²/2 for
 * 0 < λ < |y| (balanced minimizers ‖u‖² = |y| − λ), y²/2 for λ ≥ |y| (only θ = 0). [RECON, spec §a.1]
 *
 * @example
 * ```ts
 * scalarVectorMinLoss(0.5, 0.2);
 * // 0.08
 * ```
 */
export function scalarVectorMinLoss(y: number, lambda = 0): number {
  requireFinite(y, 'scalarVectorMinLoss', 'y');
  requireNonNegative(lambda, 'scalarVectorMinLoss', 'lambda');
  const ay = Math.abs(y);
  if (lambda === 0) return 0;
  if (lambda < ay) return lambda * ay - (lambda * lambda) / 2;
  return (y * y) / 2;
}

/**
 * Scalar–vector factorization L(u, v) = ½(uᵀv − y)² + (λ/2)(‖u‖² + ‖v‖²), θ = (u, v) ∈ R^{2d}
 * (u first). This is the loss of the paper's Fig. 1 and Fig. 3 with the ½ convention: GD with step
 * h on the paper's un-halved `(uᵀv − y)² + μ(‖u‖²+‖v‖²)` equals GD here with η = 2h, λ = μ.
 *
 * Gradient: (r v + λu, r u + λv) with r = uᵀv − y. Hessian-vector product (exact, O(d)):
 * H(a, b) = (c v + λa + r b, c u + λb + r a) with c = vᵀa + uᵀb.
 *
 * @example
 * ```ts
 * const f = scalarVectorObjective({ y: 1 });
 * f.loss(new Float64Array([2, 1]));
 * // 0.5
 * ```
 */
export function scalarVectorObjective(cfg: ScalarVectorConfig): Objective {
  const where = 'scalarVectorObjective';
  assertKnownKeys(cfg, configKeys<ScalarVectorConfig>()('d', 'y', 'lambda'), where);
  const d = requireInteger(cfg.d ?? 1, 1, where, 'd');
  const y = requireFinite(cfg.y, where, 'y');
  const lam = requireNonNegative(cfg.lambda ?? 0, where, 'lambda');
  const minLoss = scalarVectorMinLoss(y, lam);
  const residual = (t: Float64Array): number => {
    let uv = 0;
    for (let i = 0; i < d; i++) uv += t[i]! * t[d + i]!;
    return uv - y;
  };
  return {
    name: 'scalarVector',
    dim: 2 * d,
    minLoss,
    loss(t) {
      let uv = 0;
      let uu = 0;
      let vv = 0;
      for (let i = 0; i < d; i++) {
        const u = t[i]!;
        const v = t[d + i]!;
        uv += u * v;
        uu += u * u;
        vv += v * v;
      }
      const r = uv - y;
      // Same operation order as the grid kernel, so d = 1 losses agree bit for bit.
      return 0.5 * r * r + 0.5 * lam * (uu + vv);
    },
    gradInto(t, out) {
      const r = residual(t);
      for (let i = 0; i < d; i++) {
        const u = t[i]!;
        const v = t[d + i]!;
        out[i] = r * v + lam * u;
        out[d + i] = r * u + lam * v;
      }
      return out;
    },
    hvpInto(t, vec, out) {
      const r = residual(t);
      let c = 0;
      for (let i = 0; i < d; i++) c += t[d + i]! * vec[i]! + t[i]! * vec[d + i]!;
      for (let i = 0; i < d; i++) {
        const a = vec[i]!;
        const b = vec[d + i]!;
        out[i] = c * t[d + i]! + lam * a + r * b;
        out[d + i] = c * t[i]! + lam * b + r * a;
      }
      return out;
    },
  };
}

/** The exact planar reduction of M1 (spec §a.1): θ ↦ the conjugate d = 1 start and the two directions. */
export interface ScalarVectorReduction {
  /** First coordinate of the conjugate d = 1 problem, (‖s‖ + ‖m‖)/2. */
  readonly x: number;
  /** Second coordinate, (‖s‖ − ‖m‖)/2. */
  readonly z: number;
  /** Unit direction of s = u + v (any unit vector if s = 0). */
  readonly sHat: Float64Array;
  /** Unit direction of m = u − v (any unit vector if m = 0). */
  readonly mHat: Float64Array;
}

/**
 * Reduces an M1 start θ = (u, v) ∈ R^{2d} to the d = 1 problem it is conjugate to. With s = u + v
 * and m = u − v, GD maps s ↦ (1−ηλ−ηr)s and m ↦ (1−ηλ+ηr)m, and uᵀv = (‖s‖² − ‖m‖²)/4, so the
 * directions of s and m never change and (x, z) = ((‖s‖+‖m‖)/2, (‖s‖−‖m‖)/2) follows the d = 1 map
 * exactly, with the same loss, gradient norm and ‖θ‖. [RECON, spec §a.1, checked numerically there]
 *
 * @example
 * ```ts
 * const red = reduceScalarVector(new Float64Array([3, 0, 1, 0]));
 * [red.x, red.z];
 * // [3, 1]
 * ```
 */
export function reduceScalarVector(theta: Float64Array): ScalarVectorReduction {
  requireF64(theta, 'reduceScalarVector', 'theta');
  if (theta.length < 2 || theta.length % 2 !== 0) {
    throw new DescentError('SHAPE_MISMATCH', 'reduceScalarVector', `theta has odd or zero length ${theta.length}`);
  }
  const d = theta.length / 2;
  const sHat = new Float64Array(d);
  const mHat = new Float64Array(d);
  let ss = 0;
  let mm = 0;
  for (let i = 0; i < d; i++) {
    const u = theta[i]!;
    const v = theta[d + i]!;
    if (!Number.isFinite(u) || !Number.isFinite(v)) {
      throw new DescentError('NON_FINITE', 'reduceScalarVector', `theta[${Number.isFinite(u) ? d + i : i}] is not finite`);
    }
    sHat[i] = u + v;
    mHat[i] = u - v;
    ss += sHat[i]! * sHat[i]!;
    mm += mHat[i]! * mHat[i]!;
  }
  const sn = Math.sqrt(ss);
  const mn = Math.sqrt(mm);
  normalizeOrBasis(sHat, sn);
  normalizeOrBasis(mHat, mn);
  return { x: (sn + mn) / 2, z: (sn - mn) / 2, sHat, mHat };
}

function normalizeOrBasis(w: Float64Array, n: number): void {
  if (n > 0) {
    for (let i = 0; i < w.length; i++) w[i] = w[i]! / n;
  } else {
    w[0] = 1;
  }
}

/**
 * Lifts a conjugate d = 1 state (x, z) back to θ = (u, v): with σ = x + z, δ = x − z,
 * u = (σ ŝ + δ m̂)/2 and v = (σ ŝ − δ m̂)/2.
 *
 * @example
 * ```ts
 * const red = reduceScalarVector(new Float64Array([3, 0, 1, 0]));
 * liftScalarVector(red, red.x, red.z);
 * // Float64Array [3, 0, 1, 0]
 * ```
 */
export function liftScalarVector(red: ScalarVectorReduction, x: number, z: number): Float64Array {
  const where = 'liftScalarVector';
  if (red === null || typeof red !== 'object') throw new DescentError('INVALID_CONFIG', where, `red must be a reduction from reduceScalarVector, got ${describeValue(red)}`);
  const sHat = requireF64(red.sHat, where, 'red.sHat');
  requireF64(red.mHat, where, 'red.mHat', sHat.length);
  requireFinite(x, where, 'x');
  requireFinite(z, where, 'z');
  const d = red.sHat.length;
  const out = new Float64Array(2 * d);
  const sigma = x + z;
  const delta = x - z;
  for (let i = 0; i < d; i++) {
    out[i] = (sigma * red.sHat[i]! + delta * red.mHat[i]!) / 2;
    out[d + i] = (sigma * red.sHat[i]! - delta * red.mHat[i]!) / 2;
  }
  return out;
}
