import { describe, expect, test } from 'vitest';
import { DescentError, fromRows, key } from '@descent/linalg';
import { unknownKeyProblem } from '@descent/linalg/laws';
import {
  anemone, batchStatisticsInto, bernoulliNode, bootstrapTrees, compile, deserializeState, emptyStatistics, hclt, hcltFromTree, logLikelihood,
  mixtureOfBernoullis, nodeFlows, posteriors, ratSpn, sample, saveCircuit, serializeState, topDownProbabilities, type AnemoneState,
} from '@descent/circuits';

// Behaviour fixes found by the API fuzz (test/fuzz.test.ts): a compiled circuit is checked at every
// public function, sizes are bounded before anything is built, and out buffers are checked before
// they are written.
const code = (f: () => unknown): string => {
  try {
    f();
  } catch (e) {
    return e instanceof DescentError ? `${e.code} ${e.where}` : `not a DescentError: ${String(e)}`;
  }
  return 'returned';
};
const data = fromRows([[0, 1, 1], [1, 0, 1], [1, 1, 0], [0, 0, 0]]);
const cc = compile(mixtureOfBernoullis(3, 2, { key: key(1) }));

describe('compiled circuits', () => {
  test('an edited copy of a compiled circuit is INVALID_CONFIG at once (a numNodes of Infinity used to loop for ever)', () => {
    for (const bad of [{ ...cc, numNodes: Infinity }, { ...cc, child: new Int32Array(cc.child.length).fill(99) }, { ...cc, kind: null }, null, {}]) {
      expect(code(() => logLikelihood(bad as never, cc.params, data))).toBe('INVALID_CONFIG logLikelihood');
      expect(code(() => saveCircuit(bad as never, cc.params))).toBe('INVALID_CONFIG saveCircuit');
      expect(code(() => emptyStatistics(bad as never))).toBe('INVALID_CONFIG emptyStatistics');
    }
    // arrays of the right types and lengths that do not describe what compile builds are refused too
    expect(code(() => topDownProbabilities({ ...cc, layerPtr: new Int32Array(cc.layerPtr.length) }, cc.params))).toBe('INVALID_CONFIG topDownProbabilities');
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
    expect(code(() => compile({ numVars: 1e308, nodes: [bernoulliNode(0, 0.5)] }))).toBe('INVALID_CONFIG compile');
    expect(code(() => compile({ numVars: 3, nodes: [bernoulliNode(0, 0.5)] }))).toBe('INVALID_CONFIG compile');
  });
});

describe('sizes are bounded before anything is built', () => {
  test('structure sizes above the allocation limit are INVALID_CONFIG (they used to run for ever)', () => {
    expect(code(() => mixtureOfBernoullis(1e308, 2))).toBe('INVALID_CONFIG mixtureOfBernoullis');
    expect(code(() => ratSpn(1e308, { K: 2, depth: 1, repetitions: 1 }))).toBe('INVALID_CONFIG ratSpn');
    expect(code(() => ratSpn(8, { K: 2 ** 10, depth: 1, repetitions: 1, productMode: 'outer', numPieces: 4 }))).toBe('INVALID_CONFIG ratSpn');
    expect(code(() => hclt(data, { K: 1e308 }))).toBe('INVALID_CONFIG hclt');
    expect(code(() => bootstrapTrees(data, 1e308, key(0)))).toBe('INVALID_CONFIG bootstrapTrees');
    expect(code(() => sample(cc, cc.params, key(0), 2 ** 30))).toBe('INVALID_CONFIG sample');
  });

  test('a variable tree whose parent links form a cycle is INVALID_CONFIG', () => {
    expect(code(() => hcltFromTree({ parent: new Int32Array([-1, 2, 1]), root: 0, order: new Int32Array([1, 2, 0]) }, { K: 2 }))).toBe('INVALID_CONFIG hclt');
    expect(code(() => hcltFromTree({ parent: new Int32Array([-1, 0]), root: 0, order: new Int32Array([0, 0]) }, { K: 2 }))).toBe('INVALID_CONFIG hclt');
    expect(compile(hcltFromTree({ parent: new Int32Array([-1, 0]), root: 0, order: new Int32Array([1, 0]) }, { K: 2 })).numVars).toBe(2);
  });
});

describe('outputs and options', () => {
  test('batchStatisticsInto checks out before writing and rejects a bad one untouched', () => {
    const out = { edgeFlows: new Float64Array(cc.numSumParams).fill(7), leafStats: new Float64Array(1), count: 0, logLikelihood: 0 };
    expect(code(() => batchStatisticsInto(cc, cc.params, data, out))).toBe('SHAPE_MISMATCH batchStatistics');
    expect(Array.from(out.edgeFlows).every((v) => v === 7)).toBe(true);
    expect(code(() => batchStatisticsInto(cc, cc.params, data, null as never))).toBe('SHAPE_MISMATCH batchStatistics');
    expect(batchStatisticsInto(cc, cc.params, data, emptyStatistics(cc)).count).toBe(4);
  });

  test('query options reject unknown keys with the closest known one', () => {
    expect(unknownKeyProblem(() => logLikelihood(cc, cc.params, data, { thread: 2 } as never), 'logLikelihood', 'thread', 'threads')).toBeUndefined();
    expect(unknownKeyProblem(() => posteriors(cc, cc.params, data, { misssing: undefined } as never), 'posteriors', 'misssing', 'missing')).toBeUndefined();
    expect(unknownKeyProblem(() => nodeFlows(cc, cc.params, data, { chek: false } as never), 'nodeFlows', 'chek', 'check')).toBeUndefined();
    expect(unknownKeyProblem(() => sample(cc, cc.params, key(0), 2, { checks: true } as never), 'sample', 'checks', 'check')).toBeUndefined();
  });
});
