import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { key, normal, split, uniform, foldIn } from '@descent/linalg';
import { treeCountAtMost, treeCountBelow, treeInsert, bucketPValue, buildBucketIndex, calibrationSet, conformalPValue, onlinePValues, splitPValues, initDetector, step, streamUniform } from '@descent/martingale';
import { ksCritical, ksUniform, onlinePValuesUniform, pValueDependsOnU } from '@descent/martingale/laws';
import { fixture } from './fixtures.js';
import { thrownCode } from '@descent/linalg/laws';

const f = fixture<Record<string, number[]>>('pvalues.json');

describe('conformal p-values vs NumPy (searchsorted / brute-force counts)', () => {
  test('split, randomized and conservative ties (scores rounded to 0.1: many ties)', () => {
    const p = splitPValues(f.calib!, f.scores!, f.u!);
    p.forEach((v, i) => expect(v).toBeCloseTo(f.split![i]!, 14));
    const c = splitPValues(f.calib!, f.scores!, f.u!, 'conservative');
    c.forEach((v, i) => expect(v).toBeCloseTo(f.splitConservative![i]!, 14));
  });
  test('online (full conformal), with and without an initial reference', () => {
    onlinePValues(f.stream!, f.streamU!).forEach((v, i) => expect(v).toBeCloseTo(f.online![i]!, 14));
    onlinePValues(f.stream!, f.streamU!, { initial: f.initial! }).forEach((v, i) => expect(v).toBeCloseTo(f.onlineWithInitial![i]!, 14));
  });
  test('the detector uses the same p-values with its own key stream', () => {
    let s = initDetector({ p: { mode: 'online' }, betting: { kind: 'power', eps: 1 }, threshold: 10, alarmOn: 'product', onAlarm: 'latch' }, key(3));
    const ps: number[] = [];
    for (const x of f.stream!.slice(0, 50)) {
      s = step(s, x);
      ps.push(s.p);
    }
    // Recompute with the uniforms the detector drew: u_t is draw t of the key's stream.
    const u = Float64Array.from({ length: 50 }, (_, t) => streamUniform(key(3), t));
    const ref = onlinePValues(f.stream!.slice(0, 50), u);
    ps.forEach((v, i) => expect(v).toBe(ref[i]));
  });
});

describe('order-statistics treap (the online detector\'s O(log t) history)', () => {
  test('counts below / at most x equal brute force after any insertion sequence (ties included)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -30, max: 30 }).map((i) => i / 3), { maxLength: 200 }), fc.array(fc.integer({ min: -35, max: 35 }).map((i) => i / 3), { minLength: 1, maxLength: 10 }), (xs, qs) => {
        const d = new Float64Array(4 * Math.max(1, xs.length));
        let root = -1;
        xs.forEach((x, i) => (root = treeInsert(d, root, i, x)));
        return qs.every((q) => treeCountBelow(d, root, q) === xs.filter((x) => x < q).length && treeCountAtMost(d, root, q) === xs.filter((x) => x <= q).length);
      }),
      { numRuns: 200 },
    );
  });
  test('stays shallow on sorted input (hash priorities): depth < 4 log2 n for 1e5 increasing keys', () => {
    const n = 100000;
    const d = new Float64Array(4 * n);
    let root = -1;
    for (let i = 0; i < n; i++) root = treeInsert(d, root, i, i);
    const depth = (node: number): number => (node < 0 ? 0 : 1 + Math.max(depth(d[4 * node + 1]!), depth(d[4 * node + 2]!)));
    expect(depth(root)).toBeLessThan(4 * Math.log2(n));
    expect(treeCountBelow(d, root, 500.5)).toBe(501);
  });
});

