import { DescentError, assertArrayLike, cholesky, isDescentError, normalInto, type Key } from '@descent/linalg';
import { checkCount, checkDrawBuffers, checkFiniteResult, checkFiniteVector, checkKey, checkModel } from './check-args.js';

/**
 * A parametrised random outcome the SA optimizers can sample: `sampleInto` writes n = x.length losses
 * drawn at θ and their GLR/score weights ψ (row-major n×dim) with E[1{X ≤ x}ψ] = ∇θF(x; θ), E ψ = 0.
 * All randomness comes from `key`.
 */
export interface DrmModel {
  readonly dim: number;
  sampleInto(theta: Float64Array, key: Key, x: Float64Array, psi: Float64Array): void;
}

/**
 * Cholesky factor L (lower, row-major) of a symmetric positive definite p×p matrix given as a flat array:
 * linalg's {@link cholesky}, with errors reported under `where` (the function that received the matrix).
 *
 * @example
 * ```ts
 * Array.from(choleskyLower(new Float64Array([4, 2, 2, 2]), 2));
 * // [2, 0, 1, 1]
 * ```
 */
export function choleskyLower(a: Float64Array, p: number, where = 'cholesky'): Float64Array {
  assertArrayLike(a, where, 'matrix');
  if (a.length !== p * p) throw new DescentError('SHAPE_MISMATCH', where, `matrix has ${a.length} entries, expected ${p * p}`);
  try {
    return cholesky({ rows: p, cols: p, data: a }).data;
  } catch (e) {
    // Report the failure under the caller's name (a covariance given to `where`), keeping the code.
    if (isDescentError(e)) throw new DescentError(e.code, where, e.message);
    throw e;
  }
}

/**
 * The linear Gaussian portfolio: returns R = m + Lξ, ξ ~ N(0, I), Σ = LLᵀ, loss X = −wᵀR with θ = w.
 * GLR weight (integration by parts along ∇ξh): ψ_i = [R_i·wᵀ(R − m) − (Σw)_i]/(wᵀΣw) [RECON, spec §d.2,
 * verified against ∂F/∂w = φ(z)(m/s − zΣw/s²) in the tests]. Requires wᵀΣw > 0.
 *
 * @example
 * ```ts
 * const model = linearGaussianModel(new Float64Array([1, 2]), new Float64Array([1, 0, 0, 4]));
 * model.dim;
 * // 2
 * ```
 */
export function linearGaussianModel(mean: Float64Array, cov: Float64Array): DrmModel & { readonly chol: Float64Array } {
  return gaussianModel(mean, cov, 'linearGaussianModel');
}

/** {@link linearGaussianModel} with its errors reported under `where`. */
export function gaussianModel(mean: Float64Array, cov: Float64Array, where: string): DrmModel & { readonly chol: Float64Array } {
  assertArrayLike(mean, where, 'mean');
  assertArrayLike(cov, where, 'cov');
  const p = mean.length;
  if (p === 0) throw new DescentError('SHAPE_MISMATCH', where, 'mean is empty');
  for (let i = 0; i < p; i++) if (typeof mean[i] !== 'number' || mean[i]! - mean[i]! !== 0) throw new DescentError('NON_FINITE', where, `mean[${i}] is ${String(mean[i])}`);
  // Copies: the model must not change when the caller reuses its arrays.
  const C = Float64Array.from(cov);
  const m = Float64Array.from(mean);
  const L = choleskyLower(C, p, where);
  const xi = new Float64Array(p);
  const ret = new Float64Array(p);
  const sw = new Float64Array(p);
  return {
    dim: p,
    chol: L,
    sampleInto(w, key, x, psi) {
      const at = 'linearGaussianModel.sampleInto';
      checkFiniteVector(w, at, 'w', p);
      checkKey(key, at);
      const n = checkDrawBuffers(x, psi, p, at);
      let s2 = 0;
      for (let i = 0; i < p; i++) {
        let acc = 0;
        for (let j = 0; j < p; j++) acc += C[i * p + j]! * w[j]!;
        sw[i] = acc;
        s2 += w[i]! * acc;
      }
      if (!(s2 > 0)) throw new DescentError('DOMAIN', at, `wᵀΣw = ${s2}: the GLR weight is undefined`);
      if (s2 === Infinity) throw new DescentError('NON_FINITE', at, 'wᵀΣw overflows: scale w down');
      const z = normalInto(key, new Float64Array(n * p));
      for (let t = 0; t < n; t++) {
        for (let i = 0; i < p; i++) xi[i] = z[t * p + i]!;
        let wdev = 0;
        let xv = 0;
        for (let i = 0; i < p; i++) {
          let acc = 0;
          for (let j = 0; j <= i; j++) acc += L[i * p + j]! * xi[j]!;
          ret[i] = m[i]! + acc;
          wdev += w[i]! * acc;
          xv -= w[i]! * ret[i]!;
        }
        x[t] = xv;
        for (let i = 0; i < p; i++) psi[t * p + i] = (ret[i]! * wdev - sw[i]!) / s2;
      }
      checkFiniteResult(x, at, 'x');
      checkFiniteResult(psi, at, 'psi');
    },
  };
}

/**
 * Draws `n` samples from a model at θ into fresh arrays.
 *
 * @example
 * ```ts
 * const m = linearGaussianModel(new Float64Array([0]), new Float64Array([1]));
 * sampleModel(m, new Float64Array([1]), key(0), 5).psi.length;
 * // 5
 * ```
 */
export function sampleModel(model: DrmModel, theta: Float64Array, key: Key, n: number): { x: Float64Array; psi: Float64Array } {
  const where = 'sampleModel';
  checkModel(model, where);
  checkFiniteVector(theta, where, 'theta', model.dim);
  checkKey(key, where);
  checkCount(n, where, 'n');
  checkCount(n * model.dim, where, 'n·dim entries of psi');
  const x = new Float64Array(n);
  const psi = new Float64Array(n * model.dim);
  model.sampleInto(theta, key, x, psi);
  return { x, psi };
}

