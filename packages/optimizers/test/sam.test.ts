import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { foldIn, key, uniform } from '@descent/linalg';
import { adam, arsam, hillAdam, minimize, sam, sgd, cloneState, type Method, type MethodState } from '@descent/optimizers';
import {
  lawArsamAlwaysIsSam,
  lawArsamNeverIsBase,
  lawArsamQuadraticReuse,
  lawArsamWindowQuota,
  lawSamLinearLossIsBase,
  lawSamPermutationEquivariance,
  lawSamPerturbation,
  lawSamQuadraticPsf,
  lawSamRhoZeroIsBase,
  lawSamTwoObservationsPerStep,
  randomQuadratic,
  stepIntoMatchesStep,
  stepNeverMutatesInputs,
} from '@descent/optimizers/laws';
import { thrownCode } from '@descent/linalg/laws';

const sgdConfigs = fc.record({
  lr: fc.double({ min: 0.001, max: 0.2, noNaN: true }),
  momentum: fc.constantFrom(0, 0.5, 0.9),
  weightDecay: fc.constantFrom(0, 1e-3),
});
const adamConfigs = fc.record({ lr: fc.double({ min: 0.001, max: 0.1, noNaN: true }) });

describe('SAM laws (spec §3.1(d))', () => {
  test('ρ = 0 is the base, bit for bit (SGD and Adam)', () => {
    fc.assert(lawSamRhoZeroIsBase(sgd, sgdConfigs), { numRuns: 100 });
    fc.assert(lawSamRhoZeroIsBase(adam, adamConfigs), { numRuns: 50 });
  });
  test('perturbation size and Hölder optimality (p = 1.5, 2, 3, ∞), ASAM ball', () => {
    fc.assert(lawSamPerturbation(), { numRuns: 300 });
  });
  test('linear loss: SAM is its base', () => {
    fc.assert(lawSamLinearLossIsBase(sgd, sgdConfigs), { numRuns: 100 });
    fc.assert(lawSamLinearLossIsBase(adam, adamConfigs), { numRuns: 50 });
  });
  test('quadratic loss: g_S − g = ρHg/‖g‖', () => {
    fc.assert(lawSamQuadraticPsf(), { numRuns: 200 });
  });
  test('two observations per step; parameters never contain ε̂; equals the definition', () => {
    fc.assert(lawSamTwoObservationsPerStep(sgd, sgdConfigs), { numRuns: 100 });
    fc.assert(lawSamTwoObservationsPerStep(adam, adamConfigs), { numRuns: 50 });
  });
  test('global norm: permutation equivariance', () => {
    fc.assert(lawSamPermutationEquivariance(sgd, sgdConfigs), { numRuns: 100 });
  });
});

describe('ARSAM laws (spec §3.2(d))', () => {
  test('forced to sample every step it is SAM exactly', () => {
    fc.assert(lawArsamAlwaysIsSam(sgd, sgdConfigs), { numRuns: 100 });
    fc.assert(lawArsamAlwaysIsSam(adam, adamConfigs), { numRuns: 50 });
  });
  test('never sampling with β = 0 is the base', () => {
    fc.assert(lawArsamNeverIsBase(sgd, sgdConfigs), { numRuns: 100 });
  });
  test('quadratic: P = ρHg/‖g‖ and the k-th reuse applies g + β^k P', () => {
    fc.assert(lawArsamQuadraticReuse(), { numRuns: 150 });
  });
  test('per-window SAM quota ⌊baseSR⌋, cost K + ⌊baseSR⌋, bounded rate changes', () => {
    fc.assert(lawArsamWindowQuota(), { numRuns: 150 });
  });
});

