import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { fromRows, key, normal, type Matrix } from '@descent/linalg';
import {
  dampedFisherSolve,
  empiricalFisher,
  empiricalFisherSolve,
  klTrustRegionScale,
  logitFisher,
  naturalDirection,
  naturalGradient,
  minimize,
  pullbackMetric,
  sampleLabels,
  softmax,
  softmaxFisher,
  softmaxFisherDampedSolve,
  softmaxFisherPinvCrossEntropy,
  woodburyFisherSolve,
} from '@descent/optimizers';
import {
  lawConsistentDampingInvariance,
  lawDiagonalFisherDiagonalInvariance,
  lawIdentityFisherIsSgd,
  lawKlTrustRegion,
  lawLargeDampingIsSgd,
  lawNaturalGradientMinimumNorm,
  lawNaturalGradientReparameterisationInvariance,
  lawPlainDampingNotInvariant,
  lawSoftmaxFisherClosedForm,
  lawWoodburyEqualsDense,
  stepIntoMatchesStep,
  stepNeverMutatesInputs,
} from '@descent/optimizers/laws';
import { thrownCode } from '@descent/linalg/laws';

const fixture = JSON.parse(readFileSync(fileURLToPath(new URL('./fixtures/natural_gradient_fisher.json', import.meta.url)), 'utf8'));

function maxRel(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let scale = 0;
  let err = 0;
  for (let i = 0; i < a.length; i++) {
    scale = Math.max(scale, Math.abs(b[i]!));
    err = Math.max(err, Math.abs(a[i]! - b[i]!));
  }
  return err / Math.max(scale, 1e-300);
}

const mat = (rows: number, cols: number, data: number[]): Matrix => ({ rows, cols, data: Float64Array.from(data) });

describe('natural gradient laws (spec §6(d))', () => {
  test('undamped natural gradient is invariant under invertible linear reparameterisation', () => {
    fc.assert(lawNaturalGradientReparameterisationInvariance(), { numRuns: 200 });
  });
  test('λAᵀA damping is invariant too', () => {
    fc.assert(lawConsistentDampingInvariance(), { numRuns: 200 });
  });
  test('plain λI damping is not invariant', () => {
    fc.assert(lawPlainDampingNotInvariant(), { numRuns: 200 });
  });
  test('diagonal Fisher is invariant under diagonal reparameterisations', () => {
    fc.assert(lawDiagonalFisherDiagonalInvariance(), { numRuns: 100 });
  });
  test('the diagonal Fisher is NOT invariant under a non-diagonal A (rotation by 45°)', () => {
    const c = Math.SQRT1_2;
    const a = fromRows([[c, -c], [c, c]]);
    const g = new Float64Array([1, 0.2]);
    const gphi = new Float64Array([c * g[0]! + c * g[1]!, -c * g[0]! + c * g[1]!]); // Aᵀg
    const cfg = { fisher: 'diagonal' as const, lr: 0.1, damping: 1e-8, emaDecay: 0.5 };
    const st = naturalGradient.step(naturalGradient.init(cfg, new Float64Array(2)), g);
    const sp = naturalGradient.step(naturalGradient.init(cfg, new Float64Array(2)), gphi);
    const mapped = [a.data[0]! * sp.x[0]! + a.data[1]! * sp.x[1]!, a.data[2]! * sp.x[0]! + a.data[3]! * sp.x[1]!];
    // Δθ ≈ −0.1·sign(g)/√0.5 coordinatewise, AΔφ is a different vector; the gap is O(0.1).
    expect(Math.hypot(mapped[0]! - st.x[0]!, mapped[1]! - st.x[1]!)).toBeGreaterThan(0.05);
  });
  test('minimum Fisher norm among steps with equal first-order decrease', () => {
    fc.assert(lawNaturalGradientMinimumNorm(), { numRuns: 200 });
  });
  test('F = I is SGD with lr η/(1+λ)', () => {
    fc.assert(lawIdentityFisherIsSgd(), { numRuns: 200 });
  });
  test('λ → ∞ with η = λη₀ tends to SGD', () => {
    fc.assert(lawLargeDampingIsSgd(), { numRuns: 200 });
  });
  test('Woodbury equals the dense solve', () => {
    fc.assert(lawWoodburyEqualsDense(), { numRuns: 200 });
  });
  test('softmax Fisher closed forms', () => {
    fc.assert(lawSoftmaxFisherClosedForm(), { numRuns: 200 });
  });
  test('KL trust region step lies on the ellipsoid and minimises the linear model', () => {
    fc.assert(lawKlTrustRegion(), { numRuns: 200 });
  });
});

