import fc from 'fast-check';
import { key, normal, split } from '@descent/linalg';
import type { Method, MethodState } from '../method.js';
import { sam, samPerturbInto } from '../sam.js';
import { arsam } from '../arsam.js';

// Shared test problems: a random quadratic L(w) = ½wᵀHw − bᵀw (H symmetric, eigenvalues of either
// sign) or a linear L(w) = ⟨c, w⟩, both deterministic oracles built from a seed.

/** A deterministic quadratic problem of dimension d. */
export interface QuadraticProblem {
  readonly d: number;
  /** Row-major symmetric H. */
  readonly h: Float64Array;
  readonly b: Float64Array;
  readonly x0: Float64Array;
  readonly grad: (w: Float64Array) => Float64Array;
}

/**
 * A random quadratic ½wᵀHw − bᵀw with H = (M + Mᵀ)/(2√d), M standard normal, from a seed.
 *
 * @example
 * ```ts
 * randomQuadratic(3, 1).grad(new Float64Array(3)).length;
 * // 3
 * ```
 */
export function randomQuadratic(d: number, seed: number): QuadraticProblem {
  const [km, kb, kx] = split(key(seed), 3);
  const m = normal(km!, d * d);
  const h = new Float64Array(d * d);
  const s = 1 / (2 * Math.sqrt(d));
  for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) h[i * d + j] = (m[i * d + j]! + m[j * d + i]!) * s;
  const b = normal(kb!, d);
  const x0 = normal(kx!, d);
  const grad = (w: Float64Array): Float64Array => {
    const g = new Float64Array(d);
    for (let i = 0; i < d; i++) {
      let t = -b[i]!;
      for (let j = 0; j < d; j++) t += h[i * d + j]! * w[j]!;
      g[i] = t;
    }
    return g;
  };
  return { d, h, b, x0, grad };
}

const quadratic = fc.record({ d: fc.integer({ min: 1, max: 8 }), seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }) });

function sameBits(a: Float64Array, b: Float64Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return false;
  return true;
}

function nrm(x: Float64Array): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i]! * x[i]!;
  return Math.sqrt(s);
}

/** Runs a method for `steps` completed steps (t advancing) against an oracle; returns the final state. */
function run<S extends MethodState>(m: Method<unknown, S, Float64Array>, s0: S, grad: (w: Float64Array) => Float64Array, steps: number, each?: (s: S) => boolean | void): S | undefined {
  let s = s0;
  let guard = 0;
  while (s.t < steps) {
    s = m.step(s, grad(s.query));
    if (each !== undefined && each(s) === false) return undefined;
    if (++guard > 4 * steps + 8) return undefined;
  }
  return s;
}

/**
 * SAM with ρ = 0 is its base, bit for bit (spec §3.1(d)1): with a deterministic oracle both
 * observations are ∇L(w), and the base receives exactly the gradient it would have received alone.
 * Exact (no tolerance), on random quadratics over 1–12 steps.
 *
 * @example
 * ```ts
 * import fc from 'fast-check';
 * import { sgd } from '@descent/optimizers';
 * fc.check(lawSamRhoZeroIsBase(sgd, fc.constant({ lr: 0.1, momentum: 0.9 })), { numRuns: 20 }).failed;
 * // false
 * ```
 */
export function lawSamRhoZeroIsBase<Cfg, S extends MethodState>(base: Method<Cfg, S, Float64Array>, configs: fc.Arbitrary<Cfg>) {
  return fc.property(configs, quadratic, fc.integer({ min: 1, max: 12 }), (cfg, { d, seed }, steps) => {
    const pr = randomQuadratic(d, seed);
    const m = sam(base);
    const a = run(m as Method<unknown, ReturnType<typeof m.init>, Float64Array>, m.init({ base: cfg, rho: 0 }, pr.x0), pr.grad, steps)!;
    let b = base.init(cfg, pr.x0);
    for (let k = 0; k < steps; k++) b = base.step(b, pr.grad(b.query));
    return sameBits(a.x, b.x);
  });
}

