import { assertKnownKeys, configKeys, DescentError, assertFinite, foldIn, key as makeKey, uniform, type Key } from '@descent/linalg';
import type { Method, MethodState } from './method.js';
import { booleanParam, checkGradient, gradOf, norm2, numberParam, type Writable } from './sam-internal.js';
import { advanceConversionWindow } from './internal/conversion-window.js';
import { checkKey, checkO2ncState } from './internal/ball-states.js';
import { assertVector } from '@descent/linalg';

/** Where O2NC evaluates the gradient on the segment [x_{n−1}, x_n]. */
export type O2ncPoint =
  /** w_n = x_{n−1} + s_nΔ_n with s_n ∼ U[0, 1) from the state's key (CMO23, the general non-smooth analysis). */
  | 'uniform'
  /** s_n = ½ (the smooth / second-order-smooth analyses; exact telescoping on quadratics). */
  | 'midpoint';

/** Config of {@link o2nc}. */
const O2NC_KEYS = configKeys<O2ncConfig>()('radius', 'lr', 'window', 'point', 'check');

export interface O2ncConfig {
  /** Ball radius D > 0 of the online learner's plays ‖Δ_n‖ ≤ D. */
  readonly radius: number;
  /** OGD step size η ≥ 0. */
  readonly lr: number;
  /** Window length T ≥ 1: the output is the average of the last completed window of T points w_n. */
  readonly window: number;
  /** Default `'uniform'`. */
  readonly point?: O2ncPoint;
  /** Check each gradient (O(n)). Default true. */
  readonly check?: boolean;
}

/** State of {@link o2nc}. */
export interface O2ncState extends MethodState {
  /** The output: the average w̄_k of the last completed window (x0 before the first one completes). */
  readonly x: Float64Array;
  /** w_n, where the next gradient is taken. */
  readonly query: Float64Array;
  /** The anchor iterate x_{n−1} = x0 + Σ_{k<n} Δ_k. */
  readonly anchor: Float64Array;
  /** The learner's current play Δ_n (‖Δ_n‖ ≤ D). */
  readonly delta: Float64Array;
  /** s_n of the current round. */
  readonly s: number;
  /** Σ of the w_n of the current, incomplete window. */
  readonly windowSum: Float64Array;
  /** Points in the current window. */
  readonly windowCount: number;
  /** Completed windows. */
  readonly windows: number;
  /** Σ_k ⟨g_k, Δ_k⟩ over completed rounds (equals F(x_n) − F(x_0) on quadratics with s = ½). */
  readonly sumInner: number;
  /** Gradient observations consumed (one per round). */
  readonly gradEvals: number;
  readonly key: Key;
  readonly radius: number;
  readonly lr: number;
  readonly window: number;
  readonly point: O2ncPoint;
  readonly check: boolean;
}

/**
 * out ← Π_{‖·‖≤D}(v), the Euclidean projection onto the ball of radius D (`out` may alias `v`).
 *
 * @example
 * ```ts
 * projectBallInto(new Float64Array([3, 4]), 2.5, new Float64Array(2));
 * // Float64Array [1.5, 2]
 * ```
 */
export function projectBallInto(v: Float64Array, radius: number, out: Float64Array): Float64Array {
  assertVector(v, 'projectBallInto', 'v');
  assertVector(out, 'projectBallInto', 'out', v.length);
  if (typeof radius !== 'number' || !(radius >= 0)) throw new DescentError('DOMAIN', 'projectBallInto', `radius must be a number >= 0, got ${String(radius)}`);
  const nv = norm2(v);
  if (nv <= radius) {
    if (out !== v) out.set(v);
    return out;
  }
  const c = radius / nv;
  for (let i = 0; i < v.length; i++) out[i] = v[i]! * c;
  return out;
}

function drawS(point: O2ncPoint, k: Key, n: number): number {
  return point === 'midpoint' ? 0.5 : uniform(foldIn(k, n), 1)[0]!;
}

/**
 * Online-to-nonconvex conversion (Cutkosky, Mehta & Orabona, ICML 2023) with an online-gradient-descent
 * learner on the ball of radius D. Round n: the learner plays Δ_n = Π_D(Δ_{n−1} − ηg_{n−1}); the
 * anchor moves x_n = x_{n−1} + Δ_n; the gradient is taken at w_n = x_{n−1} + s_nΔ_n (s_n uniform, or ½);
 * the learner suffers ⟨g_n, Δ⟩. The output is the average of the w_n over each window of T rounds,
 * which is (TD, ε)-stationary when the learner's regret is low.
 *
 * [RECON] Algorithm 1 as stated in the spec (from CMO23's abstract and a third-party optax
 * implementation's docstring: "x_n = x_{n−1} + Δ_n and w_n = x_{n−1} + s_nΔ_n"), not from the paper text.
 *
 * @example
 * ```ts
 * import { key } from '@descent/linalg';
 * let s = o2nc.init({ radius: 0.1, lr: 0.05, window: 5, point: 'midpoint' }, new Float64Array([1]), key(0));
 * for (let n = 0; n < 50; n++) s = o2nc.step(s, new Float64Array([2 * s.query[0]!])); // F = x²
 * [s.windows, s.gradEvals];
 * // [10, 50]
 * ```
 */
