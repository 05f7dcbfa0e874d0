import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { foldIn, key, uniform } from '@descent/linalg';
import { cloneState, o2nc, odog } from '@descent/optimizers';
import {
  lawConversionBudgetAndBall,
  lawConversionDeterminism,
  lawLinearLossSaturation,
  lawMidpointIdentity,
  lawWindowAverage,
  lawZeroStepNoMotion,
  randomQuadratic,
  stepIntoMatchesStep,
  stepNeverMutatesInputs,
} from '@descent/optimizers/laws';
import { thrownCode } from '@descent/linalg/laws';

for (const which of ['o2nc', 'odog', 'optimisticO2nc'] as const) {
  describe(`${which} laws (spec §5.2(d))`, () => {
    test('oracle budget per round and plays in the ball', () => {
      fc.assert(lawConversionBudgetAndBall(which), { numRuns: 200 });
    });
    test('midpoint identity on quadratics', () => {
      fc.assert(lawMidpointIdentity(which), { numRuns: 200 });
    });
    test('linear loss: saturation at −Dc/‖c‖', () => {
      fc.assert(lawLinearLossSaturation(which), { numRuns: 200 });
    });
    test('η = 0: no motion', () => {
      fc.assert(lawZeroStepNoMotion(which), { numRuns: 100 });
    });
    test('window averages: mean, convex hull, diameter ≤ T·D', () => {
      fc.assert(lawWindowAverage(which), { numRuns: 200 });
    });
    test('determinism', () => {
      fc.assert(lawConversionDeterminism(which), { numRuns: 50 });
    });
  });
}

describe('step contract', () => {
  const obsArb = fc.record({ d: fc.integer({ min: 1, max: 5 }), seed: fc.nat(), len: fc.integer({ min: 1, max: 12 }) }).map(({ d, seed, len }) => {
    const pr = randomQuadratic(d, seed);
    return { x0: pr.x0, obs: Array.from({ length: len }, (_, k) => pr.grad(Float64Array.from(pr.x0, (v) => v * (1 + 0.1 * k)))) };
  });
  test('o2nc: pure step, bit-identical stepInto', () => {
    const r = obsArb.map(({ x0, obs }) => ({ config: { radius: 0.3, lr: 0.1, window: 3 }, x0, key: key(1), obs }));
    fc.assert(stepNeverMutatesInputs(o2nc, r), { numRuns: 50 });
    fc.assert(stepIntoMatchesStep(o2nc, r), { numRuns: 50 });
  });
  test('odog: pure step, bit-identical stepInto (fixed and adaptive η, hint correction)', () => {
    for (const lr of [0.1, 'adaptive'] as const) {
      const r = obsArb.map(({ x0, obs }) => ({ config: { radius: 0.3, lr, window: 2, hintCorrection: true }, x0, obs }));
      fc.assert(stepNeverMutatesInputs(odog, r), { numRuns: 30 });
      fc.assert(stepIntoMatchesStep(odog, r), { numRuns: 30 });
    }
  });
});

// Independent replays of the spec's pseudo-code (§5.1(b), §5.2(b)) with plain arrays.
const proj = (v: number[], r: number): number[] => {
  const n = Math.sqrt(v.reduce((a, b) => a + b * b, 0));
  return n <= r ? v : v.map((x) => (x * r) / n);
};
const gradNq = (w: ArrayLike<number>): Float64Array => Float64Array.from(w, (v, i) => Math.tanh(v) + 0.3 * (i + 1) * v * v * v);

describe('replays of the pseudo-code', () => {
  test('O2NC (uniform s_n) matches §5.1(b)', () => {
    const D = 0.3, eta = 0.2, T = 3, N = 25, k = key(9);
    let x = [0.7, -1.1, 0.4];
    let delta = [0, 0, 0];
    let sum = [0, 0, 0];
    const avgs: number[][] = [];
    let s = o2nc.init({ radius: D, lr: eta, window: T }, Float64Array.from(x), k);
    for (let n = 1; n <= N; n++) {
      const sn = uniform(foldIn(k, n), 1)[0]!;
      const w = x.map((v, i) => v + sn * delta[i]!);
      const g = Array.from(gradNq(w));
      x = x.map((v, i) => v + delta[i]!);
      sum = sum.map((v, i) => v + w[i]!);
      if (n % T === 0) {
        avgs.push(sum.map((v) => v / T));
        sum = [0, 0, 0];
      }
      delta = proj(delta.map((v, i) => v - eta * g[i]!), D);
      expect(Array.from(s.query)).toEqual(w.map((v) => expect.closeTo(v, 14)));
      s = o2nc.step(s, gradNq(s.query));
      for (let i = 0; i < 3; i++) expect(s.anchor[i]).toBeCloseTo(x[i]!, 13);
      if (n % T === 0) for (let i = 0; i < 3; i++) expect(s.x[i]).toBeCloseTo(avgs[avgs.length - 1]![i]!, 13);
    }
    expect(s.windows).toBe(Math.floor(N / T));
  });
  for (const hintCorrection of [false, true]) {
    test(`ODOG matches §5.2(b) (hintCorrection ${hintCorrection})`, () => {
      const D = 0.25, eta = 0.15, T = 2, N = 20;
      let x = [0.9, -0.6];
      let dPrev = [0, 0];
      let dHat = [0, 0];
      let aPrev = [0, 0];
      let gPrev = [0, 0];
      let s = odog.init({ radius: D, lr: eta, window: T, hintCorrection }, Float64Array.from(x));
      for (let n = 1; n <= N; n++) {
        const z = x.map((v, i) => v + 0.5 * dPrev[i]!);
        const a = Array.from(gradNq(z));
        const h = hintCorrection && n > 1 ? a.map((v, i) => v + gPrev[i]! - aPrev[i]!) : a;
        const delta = proj(dHat.map((v, i) => v - eta * h[i]!), D);
        const w = x.map((v, i) => v + 0.5 * delta[i]!);
        const g = Array.from(gradNq(w));
        x = x.map((v, i) => v + delta[i]!);
        dHat = proj(dHat.map((v, i) => v - eta * g[i]!), D);
        dPrev = delta;
        aPrev = a;
        gPrev = g;
        for (let i = 0; i < 2; i++) expect(s.query[i]).toBeCloseTo(z[i]!, 13);
        s = odog.step(s, gradNq(s.query));
        for (let i = 0; i < 2; i++) expect(s.query[i]).toBeCloseTo(w[i]!, 13);
        s = odog.step(s, gradNq(s.query));
        for (let i = 0; i < 2; i++) {
          expect(s.anchor[i]).toBeCloseTo(x[i]!, 13);
          expect(s.deltaHat[i]).toBeCloseTo(dHat[i]!, 13);
        }
      }
    });
  }
});

