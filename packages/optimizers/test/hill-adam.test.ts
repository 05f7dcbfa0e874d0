import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { adam, cloneState, hillAdam, minimize, type HillAdamConfig } from '@descent/optimizers';
import {
  hillAdamBestTracking,
  hillAdamDeterminism,
  hillAdamPlateauStall,
  hillAdamPrefixIsAdam,
  hillAdamResetStep,
  hillAdamSignSymmetry,
  stepIntoMatchesStep,
  stepNeverMutatesInputs,
} from '@descent/optimizers/laws';
import { vec } from './arbitraries.js';

const configs: fc.Arbitrary<HillAdamConfig> = fc.record({
  lr: fc.double({ min: 0, max: 0.5, noNaN: true }),
  delta: fc.constantFrom(1e-4, 0.5),
  gammaHi: fc.constantFrom(200, 3),
  gammaLo: fc.constantFrom(-1e4, -3),
  direction: fc.constantFrom('min' as const, 'max' as const),
});
// Losses from a small set, so plateaus and bound hits happen often.
const runs = fc.tuple(configs, fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 10 })).chain(([config, n, steps]) =>
  fc.record({
    config: fc.constant(config),
    x0: vec(n),
    obs: fc.array(fc.record({ value: fc.constantFrom(-5, 0, 0.2, 1, 1, 4, 250), grad: vec(n) }), { minLength: steps, maxLength: steps }),
  }),
);

describe('Hill-ADAM laws (spec §1(d))', () => {
  test('1. Adam-prefix equivalence (bit-identical)', () => fc.assert(hillAdamPrefixIsAdam(), { numRuns: 150 }));
  test('2. reset step moves each coordinate by α|g|/(|g|+ε) < α', () => fc.assert(hillAdamResetStep(), { numRuns: 150 }));
  test('3. sign symmetry (exact)', () => fc.assert(hillAdamSignSymmetry(), { numRuns: 150 }));
  test('4. best tracking', () => fc.assert(hillAdamBestTracking(), { numRuns: 200 }));
  test('5. determinism', () => fc.assert(hillAdamDeterminism(), { numRuns: 100 }));
  test('6. plateau stall: steps/2 flips in 5000 steps, no basin reached', () => fc.assert(hillAdamPlateauStall(5000), { numRuns: 8 }));
  test('step never mutates inputs', () => fc.assert(stepNeverMutatesInputs(hillAdam, runs), { numRuns: 100 }));
  test('stepInto bit-identical to step', () => fc.assert(stepIntoMatchesStep(hillAdam, runs), { numRuns: 100 }));
});

describe('Hill-ADAM mechanics', () => {
  test('spec §1(d)6 exactly: x0 = −3 gives 2500 flips in 5000 steps', () => {
    const f = (x: number) => -Math.exp(-((x - 1) ** 2)) - 2 * Math.exp(-((x - 4) ** 2) / 2);
    const r = minimize(
      hillAdam,
      (x) => {
        const v = x[0]!;
        return { value: f(v), grad: new Float64Array([2 * (v - 1) * Math.exp(-((v - 1) ** 2)) + 2 * (v - 4) * Math.exp(-((v - 4) ** 2) / 2)]) };
      },
      { config: { lr: 1e-2 }, x0: new Float64Array([-3]), maxSteps: 5000 },
    );
    expect(r.state.flips).toBe(2500);
    // Stalled: within 5·lr of the start after 5000 steps (measured drift 0.02), 4 away from the basin.
    expect(Math.abs(r.state.x[0]! + 3)).toBeLessThanOrEqual(0.05);
  });
  test('spec §1(d)7 replay: tilted double well from 4.5 — Hill-ADAM best 2.9307 vs Adam 2.9241 (no escape)', () => {
    const f = (x: number) => ((x - 2.1) ** 2 - 1) ** 2 + 0.3 * x + 2;
    const df = (x: number) => 4 * ((x - 2.1) ** 2 - 1) * (x - 2.1) + 0.3;
    const oracle = (x: Float64Array) => ({ value: f(x[0]!), grad: new Float64Array([df(x[0]!)]) });
    const hill = minimize(hillAdam, oracle, { config: { lr: 1e-2 }, x0: new Float64Array([4.5]), maxSteps: 5000 }).state;
    const plain = minimize(adam, oracle, { config: { lr: 1e-2 }, x0: new Float64Array([4.5]), maxSteps: 5000 }).state;
    // The spec's figures are quoted to 4 decimals.
    expect(hill.best).toBeCloseTo(2.9307, 4);
    expect(f(plain.x[0]!)).toBeCloseTo(2.9241, 4);
    expect(f(hill.bestX[0]!)).toBe(hill.best);
  });
  test('a loss above γ_hi forces descent and resets once; staying above does not reset again', () => {
    let s = hillAdam.init({ lr: 0.1, direction: 'max' }, new Float64Array([0]));
    const g = new Float64Array([1]);
    s = hillAdam.step(s, { value: 300, grad: g });
    expect([s.direction, s.resets, s.k, s.prev]).toEqual(['min', 1, 1, null]);
    s = hillAdam.step(s, { value: 400, grad: g });
    expect([s.direction, s.resets, s.k]).toEqual(['min', 1, 2]);
    s = hillAdam.step(s, { value: 100, grad: g });
    s = hillAdam.step(s, { value: -2e4, grad: g });
    expect([s.direction, s.resets, s.k]).toEqual(['max', 2, 1]);
  });
  test('bad input → DescentError, state untouched', () => {
    const s = hillAdam.step(hillAdam.init({ lr: 0.1 }, new Float64Array([1, 2])), { value: 1, grad: new Float64Array([1, 1]) });
    const before = cloneState(s);
    expect(() => hillAdam.step(s, { value: NaN, grad: new Float64Array(2) })).toThrow(expect.objectContaining({ code: 'NON_FINITE' }));
    expect(() => hillAdam.step(s, { value: 1, grad: new Float64Array([Infinity, 0]) })).toThrow(expect.objectContaining({ code: 'NON_FINITE' }));
    expect(() => hillAdam.step(s, { value: 1, grad: new Float64Array(3) })).toThrow(expect.objectContaining({ code: 'SHAPE_MISMATCH' }));
    expect(() => hillAdam.init({ lr: -1 }, new Float64Array(2))).toThrow(expect.objectContaining({ code: 'INVALID_CONFIG' }));
    expect(() => hillAdam.init({ gammaLo: 5, gammaHi: 1 }, new Float64Array(2))).toThrow(expect.objectContaining({ code: 'INVALID_CONFIG' }));
    expect(() => minimize(hillAdam, (x) => new Float64Array(x.length), { state: s, maxSteps: 1 })).toThrow(expect.objectContaining({ code: 'INVALID_CONFIG' }));
    expect(s).toEqual(before);
  });
});