describe('step contract', () => {
  const runs = (n: number) =>
    fc.record({ d: fc.integer({ min: 1, max: 5 }), seed: fc.nat(), len: fc.integer({ min: 1, max: n }) }).map(({ d, seed, len }) => {
      const pr = randomQuadratic(d, seed);
      // Observations need not come from the oracle for these laws: any finite gradients will do.
      const obs = Array.from({ length: len }, (_, k) => pr.grad(Float64Array.from(pr.x0, (v, i) => v + 0.1 * k * (i + 1))));
      return { d, pr, obs };
    });
  test('sam(sgd): step is pure, stepInto is bit-identical', () => {
    const m = sam(sgd);
    const r = runs(9).map(({ pr, obs }) => ({ config: { base: { lr: 0.1, momentum: 0.9 }, rho: 0.05 }, x0: pr.x0, obs }));
    fc.assert(stepNeverMutatesInputs(m, r), { numRuns: 50 });
    fc.assert(stepIntoMatchesStep(m, r), { numRuns: 50 });
  });
  test('arsam(adam): step is pure, stepInto is bit-identical', () => {
    const m = arsam(adam);
    const r = runs(40).map(({ pr, obs }) => ({
      config: { base: { lr: 0.01 }, rho: 0.05, window: 4, varianceBlocks: 2, warmup: 3 },
      x0: pr.x0,
      key: key(3),
      obs,
    }));
    fc.assert(stepNeverMutatesInputs(m, r), { numRuns: 50 });
    fc.assert(stepIntoMatchesStep(m, r), { numRuns: 50 });
  });
  test('drivers run SAM through state.query (minimize ping-pongs stepInto)', () => {
    const pr = randomQuadratic(4, 11);
    // A convex quadratic so the run converges: L = ½‖w − 1‖².
    const grad = (w: Float64Array) => Float64Array.from(w, (v) => v - 1);
    const m = sam(sgd);
    const cfg = { base: { lr: 0.2 }, rho: 0.05 };
    const r = minimize(m, grad, { config: cfg, x0: pr.x0, maxSteps: 400 });
    expect(r.state.t).toBe(200);
    expect(r.state.gradEvals).toBe(400);
    // The driver's ping-pong run equals the pure ask/tell loop bit for bit.
    let s = m.init(cfg, pr.x0);
    for (let k = 0; k < 400; k++) s = m.step(s, grad(s.query));
    expect(Array.from(r.state.x)).toEqual(Array.from(s.x));
    // SAM with a fixed ρ cannot stop at the minimiser (g_S = g + ρĝ never vanishes there): it settles
    // within the ρ-ball around it, and the ball contains the iterate once the contraction has run.
    let dist = 0;
    for (const v of r.state.x) dist += (v - 1) ** 2;
    expect(Math.sqrt(dist)).toBeLessThan(0.05);
  });
});