/**
 * Size and optimality of SAM's perturbation (spec §3.1(b), (d)2). For p = 2: ‖ε̂‖₂ = ρ‖g‖/(‖g‖ + ξ) ≤ ρ
 * (relative 1e-14). For any p ∈ (1, ∞] with ξ = 0: ‖ε̂‖_p = ρ and ⟨g, ε̂⟩ = ρ‖g‖_q (Hölder's equality,
 * so ε̂ maximises the linearised loss on the ball), relative 1e-9 (powers |g|^{q−1} lose a few digits).
 * ASAM: ‖T⁻¹ε̂‖₂ ≤ ρ with T = |w| + η (relative 1e-14).
 *
 * @example
 * ```ts
 * import fc from 'fast-check';
 * fc.check(lawSamPerturbation(), { numRuns: 100 }).failed;
 * // false
 * ```
 */
export function lawSamPerturbation() {
  return fc.property(
    fc.integer({ min: 1, max: 8 }),
    fc.integer({ min: 0, max: 2 ** 31 - 1 }),
    fc.double({ min: 1e-3, max: 3, noNaN: true }),
    fc.constantFrom(1.5, 2, 3, Infinity),
    fc.double({ min: 0, max: 1, noNaN: true }),
    (d, seed, rho, p, eta) => {
      const [kw, kg] = split(key(seed), 2);
      const w = normal(kw!, d);
      const g = normal(kg!, d);
      const out = new Float64Array(d);
      const e = new Float64Array(d);
      // p = 2 with ξ: the exact norm.
      const xi = 1e-12;
      const en = samPerturbInto(w, g, { rho, adaptive: false, adaptiveEta: 0, p: 2, xi }, out);
      for (let i = 0; i < d; i++) e[i] = out[i]! - w[i]!;
      const gn = nrm(g);
      if (Math.abs(en - (rho * gn) / (gn + xi)) > 1e-14 * rho + 1e-15 * nrm(w)) return false;
      if (en > rho * (1 + 1e-14)) return false;
      // General p, ξ = 0, computed on ε̂ = out − w with w = 0 to avoid cancellation.
      const zero = new Float64Array(d);
      samPerturbInto(zero, g, { rho, adaptive: false, adaptiveEta: 0, p, xi: 0 }, e);
      const q = p === Infinity ? 1 : p / (p - 1);
      let np = 0;
      let nq = 0;
      let inner = 0;
      for (let i = 0; i < d; i++) {
        np = p === Infinity ? Math.max(np, Math.abs(e[i]!)) : np + Math.abs(e[i]!) ** p;
        nq += Math.abs(g[i]!) ** q;
        inner += g[i]! * e[i]!;
      }
      if (p !== Infinity) np = np ** (1 / p);
      nq = nq ** (1 / q);
      if (Math.abs(np - rho) > 1e-9 * rho) return false;
      if (Math.abs(inner - rho * nq) > 1e-9 * rho * nq) return false;
      // ASAM.
      samPerturbInto(w, g, { rho, adaptive: true, adaptiveEta: eta, p: 2, xi }, out);
      let s = 0;
      for (let i = 0; i < d; i++) {
        const t = Math.abs(w[i]!) + eta;
        const ei = out[i]! - w[i]!;
        if (t > 0) s += (ei / t) ** 2;
      }
      return Math.sqrt(s) <= rho * (1 + 1e-12) + 1e-12;
    },
  );
}

/**
 * On a linear loss L = ⟨c, w⟩ SAM is its base bit for bit, for any ρ (spec §3.1(d)3): g_S = g = c.
 *
 * @example
 * ```ts
 * import fc from 'fast-check';
 * import { sgd } from '@descent/optimizers';
 * fc.check(lawSamLinearLossIsBase(sgd, fc.constant({ lr: 0.1 })), { numRuns: 20 }).failed;
 * // false
 * ```
 */
export function lawSamLinearLossIsBase<Cfg, S extends MethodState>(base: Method<Cfg, S, Float64Array>, configs: fc.Arbitrary<Cfg>) {
  return fc.property(configs, quadratic, fc.double({ min: 0, max: 5, noNaN: true }), fc.integer({ min: 1, max: 10 }), (cfg, { d, seed }, rho, steps) => {
    const c = normal(key(seed), d);
    const x0 = normal(key(seed + 1), d);
    const grad = () => new Float64Array(c);
    const m = sam(base);
    const a = run(m as Method<unknown, ReturnType<typeof m.init>, Float64Array>, m.init({ base: cfg, rho }, x0), grad, steps)!;
    let b = base.init(cfg, x0);
    for (let k = 0; k < steps; k++) b = base.step(b, grad());
    return sameBits(a.x, b.x);
  });
}

