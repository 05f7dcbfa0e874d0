import { describe, expect, test } from 'vitest';
import { thrownCode } from '@descent/linalg/laws';
import { integrate, MAX_PANELS } from '@descent/risk';

describe('integrate never loops on a bad interval or width', () => {
  test('width 0, negative, NaN or Infinity and infinite or reversed bounds are DOMAIN before f is called', () => {
    let calls = 0;
    const f = (x: number) => {
      calls++;
      return x;
    };
    for (const width of [0, -1, NaN, Infinity, '1' as unknown as number]) expect(thrownCode(() => integrate(f, 0, 3, [], width))).toBe('DOMAIN');
    expect(thrownCode(() => integrate(f, 0, Infinity))).toBe('DOMAIN');
    expect(thrownCode(() => integrate(f, -1e308, 1e308))).toBe('DOMAIN'); // b − a overflows; 1e308 panels
    expect(thrownCode(() => integrate(f, 0, MAX_PANELS, [], 0.5))).toBe('DOMAIN');
    expect(thrownCode(() => integrate(f, 3, 0))).toBe('DOMAIN');
    expect(thrownCode(() => integrate(f, NaN, 0))).toBe('DOMAIN');
    expect(thrownCode(() => integrate(f, 0, 3, [NaN]))).toBe('DOMAIN');
    expect(thrownCode(() => integrate(f, 0, 3, null as unknown as number[]))).toBe('SHAPE_MISMATCH');
    expect(thrownCode(() => integrate(null as unknown as (x: number) => number, 0, 3))).toBe('DOMAIN');
    expect(calls).toBe(0);
  });

  test('valid calls are unchanged: ∫₀³ x² = 9, and an empty interval integrates to 0', () => {
    expect(integrate((x) => x * x, 0, 3, [], 0.5)).toBeCloseTo(9, 12);
    expect(integrate((x) => x, 2, 2)).toBe(0);
  });
});
