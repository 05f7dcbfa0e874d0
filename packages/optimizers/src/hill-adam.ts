import { assertKnownKeys, configKeys, DescentError } from '@descent/linalg';
import type { Method, MethodState, ValueAndGrad } from './method.js';
import { adamFailure, adamRange } from './adam.js';
import { checkBuffers, checkGrad, checkOut, checkValue, checkX0, choice, finite, flag, nonNegative, param, positive, unitInterval } from './internal/checks.js';
import { checkInto, checkState } from './internal/state-check.js';

const orNull = (v: unknown): boolean => v === null || (typeof v === 'number' && Number.isFinite(v));

/** The state's fields (hyperparameters included: step reads them), checked before anything is written. */
function checkHillAdamState(where: string, s: HillAdamState): void {
  checkState(where, s, {
    m: 'buffer', v: 'buffer', bestX: 'buffer', k: 'count', resets: 'count', flips: 'count',
    direction: { oneOf: ['min', 'max'] },
    prev: { test: orNull, expected: 'null or a finite number' },
    best: { test: (v) => typeof v === 'number' && !Number.isNaN(v), expected: 'a number (±Infinity before any value)' },
    notHere: 'boolean',
    lr: { number: nonNegative, expected: 'a finite number >= 0' },
    beta1: { number: unitInterval, expected: 'in [0, 1)' },
    beta2: { number: unitInterval, expected: 'in [0, 1)' },
    eps: { number: positive, expected: 'a finite number > 0' },
    delta: { number: nonNegative, expected: 'a finite number >= 0' },
    gammaHi: 'number', gammaLo: 'number', check: 'boolean',
  });
}
import type { Mutable } from './internal/mutable.js';

/** Config of {@link hillAdam}. Defaults are the official code's (2manikan/Hill-ADAM `updated_optimizer.py`). */
export interface HillAdamConfig {
  /** Step size α ≥ 0. Default 1e-4 (the official constructor; its colour-correction script uses 1e-2). */
  readonly lr?: number;
  /** (β1, β2). Default (0.9, 0.999). */
  readonly betas?: readonly [number, number];
  /** ε. Default 1e-8 (hard-coded in the official code). */
  readonly eps?: number;
  /** Plateau threshold δ: |L_t − L_{t−1}| < δ flips the direction. Default 1e-4. */
  readonly delta?: number;
  /** Loss ceiling γ_hi: L > γ_hi forces descent. Default 200. */
  readonly gammaHi?: number;
  /** Loss floor γ_lo: L < γ_lo forces ascent. Default −1e4. */
  readonly gammaLo?: number;
  /** Initial direction: `'min'` (default) or `'max'` (the official `maximize=True`). */
  readonly direction?: 'min' | 'max';
  /** Check every gradient and loss for finiteness (O(n)). Default true. */
  readonly check?: boolean;
}

/** State of {@link hillAdam}. */
export interface HillAdamState extends MethodState {
  /** Adam moments (zeroed on every switch). */
  readonly m: Float64Array;
  readonly v: Float64Array;
  /** Adam steps since the last moment reset (the bias-correction exponent). */
  readonly k: number;
  /** Current direction of travel. */
  readonly direction: 'min' | 'max';
  /** The previous loss, or null right after a switch (so a switch cannot repeat on the next call). */
  readonly prev: number | null;
  /** Lowest recorded loss (+∞ before any) and the parameters at which it was evaluated. */
  readonly best: number;
  readonly bestX: Float64Array;
  /** Debounce of the bound-triggered resets (true: the next bound hit resets the moments). */
  readonly notHere: boolean;
  /** Moment resets so far (plateau flips and bound hits that reset). */
  readonly resets: number;
  /** Direction flips caused by a plateau so far. */
  readonly flips: number;
  readonly lr: number;
  readonly beta1: number;
  readonly beta2: number;
  readonly eps: number;
  readonly delta: number;
  readonly gammaHi: number;
  readonly gammaLo: number;
  readonly check: boolean;
}

