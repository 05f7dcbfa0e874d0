import { assertKnownKeys, DescentError } from '@descent/linalg';
import { type ScalarVectorRegionConfig, fillScalarStarts, planScalarVectorRegion } from './region.js';
import { requireInteger } from './validate.js';

/** Sohl-Dickstein's signed convergence measure over a grid. */
export interface SohlMeasure {
  /** Per pixel: −Σ_t v_t if converged, else Σ_t 1/v_t (its sign marks the converge/diverge boundary). */
  readonly measure: Float64Array;
  /** 1 where the mean of v over the last `window` steps is < 1. */
  readonly converged: Uint8Array;
}

/**
 * The convergence measure of Sohl-Dickstein's "boundary of neural network trainability is fractal"
 * notebook [CODE, spec §c], on a scalar–vector region: run exactly `maxSteps` steps, record the losses
 * ℓ_t (t = 1..T), replace non-finite ones by 1e6, set v_t = min(ℓ_t/ℓ_0, 1e6); a start "converged" iff
 * the mean of v over the last `window` (20) steps is < 1; the pixel value is −Σv if converged, else Σ1/v.
 * Feed `measure` to {@link sohlBoxCountingDimension}. Deviations, for finite outputs: iteration stops
 * once ‖θ‖ > `divergenceBound` (v is then clipped at 1e6 for every remaining step, as the overflowing
 * losses would be), and ℓ_0 and v (in 1/v) are floored at 1e-300, so an exact zero loss gives no ∞.
 *
 * @example
 * ```ts
 * const m = sohlConvergenceMeasure({ y: 0.5, lambda: 0.2, eta: 1, grid: squareGrid(4, 32), maxSteps: 100 });
 * m.measure.some((v) => v < 0) && m.measure.some((v) => v > 0);
 * // true
 * ```
 */
export function sohlConvergenceMeasure(cfg: ScalarVectorRegionConfig, options: { window?: number } = {}): SohlMeasure {
  const where = 'sohlConvergenceMeasure';
  assertKnownKeys(options, ['window'], where, 'options');
  const plan = planScalarVectorRegion(cfg, where);
  const T = plan.options.maxSteps;
  const window = requireInteger(options.window ?? 20, 1, where, 'window');
  if (window > T) throw new DescentError('INVALID_CONFIG', where, `window ${window} exceeds maxSteps ${T}`);
  const n = plan.grid.n1 * plan.grid.n2;
  const x = new Float64Array(n);
  const z = new Float64Array(n);
  fillScalarStarts(plan, x, z);
  const { eta, y, lambda: lam } = plan;
  const bound2 = plan.options.divergenceBound ** 2;
  const measure = new Float64Array(n);
  const converged = new Uint8Array(n);
  for (let p = 0; p < n; p++) {
    let u = x[p]!;
    let v = z[p]!;
    const r0 = u * v - y;
    const l0 = Math.max(0.5 * r0 * r0 + 0.5 * lam * (u * u + v * v), 1e-300);
    let sum = 0;
    let inv = 0;
    let tail = 0;
    let t = 1;
    for (; t <= T; t++) {
      const r = u * v - y;
      const gu = r * v + lam * u;
      const gv = r * u + lam * v;
      u = u - eta * gu;
      v = v - eta * gv;
      if (!(u * u + v * v <= bound2)) break;
      const rr = u * v - y;
      let l = 0.5 * rr * rr + 0.5 * lam * (u * u + v * v);
      if (!Number.isFinite(l)) l = 1e6;
      const ratio = Math.min(l / l0, 1e6);
      sum += ratio;
      inv += 1 / Math.max(ratio, 1e-300);
      if (t > T - window) tail += ratio;
    }
    // Diverged at step t: every remaining v is 1e6.
    for (; t <= T; t++) {
      sum += 1e6;
      inv += 1e-6;
      if (t > T - window) tail += 1e6;
    }
    const ok = tail / window < 1;
    converged[p] = ok ? 1 : 0;
    measure[p] = ok ? -sum : inv;
  }
  return { measure, converged };
}
