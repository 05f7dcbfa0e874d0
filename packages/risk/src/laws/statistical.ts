import { key, normal, uniform } from '@descent/linalg';
import fc from 'fast-check';
import type { Distortion } from '../distortion.js';
import { drm } from '../lstatistic.js';
import { normalPpf } from '../normal.js';
import { quantileTracker } from '../tracker.js';

/**
 * Consistency of the L-statistic: on n N(μ, σ²) draws (seed from fast-check), |ρ̂ − (μ + σc_g)| ≤
 * 5·sd₁·σ·√(10⁴/n), where sd₁ is the standard deviation of ρ̂ at n = 10⁴ on N(0,1) (measured, spec §h).
 * A 5-s.e. band: a false failure has probability < 6e−7 per run.
 *
 * @example
 * ```ts
 * fc.check(lstatConvergenceLaw(expectedShortfall(0.9), 1.7549833193248691, 0.0203, 1e5), { numRuns: 3 }).failed;
 * // false
 * ```
 */
export function lstatConvergenceLaw(d: Distortion, c: number, sd1: number, n: number) {
  return fc.property(fc.integer({ min: 0, max: 2 ** 31 - 1 }), fc.double({ min: -5, max: 5, noNaN: true }), fc.double({ min: 0.1, max: 3, noNaN: true }), (seed, mu, sigma) => {
    const x = normal(key(seed), n, mu, sigma);
    const tol = 5 * sd1 * sigma * Math.sqrt(1e4 / n);
    return Math.abs(drm(x, d, { check: false }) - (mu + sigma * c)) <= tol;
  });
}

/**
 * Quantile tracking converges to the true quantiles of a fixed law: N(0,1) or U(0,1), levels
 * z_i = i/(M+2), M = 100, batch n = 10, β_k = (50/(50+k))^{0.71}, warm start at the empirical quantiles
 * of M + 3 draws, K steps. After K = 10⁵ steps the max error over levels in [0.05, 0.95] is below
 * `tol` (spec §h.11: worst of 20 seeds 0.041 for N(0,1); use tol = 0.1).
 *
 * @example
 * ```ts
 * fc.check(quantileTrackingLaw('uniform', 20000, 0.1), { numRuns: 2 }).failed;
 * // false
 * ```
 */
export function quantileTrackingLaw(law: 'normal' | 'uniform', K: number, tol: number) {
  return fc.property(fc.integer({ min: 0, max: 2 ** 31 - 1 }), (seed) => {
    const M = 100;
    const levels = new Float64Array(M + 1).map((_, i) => (i + 1) / (M + 2));
    const truth = (u: number) => (law === 'normal' ? normalPpf(u) : u);
    const draw = (k: number, n: number) => (law === 'normal' ? normal(key(seed + 7919 * k), n) : uniform(key(seed + 7919 * k), n));
    const warm = Float64Array.from(draw(0, M + 3)).sort();
    const q0 = levels.map((u) => warm[Math.min(M + 2, Math.floor(u * (M + 3)))]!);
    let s = quantileTracker.init({ levels, schedule: { a: 1, b: 50, c: 0.71 } }, q0);
    let spare = quantileTracker.step(s, draw(1, 10));
    [s, spare] = [spare, s];
    for (let k = 2; k <= K; k++) {
      const next = quantileTracker.stepInto(s, draw(k, 10), spare);
      spare = s;
      s = next;
    }
    let worst = 0;
    for (let i = 0; i <= M; i++) {
      const u = levels[i]!;
      if (u >= 0.05 && u <= 0.95) worst = Math.max(worst, Math.abs(s.x[i]! - truth(u)));
    }
    return worst < tol;
  });
}