const HILL_ADAM_KEYS = configKeys<HillAdamConfig>()('lr', 'betas', 'eps', 'delta', 'gammaHi', 'gammaLo', 'direction', 'check');

function init(cfg: HillAdamConfig, x0: Float64Array): HillAdamState {
  const where = 'hillAdam.init';
  assertKnownKeys(cfg, HILL_ADAM_KEYS, where);
  checkX0(where, x0);
  const betas = cfg.betas ?? [0.9, 0.999];
  if (!Array.isArray(betas) || betas.length !== 2) throw new DescentError('INVALID_CONFIG', where, 'betas must be a pair [β1, β2]');
  const gammaHi = param(where, 'gammaHi', cfg.gammaHi, 200, finite, 'a finite number');
  const gammaLo = param(where, 'gammaLo', cfg.gammaLo, -1e4, finite, 'a finite number');
  if (!(gammaLo < gammaHi)) throw new DescentError('INVALID_CONFIG', where, `gammaLo (${gammaLo}) must be below gammaHi (${gammaHi})`);
  const x = x0.slice();
  return {
    x,
    query: x,
    t: 0,
    m: new Float64Array(x0.length),
    v: new Float64Array(x0.length),
    k: 0,
    direction: choice(where, 'direction', cfg.direction, 'min', ['min', 'max']),
    prev: null,
    best: Infinity,
    bestX: x0.slice(),
    notHere: true,
    resets: 0,
    flips: 0,
    lr: param(where, 'lr', cfg.lr, 1e-4, nonNegative, 'a non-negative number'),
    beta1: param(where, 'betas[0]', betas[0], 0.9, unitInterval, 'in [0, 1)'),
    beta2: param(where, 'betas[1]', betas[1], 0.999, unitInterval, 'in [0, 1)'),
    eps: param(where, 'eps', cfg.eps, 1e-8, positive, 'a positive number'),
    delta: param(where, 'delta', cfg.delta, 1e-4, nonNegative, 'a non-negative number'),
    gammaHi,
    gammaLo,
    check: flag(where, 'check', cfg.check, true),
  };
}

// Read-only zeros standing in for the moments right after a reset (never written).
let zeros = new Float64Array(0);
function zerosOf(n: number): Float64Array {
  if (zeros.length < n) zeros = new Float64Array(n);
  return zeros.length === n ? zeros : zeros.subarray(0, n);
}

function into(s: HillAdamState, obs: ValueAndGrad, out: Mutable<HillAdamState>): HillAdamState {
  const where = 'hillAdam.step';
  if (obs === null || typeof obs !== 'object') throw new DescentError('SHAPE_MISMATCH', where, 'the observation must be { value, grad }');
  const n = s.x.length;
  checkBuffers(where, s, { m: n, v: n, bestX: n });
  checkValue(where, obs.value);
  checkGrad(where, obs.grad, n, s.check);
  // The switching rule of the official code, line for line (spec §1(b)).
  let L: number | null = obs.value;
  let dir = s.direction;
  let prev = s.prev;
  let notHere = s.notHere;
  let changed = false;
  let flips = s.flips;
  if (prev !== null && Math.abs(L - prev) < s.delta) {
    dir = dir === 'min' ? 'max' : 'min';
    changed = true;
    flips++;
    prev = null;
    L = null;
  }
  if (L !== null) {
    if (L > s.gammaHi) {
      dir = 'min';
      if (notHere) changed = true;
      prev = null;
      L = null;
      notHere = false;
    } else notHere = true;
  }
  if (L !== null) {
    if (L < s.gammaLo) {
      dir = 'max';
      if (notHere) changed = true;
      prev = null;
      L = null;
      notHere = false;
    } else notHere = true;
  }
  const k = changed ? 1 : s.k + 1;
  const m = changed ? zerosOf(n) : s.m;
  const v = changed ? zerosOf(n) : s.v;
  // Best point: θ_t, the point where the recorded loss was evaluated (before this update).
  const record = L !== null && L < s.best;
  if (record) out.bestX.set(s.x);
  else if (out.bestX !== s.bestX) out.bestX.set(s.bestX);
  const bad = adamRange(s.x, obs.grad, m, v, m, out.x, out.m, out.v, out.m, 0, n, k, s.lr, s.beta1, s.beta2, s.eps, 0, false, false, 1, dir === 'min' ? 1 : -1);
  // With check on the gradient is finite, so a failure here is a moment that overflowed.
  if (bad >= 0 && s.check) throw new DescentError('NON_FINITE', where, adamFailure(obs.grad, out.m, out.v, bad));
  out.query = out.x;
  out.t = s.t + 1;
  out.k = k;
  out.direction = dir;
  out.prev = L;
  out.best = record ? (L as number) : s.best;
  out.notHere = notHere;
  out.resets = s.resets + (changed ? 1 : 0);
  out.flips = flips;
  out.lr = s.lr;
  out.beta1 = s.beta1;
  out.beta2 = s.beta2;
  out.eps = s.eps;
  out.delta = s.delta;
  out.gammaHi = s.gammaHi;
  out.gammaLo = s.gammaLo;
  out.check = s.check;
  return out;
}

