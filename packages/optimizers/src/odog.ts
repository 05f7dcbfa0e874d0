import { assertKnownKeys, configKeys, DescentError, assertFinite } from '@descent/linalg';
import type { Method, MethodState } from './method.js';
import { projectBallInto } from './o2nc.js';
import { booleanParam, checkGradient, gradOf, numberParam, type Writable } from './sam-internal.js';
import { advanceConversionWindow } from './internal/conversion-window.js';
import { checkOdogState } from './internal/ball-states.js';

/** Config of {@link odog}. All of D, η, T are theory-driven in the paper (values not retrieved). */
const ODOG_KEYS = configKeys<OdogConfig>()('radius', 'lr', 'window', 'extrapolation', 'queryPoint', 'hintCorrection', 'adaptiveScale', 'adaptiveEps', 'check');

export interface OdogConfig {
  /** Ball radius D > 0 of the plays ‖Δ_n‖, ‖Δ̂_n‖ ≤ D. */
  readonly radius: number;
  /**
   * OGD step size η ≥ 0, or `'adaptive'`: η_n = D·adaptiveScale/√(adaptiveEps + Σ_{k<n}‖g_k − ĥ_k‖²),
   * the AdaGrad-norm step of optimistic OGD [RECON: the paper's adaptive scheme was not retrievable].
   */
  readonly lr: number | 'adaptive';
  /** Window length T ≥ 1 of the averaged output. */
  readonly window: number;
  /** c in the hint point z_n = x_{n−1} + c·Δ_{n−1}. Default ½ [RECON]. */
  readonly extrapolation?: number;
  /** s in the query point w_n = x_{n−1} + s·Δ_n. Default ½ (midpoint). */
  readonly queryPoint?: number;
  /** Add g_{n−1} − a_{n−1} to the hint (optimistic assumption (i)). Default false [RECON]. */
  readonly hintCorrection?: boolean;
  /** Scale of the adaptive step. Default 1. */
  readonly adaptiveScale?: number;
  /** ε in the adaptive step's denominator. Default 1e-12. */
  readonly adaptiveEps?: number;
  /** Check each gradient (O(n)). Default true. */
  readonly check?: boolean;
}

/** State of {@link odog}. */
export interface OdogState extends MethodState {
  /** The output: the average of the last completed window of query points w_n (x0 before). */
  readonly x: Float64Array;
  /** z_n in phase 0 (hint point), w_n in phase 1. */
  readonly query: Float64Array;
  /** 0: observe a_n = ∇F(z_n); 1: observe g_n = ∇F(w_n). */
  readonly phase: number;
  /** x_{n−1}. */
  readonly anchor: Float64Array;
  /** Δ_{n−1} in phase 0 (the last play), Δ_n in phase 1. */
  readonly delta: Float64Array;
  /** The lazy OGD iterate Δ̂_n. */
  readonly deltaHat: Float64Array;
  /** The hint ĥ_n of the current round (phase 1). */
  readonly hint: Float64Array;
  /** a_{n−1} (and a_n once observed). */
  readonly hintGrad: Float64Array;
  /** g_{n−1}. */
  readonly lastGrad: Float64Array;
  /** Step size of the current round. */
  readonly eta: number;
  /** Σ_k ‖g_k − ĥ_k‖² (for the adaptive step). */
  readonly sumSqError: number;
  readonly windowSum: Float64Array;
  readonly windowCount: number;
  readonly windows: number;
  /** Σ_k ⟨g_k, Δ_k⟩ over completed rounds. */
  readonly sumInner: number;
  /** Gradient observations consumed (two per round). */
  readonly gradEvals: number;
  readonly radius: number;
  /** η, or NaN in adaptive mode. */
  readonly lr: number;
  readonly adaptive: boolean;
  readonly window: number;
  readonly extrapolation: number;
  readonly queryPoint: number;
  readonly hintCorrection: boolean;
  readonly adaptiveScale: number;
  readonly adaptiveEps: number;
  readonly check: boolean;
}

