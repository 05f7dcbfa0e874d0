import { describe, expect, test } from 'vitest';
import { CHOW_LIU_REPORTED, compareLearners, hcltVersusChowLiu } from '../src/experiments/anemone-runs.js';

// Spec (f) at a size that fits the test budget: HCLT with K = 8, two epochs of anemone (η 0.4,
// momentum 0.9, batch 512). The full-size run (K = 16/32, more epochs) is bench/curves.ts.
describe('HCLT + anemone beats the plain Chow–Liu tree', () => {
  test.each(['nltcs', 'plants'] as const)('%s', (dataset) => {
    const r = hcltVersusChowLiu({ dataset, K: 8, epochs: 2 });
    // Our Chow–Liu tree reproduces the reported figure (to its two decimals).
    expect(Math.abs(r.chowLiuTest - CHOW_LIU_REPORTED[dataset])).toBeLessThan(0.005);
    expect(r.hcltTest).toBeGreaterThan(CHOW_LIU_REPORTED[dataset]);
    expect(r.hcltTest).toBeGreaterThan(r.chowLiuTest);
    expect(r.beatsChowLiu).toBe(true);
    expect(r.curve.length).toBe(3);
  });
});

describe('learning curves', () => {
  test('every learner reports per-epoch train/valid/test and time', () => {
    const curves = compareLearners({ dataset: 'nltcs', K: 4, epochs: 2 });
    expect(curves.map((c) => c.label)).toHaveLength(5);
    for (const c of curves) {
      expect(c.curve).toHaveLength(3);
      expect(c.curve[2]!.seconds).toBeGreaterThan(0);
      expect(c.curve[2]!.test).toBeGreaterThan(c.curve[0]!.test!);
    }
  });
});