/**
 * Hill-ADAM (Manikandan & Gilpin, arXiv 2510.03613): Adam that alternates between descent and ascent
 * to leave a basin. The rule is the official code's (spec §1(b)): a plateau |L_t − L_{t−1}| < δ flips
 * the direction; L > γ_hi forces descent and L < γ_lo ascent (debounced); every switch zeroes the
 * moments and the bias-correction counter; the lowest loss and the point where it was evaluated are
 * kept in `best`/`bestX`. Observes `{ value, grad }` at `state.query`.
 *
 * Where we deviate from the official code, deliberately: the Adam arithmetic follows
 * `torch.optim.Adam`'s order (the official code uses `lerp_` for m and a float32 bias correction, which
 * differ by rounding only); `best` is the lowest loss also when starting with `direction: 'max'` (the
 * official `maximize=True` never records a best state); the official weight decay is a no-op
 * (non-in-place `add`) and is not offered. The analytical step size of the paper was not retrievable.
 *
 * @example
 * ```ts
 * import { hillAdam } from '@descent/optimizers';
 * let s = hillAdam.init({ lr: 0.1 }, new Float64Array([1]));
 * s = hillAdam.step(s, { value: 5, grad: new Float64Array([1]) });
 * s = hillAdam.step(s, { value: 5, grad: new Float64Array([1]) }); // plateau: flip to ascent
 * [s.direction, s.best, +s.x[0].toFixed(6)];
 * // ['max', 5, 1]
 * ```
 */
export const hillAdam: Method<HillAdamConfig, HillAdamState, ValueAndGrad> = {
  name: 'hill-adam',
  observes: 'valueAndGrad',
  init,
  step(s, obs) {
    checkHillAdamState('hillAdam.step', s);
    const n = s.x.length;
    const x = new Float64Array(n);
    return into(s, obs, { ...s, x, query: x, m: new Float64Array(n), v: new Float64Array(n), bestX: new Float64Array(n) });
  },
  stepInto(s, obs, out) {
    checkHillAdamState('hillAdam.stepInto', s);
    checkBuffers('hillAdam.stepInto', out, { m: s.x.length, v: s.x.length, bestX: s.x.length });
    checkOut('hillAdam.stepInto', s, out);
    if (out.bestX === s.bestX || out.m === s.m || out.v === s.v) {
      throw new DescentError('INVALID_CONFIG', 'hillAdam.stepInto', 'out must not share buffers with state');
    }
    checkInto('hillAdam.stepInto', s, out);
    return into(s, obs, out as Mutable<HillAdamState>);
  },
};
