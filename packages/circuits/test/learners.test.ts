import { describe, expect, test } from 'vitest';
import { foldIn, key } from '@descent/linalg';
import {
  adamCircuit, addStatistics, anemone, batchStatistics, compile, epochBatches, fullBatchEm, gatherRows, loadDebd,
  hcltFromTree, miniBatchEm, train, type BatchStatistics,
} from '@descent/circuits';
import { buildCircuit, randomData } from '@descent/circuits/laws';

const cc = compile(buildCircuit('hclt', 6, 5));
const data = randomData(cc, 64, 5);

describe('step contract', () => {
  const learners = [
    ['fullBatchEm', fullBatchEm, fullBatchEm.init({ circuit: cc, pseudocount: 0.1 }, cc.params)],
    ['miniBatchEm', miniBatchEm, miniBatchEm.init({ circuit: cc, stepSize: 0.3 }, cc.params)],
    ['anemone', anemone, anemone.init({ circuit: cc, stepSize: 0.4, momentum: 0.9 }, cc.params)],
    ['adam', adamCircuit, adamCircuit.init({ circuit: cc }, cc.params)],
  ] as const;
  test.each(learners)('%s: stepInto on ping-pong states is bit-identical to step; step is pure', (_name, learner, s0) => {
    const obs: BatchStatistics[] = [0, 1, 2].map((i) => batchStatistics(cc, cc.params, { rows: 16, cols: 6, data: data.data.slice(i * 96, (i + 1) * 96) }));
    let a = s0 as never as { x: Float64Array };
    const snapshot = Float64Array.from(a.x);
    const L = learner as unknown as { step(s: unknown, o: BatchStatistics): { x: Float64Array }; stepInto(s: unknown, o: BatchStatistics, out: unknown): { x: Float64Array } };
    let b = L.step(a, obs[0]!);
    expect(Array.from(a.x)).toEqual(Array.from(snapshot));
    let ping = L.step(a, obs[0]!);
    let pong = L.step(ping, obs[1]!);
    for (let t = 1; t < 3; t++) {
      b = L.step(b, obs[t]!);
      const next = L.stepInto(ping, obs[t]!, pong);
      expect(next).toBe(pong);
      [ping, pong] = [pong, ping];
      expect(Array.from(ping.x)).toEqual(Array.from(b.x));
    }
    a = b;
    expect((a as unknown as { t: number }).t).toBe(3);
  });
});

describe('statistics', () => {
  test('additive over batches; rows selects without copying; weights scale flows', () => {
    const s1 = batchStatistics(cc, cc.params, data, { rows: Int32Array.from({ length: 30 }, (_, i) => i) });
    const s2 = batchStatistics(cc, cc.params, data, { rows: Int32Array.from({ length: 34 }, (_, i) => 30 + i) });
    const all = batchStatistics(cc, cc.params, data);
    const sum = addStatistics(s1, s2);
    for (let i = 0; i < all.edgeFlows.length; i++) expect(Math.abs(sum.edgeFlows[i]! - all.edgeFlows[i]!)).toBeLessThan(1e-12);
    expect(sum.count).toBe(64);
    const w = batchStatistics(cc, cc.params, data, { weights: new Float64Array(64).fill(2) });
    for (let i = 0; i < all.edgeFlows.length; i++) expect(Math.abs(w.edgeFlows[i]! - 2 * all.edgeFlows[i]!)).toBeLessThan(1e-12);
    expect(w.count).toBe(128);
  });
  test('chunking: batches larger than the 512-row pass give the same statistics', () => {
    const big = randomData(cc, 1300, 8);
    const s = batchStatistics(cc, cc.params, big);
    const parts = [0, 1, 2].map((i) => batchStatistics(cc, cc.params, gatherRows(big, Int32Array.from({ length: i < 2 ? 500 : 300 }, (_, j) => i * 500 + j))));
    const sum = addStatistics(addStatistics(parts[0]!, parts[1]!), parts[2]!);
    for (let i = 0; i < s.edgeFlows.length; i++) expect(Math.abs(sum.edgeFlows[i]! - s.edgeFlows[i]!)).toBeLessThan(1e-10);
    expect(Math.abs(sum.logLikelihood - s.logLikelihood)).toBeLessThan(1e-9);
  });
});

describe('data loader', () => {
  test('DEBD sets load with the documented shapes (line counts)', () => {
    expect([loadDebd('nltcs', 'train').rows, loadDebd('nltcs', 'valid').rows, loadDebd('nltcs', 'test').rows]).toEqual([16181, 2157, 3236]);
    const p = loadDebd('plants', 'test');
    expect([p.rows, p.cols]).toEqual([3482, 69]);
  });
  test('epoch batches cover every row once, are reproducible by key and differ across epochs', () => {
    const a = epochBatches(1000, 64, foldIn(key(1), 1));
    const seen = new Uint8Array(1000);
    for (const b of a) for (const r of b) seen[r]++;
    expect(seen.every((c) => c === 1)).toBe(true);
    expect(a.map((b) => b.length).slice(-1)).toEqual([1000 - 15 * 64]);
    expect(Array.from(epochBatches(1000, 64, foldIn(key(1), 1))[0]!)).toEqual(Array.from(a[0]!));
    expect(Array.from(epochBatches(1000, 64, foldIn(key(1), 2))[0]!)).not.toEqual(Array.from(a[0]!));
    expect(epochBatches(10, 4, null, { dropLast: true }).length).toBe(2);
  });
});

