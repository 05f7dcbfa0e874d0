import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import {
  adamCircuit, anemone, batchStatistics, chowLiuCircuit, chowLiuTree, compile, fullBatchEm, loadDebd, logLikelihood,
  meanLogLikelihood, miniBatchEm, mutualInformation, nodeParams, topDownProbabilities, type Circuit, type CompiledCircuit,
} from '@descent/circuits';

// Fixtures from scripts/fixtures/circuits_reference.py: NumPy + PyTorch autograd (flows as
// θ·∂LL/∂θ, not a hand-written backward pass), torch.optim.Adam, scipy's MST, an einsum HCLT pass.
interface Case {
  name: string;
  circuit: Circuit;
  rows: number;
  x: number[];
  missing: number[];
  ll: number[];
  edgeFlows: Record<string, number[]>;
  leafStats: Record<string, number[]>;
  topDown: number[];
  em: Record<string, number[]>;
  miniBatchEm: Record<string, number[]>;
  anemone: Record<string, number[]>;
  anemoneMomentum: Record<string, number[]>;
  adam: Record<string, number[]>;
  half: number;
}
const fx = JSON.parse(readFileSync(new URL('./fixtures/circuits_reference.json', import.meta.url), 'utf8')) as {
  cases: Case[];
  nltcs: { mi: number[]; edges: [number, number][]; root: number; parent: number[]; chowLiuTestMean: number; hclt: { K: number; circuit: Circuit; testLL300: number[]; trainRows: number; em: Record<string, number[]> } };
};

function expectParams(cc: CompiledCircuit, params: Float64Array, want: Record<string, number[]>, tol: number): void {
  for (const [id, values] of Object.entries(want)) {
    const got = nodeParams(cc, params, Number(id));
    expect(got.length).toBe(values.length);
    for (let j = 0; j < values.length; j++) expect(Math.abs(got[j]! - values[j]!), `node ${id}[${j}]`).toBeLessThanOrEqual(tol);
  }
}

function rowsOf(c: Case, a: number, b: number) {
  const n = c.circuit.numVars;
  return {
    data: { rows: b - a, cols: n, data: Float64Array.from(c.x.slice(a * n, b * n)) },
    missing: Uint8Array.from(c.missing.slice(a * n, b * n)),
  };
}

