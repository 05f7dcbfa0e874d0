import fc from 'fast-check';
import type { Distortion } from '../distortion.js';
import { valueAtRisk } from '../distortion.js';
import { drm, drmWeights } from '../lstatistic.js';

const value = fc.double({ min: -1e3, max: 1e3, noNaN: true, noDefaultInfinity: true });
const sampleArb = (maxLength = 40) => fc.array(value, { minLength: 1, maxLength });

function scaleOf(...xs: ArrayLike<number>[]): number {
  let m = 1;
  for (const x of xs) for (let i = 0; i < x.length; i++) m = Math.max(m, Math.abs(x[i]!));
  return m;
}

/**
 * Weights: the L-statistic weights of n samples sum to 1 (|Σ − 1| ≤ 1e−12) and are ≥ −1e−15.
 *
 * @example
 * ```ts
 * fc.check(weightsLaw(expectedShortfall(0.9))).failed;
 * // false
 * ```
 */
export function weightsLaw(d: Distortion) {
  return fc.property(fc.integer({ min: 1, max: 2000 }), (n) => {
    const w = drmWeights(n, d);
    let s = 0;
    for (let i = 0; i < n; i++) {
      if (w[i]! < -1e-15) return false;
      s += w[i]!;
    }
    return Math.abs(s - 1) <= 1e-12;
  });
}

/**
 * Monotonicity: X ≤ Y pointwise (same index) ⇒ ρ̂(X) ≤ ρ̂(Y), to 1e−12 × max|·|.
 *
 * @example
 * ```ts
 * fc.check(monotonicityLaw(wangTransform(0.5))).failed;
 * // false
 * ```
 */
export function monotonicityLaw(d: Distortion) {
  return fc.property(
    sampleArb().chain((x) => fc.tuple(fc.constant(x), fc.array(fc.double({ min: 0, max: 100, noNaN: true }), { minLength: x.length, maxLength: x.length }))),
    ([x, dx]) => {
      const y = x.map((v, i) => v + dx[i]!);
      return drm(x, d) <= drm(y, d) + 1e-12 * scaleOf(x, y);
    },
  );
}

/**
 * Translation invariance: ρ̂(X + c) = ρ̂(X) + c, to 1e−12 × scale.
 *
 * @example
 * ```ts
 * fc.check(translationLaw(gini(0.5))).failed;
 * // false
 * ```
 */
export function translationLaw(d: Distortion) {
  return fc.property(sampleArb(), value, (x, c) => {
    const lhs = drm(x.map((v) => v + c), d);
    return Math.abs(lhs - (drm(x, d) + c)) <= 1e-12 * 4 * scaleOf(x, [c]);
  });
}

/**
 * Positive homogeneity: ρ̂(λX) = λρ̂(X) for λ ≥ 0, to 1e−12 × scale.
 *
 * @example
 * ```ts
 * fc.check(homogeneityLaw(dualPower(2))).failed;
 * // false
 * ```
 */
export function homogeneityLaw(d: Distortion) {
  return fc.property(sampleArb(), fc.double({ min: 0, max: 100, noNaN: true }), (x, lam) => {
    const lhs = drm(x.map((v) => lam * v), d);
    return Math.abs(lhs - lam * drm(x, d)) <= 1e-12 * 4 * Math.max(1, lam) * scaleOf(x);
  });
}

/**
 * Subadditivity for concave g (coherence): ρ̂(X + Y) ≤ ρ̂(X) + ρ̂(Y) for arbitrary paired samples —
 * exact for the empirical measure (Wirch–Hardy); tolerance 1e−12 × scale. Holds only when
 * `d.isConcave`; see {@link varCounterexampleLaw} for VaR.
 *
 * @example
 * ```ts
 * fc.check(subadditivityLaw(expectedShortfall(0.9))).failed;
 * // false
 * ```
 */
export function subadditivityLaw(d: Distortion) {
  return fc.property(
    sampleArb().chain((x) => fc.tuple(fc.constant(x), fc.array(value, { minLength: x.length, maxLength: x.length }))),
    ([x, y]) => {
      const s = x.map((v, i) => v + y[i]!);
      return drm(s, d) <= drm(x, d) + drm(y, d) + 1e-12 * 8 * scaleOf(x, y);
    },
  );
}

/**
 * Comonotonic additivity: for non-decreasing f, h of a common U, ρ̂(f(U) + h(U)) = ρ̂(f(U)) + ρ̂(h(U))
 * (the sort order is shared), to 1e−12 × scale.
 *
 * @example
 * ```ts
 * fc.check(comonotonicAdditivityLaw(proportionalHazard(2))).failed;
 * // false
 * ```
 */
export function comonotonicAdditivityLaw(d: Distortion) {
  return fc.property(
    fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 40 }),
    fc.double({ min: 0.1, max: 5, noNaN: true }),
    fc.double({ min: -3, max: 3, noNaN: true }),
    (u, a, b) => {
      const f = u.map((v) => a * v * v * v + b);
      const h = u.map((v) => Math.exp(2 * v) + (v > 0.5 ? 1 : 0));
      const s = u.map((_, i) => f[i]! + h[i]!);
      return Math.abs(drm(s, d) - drm(f, d) - drm(h, d)) <= 1e-12 * 8 * scaleOf(f, h, s);
    },
  );
}

/**
 * Reward/loss duality: drm(y, 'reward') = −drm(−y, 'loss') exactly (bit for bit).
 *
 * @example
 * ```ts
 * fc.check(dualityLaw(lookback(0.5))).failed;
 * // false
 * ```
 */
export function dualityLaw(d: Distortion) {
  return fc.property(sampleArb(), (y) => drm(y, d, { convention: 'reward' }) === -drm(y.map((v) => -v), d));
}

/**
 * VaR is not subadditive: with two iid losses L = 100·Bernoulli(p) and (1 − p)² < α ≤ 1 − p,
 * VaR_α(L) = 0 but VaR_α(L₁ + L₂) ≥ 100 (P(L₁ + L₂ > 0) = 1 − (1−p)² > 1 − α). The laws are the exact
 * discrete distributions written as 10⁴ equally weighted atoms, so the check is deterministic.
 *
 * @example
 * ```ts
 * fc.check(varCounterexampleLaw()).failed;
 * // false
 * ```
 */
export function varCounterexampleLaw() {
  return fc.property(fc.integer({ min: 1, max: 30 }), fc.double({ min: 0.01, max: 0.99, noNaN: true }), (pc, t) => {
    const p = pc / 100;
    const lo = (1 - p) ** 2;
    const hi = 1 - p;
    const alpha = lo + t * (hi - lo);
    if (!(alpha > lo + 1e-9 && alpha <= hi - 1e-9)) return true;
    const n = 10000;
    const single = new Float64Array(n);
    const nOnes = Math.round(n * p);
    for (let i = 0; i < nOnes; i++) single[i] = 100;
    const sum = new Float64Array(n);
    const n200 = Math.round(n * p * p);
    const n100 = Math.round(n * 2 * p * (1 - p));
    for (let i = 0; i < n200; i++) sum[i] = 200;
    for (let i = n200; i < n200 + n100; i++) sum[i] = 100;
    const v = valueAtRisk(alpha);
    return drm(single, v) === 0 && drm(sum, v) >= 100 && drm(sum, v) > 2 * drm(single, v);
  });
}
