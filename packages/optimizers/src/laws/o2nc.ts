import fc from 'fast-check';
import { key, normal } from '@descent/linalg';
import { o2nc, type O2ncState } from '../o2nc.js';
import { odog, type OdogState } from '../odog.js';
import { randomQuadratic } from './sam.js';

/** Which online-to-nonconvex method a law drives. */
export type ConversionMethod = 'o2nc' | 'odog';

interface Round {
  /** The point w_n where the round's (second) gradient was taken. */
  w: Float64Array;
  /** The play Δ_n of the round. */
  delta: Float64Array;
  g: Float64Array;
  /** State after the round. */
  after: O2ncState | OdogState;
  /** Gradient evaluations spent in the round. */
  evals: number;
}

/** Runs `rounds` rounds of a conversion method against `grad`, reporting each round. */
function drive(
  which: ConversionMethod,
  cfg: { radius: number; lr: number; window: number; midpoint?: boolean; hintCorrection?: boolean },
  x0: Float64Array,
  grad: (w: Float64Array) => Float64Array,
  rounds: number,
  seed: number,
  each: (r: Round) => boolean,
): O2ncState | OdogState {
  if (which === 'o2nc') {
    let s = o2nc.init({ radius: cfg.radius, lr: cfg.lr, window: cfg.window, point: cfg.midpoint === false ? 'uniform' : 'midpoint' }, x0, key(seed));
    for (let n = 0; n < rounds; n++) {
      const w = new Float64Array(s.query);
      const delta = new Float64Array(s.delta);
      const g = grad(w);
      const e0 = s.gradEvals;
      s = o2nc.step(s, g);
      if (!each({ w, delta, g, after: s, evals: s.gradEvals - e0 })) break;
    }
    return s;
  }
  let s = odog.init({ radius: cfg.radius, lr: cfg.lr, window: cfg.window, hintCorrection: cfg.hintCorrection ?? false }, x0);
  for (let n = 0; n < rounds; n++) {
    const e0 = s.gradEvals;
    s = odog.step(s, grad(s.query));
    const w = new Float64Array(s.query);
    const delta = new Float64Array(s.delta);
    const g = grad(w);
    s = odog.step(s, g);
    if (!each({ w, delta, g, after: s, evals: s.gradEvals - e0 })) break;
  }
  return s;
}

function nrm(x: Float64Array): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i]! * x[i]!;
  return Math.sqrt(s);
}

const setting = fc.record({
  d: fc.integer({ min: 1, max: 6 }),
  seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
  radius: fc.double({ min: 0.01, max: 1, noNaN: true }),
  lr: fc.double({ min: 0, max: 1, noNaN: true }),
  window: fc.integer({ min: 1, max: 6 }),
  rounds: fc.integer({ min: 1, max: 30 }),
  hintCorrection: fc.boolean(),
});

/**
 * Oracle budget and the ball (spec §5.2(d)1): every round spends exactly 1 (O2NC) or 2 (ODOG)
 * gradient evaluations, and the plays stay in the ball: ‖Δ_n‖ ≤ D and ‖Δ̂_n‖ ≤ D (relative 1e-12 for
 * the rounding of the projection).
 *
 * @example
 * ```ts
 * import fc from 'fast-check';
 * fc.check(lawConversionBudgetAndBall('odog'), { numRuns: 50 }).failed;
 * // false
 * ```
 */
export function lawConversionBudgetAndBall(which: ConversionMethod) {
  return fc.property(setting, ({ d, seed, radius, lr, window, rounds, hintCorrection }) => {
    const pr = randomQuadratic(d, seed);
    let ok = true;
    drive(which, { radius, lr, window, midpoint: false, hintCorrection }, pr.x0, pr.grad, rounds, seed, (r) => {
      const bound = radius * (1 + 1e-12);
      ok = r.evals === (which === 'o2nc' ? 1 : 2) && r.after.gradEvals === r.after.t * r.evals && nrm(r.delta) <= bound && nrm(r.after.delta) <= bound;
      if (which === 'odog') ok = ok && nrm((r.after as OdogState).deltaHat) <= bound;
      return ok;
    });
    return ok;
  });
}

