import { assertKnownKeys, configKeys, DescentError, assertFinite } from '@descent/linalg';
import type { Method, MethodState } from './method.js';
import { projectBallInto } from './o2nc.js';
import { booleanParam, checkGradient, gradOf, numberParam, type Writable } from './sam-internal.js';
import { advanceConversionWindow } from './internal/conversion-window.js';
import { checkOptimisticO2ncState } from './internal/ball-states.js';

const OPTIMISTIC_O2NC_KEYS = configKeys<OptimisticO2ncConfig>()('radius', 'lr', 'window', 'iterations', 'tolerance', 'check');

/** Config of {@link optimisticO2nc}. D, η and T are theory-driven in the paper; expose them. */
export interface OptimisticO2ncConfig {
  /** Ball radius D > 0 of the plays ‖Δ_n‖, ‖Δ̂_n‖ ≤ D. */
  readonly radius: number;
  /** Optimistic OGD step size η ≥ 0. The fixed-point map contracts when η·L/2 < 1 (L: gradient Lipschitz constant). */
  readonly lr: number;
  /** Window length T ≥ 1 of the averaged output. */
  readonly window: number;
  /**
   * K ≥ 1: the most fixed-point refinements of the hint per round; a round then costs at most K + 1
   * gradients (CMO23 take K = O(log(1/ε))). Default 10.
   */
  readonly iterations?: number;
  /**
   * Stop the inner loop early once the fixed-point residual ‖T(Δ) − Δ‖ ≤ tolerance (≥ 0, absolute, in
   * the units of Δ). Default 0: run all K refinements unless the residual is exactly 0.
   */
  readonly tolerance?: number;
  /** Check each gradient (O(n)). Default true. */
  readonly check?: boolean;
}

/** State of {@link optimisticO2nc}. */
export interface OptimisticO2ncState extends MethodState {
  /** The output: the average w̄_k of the last completed window of midpoints w_n (x0 before). */
  readonly x: Float64Array;
  /** x_{n−1} + ½Δ^{(k)}, where the next gradient is taken. */
  readonly query: Float64Array;
  /** Completed rounds n. */
  readonly t: number;
  /** Fixed-point refinements done in the current round (0 at its start). */
  readonly iteration: number;
  /** x_{n−1}. */
  readonly anchor: Float64Array;
  /**
   * The current candidate play Δ^{(k)}; at the start of a round (iteration 0) the last play Δ_{n−1},
   * which warm-starts the fixed-point loop.
   */
  readonly delta: Float64Array;
  /** The lazy OGD iterate Δ̂_n (Δ̂_{n+1} = Π_D(Δ̂_n − ηg_n) at the end of round n). */
  readonly deltaHat: Float64Array;
  /** The hint that produced the current candidate, Δ^{(k)} = Π_D(Δ̂_n − η·hint) (zeros at iteration 0). */
  readonly hint: Float64Array;
  /** The last fixed-point residual ‖Δ^{(k+1)} − Δ^{(k)}‖ (NaN before the first refinement of a round). */
  readonly residual: number;
  /** Refinements the last completed round used (its gradients: that + 1). */
  readonly lastIterations: number;
  /** Σ_n ‖g_n − h_n‖² over completed rounds: how far the hints were from the gradients they predicted. */
  readonly sumSqHintError: number;
  readonly windowSum: Float64Array;
  readonly windowCount: number;
  readonly windows: number;
  /** Σ_n ⟨g_n, Δ_n⟩ over completed rounds (equals F(x_n) − F(x_0) on quadratics: midpoint rule). */
  readonly sumInner: number;
  /** Gradient observations consumed, fixed-point loop included. */
  readonly gradEvals: number;
  readonly radius: number;
  readonly lr: number;
  readonly window: number;
  readonly iterations: number;
  readonly tolerance: number;
  readonly check: boolean;
}

