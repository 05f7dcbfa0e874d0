import { assertArrayLike, assertKnownKeys, configKeys, DescentError } from '@descent/linalg';
import { assertDistortion } from './check-distortion.js';
import { checkFiniteResult, checkFiniteScalar, checkFiniteVector, checkReturns } from './check-args.js';
import type { Distortion } from './distortion.js';
import type { Convention } from './lstatistic.js';
import { normalCdf, normalPdf } from './normal.js';
import { integrate, probitKinks, probitRange } from './quadrature.js';

/**
 * The Gaussian coefficient c_g = ρ_g(Z), Z ~ N(0,1), by composite Gauss–Legendre on the Choquet form
 * c_g = ∫_0^∞ g(Φ̄(x)) dx − ∫_{−∞}^0 g̃(Φ(x)) dx, with panel edges at the probits of the distortion's
 * kinks and jumps (accurate to ~1e−12 for the built-in distortions; checked against SciPy `quad`).
 * Closed forms: VaR_α → Φ^{-1}(α), CVaR_α → φ(Φ^{-1}(α))/(1−α), Wang λ → λ.
 *
 * @example
 * ```ts
 * +gaussianCoefficient(expectedShortfall(0.9)).toFixed(12); // φ(z₀.₉)/0.1
 * // 1.754983319325
 * ```
 */
export function gaussianCoefficient(d: Distortion): number {
  assertDistortion(d, 'gaussianCoefficient');
  const L = probitRange(d);
  const kinks = probitKinks(d);
  const upper = integrate((x) => d.g(normalCdf(-x)), 0, L, kinks);
  const lower = integrate((x) => d.gTilde(normalCdf(x)), -L, 0, kinks);
  return upper - lower;
}

function checkScalar(v: number, where: string, what: string): void {
  if (!Number.isFinite(v)) throw new DescentError('NON_FINITE', where, `${what} is ${v}`);
}

/**
 * ρ_g of N(mean, sd²) in closed form: mean + sd·c_g (translation invariance and positive
 * homogeneity). `'reward'` convention: mean − sd·c_g̃ where ρ^rew(Y) = −ρ(−Y).
 *
 * @example
 * ```ts
 * drmOfGaussian(1, 2, wangTransform(0.5));
 * // 2
 * ```
 */
export function drmOfGaussian(mean: number, sd: number, d: Distortion, options: { convention?: Convention } = {}): number {
  assertDistortion(d, 'drmOfGaussian');
  assertKnownKeys(options, ['convention'], 'drmOfGaussian', 'options');
  checkScalar(mean, 'drmOfGaussian', 'mean');
  checkScalar(sd, 'drmOfGaussian', 'sd');
  if (sd < 0) throw new DescentError('DOMAIN', 'drmOfGaussian', `sd must be >= 0, got ${sd}`);
  const c = sd === 0 ? 0 : gaussianCoefficient(d);
  // −Y ~ N(−mean, sd²), so ρ^rew(Y) = −(−mean + sd c_g) = mean − sd c_g.
  return options.convention === 'reward' ? mean - sd * c : mean + sd * c;
}

/** A linear portfolio of jointly Gaussian returns R ~ N(mean, cov); the loss is X = −wᵀR. */
export interface GaussianReturns {
  /** Mean returns, length p. */
  readonly mean: Float64Array;
  /** Covariance, p×p row-major, symmetric positive semidefinite. */
  readonly cov: Float64Array;
}

function portfolioMoments(w: Float64Array, r: GaussianReturns, where: string): { mu: number; s: number; sigmaW: Float64Array } {
  checkReturns(r, where);
  const p = r.mean.length;
  checkFiniteVector(w, where, 'w');
  if (w.length !== p) throw new DescentError('SHAPE_MISMATCH', where, `w has length ${w.length}, returns.mean ${p}`);
  let mu = 0;
  const sigmaW = new Float64Array(p);
  for (let i = 0; i < p; i++) {
    mu -= w[i]! * r.mean[i]!;
    let acc = 0;
    for (let j = 0; j < p; j++) acc += r.cov[i * p + j]! * w[j]!;
    sigmaW[i] = acc;
  }
  let v = 0;
  for (let i = 0; i < p; i++) v += w[i]! * sigmaW[i]!;
  checkFiniteScalar(mu, where, 'the portfolio mean −wᵀm');
  checkFiniteScalar(v, where, 'the portfolio variance wᵀΣw');
  if (!(v >= -1e-12)) throw new DescentError('DOMAIN', where, `wᵀΣw = ${v} < 0: cov is not positive semidefinite`);
  return { mu, s: Math.sqrt(Math.max(0, v)), sigmaW };
}