describe("bucket index (the split detector's O(1) p-value)", () => {
  test('bucketPValue ≡ conformalPValue for any calibration set (ties, duplicates, constant sets) and any score', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.integer({ min: -20, max: 20 }).map((i) => i / 4), fc.double({ min: -1e6, max: 1e6, noNaN: true })), { minLength: 1, maxLength: 60 }),
        fc.array(fc.oneof(fc.integer({ min: -24, max: 24 }).map((i) => i / 4), fc.double({ min: -2e6, max: 2e6, noNaN: true })), { minLength: 1, maxLength: 20 }),
        fc.integer({ min: 0, max: 2 ** 20 }).map((i) => i / 2 ** 20),
        (cal, qs, u) => {
          const c = calibrationSet(cal);
          const idx = buildBucketIndex(c);
          for (const q of [...qs, ...cal]) {
            if (bucketPValue(c, idx, q, u) !== conformalPValue(c, c.length, q, u)) return false;
            if (bucketPValue(c, idx, q, u, 'conservative') !== conformalPValue(c, c.length, q, u, 'conservative')) return false;
          }
          return true;
        },
      ),
      { numRuns: 300 },
    );
  });
  test('the split detector reproduces the NumPy split p-values with its own tie uniforms', () => {
    let s = initDetector({ p: { mode: 'split', calib: Float64Array.from(f.calib!) }, betting: { kind: 'power', eps: 1 }, threshold: 10, alarmOn: 'product', onAlarm: 'latch' }, key(5));
    const u = Float64Array.from(f.scores!, (_, t) => streamUniform(key(5), t));
    const ref = splitPValues(f.calib!, f.scores!, u);
    f.scores!.forEach((x, i) => {
      s = step(s, x);
      expect(s.p).toBe(ref[i]);
    });
  });
});

describe('laws', () => {
  test('randomized p-values depend on U for tie-free input (MAPIE #984)', () => {
    fc.assert(pValueDependsOnU(), { numRuns: 300 });
  });
  test('the buggy formula (1 + #greater + u #equal)/(n + 1) would fail that law', () => {
    // Sanity check that the law can fail: with no ties the buggy p ignores u.
    const sorted = Float64Array.from([1, 2, 3]);
    const buggy = (u: number) => (1 + 1 + u * 0) / 4;
    expect(buggy(0.1)).toBe(buggy(0.9));
    expect(conformalPValue(sorted, 3, 2.5, 0.1)).not.toBe(conformalPValue(sorted, 3, 2.5, 0.9));
  });
  test('online p-values are U(0,1): KS at level 1e-3 and lag-1 autocorrelation < 4/√n on 1e4 values, tie-free and heavily tied', () => {
    fc.assert(onlinePValuesUniform({ n: 10000 }), { numRuns: 2 });
    fc.assert(onlinePValuesUniform({ n: 10000, decimals: 1 }), { numRuns: 2 });
    fc.assert(onlinePValuesUniform({ n: 10000, decimals: 0 }), { numRuns: 1 });
  });
  test('the uniformity check detects non-uniform p-values (deterministic ties fail it)', () => {
    const scores = normal(key(5), 10000).map((x) => Math.round(x));
    const p = onlinePValues(scores, new Float64Array(10000).fill(1)); // u = 1: conservative-like
    expect(Math.sqrt(10000) * ksUniform(p)).toBeGreaterThan(ksCritical(1e-3));
  });
  test('split p-values are marginally uniform over fresh calibration draws (n_cal = 20, 1e4 draws, KS level 1e-3)', () => {
    const n = 10000;
    const p = new Float64Array(n);
    const root = key(11);
    for (let r = 0; r < n; r++) {
      const [kc, ks, ku] = split(foldIn(root, r), 3);
      const calib = normal(kc!, 20).map((x) => Math.round(x * 10) / 10);
      const s = Math.round(normal(ks!, 1)[0]! * 10) / 10;
      p[r] = conformalPValue(calibrationSet(calib), 20, s, uniform(ku!, 1)[0]!);
    }
    expect(Math.sqrt(n) * ksUniform(p)).toBeLessThan(ksCritical(1e-3));
  });
});

describe('bad input', () => {
  test('empty calibration → SHAPE_MISMATCH; non-finite → NON_FINITE; u outside [0,1] → DOMAIN', () => {
    expect(() => calibrationSet([])).toThrow(expect.objectContaining({ code: 'SHAPE_MISMATCH' }));
    expect(() => calibrationSet([1, NaN])).toThrow(expect.objectContaining({ code: 'NON_FINITE' }));
    expect(() => splitPValues([1], [Infinity], [0.5])).toThrow(expect.objectContaining({ code: 'NON_FINITE' }));
    expect(() => splitPValues([1], [0], [1.5])).toThrow(expect.objectContaining({ code: 'DOMAIN' }));
    expect(() => onlinePValues([0, 1], [0.5])).toThrow(expect.objectContaining({ code: 'SHAPE_MISMATCH' }));
    expect(thrownCode(() => splitPValues([], [0], [0.5]))).toBe('SHAPE_MISMATCH');
  });
});