/**
 * Online-to-nonconvex conversion with an optimistic OGD learner whose hint is found by a fixed-point
 * loop: the deterministic second-order-smooth instance of Cutkosky, Mehta & Orabona (ICML 2023), the
 * double loop that the double-optimism paper (Patitucci, Jiang & Mokhtari 2025) replaces by one
 * extrapolated gradient ({@link odog}).
 *
 * Round n wants the play Δ_n = Π_D(Δ̂_n − ηh_n) with the hint h_n = ∇F(x_{n−1} + ½Δ_n), the gradient
 * at the point where the round's loss is taken; since Δ_n depends on h_n, this is the fixed point of
 * T(Δ) = Π_D(Δ̂_n − η∇F(x_{n−1} + ½Δ)), a contraction with factor ηL/2 (Π_D is non-expansive). The
 * loop starts at Δ^{(0)} = Δ_{n−1} and iterates Δ^{(k+1)} = T(Δ^{(k)}), one gradient a_k at
 * x_{n−1} + ½Δ^{(k)} each, until the residual ‖Δ^{(k+1)} − Δ^{(k)}‖ ≤ `tolerance` (k ≥ 1) or k = K.
 * It plays Δ_n = Δ^{(k)} (hint h_n = a_{k−1}), whose midpoint gradient g_n = a_k is already known, so
 * no extra call is needed; and T(Δ^{(k)}) = Π_D(Δ̂_n − ηg_n) is exactly the lazy update Δ̂_{n+1}.
 * A round therefore costs k + 1 ∈ [2, K + 1] gradients, all counted in `gradEvals`. The anchor moves
 * x_n = x_{n−1} + Δ_n; the output is the window average of the midpoints w_n = x_{n−1} + ½Δ_n.
 *
 * With K = 1 this is {@link odog} with its defaults (extrapolation ½, no hint correction), bit for bit:
 * one refinement from the previous play is the extrapolated hint.
 *
 * [RECON] The optimistic learner (OGD with a lazy iterate), the warm start and the stopping rule are
 * reconstructions: the spec (§5.1) states the fixed-point equation and its O(log 1/ε) loop, not the
 * paper's exact learner.
 *
 * @example
 * ```ts
 * let s = optimisticO2nc.init({ radius: 0.1, lr: 0.05, window: 5, iterations: 3 }, new Float64Array([1]));
 * while (s.t < 20) s = optimisticO2nc.step(s, new Float64Array([2 * s.query[0]!])); // F = x²; 2 to 4 gradients a round
 * [s.windows, s.gradEvals, Math.abs(s.x[0]!) < 0.2];
 * // [4, 62, true]
 * ```
 */
export const optimisticO2nc: Method<OptimisticO2ncConfig, OptimisticO2ncState, Float64Array> = {
  name: 'optimisticO2nc',
  observes: 'grad',
  init(cfg: OptimisticO2ncConfig, x0: Float64Array): OptimisticO2ncState {
    const where = 'optimisticO2nc';
    assertKnownKeys(cfg, OPTIMISTIC_O2NC_KEYS, where);
    if (!(x0 instanceof Float64Array) || x0.length === 0) throw new DescentError('SHAPE_MISMATCH', where, 'x0 must be a non-empty Float64Array');
    assertFinite(x0, where, 'x0');
    const radius = numberParam(where, 'radius', cfg.radius, NaN, (v) => Number.isFinite(v) && v > 0, 'a finite number > 0');
    const lr = numberParam(where, 'lr', cfg.lr, NaN, (v) => Number.isFinite(v) && v >= 0, 'a finite number >= 0');
    const window = numberParam(where, 'window', cfg.window, NaN, (v) => Number.isInteger(v) && v >= 1, 'an integer >= 1');
    const iterations = numberParam(where, 'iterations', cfg.iterations, 10, (v) => Number.isInteger(v) && v >= 1 && v <= 1e6, 'an integer in [1, 1e6]');
    const tolerance = numberParam(where, 'tolerance', cfg.tolerance, 0, (v) => Number.isFinite(v) && v >= 0, 'a finite number >= 0');
    const check = booleanParam(where, 'check', cfg.check, true);
    const n = x0.length;
    return {
      x: new Float64Array(x0),
      query: new Float64Array(x0), // x0 + ½Δ^{(0)} with Δ^{(0)} = Δ_0 = 0
      t: 0,
      iteration: 0,
      anchor: new Float64Array(x0),
      delta: new Float64Array(n),
      deltaHat: new Float64Array(n),
      hint: new Float64Array(n),
      residual: NaN,
      lastIterations: 0,
      sumSqHintError: 0,
      windowSum: new Float64Array(n),
      windowCount: 0,
      windows: 0,
      sumInner: 0,
      gradEvals: 0,
      radius,
      lr,
      window,
      iterations,
      tolerance,
      check,
    };
  },
  step(s, g) {
    checkOptimisticO2ncState('optimisticO2nc.step', s);
    const n = s.x.length;
    const out: Writable<OptimisticO2ncState> = {
      ...s,
      x: new Float64Array(n),
      query: new Float64Array(n),
      anchor: new Float64Array(n),
      delta: new Float64Array(n),
      deltaHat: new Float64Array(n),
      hint: new Float64Array(n),
      windowSum: new Float64Array(n),
    };
    return advance(s, g, out);
  },
  stepInto(s, g, out) {
    checkOptimisticO2ncState('optimisticO2nc.stepInto', s, out);
    const bufs = ['x', 'query', 'anchor', 'delta', 'deltaHat', 'hint', 'windowSum'] as const;
    if (out === s || bufs.some((b) => out[b] === s[b])) {
      throw new DescentError('INVALID_CONFIG', 'optimisticO2nc', 'stepInto: out must not be (or share buffers with) state');
    }
    if (bufs.some((b) => !(out[b] instanceof Float64Array) || out[b].length !== s.x.length)) {
      throw new DescentError('SHAPE_MISMATCH', 'optimisticO2nc', "stepInto: out does not have the state's shape");
    }
    return advance(s, g, out as Writable<OptimisticO2ncState>);
  },
};