/** The coefficient c_g: given (finite), or computed from d. */
function coefficient(d: Distortion, c: number | undefined, where: string): number {
  assertDistortion(d, where);
  if (c === undefined) return gaussianCoefficient(d);
  if (typeof c !== 'number' || !Number.isFinite(c)) throw new DescentError('NON_FINITE', where, `c must be a finite number (the Gaussian coefficient of d), got ${String(c)}`);
  return c;
}

/**
 * ρ_g of the portfolio loss X = −wᵀR with R ~ N(mean, cov): −wᵀm + c_g·√(wᵀΣw), convex in w when c_g ≥ 0.
 * Pass `c` (= {@link gaussianCoefficient}) to skip the quadrature in a loop.
 *
 * @example
 * ```ts
 * +drmOfLinearGaussian(new Float64Array([1]), { mean: new Float64Array([1]), cov: new Float64Array([4]) }, wangTransform(1)).toFixed(12);
 * // 1
 * ```
 */
export function drmOfLinearGaussian(w: Float64Array, returns: GaussianReturns, d: Distortion, c?: number): number {
  const where = 'drmOfLinearGaussian';
  const { mu, s } = portfolioMoments(w, returns, where);
  return checkFiniteScalar(mu + coefficient(d, c, where) * s, where, 'ρ');
}

/**
 * The gradient in w of {@link drmOfLinearGaussian}: −m + c_g·Σw/√(wᵀΣw) (DOMAIN error where wᵀΣw = 0).
 *
 * @example
 * ```ts
 * Math.abs(drmOfLinearGaussianGradient(new Float64Array([2]), { mean: new Float64Array([1]), cov: new Float64Array([1]) }, wangTransform(1))[0]) < 1e-12;
 * // true
 * ```
 */
export function drmOfLinearGaussianGradient(w: Float64Array, returns: GaussianReturns, d: Distortion, c?: number): Float64Array {
  const where = 'drmOfLinearGaussianGradient';
  const { s, sigmaW } = portfolioMoments(w, returns, where);
  const cg = coefficient(d, c, where);
  if (!(s > 0)) throw new DescentError('DOMAIN', where, 'wᵀΣw = 0: the risk term is not differentiable');
  const g = new Float64Array(w.length);
  for (let i = 0; i < w.length; i++) g[i] = -returns.mean[i]! + (cg * sigmaW[i]!) / s;
  checkFiniteResult(g, where, 'the gradient');
  return g;
}

/** Options of {@link drmOfQuantileFunction}. */
export interface QuantileRuleOptions {
  /**
   * `'probit'` (default): Gauss–Legendre in t with u = Φ(t) over the distortion's range, panel edges at
   * its kinks, plus Σ mass_j·q(p_j) for the jumps. `'grid'`: the paper code's rule on `levels` uniform
   * levels in [1e−6, 1 − 1e−6], Σ ½(q(z_i) + q(z_{i+1}))·(g̃(z_{i+1}) − g̃(z_i)).
   */
  rule?: 'probit' | 'grid';
  /**
   * The quantile near 1 as a function of the survival level s: (s) ↦ q(1 − s). Needed by `'probit'`
   * when the distortion weights levels so close to 1 that they round (e.g. PH, Wang); otherwise the
   * upper range stops at Φ(8.1) and NOT_CONVERGED is thrown if more than 1e−10 of dg̃ lies above it.
   */
  upperTail?: (s: number) => number;
  /** Levels of the `'grid'` rule (default 1025, as the code). */
  levels?: number;
}

