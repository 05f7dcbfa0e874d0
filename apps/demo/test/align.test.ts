import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { key, permutation } from '@descent/linalg';
import { alignHiddenUnits } from '../src/models/align.js';
import { loadDigits, subset } from '../src/models/digits.js';
import { initMlp, mlp, mlpForward, mlpWorkspace } from '../src/models/mlp.js';

describe('alignHiddenUnits', () => {
  const net = mlp({ sizes: [5, 7, 3], activation: 'relu' });
  const L1 = net.layers[0]!;
  const L2 = net.layers[1]!;
  const permuteUnits = (th: Float64Array, pi: ArrayLike<number>) => {
    // unit j of the result is unit pi[j] of th
    const out = new Float64Array(th);
    for (let j = 0; j < 7; j++) {
      for (let i = 0; i < 5; i++) out[L1.wOffset + i * 7 + j] = th[L1.wOffset + i * 7 + pi[j]!]!;
      out[L1.bOffset + j] = th[L1.bOffset + pi[j]!]!;
      for (let c = 0; c < 3; c++) out[L2.wOffset + j * 3 + c] = th[L2.wOffset + pi[j]! * 3 + c]!;
    }
    return out;
  };
  test('undoes a planted permutation of the hidden units, and never changes the function', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e6 }), (seed) => {
        const a = initMlp(net, key(seed), 'torch');
        const pi = permutation(key(seed + 1), 7);
        const b = permuteUnits(a, pi);
        const { aligned } = alignHiddenUnits(net, a, b);
        expect(Array.from(aligned)).toEqual(Array.from(a));
        const c = initMlp(net, key(seed + 2), 'torch');
        const { aligned: c2 } = alignHiddenUnits(net, a, c);
        const ws = mlpWorkspace(net, 4);
        const x = { kind: 'dense' as const, rows: 4, data: Float64Array.from({ length: 20 }, (_, i) => Math.sin(i + seed)) };
        const o1 = Array.from(mlpForward(net, c, x, ws).data);
        const o2 = Array.from(mlpForward(net, c2, x, ws).data);
        for (let i = 0; i < o1.length; i++) expect(Math.abs(o1[i]! - o2[i]!)).toBeLessThanOrEqual(1e-15 * (1 + Math.abs(o1[i]!)));
      }),
      { numRuns: 50 },
    );
  });
});

describe('the 8×8 digits', () => {
  test('1797 images, pixels in [0, 1], about 180 of each digit', () => {
    const d = loadDigits();
    expect([d.n, d.dim, d.classes]).toEqual([1797, 64, 10]);
    expect(Math.min(...d.x)).toBe(0);
    expect(Math.max(...d.x)).toBe(1);
    const counts = new Array(10).fill(0);
    for (const v of d.y) counts[v]++;
    expect(counts).toEqual([178, 182, 177, 183, 181, 182, 181, 179, 174, 180]);
    const s = subset(d, [5, 0]);
    expect(Array.from(s.y)).toEqual([d.y[5], d.y[0]]);
    expect(Array.from(s.x.subarray(64))).toEqual(Array.from(d.x.subarray(0, 64)));
  });
});