/**
 * On a quadratic L = ½wᵀHw − bᵀw, SAM's gradient difference is the PSF in closed form (spec §3.1(d)4):
 * g_S − g = ρ·Hg/(‖g‖ + ξ). Checked at the perturbed query of phase 1 to
 * 1e-10·(1 + ‖H‖_F(‖w‖ + ρ) + ‖b‖) (the rounding of evaluating Hw − b twice).
 *
 * @example
 * ```ts
 * import fc from 'fast-check';
 * fc.check(lawSamQuadraticPsf(), { numRuns: 100 }).failed;
 * // false
 * ```
 */
export function lawSamQuadraticPsf() {
  const identity: Method<Record<string, never>, MethodState, Float64Array> = {
    name: 'hold',
    observes: 'grad',
    init: (_c, x0) => {
      const x = new Float64Array(x0);
      return { x, query: x, t: 0 };
    },
    step: (s) => ({ x: s.x, query: s.x, t: s.t + 1 }),
  };
  return fc.property(quadratic, fc.double({ min: 1e-3, max: 2, noNaN: true }), ({ d, seed }, rho) => {
    const pr = randomQuadratic(d, seed);
    const m = sam(identity);
    const s0 = m.init({ base: {}, rho }, pr.x0);
    const g = pr.grad(s0.query);
    const s1 = m.step(s0, g);
    const gs = pr.grad(s1.query);
    const gn = nrm(g);
    const tol = 1e-10 * (1 + nrm(pr.h) * (nrm(pr.x0) + rho) + nrm(pr.b));
    for (let i = 0; i < d; i++) {
      let hg = 0;
      for (let j = 0; j < d; j++) hg += pr.h[i * d + j]! * g[j]!;
      if (Math.abs(gs[i]! - g[i]! - (rho * hg) / (gn + 1e-12)) > tol) return false;
    }
    return true;
  });
}

/**
 * SAM's ask/tell protocol (spec §3.1(d)5): exactly two observations per step (`gradEvals` = 2t after
 * every completed step), the phase-1 state keeps the pre-step parameters bit for bit (the returned
 * parameters never contain ε̂), and each completed step equals the definition
 * w' = Base(w, ∇L(w + ρg/(‖g‖ + ξ))) computed independently (relative 1e-12: the norm is summed in a
 * different order).
 *
 * @example
 * ```ts
 * import fc from 'fast-check';
 * import { sgd } from '@descent/optimizers';
 * fc.check(lawSamTwoObservationsPerStep(sgd, fc.constant({ lr: 0.05, momentum: 0.9 })), { numRuns: 20 }).failed;
 * // false
 * ```
 */
export function lawSamTwoObservationsPerStep<Cfg, S extends MethodState>(base: Method<Cfg, S, Float64Array>, configs: fc.Arbitrary<Cfg>) {
  return fc.property(configs, quadratic, fc.double({ min: 0, max: 1, noNaN: true }), fc.integer({ min: 1, max: 8 }), (cfg, { d, seed }, rho, steps) => {
    const pr = randomQuadratic(d, seed);
    const m = sam(base);
    let s = m.init({ base: cfg, rho }, pr.x0);
    let ref = base.init(cfg, pr.x0);
    let calls = 0;
    while (s.t < steps) {
      const before = new Float64Array(s.x);
      s = m.step(s, pr.grad(s.query));
      calls++;
      if (s.gradEvals !== calls) return false;
      if (s.phase === 1) {
        if (!sameBits(s.x, before)) return false;
      } else {
        if (s.gradEvals !== 2 * s.t) return false;
        // Reference: the definition, computed here.
        const w = ref.query;
        const g = pr.grad(w);
        let gn = 0;
        for (let i = 0; i < d; i++) gn += g[i]! * g[i]!;
        const sc = rho / (Math.sqrt(gn) + 1e-12);
        const wp = new Float64Array(d);
        for (let i = 0; i < d; i++) wp[i] = w[i]! + sc * g[i]!;
        ref = base.step(ref, pr.grad(wp));
        for (let i = 0; i < d; i++) if (Math.abs(s.x[i]! - ref.x[i]!) > 1e-12 * (1 + Math.abs(ref.x[i]!))) return false;
      }
    }
    return true;
  });
}