/**
 * ρ_g = ∫_0^1 q(u) dg̃(u) of the law with quantile function q (left-continuous, non-decreasing).
 *
 * @example
 * ```ts
 * +drmOfQuantileFunction((u) => u, expectedShortfall(0.5)).toFixed(12);
 * // 0.75
 * ```
 */
export function drmOfQuantileFunction(q: (u: number) => number, d: Distortion, options: QuantileRuleOptions = {}): number {
  assertDistortion(d, 'drmOfQuantileFunction');
  assertKnownKeys(options, configKeys<QuantileRuleOptions>()('rule', 'upperTail', 'levels'), 'drmOfQuantileFunction', 'options');
  let total: number;
  if ((options.rule ?? 'probit') === 'grid') {
    const m = options.levels ?? 1025;
    if (!Number.isInteger(m) || m < 2) throw new DescentError('INVALID_CONFIG', 'drmOfQuantileFunction', `levels must be an integer >= 2, got ${m}`);
    total = 0;
    let u0 = 1e-6;
    let q0 = q(u0);
    let g0 = d.gTilde(u0);
    for (let i = 1; i < m; i++) {
      const u1 = 1e-6 + ((1 - 2e-6) * i) / (m - 1);
      const q1 = q(u1);
      const g1 = d.gTilde(u1);
      total += 0.5 * (q0 + q1) * (g1 - g0);
      u0 = u1;
      q0 = q1;
      g0 = g1;
    }
  } else {
    const L = probitRange(d);
    const kinks = probitKinks(d);
    const dens = (u: number, t: number) => d.gTildePrime(u) * normalPdf(t);
    total = integrate((t) => {
      const u = normalCdf(t);
      const w = dens(u, t);
      return w === 0 ? 0 : q(u) * w;
    }, -L, 0, kinks);
    const upper = options.upperTail;
    if (upper) {
      // u = 1 − s with s = Φ̄(t) carried exactly, so the upper tail is resolved far beyond 1 − 2^-53.
      total += integrate((t) => {
        const sv = normalCdf(-t);
        const w = d.gPrime(sv) * normalPdf(t);
        return w === 0 ? 0 : upper(sv) * w;
      }, 0, L, kinks);
    } else {
      // Levels above Φ(8.1) round to 1 in double precision; what dg̃ puts there is the truncation.
      const T = Math.min(L, 8.1);
      const lost = 1 - d.gTilde(normalCdf(T));
      if (lost > 1e-10) {
        throw new DescentError('NOT_CONVERGED', 'drmOfQuantileFunction', `${d.name} puts ${lost} of its weight above level Φ(8.1); pass options.upperTail = (s) => q(1 − s)`);
      }
      total += integrate((t) => {
        const u = normalCdf(t);
        const w = dens(u, t);
        return w === 0 ? 0 : q(u) * w;
      }, 0, T, kinks);
    }
    for (const j of d.jumps) total += j.mass * q(j.u);
  }
  if (!Number.isFinite(total)) throw new DescentError('NON_FINITE', 'drmOfQuantileFunction', `the quantile function gave ${total}`);
  return total;
}

/**
 * The empirical quantile with linear interpolation between order statistics (NumPy's default,
 * Hyndman–Fan type 7) of an ascending-sorted sample at level u ∈ [0, 1].
 *
 * @example
 * ```ts
 * empiricalQuantile(new Float64Array([0, 1, 2, 3]), 0.5);
 * // 1.5
 * ```
 */
export function empiricalQuantile(sorted: ArrayLike<number>, u: number): number {
  assertArrayLike(sorted, 'empiricalQuantile', 'sorted');
  const n = sorted.length;
  if (n === 0) throw new DescentError('SHAPE_MISMATCH', 'empiricalQuantile', 'empty sample');
  if (!(u >= 0 && u <= 1)) throw new DescentError('DOMAIN', 'empiricalQuantile', `level must be in [0, 1], got ${u}`);
  const h = (n - 1) * u;
  const lo = Math.floor(h);
  const hi = Math.min(n - 1, lo + 1);
  return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!);
}

