import { describe, expect, test } from 'vitest';
import { normalCdf, normalPdf, normalPpf, normalSf } from '@descent/risk';
import { ref } from './helpers.js';
import { thrownError } from '@descent/linalg/laws';

describe('normal CDF / quantile vs scipy.stats.norm', () => {
  test('cdf and sf agree to 1e-13 relative (absolute below 1e-300)', () => {
    const { x, cdf, sf } = ref.normal;
    x.forEach((xi: number, i: number) => {
      for (const [ours, theirs] of [
        [normalCdf(xi), cdf[i]],
        [normalSf(xi), sf[i]],
      ] as const) {
        expect(Math.abs(ours - theirs)).toBeLessThanOrEqual(1e-13 * Math.abs(theirs) + 1e-300);
      }
    });
  });
  test('ppf agrees to 1e-13 relative', () => {
    const { u, ppf } = ref.normal;
    u.forEach((ui: number, i: number) => expect(Math.abs(normalPpf(ui) - ppf[i])).toBeLessThanOrEqual(1e-13 * Math.max(1, Math.abs(ppf[i]))));
  });
  test('ppf rejects levels outside [0, 1]', () => {
    expect(() => normalPpf(1.5)).toThrow(/level/);
    expect(() => normalPpf(NaN)).toThrow(/level/);
    expect(normalPpf(0)).toBe(-Infinity);
  });
  test('pdf, cdf and sf reject NaN and non-numbers with DOMAIN naming themselves; ±Infinity gives the limits', () => {
    for (const [f, name] of [[normalPdf, 'normalPdf'], [normalCdf, 'normalCdf'], [normalSf, 'normalSf']] as const) {
      for (const bad of [NaN, null, '1', undefined]) {
        expect(thrownError(() => f(bad as number))).toMatchObject({ code: 'DOMAIN', message: expect.stringContaining(name) });
      }
    }
    expect([normalPdf(Infinity), normalCdf(-Infinity), normalCdf(Infinity), normalSf(Infinity)]).toEqual([0, 0, 1, 0]);
  });
});