/**
 * The midpoint identity (spec §5.2(d)2). For a quadratic F with a deterministic oracle and s = ½:
 * F(x_N) − F(x_0) = Σ_n ⟨g_n, Δ_n⟩, because the midpoint rule integrates the linear ∇F exactly along
 * each segment. The state's `sumInner` is compared to F(anchor) − F(x0) within
 * 1e-11·(1 + N)·(1 + ‖H‖_F R² + ‖b‖R), R = ‖x0‖ + N·D (every iterate lies in that ball; each of
 * the O(N) roundings is relative to F's scale there).
 *
 * @example
 * ```ts
 * import fc from 'fast-check';
 * fc.check(lawMidpointIdentity('o2nc'), { numRuns: 50 }).failed;
 * // false
 * ```
 */
export function lawMidpointIdentity(which: ConversionMethod) {
  return fc.property(setting, ({ d, seed, radius, lr, window, rounds, hintCorrection }) => {
    const pr = randomQuadratic(d, seed);
    const f = (x: Float64Array): number => {
      let s = 0;
      for (let i = 0; i < d; i++) {
        let hx = 0;
        for (let j = 0; j < d; j++) hx += pr.h[i * d + j]! * x[j]!;
        s += 0.5 * x[i]! * hx - pr.b[i]! * x[i]!;
      }
      return s;
    };
    const s = drive(which, { radius, lr, window, midpoint: true, hintCorrection }, pr.x0, pr.grad, rounds, seed, () => true);
    const r = nrm(pr.x0) + rounds * radius;
    const tol = 1e-11 * (1 + rounds) * (1 + nrm(pr.h) * r * r + nrm(pr.b) * r);
    return Math.abs(f(s.anchor) - f(pr.x0) - s.sumInner) <= tol;
  });
}

/**
 * A linear loss F = ⟨c, x⟩ (spec §5.2(d)3): every gradient is c, so the (lazy) OGD iterate reaches
 * −D·c/‖c‖ after m = ⌈D/(η‖c‖)⌉ rounds, and from then on the anchor moves by −D·c/‖c‖ per round
 * (relative 1e-12·D).
 *
 * @example
 * ```ts
 * import fc from 'fast-check';
 * fc.check(lawLinearLossSaturation('o2nc'), { numRuns: 50 }).failed;
 * // false
 * ```
 */
export function lawLinearLossSaturation(which: ConversionMethod) {
  return fc.property(
    fc.integer({ min: 1, max: 6 }),
    fc.integer({ min: 0, max: 2 ** 31 - 1 }),
    fc.double({ min: 0.05, max: 1, noNaN: true }),
    fc.double({ min: 0.05, max: 1, noNaN: true }),
    (d, seed, radius, lr) => {
      const c = normal(key(seed), d);
      const cn = nrm(c);
      if (!(cn > 1e-3)) return true;
      const m = Math.ceil(radius / (lr * cn));
      if (m > 200) return true;
      const x0 = normal(key(seed + 1), d);
      const target = Float64Array.from(c, (v) => (-radius * v) / cn);
      let ok = true;
      let round = 0;
      let prevAnchor = new Float64Array(x0);
      drive(which, { radius, lr, window: 3 }, x0, () => new Float64Array(c), m + 3, seed, (r) => {
        round++;
        const lazy = which === 'o2nc' ? r.after.delta : (r.after as OdogState).deltaHat;
        const tol = 1e-12 * radius * (1 + m);
        if (round >= m) for (let i = 0; i < d; i++) if (Math.abs(lazy[i]! - target[i]!) > tol) ok = false;
        if (round >= m + 2) {
          for (let i = 0; i < d; i++) if (Math.abs(r.after.anchor[i]! - prevAnchor[i]! - target[i]!) > tol + 1e-15 * Math.abs(r.after.anchor[i]!)) ok = false;
        }
        prevAnchor = new Float64Array(r.after.anchor);
        return ok;
      });
      return ok;
    },
  );
}

