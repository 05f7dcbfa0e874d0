import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { bernoulli, categorical, categoricalLogits, foldIn, key, normal, permutation, randomBitsInto, split, uniform } from '@descent/linalg';
import { thrownCode } from '@descent/linalg/laws';

describe('PRNG', () => {
  test('Threefry-2x32-20 matches the Random123 known-answer vector', () => {
    // key(0) hashes counter (0, 0) under key (0, 0): KAT 0x6b200159 0x99ba4efe.
    expect(key(0)).toEqual([0x6b200159, 0x99ba4efe]);
  });

  test('streams are pinned: the same numbers on every platform and version', () => {
    expect(key(42)).toEqual([2814562516, 111458285]);
    expect(split(key(42), 2)).toEqual([
      [1798902433, 335862849],
      [1249606987, 847536518],
    ]);
    expect(Array.from(randomBitsInto(key(42), new Uint32Array(4)))).toEqual([265096540, 1906975608, 2860338764, 3385144831]);
    expect(Array.from(uniform(key(42), 3))).toEqual([0.06172259482743103, 0.6659745185685563, 0.4992350639603581]);
    expect(Array.from(normal(key(42), 3))).toEqual([-0.17982187963649918, -0.30835589301504934, -0.20480802537233977]);
  });

  test('draws are pure functions of the key; prefixes agree', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 40 }), fc.integer({ min: 1, max: 50 }), (seed, n) => {
        const a = uniform(key(seed), n);
        const b = uniform(key(seed), n + 7);
        return a.every((v, i) => v === b[i] && v >= 0 && v < 1);
      }),
      { numRuns: 100 },
    );
  });

  test('split and foldIn give distinct keys', () => {
    const ks = split(key(1), 64);
    const seen = new Set(ks.map((k) => `${k[0]},${k[1]}`));
    for (let i = 0; i < 64; i++) seen.add(foldIn(key(1), i).join(','));
    expect(seen.size).toBe(128);
  });

  test('uniform and normal moments match their distributions', () => {
    const n = 200_000;
    const u = uniform(key(7), n);
    const z = normal(key(8), n);
    const mean = (x: Float64Array) => x.reduce((s, v) => s + v, 0) / x.length;
    const varOf = (x: Float64Array, m: number) => x.reduce((s, v) => s + (v - m) ** 2, 0) / x.length;
    // Standard errors: uniform mean √(1/12/n) ≈ 6.5e-4; normal mean 1/√n ≈ 2.2e-3; normal variance
    // √(2/n) ≈ 3.2e-3. Allow 5 standard errors.
    expect(Math.abs(mean(u) - 0.5)).toBeLessThan(5 * Math.sqrt(1 / 12 / n));
    expect(Math.abs(mean(z))).toBeLessThan(5 / Math.sqrt(n));
    expect(Math.abs(varOf(z, mean(z)) - 1)).toBeLessThan(5 * Math.sqrt(2 / n));
    // Kolmogorov–Smirnov for the uniform: the 1e-4 critical value is about 2.15/√n.
    const sorted = Float64Array.from(u).sort();
    let d = 0;
    for (let i = 0; i < n; i++) d = Math.max(d, Math.abs(sorted[i]! - (i + 0.5) / n));
    expect(d).toBeLessThan(2.15 / Math.sqrt(n));
  });

  test('categorical frequencies follow the weights; zero weights are never drawn', () => {
    const w = new Float64Array([1, 0, 2, 7]);
    const n = 100_000;
    const draws = categorical(key(3), w, n);
    const counts = [0, 0, 0, 0];
    for (const d of draws) counts[d]!++;
    expect(counts[1]).toBe(0);
    // Binomial standard error √(n p (1-p)); allow 5 of them.
    for (const [j, p] of [[0, 0.1], [2, 0.2], [3, 0.7]] as const) {
      expect(Math.abs(counts[j]! - n * p)).toBeLessThan(5 * Math.sqrt(n * p * (1 - p)));
    }
    const fromLogits = categoricalLogits(key(3), new Float64Array([0, -Infinity, Math.log(2), Math.log(7)]), n);
    expect(Array.from(fromLogits)).toEqual(Array.from(draws));
  });

  test('bernoulli edge cases and permutation validity', () => {
    expect(Array.from(bernoulli(key(0), 0, 10)).every((v) => v === 0)).toBe(true);
    expect(Array.from(bernoulli(key(0), 1, 10)).every((v) => v === 1)).toBe(true);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e9 }), fc.integer({ min: 0, max: 200 }), (seed, n) => {
        const p = Array.from(permutation(key(seed), n)).sort((a, b) => a - b);
        return p.every((v, i) => v === i);
      }),
      { numRuns: 50 },
    );
  });

  test('bad input raises DescentError', () => {
    expect(thrownCode(() => key(0.5))).toBe('INVALID_CONFIG');
    expect(thrownCode(() => uniform(key(0), -1))).toBe('INVALID_CONFIG');
    expect(thrownCode(() => bernoulli(key(0), 1.5, 3))).toBe('DOMAIN');
    expect(thrownCode(() => categorical(key(0), [0, 0], 3))).toBe('DOMAIN');
    expect(thrownCode(() => categorical(key(0), [1, NaN], 3))).toBe('DOMAIN');
    expect(thrownCode(() => normal(key(0), 3, 0, -1))).toBe('INVALID_CONFIG');
    expect(thrownCode(() => split([1, 2, 3] as unknown as [number, number]))).toBe('INVALID_CONFIG');
  });
});
