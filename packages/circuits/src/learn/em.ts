import { assertKnownKeys, configKeys, DescentError } from '@descent/linalg';
import { checkParams, type CompiledCircuit } from '../compile.js';
import type { BatchStatistics } from '../statistics.js';
import type { CircuitLearner, CircuitLearnerState } from './method.js';
import { topDownInto } from '../engine.js';
import { checkEntropy, checkRange, checkStatistics, mStepInto, tdScratch } from './mstep.js';
import { checkLearnerOut, checkLearnerState, checkNewParams, finiteNonNegative, inRange, type ScalarRule } from './state-check.js';

/** Config of {@link fullBatchEm} and {@link miniBatchEm}. */
export interface EmConfig {
  readonly circuit: CompiledCircuit;
  /** Step size η in (0, 1] (mini-batch EM; full-batch EM is η = 1). Default 1. */
  readonly stepSize?: number;
  /** Laplace pseudocount α ≥ 0 spread over each node's K children (α/K each). Default 0. */
  readonly pseudocount?: number;
  /**
   * Entropy regularisation τ ≥ 0 (Liu & Van den Broeck 2021): each slice maximises its expected
   * log-likelihood per sample plus τ·TD(n)·H(θ_n), TD the top-down probabilities of the current
   * parameters. Default 0 (plain EM).
   */
  readonly entropy?: number;
  /** Validate statistics (O(size)) on every step; default true. */
  readonly check?: boolean;
}

/** State of the EM learners. */
export interface EmState extends CircuitLearnerState {
  /** The compiled circuit (plain typed arrays, shared between states, never mutated). */
  readonly circuit: CompiledCircuit;
  readonly stepSize: number;
  readonly pseudocount: number;
  readonly entropy: number;
  readonly check: boolean;
}

function makeEm(name: string, fixedStep: boolean): CircuitLearner<EmConfig, EmState> {
  const rules: readonly ScalarRule[] = [
    ['stepSize', fixedStep ? (v) => v === 1 : inRange(0, 1, true), fixedStep ? '1 (full-batch EM)' : 'in (0, 1]'],
    ['pseudocount', finiteNonNegative, 'a finite number >= 0'],
    ['entropy', finiteNonNegative, 'a finite number >= 0'],
  ];
  const advance = (state: EmState, obs: BatchStatistics, out: EmState): EmState => {
    const cc = state.circuit;
    const tau = state.entropy;
    const reg = tau > 0 ? { tau, scale: 1 / obs.count, td: topDownInto(cc, state.x, tdScratch(cc)) } : undefined;
    mStepInto(cc, state.x, obs.edgeFlows, obs.leafStats, state.stepSize, state.pseudocount, out.x, reg);
    if (state.check) checkNewParams(out.x, `${name}.step`);
    const next = out as { -readonly [K in keyof EmState]: EmState[K] };
    next.query = out.x;
    next.t = state.t + 1;
    next.stepSize = state.stepSize;
    next.pseudocount = state.pseudocount;
    next.entropy = tau;
    next.circuit = cc;
    next.check = state.check;
    return out;
  };
  const learner: CircuitLearner<EmConfig, EmState> = {
    name,
    observes: 'flows',
    init(cfg, x0) {
      const where = `${name}.init`;
      assertKnownKeys(cfg, configKeys<EmConfig>()('circuit', 'stepSize', 'pseudocount', 'entropy', 'check'), where);
      if (cfg === null || typeof cfg !== 'object' || cfg.circuit === undefined) throw new DescentError('INVALID_CONFIG', where, 'cfg.circuit (a compiled circuit) is required');
      const eta = cfg.stepSize ?? 1;
      if (fixedStep && eta !== 1) throw new DescentError('INVALID_CONFIG', where, `full-batch EM has step size 1, got ${eta}; use miniBatchEm`);
      checkRange(eta, 0, 1, true, where, 'stepSize');
      const alpha = cfg.pseudocount ?? 0;
      if (!(alpha >= 0) || !Number.isFinite(alpha)) throw new DescentError('INVALID_CONFIG', where, `pseudocount = ${alpha} must be finite and >= 0`);
      const entropy = cfg.entropy ?? 0;
      checkEntropy(entropy, where);
      checkParams(cfg.circuit, x0, where);
      const x = Float64Array.from(x0);
      const check = cfg.check ?? true;
      if (typeof check !== 'boolean') throw new DescentError('INVALID_CONFIG', where, `check must be a boolean, got ${String(check)}`);
      return { x, query: x, t: 0, circuit: cfg.circuit, stepSize: eta, pseudocount: alpha, entropy, check };
    },
    step(state, obs) {
      const where = `${name}.step`;
      const cc = checkLearnerState(state, where, rules);
      checkStatistics(cc, obs, where, state.check);
      const x = new Float64Array(state.x.length);
      return advance(state, obs, { ...state, x, query: x });
    },
    stepInto(state, obs, out) {
      const where = `${name}.stepInto`;
      const cc = checkLearnerState(state, where, rules);
      checkStatistics(cc, obs, where, state.check);
      checkLearnerOut(state as unknown as Record<string, unknown>, out, ['x'], obs, where);
      return advance(state, obs, out);
    },
  };
  return learner;
}

/**
 * Full-batch EM (spec (c)): `step(state, stats)` with statistics summed over the whole data set
 * (accumulate batches with `addStatistics`) sets every sum node to its normalised expected edge
 * counts `(EF + α/K) / (F + α)` and every input node to its flow-weighted MLE. Never decreases the
 * log-likelihood (α = 0) or the penalised objective `LL + Σ (α/K) log θ` (α > 0).
 *
 * @example
 * ```ts
 * const c = compile({ numVars: 1, nodes: [bernoulliNode(0, 0.5)] });
 * const s0 = fullBatchEm.init({ circuit: c }, c.params);
 * fullBatchEm.step(s0, batchStatistics(c, s0.x, fromRows([[1], [1], [0], [1]]))).x[0];
 * // 0.75
 * ```
 */
export const fullBatchEm: CircuitLearner<EmConfig, EmState> = makeEm('fullBatchEm', true);

/**
 * Mini-batch EM with step size η (pyjuice `mini_batch_em`, Juice.jl `param_inertia = 1 - η`):
 * `θ ← (1-η) θ + η · EMupdate(batch)`. Never decreases the log-likelihood of the batch it used (α = 0).
 *
 * @example
 * ```ts
 * const c = compile({ numVars: 1, nodes: [bernoulliNode(0, 0.5)] });
 * const s0 = miniBatchEm.init({ circuit: c, stepSize: 0.5 }, c.params);
 * miniBatchEm.step(s0, batchStatistics(c, s0.x, fromRows([[1]]))).x[0];
 * // 0.75
 * ```
 */
export const miniBatchEm: CircuitLearner<EmConfig, EmState> = makeEm('miniBatchEm', false);
