import { key } from '@descent/linalg';
import { describe, expect, test } from 'vitest';
import { epochRatioLowerBound, modularAdditionData, trainModularAddition, type ModAddResult } from '../src/experiments/egd.js';

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

test('curveEvery: train accuracy at every k-th evaluation, at the crossing and at the cap; the crossing epoch does not depend on it', () => {
  const cfg = { p: 11, hidden: 16, method: 'sgd' as const, maxEpochs: 10, trainFraction: 0.8 };
  const sparse = trainModularAddition({ ...cfg, target: 2, curveEvery: 3 }, 0);
  expect(sparse.curve.map((c) => c.epoch)).toEqual([3, 6, 9, 10]);
  const dense = trainModularAddition({ ...cfg, target: 2 }, 0);
  expect(dense.curve.map((c) => c.epoch)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  expect(sparse.curve.at(-1)).toEqual(dense.curve.at(-1));
  // Crossing at the first evaluation (target −1): recorded although 1 is not a multiple of 3.
  const at = trainModularAddition({ ...cfg, target: -1, curveEvery: 3 }, 0);
  expect(at.epochs).toBe(1);
  expect(at.curve.map((c) => c.epoch)).toEqual([1]);
});

describe('epoch ratio lower bound', () => {
  const run = (epochs: number | null, lastBelow: number): ModAddResult => ({ epochs, lastBelow, ran: epochs ?? lastBelow, finalTrainAccuracy: 1, finalTestAccuracy: 0, curve: [] });

  test('uses the earliest epoch SGD could have crossed at, or just after its cap', () => {
    // SGD crossed between evaluations at 300 and 320: at least 301 epochs, against EGD's 30.
    expect(epochRatioLowerBound(run(30, 29), run(320, 300), 400)).toBeCloseTo(301 / 30, 15);
    // Evaluated every epoch, SGD's crossing is exact: 312 epochs against EGD's 30.
    expect(epochRatioLowerBound(run(30, 29), run(312, 311), 400)).toBeCloseTo(312 / 30, 15);
    // SGD never crossed within 300 epochs: more than 10×.
    expect(epochRatioLowerBound(run(30, 29), run(null, 300), 300)).toBeCloseTo(301 / 30, 15);
    expect(epochRatioLowerBound(run(30, 29), run(null, 300), 300)!).toBeGreaterThan(10);
    // EGD never reached the target: no ratio.
    expect(epochRatioLowerBound(run(null, 100), run(null, 300), 300)).toBeNull();
  });
});
