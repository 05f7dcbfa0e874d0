import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { cloneState, optimisticO2nc } from '@descent/optimizers';
import {
  lawOptimisticO2ncContraction,
  lawOptimisticO2ncOneIterationIsOdog,
  pingPongMatchesStep,
  randomQuadratic,
  stepIntoMatchesStep,
  stepNeverMutatesInputs,
} from '@descent/optimizers/laws';
import { thrownCode } from '@descent/linalg/laws';

// The conversion laws shared with O2NC and ODOG (budget, ball, midpoint identity, linear loss, η = 0,
// windows, determinism) run for 'optimisticO2nc' in o2nc.test.ts.

describe('optimistic O2NC laws', () => {
  test('K = 1 is ODOG (extrapolation ½, no hint correction), bit for bit', () => {
    fc.assert(lawOptimisticO2ncOneIterationIsOdog(), { numRuns: 200 });
  });
  test('the fixed-point loop contracts with factor ηL/2 and stops at the tolerance', () => {
    fc.assert(lawOptimisticO2ncContraction(), { numRuns: 200 });
  });
});

describe('step contract', () => {
  const obsArb = fc.record({ d: fc.integer({ min: 1, max: 5 }), seed: fc.nat(), len: fc.integer({ min: 1, max: 14 }), iterations: fc.integer({ min: 1, max: 4 }) }).map(({ d, seed, len, iterations }) => {
    const pr = randomQuadratic(d, seed);
    return { config: { radius: 0.3, lr: 0.2, window: 2, iterations, tolerance: 1e-3 }, x0: pr.x0, obs: Array.from({ length: len }, (_, k) => pr.grad(Float64Array.from(pr.x0, (v) => v * (1 + 0.1 * k)))) };
  });
  test('pure step, bit-identical stepInto and ping-pong', () => {
    fc.assert(stepNeverMutatesInputs(optimisticO2nc, obsArb), { numRuns: 50 });
    fc.assert(stepIntoMatchesStep(optimisticO2nc, obsArb), { numRuns: 50 });
    fc.assert(pingPongMatchesStep(optimisticO2nc, obsArb), { numRuns: 50 });
  });
});

interface Fixture {
  A: number[];
  y: number[];
  n: number;
  d: number;
  x0: number[];
  cases: { radius: number; lr: number; window: number; iterations: number; tolerance: number; rounds: number; trace: { anchor: number[]; play: number[]; deltaHat: number[]; x: number[]; calls: number; gradEvals: number }[] }[];
}

describe('cross-check against the NumPy/PyTorch replay (scripts/fixtures/optimizers_o2nc_optimistic.py)', () => {
  const fx = JSON.parse(readFileSync(new URL('./fixtures/o2nc_optimistic.json', import.meta.url), 'utf8')) as Fixture;
  const { A, y, n, d } = fx;
  // ∇F for F(x) = mean_i softplus(y_i a_i·x) + 0.05 Σ x_j⁴ (the fixture's gradients come from autograd).
  const grad = (x: Float64Array): Float64Array => {
    const g = new Float64Array(d);
    for (let i = 0; i < n; i++) {
      let z = 0;
      for (let j = 0; j < d; j++) z += A[i * d + j]! * x[j]!;
      z *= y[i]!;
      const sig = 1 / (1 + Math.exp(-z));
      for (let j = 0; j < d; j++) g[j] += (sig * y[i]! * A[i * d + j]!) / n;
    }
    for (let j = 0; j < d; j++) g[j] += 0.2 * x[j]! ** 3;
    return g;
  };
  const close = (a: ArrayLike<number>, b: number[], what: string) => {
    // 1e-12 relative to the scale of the iterates: both sides round the same sums in different orders.
    for (let i = 0; i < b.length; i++) expect(Math.abs(a[i]! - b[i]!), `${what}[${i}]`).toBeLessThanOrEqual(1e-12 * (1 + Math.abs(b[i]!)));
  };
  for (const c of fx.cases) {
    test(`D ${c.radius}, η ${c.lr}, T ${c.window}, K ${c.iterations}, tolerance ${c.tolerance}: every round's calls, play, anchor, lazy iterate and output`, () => {
      let s = optimisticO2nc.init({ radius: c.radius, lr: c.lr, window: c.window, iterations: c.iterations, tolerance: c.tolerance }, Float64Array.from(fx.x0));
      for (const [r, ref] of c.trace.entries()) {
        const e0 = s.gradEvals;
        do s = optimisticO2nc.step(s, grad(s.query));
        while (s.iteration !== 0);
        expect(s.t).toBe(r + 1);
        expect(s.gradEvals - e0, `round ${r + 1} calls`).toBe(ref.calls);
        expect(s.gradEvals).toBe(ref.gradEvals);
        close(s.delta, ref.play, `round ${r + 1} play`);
        close(s.anchor, ref.anchor, `round ${r + 1} anchor`);
        close(s.deltaHat, ref.deltaHat, `round ${r + 1} deltaHat`);
        close(s.x, ref.x, `round ${r + 1} output`);
      }
    });
  }
  test('the fixture exercises early stops and full loops', () => {
    const calls = fx.cases.flatMap((c) => c.trace.map((t) => ({ calls: t.calls, max: c.iterations + 1 })));
    expect(calls.some((t) => t.calls < t.max)).toBe(true);
    expect(calls.some((t) => t.calls === t.max && t.max > 2)).toBe(true);
  });
});