/**
 * Invariance to how parameters are split (spec §3.1(d)6): ε̂ uses the global norm, so permuting the
 * coordinates of the problem and of x0 permutes SAM's trajectory (for an elementwise base), to
 * 1e-12 relative (the norm's summation order changes).
 *
 * @example
 * ```ts
 * import fc from 'fast-check';
 * import { sgd } from '@descent/optimizers';
 * fc.check(lawSamPermutationEquivariance(sgd, fc.constant({ lr: 0.1 })), { numRuns: 20 }).failed;
 * // false
 * ```
 */
export function lawSamPermutationEquivariance<Cfg, S extends MethodState>(base: Method<Cfg, S, Float64Array>, configs: fc.Arbitrary<Cfg>) {
  return fc.property(configs, quadratic, fc.double({ min: 0, max: 1, noNaN: true }), fc.integer({ min: 1, max: 6 }), (cfg, { d, seed }, rho, steps) => {
    const pr = randomQuadratic(d, seed);
    // A permutation from the seed: reverse, then rotate.
    const perm = Array.from({ length: d }, (_, i) => (d - 1 - i + seed) % d);
    const px0 = Float64Array.from(perm, (j) => pr.x0[j]!);
    const pgrad = (v: Float64Array): Float64Array => {
      const w = new Float64Array(d);
      for (let i = 0; i < d; i++) w[perm[i]!] = v[i]!;
      const g = pr.grad(w);
      return Float64Array.from(perm, (j) => g[j]!);
    };
    const m = sam(base);
    const mm = m as Method<unknown, ReturnType<typeof m.init>, Float64Array>;
    const a = run(mm, m.init({ base: cfg, rho }, pr.x0), pr.grad, steps)!;
    const b = run(mm, m.init({ base: cfg, rho }, px0), pgrad, steps)!;
    for (let i = 0; i < d; i++) if (Math.abs(b.x[i]! - a.x[perm[i]!]!) > 1e-12 * (1 + Math.abs(a.x[perm[i]!]!))) return false;
    return true;
  });
}

/**
 * ARSAM forced to sample every step is SAM exactly (spec §3.2(d)1): with `schedule: 'always'` the
 * parameters and the number of gradient evaluations equal {@link sam}'s bit for bit, at every call.
 *
 * @example
 * ```ts
 * import fc from 'fast-check';
 * import { sgd } from '@descent/optimizers';
 * fc.check(lawArsamAlwaysIsSam(sgd, fc.constant({ lr: 0.1, momentum: 0.9 })), { numRuns: 20 }).failed;
 * // false
 * ```
 */
export function lawArsamAlwaysIsSam<Cfg, S extends MethodState>(base: Method<Cfg, S, Float64Array>, configs: fc.Arbitrary<Cfg>) {
  return fc.property(configs, quadratic, fc.double({ min: 0, max: 1, noNaN: true }), fc.integer({ min: 1, max: 30 }), (cfg, { d, seed }, rho, calls) => {
    const pr = randomQuadratic(d, seed);
    const ms = sam(base);
    const ma = arsam(base);
    let s = ms.init({ base: cfg, rho }, pr.x0);
    let a = ma.init({ base: cfg, rho, schedule: 'always', window: 4, varianceBlocks: 2, warmup: 2 }, pr.x0);
    for (let k = 0; k < calls; k++) {
      s = ms.step(s, pr.grad(s.query));
      a = ma.step(a, pr.grad(a.query));
      if (!sameBits(s.x, a.x) || !sameBits(s.query, a.query) || s.gradEvals !== a.gradEvals || s.t !== a.t) return false;
    }
    return true;
  });
}

/**
 * ARSAM never sampling, with reuse decay β = 0 and no warm-up, is its base bit for bit (spec §3.2(d)2).
 *
 * @example
 * ```ts
 * import fc from 'fast-check';
 * import { sgd } from '@descent/optimizers';
 * fc.check(lawArsamNeverIsBase(sgd, fc.constant({ lr: 0.1 })), { numRuns: 20 }).failed;
 * // false
 * ```
 */