describe('any base method', () => {
  test('a loss-aware base (Hill-ADAM) sees { value, grad } at the perturbed point', () => {
    const f = (x: Float64Array) => ({ value: x.reduce((a, v) => a + v * v, 0), grad: Float64Array.from(x, (v) => 2 * v) });
    const m = sam(hillAdam);
    expect(m.observes).toBe('valueAndGrad');
    let s = m.init({ base: { lr: 0.01 }, rho: 0.05 }, new Float64Array([1, -2]));
    // Reference: Hill-ADAM stepped by hand with the SAM gradient and the loss at w + ε̂.
    let h = hillAdam.init({ lr: 0.01 }, new Float64Array([1, -2]));
    for (let k = 0; k < 20; k++) {
      s = m.step(s, f(s.query));
      const wp = new Float64Array(s.query);
      s = m.step(s, f(s.query));
      h = hillAdam.step(h, f(wp));
      expect(Array.from(s.x)).toEqual(Array.from(h.x));
    }
    const r = minimize(m, f, { config: { base: { lr: 0.01 } }, x0: new Float64Array([1, -2]), maxSteps: 40 });
    expect(Array.from(r.state.x)).toEqual(Array.from(s.x));
  });
  test('a base without stepInto: SAM and ARSAM stepInto still match step', () => {
    interface GdState extends MethodState { readonly lr: number }
    const gd: Method<{ lr: number }, GdState, Float64Array> = {
      name: 'gd',
      observes: 'grad',
      init: (c, x0) => {
        const x = new Float64Array(x0);
        return { x, query: x, t: 0, lr: c.lr };
      },
      step: (st, g) => {
        const x = Float64Array.from(st.x, (v, i) => v - st.lr * g[i]!);
        return { x, query: x, t: st.t + 1, lr: st.lr };
      },
    };
    const pr = randomQuadratic(3, 5);
    const obs = Array.from({ length: 30 }, (_, k) => pr.grad(Float64Array.from(pr.x0, (v) => v + 0.01 * k)));
    fc.assert(stepIntoMatchesStep(sam(gd), fc.constant({ config: { base: { lr: 0.1 } }, x0: pr.x0, obs })), { numRuns: 1 });
    fc.assert(stepIntoMatchesStep(arsam(gd), fc.constant({ config: { base: { lr: 0.1 }, window: 4, varianceBlocks: 2, warmup: 2 }, x0: pr.x0, key: key(4), obs })), { numRuns: 1 });
    fc.assert(lawSamRhoZeroIsBase(gd, fc.constant({ lr: 0.1 })), { numRuns: 20 });
  });
});

describe('cross-check against PyTorch (scripts/fixtures/optimizers_sam.py)', () => {
  const f = JSON.parse(readFileSync(fileURLToPath(new URL('./fixtures/sam_torch.json', import.meta.url)), 'utf8'));
  const { K, D, N } = f;
  // Mean cross-entropy of softmax regression, gradient (1/N)Σ(p − e_y)xᵀ and (1/N)Σ(p − e_y).
  const grad = (theta: Float64Array): Float64Array => {
    const g = new Float64Array(K * D + K);
    for (let i = 0; i < N; i++) {
      const z = new Float64Array(K);
      let mx = -Infinity;
      for (let k = 0; k < K; k++) {
        let s = theta[K * D + k]!;
        for (let j = 0; j < D; j++) s += theta[k * D + j]! * f.X[i * D + j];
        z[k] = s;
        mx = Math.max(mx, s);
      }
      let tot = 0;
      for (let k = 0; k < K; k++) tot += (z[k] = Math.exp(z[k]! - mx));
      for (let k = 0; k < K; k++) {
        const r = (z[k]! / tot - (f.Y[i] === k ? 1 : 0)) / N;
        for (let j = 0; j < D; j++) g[k * D + j] += r * f.X[i * D + j];
        g[K * D + k] += r;
      }
    }
    return g;
  };
  for (const variant of ['sam', 'asam'] as const) {
    test(`${variant} with torch SGD(momentum) matches the 15-step trajectory`, () => {
      const c = f[variant];
      const m = sam(sgd);
      let s = m.init({ base: { lr: c.lr, momentum: c.momentum, weightDecay: c.weightDecay }, rho: c.rho, adaptive: variant === 'asam' }, Float64Array.from(f.x0));
      for (let t = 0; t < c.trajectory.length; t++) {
        s = m.step(s, grad(s.query)); // at w
        s = m.step(s, grad(s.query)); // at w + ε̂
        const want: number[] = c.trajectory[t];
        // Different summation orders (softmax, norms) between torch and us: agreement to ~1e-14
        // per step; 15 steps of a contraction keep it below 1e-12 relative.
        for (let i = 0; i < want.length; i++) expect(Math.abs(s.x[i]! - want[i]!)).toBeLessThan(1e-12 * (1 + Math.abs(want[i]!)));
      }
    });
  }
});