describe('cross-check against NumPy / PyTorch (scripts/fixtures/optimizers_fisher.py)', () => {
  for (const name of ['wide', 'tall'] as const) {
    test(`empirical Fisher, damped solve and trust region (${name})`, () => {
      const f = fixture[`empirical_${name}`];
      const gamma = mat(f.n, f.d, f.gamma);
      const g = Float64Array.from(f.g);
      expect(maxRel(empiricalFisher(gamma).data, f.fisher)).toBeLessThan(1e-14);
      expect(maxRel(empiricalFisherSolve(gamma, g, f.lambda), f.solve)).toBeLessThan(1e-11);
      expect(maxRel(dampedFisherSolve(empiricalFisher(gamma), g, f.lambda), f.solve)).toBeLessThan(1e-11);
      if (f.n < f.d) expect(maxRel(woodburyFisherSolve(gamma, g, f.lambda), f.solve)).toBeLessThan(1e-11);
      const s = naturalGradient.step(naturalGradient.init({ fisher: 'empirical', kl: f.kl, damping: f.lambda }, new Float64Array(f.d)), { grad: g, perSample: gamma });
      expect(maxRel(s.x, f.trustRegionStep)).toBeLessThan(1e-11);
      expect(maxRel(naturalDirection('empirical', { grad: g, perSample: gamma }, f.lambda), f.solve)).toBeLessThan(1e-11);
    });
  }

  test('true Fisher of a softmax linear classifier (torch autograd) equals logitFisher', () => {
    const f = fixture.softmax_linear;
    const { K, D, N } = f;
    const d = K * D + K;
    // Analytic logit Jacobian of z = Wx + b: ∂z_k/∂W[k, j] = x_j, ∂z_k/∂b[k] = 1.
    const jac = new Float64Array(N * K * d);
    for (let i = 0; i < N; i++) {
      for (let k = 0; k < K; k++) {
        const row = (i * K + k) * d;
        for (let j = 0; j < D; j++) jac[row + k * D + j] = f.X[i * D + j];
        jac[row + K * D + k] = 1;
      }
    }
    const fisher = logitFisher(mat(N, K, f.probs), { rows: N * K, cols: d, data: jac });
    expect(maxRel(fisher.data, f.trueFisher)).toBeLessThan(1e-12);
    // Per-sample CE gradients: (p − e_y) xᵀ and p − e_y.
    const per = new Float64Array(N * d);
    for (let i = 0; i < N; i++) {
      for (let k = 0; k < K; k++) {
        const r = f.probs[i * K + k] - (f.Y[i] === k ? 1 : 0);
        for (let j = 0; j < D; j++) per[i * d + k * D + j] = r * f.X[i * D + j];
        per[i * d + K * D + k] = r;
      }
    }
    expect(maxRel(per, f.perSample)).toBeLessThan(1e-12);
    const x0 = new Float64Array(d);
    const g = Float64Array.from(f.grad);
    const dense = naturalGradient.step(naturalGradient.init({ fisher: 'dense', lr: f.lr, damping: f.lambda }, x0), { grad: g, fisher });
    expect(maxRel(dense.x, f.trueFisherStep)).toBeLessThan(1e-10);
    const emp = naturalGradient.step(naturalGradient.init({ fisher: 'empirical', lr: f.lr, damping: f.lambda }, x0), { perSample: { rows: N, cols: d, data: per } });
    expect(maxRel(emp.x, f.empiricalFisherStep)).toBeLessThan(1e-10);
  });

  test('softmax logit Fisher, pseudo-inverse step and damped solve', () => {
    const f = fixture.softmax_logits;
    const p = softmax(Float64Array.from(f.logits));
    expect(maxRel(p, f.p)).toBeLessThan(1e-14);
    expect(maxRel(softmaxFisher(p).data, f.fisher)).toBeLessThan(1e-14);
    expect(maxRel(softmaxFisherPinvCrossEntropy(p, f.y), f.pinvStep)).toBeLessThan(1e-10);
    const g = new Float64Array(p);
    g[f.y] -= 1;
    expect(maxRel(softmaxFisherDampedSolve(p, g, f.lambda), f.dampedSolve)).toBeLessThan(1e-12);
  });

  test('diagonal EMA natural gradient trajectory', () => {
    const f = fixture.diagonal_ema;
    const d = f.x0.length;
    let s = naturalGradient.init({ fisher: 'diagonal', lr: f.lr, damping: f.lambda, emaDecay: f.rho }, Float64Array.from(f.x0));
    for (let t = 0; t < f.trajectory.length; t++) {
      s = naturalGradient.step(s, Float64Array.from(f.grads.slice(t * d, (t + 1) * d)));
      expect(maxRel(s.x, f.trajectory[t])).toBeLessThan(1e-14);
    }
    expect(maxRel(s.fisherDiag, f.fisherDiag)).toBeLessThan(1e-14);
  });
});

