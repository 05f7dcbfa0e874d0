import { describe, expect, test } from 'vitest';
import { fromRows, key } from '@descent/linalg';
import { thrownError } from '@descent/linalg/laws';
import { adamCircuit, anemone, batchStatistics, compile, miniBatchEm, mixtureOfBernoullis, type AnemoneState, type EmState } from '@descent/circuits';

// What the API fuzz of the learners' methods (test/fuzz.test.ts, `members`) found: step/stepInto read
// state fields and wrote out's buffers unchecked (a short out was silently truncated, an out aliasing
// the statistics was read after being overwritten, a hand-edited stepSize was stepped with).

const cc = compile(mixtureOfBernoullis(3, 2, { key: key(1), perturbation: 0.5 }));
const data = fromRows([[0, 1, 1], [1, 0, 1], [1, 1, 0], [0, 0, 0], [1, 1, 1]]);
const stats = () => batchStatistics(cc, cc.params, data);

describe('learner states and outs are checked before anything is written', () => {
  test('miniBatchEm.stepInto: a short out.x, or one aliasing the statistics, is rejected and nothing is written', () => {
    const s = miniBatchEm.init({ circuit: cc, stepSize: 0.3 }, cc.params);
    const short: EmState = { ...s, x: new Float64Array(3), query: new Float64Array(3) };
    expect(thrownError(() => miniBatchEm.stepInto(s, stats(), short))).toMatchObject({ code: 'SHAPE_MISMATCH', message: expect.stringMatching(/^miniBatchEm\.stepInto: out\.x must be a Float64Array of length/) });
    expect(Array.from(short.x)).toEqual([0, 0, 0]);
    const st = stats();
    const big = new Float64Array(st.edgeFlows.length + cc.numParams);
    big.set(st.edgeFlows);
    const aliasedStats = { ...st, edgeFlows: big.subarray(0, st.edgeFlows.length) };
    const aliased: EmState = { ...s, x: big.subarray(0, cc.numParams), query: big.subarray(0, cc.numParams) };
    expect(thrownError(() => miniBatchEm.stepInto(s, aliasedStats, aliased)).code).toBe('INVALID_CONFIG');
    expect(Array.from(big.subarray(0, st.edgeFlows.length))).toEqual(Array.from(st.edgeFlows));
  });

  test('a state whose step size or parameters were edited out of range is rejected (was stepped with)', () => {
    const s = miniBatchEm.init({ circuit: cc, stepSize: 0.3 }, cc.params);
    expect(thrownError(() => miniBatchEm.step({ ...s, stepSize: 2 }, stats())).code).toBe('INVALID_STATE');
    const x = Float64Array.from(s.x);
    x[0] = -0.5;
    expect(thrownError(() => miniBatchEm.step({ ...s, x, query: x }, stats())).code).toBe('DOMAIN');
  });

  test('anemone: momentum buffers of the wrong length (state or out) are SHAPE_MISMATCH naming the method', () => {
    const s = anemone.init({ circuit: cc, stepSize: 0.5, momentum: 0.9 }, cc.params);
    expect(thrownError(() => anemone.step({ ...s, edgeMomentum: new Float64Array(1) }, stats())).message).toMatch(/^anemone\.step: state\.edgeMomentum/);
    const out: AnemoneState = { ...anemone.init({ circuit: cc, stepSize: 0.5, momentum: 0.9 }, cc.params), leafMomentum: new Float64Array(2) };
    expect(thrownError(() => anemone.stepInto(s, stats(), out)).message).toMatch(/^anemone\.stepInto: out\.leafMomentum/);
  });

  test('adamCircuit.stepInto: an out sharing its Adam state with the state is rejected before out.grad is written', () => {
    const s = adamCircuit.init({ circuit: cc, lr: 0.05 }, cc.params);
    const out = { ...adamCircuit.init({ circuit: cc, lr: 0.05 }, cc.params), adam: s.adam };
    const before = Float64Array.from(out.grad);
    expect(thrownError(() => adamCircuit.stepInto(s, stats(), out)).code).toBe('INVALID_CONFIG');
    expect(out.grad).toEqual(before);
  });
});