describe('train', () => {
  test('full-batch EM curve is monotone; anemone/mini-batch EM/Adam improve; itersPerUpdate accumulates', () => {
    const d = randomData(cc, 200, 9);
    const em = train(cc, cc.params, d, { optimizer: { kind: 'fullBatchEm' }, epochs: 6 });
    for (let e = 1; e < em.curve.length; e++) expect(em.curve[e]!.train!).toBeGreaterThanOrEqual(em.curve[e - 1]!.train! - 1e-10 * Math.abs(em.curve[e - 1]!.train!));
    for (const optimizer of [{ kind: 'anemone' }, { kind: 'miniBatchEm', stepSize: 0.1 }, { kind: 'adam', lr: 0.05 }] as const) {
      const r = train(cc, cc.params, d, { optimizer, epochs: 4, batchSize: 32 });
      expect(r.curve[4]!.train!).toBeGreaterThan(r.curve[0]!.train!);
    }
    const w = train(cc, cc.params, d, { optimizer: { kind: 'anemone' }, epochs: 1, batchSize: 20, itersPerUpdate: 5 });
    expect(w.curve[1]!.updates).toBe(2);
  });
});

describe('spec (e) 7 toy: 30 steps on the whole data', () => {
  // The spec's numerical check: EM, mini-batch EM (η 0.3) and anemone (η 0.3, momentum 0.9) with the
  // batch = the whole data set strictly increase the log-likelihood at every one of 30 steps. (With
  // momentum this is an observation on this toy, not a theorem: the EMA mixes earlier statistics.)
  const toy = compile(buildCircuit('hclt', 6, 12));
  const d = randomData(toy, 200, 12);
  const total = (p: Float64Array) => batchStatistics(toy, p, d).logLikelihood;
  test.each([
    ['EM', (p: Float64Array) => fullBatchEm.init({ circuit: toy }, p), fullBatchEm],
    ['mini-batch EM(0.3)', (p: Float64Array) => miniBatchEm.init({ circuit: toy, stepSize: 0.3 }, p), miniBatchEm],
    ['anemone(0.3, 0.9)', (p: Float64Array) => anemone.init({ circuit: toy, stepSize: 0.3, momentum: 0.9, pseudocount: 0 }, p), anemone],
  ] as const)('%s', (_name, init, learner) => {
    let s = init(toy.params) as { x: Float64Array; query: Float64Array };
    let ll = total(s.x);
    let minIncrease = Infinity;
    for (let t = 0; t < 30; t++) {
      s = (learner as unknown as { step(a: unknown, o: BatchStatistics): typeof s }).step(s, batchStatistics(toy, s.query, d));
      const next = total(s.x);
      minIncrease = Math.min(minIncrease, next - ll);
      ll = next;
    }
    expect(minIncrease).toBeGreaterThan(0);
  });
});

describe('train: annealing, softening, entropy, early stopping', () => {
  const valid = randomData(cc, 32, 6);
  test('stepSizeEnd anneals linearly per epoch, softening and entropy reach every step (manual loop, bit for bit)', () => {
    const epochs = 3;
    const r = train(cc, cc.params, data, {
      optimizer: { kind: 'miniBatchEm', stepSize: 0.9, stepSizeEnd: 0.1, pseudocount: 0.1, entropy: 0.01 },
      epochs, batchSize: 16, key: key(3), softening: 0.05, evalTrain: false,
    });
    let s = miniBatchEm.init({ circuit: cc, stepSize: 0.9, pseudocount: 0.1, entropy: 0.01 }, cc.params);
    for (let e = 1; e <= epochs; e++) {
      const t = (e - 1) / (epochs - 1);
      s = { ...s, stepSize: (1 - t) * 0.9 + t * 0.1 };
      for (const rows of epochBatches(data.rows, 16, foldIn(key(3), e))) s = miniBatchEm.step(s, batchStatistics(cc, s.x, data, { rows, softening: 0.05 }));
    }
    expect(Array.from(r.params)).toEqual(Array.from(s.x));
    expect(s.stepSize).toBe(0.1);
  });
  test('early stopping ends once validation has not improved for `patience` epochs and keeps the best parameters', () => {
    const small = { rows: 8, cols: 6, data: data.data.slice(0, 48) };
    const r = train(cc, cc.params, small, { optimizer: { kind: 'fullBatchEm' }, epochs: 200, valid, earlyStopping: { patience: 3 }, evalTrain: false });
    const last = r.curve[r.curve.length - 1]!.epoch;
    expect(last).toBeLessThan(200);
    expect(r.best!.epoch).toBe(last - 3);
    for (const p of r.curve) expect(p.valid!).toBeLessThanOrEqual(r.best!.valid);
    expect(() => train(cc, cc.params, small, { optimizer: { kind: 'fullBatchEm' }, epochs: 2, earlyStopping: { patience: 3 } })).toThrow(/valid/);
  });
});

describe('threads', () => {
  test('statistics with worker threads are bit-identical to one thread (blocks above the threading threshold)', () => {
    const tree = { parent: new Int32Array([-1, 0, 0, 1]), root: 0, order: new Int32Array([3, 1, 2, 0]) };
    const big = compile(hcltFromTree(tree, { K: 128, key: key(2) }));
    const x = randomData(big, 300, 9);
    const one = batchStatistics(big, big.params, x, { threads: 1 });
    const two = batchStatistics(big, big.params, x, { threads: 2 });
    expect(Buffer.from(two.edgeFlows.buffer).equals(Buffer.from(one.edgeFlows.buffer))).toBe(true);
    expect(Buffer.from(two.leafStats.buffer).equals(Buffer.from(one.leafStats.buffer))).toBe(true);
    expect(Object.is(two.logLikelihood, one.logLikelihood)).toBe(true);
    expect(() => batchStatistics(big, big.params, x, { threads: 0 })).toThrow(/threads/);
  });
});