describe('ARSAM statistics against vSAM re-expressed in PyTorch (scripts/fixtures/optimizers_arsam.py)', () => {
  const cases = JSON.parse(readFileSync(fileURLToPath(new URL('./fixtures/arsam_vsam_stats.json', import.meta.url)), 'utf8'));
  const m = arsam(sgd);
  for (const c of cases) {
    test(`K = ${c.K}, ${c.blocks} blocks: block variance of sorted PSF norms, rate update at the window boundary`, () => {
      const s = m.init(
        { base: { lr: 0.1 }, window: c.K, varianceBlocks: c.blocks, rateGainRatio: c.a1, rateGainVariance: c.a2, maxSampleFraction: c.maxP, warmup: 0 },
        new Float64Array([0.5]),
        key(0),
      );
      // Second half of a SAM step with g = 1 and g_S = 1 + newNorm: P = newNorm, ‖P‖/‖g‖ = newNorm.
      const mid = { ...s, phase: 1, t: 5, batchIdx: 7, grad: new Float64Array([1]), ringPsfNorm: Float64Array.from(c.psfRing) };
      const after = m.step(mid, new Float64Array([1 + c.newNorm]));
      expect(after.psf[0]).toBe(c.newNorm + 1 - 1);
      const v = after.ringVariance[c.K - 1]!;
      expect(Math.abs(v - c.varianceStat)).toBeLessThan(1e-14 * c.varianceStat);
      expect(after.ringPsfNorm[c.K - 1]).toBe(after.psf[0]);
      // Window boundary: batchIdx ≡ 0 mod K adapts baseSR and resets srNow.
      const edge = { ...s, t: 9, batchIdx: 3 * c.K, srNow: 4, baseSR: c.baseSR, ringRatio: Float64Array.from(c.ratioRing), ringVariance: Float64Array.from(c.varRing) };
      const next = m.step(edge, new Float64Array([0.25]));
      expect(Math.abs(next.baseSR - c.newBaseSR)).toBeLessThan(1e-14 * c.newBaseSR);
      expect(Math.abs(next.pSample - c.pSample)).toBeLessThan(1e-14 * c.pSample);
      // srNow was reset to 0, then this step took SAM (srNow 1, phase 1) or not (srNow 0).
      expect(next.srNow).toBe(next.phase === 1 ? 1 : 0);
    });
  }
});