describe('behaviour', () => {
  test('uniform s_n are in [0, 1) and differ between keys; midpoint is ½', () => {
    let a = o2nc.init({ radius: 1, lr: 0.1, window: 2 }, new Float64Array([1, 2]), key(1));
    let b = o2nc.init({ radius: 1, lr: 0.1, window: 2 }, new Float64Array([1, 2]), key(2));
    const ss: number[] = [];
    for (let k = 0; k < 20; k++) {
      a = o2nc.step(a, new Float64Array([1, 1]));
      b = o2nc.step(b, new Float64Array([1, 1]));
      ss.push(a.s);
      expect(a.s).toBeGreaterThanOrEqual(0);
      expect(a.s).toBeLessThan(1);
    }
    expect(ss.some((s, i) => s !== 0.5 && s !== ss[(i + 1) % ss.length])).toBe(true);
    expect(Array.from(a.query)).not.toEqual(Array.from(b.query));
    const m = o2nc.step(o2nc.init({ radius: 1, lr: 0.1, window: 2, point: 'midpoint' }, new Float64Array([1]), key(1)), new Float64Array([1]));
    expect(m.s).toBe(0.5);
    expect(m.query[0]).toBeCloseTo(1 + 0.5 * -0.1, 15);
  });
  test('ODOG hint correction: ĥ_n = a_n + g_{n−1} − a_{n−1}', () => {
    const grad = (w: Float64Array) => Float64Array.from(w, (v, i) => (i + 1) * v * v * v + v); // non-quadratic
    let s = odog.init({ radius: 0.2, lr: 0.1, window: 4, hintCorrection: true }, new Float64Array([0.5, -1]));
    for (let n = 0; n < 3; n++) {
      const prevA = new Float64Array(s.hintGrad);
      const prevG = new Float64Array(s.lastGrad);
      const a = grad(s.query);
      s = odog.step(s, a);
      for (let i = 0; i < 2; i++) expect(s.hint[i]).toBe(n === 0 ? a[i]! : a[i]! + (prevG[i]! - prevA[i]!));
      s = odog.step(s, grad(s.query));
    }
  });
  test('adaptive η_n = D/√(ε + Σ‖g − ĥ‖²)', () => {
    const grad = (w: Float64Array) => Float64Array.from(w, (v) => Math.sin(3 * v));
    let s = odog.init({ radius: 0.5, lr: 'adaptive', window: 3 }, new Float64Array([0.3, 1.2]));
    let sum = 0;
    for (let n = 0; n < 5; n++) {
      s = odog.step(s, grad(s.query));
      expect(s.eta).toBe(0.5 / Math.sqrt(1e-12 + sum));
      const g = grad(s.query);
      for (let i = 0; i < 2; i++) sum += (g[i]! - s.hint[i]!) ** 2;
      s = odog.step(s, g);
    }
  });
  test('bad input', () => {
    expect(thrownCode(() => o2nc.init({ radius: 0, lr: 0.1, window: 1 }, new Float64Array(1), key(0)))).toBe('INVALID_CONFIG');
    expect(thrownCode(() => o2nc.init({ radius: 1, lr: 0.1, window: 1.5 }, new Float64Array(1), key(0)))).toBe('INVALID_CONFIG');
    expect(thrownCode(() => o2nc.init({ radius: 1, lr: 0.1, window: 1 }, new Float64Array(1)))).toBe('INVALID_CONFIG');
    expect(thrownCode(() => odog.init({ radius: 1, lr: -1, window: 1 }, new Float64Array(1)))).toBe('INVALID_CONFIG');
    expect(thrownCode(() => odog.init({ radius: 1, lr: 0.1, window: 1, queryPoint: 2 }, new Float64Array(1)))).toBe('INVALID_CONFIG');
    expect(thrownCode(() => odog.init({ radius: 1, lr: 0.1, window: 1 }, new Float64Array([NaN])))).toBe('NON_FINITE');
    const s = odog.init({ radius: 1, lr: 0.1, window: 2 }, new Float64Array([1, 2]));
    const out = cloneState(odog.step(s, new Float64Array([1, 1])));
    const snap = structuredClone(out);
    expect(thrownCode(() => odog.stepInto!(s, new Float64Array([1, NaN]), out))).toBe('NON_FINITE');
    expect(thrownCode(() => odog.stepInto!(s, new Float64Array([1]), out))).toBe('SHAPE_MISMATCH');
    expect(out).toEqual(snap);
    const o = o2nc.init({ radius: 1, lr: 0.1, window: 2, point: 'midpoint' }, new Float64Array([1, 2]));
    expect(thrownCode(() => o2nc.step(o, new Float64Array([Infinity, 0])))).toBe('NON_FINITE');
  });
});
