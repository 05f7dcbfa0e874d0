import { assertKnownKeys, configKeys, DescentError, describeValue } from '@descent/linalg';
import { adam, cloneState, type AdamState } from '@descent/optimizers';
import { KIND, checkParams, type CompiledCircuit } from '../compile.js';
import type { CircuitLearner, CircuitLearnerState } from './method.js';
import { topDownInto } from '../engine.js';
import { checkEntropy, checkStatistics, tdScratch } from './mstep.js';
import { buffer, checkLearnerOut, checkLearnerState, finiteNonNegative, type ScalarRule } from './state-check.js';
import type { BatchStatistics } from '../statistics.js';

/** Config of {@link adamCircuit}. */
export interface AdamCircuitConfig {
  readonly circuit: CompiledCircuit;
  /** Learning rate; default 1e-2 (the spec's baseline). */
  readonly lr?: number;
  readonly beta1?: number;
  readonly beta2?: number;
  readonly eps?: number;
  /**
   * Entropy regularisation τ ≥ 0 (Liu & Van den Broeck 2021): ascends mean LL + τ·Σ_n TD(n)·H(θ_n)
   * over sum, categorical and Bernoulli nodes, TD frozen at the current parameters. Default 0.
   */
  readonly entropy?: number;
  readonly check?: boolean;
}

/**
 * State of {@link adamCircuit}: the parameters, and the state of `@descent/optimizers`' Adam over
 * their unconstrained logits (`adam.x`), plus a gradient buffer.
 */
export interface AdamCircuitState extends CircuitLearnerState {
  readonly circuit: CompiledCircuit;
  /** Adam over the logits: sum/categorical log-weights (softmax), Bernoulli logit p, Gaussian [mu, log sigma]. */
  readonly adam: AdamState;
  /** The last ascent gradient in logit space (scratch, kept so `stepInto` allocates nothing). */
  readonly grad: Float64Array;
  readonly entropy: number;
  readonly check: boolean;
}

const LOG_FLOOR = Math.log(Number.MIN_VALUE);

/**
 * The gradient baseline of spec (f): `@descent/optimizers`' Adam (PyTorch's update order, `maximize`)
 * ascending the mean log-likelihood in unconstrained logits (softmax per sum node and categorical,
 * sigmoid per Bernoulli, log sigma per Gaussian), with the gradient read off the flows:
 * `∂LL/∂z_{n,c} = EF[n,c] - F(n) θ_{n,c}` (EiNet/pyjuice identity `EF = θ ∂LL/∂θ`), divided by the
 * batch count.
 *
 * @example
 * ```ts
 * const c = compile({ numVars: 1, nodes: [bernoulliNode(0, 0.5)] });
 * const s0 = adamCircuit.init({ circuit: c, lr: 0.1 }, c.params);
 * adamCircuit.step(s0, batchStatistics(c, s0.x, fromRows([[1]]))).x[0] > 0.5;
 * // true
 * ```
 */
