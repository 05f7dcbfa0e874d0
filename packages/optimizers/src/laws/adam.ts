import fc from 'fast-check';
import { adam } from '../adam.js';
import { fail } from './matrices.js';

const betaPairs = fc.constantFrom<[number, number]>([0.9, 0.999], [0.9, 0.99], [0.5, 0.9], [0, 0.5], [0.99, 0.999], [0.9, 0.9], [0.3, 0.99], [0.9, 0.95]);
// Entries 0 or at least 1e-100 in magnitude: (1−β2)·g² must not underflow.
const entry = fc.oneof(fc.constant(0), fc.double({ min: -100, max: 100, noNaN: true }).filter((v) => Math.abs(v) >= 1e-100));

/**
 * √C_t, the tight bound on Adam's step |Δ_t|/α (ε → 0) after t steps from zero moments:
 * C_t = (1−β1)²(1−β2ᵗ) / ((1−β1ᵗ)²(1−β2)) · Σ_{k<t} (β1²/β2)^k. By Cauchy–Schwarz,
 * m̂² = (Σ w_k g_k)² ≤ (Σ w_k²/u_k)(Σ u_k g_k²) = C_t·v̂ with w_k, u_k the bias-corrected EMA weights;
 * equality when g_{t−k} ∝ (β1/β2)^k, i.e. gradients growing by the factor β2/β1 per step.
 *
 * @example
 * ```ts
 * import { adamStepBoundFactor } from '@descent/optimizers/laws';
 * adamStepBoundFactor(0.9, 0.999, 1);
 * // 1
 * ```
 */
export function adamStepBoundFactor(beta1: number, beta2: number, t: number): number {
  let sum = 0;
  const r = beta2 === 0 ? (beta1 === 0 ? 0 : Infinity) : (beta1 * beta1) / beta2;
  for (let k = 0; k < t; k++) sum += r ** k;
  return Math.sqrt(((1 - beta1) ** 2 * (1 - beta2 ** t)) / ((1 - beta1 ** t) ** 2 * (1 - beta2)) * sum);
}

/**
 * Law (Adam fact behind spec §1(b)): with a gradient that has been constant since the moments were
 * zero, m̂ = g and v̂ = g² exactly, so every step moves each coordinate by α·|g|/(|g| + ε), whatever
 * |g| is. Tolerance 1e-12 relative (a rounding per recurrence step, ≤ 60 steps).
 *
 * @example
 * ```ts
 * import fc from 'fast-check';
 * import { adamConstantGradientStep } from '@descent/optimizers/laws';
 * fc.check(adamConstantGradientStep(), { numRuns: 20 }).failed;
 * // false
 * ```
 */
export function adamConstantGradientStep() {
  return fc.property(betaPairs, fc.double({ min: 1e-4, max: 1, noNaN: true }), fc.array(entry, { minLength: 1, maxLength: 5 }), fc.integer({ min: 1, max: 60 }), ([b1, b2], lr, g0, steps) => {
    const g = Float64Array.from(g0);
    let s = adam.init({ lr, betas: [b1, b2] }, new Float64Array(g.length));
    for (let t = 1; t <= steps; t++) {
      const prev = s.x;
      s = adam.step(s, g);
      for (let i = 0; i < g.length; i++) {
        const want = (lr * Math.abs(g[i]!)) / (Math.abs(g[i]!) + 1e-8);
        const got = Math.abs(s.x[i]! - prev[i]!);
        if (Math.abs(got - want) > 1e-12 * want + 4 * 2 ** -52 * Math.abs(prev[i]!)) fail(`step ${t}: |Δ| = ${got}, expected ${want}`);
      }
    }
  });
}

/**
 * Law (Adam's step bound, tight form): for every gradient sequence, |Δ_t| ≤ α·√C_t with C_t from
 * {@link adamStepBoundFactor} (Cauchy–Schwarz on the bias-corrected moments; ε only shrinks the step).
 * Note that the often-quoted bound α·max(1, (1−β1)/√(1−β2)) (Kingma & Ba §2.1, repeated in spec §1(b))
 * is not a worst case: gradients growing by β2/β1 per step exceed it (tests: 6.8α > 3.16α with the
 * default betas). Tolerance 1e-9 relative, plus a few ulps of |x|.
 *
 * @example
 * ```ts
 * import fc from 'fast-check';
 * import { adamStepBound } from '@descent/optimizers/laws';
 * fc.check(adamStepBound(), { numRuns: 20 }).failed;
 * // false
 * ```
 */
export function adamStepBound() {
  return fc.property(betaPairs, fc.array(entry, { minLength: 1, maxLength: 80 }), ([b1, b2], gs) => {
    let s = adam.init({ lr: 1, betas: [b1, b2] }, new Float64Array(1));
    for (let t = 1; t <= gs.length; t++) {
      const x = s.x[0]!;
      s = adam.step(s, new Float64Array([gs[t - 1]!]));
      const d = Math.abs(s.x[0]! - x);
      const bound = adamStepBoundFactor(b1, b2, t);
      if (d > bound * (1 + 1e-9) + 4 * 2 ** -52 * Math.abs(x)) fail(`step ${t}: |Δ| = ${d} > √C_t = ${bound}`);
    }
  });
}