export function lawArsamNeverIsBase<Cfg, S extends MethodState>(base: Method<Cfg, S, Float64Array>, configs: fc.Arbitrary<Cfg>) {
  return fc.property(configs, quadratic, fc.integer({ min: 1, max: 20 }), (cfg, { d, seed }, steps) => {
    const pr = randomQuadratic(d, seed);
    const ma = arsam(base);
    const a = run(ma as Method<unknown, ReturnType<typeof ma.init>, Float64Array>, ma.init({ base: cfg, schedule: 'never', reuseDecay: 0, warmup: 0 }, pr.x0), pr.grad, steps)!;
    let b = base.init(cfg, pr.x0);
    for (let k = 0; k < steps; k++) b = base.step(b, pr.grad(b.query));
    return sameBits(a.x, b.x) && a.gradEvals === steps;
  });
}

/** A base that takes x' = x − lr·g and records the gradient it was given (for the reuse law). */
interface RecorderState extends MethodState {
  readonly last: Float64Array;
  readonly lr: number;
}
const recorder: Method<{ lr: number }, RecorderState, Float64Array> & { stepInto: NonNullable<Method<{ lr: number }, RecorderState, Float64Array>['stepInto']> } = {
  name: 'recorder',
  observes: 'grad',
  init: (c, x0) => {
    const x = new Float64Array(x0);
    return { x, query: x, t: 0, last: new Float64Array(x0.length), lr: c.lr };
  },
  step(s, g) {
    const x = new Float64Array(s.x.length);
    return recorder.stepInto(s, g, { ...s, x, query: x, last: new Float64Array(g.length) });
  },
  stepInto(s, g, out) {
    const lr = s.lr;
    const o = out as { x: Float64Array; query: Float64Array; t: number; last: Float64Array; lr: number };
    for (let i = 0; i < g.length; i++) o.x[i] = s.x[i]! - lr * g[i]!;
    o.last.set(g);
    o.query = o.x;
    o.t = s.t + 1;
    o.lr = lr;
    return out;
  },
};

/**
 * ARSAM's decomposition and reuse on a quadratic (spec §3.2(d)3): after each SAM step the PSF buffer is
 * P = ρHg/(‖g‖ + ξ) (to 1e-10 scaled as in {@link lawSamQuadraticPsf}), and the k-th single-gradient
 * step after it hands the base g_t + β^k·P (relative 1e-14: β^k is a running product), for
 * k ≤ maxReuse, then g_t alone.
 *
 * @example
 * ```ts
 * import fc from 'fast-check';
 * fc.check(lawArsamQuadraticReuse(), { numRuns: 50 }).failed;
 * // false
 * ```
 */
export function lawArsamQuadraticReuse() {
  return fc.property(
    quadratic,
    fc.double({ min: 1e-3, max: 1, noNaN: true }),
    fc.double({ min: 0, max: 0.95, noNaN: true }),
    fc.integer({ min: 0, max: 4 }),
    fc.integer({ min: 0, max: 1000 }),
    ({ d, seed }, rho, beta, maxReuse, keySeed) => {
      const pr = randomQuadratic(d, seed);
      const ma = arsam(recorder);
      let s = ma.init({ base: { lr: 0.01 }, rho, reuseDecay: beta, maxReuse, window: 6, varianceBlocks: 3, warmup: 3 }, pr.x0, key(keySeed));
      let sinceSam = -1;
      let psf = new Float64Array(d);
      while (s.t < 40) {
        const w = new Float64Array(s.query);
        const g = pr.grad(w);
        const wasPhase = s.phase;
        const prevSam = s.samSteps;
        s = ma.step(s, g);
        if (wasPhase === 1) continue;
        if (s.phase === 1) {
          // A SAM step started: check the PSF once it completes.
          const gs = pr.grad(s.query);
          const g0 = s.grad;
          s = ma.step(s, gs);
          if (s.samSteps !== prevSam + 1) return false;
          const gn = nrm(g0);
          const tol = 1e-10 * (1 + nrm(pr.h) * (nrm(w) + rho) + nrm(pr.b));
          for (let i = 0; i < d; i++) {
            let hg = 0;
            for (let j = 0; j < d; j++) hg += pr.h[i * d + j]! * g0[j]!;
            if (Math.abs(s.psf[i]! - (rho * hg) / (gn + 1e-12)) > tol) return false;
          }
          psf = new Float64Array(s.psf);
          sinceSam = 0;
          continue;
        }
        // A single-gradient step.
        const last = (s.base as RecorderState).last;
        if (sinceSam >= 0) sinceSam++;
        for (let i = 0; i < d; i++) {
          const want = sinceSam >= 1 && sinceSam <= maxReuse ? g[i]! + beta ** sinceSam * psf[i]! : g[i]!;
          if (Math.abs(last[i]! - want) > 1e-14 * (Math.abs(g[i]!) + Math.abs(psf[i]!)) + 1e-300) return false;
        }
      }
      return true;
    },
  );
}

