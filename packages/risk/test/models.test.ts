import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { key, normal } from '@descent/linalg';
import {
  discontinuousDistortion,
  drmOfQuantileFunction,
  expectedShortfall,
  gaussianPortfolioOptimum,
  gaussianPortfolioProblem,
  gaussianScenarios,
  mixture,
  mixtureCdf,
  mixtureLogPdf,
  mixturePpf,
  normalizedMixture,
  quantileDistance,
  robustMixtureModel,
  robustPortfolioProblem,
  sampleAverageObjective,
  sampleAverageOptimize,
  sampleModel,
  sShape,
  simplexSet,
  sortFloat64,
  valueAtRisk,
  wangTransform,
  worstCaseDrm,
  drm,
  drmWeights,
  expectation,
} from '@descent/risk';
import { fromFixture, ref } from './helpers.js';
import { thrownCode } from '@descent/linalg/laws';

describe('radix sort', () => {
  test('equals the native sort (incl. ±0, ±∞, subnormals, ties) and returns a stable permutation', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.double({ noNaN: true }), fc.constantFrom(0, -0, 1, -1, 2.5)), { maxLength: 3000 }), (a) => {
        const x = Float64Array.from(a);
        const perm = new Int32Array(x.length);
        const s = sortFloat64(x, new Float64Array(x.length), perm);
        const ref = Float64Array.from(x).sort();
        for (let i = 0; i < x.length; i++) {
          if (s[i] !== ref[i]) return false;
          if (!Object.is(x[perm[i]!], s[i])) return false;
          if (i > 0 && s[i] === s[i - 1] && Object.is(s[i], s[i - 1]) && perm[i]! < perm[i - 1]!) return false;
        }
        return true;
      }),
      { numRuns: 200 },
    );
    const big = normal(key(3), 100000);
    expect(Array.from(sortFloat64(big))).toEqual(Array.from(Float64Array.from(big).sort()));
  });
});

describe('Gaussian portfolio problem and the sample-average baseline', () => {
  type Row = { name: string; params: Record<string, number>; w: number[]; rho: number };
  test.each((ref.portfolio.rows as Row[]).filter((r) => r.name !== 'mix-cvar-var').map((r) => [`${r.name} ${JSON.stringify(r.params)}`, r] as const))(
    'closed-form optimum of %s matches scipy SLSQP',
    (_, row) => {
      const p = gaussianPortfolioProblem(fromFixture(row.name, row.params));
      // SLSQP (ftol 1e−15) is accurate to ~1e−8 in w on this problem; ours to ~1e−12 (fixed-point on the exact gradient)
      p.optimum.x.forEach((v, i) => expect(Math.abs(v - row.w[i]!)).toBeLessThan(1e-6));
      expect(Math.abs(p.optimum.value - row.rho)).toBeLessThan(1e-12);
    },
  );
  test('the half CVaR / half VaR optimum too', () => {
    const row = (ref.portfolio.rows as Row[]).find((r) => r.name === 'mix-cvar-var')!;
    const p = gaussianPortfolioProblem(mixture([expectedShortfall(0.9), valueAtRisk(0.9)], [0.5, 0.5]));
    p.optimum.x.forEach((v, i) => expect(Math.abs(v - row.w[i]!)).toBeLessThan(1e-6));
  });
  test('sample-average objective = drm of the scenario losses; its subgradient matches finite differences', () => {
    const p = gaussianPortfolioProblem(wangTransform(0.5));
    const sc = gaussianScenarios(p.returns, 500, key(4));
    const w = new Float64Array([0.3, 0.3, 0.4]);
    const losses = Float64Array.from({ length: 500 }, (_, j) => -(w[0]! * sc[3 * j]! + w[1]! * sc[3 * j + 1]! + w[2]! * sc[3 * j + 2]!));
    const o = sampleAverageObjective(p.distortion, sc, 3, w);
    expect(Math.abs(o.value - drm(losses, p.distortion))).toBeLessThan(1e-12);
    // piecewise linear in w: one-sided differences with a step below the gap to the next kink are exact to rounding
    for (let r = 0; r < 3; r++) {
      const e = 1e-9;
      const wp = Float64Array.from(w);
      wp[r] += e;
      expect(Math.abs((sampleAverageObjective(p.distortion, sc, 3, wp).value - o.value) / e - o.subgradient[r]!)).toBeLessThan(1e-5);
    }
  });
  test('the sample-average solve approaches w* as N grows (N = 4·10⁴, 300 subgradient steps)', () => {
    const p = gaussianPortfolioProblem(expectedShortfall(0.9));
    const sol = sampleAverageOptimize(p.x0, { distortion: p.distortion, scenarios: gaussianScenarios(p.returns, 40000, key(9)), projection: simplexSet(), iterations: 300 });
    const err = sol.x.reduce((a, v, i) => a + (v - p.optimum.x[i]!) ** 2, 0);
    // SAA error ~ 1/N (measured 1.1e−4 at N = 10⁴ over 5 reps): bound 1e−3 at N = 4·10⁴
    expect(err).toBeLessThan(1e-3);
    expect(() => sampleAverageOptimize(p.x0, { distortion: p.distortion, scenarios: new Float64Array(0) })).toThrow(/empty/);
    expect(() => sampleAverageOptimize(p.x0, { distortion: p.distortion, scenarios: new Float64Array([1, NaN, 0]) })).toThrow(/NaN/);
  });
  test('the optimum solver works on a box too and flags shape errors', () => {
    const p = gaussianPortfolioProblem(expectation());
    const w = gaussianPortfolioOptimum(p.returns, expectation(), simplexSet());
    // mean only: all weight on the best mean
    expect(Array.from(w.x).map((v) => +v.toFixed(12))).toEqual([0, 0, 1]);
    expect(thrownCode(() => gaussianPortfolioOptimum({ mean: new Float64Array(2), cov: new Float64Array(9) }, expectation(), simplexSet()))).toBe('SHAPE_MISMATCH');
  });
});

