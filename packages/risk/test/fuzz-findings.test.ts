import { describe, expect, test } from 'vitest';
import { key } from '@descent/linalg';
import { thrownError } from '@descent/linalg/laws';
import {
  boxSet, drmOfLinearGaussian, drmSA, dmQuantileGradient, expectedShortfall, gaussianPortfolioOptimum, gaussianScenarios, linearGaussianModel,
  MAX_GRID_CELLS, mixtureCdf, mixturePdf, mixturePpf, normalPpf, qfGradient, quantileDistance, quantileGrid, quantileTracker, runDrmSA,
  sampleModel, simplexSet, wangTransform, type DrmSaState,
} from '@descent/risk';

// What the API fuzz (test/fuzz.test.ts) found at the boundary and cannot see itself: silent NaN or
// Infinity results, limits that must fail before any loop, and outputs left untouched on rejection.

const v = (...xs: number[]) => Float64Array.from(xs);
const law = () => ({ mu: v(-0.5, 0.5), sigma: v(1, 0.5), pi: v(0.3, 0.7) });
const sample = () => ({ x: v(-1.2, -0.8, -1.1, -0.5), psi: v(0.1, -0.2, 0.3, -0.1) });

describe('sizes above a stated limit fail before any loop or allocation', () => {
  test('quantileGrid and qfGradient: M above MAX_GRID_CELLS is INVALID_CONFIG naming the function called', () => {
    expect(thrownError(() => quantileGrid(expectedShortfall(0.9), 'qf', { M: MAX_GRID_CELLS + 1 }))).toMatchObject({ code: 'INVALID_CONFIG', message: expect.stringMatching(/^quantileGrid: M = 10000001 is above/) });
    let calls = 0;
    const q = (u: number) => (calls++, normalPpf(u));
    expect(thrownError(() => qfGradient(expectedShortfall(0.9), sample(), q, 1, { M: 1e9 })).message).toMatch(/^qfGradient: M = 1000000000/);
    expect(calls).toBe(0);
    expect(quantileGrid(expectedShortfall(0.9), 'qf', { M: 2 }).M).toBe(2);
  });

  test('runDrmSA with iterations 1e308, sampleModel and gaussianScenarios with 1e9 draws reject at once', () => {
    const model = linearGaussianModel(v(1, 2), v(1, 0, 0, 1));
    const cfg = { form: 'qf' as const, distortion: expectedShortfall(0.9), M: 8 };
    expect(thrownError(() => runDrmSA(cfg, v(0.5, 0.5), model, key(0), { iterations: 1e308 }))).toMatchObject({ code: 'INVALID_CONFIG', message: expect.stringMatching(/^runDrmSA: options\.iterations/) });
    expect(thrownError(() => sampleModel(model, v(0.5, 0.5), key(0), 1e9)).code).toBe('SHAPE_MISMATCH');
    expect(thrownError(() => gaussianScenarios({ mean: v(0), cov: v(1) }, 1e9, key(0))).code).toBe('SHAPE_MISMATCH');
    expect(thrownError(() => quantileDistance(law(), (u) => u, 1e9)).code).toBe('INVALID_CONFIG');
  });
});

describe('no silent NaN or Infinity', () => {
  test('mixture CDF and density: NaN x is DOMAIN, ±Infinity are the ends of the line; π must sum to 1', () => {
    expect(thrownError(() => mixtureCdf(law(), NaN)).code).toBe('DOMAIN');
    expect(thrownError(() => mixturePdf(law(), NaN)).code).toBe('DOMAIN');
    expect([mixtureCdf(law(), -Infinity), mixtureCdf(law(), Infinity), mixturePdf(law(), Infinity)]).toEqual([0, 1, 0]);
    expect(thrownError(() => mixtureCdf({ ...law(), pi: v(0.5, 0.7) }, 0))).toMatchObject({ code: 'DOMAIN', message: expect.stringMatching(/law\.pi must sum to 1/) });
    expect(thrownError(() => mixturePpf({ ...law(), sigma: v(1, 1e307) }, 0.5)).code).toBe('DOMAIN'); // μ ± 40σ overflows
  });

  test('qfGradient: a quantile function giving NaN is NON_FINITE, a decreasing one DOMAIN', () => {
    expect(thrownError(() => qfGradient(expectedShortfall(0.9), sample(), () => NaN, 1, { M: 8 })).code).toBe('NON_FINITE');
    expect(thrownError(() => qfGradient(expectedShortfall(0.9), sample(), (u) => -u, 1, { M: 8 })).code).toBe('DOMAIN');
  });

  test('dmQuantileGradient: a density estimate that underflows to 0 is DOMAIN (was ±Infinity)', () => {
    expect(thrownError(() => dmQuantileGradient(sample(), 0.5, 1e3, 1e-3, 1))).toMatchObject({ code: 'DOMAIN', message: expect.stringMatching(/^dmQuantileGradient: the density estimate/) });
  });

  test('drmOfLinearGaussian: an overflowing portfolio is NON_FINITE (was Infinity); a given c must be finite', () => {
    const r = { mean: v(1, 1), cov: v(1, 0, 0, 1) };
    expect(thrownError(() => drmOfLinearGaussian(v(1e300, 1e300), r, wangTransform(1))).code).toBe('NON_FINITE');
    expect(thrownError(() => drmOfLinearGaussian(v(0.5, 0.5), r, wangTransform(1), NaN)).code).toBe('NON_FINITE');
    expect(drmOfLinearGaussian(v(0.5, 0.5), r, wangTransform(1), 1)).toBeCloseTo(-1 + Math.SQRT1_2, 14);
  });

  test('quantileDistance: a target giving NaN is NON_FINITE', () => {
    expect(thrownError(() => quantileDistance(law(), () => NaN, 10)).code).toBe('NON_FINITE');
  });
});

