import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { foldIn, fromRows, key, uniform } from '@descent/linalg';
import {
  batchStatistics, categoricalData, chowLiuCircuit, chowLiuTree, compile, gatherRows, hclt, hcltMixture, logLikelihood,
  meanLogLikelihood, mutualInformation, train, type CategoricalData,
} from '@descent/circuits';
import { allStates } from '@descent/circuits/laws';
import { thrownCode, thrownError } from '@descent/linalg/laws';

// Fixture from scripts/fixtures/circuits_categorical.py (NumPy counts, SciPy spanning tree).
const fx = JSON.parse(readFileSync(new URL('./fixtures/circuits_categorical.json', import.meta.url), 'utf8')) as {
  cards: number[]; train: number[][]; test: number[][]; 'mi_alpha_0.1': number[][]; mi_alpha_0: number[][];
  edges: [number, number][]; root: number; chow_liu_test_ll: number[];
};
const trainData = categoricalData(fx.train, fx.cards);
const testData = categoricalData(fx.test, fx.cards);

describe('categoricalData', () => {
  test('infers or takes the cardinalities, and is a Matrix', () => {
    const d = categoricalData([[0, 2], [1, 0]]);
    expect([d.rows, d.cols, Array.from(d.data), Array.from(d.cardinalities)]).toEqual([2, 2, [0, 2, 1, 0], [2, 3]]);
    expect(Array.from(categoricalData([[0, 0]]).cardinalities)).toEqual([2, 2]);
    expect(Array.from(categoricalData(fromRows([[0, 4]]), [3, 6]).cardinalities)).toEqual([3, 6]);
  });
  test('rejects values outside the domain, non-integers, NaN, ragged rows and bad cardinalities', () => {
    expect(thrownCode(() => categoricalData([[0, 3]], [2, 3]))).toBe('DOMAIN');
    expect(thrownCode(() => categoricalData([[0, -1]]))).toBe('DOMAIN');
    expect(thrownCode(() => categoricalData([[0, 1.5]]))).toBe('DOMAIN');
    expect(thrownCode(() => categoricalData([[0, Number.NaN]]))).toBe('NON_FINITE');
    expect(thrownCode(() => categoricalData([[0, 1], [1]]))).toBe('SHAPE_MISMATCH');
    expect(thrownCode(() => categoricalData([]))).toBe('SHAPE_MISMATCH');
    expect(thrownCode(() => categoricalData([[0, 1]], [2]))).toBe('SHAPE_MISMATCH');
    expect(thrownCode(() => categoricalData([[0, 1]], [2, 1]))).toBe('INVALID_CONFIG');
    expect(thrownError(() => categoricalData([[0, 1], [1, 7]], [2, 3])).message).toMatch(/categoricalData.*row 1, column 1/);
  });
  test('structure learners reject a categorical value beyond its declared cardinality (a hand-made CategoricalData)', () => {
    const bad = { rows: 1, cols: 2, data: new Float64Array([0, 3]), cardinalities: new Int32Array([2, 3]) } as CategoricalData;
    expect(thrownCode(() => mutualInformation(bad))).toBe('DOMAIN');
    expect(thrownCode(() => hclt(bad, { K: 2 }))).toBe('DOMAIN');
    // A plain matrix must be binary: its message points to categoricalData.
    expect(() => chowLiuTree(fromRows([[0, 2]]))).toThrow(/categoricalData/);
  });
});

