import fc from 'fast-check';
import { key, normal } from '@descent/linalg';
import { o2nc, type O2ncState } from '../o2nc.js';
import { odog, type OdogState } from '../odog.js';
import { optimisticO2nc, type OptimisticO2ncState } from '../optimistic-o2nc.js';
import { randomQuadratic } from './sam.js';

/** Which online-to-nonconvex method a law drives. */
export type ConversionMethod = 'o2nc' | 'odog' | 'optimisticO2nc';

type ConversionState = O2ncState | OdogState | OptimisticO2ncState;

interface Round {
  /** The point w_n where the round's (second) gradient was taken. */
  w: Float64Array;
  /** The play Δ_n of the round. */
  delta: Float64Array;
  g: Float64Array;
  /** State after the round. */
  after: ConversionState;
  /** Gradient evaluations spent in the round. */
  evals: number;
}

/** Runs `rounds` rounds of a conversion method against `grad`, reporting each round. */
function drive(
  which: ConversionMethod,
  cfg: { radius: number; lr: number; window: number; midpoint?: boolean; hintCorrection?: boolean; iterations?: number; tolerance?: number },
  x0: Float64Array,
  grad: (w: Float64Array) => Float64Array,
  rounds: number,
  seed: number,
  each: (r: Round) => boolean,
): ConversionState {
  if (which === 'optimisticO2nc') {
    let s = optimisticO2nc.init({ radius: cfg.radius, lr: cfg.lr, window: cfg.window, iterations: cfg.iterations ?? 3, tolerance: cfg.tolerance ?? 0 }, x0);
    for (let n = 0; n < rounds; n++) {
      const e0 = s.gradEvals;
      let w = new Float64Array(s.query);
      let delta = new Float64Array(s.delta);
      let g = grad(w);
      s = optimisticO2nc.step(s, g);
      while (s.iteration !== 0) {
        w = new Float64Array(s.query);
        delta = new Float64Array(s.delta);
        g = grad(w);
        s = optimisticO2nc.step(s, g);
      }
      if (!each({ w, delta, g, after: s, evals: s.gradEvals - e0 })) break;
    }
    return s;
  }
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
  iterations: fc.integer({ min: 1, max: 6 }),
  tolerance: fc.constantFrom(0, 1e-6, 1e-3),
});

/**
 * Oracle budget and the ball (spec §5.2(d)1): every round spends exactly 1 (O2NC) or 2 (ODOG)
 * gradient evaluations, or between 2 and K + 1 for the optimistic O2NC's fixed-point loop (and
 * `gradEvals` counts every one of them), and the plays stay in the ball: ‖Δ_n‖ ≤ D and ‖Δ̂_n‖ ≤ D
 * (relative 1e-12 for the rounding of the projection).
 *
 * @example
 * ```ts
 * import fc from 'fast-check';
 * fc.check(lawConversionBudgetAndBall('odog'), { numRuns: 50 }).failed;
 * // false
 * ```
 */
