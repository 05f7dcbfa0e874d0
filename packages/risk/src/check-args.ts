import { assertSize, DescentError, describeValue, MAX_ELEMENTS } from '@descent/linalg';
import type { GaussianReturns } from './distributions.js';
import type { DrmModel } from './model.js';
import type { MixtureLaw } from './robust.js';
import type { DrmSample } from './sa.js';

// Argument checks shared by the package's public functions, for callers without TypeScript: each
// throws a DescentError naming the function (`where`) and the argument before anything is computed.

/** `INVALID_CONFIG` unless `k` is a PRNG key: two integers in [0, 2^32). */
export function checkKey(k: unknown, where: string, what = 'key'): void {
  const word = (v: unknown) => typeof v === 'number' && Number.isInteger(v) && v >= 0 && v < 2 ** 32;
  if (!Array.isArray(k) || k.length !== 2 || !word(k[0]) || !word(k[1])) {
    throw new DescentError('INVALID_CONFIG', where, `${what} must be a PRNG key made by key(seed) (two 32-bit unsigned integers), got ${describeValue(k)}`);
  }
}

/** `INVALID_CONFIG` unless `f` is a function. */
export function checkFunction(f: unknown, where: string, what: string): void {
  if (typeof f !== 'function') throw new DescentError('INVALID_CONFIG', where, `${what} must be a function, got ${describeValue(f)}`);
}

/** `SHAPE_MISMATCH` unless `n` is an integer >= `min` within the allocation limit. */
export function checkCount(n: unknown, where: string, what: string, min = 1): asserts n is number {
  assertSize(n as number, where, what);
  if ((n as number) < min) throw new DescentError('SHAPE_MISMATCH', where, `${what} must be >= ${min}, got ${n as number}`);
}

/** `SHAPE_MISMATCH` unless `x` is a Float64Array (of length `n` when given); `NON_FINITE` for a NaN or ±Infinity entry. */
export function checkFiniteVector(x: unknown, where: string, what: string, n?: number): asserts x is Float64Array {
  if (!(x instanceof Float64Array)) throw new DescentError('SHAPE_MISMATCH', where, `${what} must be a Float64Array, got ${describeValue(x)}`);
  if (n !== undefined && x.length !== n) throw new DescentError('SHAPE_MISMATCH', where, `${what} has length ${x.length}, expected ${n}`);
  for (let i = 0; i < x.length; i++) if (x[i]! - x[i]! !== 0) throw new DescentError('NON_FINITE', where, `${what}[${i}] is ${x[i]}`);
}

/** `NON_FINITE` unless every entry of a result is finite (an overflow found by doing the arithmetic). */
export function checkFiniteResult(x: ArrayLike<number>, where: string, what: string): void {
  for (let i = 0; i < x.length; i++) if (x[i]! - x[i]! !== 0) throw new DescentError('NON_FINITE', where, `${what}[${i}] is ${x[i]} (overflow: scale the inputs down)`);
}

/** `NON_FINITE` unless a scalar result is finite. */
export function checkFiniteScalar(v: number, where: string, what: string): number {
  if (v - v !== 0) throw new DescentError('NON_FINITE', where, `${what} is ${v} (overflow: scale the inputs down)`);
  return v;
}

function checkObject(v: unknown, where: string, what: string, expected: string): asserts v is Record<string, unknown> {
  if (v === null || typeof v !== 'object' || Array.isArray(v) || ArrayBuffer.isView(v)) {
    throw new DescentError('SHAPE_MISMATCH', where, `${what} must be ${expected}, got ${describeValue(v)}`);
  }
}

/**
 * A Gaussian mixture law: `mu`, `sigma`, `pi` Float64Arrays of one length K >= 1, finite, σ > 0,
 * π >= 0 summing to 1 (to 1e−9). O(K).
 */
