import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { key, normal } from '@descent/linalg';
import {
  drm,
  drmOfGaussian,
  drmOfLinearGaussian,
  drmOfLinearGaussianGradient,
  drmOfQuantileFunction,
  drmSorted,
  drmWeights,
  dualPower,
  empiricalQuantile,
  expectation,
  expectedShortfall,
  gaussianCoefficient,
  gini,
  lookback,
  mixture,
  normalPpf,
  proportionalHazard,
  rangeValueAtRisk,
  valueAtRisk,
  wangTransform,
  type Distortion,
} from '@descent/risk';
import {
  comonotonicAdditivityLaw,
  dualityLaw,
  homogeneityLaw,
  lstatConvergenceLaw,
  monotonicityLaw,
  subadditivityLaw,
  translationLaw,
  varCounterexampleLaw,
  weightsLaw,
} from '@descent/risk/laws';
import { fromFixture, ref } from './helpers.js';
import { thrownCode } from '@descent/linalg/laws';

const family: Distortion[] = [
  valueAtRisk(0.9),
  expectedShortfall(0.95),
  rangeValueAtRisk(0.9, 0.99),
  wangTransform(0.5),
  wangTransform(-0.7),
  proportionalHazard(3),
  dualPower(2),
  gini(1),
  gini(-0.5),
  lookback(0.5),
  mixture([expectedShortfall(0.9), valueAtRisk(0.6)], [0.5, 0.5]),
];
const concave = family.filter((d) => d.isConcave);

describe('L-statistic: hand-checkable values (spec §j.2)', () => {
  const x = new Float64Array([3, -1, 2, 5, 0]);
  test('CVaR_0.6 = 4, VaR_0.6 = x_(3) = 2, mean = 1.8, dual power 2 = 3', () => {
    expect(Array.from(drmWeights(5, expectedShortfall(0.6)), (v) => +v.toFixed(15))).toEqual([0, 0, 0, 0.5, 0.5]);
    expect(drm(x, expectedShortfall(0.6))).toBeCloseTo(4, 14);
    expect(drm(x, valueAtRisk(0.6))).toBe(2);
    expect(drm(x, expectation())).toBeCloseTo(1.8, 14);
    expect(drm(x, dualPower(2))).toBeCloseTo(3, 14);
  });
  test('VaR_α is the order statistic x_(⌈nα⌉) even when nα is an integer up to rounding', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 200 }), fc.integer({ min: 1, max: 199 }), (n, k) => {
        const alpha = Math.min(k, n - 1) / n;
        if (!(alpha > 0)) return true;
        const xs = Float64Array.from({ length: n }, (_, i) => i);
        return drm(xs, valueAtRisk(alpha)) === Math.ceil(n * alpha - 1e-9) - 1;
      }),
    );
  });
  test('the sample is not mutated and drmSorted agrees with drm', () => {
    const y = new Float64Array([3, 1, 2]);
    const d = wangTransform(0.3);
    expect(drm(y, d)).toBe(drmSorted(new Float64Array([1, 2, 3]), d));
    expect(Array.from(y)).toEqual([3, 1, 2]);
  });
});

describe('L-statistic vs NumPy sort-and-weight (fixture: 997 samples with ties, both conventions)', () => {
  type Row = { name: string; params: Record<string, number>; loss: number; reward: number; small: number };
  test.each((ref.lstat.rows as Row[]).map((r) => [`${r.name} ${JSON.stringify(r.params)}`, r] as const))(
    '%s',
    (_, row) => {
      const d = fromFixture(row.name, row.params);
      const x = Float64Array.from(ref.lstat.sample as number[]);
      // Same weights, same sorted values: only summation order and g̃ rounding differ.
      expect(Math.abs(drm(x, d) - row.loss)).toBeLessThanOrEqual(1e-12 * 10);
      expect(Math.abs(drm(x, d, { convention: 'reward' }) - row.reward)).toBeLessThanOrEqual(1e-12 * 10);
      expect(Math.abs(drm(Float64Array.from(ref.lstat.small as number[]), d) - row.small)).toBeLessThanOrEqual(1e-13);
    },
  );
});

