import { assertKnownKeys, configKeys, DescentError } from '@descent/linalg';
import { cloneState, type FirstOrderMethod, type MethodState } from './method.js';
import { checkBuffers, checkGrad, checkOut, checkX0, flag, nonNegative, param, positive, unitInterval } from './internal/checks.js';
import { checkInto, checkState } from './internal/state-check.js';

/** The state's fields (hyperparameters included: step reads them), checked before anything is written. */
function checkAdamState(where: string, s: AdamState): void {
  checkState(where, s, {
    lr: { number: nonNegative, expected: 'a finite number >= 0' },
    beta1: { number: unitInterval, expected: 'in [0, 1)' },
    beta2: { number: unitInterval, expected: 'in [0, 1)' },
    eps: { number: positive, expected: 'a finite number > 0' },
    weightDecay: { number: nonNegative, expected: 'a finite number >= 0' },
    decoupled: 'boolean',
    amsgrad: 'boolean',
    maximize: 'boolean',
    check: 'boolean',
    threads: { number: (v) => Number.isInteger(v) && v >= 1 && v <= 64, expected: 'an integer in [1, 64]' },
    m: 'buffer',
    v: 'buffer',
  });
  checkState(where, s, { vMax: { buffer: s.amsgrad ? s.x.length : 0 } });
}
import type { Mutable } from './internal/mutable.js';
import { ARENA_MIN_LENGTH, adamArenaPair, adamArenaStep, sharedArena, type AdamKernelVariant } from './internal/adam-wasm.js';

/** Config of {@link adam} and {@link adamw}. Defaults are PyTorch's. */
export interface AdamConfig {
  /** Learning rate α ≥ 0. Default 1e-3. */
  readonly lr?: number;
  /** (β1, β2), each in [0, 1). Default (0.9, 0.999). */
  readonly betas?: readonly [number, number];
  /** ε > 0 added to the bias-corrected √v. Default 1e-8. */
  readonly eps?: number;
  /** Weight decay λ ≥ 0: L2 (added to the gradient) for `adam`, decoupled for `adamw`. Default 0 / 0.01. */
  readonly weightDecay?: number;
  /** AMSGrad: normalise by the running maximum of v. Default false. */
  readonly amsgrad?: boolean;
  /** Ascend instead of descend. Default false. */
  readonly maximize?: boolean;
  /** Check every gradient for finiteness (O(n)). Default true; length is always checked. */
  readonly check?: boolean;
  /**
   * Threads for the drivers' WebAssembly step from 131072 parameters (Node worker threads over shared
   * memory; one thread where those are missing). Results are bit-identical for every count. Default 1.
   */
  readonly threads?: number;
}

/** State of {@link adam} / {@link adamw}: parameters, moments, AMSGrad maximum (empty when off), hyperparameters. */
export interface AdamState extends MethodState {
  readonly m: Float64Array;
  readonly v: Float64Array;
  readonly vMax: Float64Array;
  readonly lr: number;
  readonly beta1: number;
  readonly beta2: number;
  readonly eps: number;
  readonly weightDecay: number;
  /** true for AdamW (decoupled decay), false for Adam (L2 decay). */
  readonly decoupled: boolean;
  readonly amsgrad: boolean;
  readonly maximize: boolean;
  readonly check: boolean;
  readonly threads: number;
}

const ADAM_KEYS = configKeys<AdamConfig>()('lr', 'betas', 'eps', 'weightDecay', 'amsgrad', 'maximize', 'check', 'threads');

