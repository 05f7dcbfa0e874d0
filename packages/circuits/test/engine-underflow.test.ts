import { expect, test } from 'vitest';
import { fromRows, key } from '@descent/linalg';
import { batchStatistics, compile, hcltFromTree, logLikelihood, type Circuit } from '@descent/circuits';
import { backward, forward, loadBatch, workspace } from '../src/engine.js';
import { referenceBackward, referenceForward } from '../src/engine-reference.js';

// A product group whose children's probabilities multiply below the smallest double: the linear-domain
// products underflow, and those examples are redone in logs. Star tree: variable 0 with 6 children.
test('linear-domain products that underflow fall back to logs: values, flows and statistics equal the reference engine', () => {
  const parent = new Int32Array([-1, 0, 0, 0, 0, 0, 0]);
  const tree = { parent, root: 0, order: new Int32Array([1, 2, 3, 4, 5, 6, 0]) };
  const base = hcltFromTree(tree, { K: 3, key: key(7) });
  // Every input gives x = 1 a probability near 1e-80, so a row of ones has every latent path near 1e-560.
  let i = 0;
  const circuit: Circuit = {
    numVars: 7,
    nodes: base.nodes.map((n) => (n.kind === 'bernoulli' ? { ...n, p: 1e-80 * (1 + (i++ % 5)) } : n)),
  };
  const cc = compile(circuit);
  const data = fromRows([[1, 1, 1, 1, 1, 1, 1], [0, 1, 1, 1, 1, 1, 1], [0, 0, 0, 0, 0, 0, 0], [1, 0, 1, 0, 1, 0, 1]]);
  const B = data.rows;
  const run = (fwd: typeof forward, bwd: typeof backward, mode: 'sum' | 'flows') => {
    const ws = workspace(cc, B);
    loadBatch(ws, data, 0, B);
    fwd(cc, cc.params, ws, mode);
    const edge = new Float64Array(cc.numSumParams);
    const leaf = new Float64Array(cc.numStats);
    bwd(cc, cc.params, ws, edge, leaf);
    return { root: ws.L.slice((cc.numNodes - 1) * B, cc.numNodes * B), edge, leaf };
  };
  const ref = run((c, p, w, m) => referenceForward(c, p, w, m === 'flows' ? 'sum' : m), referenceBackward, 'sum');
  // The first row's likelihood: finite, far below the smallest double.
  expect(ref.root[0]!).toBeLessThan(-700);
  expect(Number.isFinite(ref.root[0]!)).toBe(true);
  for (const mode of ['sum', 'flows'] as const) {
    const ours = run(forward, backward, mode);
    ours.root.forEach((v, b) => expect(Math.abs(v - ref.root[b]!)).toBeLessThanOrEqual(1e-12 * Math.abs(ref.root[b]!)));
    ours.edge.forEach((v, e) => expect(Math.abs(v - ref.edge[e]!)).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(ref.edge[e]!))));
    ours.leaf.forEach((v, e) => expect(Math.abs(v - ref.leaf[e]!)).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(ref.leaf[e]!))));
  }
  expect(Array.from(logLikelihood(cc, cc.params, data))).toEqual(Array.from(run(forward, backward, 'flows').root));
  expect(batchStatistics(cc, cc.params, data).count).toBe(4);
});
