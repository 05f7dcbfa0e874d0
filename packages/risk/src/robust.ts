import { assertSize, assertVector, DescentError, describeValue, normalInto, uniformInto, split, type Key } from '@descent/linalg';
import { assertDistortion } from './check-distortion.js';
import { checkDrawBuffers, checkFiniteResult, checkFiniteScalar, checkFunction, checkKey, checkMixtureLaw } from './check-args.js';
import {
  discontinuousDistortion,
  expectedShortfall,
  sShape,
  wangTransform,
  type Distortion,
} from './distortion.js';
import type { DrmModel } from './model.js';
import { normalCdf, normalPdf } from './normal.js';
import { boxSet, type Projection } from './projection.js';
import type { Schedules } from './schedule.js';

// Levels of quantileDistance: each costs a safeguarded Newton solve over K components.
const MAX_DISTANCE_LEVELS = 1e6;

/** A Gaussian mixture Σ π_k N(μ_k, σ_k²) as plain arrays. */
export interface MixtureLaw {
  readonly mu: Float64Array;
  readonly sigma: Float64Array;
  readonly pi: Float64Array;
}

function checkTheta(theta: Float64Array, where: string): number {
  assertVector(theta, where, 'θ');
  if (theta.length === 0 || theta.length % 3 !== 0) throw new DescentError('SHAPE_MISMATCH', where, `θ must hold 3K numbers (raw μ, raw log σ, raw logits), got ${theta.length}`);
  for (let i = 0; i < theta.length; i++) if (theta[i]! - theta[i]! !== 0) throw new DescentError('NON_FINITE', where, `θ[${i}] is ${theta[i]}`);
  return theta.length / 3;
}

/**
 * The paper code's mixture parametrisation [CODE `MixGaussian.preprocess`]: θ = (raw μ, raw log σ,
 * raw logits) ∈ R^{3K}; π = softmax(logits), σ = e^{raw log σ}, and the law is shifted and scaled to mean 0,
 * variance 1: μ = (raw μ − Σπ raw μ)/s, σ ← σ/s, s = √(Σπ(σ² + (raw μ − Σπ raw μ)²)).
 *
 * @example
 * ```ts
 * const law = normalizedMixture(new Float64Array([-1, 1, 0, 0, 0, 0]));
 * law.mu[1];
 * // 0.7071067811865475
 * ```
 */
export function normalizedMixture(theta: Float64Array): MixtureLaw {
  const K = checkTheta(theta, 'normalizedMixture');
  const { mu, sigma, pi } = rawParts(theta, K);
  return { mu, sigma, pi };
}

function rawParts(theta: Float64Array, K: number) {
  let vmax = -Infinity;
  for (let k = 0; k < K; k++) vmax = Math.max(vmax, theta[2 * K + k]!);
  const pi = new Float64Array(K);
  let z = 0;
  for (let k = 0; k < K; k++) z += pi[k] = Math.exp(theta[2 * K + k]! - vmax);
  let mbar = 0;
  for (let k = 0; k < K; k++) {
    pi[k] /= z;
    mbar += pi[k]! * theta[k]!;
  }
  const muC = new Float64Array(K);
  const sigR = new Float64Array(K);
  let s2 = 0;
  for (let k = 0; k < K; k++) {
    muC[k] = theta[k]! - mbar;
    sigR[k] = Math.exp(theta[K + k]!);
    s2 += pi[k]! * (sigR[k]! ** 2 + muC[k]! ** 2);
  }
  const s = Math.sqrt(s2);
  return { pi, muC, sigR, s, s2, mu: muC.map((v) => v / s), sigma: sigR.map((v) => v / s) };
}

/**
 * CDF of a Gaussian mixture at x.
 *
 * @example
 * ```ts
 * mixtureCdf({ mu: new Float64Array([0]), sigma: new Float64Array([1]), pi: new Float64Array([1]) }, 0);
 * // 0.5
 * ```
 */
export function mixtureCdf(law: MixtureLaw, x: number): number {
  checkMixtureLaw(law, 'mixtureCdf');
  checkPoint(x, 'mixtureCdf');
  return cdf(law, x);
}