describe('arguments are checked under the name of the function called', () => {
  test('gaussianPortfolioOptimum: a box of another dimension is SHAPE_MISMATCH naming it (was named project)', () => {
    expect(thrownError(() => gaussianPortfolioOptimum({ mean: v(1, 1), cov: v(1, 0, 0, 1) }, wangTransform(1), boxSet(0, 1, 3))).message).toMatch(/^gaussianPortfolioOptimum: projection has dimension 3/);
  });

  test('linearGaussianModel copies mean and cov: reusing the arrays does not change the model', () => {
    const mean = v(1, 2);
    const cov = v(1, 0, 0, 1);
    const model = linearGaussianModel(mean, cov);
    const before = sampleModel(model, v(0.5, 0.5), key(3), 4);
    mean.fill(100);
    cov.fill(7);
    expect(sampleModel(model, v(0.5, 0.5), key(3), 4)).toEqual(before);
  });
});

describe('SA states and outputs are checked before anything is written', () => {
  const cfg = { form: 'dm' as const, distortion: wangTransform(0.5), projection: simplexSet(), M: 8 };
  const warm = (): DrmSaState => {
    const s0 = drmSA.init(cfg, v(0.5, 0.5));
    const n = s0.sampleSize;
    return drmSA.step(s0, { x: Float64Array.from({ length: n }, (_, j) => Math.sin(j + 1)), psi: Float64Array.from({ length: 2 * n }, (_, j) => Math.cos(j)) });
  };
  const batch = () => ({ x: v(-0.3, 0.4, 0.1, -0.8), psi: v(0.1, -0.2, 0.3, -0.1, 0.2, 0.05, -0.3, 0.1) });

  test('drmSA.stepInto: a short out buffer or one shared with the batch is rejected and out is untouched', () => {
    const s = warm();
    const out = warm();
    const short = { ...out, q: new Float64Array(3) };
    const before = Float64Array.from(out.x);
    expect(thrownError(() => drmSA.stepInto(s, batch(), short))).toMatchObject({ code: 'SHAPE_MISMATCH', message: expect.stringMatching(/^drmSA\.stepInto: out\.q must be a Float64Array of length 9/) });
    const b = batch();
    const aliased = { ...out, grad: b.psi.subarray(0, 2) };
    expect(thrownError(() => drmSA.stepInto(s, b, aliased)).code).toBe('INVALID_CONFIG');
    expect(out.x).toEqual(before);
    expect(drmSA.stepInto(s, batch(), out).k).toBe(s.k + 1);
  });

  test('drmSA.step: a state whose D has the wrong length or whose q holds NaN is rejected (was stepped into NaN)', () => {
    const s = warm();
    expect(thrownError(() => drmSA.step({ ...s, D: new Float64Array(1) }, batch())).code).toBe('SHAPE_MISMATCH');
    const q = Float64Array.from(s.q);
    q[3] = NaN;
    expect(thrownError(() => drmSA.step({ ...s, q }, batch())).code).toBe('NON_FINITE');
  });

  test('quantileTracker: levels of the wrong length, and an out aliasing the samples, are rejected', () => {
    const s = quantileTracker.init({ levels: v(0.25, 0.5, 0.9) }, v(-1, 0, 1));
    expect(thrownError(() => quantileTracker.step({ ...s, levels: v(0.5) }, v(0, 1))).code).toBe('SHAPE_MISMATCH');
    const samples = v(0.3, -0.5, 1.2, 0.1);
    expect(thrownError(() => quantileTracker.stepInto(s, samples, { ...s, x: samples.subarray(0, 3) })).code).toBe('INVALID_CONFIG');
    expect(Array.from(samples)).toEqual([0.3, -0.5, 1.2, 0.1]);
  });
});