/**
 * η = 0 means no motion from Δ = 0 (spec §5.2(d)4): the anchor stays x0 bit for bit, every query is
 * x0, and every window average is x0 (relative 1e-15: an average of T equal numbers rounds).
 *
 * @example
 * ```ts
 * import fc from 'fast-check';
 * fc.check(lawZeroStepNoMotion('odog'), { numRuns: 50 }).failed;
 * // false
 * ```
 */
export function lawZeroStepNoMotion(which: ConversionMethod) {
  return fc.property(setting, ({ d, seed, radius, window, rounds }) => {
    const pr = randomQuadratic(d, seed);
    let ok = true;
    drive(which, { radius, lr: 0, window, midpoint: false }, pr.x0, pr.grad, rounds, seed, (r) => {
      for (let i = 0; i < d; i++) {
        if (!Object.is(r.after.anchor[i], pr.x0[i]) || !Object.is(r.w[i], pr.x0[i])) ok = false;
        if (Math.abs(r.after.x[i]! - pr.x0[i]!) > 1e-15 * Math.abs(pr.x0[i]!)) ok = false;
      }
      return ok;
    });
    return ok;
  });
}

/**
 * Window averages (spec §5.2(d)5): each completed window's output is the mean of its T points w_n
 * (relative 1e-12), lies in their convex hull (checked coordinatewise), and the window's diameter is at
 * most T·D (relative 1e-12).
 *
 * @example
 * ```ts
 * import fc from 'fast-check';
 * fc.check(lawWindowAverage('o2nc'), { numRuns: 50 }).failed;
 * // false
 * ```
 */
export function lawWindowAverage(which: ConversionMethod) {
  return fc.property(setting, ({ d, seed, radius, lr, window, rounds, hintCorrection }) => {
    const pr = randomQuadratic(d, seed);
    let ok = true;
    let pts: Float64Array[] = [];
    drive(which, { radius, lr, window, midpoint: false, hintCorrection }, pr.x0, pr.grad, rounds, seed, (r) => {
      pts.push(r.w);
      if (r.after.windowCount !== 0) return true;
      for (let i = 0; i < d; i++) {
        let lo = Infinity;
        let hi = -Infinity;
        let mean = 0;
        for (const p of pts) {
          lo = Math.min(lo, p[i]!);
          hi = Math.max(hi, p[i]!);
          mean += p[i]!;
        }
        mean /= pts.length;
        const x = r.after.x[i]!;
        const slack = 1e-12 * (Math.abs(lo) + Math.abs(hi) + 1e-300);
        if (Math.abs(x - mean) > slack || x < lo - slack || x > hi + slack) ok = false;
      }
      for (const p of pts) {
        for (const q of pts) {
          let s = 0;
          for (let i = 0; i < d; i++) s += (p[i]! - q[i]!) ** 2;
          if (Math.sqrt(s) > window * radius * (1 + 1e-12)) ok = false;
        }
      }
      pts = [];
      return ok;
    });
    return ok;
  });
}

/**
 * Determinism (spec §5.2(d)6): O2NC is a function of its key (two runs with the same key are
 * bit-identical), and ODOG with a deterministic oracle is deterministic outright.
 *
 * @example
 * ```ts
 * import fc from 'fast-check';
 * fc.check(lawConversionDeterminism('o2nc'), { numRuns: 20 }).failed;
 * // false
 * ```
 */
export function lawConversionDeterminism(which: ConversionMethod) {
  return fc.property(setting, ({ d, seed, radius, lr, window, rounds, hintCorrection }) => {
    const pr = randomQuadratic(d, seed);
    const a = drive(which, { radius, lr, window, midpoint: false, hintCorrection }, pr.x0, pr.grad, rounds, seed, () => true);
    const b = drive(which, { radius, lr, window, midpoint: false, hintCorrection }, pr.x0, pr.grad, rounds, seed, () => true);
    for (let i = 0; i < d; i++) if (!Object.is(a.x[i], b.x[i]) || !Object.is(a.anchor[i], b.anchor[i]) || !Object.is(a.query[i], b.query[i])) return false;
    return true;
  });
}