function cdf(law: MixtureLaw, x: number): number {
  let c = 0;
  for (let k = 0; k < law.pi.length; k++) c += law.pi[k]! * normalCdf((x - law.mu[k]!) / law.sigma[k]!);
  return c;
}

/** `DOMAIN` unless x is a number other than NaN (±Infinity are the ends of the line). */
function checkPoint(x: number, where: string): void {
  if (typeof x !== 'number' || Number.isNaN(x)) throw new DescentError('DOMAIN', where, `x must be a number, got ${describeValue(x)}`);
}

/**
 * Density of a Gaussian mixture at x.
 *
 * @example
 * ```ts
 * mixturePdf({ mu: new Float64Array([0]), sigma: new Float64Array([2]), pi: new Float64Array([1]) }, 0);
 * // 0.19947114020071635
 * ```
 */
export function mixturePdf(law: MixtureLaw, x: number): number {
  checkMixtureLaw(law, 'mixturePdf');
  checkPoint(x, 'mixturePdf');
  // A σ so small that φ/σ overflows is a density no double can hold.
  return checkFiniteScalar(pdf(law, x), 'mixturePdf', 'the density');
}

function pdf(law: MixtureLaw, x: number): number {
  let f = 0;
  for (let k = 0; k < law.pi.length; k++) {
    const t = (x - law.mu[k]!) / law.sigma[k]!;
    // φ(±∞) = 0 (and ∞·0 would be NaN for x = ±Infinity).
    if (t - t === 0) f += (law.pi[k]! * normalPdf(t)) / law.sigma[k]!;
  }
  return f;
}

/**
 * Quantile of a Gaussian mixture at u ∈ (0,1) by safeguarded Newton–bisection to |Δx| ≤ 1e−13·(1+|x|)
 * (the code bisects on [−100, 100] to |F − u| < 1e−6).
 *
 * @example
 * ```ts
 * +mixturePpf({ mu: new Float64Array([0]), sigma: new Float64Array([1]), pi: new Float64Array([1]) }, 0.975).toFixed(12);
 * // 1.95996398454
 * ```
 */
export function mixturePpf(law: MixtureLaw, u: number): number {
  checkMixtureLaw(law, 'mixturePpf');
  if (typeof u !== 'number' || !(u > 0 && u < 1)) throw new DescentError('DOMAIN', 'mixturePpf', `level must be in (0, 1), got ${describeValue(u)}`);
  const b = ppfBracket(law, 'mixturePpf');
  return ppf(law, u, b.lo, b.hi);
}

/** The bracket [min μ − 40σ, max μ + 40σ] of every quantile in (0, 1); DOMAIN when it overflows. */
function ppfBracket(law: MixtureLaw, where: string): { lo: number; hi: number } {
  let lo = Infinity;
  let hi = -Infinity;
  for (let k = 0; k < law.pi.length; k++) {
    lo = Math.min(lo, law.mu[k]! - 40 * law.sigma[k]!);
    hi = Math.max(hi, law.mu[k]! + 40 * law.sigma[k]!);
  }
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) throw new DescentError('DOMAIN', where, `the law spans [${lo}, ${hi}] over 40 standard deviations: its scale overflows`);
  return { lo, hi };
}

function ppf(law: MixtureLaw, u: number, lo: number, hi: number): number {
  let x = 0.5 * (lo + hi);
  for (let it = 0; it < 200; it++) {
    const F = cdf(law, x) - u;
    if (F > 0) hi = x;
    else lo = x;
    const f = pdf(law, x);
    let nx = f > 0 ? x - F / f : NaN;
    if (!(nx > lo && nx < hi)) nx = 0.5 * (lo + hi);
    if (Math.abs(nx - x) <= 1e-13 * (1 + Math.abs(x)) || hi - lo <= 1e-13 * (1 + Math.abs(x))) return nx;
    x = nx;
  }
  return x;
}

/**
 * The robust-portfolio model of the paper's experiment [CODE `MixGaussian`]: X ~ normalised K-component
 * Gaussian mixture with θ ∈ R^{3K} ({@link normalizedMixture}); ψ = ∇θ log p(X; θ) is the exact score
 * through the softmax and the normalisation (the code differentiates it by autodiff; derived here by
 * hand and checked against finite differences in the tests).
 *
 * @example
 * ```ts
 * robustMixtureModel(10).dim;
 * // 30
 * ```
 */