export function lawConversionBudgetAndBall(which: ConversionMethod) {
  return fc.property(setting, ({ d, seed, radius, lr, window, rounds, hintCorrection, iterations, tolerance }) => {
    const pr = randomQuadratic(d, seed);
    let ok = true;
    let evals = 0;
    drive(which, { radius, lr, window, midpoint: false, hintCorrection, iterations, tolerance }, pr.x0, pr.grad, rounds, seed, (r) => {
      const bound = radius * (1 + 1e-12);
      evals += r.evals;
      const budget = which === 'o2nc' ? r.evals === 1 : which === 'odog' ? r.evals === 2 : r.evals >= 2 && r.evals <= iterations + 1 && r.evals === (r.after as OptimisticO2ncState).lastIterations + 1;
      ok = budget && r.after.gradEvals === evals && nrm(r.delta) <= bound && nrm(r.after.delta) <= bound;
      if (which !== 'o2nc') ok = ok && nrm((r.after as OdogState | OptimisticO2ncState).deltaHat) <= bound;
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
  return fc.property(setting, ({ d, seed, radius, lr, window, rounds, hintCorrection, iterations, tolerance }) => {
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
    const s = drive(which, { radius, lr, window, midpoint: true, hintCorrection, iterations, tolerance }, pr.x0, pr.grad, rounds, seed, () => true);
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
        const lazy = which === 'o2nc' ? r.after.delta : (r.after as OdogState | OptimisticO2ncState).deltaHat;
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
  return fc.property(setting, ({ d, seed, radius, window, rounds, iterations }) => {
    const pr = randomQuadratic(d, seed);
    let ok = true;
    drive(which, { radius, lr: 0, window, midpoint: false, iterations }, pr.x0, pr.grad, rounds, seed, (r) => {
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
  return fc.property(setting, ({ d, seed, radius, lr, window, rounds, hintCorrection, iterations, tolerance }) => {
    const pr = randomQuadratic(d, seed);
    let ok = true;
    let pts: Float64Array[] = [];
    drive(which, { radius, lr, window, midpoint: false, hintCorrection, iterations, tolerance }, pr.x0, pr.grad, rounds, seed, (r) => {
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
 * bit-identical), and ODOG and the optimistic O2NC with a deterministic oracle are deterministic outright.
 *
 * @example
 * ```ts
 * import fc from 'fast-check';
 * fc.check(lawConversionDeterminism('o2nc'), { numRuns: 20 }).failed;
 * // false
 * ```
 */
export function lawConversionDeterminism(which: ConversionMethod) {
  return fc.property(setting, ({ d, seed, radius, lr, window, rounds, hintCorrection, iterations, tolerance }) => {
    const pr = randomQuadratic(d, seed);
    const cfg = { radius, lr, window, midpoint: false, hintCorrection, iterations, tolerance };
    const a = drive(which, cfg, pr.x0, pr.grad, rounds, seed, () => true);
    const b = drive(which, cfg, pr.x0, pr.grad, rounds, seed, () => true);
    for (let i = 0; i < d; i++) if (!Object.is(a.x[i], b.x[i]) || !Object.is(a.anchor[i], b.anchor[i]) || !Object.is(a.query[i], b.query[i])) return false;
    return true;
  });
}

function sameBits(a: Float64Array, b: Float64Array): boolean {
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return false;
  return true;
}

/**
 * One fixed-point refinement is ODOG: the optimistic O2NC with K = 1 (no tolerance) and ODOG with its
 * defaults (extrapolation ½, query point ½, no hint correction, fixed η) take their gradients at the
 * same points and keep the same anchor, lazy iterate, play and output, bit for bit, observation by
 * observation: refining once from the previous play is the doubly optimistic extrapolated hint.
 *
 * @example
 * ```ts
 * import fc from 'fast-check';
 * fc.check(lawOptimisticO2ncOneIterationIsOdog(), { numRuns: 30 }).failed;
 * // false
 * ```
 */
export function lawOptimisticO2ncOneIterationIsOdog() {
  return fc.property(setting, ({ d, seed, radius, lr, window, rounds }) => {
    const pr = randomQuadratic(d, seed);
    const grad = (w: Float64Array) => Float64Array.from(pr.grad(w), (v, i) => v + 0.1 * Math.sin(3 * w[i]!)); // not quadratic
    let a = optimisticO2nc.init({ radius, lr, window, iterations: 1 }, pr.x0);
    let b = odog.init({ radius, lr, window }, pr.x0);
    for (let k = 0; k < 2 * rounds; k++) {
      if (!sameBits(a.query, b.query)) return false;
      const g = grad(a.query);
      a = optimisticO2nc.step(a, g);
      b = odog.step(b, g);
      if (a.t !== b.t || a.gradEvals !== b.gradEvals || !sameBits(a.anchor, b.anchor) || !sameBits(a.x, b.x) || !sameBits(a.deltaHat, b.deltaHat) || !sameBits(a.delta, b.delta)) return false;
      if (!Object.is(a.sumInner, b.sumInner)) return false;
    }
    return true;
  });
}

/**
 * The fixed-point loop contracts (CMO23's inner loop). On a quadratic with Hessian H and
 * q = η‖H‖_F/2 < 1 (‖H‖_F bounds the gradient's Lipschitz constant), the map
 * T(Δ) = Π_D(Δ̂_n − η∇F(x_{n−1} + ½Δ)) is a q-contraction, so within every round the residuals
 * r_k = ‖Δ^{(k+1)} − Δ^{(k)}‖ satisfy r_{k+1} ≤ q·r_k (+ 1e-14·D of rounding). A round that stops
 * before K refinements has r ≤ tolerance, and ‖T(Δ_n) − Δ_n‖ recomputed from the definition is
 * ≤ tolerance (+ 1e-12·D): the play lies within tolerance/(1 − q) of the fixed point.
 *
 * @example
 * ```ts
 * import fc from 'fast-check';
 * fc.check(lawOptimisticO2ncContraction(), { numRuns: 30 }).failed;
 * // false
 * ```
 */
export function lawOptimisticO2ncContraction() {
  return fc.property(setting, fc.double({ min: 0.05, max: 0.9, noNaN: true }), ({ d, seed, radius, window, rounds, iterations, tolerance }, u) => {
    const pr = randomQuadratic(d, seed);
    const hF = nrm(pr.h);
    if (!(hF > 1e-6)) return true;
    const lr = (2 * u) / hF;
    const q = u;
    let s = optimisticO2nc.init({ radius, lr, window, iterations, tolerance }, pr.x0);
    let prev = NaN;
    let ok = true;
    for (let n = 0; n < rounds && ok; n++) {
      do {
        const before = s;
        s = optimisticO2nc.step(s, pr.grad(s.query));
        if (before.iteration >= 1) {
          if (before.iteration >= 2 && !(s.residual <= q * prev + 1e-14 * radius)) ok = false;
          prev = s.residual;
        }
        if (s.iteration === 0 && s.lastIterations < iterations) {
          // Stopped early: the play Δ_n = s.delta nearly solves Δ = T(Δ).
          if (!(s.residual <= tolerance)) ok = false;
          const w = Float64Array.from(before.anchor, (v, i) => v + 0.5 * s.delta[i]!);
          const g = pr.grad(w);
          const t = Float64Array.from(before.deltaHat, (v, i) => v - lr * g[i]!);
          const tn = nrm(t);
          if (tn > radius) for (let i = 0; i < d; i++) t[i] = (t[i]! * radius) / tn;
          let e = 0;
          for (let i = 0; i < d; i++) e += (t[i]! - s.delta[i]!) ** 2;
          if (!(Math.sqrt(e) <= tolerance + 1e-12 * radius)) ok = false;
        }
      } while (s.iteration !== 0 && ok);
    }
    return ok;
  });
}