export const adamCircuit: CircuitLearner<AdamCircuitConfig, AdamCircuitState> = {
  name: 'adamCircuit',
  observes: 'flows',
  init(cfg, x0) {
    const where = 'adamCircuit.init';
    assertKnownKeys(cfg, configKeys<AdamCircuitConfig>()('circuit', 'lr', 'beta1', 'beta2', 'eps', 'entropy', 'check'), where);
    if (cfg === null || typeof cfg !== 'object' || cfg.circuit === undefined) throw new DescentError('INVALID_CONFIG', where, 'cfg.circuit (a compiled circuit) is required');
    const lr = cfg.lr ?? 1e-2;
    if (!(lr > 0) || !Number.isFinite(lr)) throw new DescentError('INVALID_CONFIG', where, `lr = ${lr} must be positive`);
    const cc = cfg.circuit;
    const entropy = cfg.entropy ?? 0;
    checkEntropy(entropy, where);
    checkParams(cc, x0, where);
    const logits = new Float64Array(cc.numParams);
    for (let i = 0; i < cc.numNodes; i++) {
      const o = cc.paramPtr[i]!;
      if (o < 0) continue;
      const kd = cc.kind[i]!;
      const len = kd === KIND.sum ? cc.childPtr[i + 1]! - cc.childPtr[i]! : kd === KIND.categorical ? cc.leafArg[i]! : 0;
      if (len > 0) for (let j = o; j < o + len; j++) logits[j] = x0[j]! > 0 ? Math.log(x0[j]!) : LOG_FLOOR;
      else if (kd === KIND.bernoulli) {
        const p = Math.min(Math.max(x0[o]!, Number.MIN_VALUE), 1 - Number.EPSILON / 2);
        logits[o] = Math.log(p) - Math.log1p(-p);
      } else if (kd === KIND.gaussian) {
        logits[o] = x0[o]!;
        logits[o + 1] = Math.log(x0[o + 1]!);
      }
    }
    const check = cfg.check ?? true;
    // Adam validates lr, betas and eps and reports them under its own name.
    const inner = adam.init({ lr, betas: [cfg.beta1 ?? 0.9, cfg.beta2 ?? 0.999], eps: cfg.eps ?? 1e-8, maximize: true, check }, logits);
    const x = Float64Array.from(x0);
    return { x, query: x, t: 0, circuit: cc, adam: inner, grad: new Float64Array(cc.numParams), entropy, check };
  },
  step(state, obs) {
    const where = 'adamCircuit.step';
    const cc = checkAdamCircuitState(state, where);
    checkStatistics(cc, obs, where, state.check);
    const x = new Float64Array(state.x.length);
    // The compiled circuit is shared, never copied: only the per-step buffers are fresh.
    const out = { ...state, x, query: x, adam: cloneState(state.adam), grad: new Float64Array(state.grad.length) };
    return advance(state, obs, out);
  },
  stepInto(state, obs, out) {
    const where = 'adamCircuit.stepInto';
    const cc = checkAdamCircuitState(state, where);
    checkStatistics(cc, obs, where, state.check);
    checkLearnerOut(state as unknown as Record<string, unknown>, out, ['x', 'grad'], obs, where);
    const o = out as unknown as Record<string, unknown>;
    if (o.adam === null || typeof o.adam !== 'object' || o.adam === state.adam) throw new DescentError('INVALID_CONFIG', where, 'out.adam must be an Adam state of its own (from cloneState)');
    return advance(state, obs, out);
  },
};

const RULES: readonly ScalarRule[] = [['entropy', finiteNonNegative, 'a finite number >= 0']];

/** The learner's fields; the inner Adam state is checked by Adam itself before it writes anything. */
function checkAdamCircuitState(state: AdamCircuitState, where: string): CompiledCircuit {
  const cc = checkLearnerState(state, where, RULES);
  buffer(state.grad, cc.numParams, where, 'state.grad');
  const inner = (state as unknown as Record<string, unknown>).adam;
  if (inner === null || typeof inner !== 'object') throw new DescentError('SHAPE_MISMATCH', where, `state.adam must be an Adam state, got ${describeValue(inner)}`);
  buffer((inner as Record<string, unknown>).x, cc.numParams, where, 'state.adam.x');
  return cc;
}

// The gradient is formed here and copied into out.grad only once Adam has accepted the step.
const gradScratch = new WeakMap<CompiledCircuit, Float64Array>();