describe('laws of the sample DRM', () => {
  test.each(family.map((d) => [d.name, d] as const))('%s: weights, monotonicity, translation, homogeneity, comonotonic additivity, duality', (_, d) => {
    fc.assert(weightsLaw(d), { numRuns: 50 });
    fc.assert(monotonicityLaw(d), { numRuns: 100 });
    fc.assert(translationLaw(d), { numRuns: 100 });
    fc.assert(homogeneityLaw(d), { numRuns: 100 });
    fc.assert(comonotonicAdditivityLaw(d), { numRuns: 100 });
    fc.assert(dualityLaw(d), { numRuns: 100 });
  });
  test.each(concave.map((d) => [d.name, d] as const))('%s (concave): subadditive', (_, d) => {
    fc.assert(subadditivityLaw(d), { numRuns: 200 });
  });
  test('VaR is not subadditive: the exact Bernoulli counterexample, and fast-check finds a violation', () => {
    fc.assert(varCounterexampleLaw(), { numRuns: 100 });
    // The subadditivity law must be able to fail: it does for VaR and for a non-concave dual power.
    expect(() => fc.assert(subadditivityLaw(valueAtRisk(0.9)), { numRuns: 2000, seed: 1 })).toThrow();
    expect(() => fc.assert(subadditivityLaw(dualPower(0.3)), { numRuns: 2000, seed: 1 })).toThrow();
  });
});

describe('Gaussian closed forms', () => {
  type Row = { name: string; params: Record<string, number>; c: number };
  test.each((ref.gaussian as Row[]).map((r) => [`${r.name} ${JSON.stringify(r.params)}`, r] as const))(
    'c_g of %s matches scipy quad to 1e-9',
    (_, row) => {
      expect(Math.abs(gaussianCoefficient(fromFixture(row.name, row.params)) - row.c)).toBeLessThanOrEqual(1e-9);
    },
  );
  test('textbook closed forms: VaR Φ^{-1}(α), CVaR φ(z)/(1−α), Wang λ, dual power 2 = 1/√π, Gini κ/√π', () => {
    expect(gaussianCoefficient(valueAtRisk(0.95))).toBeCloseTo(normalPpf(0.95), 12);
    const z = normalPpf(0.9);
    expect(gaussianCoefficient(expectedShortfall(0.9))).toBeCloseTo(Math.exp(-z * z / 2) / Math.sqrt(2 * Math.PI) / 0.1, 12);
    expect(gaussianCoefficient(wangTransform(1.3))).toBeCloseTo(1.3, 12);
    expect(gaussianCoefficient(dualPower(2))).toBeCloseTo(1 / Math.sqrt(Math.PI), 12);
    expect(gaussianCoefficient(gini(0.4))).toBeCloseTo(0.4 / Math.sqrt(Math.PI), 12);
  });
  test('drmOfGaussian = μ + σ c_g; reward = −ρ(−Y); linear portfolio and its gradient vs finite differences', () => {
    const d = expectedShortfall(0.9);
    const c = gaussianCoefficient(d);
    expect(drmOfGaussian(1, 2, d)).toBeCloseTo(1 + 2 * c, 12);
    expect(drmOfGaussian(1, 2, d, { convention: 'reward' })).toBeCloseTo(-drmOfGaussian(-1, 2, d), 12);
    const { mean, cov } = ref.portfolio;
    const r = { mean: Float64Array.from(mean as number[]), cov: Float64Array.from(cov as number[]) };
    const w = new Float64Array([0.5, 0.3, 0.2]);
    const g = drmOfLinearGaussianGradient(w, r, d);
    for (let i = 0; i < 3; i++) {
      const e = 1e-6;
      const wp = Float64Array.from(w);
      const wm = Float64Array.from(w);
      wp[i] += e;
      wm[i] -= e;
      // central differences of a smooth function: error O(e²) + O(1e−16/e) ≈ 1e−10
      expect(Math.abs((drmOfLinearGaussian(wp, r, d) - drmOfLinearGaussian(wm, r, d)) / (2 * e) - g[i]!)).toBeLessThan(1e-8);
    }
    expect(() => drmOfGaussian(0, -1, d)).toThrow(/sd/);
  });
  test('the scipy SLSQP portfolio optima satisfy the KKT conditions of the closed form', () => {
    const { mean, cov, rows } = ref.portfolio;
    const r = { mean: Float64Array.from(mean as number[]), cov: Float64Array.from(cov as number[]) };
    for (const row of rows as { c: number; w: number[]; rho: number }[]) {
      const w = Float64Array.from(row.w);
      expect(Math.abs(drmOfLinearGaussian(w, r, expectation(), row.c) - row.rho)).toBeLessThan(1e-12);
      const g = drmOfLinearGaussianGradient(w, r, expectation(), row.c);
      // interior optimum on the simplex: equal partial derivatives (SLSQP ftol 1e−15 → ~1e−6 in w)
      expect(Math.max(...g) - Math.min(...g)).toBeLessThan(1e-5);
    }
  });
});