describe('naturalGradient method', () => {
  const fisher = fromRows([[2, 0.5], [0.5, 1]]);
  const obs = { grad: new Float64Array([1, -1]), fisher };

  test('step is pure and stepInto is bit-identical', () => {
    const s0 = naturalGradient.init({ fisher: 'dense', lr: 0.3, damping: 0.1 }, new Float64Array([1, 2]));
    const before = new Float64Array(s0.x);
    const s1 = naturalGradient.step(s0, obs);
    expect(s0.x).toEqual(before);
    expect(s0.t).toBe(0);
    const out = naturalGradient.step(s1, obs); // a stale buffer
    const s1b = naturalGradient.stepInto!(s0, obs, out);
    expect(s1b).toBe(out);
    expect(Array.from(s1b.x)).toEqual(Array.from(s1.x));
    expect(s1b.t).toBe(1);
    expect(s1b.naturalNormSq).toBe(s1.naturalNormSq);
    expect(s1b.query).toBe(s1b.x);

    const d0 = naturalGradient.init({ fisher: 'diagonal', lr: 0.3 }, new Float64Array([1, 2]));
    const d1 = naturalGradient.step(d0, new Float64Array([1, 2]));
    const d2 = naturalGradient.step(d1, new Float64Array([0.5, -1]));
    const bufA = naturalGradient.step(d2, new Float64Array([3, 3]));
    const bufB = naturalGradient.step(bufA, new Float64Array([3, 3]));
    const f1 = naturalGradient.stepInto!(d0, new Float64Array([1, 2]), bufA);
    const f2 = naturalGradient.stepInto!(f1, new Float64Array([0.5, -1]), bufB);
    expect(Array.from(f2.x)).toEqual(Array.from(d2.x));
    expect(Array.from(f2.fisherDiag)).toEqual(Array.from(d2.fisherDiag));
  });

  test('contract laws: pure step, bit-identical stepInto (diagonal, dense, empirical)', () => {
    const arb = fc.record({ d: fc.integer({ min: 1, max: 5 }), seed: fc.nat(), len: fc.integer({ min: 1, max: 6 }) });
    const diag = arb.map(({ d, seed, len }) => ({
      config: { fisher: 'diagonal' as const, lr: 0.1, emaDecay: 0.9 },
      x0: normal(key(seed), d),
      obs: Array.from({ length: len }, (_, k) => normal(key(seed + k + 1), d)),
    }));
    fc.assert(stepNeverMutatesInputs(naturalGradient, diag), { numRuns: 30 });
    fc.assert(stepIntoMatchesStep(naturalGradient, diag), { numRuns: 30 });
    const emp = arb.map(({ d, seed, len }) => ({
      config: { fisher: 'empirical' as const, lr: 0.1, kl: 0.5, damping: 0.1 },
      x0: normal(key(seed), d),
      obs: Array.from({ length: len }, (_, k) => ({ perSample: { rows: 3, cols: d, data: normal(key(seed + k + 1), 3 * d) } })),
    }));
    fc.assert(stepNeverMutatesInputs(naturalGradient, emp), { numRuns: 30 });
    fc.assert(stepIntoMatchesStep(naturalGradient, emp), { numRuns: 30 });
    const dense = arb.map(({ d, seed, len }) => ({
      config: { fisher: 'dense' as const, lr: 0.3, damping: 0.1, dampingMetric: Float64Array.from({ length: d }, (_, i) => 1 + i) },
      x0: normal(key(seed), d),
      obs: Array.from({ length: len }, (_, k) => ({ grad: normal(key(seed + k + 1), d), fisher: empiricalFisher({ rows: 2, cols: d, data: normal(key(seed + 99 + k), 2 * d) }) })),
    }));
    fc.assert(stepNeverMutatesInputs(naturalGradient, dense), { numRuns: 30 });
    fc.assert(stepIntoMatchesStep(naturalGradient, dense), { numRuns: 30 });
  });

  test('trust region with lr caps the step size', () => {
    const big = naturalGradient.step(naturalGradient.init({ fisher: 'dense', kl: 100, lr: 0.01, damping: 0 }, new Float64Array(2)), obs);
    expect(big.stepSize).toBe(0.01);
    const small = naturalGradient.step(naturalGradient.init({ fisher: 'dense', kl: 1e-6, lr: 10, damping: 0 }, new Float64Array(2)), obs);
    const dir = dampedFisherSolve(fisher, obs.grad, 0);
    expect(small.stepSize).toBeCloseTo(klTrustRegionScale(obs.grad, dir, 1e-6), 15);
    // g = 0: nothing to do, no NaN.
    const zero = naturalGradient.step(naturalGradient.init({ fisher: 'dense', kl: 1 }, new Float64Array(2)), { grad: new Float64Array(2), fisher });
    expect(Array.from(zero.x)).toEqual([0, 0]);
  });

  test('empirical Fisher with a diagonal metric matches the dense solve with that metric', () => {
    const gamma: Matrix = { rows: 3, cols: 7, data: normal(key(5), 21) };
    const g = normal(key(6), 7);
    const m = Float64Array.from([1, 2, 3, 0.5, 0.25, 4, 1.5]);
    const dense: Matrix = { rows: 7, cols: 7, data: new Float64Array(49) };
    for (let i = 0; i < 7; i++) dense.data[i * 7 + i] = m[i]!;
    const a = empiricalFisherSolve(gamma, g, 0.3, m);
    const b = empiricalFisherSolve(gamma, g, 0.3, dense);
    expect(maxRel(a, b)).toBeLessThan(1e-12);
  });

  test('sampled-label Fisher is an unbiased estimate of diag(p) − ppᵀ (fixed seed, Hoeffding bound)', () => {
    const p = softmax(new Float64Array([0.3, -1.2, 0.9]));
    const M = 20000;
    const probs: Matrix = { rows: M, cols: 3, data: new Float64Array(3 * M) };
    for (let i = 0; i < M; i++) probs.data.set(p, 3 * i);
    const y = sampleLabels(key(11), probs);
    // Per-sample logit gradients of −log p(y): p − e_y; their empirical Fisher estimates the true one.
    const per: Matrix = { rows: M, cols: 3, data: new Float64Array(3 * M) };
    for (let i = 0; i < M; i++) for (let k = 0; k < 3; k++) per.data[3 * i + k] = p[k]! - (y[i] === k ? 1 : 0);
    const est = empiricalFisher(per).data;
    const exact = softmaxFisher(p).data;
    // Each entry is a mean of M i.i.d. terms in [−1, 1]: P(|error| ≥ t) ≤ 2exp(−Mt²/2). A union bound
    // over the 9 entries at level 1e-6 gives t = √(2·ln(1.8e7)/M) = 0.0409.
    const t = Math.sqrt((2 * Math.log(1.8e7)) / M);
    for (let k = 0; k < 9; k++) expect(Math.abs(est[k]! - exact[k]!)).toBeLessThan(t);
    // And the draws follow p: class frequencies within the same kind of bound.
    for (let k = 0; k < 3; k++) expect(Math.abs(y.filter((v) => v === k).length / M - p[k]!)).toBeLessThan(t);
  });

  test('pullbackMetric is AᵀMA', () => {
    const a = fromRows([[1, 2], [3, 4]]);
    expect(Array.from(pullbackMetric(a).data)).toEqual([10, 14, 14, 20]);
    expect(Array.from(pullbackMetric(a, new Float64Array([1, 2])).data)).toEqual([19, 26, 26, 36]);
    expect(Array.from(pullbackMetric(a, fromRows([[1, 0], [0, 2]])).data)).toEqual([19, 26, 26, 36]);
  });

  test('bad input throws DescentError and leaves the state untouched', () => {
    expect(thrownCode(() => naturalGradient.init({ fisher: 'dense' } as never, new Float64Array(2)))).toBe('INVALID_CONFIG');
    expect(thrownCode(() => naturalGradient.init({ fisher: 'bogus', lr: 1 } as never, new Float64Array(2)))).toBe('INVALID_CONFIG');
    expect(thrownCode(() => naturalGradient.init({ fisher: 'dense', lr: -1 }, new Float64Array(2)))).toBe('INVALID_CONFIG');
    expect(thrownCode(() => naturalGradient.init({ fisher: 'diagonal', lr: 1, damping: 0 }, new Float64Array(2)))).toBe('INVALID_CONFIG');
    expect(thrownCode(() => naturalGradient.init({ fisher: 'dense', lr: 1 }, new Float64Array([NaN])))).toBe('NON_FINITE');
    expect(thrownCode(() => naturalGradient.init({ fisher: 'dense', lr: 1, dampingMetric: new Float64Array([1, -1]) }, new Float64Array(2)))).toBe('INVALID_CONFIG');
    const s = naturalGradient.init({ fisher: 'dense', lr: 1, damping: 0 }, new Float64Array([1, 2]));
    const out = naturalGradient.step(s, obs);
    const snapshot = new Float64Array(out.x);
    expect(thrownCode(() => naturalGradient.stepInto!(s, { grad: new Float64Array([1, NaN]), fisher }, out))).toBe('NON_FINITE');
    expect(thrownCode(() => naturalGradient.stepInto!(s, { grad: new Float64Array([1]), fisher }, out))).toBe('SHAPE_MISMATCH');
    expect(thrownCode(() => naturalGradient.stepInto!(s, new Float64Array([1, 1]), out))).toBe('SHAPE_MISMATCH');
    // Singular Fisher without damping.
    expect(thrownCode(() => naturalGradient.stepInto!(s, { grad: new Float64Array([1, 1]), fisher: fromRows([[1, 1], [1, 1]]) }, out))).toBe('DOMAIN');
    expect(Array.from(out.x)).toEqual(Array.from(snapshot));
    expect(out.t).toBe(1);
    const e = naturalGradient.init({ fisher: 'empirical', lr: 1 }, new Float64Array(2));
    expect(thrownCode(() => naturalGradient.step(e, new Float64Array(2)))).toBe('SHAPE_MISMATCH');
    expect(thrownCode(() => softmaxFisherPinvCrossEntropy(new Float64Array([0.5, 0.6]), 0))).toBe('DOMAIN');
    expect(thrownCode(() => softmaxFisherPinvCrossEntropy(new Float64Array([0.5, 0.5]), 2))).toBe('DOMAIN');
    expect(thrownCode(() => woodburyFisherSolve(fromRows([[1, 0]]), new Float64Array(2), 0))).toBe('INVALID_CONFIG');
  });
});

