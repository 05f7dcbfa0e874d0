import { DescentError, isDescentError, key as makeKey, normalInto, type Key } from '@descent/linalg';
import { assertDistortion } from './check-distortion.js';
import { checkCount, checkFiniteResult, checkFiniteVector, checkKey, checkReturns } from './check-args.js';
import type { Distortion } from './distortion.js';
import { drmOfLinearGaussian, drmOfLinearGaussianGradient, gaussianCoefficient, type GaussianReturns } from './distributions.js';
import { choleskyLower, gaussianModel, type DrmModel } from './model.js';
import { assertProjection, projectInto, simplexSet, type Projection } from './projection.js';

/**
 * The library's Gaussian mean–DRM portfolio (spec §g.2) [RECON problem]: R ~ N(m, Σ) with m = (1, 1.5, 2),
 * sd = (1, 2, 3), all correlations 0.3; minimise ρ_g(−wᵀR) over the probability simplex. The objective
 * has the closed form −wᵀm + c_g√(wᵀΣw), so the optimum is known to solver precision.
 *
 * @example
 * ```ts
 * +gaussianPortfolioProblem(expectedShortfall(0.9)).optimum.value.toFixed(9);
 * // 0.62518757
 * ```
 */
export function gaussianPortfolioProblem(d: Distortion, returns: GaussianReturns = defaultMarket()): {
  distortion: Distortion;
  returns: GaussianReturns;
  model: DrmModel;
  projection: Projection;
  x0: Float64Array;
  optimum: { x: Float64Array; value: number };
} {
  const where = 'gaussianPortfolioProblem';
  assertDistortion(d, where);
  checkReturns(returns, where);
  const p = returns.mean.length;
  const projection = simplexSet();
  const model = gaussianModel(returns.mean, returns.cov, where);
  return {
    distortion: d,
    returns,
    model,
    projection,
    x0: new Float64Array(p).fill(1 / p),
    optimum: optimum(returns, d, projection, undefined, where),
  };
}

function defaultMarket(): GaussianReturns {
  const sd = [1, 2, 3];
  const cov = new Float64Array(9);
  for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) cov[i * 3 + j] = sd[i]! * sd[j]! * (i === j ? 1 : 0.3);
  return { mean: new Float64Array([1, 1.5, 2]), cov };
}

/**
 * Minimises the closed-form objective −wᵀm + c_g√(wᵀΣw) over a convex set by projected gradient descent
 * with Armijo backtracking, until the step moves w by less than 1e−13 (NOT_CONVERGED after 10⁵ steps).
 *
 * @example
 * ```ts
 * gaussianPortfolioOptimum({ mean: new Float64Array([1, 1]), cov: new Float64Array([1, 0, 0, 1]) }, wangTransform(1), simplexSet()).x[0];
 * // 0.5
 * ```
 */
export function gaussianPortfolioOptimum(returns: GaussianReturns, d: Distortion, projection: Projection, x0?: Float64Array): { x: Float64Array; value: number } {
  return optimum(returns, d, projection, x0, 'gaussianPortfolioOptimum');
}

function optimum(returns: GaussianReturns, d: Distortion, projection: Projection, x0: Float64Array | undefined, where: string): { x: Float64Array; value: number } {
  checkReturns(returns, where);
  assertDistortion(d, where);
  const p = returns.mean.length;
  assertProjection(projection, p, where);
  if (x0 !== undefined) checkFiniteVector(x0, where, 'x0', p);
  const c = gaussianCoefficient(d);
  if (!Number.isFinite(c)) throw new DescentError('NON_FINITE', where, `the Gaussian coefficient of ${d.name} is ${c}`);
  try {
    return descend(returns, d, projection, x0, c, p);
  } catch (e) {
    // An overflow or a degenerate point met on the way is reported under the function called.
    if (isDescentError(e) && e.where !== where) throw new DescentError(e.code, where, e.message);
    throw e;
  }
}

function descend(returns: GaussianReturns, d: Distortion, projection: Projection, x0: Float64Array | undefined, c: number, p: number): { x: Float64Array; value: number } {
  const f = (w: Float64Array) => drmOfLinearGaussian(w, returns, d, c);
  let w = projectInto(projection, x0 ?? new Float64Array(p).fill(1 / p), new Float64Array(p));
  let fw = f(w);
  let t = 1;
  let fixed = false;
  for (let it = 0; it < 100000; it++) {
    const g = drmOfLinearGaussianGradient(w, returns, d, c);
    let trial: Float64Array;
    let moved: number;
    // Backtrack on the quadratic upper model while far away; near the optimum f is flat to rounding,
    // so the last accepted step is kept fixed and the (exact) gradient alone drives the fixed point.
    for (;;) {
      trial = projectInto(projection, Float64Array.from(w, (v, r) => v - t * g[r]!), new Float64Array(p));
      let lin = 0;
      moved = 0;
      for (let r = 0; r < p; r++) {
        const dr = trial[r]! - w[r]!;
        lin += g[r]! * dr;
        moved += dr * dr;
      }
      if (fixed || f(trial) <= fw + lin + moved / (2 * t) || t < 1e-15) break;
      t *= 0.5;
    }
    w = trial;
    fw = f(w);
    if (Math.sqrt(moved) < 1e-14) return { x: w, value: fw };
    if (Math.sqrt(moved) < 1e-6) fixed = true;
    if (!fixed) t = Math.min(1, 2 * t);
  }
  throw new DescentError('NOT_CONVERGED', 'gaussianPortfolioOptimum', 'projected gradient did not settle in 1e5 steps');
}

/**
 * N return scenarios of R ~ N(mean, cov), row-major N×p, from `key` (for the sample-average baseline).
 *
 * @example
 * ```ts
 * gaussianScenarios({ mean: new Float64Array([0]), cov: new Float64Array([1]) }, 4, key(0)).length;
 * // 4
 * ```
 */
export function gaussianScenarios(returns: GaussianReturns, N: number, key: Key = makeKey(0)): Float64Array {
  const where = 'gaussianScenarios';
  checkReturns(returns, where);
  const p = returns.mean.length;
  checkCount(N, where, 'N');
  checkCount(N * p, where, 'N·p scenario entries');
  checkKey(key, where);
  const L = choleskyLower(returns.cov, p, where);
  const z = normalInto(key, new Float64Array(N * p));
  const out = new Float64Array(N * p);
  for (let j = 0; j < N; j++) {
    for (let i = 0; i < p; i++) {
      let acc = returns.mean[i]!;
      for (let k = 0; k <= i; k++) acc += L[i * p + k]! * z[j * p + k]!;
      out[j * p + i] = acc;
    }
  }
  checkFiniteResult(out, where, 'scenario');
  return out;
}
