import { describe, expect, test } from 'vitest';
import { logNormalCdf, normalCdf, normalQuantile } from '@descent/martingale';
import { fixture, relErr } from './fixtures.js';

const f = fixture<{ x: number[]; cdf: number[]; logcdf: number[]; p: number[]; ppf: number[]; isf: number[] }>('normal.json');

describe('normal distribution vs SciPy', () => {
  test('Φ: relative error < 1e-13 down to Φ(-38) ~ 1e-316', () => {
    f.x.forEach((x, i) => {
      if (f.cdf[i]! < 1e-300) return; // subnormal: compare logs only
      expect(relErr(normalCdf(x), f.cdf[i]!)).toBeLessThan(1e-13);
    });
  });
  test('log Φ: relative error < 1e-13 everywhere on the grid', () => {
    f.x.forEach((x, i) => expect(relErr(logNormalCdf(x), f.logcdf[i]!)).toBeLessThan(1e-13));
  });
  test('Φ⁻¹ (AS241): relative error < 1e-14 for p from 1e-295 to 1 - 1e-10, and the upper tail by symmetry', () => {
    f.p.forEach((p, i) => {
      expect(relErr(normalQuantile(p), f.ppf[i]!)).toBeLessThan(1e-14);
      expect(relErr(-normalQuantile(p), f.isf[i]!)).toBeLessThan(1e-14);
    });
  });
  test('endpoints, and p outside [0, 1] or NaN is a DOMAIN error, not a NaN', () => {
    expect(normalQuantile(0)).toBe(-Infinity);
    expect(normalQuantile(1)).toBe(Infinity);
    for (const p of [1.5, -0.1, NaN, Infinity, null, '0.5']) {
      expect(() => normalQuantile(p as number)).toThrow(expect.objectContaining({ code: 'DOMAIN', where: 'normalQuantile' }));
    }
    for (const f of [normalCdf, logNormalCdf]) expect(() => f(NaN)).toThrow(expect.objectContaining({ code: 'DOMAIN' }));
    expect(normalCdf(-Infinity)).toBe(0);
    expect(normalCdf(Infinity)).toBe(1);
    expect(logNormalCdf(-Infinity)).toBe(-Infinity);
  });
});