function copyConfig(s: OptimisticO2ncState, out: Writable<OptimisticO2ncState>): void {
  out.radius = s.radius;
  out.lr = s.lr;
  out.window = s.window;
  out.iterations = s.iterations;
  out.tolerance = s.tolerance;
  out.check = s.check;
}

function advance(s: OptimisticO2ncState, obs: Float64Array, out: Writable<OptimisticO2ncState>): OptimisticO2ncState {
  const a = gradOf(obs, 'optimisticO2nc');
  const n = s.x.length;
  checkGradient('optimisticO2nc', a, n, s.check);
  copyConfig(s, out);
  out.gradEvals = s.gradEvals + 1;
  const k = s.iteration;
  const cand = s.delta;
  // next = T(Δ^{(k)}) = Π_D(Δ̂_n − η a_k), written where it ends up: the lazy iterate if the round
  // ends here, the next candidate otherwise.
  let r2 = 0;
  for (let i = 0; i < n; i++) {
    const v = s.deltaHat[i]! - s.lr * a[i]!;
    out.deltaHat[i] = v;
  }
  projectBallInto(out.deltaHat, s.radius, out.deltaHat);
  for (let i = 0; i < n; i++) {
    const e = out.deltaHat[i]! - cand[i]!;
    r2 += e * e;
  }
  const residual = k === 0 ? NaN : Math.sqrt(r2);
  const finish = k >= 1 && (residual <= s.tolerance || k >= s.iterations);
  if (!finish) {
    // Continue the loop: Δ^{(k+1)} = next, with the hint a_k; Δ̂_n is unchanged.
    out.delta.set(out.deltaHat);
    out.deltaHat.set(s.deltaHat);
    out.hint.set(a);
    const q = out.query;
    for (let i = 0; i < n; i++) q[i] = s.anchor[i]! + 0.5 * out.delta[i]!;
    out.anchor.set(s.anchor);
    out.x.set(s.x);
    out.windowSum.set(s.windowSum);
    out.windowCount = s.windowCount;
    out.windows = s.windows;
    out.sumInner = s.sumInner;
    out.sumSqHintError = s.sumSqHintError;
    out.lastIterations = s.lastIterations;
    out.residual = residual;
    out.iteration = k + 1;
    out.t = s.t;
    return out;
  }
  // End of round n: play Δ_n = Δ^{(k)}, whose midpoint gradient g_n = a_k was just observed (s.query
  // is w_n); out.deltaHat already holds Δ̂_{n+1} = Π_D(Δ̂_n − ηg_n).
  let inner = 0;
  let err = 0;
  for (let i = 0; i < n; i++) {
    inner += a[i]! * cand[i]!;
    const e = a[i]! - s.hint[i]!;
    err += e * e;
  }
  const { windowCount, windows } = advanceConversionWindow(s, cand, out);
  out.delta.set(cand); // warm start of the next round: Δ^{(0)}_{n+1} = Δ_n
  out.hint.fill(0);
  const q = out.query;
  for (let i = 0; i < n; i++) q[i] = out.anchor[i]! + 0.5 * cand[i]!;
  out.windowCount = windowCount;
  out.windows = windows;
  out.sumInner = s.sumInner + inner;
  out.sumSqHintError = s.sumSqHintError + err;
  out.lastIterations = k;
  out.residual = residual;
  out.iteration = 0;
  out.t = s.t + 1;
  return out;
}