function makeInit(where: string, decoupled: boolean) {
  return (cfg: AdamConfig, x0: Float64Array): AdamState => {
    assertKnownKeys(cfg, ADAM_KEYS, where);
    checkX0(where, x0);
    const betas = cfg.betas ?? [0.9, 0.999];
    if (!Array.isArray(betas) || betas.length !== 2) throw new DescentError('INVALID_CONFIG', where, 'betas must be a pair [β1, β2]');
    const amsgrad = flag(where, 'amsgrad', cfg.amsgrad, false);
    const x = x0.slice();
    return {
      x,
      query: x,
      t: 0,
      m: new Float64Array(x0.length),
      v: new Float64Array(x0.length),
      vMax: new Float64Array(amsgrad ? x0.length : 0),
      lr: param(where, 'lr', cfg.lr, 1e-3, nonNegative, 'a non-negative number'),
      beta1: param(where, 'betas[0]', betas[0], 0.9, unitInterval, 'in [0, 1)'),
      beta2: param(where, 'betas[1]', betas[1], 0.999, unitInterval, 'in [0, 1)'),
      eps: param(where, 'eps', cfg.eps, 1e-8, positive, 'a positive number'),
      weightDecay: param(where, 'weightDecay', cfg.weightDecay, decoupled ? 1e-2 : 0, nonNegative, 'a non-negative number'),
      decoupled,
      amsgrad,
      maximize: flag(where, 'maximize', cfg.maximize, false),
      check: flag(where, 'check', cfg.check, true),
      threads: param(where, 'threads', cfg.threads, 1, (v) => Number.isInteger(v) && v >= 1 && v <= 64, 'an integer in [1, 64]'),
    };
  };
}

/**
 * The fused Adam/AdamW update of one range [lo, hi) in PyTorch's order (single-tensor path, 1.13):
 *   x ← x·(1 − αλ) [AdamW];  d = ±g (+ λx [Adam]);  m ← m·β1 + (1−β1)·d;  v ← v·β2 + ((1−β2)·d)·d;
 *   den = √v / √(1−β2ᵗ) + ε;  x ← x + ((−α/(1−β1ᵗ))·m) / den.
 * `dir` multiplies the step (Hill-ADAM's ascent uses −1). Reads `x, m, v, vMax`, writes the `*o` arrays
 * (which may alias the inputs). Returns the first index whose new m or v is not finite, or −1: since
 * 0 < 1−β1 ≤ 1, m_new is finite exactly when the gradient entry is (given a finite m), so this is the
 * finiteness check of the gradient fused into the one pass; v_new also overflows when d² passes the
 * largest double (|d| ≳ 1.3e154), which would otherwise freeze that coordinate at v = ∞ for good.
 * Exported for Hill-ADAM; not public API.
 */
