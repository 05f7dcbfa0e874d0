import { expect, test, vi } from 'vitest';
import { batchStatistics, compile, logLikelihood } from '@descent/circuits';
import { buildCircuit, randomData } from '@descent/circuits/laws';

test('without worker threads (browsers) threads > 1 runs on the calling thread with the same bits', () => {
  const cc = compile(buildCircuit('hcltMixture', 5, 3));
  const data = randomData(cc, 1300, 3);
  const one = batchStatistics(cc, cc.params, data);
  const ll = logLikelihood(cc, cc.params, data);
  // This file's module instance looks node:worker_threads up for the first time here and finds nothing.
  const spy = vi.spyOn(process, 'getBuiltinModule').mockImplementation(() => undefined as never);
  const s = batchStatistics(cc, cc.params, data, { threads: 3 });
  const ll3 = logLikelihood(cc, cc.params, data, { threads: 3 });
  expect(spy).toHaveBeenCalledWith('node:worker_threads');
  spy.mockRestore();
  expect(Array.from(s.edgeFlows).every((v, i) => Object.is(v, one.edgeFlows[i]))).toBe(true);
  expect(Array.from(s.leafStats).every((v, i) => Object.is(v, one.leafStats[i]))).toBe(true);
  expect(s.logLikelihood).toBe(one.logLikelihood);
  expect(Array.from(ll3)).toEqual(Array.from(ll));
});
