import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { chain, cosineDecaySchedule, fromTransform, linearSchedule, scaleByAdam, scaleByLearningRate, sgd, warmupCosineDecaySchedule } from '@descent/optimizers';
import { firstDifference, stepIntoMatchesStep } from '@descent/optimizers/laws';
import { vec } from './arbitraries.js';

describe('schedules (optax definitions)', () => {
  test('known values', () => {
    const lin = linearSchedule({ init: 1, end: 0.1, steps: 9, begin: 3 });
    expect([lin(0), lin(3), lin(6), lin(12), lin(100)].map((v) => +v.toFixed(12))).toEqual([1, 1, 0.7, 0.1, 0.1]);
    const cos = cosineDecaySchedule({ init: 1, steps: 4, alpha: 0.2 });
    expect([cos(0), cos(2), cos(4), cos(9)].map((v) => +v.toFixed(12))).toEqual([1, 0.6, 0.2, 0.2]);
    const w = warmupCosineDecaySchedule({ init: 0.1, peak: 1, warmupSteps: 4, decaySteps: 14, end: 0.5 });
    expect([w(0), w(2), w(4), w(9), w(14), w(99)].map((v) => +v.toFixed(12))).toEqual([0.1, 0.55, 1, 0.75, 0.5, 0.5]);
  });
  test('linear stays between its ends and is monotone; cosine stays in [α·init, init] and decreases', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 10, noNaN: true }), fc.double({ min: 0, max: 10, noNaN: true }), fc.integer({ min: 1, max: 100 }), fc.integer({ min: 0, max: 200 }), (a, b, steps, k) => {
        const s = linearSchedule({ init: a, end: b, steps });
        const lo = Math.min(a, b) - 1e-12, hi = Math.max(a, b) + 1e-12;
        expect(s(k) >= lo && s(k) <= hi).toBe(true);
        expect((s(k + 1) - s(k)) * (b - a)).toBeGreaterThanOrEqual(-1e-12);
        const c = cosineDecaySchedule({ init: a, steps, alpha: 0.1 });
        expect(c(k) >= 0.1 * a - 1e-12 && c(k) <= a + 1e-12).toBe(true);
        expect(c(k + 1)).toBeLessThanOrEqual(c(k) + 1e-12);
      }),
      { numRuns: 200 },
    );
  });
  test('bad schedule parameters → INVALID_CONFIG', () => {
    expect(() => linearSchedule({ init: 1, end: 0, steps: 0 })).toThrow(expect.objectContaining({ code: 'INVALID_CONFIG' }));
    expect(() => cosineDecaySchedule({ init: NaN, steps: 3 })).toThrow(expect.objectContaining({ code: 'INVALID_CONFIG' }));
    expect(() => warmupCosineDecaySchedule({ init: 0, peak: 1, warmupSteps: 5, decaySteps: 5 })).toThrow(expect.objectContaining({ code: 'INVALID_CONFIG' }));
  });
});

describe('scaleByLearningRate with a schedule', () => {
  test('a scheduled SGD chain equals SGD with the lr changed by hand each step', () => {
    const schedule = linearSchedule({ init: 0.2, end: 0.02, steps: 10 });
    const m = fromTransform(chain(scaleByLearningRate(schedule)));
    let a = m.init({}, new Float64Array([1, -2]));
    let x: Float64Array = new Float64Array([1, -2]);
    for (let k = 0; k < 15; k++) {
      const g = new Float64Array([x[0]!, 2 * x[1]!]);
      a = m.step(a, Float64Array.from([a.x[0]!, 2 * a.x[1]!]));
      x = sgd.step(sgd.init({ lr: schedule(k) }, x), g).x;
      expect(firstDifference(a.x, x)).toBeUndefined();
    }
  });
  test('stepInto is bit-identical to step with a schedule in the chain', () => {
    const m = fromTransform(chain(scaleByAdam(), scaleByLearningRate(warmupCosineDecaySchedule({ init: 0, peak: 0.1, warmupSteps: 2, decaySteps: 8 }))));
    const runs = fc.integer({ min: 1, max: 5 }).chain((n) => fc.record({ config: fc.constant({}), x0: vec(n), obs: fc.array(vec(n), { minLength: 1, maxLength: 10 }) }));
    fc.assert(stepIntoMatchesStep(m, runs), { numRuns: 60 });
  });
  test('a schedule that goes negative is rejected at that step; the state given is untouched', () => {
    const m = fromTransform(chain(scaleByLearningRate((k) => 0.1 - 0.1 * k)));
    const s1 = m.step(m.init({}, new Float64Array([1])), new Float64Array([1]));
    const s2 = m.step(s1, new Float64Array([1])); // lr = 0 at step 1
    expect(s2.x[0]).toBe(s1.x[0]);
    expect(() => m.step(s2, new Float64Array([1]))).toThrow(expect.objectContaining({ code: 'INVALID_CONFIG' }));
    expect(() => scaleByLearningRate('fast' as never)).toThrow(expect.objectContaining({ code: 'INVALID_CONFIG' }));
  });
});