export function robustMixtureModel(K = 10): DrmModel {
  if (!Number.isInteger(K) || K < 1) throw new DescentError('INVALID_CONFIG', 'robustMixtureModel', `K must be an integer >= 1, got ${K}`);
  assertSize(3 * K, 'robustMixtureModel', '3K parameters');
  const dim = 3 * K;
  const cdf = new Float64Array(K);
  const resp = new Float64Array(K);
  const gMu = new Float64Array(K);
  return {
    dim,
    sampleInto(theta, key: Key, x, psi) {
      const at = 'robustMixtureModel.sampleInto';
      if (checkTheta(theta, at) !== K) throw new DescentError('SHAPE_MISMATCH', at, `θ has length ${theta.length}, expected ${dim}`);
      checkKey(key, at);
      const n = checkDrawBuffers(x, psi, dim, at);
      const { pi, muC, sigR, s, s2 } = rawParts(theta, K);
      if (!(s > 0 && s < Infinity)) throw new DescentError('NON_FINITE', at, `the mixture's scale is ${s}: θ's raw log σ overflow`);
      let acc = 0;
      for (let k = 0; k < K; k++) cdf[k] = acc += pi[k]!;
      const [k1, k2] = split(key);
      const u = uniformInto(k1!, new Float64Array(n));
      const e = normalInto(k2!, new Float64Array(n));
      for (let j = 0; j < n; j++) {
        let c = 0;
        while (c < K - 1 && u[j]! * acc >= cdf[c]!) c++;
        // y = s·x is the unnormalised coordinate.
        const y = muC[c]! + sigR[c]! * e[j]!;
        const xv = y / s;
        x[j] = xv;
        let ptil = 0;
        for (let k = 0; k < K; k++) {
          const t = (y - muC[k]!) / sigR[k]!;
          resp[k] = (pi[k]! * Math.exp(-0.5 * t * t)) / sigR[k]!;
          ptil += resp[k]!;
        }
        let dyLog = 0;
        let sumGMu = 0;
        for (let k = 0; k < K; k++) {
          resp[k] /= ptil;
          gMu[k] = (resp[k]! * (y - muC[k]!)) / (sigR[k]! * sigR[k]!);
          sumGMu += gMu[k]!;
        }
        dyLog = -sumGMu;
        const A = 1 / s + xv * dyLog;
        const row = j * dim;
        for (let k = 0; k < K; k++) {
          const d = y - muC[k]!;
          const sr = sigR[k]!;
          const gSigma = resp[k]! * ((d * d) / (sr * sr * sr) - 1 / sr);
          const ek = sr * sr + muC[k]! * muC[k]!;
          psi[row + k] = (A * pi[k]! * muC[k]!) / s + gMu[k]! - pi[k]! * sumGMu;
          psi[row + K + k] = (A * pi[k]! * sr * sr) / s + gSigma * sr;
          psi[row + 2 * K + k] = (A * pi[k]! * (ek - s2)) / (2 * s) - pi[k]! * muC[k]! * sumGMu + (resp[k]! - pi[k]!);
        }
      }
      checkFiniteResult(x, at, 'x');
      checkFiniteResult(psi, at, 'psi');
    },
  };
}

/**
 * Log-density of the normalised mixture at x as a function of θ (for checks of the score).
 *
 * @example
 * ```ts
 * mixtureLogPdf(new Float64Array([0, 0, 0]), 0); // −½ ln 2π
 * // -0.9189385332046727
 * ```
 */
export function mixtureLogPdf(theta: Float64Array, x: number): number {
  checkTheta(theta, 'mixtureLogPdf');
  checkPoint(x, 'mixtureLogPdf');
  return Math.log(pdf(normalizedMixture(theta), x));
}