describe('DRM of a quantile function', () => {
  test('probit rule on Φ^{-1} reproduces c_g to 1e-10 (with the exact upper tail)', () => {
    for (const d of family) {
      const v = drmOfQuantileFunction(normalPpf, d, { upperTail: (s) => -normalPpf(s) });
      expect(Math.abs(v - gaussianCoefficient(d)), d.name).toBeLessThan(1e-10);
    }
  });
  test('uniform law: ρ_CVaR_α(U) = (1 + α)/2, ρ_VaR = α; the code grid rule is close (1025 levels)', () => {
    expect(drmOfQuantileFunction((u) => u, expectedShortfall(0.5))).toBeCloseTo(0.75, 12);
    expect(drmOfQuantileFunction((u) => u, valueAtRisk(0.3))).toBeCloseTo(0.3, 12);
    expect(Math.abs(drmOfQuantileFunction((u) => u, expectedShortfall(0.5), { rule: 'grid' }) - 0.75)).toBeLessThan(1e-5);
  });
  test('heavy upper weight without upperTail is refused rather than truncated', () => {
    expect(() => drmOfQuantileFunction(normalPpf, proportionalHazard(3))).toThrow(/upperTail/);
  });
  test('empiricalQuantile is NumPy type 7', () => {
    const s = new Float64Array([0, 1, 2, 4]);
    expect(empiricalQuantile(s, 0.5)).toBe(1.5);
    expect(empiricalQuantile(s, 1)).toBe(4);
    expect(empiricalQuantile(s, 0.9)).toBeCloseTo(3.4, 14);
  });
});

describe('the L-statistic converges to the closed form', () => {
  // sd₁ = sd of the L-statistic at n = 10⁴ on N(0,1), spec §h (400 replications); tolerance 5·sd₁·σ·√(10⁴/n).
  const sd1: [Distortion, number][] = [
    [valueAtRisk(0.9), 0.0183],
    [expectedShortfall(0.95), 0.0253],
    [wangTransform(0.5), 0.0109],
    [proportionalHazard(3), 0.0247],
    [dualPower(2), 0.011],
    [gini(1), 0.011],
    [lookback(0.5), 0.0331],
    [rangeValueAtRisk(0.9, 0.99), 0.0199],
  ];
  test.each(sd1.map(([d, s]) => [d.name, d, s] as const))('%s at n = 2·10⁵', (_, d, s) => {
    fc.assert(lstatConvergenceLaw(d, gaussianCoefficient(d), s, 200000), { numRuns: 3 });
  });
  test('the error shrinks like n^{-1/2}: slope of log RMSE between n = 10³ and 10⁵ in [−0.65, −0.35] (40 replications)', () => {
    const d = expectedShortfall(0.9);
    const c = gaussianCoefficient(d);
    const rmse = (n: number) => {
      let s = 0;
      for (let r = 0; r < 40; r++) s += (drm(normal(key(1000 * n + r), n), d) - c) ** 2;
      return Math.sqrt(s / 40);
    };
    const slope = (Math.log(rmse(1e5)) - Math.log(rmse(1e3))) / (Math.log(1e5) - Math.log(1e3));
    // RMSE over 40 reps has ~11 % relative error (χ²₄₀), i.e. ±0.05 in slope per endpoint.
    expect(slope).toBeGreaterThan(-0.65);
    expect(slope).toBeLessThan(-0.35);
  });
});

describe('bad input', () => {
  test('empty and non-finite samples', () => {
    const d = expectedShortfall(0.9);
    for (const [f, code] of [
      [() => drm(new Float64Array(0), d), 'SHAPE_MISMATCH'],
      [() => drm(new Float64Array([1, NaN]), d), 'NON_FINITE'],
      [() => drm([1, Infinity], d), 'NON_FINITE'],
      [() => drmWeights(0, d), 'SHAPE_MISMATCH'],
      [() => empiricalQuantile(new Float64Array(0), 0.5), 'SHAPE_MISMATCH'],
      [() => empiricalQuantile(new Float64Array(1), 2), 'DOMAIN'],
    ] as const) {
      expect(thrownCode(() => f())).toBe(code);
    }
    expect(drm([1, NaN], d, { check: false })).toBeNaN();
  });
});
