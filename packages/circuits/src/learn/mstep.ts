import { DescentError } from '@descent/linalg';
import { KIND, type CompiledCircuit } from '../compile.js';
import type { BatchStatistics } from '../statistics.js';
import { entropyRegularizedSlice } from './entropy.js';

/**
 * @internal Entropy regularisation of an M-step: every sum, Bernoulli and categorical slice n solves
 * max Σ_j a_j log θ_j + τ·TD(n)·H(θ) with a_j = scale·(G_j + α/K), TD the top-down probabilities
 * of the current parameters (frozen for the step) and scale = 1 / (samples behind G).
 */
export interface EntropyReg {
  readonly tau: number;
  readonly scale: number;
  /** Top-down probabilities per compiled node. */
  readonly td: Float64Array;
}

let regScratch = new Float64Array(16);
const tdCache = new WeakMap<CompiledCircuit, Float64Array>();

/** @internal A reusable top-down-probability buffer for a circuit. */
export function tdScratch(cc: CompiledCircuit): Float64Array {
  let td = tdCache.get(cc);
  if (td === undefined) {
    td = new Float64Array(cc.numNodes);
    tdCache.set(cc, td);
  }
  return td;
}

/** @internal Throws INVALID_CONFIG unless the entropy weight τ is finite and ≥ 0. */
export function checkEntropy(tau: number, where: string): void {
  if (typeof tau !== 'number' || !(tau >= 0) || !Number.isFinite(tau)) throw new DescentError('INVALID_CONFIG', where, `entropy = ${tau} must be finite and >= 0`);
}
const pair = new Float64Array(4);

/**
 * @internal The EM M-step with step size (pyjuice `em_par_update_kernel`, Juice.jl `update_params`):
 * per sum node `new = (G + α/K) / (ΣG + α)`, `θ ← (1-η) θ + η new` (then renormalised so the slice
 * sums to 1 to the last bit); a node with ΣG + α = 0 (no flow, α = 0) keeps its parameters.
 * Bernoulli / categorical the same with K = 2 / K; Gaussian by moment matching in the expectation
 * parameters (mu, sigma² + mu²) with sigma clamped at minSigma (pyjuice `gaussian.py::em_fn`), no
 * pseudocount.
 */
export function mStepInto(cc: CompiledCircuit, old: Float64Array, edge: Float64Array, leaf: Float64Array, eta: number, alpha: number, out: Float64Array, reg?: EntropyReg): Float64Array {
  const regOn = reg !== undefined && reg.tau > 0;
  for (let i = cc.numLeaves; i < cc.numNodes; i++) {
    if (cc.kind[i] !== KIND.sum) continue;
    const o = cc.paramPtr[i]!;
    const K = cc.childPtr[i + 1]! - cc.childPtr[i]!;
    if (regOn) regularizedSlice(old, edge, o, o, K, eta, alpha, reg.tau * reg.td[i]!, reg.scale, out);
    else normalizeSlice(old, edge, o, o, K, eta, alpha, out);
  }
  for (let l = 0; l < cc.numLeaves; l++) {
    const kd = cc.kind[l]!;
    const o = cc.paramPtr[l]!;
    const so = cc.statPtr[l]!;
    if (kd === KIND.bernoulli && regOn && reg.tau * reg.td[l]! > 0) {
      // The Bernoulli as the slice [p, 1 − p] with statistics [S1, S0].
      const b = reg.tau * reg.td[l]!;
      const a1 = (leaf[so]! + alpha / 2) * reg.scale;
      const a0 = (leaf[so + 1]! + alpha / 2) * reg.scale;
      pair[0] = a1;
      pair[1] = a0;
      entropyRegularizedSlice(pair, 0, 2, b, pair, 2);
      const q = (1 - eta) * old[o]! + eta * pair[2]!;
      out[o] = q < 0 ? 0 : q > 1 ? 1 : q;
    } else if (kd === KIND.bernoulli) {
      const s1 = leaf[so]!;
      const tot = s1 + leaf[so + 1]!;
      if (tot + alpha > 0) {
        const p = (s1 + alpha / 2) / (tot + alpha);
        const q = (1 - eta) * old[o]! + eta * p;
        out[o] = q < 0 ? 0 : q > 1 ? 1 : q;
      } else out[o] = old[o]!;
    } else if (kd === KIND.categorical) {
      if (regOn) regularizedSlice(old, leaf, o, so, cc.leafArg[l]!, eta, alpha, reg.tau * reg.td[l]!, reg.scale, out);
      else normalizeSlice(old, leaf, o, so, cc.leafArg[l]!, eta, alpha, out);
    } else if (kd === KIND.gaussian) {
      const s = leaf[so + 2]!;
      const mu = old[o]!;
      const sg = old[o + 1]!;
      if (s > 0) {
        const t1 = (1 - eta) * mu + eta * (leaf[so]! / s);
        const t2 = (1 - eta) * (sg * sg + mu * mu) + eta * (leaf[so + 1]! / s);
        const v = t2 - t1 * t1;
        const ms = cc.minSigma[l]!;
        out[o] = t1;
        out[o + 1] = v < ms * ms ? ms : Math.sqrt(v);
      } else {
        out[o] = mu;
        out[o + 1] = sg;
      }
    }
  }
  return out;
}

