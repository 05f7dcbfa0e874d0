// Behaviour fixes found by the API fuzz (test/fuzz.test.ts), each pinned by a focused test.
import { describe, expect, test } from 'vitest';
import { DescentError, key } from '@descent/linalg';
import { thrownCode, thrownError } from '@descent/linalg/laws';
import {
  adam, cloneState, diagonalFisherEmaInto, egdDirectionInto, iterate, minimize, muon, o2nc, odog, racsDirectionInto, sgd,
  type MuonState, type SgdState,
} from '@descent/optimizers';

const v = (...xs: number[]) => Float64Array.from(xs);
describe('a state is checked before stepInto writes into out', () => {
  test('sgd: a state without lr (or with lr = NaN) is rejected and out keeps its contents', () => {
    const s = sgd.init({ lr: 0.1, momentum: 0.9 }, v(1, 2));
    const out = cloneState(s);
    out.x.fill(7);
    for (const bad of [{ ...s, lr: undefined }, { ...s, lr: NaN }, { ...s, momentum: 'x' }, { ...s, buf: null }]) {
      expect(thrownCode(() => sgd.stepInto!(bad as unknown as SgdState, v(1, 1), out))).not.toBe('none');
      expect(Array.from(out.x)).toEqual([7, 7]);
    }
  });

  test('adam: a hyperparameter of the wrong type and a missing buffer are DescentErrors, not NaN or TypeError', () => {
    const s = adam.init({ lr: 0.1 }, v(1, 2));
    expect(thrownCode(() => adam.step({ ...s, beta1: 'x' as never }, v(1, 1)))).toBe('INVALID_STATE');
    expect(thrownCode(() => adam.step({ ...s, vMax: undefined as never }, v(1, 1)))).toBe('SHAPE_MISMATCH');
    expect(thrownCode(() => adam.pingPongStates!(null as never))).toBe('SHAPE_MISMATCH');
  });

  test('muon: inner buffers of the wrong length are rejected before the transform reads them', () => {
    const layout = [{ name: 'W', shape: [2, 2] }];
    const s = muon.init({ layout, lr: 0.1, orthogonalizer: 'svd' }, v(1, 0, 0, 1));
    const edited = structuredClone(s) as MuonState;
    (edited.inner as unknown as { blocks: { parts: { buf: Float64Array }[] }[] }).blocks[0]!.parts[0]!.buf = new Float64Array(1);
    expect(thrownCode(() => muon.step(edited, v(1, 1, 1, 1)))).toBe('SHAPE_MISMATCH');
    const out = cloneState(s);
    out.x.fill(5);
    expect(thrownCode(() => muon.stepInto!(edited, v(1, 1, 1, 1), out))).toBe('SHAPE_MISMATCH');
    expect(Array.from(out.x)).toEqual([5, 5, 5, 5]);
  });

  test('o2nc and odog: a malformed state or out is a DescentError naming the method', () => {
    const s = o2nc.init({ radius: 0.1, lr: 0.05, window: 5 }, v(1, 2), key(3));
    expect(thrownError(() => o2nc.step({ ...s, anchor: new Float64Array(1) }, v(1, 1))).where).toBe('o2nc.step');
    expect(thrownError(() => o2nc.stepInto!(s, v(1, 1), { ...s, delta: null } as never)).where).toBe('o2nc.stepInto');
    const d = odog.init({ radius: 0.1, lr: 0.05, window: 5 }, v(1, 2));
    expect(thrownError(() => odog.step({ ...d, hint: undefined } as never, v(1, 1))).where).toBe('odog.step');
  });
});

describe('arguments checked at the boundary', () => {
  test('a PRNG key of [NaN, 7] is rejected by o2nc.init', () => {
    expect(thrownCode(() => o2nc.init({ radius: 0.1, lr: 0.05, window: 5 }, v(1), [NaN, 7] as never))).toBe('INVALID_CONFIG');
  });

  test('iterate checks its arguments when called, not at the first next()', () => {
    expect(thrownCode(() => iterate(null as never, (x) => x, { config: { lr: 0.1 }, x0: v(1), steps: 1 }))).toBe('INVALID_CONFIG');
    expect(thrownCode(() => iterate(sgd, (x) => x, { config: { lr: 0.1 }, x0: v(1), steps: -1 }))).toBe('INVALID_CONFIG');
  });

  test('minimize with a trace rejects maxSteps above the allocation limit before allocating it', () => {
    const oracle = (x: Float64Array) => ({ value: 0, grad: x.slice() });
    expect(thrownCode(() => minimize(sgd, oracle, { config: { lr: 0.1 }, x0: v(1), maxSteps: 1e9, trace: true }))).toBe('SHAPE_MISMATCH');
    expect(thrownCode(() => minimize(sgd, oracle, { config: { lr: 0.1 }, x0: v(1), maxSteps: 1e308 }))).toBe('INVALID_CONFIG');
  });

  test('a matrix whose shape lies about its data is a SHAPE_MISMATCH (egdDirectionInto used to loop)', () => {
    const liar = { rows: 1e9, cols: 1e9, data: new Float64Array(4) };
    const out = { rows: 2, cols: 2, data: new Float64Array(4) };
    expect(thrownCode(() => egdDirectionInto(liar, out))).toBe('SHAPE_MISMATCH');
    expect(thrownCode(() => racsDirectionInto(liar, out))).toBe('SHAPE_MISMATCH');
  });

  test('errors name the function that was called', () => {
    const m = { rows: 2, cols: 2, data: v(1, 2, 3, 4) };
    expect(thrownError(() => racsDirectionInto(m, { rows: 1, cols: 2, data: new Float64Array(2) })).where).toBe('racsDirectionInto');
    expect(thrownError(() => diagonalFisherEmaInto(v(1), v(1), 2, new Float64Array(1))).where).toBe('diagonalFisherEmaInto');
  });

  test('cloneState of something that is not plain data is INVALID_STATE, not a DataCloneError', () => {
    expect(thrownCode(() => cloneState({ x: v(1), f: () => 1 }))).toBe('INVALID_STATE');
  });
});