describe('behaviour', () => {
  test('the hint converges to the gradient it predicts: Σ‖g_n − h_n‖² shrinks with K on a smooth loss', () => {
    const pr = randomQuadratic(4, 3);
    const grad = (w: Float64Array) => Float64Array.from(pr.grad(w), (v, i) => v + 0.2 * Math.tanh(w[i]!));
    const run = (iterations: number) => {
      let s = optimisticO2nc.init({ radius: 0.2, lr: 0.3, window: 3, iterations }, pr.x0);
      while (s.t < 30) s = optimisticO2nc.step(s, grad(s.query));
      return s;
    };
    const errs = [1, 2, 4, 8].map((k) => run(k).sumSqHintError);
    for (let i = 1; i < errs.length; i++) expect(errs[i]!).toBeLessThan(errs[i - 1]!);
    expect(run(8).gradEvals).toBeLessThanOrEqual(30 * 9);
  });
  test('on a linear loss the first refinement is the fixed point: residual exactly 0, two gradients per round (tolerance 0)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 2, max: 8 }), fc.double({ min: 0.01, max: 2, noNaN: true }), (d, iterations, lr) => {
        const c = Float64Array.from({ length: d }, (_, i) => Math.cos(i + 1));
        let s = optimisticO2nc.init({ radius: 0.3, lr, window: 2, iterations }, new Float64Array(d));
        while (s.t < 10) s = optimisticO2nc.step(s, c);
        return s.gradEvals === 20 && s.residual === 0 && s.sumSqHintError === 0;
      }),
      { numRuns: 50 },
    );
  });
  test('bad input', () => {
    const x0 = new Float64Array([1, 2]);
    expect(thrownCode(() => optimisticO2nc.init({ radius: 0, lr: 0.1, window: 1 }, x0))).toBe('INVALID_CONFIG');
    expect(thrownCode(() => optimisticO2nc.init({ radius: 1, lr: -0.1, window: 1 }, x0))).toBe('INVALID_CONFIG');
    expect(thrownCode(() => optimisticO2nc.init({ radius: 1, lr: 0.1, window: 0 }, x0))).toBe('INVALID_CONFIG');
    expect(thrownCode(() => optimisticO2nc.init({ radius: 1, lr: 0.1, window: 1, iterations: 0 }, x0))).toBe('INVALID_CONFIG');
    expect(thrownCode(() => optimisticO2nc.init({ radius: 1, lr: 0.1, window: 1, iterations: 2.5 }, x0))).toBe('INVALID_CONFIG');
    expect(thrownCode(() => optimisticO2nc.init({ radius: 1, lr: 0.1, window: 1, tolerance: -1 }, x0))).toBe('INVALID_CONFIG');
    expect(thrownCode(() => optimisticO2nc.init({ radius: 1, lr: 0.1, window: 1, iteration: 3 } as never, x0))).toBe('INVALID_CONFIG');
    expect(thrownCode(() => optimisticO2nc.init({ radius: 1, lr: 0.1, window: 1 }, new Float64Array([NaN])))).toBe('NON_FINITE');
    expect(thrownCode(() => optimisticO2nc.init({ radius: 1, lr: 0.1, window: 1 }, new Float64Array(0)))).toBe('SHAPE_MISMATCH');
    const s = optimisticO2nc.init({ radius: 1, lr: 0.1, window: 2 }, x0);
    const out = cloneState(optimisticO2nc.step(s, new Float64Array([1, 1])));
    const snap = structuredClone(out);
    expect(thrownCode(() => optimisticO2nc.stepInto!(s, new Float64Array([1, NaN]), out))).toBe('NON_FINITE');
    expect(thrownCode(() => optimisticO2nc.stepInto!(s, new Float64Array([1]), out))).toBe('SHAPE_MISMATCH');
    expect(thrownCode(() => optimisticO2nc.stepInto!(s, new Float64Array([1, 1]), s))).toBe('INVALID_CONFIG');
    expect(out).toEqual(snap);
  });
});
