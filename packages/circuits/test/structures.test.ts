import { describe, expect, test } from 'vitest';
import { foldIn, key } from '@descent/linalg';
import {
  bootstrapTrees, chowLiuCircuit, chowLiuTree, compile, hclt, hcltFromTree, hcltMixture, KIND, loadDebd, mixtureOfBernoullis, ratSpn,
} from '@descent/circuits';

function counts(cc: ReturnType<typeof compile>) {
  let sums = 0;
  let products = 0;
  for (let i = 0; i < cc.numNodes; i++) {
    if (cc.kind[i] === KIND.sum) sums++;
    if (cc.kind[i] === KIND.product) products++;
  }
  return { leaves: cc.numLeaves, sums, products, sumEdges: cc.numSumParams };
}

describe('structures', () => {
  const nltcs = loadDebd('nltcs', 'train');
  test('HCLT on NLTCS has the sizes of spec (d): n·K leaves, K products per inner variable, (inner−1)·K² + K sum edges', () => {
    const K = 8;
    const c = compile(hclt(nltcs, { K, key: key(3) }));
    const clt = compile(chowLiuCircuit(nltcs));
    // Inner variables of the Chow–Liu tree = variables with children (plus the root).
    let inner = 0;
    for (let i = 0; i < clt.numNodes; i++) if (clt.kind[i] === KIND.product) inner++;
    inner /= 2; // the CLT circuit has two products per inner variable
    const s = counts(c);
    expect(s.leaves).toBe(16 * K);
    expect(s.products).toBe(inner * K);
    expect(s.sumEdges).toBe((inner - 1) * K * K + K);
    expect(c.numGroups).toBe(inner); // each inner variable's K sums form one dense block
  });
  test('RAT-SPN: Hadamard has K products per partition, outer K²', () => {
    const had = counts(compile(ratSpn(8, { K: 3, depth: 1, repetitions: 2, productMode: 'hadamard', key: key(1) })));
    const out = counts(compile(ratSpn(8, { K: 3, depth: 1, repetitions: 2, productMode: 'outer', key: key(1) })));
    // Per repetition: two leaf regions (3 products + 3 sums each) and a top partition.
    expect(had.products).toBe(2 * (2 * 3 + 3));
    expect(out.products).toBe(2 * (2 * 3 + 9));
    expect(had.leaves).toBe(8 * 3); // K inputs per variable, shared by all regions and repetitions
    expect(had.sumEdges).toBe(2 * 2 * 3 * 3 + 2 * 3);
    expect(out.sumEdges).toBe(2 * 2 * 3 * 3 + 2 * 9);
    const deep = compile(ratSpn(9, { K: 2, depth: 3, repetitions: 1, numPieces: 3, key: key(2) }));
    expect(deep.numVars).toBe(9);
  });
  test('mixture of Bernoullis and the Chow–Liu circuit', () => {
    const m = counts(compile(mixtureOfBernoullis(5, 4)));
    expect(m).toEqual({ leaves: 20, sums: 1, products: 4, sumEdges: 4 });
    const clt = compile(chowLiuCircuit(nltcs));
    // Deterministic: 2 indicators per variable, two sums per non-root variable, one root sum.
    expect(counts(clt).leaves).toBe(32);
    expect(counts(clt).sums).toBe(2 * 15 + 1);
  });
  test('builders are reproducible by key and differ across keys', () => {
    const a = compile(hclt(nltcs, { K: 4, key: key(1) }));
    const b = compile(hclt(nltcs, { K: 4, key: key(1) }));
    const c = compile(hclt(nltcs, { K: 4, key: key(2) }));
    expect(Array.from(a.params)).toEqual(Array.from(b.params));
    expect(Array.from(a.params)).not.toEqual(Array.from(c.params));
  });
});

describe('mixture of HCLTs', () => {
  const nltcs = loadDebd('nltcs', 'train');
  test('tree 0 is the Chow–Liu tree; the others are bootstrap trees; sizes are the sum of the HCLTs with one root over trees·K products', () => {
    const trees = bootstrapTrees(nltcs, 4, key(5));
    expect(Array.from(trees[0]!.parent)).toEqual(Array.from(chowLiuTree(nltcs).parent));
    expect(trees.some((t) => Array.from(t.parent).join() !== Array.from(trees[0]!.parent).join())).toBe(true);
    const K = 6;
    const m = compile(hcltMixture(nltcs, { K, trees: 4, init: 'juice', key: key(5) }));
    let edges = 0;
    let leaves = 0;
    // hcltMixture draws its bootstrap resamples from foldIn(key, 0).
    for (const t of bootstrapTrees(nltcs, 4, foldIn(key(5), 0))) {
      const single = compile(hcltFromTree(t, { K }));
      edges += single.numSumParams - K;
      leaves += single.numLeaves;
    }
    expect(m.numSumParams).toBe(edges + 4 * K);
    expect(m.numLeaves).toBe(leaves);
    expect(m.childPtr[m.numNodes]! - m.childPtr[m.numNodes - 1]!).toBe(4 * K);
  });
  test("'juice' initialisation is uniform ± perturbation (ratios within (1 − p)/(1 + p)); invalid options are rejected", () => {
    const c = compile(hcltMixture(nltcs, { K: 4, trees: 2, init: 'juice', perturbation: 0.4, key: key(1) }));
    for (let i = c.numLeaves; i < c.numNodes; i++) {
      if (c.kind[i] !== KIND.sum) continue;
      const o = c.paramPtr[i]!;
      const len = c.childPtr[i + 1]! - c.childPtr[i]!;
      const w = Array.from(c.params.subarray(o, o + len));
      expect(Math.min(...w) / Math.max(...w)).toBeGreaterThanOrEqual(0.6 / 1.4 - 1e-12);
    }
    expect(() => hcltMixture(nltcs, { K: 2, trees: 0 })).toThrow(/trees/);
    expect(() => hcltMixture(nltcs, { K: 2, init: 'juice', perturbation: 1 })).toThrow(/perturbation/);
    expect(() => hcltMixture(nltcs, { K: 2, init: 'nope' as never })).toThrow(/init/);
  });
});
