import { DescentError } from '@descent/linalg';
import { KIND, type CompiledCircuit } from '../compile.js';
import type { BatchStatistics } from '../statistics.js';

/**
 * @internal The EM M-step with step size (pyjuice `em_par_update_kernel`, Juice.jl `update_params`):
 * per sum node `new = (G + α/K) / (ΣG + α)`, `θ ← (1-η) θ + η new` (then renormalised so the slice
 * sums to 1 to the last bit); a node with ΣG + α = 0 (no flow, α = 0) keeps its parameters.
 * Bernoulli / categorical the same with K = 2 / K; Gaussian by moment matching in the expectation
 * parameters (mu, sigma² + mu²) with sigma clamped at minSigma (pyjuice `gaussian.py::em_fn`), no
 * pseudocount.
 */
export function mStepInto(cc: CompiledCircuit, old: Float64Array, edge: Float64Array, leaf: Float64Array, eta: number, alpha: number, out: Float64Array): Float64Array {
  for (let i = cc.numLeaves; i < cc.numNodes; i++) {
    if (cc.kind[i] !== KIND.sum) continue;
    const o = cc.paramPtr[i]!;
    const K = cc.childPtr[i + 1]! - cc.childPtr[i]!;
    normalizeSlice(old, edge, o, o, K, eta, alpha, out);
  }
  for (let l = 0; l < cc.numLeaves; l++) {
    const kd = cc.kind[l]!;
    const o = cc.paramPtr[l]!;
    const so = cc.statPtr[l]!;
    if (kd === KIND.bernoulli) {
      const s1 = leaf[so]!;
      const tot = s1 + leaf[so + 1]!;
      if (tot + alpha > 0) {
        const p = (s1 + alpha / 2) / (tot + alpha);
        const q = (1 - eta) * old[o]! + eta * p;
        out[o] = q < 0 ? 0 : q > 1 ? 1 : q;
      } else out[o] = old[o]!;
    } else if (kd === KIND.categorical) {
      normalizeSlice(old, leaf, o, so, cc.leafArg[l]!, eta, alpha, out);
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