describe('natural gradient in the drivers (observes: oracle)', () => {
  test('minimize passes { grad, fisher } through: Newton on a quadratic converges in one step', () => {
    // f(x) = ½ xᵀAx − bᵀx with Fisher = A: the undamped natural step with lr 1 is Newton's step.
    const A = fromRows([[3, 1], [1, 2]]);
    const b = new Float64Array([1, -1]);
    const oracle = (x: Float64Array) => {
      const g = new Float64Array([3 * x[0]! + x[1]! - b[0]!, x[0]! + 2 * x[1]! - b[1]!]);
      return { value: 0.5 * (3 * x[0]! ** 2 + 2 * x[0]! * x[1]! + 2 * x[1]! ** 2) - (b[0]! * x[0]! + b[1]! * x[1]!), grad: g, fisher: A };
    };
    const r = minimize(naturalGradient, oracle, { config: { fisher: 'dense', lr: 1, damping: 0 }, x0: new Float64Array([5, -7]), maxSteps: 3, gradTol: 1e-12 });
    // x* = A⁻¹b = (3/5, −4/5).
    expect(Math.abs(r.state.x[0]! - 0.6)).toBeLessThan(1e-14);
    expect(Math.abs(r.state.x[1]! + 0.8)).toBeLessThan(1e-14);
    expect(r.steps).toBe(1);
  });

  test('the diagonal form still runs on a bare gradient oracle', () => {
    const r = minimize(naturalGradient, (x: Float64Array) => Float64Array.from(x, (v) => 2 * v), {
      config: { fisher: 'diagonal', lr: 0.1, damping: 1e-3 }, x0: new Float64Array([1, -2]), maxSteps: 200,
    });
    expect(Math.max(Math.abs(r.state.x[0]!), Math.abs(r.state.x[1]!))).toBeLessThan(1e-2);
  });
});