describe("the paper's robust portfolio problem (normalised Gaussian mixture)", () => {
  const fx = ref.mixture;
  test('normalisation, CDF and log-density vs the NumPy fixture', () => {
    const theta = Float64Array.from(fx.theta as number[]);
    const law = normalizedMixture(theta);
    law.mu.forEach((v, i) => expect(Math.abs(v - fx.mu[i])).toBeLessThan(1e-13));
    law.sigma.forEach((v, i) => expect(Math.abs(v - fx.sigma[i])).toBeLessThan(1e-13));
    law.pi.forEach((v, i) => expect(Math.abs(v - fx.pi[i])).toBeLessThan(1e-15));
    (fx.points as number[]).forEach((x, i) => {
      expect(Math.abs(mixtureCdf(law, x) - fx.cdf[i])).toBeLessThan(1e-13);
      expect(Math.abs(mixtureLogPdf(theta, x) - fx.logpdf[i])).toBeLessThan(1e-12);
      expect(Math.abs(mixtureCdf(law, mixturePpf(law, fx.cdf[i])) - fx.cdf[i])).toBeLessThan(1e-13);
    });
  });
  test('ψ is the exact score ∇θ log p(X; θ): central differences agree to 1e−6 at random θ', () => {
    const model = robustMixtureModel(4);
    fc.assert(
      fc.property(fc.array(fc.double({ min: -2.5, max: 2.5, noNaN: true }), { minLength: 12, maxLength: 12 }), fc.integer({ min: 0, max: 1000 }), (a, seed) => {
        const th = Float64Array.from(a);
        const s = sampleModel(model, th, key(seed), 2);
        for (let j = 0; j < 2; j++) {
          for (let r = 0; r < 12; r++) {
            const e = 1e-6;
            const tp = Float64Array.from(th);
            const tm = Float64Array.from(th);
            tp[r] += e;
            tm[r] -= e;
            const fd = (mixtureLogPdf(tp, s.x[j]!) - mixtureLogPdf(tm, s.x[j]!)) / (2 * e);
            // central differences: O(e²)·|∂³| + 1e−16/e·|log p| ≈ 1e−9; 1e−6 absolute and relative is generous for both
            if (!(Math.abs(fd - s.psi[j * 12 + r]!) <= 1e-6 * Math.max(1, Math.abs(fd)))) return false;
          }
        }
        return true;
      }),
      { numRuns: 30 },
    );
  });
  test('draws have mean 0, variance 1 (n = 2·10⁵, 5 s.e.) and Eψ = 0', () => {
    const model = robustMixtureModel(10);
    const th = Float64Array.from(fx.theta as number[]);
    const n = 200000;
    const s = sampleModel(model, th, key(8), n);
    const mean = s.x.reduce((a, b) => a + b, 0) / n;
    const m2 = s.x.reduce((a, b) => a + b * b, 0) / n;
    expect(Math.abs(mean)).toBeLessThan(5 / Math.sqrt(n));
    // Var(X²) = E X⁴ − 1 ≤ ~10 for these mixtures: s.e. of m2 ≤ √(10/n)
    expect(Math.abs(m2 - 1)).toBeLessThan(5 * Math.sqrt(10 / n));
    for (let r = 0; r < 30; r++) {
      let m = 0;
      let v = 0;
      for (let j = 0; j < n; j++) {
        m += s.psi[j * 30 + r]!;
        v += s.psi[j * 30 + r]! ** 2;
      }
      m /= n;
      const se = Math.sqrt((v / n - m * m) / n);
      expect(Math.abs(m)).toBeLessThan(5 * se);
    }
  });
  test('worst-case values (least concave majorant) vs the NumPy hull; CVaR and Wang in closed form', () => {
    type W = { name: string; rho: number };
    const byName = Object.fromEntries((ref.worstcase as W[]).map((w) => [w.name, w.rho]));
    expect(Math.abs(worstCaseDrm(expectedShortfall(0.7)).value - Math.sqrt(0.7 / 0.3))).toBeLessThan(1e-12);
    expect(Math.abs(worstCaseDrm(expectedShortfall(0.7)).value - byName.cvar)).toBeLessThan(1e-12);
    expect(Math.abs(worstCaseDrm(sShape(5)).value - byName.sshape)).toBeLessThan(1e-9);
    // The jumps sit exactly on grid points; NumPy's linspace puts 0.7 at 0.7000000000000001, so the two hulls
    // may differ by one cell around a jump: an O(1/cells) = O(5e−6) difference.
    expect(Math.abs(worstCaseDrm(discontinuousDistortion()).value - byName.discontinuous)).toBeLessThan(1e-5);
    // Wang: same grid as the fixture, and within grid error of √(e^{λ²} − 1)
    expect(Math.abs(worstCaseDrm(wangTransform(0.85)).value - byName.wang)).toBeLessThan(1e-9);
    expect(Math.abs(worstCaseDrm(wangTransform(0.85)).value - Math.sqrt(Math.exp(0.85 ** 2) - 1))).toBeLessThan(2e-4);
    // q* has mean 0, variance 1, and attains ρ*
    const wc = worstCaseDrm(expectedShortfall(0.7));
    const q = wc.quantile;
    const v = drmOfQuantileFunction(q, expectedShortfall(0.7), { rule: 'grid', levels: 20001 });
    expect(Math.abs(v - wc.value)).toBeLessThan(1e-3);
  });
  test('the ready problem: config of the code, initial law inside the moment set, QF climbs towards ρ* (3·10³ steps)', async () => {
    const { runDrmSA } = await import('@descent/risk');
    const p = robustPortfolioProblem('cvar', key(1));
    expect(p.x0.every((v) => v >= -0.625 && v <= 0.625)).toBe(true);
    expect(p.M).toBe(100);
    const rho = (th: Float64Array) => {
      const law = normalizedMixture(th);
      return drmOfQuantileFunction((u) => mixturePpf(law, u), p.distortion, { rule: 'grid' });
    };
    const r = runDrmSA({ form: 'qf', distortion: p.distortion, M: p.M, schedules: p.schedules, projection: p.projection, sense: 'max', bandwidth: 'absolute', batchSize: p.batchSize }, p.x0, p.model, key(2), { iterations: 3000 });
    // measured ρ: 1.13 at k = 0, 1.40 at k = 3·10³ (ρ* = 1.528); ascent must have gained clearly
    expect(rho(r.state.x)).toBeGreaterThan(rho(p.x0) + 0.1);
    expect(rho(r.state.x)).toBeLessThan(p.optimum.value + 1e-9);
    expect(quantileDistance(normalizedMixture(r.state.x), p.optimum.quantile, 500)).toBeLessThan(quantileDistance(normalizedMixture(p.x0), p.optimum.quantile, 500));
    const w = robustPortfolioProblem('wang', key(1));
    expect(w.M).toBe(250);
    expect(w.x0.subarray(0, 10).every((v) => Math.abs(Math.abs(v) - 1.875) < 1e-15)).toBe(true);
    expect(() => robustPortfolioProblem('nope' as never, key(0))).toThrow(/setting/);
  });
});

describe('drmWeights', () => {
  test('one weight per sample', () => {
    expect(drmWeights(3, expectation()).length).toBe(3);
  });
});