export function adamRange(
  x: Float64Array, g: Float64Array, m: Float64Array, v: Float64Array, vMax: Float64Array,
  xo: Float64Array, mo: Float64Array, vo: Float64Array, vMaxo: Float64Array,
  lo: number, hi: number,
  t: number, lr: number, beta1: number, beta2: number, eps: number, weightDecay: number,
  decoupled: boolean, amsgrad: boolean, gradSign: number, dir: number,
): number {
  const bc1 = 1 - beta1 ** t;
  const bc2 = 1 - beta2 ** t;
  const stepSize = lr / bc1;
  const bc2Sqrt = Math.sqrt(bc2);
  const decay = decoupled ? 1 - lr * weightDecay : 1;
  const l2 = decoupled ? 0 : weightDecay;
  const c1 = 1 - beta1;
  const c2 = 1 - beta2;
  const ns = -stepSize * dir;
  let bad = -1;
  // Whole-state steps between two states laid out in one WebAssembly arena (the drivers' ping-pong
  // buffers) run the SIMD kernel on the even prefix, bit-identical to the loops below, which then
  // finish the odd element if any.
  const arena = lo === 0 && hi >= ARENA_MIN_LENGTH ? sharedArena(x, m, v, vMax, xo, mo, vo, vMaxo) : undefined;
  if (arena !== undefined) {
    const variant: AdamKernelVariant = amsgrad ? 'amsgrad' : l2 !== 0 || gradSign !== 1 ? 'general' : decay === 1 ? 'plain' : 'decay';
    const even = hi - (hi % 2);
    const finite = adamArenaStep(arena, variant, even, x, g, m, v, vMax, xo, mo, vo, vMaxo, gradSign, l2, beta1, c1, beta2, c2, decay, ns, bc2Sqrt, eps);
    if (!finite) bad = firstNonFinite(mo, vo, 0, even);
    if (even === hi) return bad;
    lo = even;
  }
  // Specialised loops: V8 runs the plain Adam loop about twice as fast without the (no-op) decay,
  // L2 and sign multiplications. Each computes exactly what the general loop computes for its case.
  if (!amsgrad && l2 === 0 && gradSign === 1) {
    if (decay === 1) {
      for (let i = lo; i < hi; i++) {
        const d = g[i]!;
        const mi = m[i]! * beta1 + c1 * d;
        const vi = v[i]! * beta2 + c2 * d * d;
        if (mi - mi + (vi - vi) !== 0 && bad < 0) bad = i;
        mo[i] = mi;
        vo[i] = vi;
        xo[i] = x[i]! + (ns * mi) / (Math.sqrt(vi) / bc2Sqrt + eps);
      }
    } else {
      for (let i = lo; i < hi; i++) {
        const d = g[i]!;
        const mi = m[i]! * beta1 + c1 * d;
        const vi = v[i]! * beta2 + c2 * d * d;
        if (mi - mi + (vi - vi) !== 0 && bad < 0) bad = i;
        mo[i] = mi;
        vo[i] = vi;
        xo[i] = x[i]! * decay + (ns * mi) / (Math.sqrt(vi) / bc2Sqrt + eps);
      }
    }
    return bad;
  }
  if (!amsgrad) {
    for (let i = lo; i < hi; i++) {
      const xi = x[i]!;
      const d = gradSign * g[i]! + l2 * xi;
      const mi = m[i]! * beta1 + c1 * d;
      const vi = v[i]! * beta2 + c2 * d * d;
      if (mi - mi + (vi - vi) !== 0 && bad < 0) bad = i;
      mo[i] = mi;
      vo[i] = vi;
      xo[i] = xi * decay + (ns * mi) / (Math.sqrt(vi) / bc2Sqrt + eps);
    }
  } else {
    for (let i = lo; i < hi; i++) {
      const xi = x[i]!;
      const d = gradSign * g[i]! + l2 * xi;
      const mi = m[i]! * beta1 + c1 * d;
      const vi = v[i]! * beta2 + c2 * d * d;
      const wm = vMax[i]!;
      const w = vi > wm ? vi : wm;
      if (mi - mi + (vi - vi) !== 0 && bad < 0) bad = i;
      mo[i] = mi;
      vo[i] = vi;
      vMaxo[i] = w;
      xo[i] = xi * decay + (ns * mi) / (Math.sqrt(w) / bc2Sqrt + eps);
    }
  }
  return bad;
}

/** The first index in [lo, hi) where an entry of a or b is not finite, or −1. */
function firstNonFinite(a: Float64Array, b: Float64Array, lo: number, hi: number): number {
  for (let i = lo; i < hi; i++) if (a[i]! - a[i]! + (b[i]! - b[i]!) !== 0) return i;
  return -1;
}

/** Why the fused check rejected entry i: a non-finite gradient, or a moment that overflowed. */
export function adamFailure(g: Float64Array, m: Float64Array, v: Float64Array, i: number): string {
  const gi = g[i]!;
  if (gi - gi !== 0) return `gradient[${i}] is ${gi}`;
  const mi = m[i]!;
  if (mi - mi !== 0) return `the first moment m[${i}] became ${mi} (state or weight decay not finite)`;
  return `the second moment v[${i}] overflowed to ${v[i]} (gradient[${i}] = ${gi}: its square passes the largest double)`;
}

