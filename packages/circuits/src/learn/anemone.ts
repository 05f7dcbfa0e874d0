import { assertKnownKeys, configKeys, DescentError } from '@descent/linalg';
import { KIND, checkParams, type CompiledCircuit } from '../compile.js';
import { topDownInto } from '../engine.js';
import type { BatchStatistics } from '../statistics.js';
import type { CircuitLearner, CircuitLearnerState } from './method.js';
import { checkEntropy, checkRange, checkStatistics, mStepInto } from './mstep.js';
import { buffer, checkLearnerOut, checkLearnerState, checkNewParams, finiteNonNegative, inRange, type ScalarRule } from './state-check.js';

const RULES: readonly ScalarRule[] = [
  ['stepSize', inRange(0, 1, true), 'in (0, 1]'],
  ['momentum', inRange(0, 1, false, true), 'in [0, 1)'],
  ['pseudocount', finiteNonNegative, 'a finite number >= 0'],
  ['entropy', finiteNonNegative, 'a finite number >= 0'],
];
const OUT_BUFFERS = ['x', 'edgeMomentum', 'leafMomentum'] as const;

/** The state's fields, and its momentum buffers (empty when momentum is 0). */
function checkAnemoneState(state: AnemoneState, where: string): CompiledCircuit {
  const cc = checkLearnerState(state, where, RULES);
  const on = state.momentum > 0;
  buffer(state.edgeMomentum, on ? cc.numSumParams : 0, where, 'state.edgeMomentum');
  buffer(state.leafMomentum, on ? cc.numStats : 0, where, 'state.leafMomentum');
  return cc;
}

/** Config of {@link anemone}. Defaults are pyjuice's `optim/anemone.py::Anemone`. */
export interface AnemoneConfig {
  readonly circuit: CompiledCircuit;
  /** η in (0, 1]; default 0.4. */
  readonly stepSize?: number;
  /** m in [0, 1); default 0.9; 0 disables momentum. */
  readonly momentum?: number;
  /** α ≥ 0 acting on the rescaled flows (magnitude ~TD ≤ 1); default 1e-6. */
  readonly pseudocount?: number;
  /**
   * Entropy regularisation τ ≥ 0 (Liu & Van den Broeck 2021): each slice maximises
   * Σ_j (G_j + α/K) log θ_j + τ·TD(n)·H(θ_n) instead of the plain M-step on G. Default 0.
   */
  readonly entropy?: number;
  /** Validate statistics (O(size)) on every step; default true. */
  readonly check?: boolean;
}

/** State of {@link anemone}: parameters plus the momentum buffers (empty when m = 0). */
export interface AnemoneState extends CircuitLearnerState {
  readonly circuit: CompiledCircuit;
  readonly stepSize: number;
  readonly momentum: number;
  readonly pseudocount: number;
  readonly entropy: number;
  readonly check: boolean;
  /** EMA of edge flows and of input-node statistics (length 0 when momentum = 0). */
  readonly edgeMomentum: Float64Array;
  readonly leafMomentum: Float64Array;
}

interface Scratch {
  td: Float64Array;
  edge: Float64Array;
  leaf: Float64Array;
}
const scratch = new WeakMap<CompiledCircuit, Scratch>();
function scratchOf(cc: CompiledCircuit): Scratch {
  let s = scratch.get(cc);
  if (s === undefined) {
    s = { td: new Float64Array(cc.numNodes), edge: new Float64Array(cc.numSumParams), leaf: new Float64Array(cc.numStats) };
    scratch.set(cc, s);
  }
  return s;
}

/**
 * **anemone** (Liu, Shao, Van den Broeck 2025), exactly as the first author's pyjuice implements it
 * (`mini_batch_em(step_size_rescaling=True)` + `eval_top_down_probs`, `optim/anemone.py`):
 *
 * ```
 * [momentum m > 0: f ← bias-corrected EMA of the flows, buf ← m·buf + (1-m)·f, f ← buf / (1 - m^(t+1))]
 * G[n,c]  = (η / B) · EF_B[n,c] + (1-η) · TD[n] · θ_old[n,c]
 * Gleaf   = (η / B) · S_B(leaf) + (1-η) · TD[leaf] · E_θold[T(x)]
 * θ_new   = EM M-step on G with step 1 and pseudocount α
 * ```
 * B = `obs.count` (the summed root flow), TD = top-down probabilities of the current parameters.
 * Reading (RECONSTRUCTED, spec (c)): a per-node rate `a_n = η F̄(n) / (η F̄(n) + (1-η) TD(n))`; the root
 * moves at exactly η, nodes the batch does not use stay put, and one step (α = 0, m = 0) never
 * decreases the log-likelihood of its batch. η = 1, α = 0 is full-batch EM on the batch.
 *
 * @example
 * ```ts
 * const c = compile({ numVars: 1, nodes: [bernoulliNode(0, 0.5)] });
 * const s0 = anemone.init({ circuit: c, stepSize: 0.5, momentum: 0, pseudocount: 0 }, c.params);
 * anemone.step(s0, batchStatistics(c, s0.x, fromRows([[1]]))).x[0];
 * // 0.75
 * ```
 */
