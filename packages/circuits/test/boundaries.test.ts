import { describe, expect, test } from 'vitest';
import { fromRows, key } from '@descent/linalg';
import { unknownKeyProblem, thrownError } from '@descent/linalg/laws';
import {
  anemone, batchStatisticsInto, bernoulliNode, bootstrapTrees, compile, deserializeState, emptyStatistics, hclt, hcltFromTree, logLikelihood,
  mixtureOfBernoullis, nodeFlows, posteriors, ratSpn, sample, saveCircuit, serializeState, topDownProbabilities, type AnemoneState,
} from '@descent/circuits';

// Behaviour fixes found by the API fuzz (test/fuzz.test.ts): a compiled circuit is checked at every
// public function, sizes are bounded before anything is built, and out buffers are checked before
// they are written.
const data = fromRows([[0, 1, 1], [1, 0, 1], [1, 1, 0], [0, 0, 0]]);
const cc = compile(mixtureOfBernoullis(3, 2, { key: key(1) }));

describe('compiled circuits', () => {
  test('an edited copy of a compiled circuit is INVALID_CONFIG at once (a numNodes of Infinity used to loop for ever)', () => {
    for (const bad of [{ ...cc, numNodes: Infinity }, { ...cc, child: new Int32Array(cc.child.length).fill(99) }, { ...cc, kind: null }, null, {}]) {
      expect(thrownError(() => logLikelihood(bad as never, cc.params, data))).toMatchObject({ code: 'INVALID_CONFIG', where: 'logLikelihood' });
      expect(thrownError(() => saveCircuit(bad as never, cc.params))).toMatchObject({ code: 'INVALID_CONFIG', where: 'saveCircuit' });
      expect(thrownError(() => emptyStatistics(bad as never))).toMatchObject({ code: 'INVALID_CONFIG', where: 'emptyStatistics' });
    }
    // arrays of the right types and lengths that do not describe what compile builds are refused too
    expect(thrownError(() => topDownProbabilities({ ...cc, layerPtr: new Int32Array(cc.layerPtr.length) }, cc.params))).toMatchObject({ code: 'INVALID_CONFIG', where: 'topDownProbabilities' });
  });

  test("an exact copy is accepted: a structured clone, or a resumed learner state's circuit", () => {
    const clone = structuredClone(cc);
    expect(Array.from(logLikelihood(clone, clone.params, data))).toEqual(Array.from(logLikelihood(cc, cc.params, data)));
    const s = anemone.init({ circuit: cc, stepSize: 0.5 }, cc.params);
    const r = deserializeState<AnemoneState>(anemone, JSON.parse(JSON.stringify(serializeState(anemone, s))));
    expect(r.circuit).not.toBe(cc);
    expect(Array.from(logLikelihood(r.circuit, r.x, data))).toEqual(Array.from(logLikelihood(cc, s.x, data)));
    expect(posteriors(r.circuit, r.x, data)).toEqual(posteriors(cc, s.x, data));
  });

  test('compile rejects more variables than nodes before allocating per-variable arrays', () => {
    expect(thrownError(() => compile({ numVars: 1e308, nodes: [bernoulliNode(0, 0.5)] }))).toMatchObject({ code: 'INVALID_CONFIG', where: 'compile' });
    expect(thrownError(() => compile({ numVars: 3, nodes: [bernoulliNode(0, 0.5)] }))).toMatchObject({ code: 'INVALID_CONFIG', where: 'compile' });
  });
});

describe('sizes are bounded before anything is built', () => {
  test('structure sizes above the allocation limit are INVALID_CONFIG (they used to run for ever)', () => {
    expect(thrownError(() => mixtureOfBernoullis(1e308, 2))).toMatchObject({ code: 'INVALID_CONFIG', where: 'mixtureOfBernoullis' });
    expect(thrownError(() => ratSpn(1e308, { K: 2, depth: 1, repetitions: 1 }))).toMatchObject({ code: 'INVALID_CONFIG', where: 'ratSpn' });
    expect(thrownError(() => ratSpn(8, { K: 2 ** 10, depth: 1, repetitions: 1, productMode: 'outer', numPieces: 4 }))).toMatchObject({ code: 'INVALID_CONFIG', where: 'ratSpn' });
    expect(thrownError(() => hclt(data, { K: 1e308 }))).toMatchObject({ code: 'INVALID_CONFIG', where: 'hclt' });
    expect(thrownError(() => bootstrapTrees(data, 1e308, key(0)))).toMatchObject({ code: 'INVALID_CONFIG', where: 'bootstrapTrees' });
    expect(thrownError(() => sample(cc, cc.params, key(0), 2 ** 30))).toMatchObject({ code: 'INVALID_CONFIG', where: 'sample' });
  });

  test('a variable tree whose parent links form a cycle is INVALID_CONFIG', () => {
    expect(thrownError(() => hcltFromTree({ parent: new Int32Array([-1, 2, 1]), root: 0, order: new Int32Array([1, 2, 0]) }, { K: 2 }))).toMatchObject({ code: 'INVALID_CONFIG', where: 'hclt' });
    expect(thrownError(() => hcltFromTree({ parent: new Int32Array([-1, 0]), root: 0, order: new Int32Array([0, 0]) }, { K: 2 }))).toMatchObject({ code: 'INVALID_CONFIG', where: 'hclt' });
    expect(compile(hcltFromTree({ parent: new Int32Array([-1, 0]), root: 0, order: new Int32Array([1, 0]) }, { K: 2 })).numVars).toBe(2);
  });
});

describe('outputs and options', () => {
  test('batchStatisticsInto checks out before writing and rejects a bad one untouched', () => {
    const out = { edgeFlows: new Float64Array(cc.numSumParams).fill(7), leafStats: new Float64Array(1), count: 0, logLikelihood: 0 };
    expect(thrownError(() => batchStatisticsInto(cc, cc.params, data, out))).toMatchObject({ code: 'SHAPE_MISMATCH', where: 'batchStatistics' });
    expect(Array.from(out.edgeFlows).every((v) => v === 7)).toBe(true);
    expect(thrownError(() => batchStatisticsInto(cc, cc.params, data, null as never))).toMatchObject({ code: 'SHAPE_MISMATCH', where: 'batchStatistics' });
    expect(batchStatisticsInto(cc, cc.params, data, emptyStatistics(cc)).count).toBe(4);
  });

  test('query options reject unknown keys with the closest known one', () => {
    expect(unknownKeyProblem(() => logLikelihood(cc, cc.params, data, { thread: 2 } as never), 'logLikelihood', 'thread', 'threads')).toBeUndefined();
    expect(unknownKeyProblem(() => posteriors(cc, cc.params, data, { misssing: undefined } as never), 'posteriors', 'misssing', 'missing')).toBeUndefined();
    expect(unknownKeyProblem(() => nodeFlows(cc, cc.params, data, { chek: false } as never), 'nodeFlows', 'chek', 'check')).toBeUndefined();
    expect(unknownKeyProblem(() => sample(cc, cc.params, key(0), 2, { checks: true } as never), 'sample', 'checks', 'check')).toBeUndefined();
  });
});