/**
 * The supremum of ρ_g over all laws with mean 0 and variance 1, and the law attaining it
 * [CODE `real_solution`; Li 2018, Bernard–Pesenti–Vanduffel]: with ĝ the least concave majorant of g,
 * ρ* = √∫_0^1 (ĝ'(s) − 1)² ds and q*(u) = (ĝ'(1 − u) − 1)/ρ*. ĝ is the upper hull of g on a uniform grid
 * of `cells` cells (the code: 1000 points); ρ* for CVaR_α is √(α/(1−α)) exactly.
 *
 * @example
 * ```ts
 * +worstCaseDrm(expectedShortfall(0.7)).value.toFixed(9); // √(0.7/0.3)
 * // 1.527525232
 * ```
 */
export function worstCaseDrm(d: Distortion, cells = 200000): { value: number; quantile: (u: number) => number } {
  assertDistortion(d, 'worstCaseDrm');
  if (!Number.isInteger(cells) || cells < 2) throw new DescentError('INVALID_CONFIG', 'worstCaseDrm', `cells must be an integer >= 2, got ${cells}`);
  if (cells > 1e7) throw new DescentError('INVALID_CONFIG', 'worstCaseDrm', `cells must be at most 1e7, got ${cells}`);
  const hx: number[] = [];
  const hy: number[] = [];
  for (let i = 0; i <= cells; i++) {
    const x = i / cells;
    const y = d.g(x);
    while (hx.length >= 2) {
      const x0 = hx[hx.length - 2]!;
      const y0 = hy[hy.length - 2]!;
      const x1 = hx[hx.length - 1]!;
      const y1 = hy[hy.length - 1]!;
      if ((y - y0) * (x1 - x0) >= (y1 - y0) * (x - x0)) {
        hx.pop();
        hy.pop();
      } else break;
    }
    hx.push(x);
    hy.push(y);
  }
  const slopes = new Float64Array(hx.length - 1);
  let integral = 0;
  for (let i = 0; i + 1 < hx.length; i++) {
    slopes[i] = (hy[i + 1]! - hy[i]!) / (hx[i + 1]! - hx[i]!);
    integral += (hx[i + 1]! - hx[i]!) * (slopes[i]! - 1) ** 2;
  }
  const value = Math.sqrt(integral);
  const quantile = (u: number) => {
    const s = 1 - u;
    let lo = 0;
    let hi = slopes.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (hx[mid]! <= s) lo = mid;
      else hi = mid - 1;
    }
    return value === 0 ? 0 : (slopes[lo]! - 1) / value;
  };
  return { value, quantile };
}

/** The four distortion settings of the paper's robust-portfolio experiment. */
export type RobustSetting = 'cvar' | 'wang' | 'sshape' | 'discontinuous';

/** A ready SA problem: everything {@link runDrmSA} needs plus the known optimum. */
export interface RobustPortfolioProblem {
  readonly setting: RobustSetting;
  readonly distortion: Distortion;
  readonly model: DrmModel;
  readonly x0: Float64Array;
  readonly projection: Projection;
  readonly schedules: Schedules;
  readonly M: number;
  readonly gridPow: number;
  readonly batchSize: number;
  readonly iterations: number;
  readonly sense: 'max';
  readonly bandwidth: 'absolute';
  /** sup ρ over mean-0/variance-1 laws and the quantile function attaining it. */
  readonly optimum: { value: number; quantile: (u: number) => number };
}

/**
 * The paper's robust portfolio selection experiment as a ready problem [CODE `robust_portfolio/configs`]:
 * maximise ρ_g(X) over the normalised 10-component Gaussian mixture, θ boxed to [−2.5, 2.5]^{30},
 * n = 4 draws per iteration, 10⁵ iterations, the config's grid, schedules (absolute bandwidth) and
 * initialisation (uniform on the middle quarter of each box; `wang`: raw μ at ±(3/4)·2.5 with
 * probability ½ each), drawn from `key`. Settings: CVaR_0.7; Wang λ = 0.85 (M = 250, grid power ½);
 * S-shape a = 5; discontinuous (S-shape + jumps at 0.3, 0.5, 0.7; use the `hybrid` or `dm` form).
 *
 * @example
 * ```ts
 * +robustPortfolioProblem('cvar', key(0)).optimum.value.toFixed(9);
 * // 1.527525232
 * ```
 */