function into(where: string, s: AdamState, g: Float64Array, out: Mutable<AdamState>): AdamState {
  const n = s.x.length;
  checkBuffers(where, s, { m: n, v: n, vMax: s.amsgrad ? n : 0 });
  // Length here; finiteness is checked inside the fused pass (no extra pass over g). A rejected
  // gradient never touches `s`; `out`'s buffers (caller scratch for stepInto) are then unspecified.
  checkGrad(where, g, n, false);
  const t = s.t + 1;
  const bad = adamRange(s.x, g, s.m, s.v, s.vMax, out.x, out.m, out.v, out.vMax, 0, n, t, s.lr, s.beta1, s.beta2, s.eps, s.weightDecay, s.decoupled, s.amsgrad, s.maximize ? -1 : 1, 1);
  if (bad >= 0 && s.check) {
    const gi = g[bad]!;
    throw new DescentError('NON_FINITE', where, adamFailure(g, out.m, out.v, bad));
  }
  out.query = out.x;
  out.t = t;
  out.lr = s.lr;
  out.beta1 = s.beta1;
  out.beta2 = s.beta2;
  out.eps = s.eps;
  out.weightDecay = s.weightDecay;
  out.decoupled = s.decoupled;
  out.amsgrad = s.amsgrad;
  out.maximize = s.maximize;
  out.check = s.check;
  out.threads = s.threads;
  return out;
}

function makeMethod(name: 'adam' | 'adamw', decoupled: boolean): FirstOrderMethod<AdamConfig, AdamState> {
  return {
    name,
    observes: 'grad',
    init: makeInit(`${name}.init`, decoupled),
    step(s, g) {
      checkAdamState(`${name}.step`, s);
      const n = s.x.length;
      const x = new Float64Array(n);
      const out = { ...s, x, query: x, m: new Float64Array(n), v: new Float64Array(n), vMax: new Float64Array(s.vMax.length) };
      return into(`${name}.step`, s, g, out);
    },
    pingPongStates(s) {
      checkAdamState(`${name}.pingPongStates`, s);
      return adamArenaPair(s, s.threads) ?? [cloneState(s), cloneState(s)];
    },
    stepInto(s, g, out) {
      checkAdamState(`${name}.stepInto`, s);
      checkBuffers(`${name}.stepInto`, out, {});
      checkOut(`${name}.stepInto`, s, out);
      if (!(out.m instanceof Float64Array) || !(out.v instanceof Float64Array) || !(out.vMax instanceof Float64Array) || out.m.length !== s.m.length || out.v.length !== s.v.length || out.vMax.length !== s.vMax.length) {
        throw new DescentError('SHAPE_MISMATCH', `${name}.stepInto`, 'out has buffers of the wrong length');
      }
      checkInto(`${name}.stepInto`, s, out);
      return into(`${name}.step`, s, g, out as Mutable<AdamState>);
    },
  };
}

/**
 * Adam (Kingma & Ba) with L2 weight decay, AMSGrad and `maximize`, in exactly PyTorch's
 * `torch.optim.Adam` order of operations (checked against 200-step PyTorch float64 trajectories to
 * 1e-12 relative). One fused pass over x, g, m, v per step.
 *
 * @example
 * ```ts
 * import { adam } from '@descent/optimizers';
 * const s0 = adam.init({ lr: 0.1 }, new Float64Array([1, 1]));
 * Array.from(adam.step(s0, new Float64Array([3, -0.5])).x, (v) => +v.toFixed(6));
 * // [0.9, 1.1]
 * ```
 */
export const adam: FirstOrderMethod<AdamConfig, AdamState> = makeMethod('adam', false);

/**
 * AdamW (Loshchilov & Hutter): Adam with decoupled weight decay x ← x·(1 − αλ) applied before the
 * moment update, exactly as `torch.optim.AdamW` (default λ = 0.01).
 *
 * @example
 * ```ts
 * import { adamw } from '@descent/optimizers';
 * const s0 = adamw.init({ lr: 0.1, weightDecay: 0.5 }, new Float64Array([1]));
 * +adamw.step(s0, new Float64Array([0])).x[0].toFixed(6); // decay 1 − 0.1·0.5; a zero gradient gives a zero Adam step
 * // 0.95
 * ```
 */
export const adamw: FirstOrderMethod<AdamConfig, AdamState> = makeMethod('adamw', true);