function advance(state: AdamCircuitState, obs: BatchStatistics, out: AdamCircuitState): AdamCircuitState {
  const cc = state.circuit;
  const inv = 1 / obs.count;
  const th = state.x;
  let g = gradScratch.get(cc);
  if (g === undefined) {
    g = new Float64Array(cc.numParams);
    gradScratch.set(cc, g);
  }
  // The ascent gradient of the mean log-likelihood in logit space.
  for (let i = 0; i < cc.numNodes; i++) {
    const o = cc.paramPtr[i]!;
    if (o < 0) continue;
    const kd = cc.kind[i]!;
    if (kd === KIND.sum || kd === KIND.categorical) {
      const len = kd === KIND.sum ? cc.childPtr[i + 1]! - cc.childPtr[i]! : cc.leafArg[i]!;
      const src = kd === KIND.sum ? obs.edgeFlows : obs.leafStats;
      const so = kd === KIND.sum ? o : cc.statPtr[i]!;
      let f = 0;
      for (let j = 0; j < len; j++) f += src[so + j]!;
      for (let j = 0; j < len; j++) g[o + j] = (src[so + j]! - f * th[o + j]!) * inv;
    } else if (kd === KIND.bernoulli) {
      const so = cc.statPtr[i]!;
      const s1 = obs.leafStats[so]!;
      g[o] = (s1 - (s1 + obs.leafStats[so + 1]!) * th[o]!) * inv;
    } else if (kd === KIND.gaussian) {
      const so = cc.statPtr[i]!;
      const mu = th[o]!;
      const sg2 = th[o + 1]! * th[o + 1]!;
      const sx = obs.leafStats[so]!;
      const sxx = obs.leafStats[so + 1]!;
      const s = obs.leafStats[so + 2]!;
      g[o] = ((sx - s * mu) / sg2) * inv;
      g[o + 1] = ((sxx - 2 * mu * sx + mu * mu * s) / sg2 - s) * inv;
    }
  }
  if (state.entropy > 0) addEntropyGradient(cc, th, state.entropy, topDownInto(cc, th, tdScratch(cc)), g);
  const inner = adam.stepInto!(state.adam, g, out.adam);
  out.grad.set(g);
  const z = inner.x;
  // Back from logits to parameters.
  for (let i = 0; i < cc.numNodes; i++) {
    const o = cc.paramPtr[i]!;
    if (o < 0) continue;
    const kd = cc.kind[i]!;
    if (kd === KIND.sum || kd === KIND.categorical) {
      softmaxInto(z, o, kd === KIND.sum ? cc.childPtr[i + 1]! - cc.childPtr[i]! : cc.leafArg[i]!, out.x);
    } else if (kd === KIND.bernoulli) {
      out.x[o] = 1 / (1 + Math.exp(-z[o]!));
    } else if (kd === KIND.gaussian) {
      out.x[o] = z[o]!;
      out.x[o + 1] = Math.max(Math.exp(z[o + 1]!), cc.minSigma[i]!);
    }
  }
  const next = out as { -readonly [K in keyof AdamCircuitState]: AdamCircuitState[K] };
  next.query = out.x;
  next.t = state.t + 1;
  next.circuit = cc;
  next.adam = inner;
  next.entropy = state.entropy;
  next.check = state.check;
  return out;
}

// g += τ·TD(n)·∂H(θ_n)/∂z: softmax logits ∂H/∂z_j = −θ_j (log θ_j + H); Bernoulli logit z: −z p (1 − p).
function addEntropyGradient(cc: CompiledCircuit, th: Float64Array, tau: number, td: Float64Array, g: Float64Array): void {
  for (let i = 0; i < cc.numNodes; i++) {
    const o = cc.paramPtr[i]!;
    const w = tau * td[i]!;
    if (o < 0 || w === 0) continue;
    const kd = cc.kind[i]!;
    if (kd === KIND.sum || kd === KIND.categorical) {
      const len = kd === KIND.sum ? cc.childPtr[i + 1]! - cc.childPtr[i]! : cc.leafArg[i]!;
      let h = 0;
      for (let j = o; j < o + len; j++) if (th[j]! > 0) h -= th[j]! * Math.log(th[j]!);
      for (let j = o; j < o + len; j++) if (th[j]! > 0) g[j] += -w * th[j]! * (Math.log(th[j]!) + h);
    } else if (kd === KIND.bernoulli) {
      const p = th[o]!;
      if (p > 0 && p < 1) g[o] += -w * (Math.log(p) - Math.log1p(-p)) * p * (1 - p);
    }
  }
}

function softmaxInto(z: Float64Array, o: number, len: number, out: Float64Array): void {
  let mx = -Infinity;
  for (let j = o; j < o + len; j++) if (z[j]! > mx) mx = z[j]!;
  let s = 0;
  for (let j = o; j < o + len; j++) {
    const e = Math.exp(z[j]! - mx);
    out[j] = e;
    s += e;
  }
  const r = 1 / s;
  for (let j = o; j < o + len; j++) out[j] = out[j]! * r;
}
