import fc from 'fast-check';
import { afterAll, expect, test } from 'vitest';
import { foldIn, key, uniform } from '@descent/linalg';
import { batchStatistics, compile, logLikelihood, meanLogLikelihood, train, type BatchStatistics } from '@descent/circuits';
import { buildCircuit, DISCRETE_FAMILIES, randomData } from '@descent/circuits/laws';
import { failNextRowJob, terminateRowWorkers } from '../src/rows-threads.js';
import { thrownError } from '@descent/linalg/laws';

// Worker threads run the compiled module (dist/); `npm test` builds before testing.
afterAll(async () => {
  await terminateRowWorkers();
});

const sameBits = (a: ArrayLike<number>, b: ArrayLike<number>): boolean => a.length === b.length && Array.from(a).every((v, i) => Object.is(v, b[i]));
const sameStats = (a: BatchStatistics, b: BatchStatistics): boolean =>
  sameBits(a.edgeFlows, b.edgeFlows) && sameBits(a.leafStats, b.leafStats) && Object.is(a.count, b.count) && Object.is(a.logLikelihood, b.logLikelihood);

test('batch statistics and log-likelihoods are bit-identical on 1, 2 and 3 threads (rows, missing values, weights, softening)', () => {
  fc.assert(
    fc.property(fc.constantFrom(...DISCRETE_FAMILIES), fc.integer({ min: 0, max: 1e6 }), fc.integer({ min: 513, max: 2100 }), fc.boolean(), fc.boolean(), (family, seed, n, withMissing, withWeights) => {
      const cc = compile(buildCircuit(family, 5, seed));
      const data = randomData(cc, n, seed);
      const u = uniform(foldIn(key(seed), 3), data.data.length + 2 * n);
      const missing = withMissing ? Uint8Array.from({ length: data.data.length }, (_, i) => (u[i]! < 0.2 ? 1 : 0)) : undefined;
      // A batch of rows in a scrambled order, some repeated.
      const rows = Int32Array.from({ length: n - 7 }, (_, i) => Math.floor(u[data.data.length + i]! * n));
      const weights = withWeights ? Float64Array.from({ length: rows.length }, (_, i) => 2 * u[data.data.length + n + i]!) : undefined;
      const opts = { rows, softening: 0.01, ...(missing ? { missing } : {}), ...(weights ? { weights } : {}) };
      const one = batchStatistics(cc, cc.params, data, opts);
      const ll1 = logLikelihood(cc, cc.params, data, missing ? { missing } : {});
      for (const threads of [2, 3]) {
        const s = batchStatistics(cc, cc.params, data, { ...opts, threads });
        if (!sameStats(one, s)) return false;
        if (!sameBits(ll1, logLikelihood(cc, cc.params, data, { ...(missing ? { missing } : {}), threads }))) return false;
      }
      return true;
    }),
    { numRuns: 12 },
  );
});

test('train on 2 threads equals train on 1 thread bit for bit (mini-batch EM with validation)', () => {
  const cc = compile(buildCircuit('hcltMixture', 6, 11));
  const data = randomData(cc, 1500, 11);
  const valid = randomData(cc, 700, 12);
  const run = (threads: number) =>
    train(cc, cc.params, data, { optimizer: { kind: 'miniBatchEm', stepSize: 0.5, pseudocount: 0.1, entropy: 0.01 }, epochs: 3, batchSize: 1100, valid, softening: 0.002, threads, key: key(4) });
  const a = run(1);
  const b = run(2);
  expect(sameBits(a.params, b.params)).toBe(true);
  expect(a.curve.map((p) => [p.train, p.valid])).toEqual(b.curve.map((p) => [p.train, p.valid]));
  expect(meanLogLikelihood(cc, a.params, valid, { threads: 3 })).toBe(a.curve[3]!.valid);
});

test('a worker that fails raises a DescentError naming the function (no hang); the next call starts fresh workers', () => {
  const cc = compile(buildCircuit('hclt', 5, 2));
  const data = randomData(cc, 1200, 2);
  const good = batchStatistics(cc, cc.params, data, { threads: 2 });
  failNextRowJob();
  const err = thrownError(() => batchStatistics(cc, cc.params, data, { threads: 2 }));
  expect(err.code).toBe('DOMAIN');
  expect(err.message).toContain('batchStatistics');
  expect(err.message).toContain('worker');
  expect(sameStats(good, batchStatistics(cc, cc.params, data, { threads: 2 }))).toBe(true);
});

test('threads is validated', () => {
  const cc = compile(buildCircuit('hclt', 3, 2));
  const data = randomData(cc, 10, 2);
  for (const threads of [0, 1.5, 300, Number.NaN]) {
    expect(() => logLikelihood(cc, cc.params, data, { threads })).toThrow(/threads/);
    expect(() => batchStatistics(cc, cc.params, data, { threads })).toThrow(/threads/);
  }
});