function normalizeSlice(old: Float64Array, g: Float64Array, o: number, go: number, K: number, eta: number, alpha: number, out: Float64Array): void {
  let tot = 0;
  for (let j = 0; j < K; j++) tot += g[go + j]!;
  if (!(tot + alpha > 0)) {
    for (let j = 0; j < K; j++) out[o + j] = old[o + j]!;
    return;
  }
  const inv = 1 / (tot + alpha);
  const a = alpha / K;
  let s = 0;
  for (let j = 0; j < K; j++) {
    const v = (1 - eta) * old[o + j]! + eta * ((g[go + j]! + a) * inv);
    out[o + j] = v;
    s += v;
  }
  const r = 1 / s;
  for (let j = 0; j < K; j++) out[o + j] = out[o + j]! * r;
}

// normalizeSlice with the entropy term: θ* = argmax Σ a log θ + b H(θ), a = scale·(g + α/K), then the step.
function regularizedSlice(old: Float64Array, g: Float64Array, o: number, go: number, K: number, eta: number, alpha: number, b: number, scale: number, out: Float64Array): void {
  if (!(b > 0)) {
    normalizeSlice(old, g, o, go, K, eta, alpha, out);
    return;
  }
  if (regScratch.length < 2 * K) regScratch = new Float64Array(2 * K);
  const a = regScratch;
  const c = alpha / K;
  for (let j = 0; j < K; j++) a[j] = (g[go + j]! + c) * scale;
  entropyRegularizedSlice(a, 0, K, b, a, K);
  let s = 0;
  for (let j = 0; j < K; j++) {
    const v = (1 - eta) * old[o + j]! + eta * a[K + j]!;
    out[o + j] = v;
    s += v;
  }
  const r = 1 / s;
  for (let j = 0; j < K; j++) out[o + j] = out[o + j]! * r;
}

/** @internal Validates statistics against a circuit (shape, finite, nonnegative, count > 0). */
export function checkStatistics(cc: CompiledCircuit, obs: BatchStatistics, where: string, full: boolean): void {
  if (obs === null || typeof obs !== 'object' || !(obs.edgeFlows instanceof Float64Array) || !(obs.leafStats instanceof Float64Array)) {
    throw new DescentError('SHAPE_MISMATCH', where, 'obs must be BatchStatistics { edgeFlows, leafStats, count }');
  }
  if (obs.edgeFlows.length !== cc.numSumParams || obs.leafStats.length !== cc.numStats) {
    throw new DescentError('SHAPE_MISMATCH', where, `statistics have ${obs.edgeFlows.length} edge flows and ${obs.leafStats.length} leaf statistics; the circuit needs ${cc.numSumParams} and ${cc.numStats}`);
  }
  if (!(obs.count > 0) || !Number.isFinite(obs.count)) throw new DescentError('DOMAIN', where, `count = ${obs.count}: the batch is empty or has zero total weight`);
  if (!full) return;
  for (let i = 0; i < obs.edgeFlows.length; i++) {
    const f = obs.edgeFlows[i]!;
    if (f - f !== 0) throw new DescentError('NON_FINITE', where, `edgeFlows[${i}] is ${f}`);
    if (f < 0) throw new DescentError('DOMAIN', where, `edgeFlows[${i}] = ${f} is negative`);
  }
  for (let i = 0; i < obs.leafStats.length; i++) {
    const f = obs.leafStats[i]!;
    if (f - f !== 0) throw new DescentError('NON_FINITE', where, `leafStats[${i}] is ${f}`);
  }
}

/** @internal Throws INVALID_CONFIG unless `x` is a number in the range. */
export function checkRange(x: number, lo: number, hi: number, loOpen: boolean, where: string, what: string): void {
  if (typeof x !== 'number' || !(loOpen ? x > lo : x >= lo) || !(x <= hi)) {
    throw new DescentError('INVALID_CONFIG', where, `${what} = ${x} must be in ${loOpen ? '(' : '['}${lo}, ${hi}]`);
  }
}
