import { describe, expect, test } from 'vitest';
import { thrownCode, thrownError } from '@descent/linalg/laws';
import {
  bettingConfidenceSequence, bettingLogCapital, bucketPValue, buildBucketIndex, conformalPValue, initDetector, insertSorted,
  lowerBound, normalQuantile, onlinePValues, predmixLambdas, restartedDelayBound, step, stepInto, cloneDetectorState,
  treeCountAtMost, treeCountBelow, treeInsert, upperBound, type DetectorState,
} from '@descent/martingale';

describe('empty input is an error, not an empty result', () => {
  test('onlinePValues([], []) and bettingConfidenceSequence([]) are SHAPE_MISMATCH', () => {
    expect(thrownCode(() => onlinePValues([], []))).toBe('SHAPE_MISMATCH');
    expect(thrownCode(() => bettingConfidenceSequence([]))).toBe('SHAPE_MISMATCH');
    expect(thrownCode(() => bettingLogCapital([], 0.5))).toBe('SHAPE_MISMATCH');
  });
});

describe('errors name the function that was called', () => {
  test('restartedDelayBound reports itself for a bad δ', () => {
    expect(thrownError(() => restartedDelayBound(2, 1, 1)).where).toBe('restartedDelayBound');
    expect(thrownError(() => restartedDelayBound(0.1, Infinity, 1)).where).toBe('restartedDelayBound');
    expect(thrownError(() => restartedDelayBound(0.1, 1, Infinity)).where).toBe('restartedDelayBound');
  });
  test('normalQuantile(1.5) is a DOMAIN error of normalQuantile', () => {
    expect(thrownCode(() => normalQuantile(1.5))).toBe('DOMAIN');
    expect(thrownError(() => normalQuantile(1.5)).where).toBe('normalQuantile');
  });
});

describe('searches and trees never loop on a bad size or key', () => {
  const sorted = new Float64Array([1, 2, 3]);
  test('lowerBound/upperBound/conformalPValue/insertSorted reject n = ±Infinity, NaN, 1.5, n > length', () => {
    for (const n of [Infinity, -Infinity, NaN, 1.5, -1, 4, 1e308]) {
      expect(thrownCode(() => lowerBound(sorted, n, 2))).toBe('SHAPE_MISMATCH');
      expect(thrownCode(() => upperBound(sorted, n, 2))).toBe('SHAPE_MISMATCH');
      expect(thrownCode(() => conformalPValue(sorted, n, 2, 0.5))).toBe('SHAPE_MISMATCH');
      expect(thrownCode(() => insertSorted(sorted.slice(), n, 2))).toBe('SHAPE_MISMATCH');
    }
    expect(thrownCode(() => upperBound(sorted, 3, 2, Infinity))).toBe('SHAPE_MISMATCH');
    expect(thrownCode(() => lowerBound(sorted, 3, NaN))).toBe('NON_FINITE');
    expect(thrownCode(() => conformalPValue(sorted, 3, 2, 1.5))).toBe('DOMAIN');
    expect(thrownCode(() => conformalPValue(sorted, 3, 2, 0.5, 'odd' as 'randomized'))).toBe('INVALID_CONFIG');
    expect(thrownCode(() => insertSorted(sorted.slice(), 3, 2))).toBe('SHAPE_MISMATCH'); // no room
    expect(thrownCode(() => lowerBound(null as unknown as Float64Array, 0, 1))).toBe('SHAPE_MISMATCH');
    // ±Infinity keys are ordered and fine
    expect(lowerBound(sorted, 3, Infinity)).toBe(3);
    expect(upperBound(sorted, 3, -Infinity)).toBe(0);
  });

  test('treeCountBelow with a NaN root or key throws instead of looping', () => {
    const d = new Float64Array(8);
    const root = treeInsert(d, -1, 0, 2);
    expect(thrownCode(() => treeCountBelow(d, NaN, 2))).toBe('SHAPE_MISMATCH');
    expect(thrownCode(() => treeCountAtMost(d, 5, 2))).toBe('SHAPE_MISMATCH');
    expect(thrownCode(() => treeCountBelow(d, root, NaN))).toBe('NON_FINITE');
    expect(treeCountBelow(d, root, 3)).toBe(1);
  });

  test('treeInsert validates before writing: a rejected call leaves data untouched', () => {
    const d = new Float64Array(8);
    const root = treeInsert(d, -1, 0, 2);
    const before = d.slice();
    for (const [r, c, x] of [[root, 2, 1], [root, 1, NaN], [NaN, 1, 1], [5, 1, 1], [-1, 1, 1], [root, 1.5, 1]] as const) {
      expect(thrownCode(() => treeInsert(d, r, c, x))).toBe(Number.isNaN(x) ? 'NON_FINITE' : 'SHAPE_MISMATCH');
      expect(d).toEqual(before);
    }
  });

  test('bucketPValue rejects an index that does not belong to the set, and a NaN score', () => {
    const idx = buildBucketIndex(sorted);
    expect(bucketPValue(sorted, idx, 2.5, 0.5)).toBe(conformalPValue(sorted, 3, 2.5, 0.5));
    expect(thrownCode(() => bucketPValue(sorted, { ...idx, starts: new Float64Array([0, 1e308]) }, 2, 0.5))).toBe('SHAPE_MISMATCH');
    expect(thrownCode(() => bucketPValue(sorted, idx, NaN, 0.5))).toBe('NON_FINITE');
    expect(thrownCode(() => buildBucketIndex(new Float64Array([3, 1])))).toBe('DOMAIN');
    expect(thrownCode(() => buildBucketIndex(new Float64Array(0)))).toBe('SHAPE_MISMATCH');
  });
});

