import { describe, expect, test } from 'vitest';
import { cloneDetectorState, initDetector, step, stepInto, type DetectorConfig } from '@descent/martingale';
import { thrownCode } from '@descent/linalg/laws';

// What the API fuzz of the detector's methods (test/fuzz.test.ts, `members`) found: stepInto wrote the
// state's configuration into `out` before checking the score, so a rejected step changed `out`.

const v = (...xs: number[]) => Float64Array.from(xs);
const split = (threshold: number): DetectorConfig =>
  ({ p: { mode: 'split', calib: v(0.1, 0.2, 0.5, 0.7, 0.9) }, betting: { kind: 'power', eps: 0.5 }, threshold, alarmOn: 'sr', onAlarm: 'continue' }) as unknown as DetectorConfig;

describe('detector stepInto checks everything before writing out', () => {
  test('a bad score leaves out (a state of another threshold) exactly as it was', () => {
    const s = step(initDetector(split(50), 1), 0.3);
    const out = initDetector(split(20), 2);
    const config = out.config;
    const key = out.key;
    for (const score of [NaN, Infinity, 'x' as unknown as number]) expect(thrownCode(() => stepInto(s, score, out))).toBe('NON_FINITE');
    expect(out.config).toBe(config);
    expect(out.key).toBe(key);
    expect(stepInto(s, 0.6, out).logM).toBe(step(s, 0.6).logM);
  });

  test('an out sharing its bettor buffer with the state is rejected (it would write the state); the state itself is the in-place form', () => {
    const mixture = { p: { mode: 'given' }, betting: { kind: 'mixture', eps: [0.2, 0.5] }, threshold: 100, alarmOn: 'product', onAlarm: 'latch' } as unknown as DetectorConfig;
    const s = step(initDetector(mixture), 0.2);
    const before = Float64Array.from(s.bet);
    const out = { ...cloneDetectorState(s), bet: s.bet };
    expect(thrownCode(() => stepInto(s, 0.01, out))).toBe('INVALID_CONFIG');
    expect(s.bet).toEqual(before);
    expect(stepInto(s, 0.01, s).t).toBe(2);
  });

  test('a step count beyond 2^53 is rejected (its p-value stream key would not be exact)', () => {
    const s = step(initDetector(split(50), 1), 0.3);
    expect(thrownCode(() => step({ ...s, t: 1e308 }, 0.5))).toBe('SHAPE_MISMATCH');
  });
});