export function checkMixtureLaw(law: unknown, where: string, what = 'law'): asserts law is MixtureLaw {
  checkObject(law, where, what, 'a MixtureLaw { mu, sigma, pi }');
  const { mu, sigma, pi } = law;
  checkFiniteVector(pi, where, `${what}.pi`);
  const K = pi.length;
  if (K === 0) throw new DescentError('SHAPE_MISMATCH', where, `${what} has no components`);
  checkFiniteVector(mu, where, `${what}.mu`, K);
  checkFiniteVector(sigma, where, `${what}.sigma`, K);
  let total = 0;
  for (let k = 0; k < K; k++) {
    if (!(sigma[k]! > 0)) throw new DescentError('DOMAIN', where, `${what}.sigma[${k}] must be > 0, got ${sigma[k]}`);
    if (!(pi[k]! >= 0)) throw new DescentError('DOMAIN', where, `${what}.pi[${k}] must be >= 0, got ${pi[k]}`);
    total += pi[k]!;
  }
  if (!(Math.abs(total - 1) <= 1e-9)) throw new DescentError('DOMAIN', where, `${what}.pi must sum to 1, sums to ${total}`);
}

/** Gaussian returns: `mean` a finite Float64Array of length p >= 1, `cov` a finite Float64Array of p·p entries. */
export function checkReturns(r: unknown, where: string, what = 'returns'): asserts r is GaussianReturns {
  checkObject(r, where, what, 'GaussianReturns { mean, cov }');
  checkFiniteVector(r.mean, where, `${what}.mean`);
  const p = r.mean.length;
  if (p === 0) throw new DescentError('SHAPE_MISMATCH', where, `${what}.mean is empty`);
  if (p * p > MAX_ELEMENTS) throw new DescentError('SHAPE_MISMATCH', where, `${what}.mean has ${p} entries: a ${p}×${p} covariance is above the allocation limit of ${MAX_ELEMENTS}`);
  checkFiniteVector(r.cov, where, `${what}.cov`, p * p);
}

/** A batch { x, ψ } of n >= 1 finite draws with ψ of n·p entries; returns n. O(n·p). */
export function checkSample(s: unknown, p: number, where: string, what = 'sample'): number {
  checkObject(s, where, what, 'a sample { x, psi }');
  checkFiniteVector(s.x, where, `${what}.x`);
  const n = s.x.length;
  if (n === 0) throw new DescentError('SHAPE_MISMATCH', where, `${what} is empty`);
  checkFiniteVector(s.psi, where, `${what}.psi`, n * p);
  return n;
}

/** A model: an object with `dim` (an integer >= 1) and a `sampleInto` function. */
export function checkModel(model: unknown, where: string, what = 'model'): asserts model is DrmModel {
  checkObject(model, where, what, 'a DrmModel { dim, sampleInto }');
  checkCount(model.dim, where, `${what}.dim`);
  checkFunction(model.sampleInto, where, `${what}.sampleInto`);
}

/** The buffers a model's `sampleInto` writes: `x` (n >= 1) and `psi` (n·dim), both Float64Arrays. */
export function checkDrawBuffers(x: unknown, psi: unknown, dim: number, where: string): number {
  if (!(x instanceof Float64Array) || x.length === 0) throw new DescentError('SHAPE_MISMATCH', where, `x must be a non-empty Float64Array, got ${describeValue(x)}`);
  const n = x.length;
  if (!(psi instanceof Float64Array) || psi.length !== n * dim) {
    throw new DescentError('SHAPE_MISMATCH', where, `psi must be a Float64Array of length n·dim = ${n}·${dim}, got ${describeValue(psi)}${psi instanceof Float64Array ? ` of length ${psi.length}` : ''}`);
  }
  if (x.buffer === psi.buffer && x.byteOffset < psi.byteOffset + psi.byteLength && psi.byteOffset < x.byteOffset + x.byteLength) {
    throw new DescentError('INVALID_CONFIG', where, 'x and psi must not share memory');
  }
  return n;
}