export function robustPortfolioProblem(setting: RobustSetting, key: Key): RobustPortfolioProblem {
  checkKey(key, 'robustPortfolioProblem');
  const K = 10;
  const base = (b: number, th: number, q: number, D: number, h: number): Schedules => ({
    theta: { a: th, b, c: 0.99 },
    quantile: { a: q, b, c: 0.71 },
    gradient: { a: D, b, c: 0.7 },
    bandwidth: { a: h, b, c: 0.14 },
  });
  let distortion: Distortion;
  let schedules: Schedules;
  let M = 100;
  let gridPow = 1;
  switch (setting) {
    case 'cvar':
      distortion = expectedShortfall(0.7);
      schedules = base(500, 0.0625, 0.25, 0.25, 0.01);
      break;
    case 'wang':
      distortion = wangTransform(0.85);
      schedules = base(1000, 0.01, 1.0, 0.1, 0.01);
      M = 250;
      gridPow = 0.5;
      break;
    case 'sshape':
      distortion = sShape(5);
      schedules = base(1000, 0.0625, 0.25, 0.0625, 0.001);
      break;
    case 'discontinuous':
      distortion = discontinuousDistortion([0.3, 0.5, 0.7], 0.2, 5);
      schedules = base(500, 0.0625, 0.25, 0.25, 0.01);
      break;
    default:
      throw new DescentError('INVALID_CONFIG', 'robustPortfolioProblem', `setting must be cvar | wang | sshape | discontinuous, got ${String(setting)}`);
  }
  const [k1, k2] = split(key);
  const u = uniformInto(k1!, new Float64Array(3 * K));
  const x0 = new Float64Array(3 * K);
  // middle quarter of [−2.5, 2.5]: [(5l + 3u)/8, (3l + 5u)/8] = [−0.625, 0.625]
  for (let i = 0; i < 3 * K; i++) x0[i] = -0.625 + 1.25 * u[i]!;
  if (setting === 'wang') {
    const c = uniformInto(k2!, new Float64Array(K));
    for (let k = 0; k < K; k++) x0[k] = c[k]! < 0.5 ? -1.875 : 1.875;
  }
  return {
    setting,
    distortion,
    model: robustMixtureModel(K),
    x0,
    projection: boxSet(-2.5, 2.5, 3 * K),
    schedules,
    M,
    gridPow,
    batchSize: 4,
    iterations: 100000,
    sense: 'max',
    bandwidth: 'absolute',
    optimum: worstCaseDrm(distortion),
  };
}

/**
 * The code's quantile-function metric ∫(q_θ(u) − q*(u))² du by the trapezoid rule on `levels` levels in
 * [1e−6, 1 − 1e−6] (code: 10⁴; at most 10⁶, each level costs a quantile solve) [CODE `compute_ppf_loss`].
 *
 * @example
 * ```ts
 * const p = robustPortfolioProblem('cvar', key(0));
 * quantileDistance(normalizedMixture(p.x0), p.optimum.quantile) > 0;
 * // true
 * ```
 */
export function quantileDistance(law: MixtureLaw, target: (u: number) => number, levels = 10000): number {
  const where = 'quantileDistance';
  checkMixtureLaw(law, where);
  checkFunction(target, where, 'target');
  if (typeof levels !== 'number' || !Number.isInteger(levels) || levels < 2 || levels > MAX_DISTANCE_LEVELS) {
    throw new DescentError('INVALID_CONFIG', where, `levels must be an integer in [2, ${MAX_DISTANCE_LEVELS}], got ${describeValue(levels)}`);
  }
  const { lo, hi } = ppfBracket(law, where);
  const term = (u: number) => {
    const t = target(u);
    if (typeof t !== 'number' || Number.isNaN(t)) throw new DescentError('NON_FINITE', where, `target(${u}) is ${describeValue(t)}`);
    return (ppf(law, u, lo, hi) - t) ** 2;
  };
  let total = 0;
  let prevU = 1e-6;
  let prev = term(prevU);
  for (let i = 1; i < levels; i++) {
    const u = 1e-6 + ((1 - 2e-6) * i) / (levels - 1);
    const v = term(u);
    total += 0.5 * (prev + v) * (u - prevU);
    prev = v;
    prevU = u;
  }
  return checkFiniteScalar(total, where, 'the distance');
}