describe('ARSAM end to end against an independent replay of vSAM.step', () => {
  // A plain-array re-expression of vsam.py's step() (opt_sam / opt_sgd / get_var / window update), with
  // an SGD base, the spec's integer reuse counter, warm-up in steps and the state's PRNG draws.
  function replay(grad: (w: number[]) => number[], x0: number[], o: { lr: number; rho: number; K: number; blocks: number; maxP: number; a1: number; a2: number; beta: number; warmup: number; steps: number }, k: ReturnType<typeof key>) {
    let w = x0.slice();
    let soG = w.map(() => 0);
    let reuse = 6;
    let lam = 1;
    let flag = 1;
    let srNow = 0;
    let baseSr = 1;
    let p = 0.5;
    let samCount = 0;
    const psfRing = new Array(o.K).fill(0);
    const ratioRing = new Array(o.K).fill(0);
    const varRing = new Array(o.K).fill(0);
    const norm = (v: number[]) => Math.sqrt(v.reduce((a, b) => a + b * b, 0));
    const push = (r: number[], v: number) => {
      r.shift();
      r.push(v);
    };
    const relChange = (r: number[]) => {
      let s = 0, c = 0;
      for (let j = 0; j + 1 < r.length; j++) {
        const q = (r[j + 1]! - r[j]!) / r[j]!;
        if (Number.isFinite(q)) (s += q), c++;
      }
      const m = c === 0 ? 0 : s / c;
      return Math.max(-1, Math.min(1, m));
    };
    const optSam = () => {
      lam = 1;
      reuse = 0;
      srNow += 1;
      const g = grad(w);
      const sc = o.rho / (norm(g) + 1e-12);
      const gs = grad(w.map((v, i) => v + g[i]! * sc));
      soG = gs.map((v, i) => v - g[i]!);
      push(psfRing, norm(soG));
      push(ratioRing, norm(soG) / norm(g));
      const sorted = psfRing.slice().sort((a, b) => a - b);
      const width = Math.floor(o.K / o.blocks);
      let v = 0;
      for (let b = 0; b < o.blocks; b++) {
        const blk = sorted.slice(b * width, (b + 1) * width);
        const m = blk.reduce((a, c) => a + c, 0) / blk.length;
        v += blk.reduce((a, c) => a + (c - m) ** 2, 0) / (blk.length - 1);
      }
      push(varRing, v / o.blocks);
      w = w.map((x, i) => x - o.lr * gs[i]!);
      samCount++;
    };
    const optSgd = () => {
      const g = grad(w);
      if (reuse < 6) {
        reuse++;
        lam *= o.beta;
        w = w.map((x, i) => x - o.lr * (g[i]! + lam * soG[i]!));
      } else {
        w = w.map((x, i) => x - o.lr * g[i]!);
      }
    };
    const traj: { w: number[]; samCount: number; baseSr: number }[] = [];
    for (let t = 0; t < o.steps; t++) {
      if (t < o.warmup) {
        optSam();
        srNow = 1;
      } else {
        if (flag % o.K === 0) {
          baseSr = baseSr * (1 + o.a1 * relChange(ratioRing) + o.a2 * relChange(varRing));
          baseSr = Math.min(Math.max(baseSr, 1), Math.floor(o.K * o.maxP));
          p = baseSr / o.K;
          srNow = 0;
        }
        const u = uniform(foldIn(k, t), 1)[0]!;
        if ((srNow < Math.floor(baseSr) && u < p) || o.K - (flag % o.K) <= Math.floor(baseSr) - srNow) optSam();
        else optSgd();
        flag += 1;
      }
      traj.push({ w: w.slice(), samCount, baseSr });
    }
    return traj;
  }

  test('same parameters, SAM-step counts and baseSR at every step (non-quadratic loss, 400 steps)', () => {
    const gradA = (w: ArrayLike<number>) => Array.from(w, (v, i) => Math.sin(2 * v) + 0.5 * (i + 1) * v + 0.1 * v * v * v);
    const o = { lr: 0.05, rho: 0.1, K: 10, blocks: 2, maxP: 0.8, a1: 0.3, a2: 0.3, beta: 0.7, warmup: 15, steps: 400 };
    const k = key(21);
    const x0 = [0.8, -1.3, 2.1, 0.2];
    const want = replay(gradA, x0, o, k);
    const m = arsam(sgd);
    let s = m.init({ base: { lr: o.lr }, rho: o.rho, window: o.K, varianceBlocks: o.blocks, maxSampleFraction: o.maxP, rateGainRatio: o.a1, rateGainVariance: o.a2, reuseDecay: o.beta, warmup: o.warmup }, Float64Array.from(x0), k);
    let quotaChanges = 0;
    for (let t = 0; t < o.steps; t++) {
      do s = m.step(s, Float64Array.from(gradA(s.query)));
      while (s.phase === 1);
      const r = want[t]!;
      expect(s.samSteps).toBe(r.samCount);
      expect(Math.abs(s.baseSR - r.baseSr)).toBeLessThan(1e-12 * r.baseSr);
      // Same rule, different summation orders (norms) and SGD's x + (−lr)·d: agreement to rounding.
      for (let i = 0; i < 4; i++) expect(Math.abs(s.x[i]! - r.w[i]!)).toBeLessThan(1e-12 * (1 + Math.abs(r.w[i]!)));
      if (t > 0 && r.baseSr !== want[t - 1]!.baseSr) quotaChanges++;
    }
    // The run exercised the adaptation (baseSR moved) and both kinds of step.
    expect(quotaChanges).toBeGreaterThan(0);
    expect(s.samSteps).toBeGreaterThan(o.warmup);
    expect(s.samSteps).toBeLessThan(o.steps);
  });
});