/**
 * ODOG, the online doubly optimistic gradient method on the online-to-nonconvex conversion
 * (Patitucci, Jiang & Mokhtari 2025). Each round takes two gradients: a_n at the extrapolated hint
 * point z_n = x_{n−1} + ½Δ_{n−1} (consecutive directions change slowly), which gives the hint ĥ_n = a_n
 * (+ g_{n−1} − a_{n−1} with `hintCorrection`); the optimistic OGD play Δ_n = Π_D(Δ̂_n − ηĥ_n) moves
 * the anchor x_n = x_{n−1} + Δ_n; then g_n at the midpoint w_n = x_{n−1} + ½Δ_n updates the lazy
 * iterate Δ̂_{n+1} = Π_D(Δ̂_n − ηg_n). The output is the window average of the w_n, as in O2NC.
 *
 * [RECON] The paper's text was not retrievable: the hint form, the extrapolation coefficient, the use
 * of g_{n−1} − a_{n−1} and the adaptive step are reconstructions, exposed as options (spec §5.2).
 *
 * @example
 * ```ts
 * let s = odog.init({ radius: 0.1, lr: 0.05, window: 5 }, new Float64Array([1]));
 * for (let k = 0; k < 100; k++) s = odog.step(s, new Float64Array([2 * s.query[0]!])); // F = x²
 * [s.t, s.gradEvals, Math.abs(s.x[0]!) < 0.2];
 * // [50, 100, true]
 * ```
 */
export const odog: Method<OdogConfig, OdogState, Float64Array> = {
  name: 'odog',
  observes: 'grad',
  init(cfg: OdogConfig, x0: Float64Array): OdogState {
    const where = 'odog';
    assertKnownKeys(cfg, ODOG_KEYS, where);
    if (!(x0 instanceof Float64Array) || x0.length === 0) throw new DescentError('SHAPE_MISMATCH', where, 'x0 must be a non-empty Float64Array');
    assertFinite(x0, where, 'x0');
    const radius = numberParam(where, 'radius', cfg.radius, NaN, (v) => Number.isFinite(v) && v > 0, 'a finite number > 0');
    const adaptive = cfg.lr === 'adaptive';
    const lr = adaptive ? NaN : numberParam(where, 'lr', cfg.lr as number, NaN, (v) => Number.isFinite(v) && v >= 0, "a finite number >= 0 or 'adaptive'");
    const window = numberParam(where, 'window', cfg.window, NaN, (v) => Number.isInteger(v) && v >= 1, 'an integer >= 1');
    const extrapolation = numberParam(where, 'extrapolation', cfg.extrapolation, 0.5, (v) => Number.isFinite(v), 'a finite number');
    const queryPoint = numberParam(where, 'queryPoint', cfg.queryPoint, 0.5, (v) => v >= 0 && v <= 1, 'in [0, 1]');
    const adaptiveScale = numberParam(where, 'adaptiveScale', cfg.adaptiveScale, 1, (v) => Number.isFinite(v) && v > 0, 'a finite number > 0');
    const adaptiveEps = numberParam(where, 'adaptiveEps', cfg.adaptiveEps, 1e-12, (v) => Number.isFinite(v) && v > 0, 'a finite number > 0');
    const hintCorrection = booleanParam(where, 'hintCorrection', cfg.hintCorrection, false);
    const check = booleanParam(where, 'check', cfg.check, true);
    const n = x0.length;
    return {
      x: new Float64Array(x0),
      query: new Float64Array(x0), // z_1 = x0 + c·Δ_0 with Δ_0 = 0
      t: 0,
      phase: 0,
      anchor: new Float64Array(x0),
      delta: new Float64Array(n),
      deltaHat: new Float64Array(n),
      hint: new Float64Array(n),
      hintGrad: new Float64Array(n),
      lastGrad: new Float64Array(n),
      eta: adaptive ? 0 : lr,
      sumSqError: 0,
      windowSum: new Float64Array(n),
      windowCount: 0,
      windows: 0,
      sumInner: 0,
      gradEvals: 0,
      radius,
      lr,
      adaptive,
      window,
      extrapolation,
      queryPoint,
      hintCorrection,
      adaptiveScale,
      adaptiveEps,
      check,
    };
  },
  step(s, g) {
    checkOdogState('odog.step', s);
    const out = structuredClone(s) as Writable<OdogState>;
    return advance(s, g, out);
  },
  stepInto(s, g, out) {
    checkOdogState('odog.stepInto', s, out);
    if (out === s || out.x === s.x || out.anchor === s.anchor || out.delta === s.delta || out.deltaHat === s.deltaHat || out.query === s.query) {
      throw new DescentError('INVALID_CONFIG', 'odog', 'stepInto: out must not be (or share buffers with) state');
    }
    if (out.x.length !== s.x.length) throw new DescentError('SHAPE_MISMATCH', 'odog', "stepInto: out does not have the state's shape");
    return advance(s, g, out as Writable<OdogState>);
  },
};