describe.each(fx.cases.map((c) => [c.name, c] as const))('reference %s', (_name, c) => {
  const cc = compile(c.circuit);
  const { data, missing } = rowsOf(c, 0, c.rows);
  const stats = batchStatistics(cc, cc.params, data, { missing });

  test('log-likelihoods and marginals match torch (1e-12)', () => {
    const ll = logLikelihood(cc, cc.params, data, { missing });
    for (let r = 0; r < c.rows; r++) expect(Math.abs(ll[r]! - c.ll[r]!)).toBeLessThan(1e-12);
  });
  test('edge flows equal θ·∂LL/∂θ from autograd; leaf statistics from ∂LL/∂(leaf value) (1e-11)', () => {
    for (const [id, ef] of Object.entries(c.edgeFlows)) {
      const o = cc.paramPtr[cc.compiledOf[Number(id)]!]!;
      for (let j = 0; j < ef.length; j++) expect(Math.abs(stats.edgeFlows[o + j]! - ef[j]!)).toBeLessThan(1e-11);
    }
    for (const [id, s] of Object.entries(c.leafStats)) {
      const o = cc.statPtr[cc.compiledOf[Number(id)]!]!;
      for (let j = 0; j < s.length; j++) expect(Math.abs(stats.leafStats[o + j]! - s[j]!)).toBeLessThan(1e-10 * Math.max(1, Math.abs(s[j]!)));
    }
    expect(stats.count).toBe(c.rows);
  });
  test('top-down probabilities (1e-14)', () => {
    const td = topDownProbabilities(cc, cc.params);
    for (let i = 0; i < td.length; i++) expect(Math.abs(td[i]! - c.topDown[i]!)).toBeLessThan(1e-14);
  });
  test('full-batch EM (α 0.1), mini-batch EM (η 0.3, α 0.1), anemone (η 0.4, α 1e-6) steps (1e-12)', () => {
    expectParams(cc, fullBatchEm.step(fullBatchEm.init({ circuit: cc, pseudocount: 0.1 }, cc.params), stats).x, c.em, 1e-12);
    expectParams(cc, miniBatchEm.step(miniBatchEm.init({ circuit: cc, stepSize: 0.3, pseudocount: 0.1 }, cc.params), stats).x, c.miniBatchEm, 1e-12);
    expectParams(cc, anemone.step(anemone.init({ circuit: cc, stepSize: 0.4, momentum: 0, pseudocount: 1e-6 }, cc.params), stats).x, c.anemone, 1e-12);
  });
  test('anemone with momentum 0.9, two updates (1e-12)', () => {
    const b1 = rowsOf(c, 0, c.half);
    const b2 = rowsOf(c, c.half, c.rows);
    let s = anemone.init({ circuit: cc, stepSize: 0.4, momentum: 0.9, pseudocount: 1e-6 }, cc.params);
    s = anemone.step(s, batchStatistics(cc, s.query, b1.data, { missing: b1.missing }));
    s = anemone.step(s, batchStatistics(cc, s.query, b2.data, { missing: b2.missing }));
    expectParams(cc, s.x, c.anemoneMomentum, 1e-12);
  });
  test('Adam on logits matches torch.optim.Adam, two steps (1e-10)', () => {
    const b1 = rowsOf(c, 0, c.half);
    const b2 = rowsOf(c, c.half, c.rows);
    let s = adamCircuit.init({ circuit: cc, lr: 0.05 }, cc.params);
    s = adamCircuit.step(s, batchStatistics(cc, s.query, b1.data, { missing: b1.missing }));
    s = adamCircuit.step(s, batchStatistics(cc, s.query, b2.data, { missing: b2.missing }));
    expectParams(cc, s.x, c.adam, 1e-10);
  });
});

describe('reference NLTCS', () => {
  const train = loadDebd('nltcs', 'train');
  const test_ = loadDebd('nltcs', 'test');
  test('mutual information matches NumPy (1e-12) and the Chow–Liu tree matches scipy MST + center', () => {
    const mi = mutualInformation(train, 0.1);
    for (let i = 0; i < mi.data.length; i++) expect(Math.abs(mi.data[i]! - fx.nltcs.mi[i]!)).toBeLessThan(1e-12);
    const tree = chowLiuTree(train, { alpha: 0.1 });
    expect(tree.root).toBe(fx.nltcs.root);
    expect(Array.from(tree.parent)).toEqual(fx.nltcs.parent);
  });
  test('Chow–Liu test log-likelihood matches NumPy (1e-10) and the reported −6.76', () => {
    const clt = compile(chowLiuCircuit(train, { alpha: 0.1 }));
    const ll = meanLogLikelihood(clt, clt.params, test_);
    expect(Math.abs(ll - fx.nltcs.chowLiuTestMean)).toBeLessThan(1e-10);
    expect(Math.abs(ll - -6.76)).toBeLessThan(0.005);
  });
  test('HCLT (K 4): likelihoods match the einsum pass (1e-11), one EM step matches torch flows (1e-11)', () => {
    const cc = compile(fx.nltcs.hclt.circuit);
    const t300 = { rows: 300, cols: 16, data: test_.data.slice(0, 300 * 16) };
    const ll = logLikelihood(cc, cc.params, t300);
    for (let r = 0; r < 300; r++) expect(Math.abs(ll[r]! - fx.nltcs.hclt.testLL300[r]!)).toBeLessThan(1e-11);
    const sub = { rows: 500, cols: 16, data: train.data.slice(0, 500 * 16) };
    const em = fullBatchEm.step(fullBatchEm.init({ circuit: cc }, cc.params), batchStatistics(cc, cc.params, sub)).x;
    expectParams(cc, em, fx.nltcs.hclt.em, 1e-11);
  });
});
