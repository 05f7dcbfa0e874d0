import { gemm, key, normal, svd } from '@descent/linalg';
import { egdDirectionInto as libraryEgd } from '@descent/optimizers';
import { describe, expect, test } from 'vitest';
import { egdDirectionInto, modularAdditionData, trainModularAddition } from '../src/experiments/egd.js';

describe('modular addition data', () => {
  test('every pair appears once, split disjointly, labelled (a + b) mod p', () => {
    const p = 7;
    const d = modularAdditionData(p, 0.5, key(3));
    expect(d.train.labels.length).toBe(24);
    expect(d.test.labels.length).toBe(25);
    const seen = new Set<number>();
    for (const part of [d.train, d.test]) {
      for (let i = 0; i < part.labels.length; i++) {
        const a = part.indices[2 * i]!;
        const b = part.indices[2 * i + 1]! - p;
        expect(a).toBeGreaterThanOrEqual(0);
        expect(b).toBeGreaterThanOrEqual(0);
        expect(b).toBeLessThan(p);
        expect(part.labels[i]).toBe((a + b) % p);
        seen.add(a * p + b);
      }
    }
    expect(seen.size).toBe(p * p);
    expect(modularAdditionData(p, 0.5, key(3))).toEqual(d);
    expect(() => modularAdditionData(1, 0.5, key(0))).toThrow(/p must/);
    expect(() => modularAdditionData(5, 1, key(0))).toThrow(/trainFraction/);
  });
});

describe("EGD's direction through the Gram matrix", () => {
  for (const [m, n] of [[6, 10], [10, 6], [8, 8]] as const) {
    test(`equals the library's polar factor and has unit singular values (${m}×${n})`, () => {
      const g = { rows: m, cols: n, data: normal(key(m * 100 + n), m * n) };
      const ours = egdDirectionInto(g, { rows: m, cols: n, data: new Float64Array(m * n) });
      const lib = libraryEgd(g, { rows: m, cols: n, data: new Float64Array(m * n) });
      for (let i = 0; i < m * n; i++) expect(ours.data[i]).toBeCloseTo(lib.data[i]!, 12);
      for (const s of svd(ours).s) expect(s).toBeCloseTo(1, 12);
      // In place (out = g) gives the same matrix.
      const copy = { rows: m, cols: n, data: g.data.slice() };
      egdDirectionInto(copy, copy);
      for (let i = 0; i < m * n; i++) expect(copy.data[i]).toBeCloseTo(ours.data[i]!, 14);
    });
  }

  test('a rank-deficient gradient keeps its null directions at zero', () => {
    // Rank 2, 5×9: the result is U₂V₂ᵀ, singular values (1, 1, 0, 0, 0).
    const a = { rows: 5, cols: 2, data: normal(key(1), 10) };
    const b = { rows: 2, cols: 9, data: normal(key(2), 18) };
    const g = gemm(a, b);
    const s = svd(egdDirectionInto(g, { rows: 5, cols: 9, data: new Float64Array(45) })).s;
    expect(s[0]).toBeCloseTo(1, 10);
    expect(s[1]).toBeCloseTo(1, 10);
    for (let i = 2; i < s.length; i++) expect(Math.abs(s[i]!)).toBeLessThan(1e-8);
  });
});

describe('modular-addition training', () => {
  test('is deterministic in the seed', () => {
    const cfg = { p: 11, hidden: 32, method: 'egd' as const, target: 0.95, maxEpochs: 3, trainFraction: 0.8 };
    expect(trainModularAddition(cfg, 5)).toEqual(trainModularAddition(cfg, 5));
  });

  test('EGD fits the training pairs sooner than SGD (same data, init and batches)', () => {
    // p = 11, 96 training pairs, one full batch per epoch. Measured at epoch 20: EGD train accuracy
    // 1.0 (memorised by epoch 12), SGD at lr 0.7 about 0.25.
    const cfg = { p: 11, hidden: 64, target: 0.95, maxEpochs: 20, trainFraction: 0.8 };
    const e = trainModularAddition({ ...cfg, method: 'egd' }, 0);
    const s = trainModularAddition({ ...cfg, method: 'sgd' }, 0);
    expect(e.finalTrainAccuracy).toBeGreaterThanOrEqual(0.99);
    expect(s.finalTrainAccuracy).toBeLessThan(0.35);
  });

  test('evaluates every evalEvery epochs and at the cap, and brackets the crossing', () => {
    const cfg = { p: 11, hidden: 16, method: 'sgd' as const, maxEpochs: 10, trainFraction: 0.8, evalEvery: 4 };
    const never = trainModularAddition({ ...cfg, target: 2 }, 0);
    expect(never.epochs).toBeNull();
    expect(never.curve.map((c) => c.epoch)).toEqual([4, 8, 10]);
    expect(never.lastBelow).toBe(10);
    expect(never.ran).toBe(10);
    const at = trainModularAddition({ ...cfg, target: -1 }, 0);
    expect(at.epochs).toBe(4);
    expect(at.lastBelow).toBe(0);
    expect(at.ran).toBe(4);
  });
});