function copyConfig(s: OdogState, out: Writable<OdogState>): void {
  out.radius = s.radius;
  out.lr = s.lr;
  out.adaptive = s.adaptive;
  out.window = s.window;
  out.extrapolation = s.extrapolation;
  out.queryPoint = s.queryPoint;
  out.hintCorrection = s.hintCorrection;
  out.adaptiveScale = s.adaptiveScale;
  out.adaptiveEps = s.adaptiveEps;
  out.check = s.check;
}

function advance(s: OdogState, obs: Float64Array, out: Writable<OdogState>): OdogState {
  const g = gradOf(obs, 'odog');
  const n = s.x.length;
  checkGradient('odog', g, n, s.check);
  copyConfig(s, out);
  out.gradEvals = s.gradEvals + 1;
  if (s.phase === 0) {
    // g is a_n = ∇F(z_n): build the hint and play.
    const hint = out.hint;
    const useCorrection = s.hintCorrection && s.t > 0;
    for (let i = 0; i < n; i++) hint[i] = useCorrection ? g[i]! + (s.lastGrad[i]! - s.hintGrad[i]!) : g[i]!;
    const eta = s.adaptive ? (s.radius * s.adaptiveScale) / Math.sqrt(s.adaptiveEps + s.sumSqError) : s.lr;
    const delta = out.delta;
    for (let i = 0; i < n; i++) delta[i] = s.deltaHat[i]! - eta * hint[i]!;
    projectBallInto(delta, s.radius, delta);
    const q = out.query;
    for (let i = 0; i < n; i++) q[i] = s.anchor[i]! + s.queryPoint * delta[i]!;
    out.hintGrad.set(g);
    out.eta = eta;
    out.phase = 1;
    out.x.set(s.x);
    out.anchor.set(s.anchor);
    out.deltaHat.set(s.deltaHat);
    out.lastGrad.set(s.lastGrad);
    out.windowSum.set(s.windowSum);
    out.windowCount = s.windowCount;
    out.windows = s.windows;
    out.sumInner = s.sumInner;
    out.sumSqError = s.sumSqError;
    out.t = s.t;
    return out;
  }
  // g is g_n = ∇F(w_n).
  const delta = s.delta;
  let inner = 0;
  let err = 0;
  for (let i = 0; i < n; i++) {
    inner += g[i]! * delta[i]!;
    const e = g[i]! - s.hint[i]!;
    err += e * e;
  }
  const { windowCount: count, windows } = advanceConversionWindow(s, delta, out);
  const anchor = out.anchor;
  const dh = out.deltaHat;
  for (let i = 0; i < n; i++) dh[i] = s.deltaHat[i]! - s.eta * g[i]!;
  projectBallInto(dh, s.radius, dh);
  out.delta.set(delta);
  out.hint.set(s.hint);
  out.hintGrad.set(s.hintGrad);
  out.lastGrad.set(g);
  const q = out.query;
  for (let i = 0; i < n; i++) q[i] = anchor[i]! + s.extrapolation * delta[i]!;
  out.eta = s.eta;
  out.sumSqError = s.sumSqError + err;
  out.windowCount = count;
  out.windows = windows;
  out.sumInner = s.sumInner + inner;
  out.phase = 0;
  out.t = s.t + 1;
  return out;
}