export const anemone: CircuitLearner<AnemoneConfig, AnemoneState> = {
  name: 'anemone',
  observes: 'flows',
  init(cfg, x0) {
    const where = 'anemone.init';
    assertKnownKeys(cfg, configKeys<AnemoneConfig>()('circuit', 'stepSize', 'momentum', 'pseudocount', 'entropy', 'check'), where);
    if (cfg === null || typeof cfg !== 'object' || cfg.circuit === undefined) throw new DescentError('INVALID_CONFIG', where, 'cfg.circuit (a compiled circuit) is required');
    const eta = cfg.stepSize ?? 0.4;
    checkRange(eta, 0, 1, true, where, 'stepSize');
    const m = cfg.momentum ?? 0.9;
    if (typeof m !== 'number' || !(m >= 0 && m < 1)) throw new DescentError('INVALID_CONFIG', where, `momentum = ${m} must be in [0, 1)`);
    const alpha = cfg.pseudocount ?? 1e-6;
    if (!(alpha >= 0) || !Number.isFinite(alpha)) throw new DescentError('INVALID_CONFIG', where, `pseudocount = ${alpha} must be finite and >= 0`);
    const entropy = cfg.entropy ?? 0;
    checkEntropy(entropy, where);
    checkParams(cfg.circuit, x0, where);
    const cc = cfg.circuit;
    const x = Float64Array.from(x0);
    const check = cfg.check ?? true;
    if (typeof check !== 'boolean') throw new DescentError('INVALID_CONFIG', where, `check must be a boolean, got ${String(check)}`);
    return {
      x, query: x, t: 0, circuit: cc, stepSize: eta, momentum: m, pseudocount: alpha, entropy, check,
      edgeMomentum: new Float64Array(m > 0 ? cc.numSumParams : 0),
      leafMomentum: new Float64Array(m > 0 ? cc.numStats : 0),
    };
  },
  step(state, obs) {
    const where = 'anemone.step';
    const cc = checkAnemoneState(state, where);
    checkStatistics(cc, obs, where, state.check);
    const x = new Float64Array(state.x.length);
    const out: AnemoneState = {
      ...state, x, query: x,
      edgeMomentum: new Float64Array(state.edgeMomentum.length),
      leafMomentum: new Float64Array(state.leafMomentum.length),
    };
    return advance(state, obs, out);
  },
  stepInto(state, obs, out) {
    const where = 'anemone.stepInto';
    const cc = checkAnemoneState(state, where);
    checkStatistics(cc, obs, where, state.check);
    checkLearnerOut(state as unknown as Record<string, unknown>, out, OUT_BUFFERS, obs, where);
    return advance(state, obs, out);
  },
};

function advance(state: AnemoneState, obs: BatchStatistics, out: AnemoneState): AnemoneState {
  const cc = state.circuit;
  const eta = state.stepSize;
  const m = state.momentum;
  let fe = obs.edgeFlows;
  let fl = obs.leafStats;
  if (m > 0) {
    // pyjuice _apply_momentum: buf ← m buf + (1-m) f;  f ← buf / (1 - m^(updates+1)).
    const bc = 1 - Math.pow(m, state.t + 1);
    const be = out.edgeMomentum;
    const bl = out.leafMomentum;
    for (let i = 0; i < be.length; i++) be[i] = m * state.edgeMomentum[i]! + (1 - m) * fe[i]!;
    for (let i = 0; i < bl.length; i++) bl[i] = m * state.leafMomentum[i]! + (1 - m) * fl[i]!;
    const s = scratchOf(cc);
    for (let i = 0; i < be.length; i++) s.edge[i] = be[i]! / bc;
    for (let i = 0; i < bl.length; i++) s.leaf[i] = bl[i]! / bc;
    fe = s.edge;
    fl = s.leaf;
  }
  const s = scratchOf(cc);
  const theta = state.x;
  const td = topDownInto(cc, theta, s.td);
  const a = eta / obs.count;
  const b = 1 - eta;
  const ge = s.edge;
  const gl = s.leaf;
  for (let i = cc.numLeaves; i < cc.numNodes; i++) {
    if (cc.kind[i] !== KIND.sum) continue;
    const o = cc.paramPtr[i]!;
    const K = cc.childPtr[i + 1]! - cc.childPtr[i]!;
    const t = b * td[i]!;
    for (let j = o; j < o + K; j++) ge[j] = a * fe[j]! + t * theta[j]!;
  }
  for (let l = 0; l < cc.numLeaves; l++) {
    const so = cc.statPtr[l]!;
    if (so < 0) continue;
    const o = cc.paramPtr[l]!;
    const t = b * td[l]!;
    const kd = cc.kind[l]!;
    if (kd === KIND.bernoulli) {
      gl[so] = a * fl[so]! + t * theta[o]!;
      gl[so + 1] = a * fl[so + 1]! + t * (1 - theta[o]!);
    } else if (kd === KIND.categorical) {
      for (let u = 0; u < cc.leafArg[l]!; u++) gl[so + u] = a * fl[so + u]! + t * theta[o + u]!;
    } else {
      const mu = theta[o]!;
      const sg = theta[o + 1]!;
      gl[so] = a * fl[so]! + t * mu;
      gl[so + 1] = a * fl[so + 1]! + t * (sg * sg + mu * mu);
      gl[so + 2] = a * fl[so + 2]! + t;
    }
  }
  // G is already per sample (magnitude TD), so the entropy term needs no further scaling.
  mStepInto(cc, theta, ge, gl, 1, state.pseudocount, out.x, state.entropy > 0 ? { tau: state.entropy, scale: 1, td } : undefined);
  if (state.check) checkNewParams(out.x, 'anemone.step');
  const next = out as { -readonly [K in keyof AnemoneState]: AnemoneState[K] };
  next.query = out.x;
  next.t = state.t + 1;
  next.circuit = cc;
  next.stepSize = eta;
  next.momentum = m;
  next.pseudocount = state.pseudocount;
  next.entropy = state.entropy;
  next.check = state.check;
  return out;
}

