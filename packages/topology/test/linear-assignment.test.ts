import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { linearAssignment } from '@descent/topology';
import { thrownError } from '@descent/linalg/laws';

/** Minimum assignment cost by enumerating every permutation (the independent reference, n ≤ 6). */
function bruteForce(cost: Float64Array, n: number): number {
  let best = Infinity;
  const perm = Array.from({ length: n }, (_, i) => i);
  const rec = (k: number, acc: number) => {
    if (k === n) {
      best = Math.min(best, acc);
      return;
    }
    for (let i = k; i < n; i++) {
      [perm[k], perm[i]] = [perm[i]!, perm[k]!];
      rec(k + 1, acc + cost[k * n + perm[k]!]!);
      [perm[k], perm[i]] = [perm[i]!, perm[k]!];
    }
  };
  rec(0, 0);
  return best;
}

describe('linearAssignment', () => {
  test('is a permutation with the brute-force minimum cost (n ≤ 6, ties and negative costs included)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 6 }).chain((n) => fc.tuple(fc.constant(n), fc.array(fc.integer({ min: -5, max: 5 }), { minLength: n * n, maxLength: n * n }))), ([n, c]) => {
        const cost = Float64Array.from(c);
        const a = linearAssignment(cost, n);
        expect(new Set(a).size).toBe(n);
        let total = 0;
        for (let i = 0; i < n; i++) total += cost[i * n + a[i]!]!;
        expect(total).toBe(bruteForce(cost, n));
      }),
      { numRuns: 300 },
    );
  });
  test('rejects a wrong size, a wrong type, non-finite costs and a non-integer n; n = 0 is empty', () => {
    expect(thrownError(() => linearAssignment(new Float64Array(3), 2))).toMatchObject({ code: 'SHAPE_MISMATCH', message: expect.stringContaining('linearAssignment') });
    expect(thrownError(() => linearAssignment([0, 1, 2, 3] as unknown as Float64Array, 2))).toMatchObject({ code: 'SHAPE_MISMATCH', message: expect.stringContaining('linearAssignment') });
    expect(thrownError(() => linearAssignment(new Float64Array([0, NaN, 1, 2]), 2))).toMatchObject({ code: 'NON_FINITE', message: expect.stringContaining('linearAssignment') });
    expect(thrownError(() => linearAssignment(new Float64Array(4), 2.5))).toMatchObject({ code: 'INVALID_CONFIG', message: expect.stringContaining('linearAssignment') });
    expect(linearAssignment(new Float64Array(0), 0)).toEqual(new Int32Array(0));
  });
});