describe('bad input', () => {
  test('configs and observations are validated; no half-updated state', () => {
    const m = sam(sgd);
    expect(thrownCode(() => m.init({ base: { lr: 0.1 }, rho: -1 }, new Float64Array(2)))).toBe('INVALID_CONFIG');
    expect(thrownCode(() => m.init({ base: { lr: 0.1 }, p: 1 }, new Float64Array(2)))).toBe('INVALID_CONFIG');
    expect(thrownCode(() => m.init({ base: { lr: -1 } }, new Float64Array(2)))).toBe('INVALID_CONFIG');
    const s0 = m.init({ base: { lr: 0.1 } }, new Float64Array([1, 2]));
    const s1 = m.step(s0, new Float64Array([1, 1]));
    const out = cloneState(s1);
    const snap = structuredClone(out);
    expect(thrownCode(() => m.stepInto!(s1, new Float64Array([1, NaN]), out))).toBe('NON_FINITE');
    expect(thrownCode(() => m.stepInto!(s1, new Float64Array([1]), out))).toBe('SHAPE_MISMATCH');
    expect(thrownCode(() => m.stepInto!(s0, new Float64Array([Infinity, 1]), out))).toBe('NON_FINITE');
    expect(out).toEqual(snap);
    const a = arsam(sgd);
    expect(thrownCode(() => a.init({ base: { lr: 0.1 } }, new Float64Array(2)))).toBe('INVALID_CONFIG'); // adaptive needs a key
    expect(thrownCode(() => a.init({ base: { lr: 0.1 }, window: 10, varianceBlocks: 6 }, new Float64Array(2), key(0)))).toBe('INVALID_CONFIG');
    expect(thrownCode(() => a.init({ base: { lr: 0.1 }, maxSampleFraction: 1 }, new Float64Array(2), key(0)))).toBe('INVALID_CONFIG');
    expect(thrownCode(() => a.init({ base: { lr: 0.1 }, rateGainRatio: 0.6, rateGainVariance: 0.6 }, new Float64Array(2), key(0)))).toBe('INVALID_CONFIG');
    expect(thrownCode(() => a.init({ base: { lr: 0.1 }, statBlocks: 1 }, new Float64Array(2), key(0)))).toBe('INVALID_CONFIG');
    expect(thrownCode(() => a.init({ base: { lr: 0.1 }, statBlocks: 1, layout: [{ name: 'w', shape: [3] }] }, new Float64Array(2), key(0)))).toBe('SHAPE_MISMATCH');
    const a0 = a.init({ base: { lr: 0.1 }, warmup: 0 }, new Float64Array([1, 2]), key(0));
    expect(thrownCode(() => a.step(a0, new Float64Array([NaN, 0])))).toBe('NON_FINITE');
    expect(thrownCode(() => sam(null as never))).toBe('INVALID_CONFIG');
  });
  test('a zero gradient gives ε̂ = 0 for every variant, even with ξ = 0', () => {
    for (const o of [{ p: 2 }, { p: 3 }, { p: Infinity }, { adaptive: true }, { adaptive: true, p: 1.5 }]) {
      const m = sam(sgd);
      const s = m.step(m.init({ base: { lr: 0.1 }, xi: 0, ...o }, new Float64Array([0, 1])), new Float64Array(2));
      expect(Array.from(s.query)).toEqual([0, 1]);
      expect(s.epsNorm).toBe(0);
    }
  });
  test('statBlocks restricts the statistics to the last blocks', () => {
    const a = arsam(sgd);
    const s = a.init({ base: { lr: 0.1 }, layout: [{ name: 'W', shape: [2, 2] }, { name: 'b', shape: [2] }], statBlocks: 1 }, new Float64Array(6), key(0));
    expect(s.statStart).toBe(4);
  });
});
