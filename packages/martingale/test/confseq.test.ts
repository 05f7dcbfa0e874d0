import { describe, expect, test } from 'vitest';
import { bettingConfidenceSequence, bettingLogCapital, normalLogMixture, normalMixtureBound, predmixLambdas } from '@descent/martingale';
import { fixture } from './fixtures.js';
import { foldIn, key, uniform } from '@descent/linalg';

const f = fixture<{
  logMixture: { s: number; v: number; vOpt: number; alphaOpt: number; oneSided: boolean; logMixture: number }[];
  bounds: { v: number; alpha: number; vOpt: number; alphaOpt: number; oneSided: boolean; bound: number }[];
  x: number[];
  lambdas: number[];
  logCapital03: number[];
  lower: number[];
  upper: number[];
  lowerRI: number[];
  upperRI: number[];
}>('confseq.json');

describe('confseq parity (formulas transcribed from uniform_boundaries.h / betting.py into NumPy)', () => {
  test('normal log-mixture, one- and two-sided (relative 1e-12)', () => {
    for (const c of f.logMixture) {
      const v = normalLogMixture(c.s, c.v, { vOpt: c.vOpt, alphaOpt: c.alphaOpt, oneSided: c.oneSided });
      expect(Math.abs(v - c.logMixture)).toBeLessThan(1e-12 * Math.max(1, Math.abs(c.logMixture)));
    }
  });
  test('normal-mixture boundary: closed form two-sided, bisection one-sided vs brentq (relative 1e-10)', () => {
    for (const c of f.bounds) {
      const b = normalMixtureBound(c.v, c.alpha, { vOpt: c.vOpt, alphaOpt: c.alphaOpt, oneSided: c.oneSided });
      expect(Math.abs(b / c.bound - 1)).toBeLessThan(1e-10);
    }
  });
  test('predictable-mixture bets lambda_predmix_eb', () => {
    predmixLambdas(f.x, { alpha: 0.025 }).forEach((v, i) => expect(v).toBeCloseTo(f.lambdas[i]!, 12));
  });
  test('hedged capital process at m = 0.3 (log of confseq betting_mart)', () => {
    bettingLogCapital(f.x, 0.3).forEach((v, i) => expect(v).toBeCloseTo(f.logCapital03[i]!, 10));
  });
  test('betting_cs: lower and upper sequences on the 1/1000 grid, and with running intersection on 1/200', () => {
    const a = bettingConfidenceSequence(f.x, { alpha: 0.05 });
    a.lower.forEach((v, i) => expect(v).toBeCloseTo(f.lower[i]!, 12));
    a.upper.forEach((v, i) => expect(v).toBeCloseTo(f.upper[i]!, 12));
    const b = bettingConfidenceSequence(f.x, { alpha: 0.1, breaks: 200, runningIntersection: true });
    b.lower.forEach((v, i) => expect(v).toBeCloseTo(f.lowerRI[i]!, 12));
    b.upper.forEach((v, i) => expect(v).toBeCloseTo(f.upperRI[i]!, 12));
  });
  test('coverage: the true mean of U(0,1)² (1/3) stays inside the running-intersected CS in ≥ 1 − α − 3 SE of 200 runs', () => {
    let miss = 0;
    for (let r = 0; r < 200; r++) {
      const x = uniform(foldIn(key(8), r), 200).map((u) => u * u);
      const cs = bettingConfidenceSequence(x, { alpha: 0.1, breaks: 200, runningIntersection: true });
      if (cs.lower.some((l, i) => l > 1 / 3 || cs.upper[i]! < 1 / 3)) miss++;
    }
    expect(miss / 200).toBeLessThanOrEqual(0.1 + 3 * Math.sqrt((0.1 * 0.9) / 200));
  });
  test('bad input → DescentError', () => {
    expect(() => bettingConfidenceSequence([0.5, 1.5])).toThrow(expect.objectContaining({ code: 'DOMAIN' }));
    expect(() => bettingConfidenceSequence([NaN])).toThrow(expect.objectContaining({ code: 'NON_FINITE' }));
    expect(() => bettingConfidenceSequence([0.5], { alpha: 1 })).toThrow(expect.objectContaining({ code: 'DOMAIN' }));
    expect(() => normalMixtureBound(10, 0, { vOpt: 10 })).toThrow(expect.objectContaining({ code: 'DOMAIN' }));
    expect(() => normalLogMixture(0, 10, { vOpt: -1 })).toThrow(expect.objectContaining({ code: 'INVALID_CONFIG' }));
  });
});