describe('categorical Chow–Liu (NumPy/SciPy fixture)', () => {
  test('mutual information matches NumPy to 1e-13 (α = 0.1 and 0)', () => {
    for (const [alpha, want] of [[0.1, fx['mi_alpha_0.1']], [0, fx.mi_alpha_0]] as const) {
      const mi = mutualInformation(trainData, alpha);
      for (let i = 0; i < fx.cards.length; i++) {
        for (let j = 0; j < fx.cards.length; j++) expect(Math.abs(mi.data[i * fx.cards.length + j]! - want[i]![j]!)).toBeLessThan(1e-13);
      }
    }
  });
  test('the tree has the edges of SciPy’s spanning tree and its center as root; the Chow–Liu circuit gives NumPy’s log-likelihoods', () => {
    const t = chowLiuTree(trainData);
    const edges = Array.from(t.parent).flatMap((p, v) => (p < 0 ? [] : [[Math.min(p, v), Math.max(p, v)]])).sort((a, b) => a[0]! - b[0]! || a[1]! - b[1]!);
    expect(edges).toEqual(fx.edges);
    expect(t.root).toBe(fx.root);
    const cc = compile(chowLiuCircuit(trainData, { alpha: 0.1 }));
    const ll = logLikelihood(cc, cc.params, testData);
    fx.chow_liu_test_ll.forEach((want, i) => expect(Math.abs(ll[i]! - want)).toBeLessThan(1e-12));
  });
  test('property: categorical MI equals the definition computed from the empirical tables; binary data declared categorical gives the binary MI', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e6 }), fc.integer({ min: 1, max: 30 }), fc.oneof(fc.constant(0), fc.double({ min: 0, max: 2, noNaN: true })), (seed, N, alpha) => {
        const cards = [2, 3, 4];
        const u = uniform(key(seed), 3 * N);
        const rows = Array.from({ length: N }, (_, r) => cards.map((k, v) => Math.floor(u[3 * r + v]! * k)));
        const d = categoricalData(rows, cards);
        const mi = mutualInformation(d, alpha);
        for (let i = 0; i < 3; i++) {
          for (let j = 0; j < 3; j++) {
            if (i === j) {
              if (mi.data[i * 3 + j] !== 0) return false;
              continue;
            }
            let want = 0;
            for (let a = 0; a < cards[i]!; a++) {
              for (let b = 0; b < cards[j]!; b++) {
                const cab = rows.filter((x) => x[i] === a && x[j] === b).length;
                const pab = (cab + alpha / (cards[i]! * cards[j]!)) / (N + alpha);
                const pa = (rows.filter((x) => x[i] === a).length + alpha / cards[i]!) / (N + alpha);
                const pb = (rows.filter((x) => x[j] === b).length + alpha / cards[j]!) / (N + alpha);
                if (pab > 0) want += pab * (Math.log(pab) - Math.log(pa) - Math.log(pb));
              }
            }
            if (!(Math.abs(mi.data[i * 3 + j]! - want) <= 1e-12)) return false;
          }
        }
        const bin = rows.map((x) => x.map((v) => v % 2));
        const a = mutualInformation(fromRows(bin), alpha).data;
        const b = mutualInformation(categoricalData(bin, [2, 2, 2]), alpha).data;
        return a.every((v, i) => Object.is(v, b[i]));
      }),
      { numRuns: 40 },
    );
  });
});

describe('categorical HCLT', () => {
  test('inputs are categorical over each variable’s values (Bernoulli where binary); the distribution sums to 1 over every state', () => {
    const small = categoricalData(fx.train.map((r) => r.slice(0, 4)), fx.cards.slice(0, 4));
    for (const circuit of [hclt(small, { K: 3, key: key(1) }), hcltMixture(small, { K: 2, trees: 3, init: 'juice', key: key(2) })]) {
      const cc = compile(circuit);
      expect(Array.from(cc.cardinality)).toEqual(fx.cards.slice(0, 4));
      const kinds = new Set(circuit.nodes.filter((x) => x.kind === 'categorical' || x.kind === 'bernoulli').map((x) => `${x.kind}:${(x as { v: number }).v}`));
      expect([...kinds].sort()).toEqual(['bernoulli:0', 'categorical:1', 'categorical:2', 'categorical:3']);
      const ll = logLikelihood(cc, cc.params, allStates(cc));
      let total = 0;
      for (const v of ll) total += Math.exp(v);
      expect(Math.abs(total - 1)).toBeLessThan(1e-12);
    }
  });
  test('the input statistics of each variable total the data’s value counts (one unit of flow per row)', () => {
    const small = categoricalData(fx.train.slice(0, 25).map((r) => r.slice(2, 5)), fx.cards.slice(2, 5));
    const cc = compile(hclt(small, { K: 2, key: key(3) }));
    const s = batchStatistics(cc, cc.params, small);
    for (let v = 0; v < cc.numVars; v++) {
      const want = new Float64Array(cc.cardinality[v]!);
      for (let r = 0; r < small.rows; r++) want[small.data[r * small.cols + v]!]++;
      const got = new Float64Array(cc.cardinality[v]!);
      for (let i = cc.varLeafPtr[v]!; i < cc.varLeafPtr[v + 1]!; i++) {
        const leaf = cc.varLeaf[i]!;
        const so = cc.statPtr[leaf]!;
        for (let u = 0; u < got.length; u++) got[u] += s.leafStats[so + u]!;
      }
      want.forEach((w, u) => expect(Math.abs(got[u]! - w)).toBeLessThan(1e-9));
    }
  });
  test('training (mini-batch EM, softening, entropy) improves held-out likelihood over the initialisation', () => {
    const circuit = hcltMixture(trainData, { K: 4, trees: 2, init: 'juice', key: key(5) });
    const cc = compile(circuit);
    const r = train(cc, cc.params, trainData, {
      optimizer: { kind: 'miniBatchEm', stepSize: 0.5, stepSizeEnd: 0.1, pseudocount: 0.1, entropy: 0.001 },
      epochs: 30, batchSize: 100, softening: 0.002, valid: testData, key: key(6),
    });
    const before = meanLogLikelihood(cc, cc.params, testData);
    const after = meanLogLikelihood(cc, r.best!.params, testData);
    expect(after).toBeGreaterThan(before + 1);
  });
  test('bootstrap resamples keep the cardinalities (gatherRows)', () => {
    const g = gatherRows(trainData, new Int32Array([0, 0, 5])) as CategoricalData;
    expect(Array.from(g.cardinalities)).toEqual(fx.cards);
    const k = foldIn(key(0), 1);
    expect(compile(hcltMixture(trainData, { K: 2, trees: 3, key: k })).numVars).toBe(fx.cards.length);
  });
});