describe('work and options are bounded', () => {
  test('bettingConfidenceSequence rejects a breaks count that would run for hours', () => {
    expect(thrownCode(() => bettingConfidenceSequence([0.5], { breaks: 1e9 }))).toBe('INVALID_CONFIG');
    expect(thrownCode(() => bettingConfidenceSequence([0.5], null as unknown as {}))).toBe('INVALID_CONFIG');
    expect(thrownCode(() => predmixLambdas([NaN]))).toBe('NON_FINITE');
    expect(thrownCode(() => predmixLambdas(null as unknown as number[]))).toBe('SHAPE_MISMATCH');
  });
});

describe('detector states', () => {
  const cfg = { betting: { kind: 'momentExp', lambda: 2, mu0: 0, sigma0: 0.5 }, threshold: 100, alarmOn: 'product', onAlarm: 'latch' } as const;

  test('a score of -1e308 does not send logM to -Infinity: later evidence still counts', () => {
    let s = step(initDetector(cfg), -1e308);
    expect(Number.isFinite(s.logM)).toBe(true);
    s = step(s, -1e308);
    expect(s.logM).toBe(-Number.MAX_VALUE);
    expect(Number.isFinite(step(s, 1e308).logM)).toBe(true);
  });

  test('a state whose buffers have the wrong size is rejected, in step and stepInto', () => {
    const mix = initDetector({ p: { mode: 'given' }, betting: { kind: 'mixture', eps: [0.2, 0.5, 0.8] }, threshold: 100, alarmOn: 'product', onAlarm: 'latch' } as never);
    const bad: DetectorState = { ...mix, bet: new Float64Array(1) };
    expect(thrownCode(() => step(bad, 0.5))).toBe('SHAPE_MISMATCH');
    expect(thrownCode(() => stepInto(mix, 0.5, bad))).toBe('SHAPE_MISMATCH');
    expect(thrownCode(() => step({ ...mix, historyRoot: NaN }, 0.5))).toBe('SHAPE_MISMATCH');
    expect(thrownCode(() => step(null as unknown as DetectorState, 0.5))).toBe('SHAPE_MISMATCH');
    expect(step(cloneDetectorState(mix), 0.5).logM).toBe(step(mix, 0.5).logM);
  });
});
