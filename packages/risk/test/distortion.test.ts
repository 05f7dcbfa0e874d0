import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { DescentError } from '@descent/linalg';
import {
  customDistortion,
  discontinuousDistortion,
  dualPower,
  expectation,
  expectedShortfall,
  gini,
  isConcaveOnGrid,
  lookback,
  mixture,
  prospectWeighting,
  proportionalHazard,
  rangeValueAtRisk,
  sShape,
  valueAtRisk,
  wangTransform,
  type Distortion,
} from '@descent/risk';
import { thrownError } from '@descent/linalg/laws';

const all: Distortion[] = [
  valueAtRisk(0.9),
  expectedShortfall(0.9),
  expectedShortfall(0),
  rangeValueAtRisk(0.9, 0.99),
  wangTransform(0.5),
  wangTransform(-0.5),
  proportionalHazard(2),
  proportionalHazard(0.5),
  dualPower(3),
  dualPower(0.5),
  gini(0.5),
  gini(-0.5),
  lookback(0.5),
  sShape(5),
  prospectWeighting(0.7),
  expectation(),
  mixture([expectedShortfall(0.9), valueAtRisk(0.9)], [0.5, 0.5]),
  discontinuousDistortion(),
  customDistortion({ g: (s) => Math.sqrt(s) }),
];

describe('distortions', () => {
  test.each(all.map((d) => [d.name, d] as const))('%s: g(0) = 0, g(1) = 1, non-decreasing, g̃ = 1 − g(1 − ·)', (_, d) => {
    expect(Math.abs(d.g(0))).toBeLessThanOrEqual(1e-12);
    expect(Math.abs(d.g(1) - 1)).toBeLessThanOrEqual(1e-12);
    let prev = d.g(0);
    for (let i = 1; i <= 10000; i++) {
      const v = d.g(i / 10000);
      expect(v).toBeGreaterThanOrEqual(prev - 1e-12);
      prev = v;
    }
    // g̃(u) = 1 − g(1 − u) away from jump levels (where the right-continuous g̃ is decided by convention)
    for (let i = 1; i < 100; i++) {
      const u = (i + 0.37) / 100;
      expect(Math.abs(d.gTilde(u) - (1 - d.g(1 - u)))).toBeLessThanOrEqual(1e-12);
    }
  });

  test.each(all.map((d) => [d.name, d] as const))('%s: declared concavity agrees with the discrete check on a 10⁴ grid', (_, d) => {
    expect(d.isConcave).toBe(isConcaveOnGrid(d.g));
  });

  test.each(all.map((d) => [d.name, d] as const))('%s: g′ matches central differences of the continuous part; jumps carry the rest of the mass', (_, d) => {
    for (let i = 1; i < 50; i++) {
      const s = (i + 0.123) / 50;
      if (d.kinks.some((u) => Math.abs(1 - u - s) < 1e-3)) continue;
      const h = 1e-6;
      const fd = (d.gTildeContinuous(1 - s + h) - d.gTildeContinuous(1 - s - h)) / (2 * h);
      // central differences: error ~ h²·g‴ + 1e−16/h ≈ 1e−9 relative to the derivative's scale
      expect(Math.abs(d.gPrime(s) - fd)).toBeLessThanOrEqual(1e-6 * Math.max(1, Math.abs(fd)));
    }
    const jumpMass = d.jumps.reduce((a, j) => a + j.mass, 0);
    expect(Math.abs(d.gTildeContinuous(1) - d.gTildeContinuous(0) + jumpMass - 1)).toBeLessThanOrEqual(1e-12);
    for (const j of d.jumps) expect(Math.abs(d.gTilde(j.u) - d.gTilde(j.u - 1e-12) - j.mass)).toBeLessThanOrEqual(1e-9);
  });

  test('VaR jumps, CVaR kink, mixture merges atoms', () => {
    expect(valueAtRisk(0.95).jumps).toEqual([{ u: 0.95, mass: 1 }]);
    expect(expectedShortfall(0.9).kinks).toEqual([0.9]);
    expect(mixture([expectedShortfall(0.9), valueAtRisk(0.9), valueAtRisk(0.9)], [0.5, 0.25, 0.25]).jumps).toEqual([{ u: 0.9, mass: 0.5 }]);
    expect(discontinuousDistortion().jumps.map((j) => j.u)).toEqual([0.3, 0.5, 0.7]);
  });

  test('bad parameters and non-distortions throw DescentError', () => {
    const bad: (() => unknown)[] = [
      () => valueAtRisk(0),
      () => valueAtRisk(1),
      () => valueAtRisk(NaN),
      () => expectedShortfall(1),
      () => expectedShortfall(-0.1),
      () => rangeValueAtRisk(0.9, 0.9),
      () => gini(1.5),
      () => proportionalHazard(0),
      () => dualPower(-1),
      () => lookback(1.5),
      () => wangTransform(Infinity),
      () => mixture([expectation()], [0.9]),
      () => mixture([expectation()], [-1]),
      () => customDistortion({ g: (s) => 1 - s }),
      () => customDistortion({ g: (s) => s * 0.5 }),
      () => customDistortion({ g: (s) => (s < 0.5 ? s : s - 0.2 * Math.sin(10 * s) * s * (1 - s) * 4) }),
      () => customDistortion({ g: () => NaN }),
    ];
    for (const f of bad) {
      expect(thrownError(f), String(f)).toBeInstanceOf(DescentError);
    }
    expect(() => customDistortion({ g: (s) => s * s })).not.toThrow();
  });

  test('a user-defined distortion reproduces the built-in one it copies', () => {
    fc.assert(
      fc.property(fc.double({ min: 0.01, max: 0.99, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }), (alpha, s) => {
        const c = customDistortion({ g: (t) => Math.min(t / (1 - alpha), 1) });
        return c.isConcave && Math.abs(c.g(s) - expectedShortfall(alpha).g(s)) < 1e-15;
      }),
      { numRuns: 50 },
    );
  });
});