/**
 * ARSAM's per-window SAM quota and cost (spec §3.2(d)4–6). In every full window after the warm-up
 * (the K steps with batchIdx from mK to mK + K − 1, m ≥ 1), the number of SAM steps is exactly
 * ⌊baseSR⌋ ∈ [1, ⌊K·maxP⌋] (baseSR is fixed within a window), so the window costs K + ⌊baseSR⌋
 * gradient evaluations; and across each window boundary baseSR changes by a factor in
 * [1 − (a1 + a2), 1 + (a1 + a2)] (up to 1e-12 relative). Exact counting, random keys and windows.
 *
 * @example
 * ```ts
 * import fc from 'fast-check';
 * fc.check(lawArsamWindowQuota(), { numRuns: 30 }).failed;
 * // false
 * ```
 */
export function lawArsamWindowQuota() {
  return fc.property(
    quadratic,
    fc.integer({ min: 0, max: 2 ** 31 - 1 }),
    fc.integer({ min: 4, max: 20 }),
    fc.double({ min: 0.2, max: 0.95, noNaN: true }),
    fc.double({ min: 0, max: 0.45, noNaN: true }),
    fc.integer({ min: 0, max: 25 }),
    ({ d, seed }, keySeed, K, maxP, gain, warmup) => {
      if (Math.floor(K * maxP) < 1) return true;
      const pr = randomQuadratic(d, seed);
      const ma = arsam(recorder);
      let s = ma.init(
        { base: { lr: 0.02 }, window: K, varianceBlocks: 2, maxSampleFraction: maxP, rateGainRatio: gain, rateGainVariance: gain, warmup },
        pr.x0,
        key(keySeed),
      );
      const windows = 5;
      // Per window m: SAM steps, evaluations, steps seen, baseSR.
      const sams = new Map<number, number>();
      const evals = new Map<number, number>();
      const count = new Map<number, number>();
      const rate = new Map<number, number>();
      while (s.t < warmup + windows * K) {
        const postWarmup = s.t >= warmup;
        const idx = s.batchIdx;
        const e0 = s.gradEvals;
        const sam0 = s.samSteps;
        s = ma.step(s, pr.grad(s.query));
        if (s.phase === 1) s = ma.step(s, pr.grad(s.query));
        if (!postWarmup) continue;
        const m = Math.floor(idx / K);
        sams.set(m, (sams.get(m) ?? 0) + (s.samSteps - sam0));
        evals.set(m, (evals.get(m) ?? 0) + (s.gradEvals - e0));
        count.set(m, (count.get(m) ?? 0) + 1);
        if (rate.has(m) && rate.get(m) !== s.baseSR) return false; // fixed within a window
        rate.set(m, s.baseSR);
      }
      const maxSR = Math.floor(K * maxP);
      for (const [m, c] of count) {
        if (m < 1 || c !== K) continue;
        const quota = Math.floor(rate.get(m)!);
        if (quota < 1 || quota > maxSR) return false;
        if (sams.get(m) !== quota) return false;
        if (evals.get(m) !== K + quota) return false;
        const prev = rate.get(m - 1);
        if (prev !== undefined) {
          const ratio = rate.get(m)! / prev;
          if (ratio > 1 + 2 * gain + 1e-12 || ratio < 1 - 2 * gain - 1e-12) return false;
        }
      }
      return true;
    },
  );
}
