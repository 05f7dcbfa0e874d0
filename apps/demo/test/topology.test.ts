import fc from 'fast-check';
import { expect, test } from 'vitest';
import { pairedGapDifference, seedGaps } from '../src/experiments/topology.js';

test('seedGaps: mean |accuracy gap| of same-class and different-class pairs', () => {
  // Runs 0, 1 in class 0 (gap 0.01), run 2 alone: between pairs (0,2) 0.2 and (1,2) 0.21.
  const g = seedGaps([0.9, 0.91, 0.7], [0, 0, 1]);
  expect(g.within).toBeCloseTo(0.01, 12);
  expect(g.between).toBeCloseTo(0.205, 12);
  expect(seedGaps([0.9, 0.8], [0, 1]).within).toBeNaN();
  expect(seedGaps([0.9, 0.8], [3, 3]).between).toBeNaN();
});

test('seedGaps: every pair counted once, either within or between (pair-weighted means add up)', () => {
  fc.assert(
    fc.property(fc.array(fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.integer({ min: 0, max: 3 })), { minLength: 2, maxLength: 9 }), (rows) => {
      const acc = rows.map((r) => r[0]);
      const labels = rows.map((r) => r[1]);
      const g = seedGaps(acc, labels);
      let all = 0, nw = 0, nb = 0;
      for (let i = 0; i < acc.length; i++)
        for (let j = i + 1; j < acc.length; j++) {
          all += Math.abs(acc[i]! - acc[j]!);
          if (labels[i] === labels[j]) nw++; else nb++;
        }
      const sum = (nw > 0 ? g.within * nw : 0) + (nb > 0 ? g.between * nb : 0);
      expect(sum).toBeCloseTo(all, 9);
    }),
  );
});

test('pairedGapDifference: mean over the seeds that have both kinds of pair', () => {
  expect(pairedGapDifference([{ within: 0.01, between: 0.11 }, { within: NaN, between: 0.5 }, { within: 0.02, between: 0.05 }])).toBeCloseTo(0.065, 12);
  // Can be negative: the criterion can fail.
  expect(pairedGapDifference([{ within: 0.1, between: 0.02 }])).toBeCloseTo(-0.08, 12);
  expect(pairedGapDifference([{ within: NaN, between: 0.1 }])).toBeNaN();
});