export const o2nc: Method<O2ncConfig, O2ncState, Float64Array> = {
  name: 'o2nc',
  observes: 'grad',
  init(cfg: O2ncConfig, x0: Float64Array, k?: Key): O2ncState {
    const where = 'o2nc';
    assertKnownKeys(cfg, O2NC_KEYS, where);
    if (!(x0 instanceof Float64Array) || x0.length === 0) throw new DescentError('SHAPE_MISMATCH', where, 'x0 must be a non-empty Float64Array');
    assertFinite(x0, where, 'x0');
    const radius = numberParam(where, 'radius', cfg.radius, NaN, (v) => Number.isFinite(v) && v > 0, 'a finite number > 0');
    const lr = numberParam(where, 'lr', cfg.lr, NaN, (v) => Number.isFinite(v) && v >= 0, 'a finite number >= 0');
    const window = numberParam(where, 'window', cfg.window, NaN, (v) => Number.isInteger(v) && v >= 1, 'an integer >= 1');
    const point = cfg.point ?? 'uniform';
    if (point !== 'uniform' && point !== 'midpoint') throw new DescentError('INVALID_CONFIG', where, `point must be 'uniform' or 'midpoint', got ${String(point)}`);
    if (point === 'uniform' && k === undefined) throw new DescentError('INVALID_CONFIG', where, "point 'uniform' needs a PRNG key");
    if (k !== undefined) checkKey(where, k);
    const check = booleanParam(where, 'check', cfg.check, true);
    const kk = k ?? makeKey(0);
    const n = x0.length;
    const s = drawS(point, kk, 1);
    return {
      x: new Float64Array(x0),
      query: new Float64Array(x0), // x0 + s·Δ_1 with Δ_1 = 0
      t: 0,
      anchor: new Float64Array(x0),
      delta: new Float64Array(n),
      s,
      windowSum: new Float64Array(n),
      windowCount: 0,
      windows: 0,
      sumInner: 0,
      gradEvals: 0,
      key: kk,
      radius,
      lr,
      window,
      point,
      check,
    };
  },
  step(s, g) {
    checkO2ncState('o2nc.step', s);
    const n = s.x.length;
    const out = { ...s, x: new Float64Array(n), query: new Float64Array(n), anchor: new Float64Array(n), delta: new Float64Array(n), windowSum: new Float64Array(n) };
    return advance(s, g, out);
  },
  stepInto(s, g, out) {
    checkO2ncState('o2nc.stepInto', s, out);
    if (out === s || out.x === s.x || out.anchor === s.anchor || out.delta === s.delta || out.windowSum === s.windowSum || out.query === s.query) {
      throw new DescentError('INVALID_CONFIG', 'o2nc', 'stepInto: out must not be (or share buffers with) state');
    }
    if (out.x.length !== s.x.length) throw new DescentError('SHAPE_MISMATCH', 'o2nc', "stepInto: out does not have the state's shape");
    return advance(s, g, out as Writable<O2ncState>);
  },
};

function advance(s: O2ncState, obs: Float64Array, out: Writable<O2ncState>): O2ncState {
  const g = gradOf(obs, 'o2nc');
  const n = s.x.length;
  checkGradient('o2nc', g, n, s.check);
  const round = s.t + 1;
  const delta = s.delta;
  let inner = 0;
  for (let i = 0; i < n; i++) inner += g[i]! * delta[i]!;
  const { windowCount: count, windows } = advanceConversionWindow(s, delta, out);
  const anchor = out.anchor;
  // Learner: Δ_{n+1} = Π_D(Δ_n − ηg_n).
  const nd = out.delta;
  for (let i = 0; i < n; i++) nd[i] = delta[i]! - s.lr * g[i]!;
  projectBallInto(nd, s.radius, nd);
  const sNext = drawS(s.point, s.key, round + 1);
  const q = out.query;
  for (let i = 0; i < n; i++) q[i] = anchor[i]! + sNext * nd[i]!;
  out.s = sNext;
  out.t = round;
  out.windowCount = count;
  out.windows = windows;
  out.sumInner = s.sumInner + inner;
  out.gradEvals = s.gradEvals + 1;
  out.key = s.key;
  out.radius = s.radius;
  out.lr = s.lr;
  out.window = s.window;
  out.point = s.point;
  out.check = s.check;
  return out;
}
