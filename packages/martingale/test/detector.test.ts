import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { key } from '@descent/linalg';
import {
  detector,
  cloneDetectorState,
  initDetector,
  resetDetector,
  scanDetector,
  step,
  stepInto,
  validityOf,
  villeThreshold,
  arlThreshold,
  restartedDelayBound,
  type DetectorConfig,
} from '@descent/martingale';
import { momentExpMatchesGaussExp, statisticsNonnegativeFinite, stepIsPureAndDeterministic } from '@descent/martingale/laws';
import { fixture } from './fixtures.js';

const f = fixture<{ lambda: number; p: number[]; logM: number[]; logCusum: number[]; logSR: number[]; logRestarted: number[] }>('statistics.json');
const base: DetectorConfig = { p: { mode: 'given' }, betting: { kind: 'gaussExp', lambda: 1 }, threshold: 1e300, alarmOn: 'product', onAlarm: 'continue' };

describe('statistics vs their unrolled definitions (NumPy)', () => {
  test('product, CUSUM = max_i M_t/M_i, SR = Σ_i M_t/M_i, restarted = Σ_k π_k Π_{k..t} g + 1/(t+1)', () => {
    let s = initDetector(base);
    f.p.forEach((p, i) => {
      s = step(s, p);
      expect(s.logM).toBeCloseTo(f.logM[i]!, 10);
      expect(s.logCusum).toBeCloseTo(f.logCusum[i]!, 10);
      expect(s.logSR).toBeCloseTo(f.logSR[i]!, 10);
      expect(s.logRestarted).toBeCloseTo(f.logRestarted[i]!, 10);
    });
  });
  test('CUSUM ≤ SR pathwise, restarted ≥ π₁ M_t = M_t / 2, and statistics start at M0 = 1, C0 = R0 = 0', () => {
    const s0 = initDetector(base);
    expect([s0.logM, s0.logRestarted, s0.logCusum, s0.logSR]).toEqual([0, 0, -Infinity, -Infinity]);
    let s = s0;
    for (const p of f.p) {
      s = step(s, p);
      expect(s.logCusum).toBeLessThanOrEqual(s.logSR + 1e-12);
      expect(s.logRestarted).toBeGreaterThanOrEqual(s.logM - Math.LN2 - 1e-12);
    }
  });
});

describe('alarm rules, burn-in and policies', () => {
  const small = Array(10).fill(1e-4);
  const cfg = (o: Partial<DetectorConfig>): DetectorConfig => ({ ...base, betting: { kind: 'power', eps: 0.5 }, threshold: 100, ...o });
  // log g(1e-4) = log 0.5 + 0.5 log 1e4 = 3.912: M crosses 100 (4.605) at the 2nd step.
  test('latch: the first crossing is recorded once and the alarm stays raised', () => {
    const r = scanDetector(initDetector(cfg({ onAlarm: 'latch' })), [...small, 0.9, 0.9]);
    expect(r.firstAlarm).toBe(1);
    expect(r.state.alarmTimes).toEqual([2]);
    expect(r.state.alarm).toBe(true);
  });
  test('reset: statistics restart after each alarm, so alarms come every 2 steps', () => {
    const r = scanDetector(initDetector(cfg({ onAlarm: 'reset' })), small);
    expect(r.state.alarmTimes).toEqual([2, 4, 6, 8, 10]);
    expect(r.state.logM).toBe(0);
    expect(r.state.tSinceReset).toBe(0);
  });
  test('continue: each upward crossing is recorded once', () => {
    const ps = [1e-4, 1e-4, 1e-4, ...Array(14).fill(0.999), 1e-4, 1e-4, 1e-4, 1e-4];
    let s = initDetector(cfg({ onAlarm: 'continue' }));
    const above: boolean[] = [];
    for (const p of ps) {
      s = step(s, p);
      above.push(s.logM >= Math.log(100));
    }
    const ups = above.map((a, i) => (a && !(above[i - 1] ?? false) ? i + 1 : 0)).filter((t) => t > 0);
    expect(ups.length).toBeGreaterThanOrEqual(2);
    expect(s.alarmTimes).toEqual(ups);
  });
  test('resetDetector clears the latch so a latched detector can alarm again; the alarm record is kept', () => {
    const r = scanDetector(initDetector(cfg({ onAlarm: 'latch' })), small);
    expect(r.state.alarmTimes).toEqual([2]);
    const again = scanDetector(resetDetector(r.state), small.slice(0, 3));
    expect(again.state.alarmTimes).toEqual([2, 12]);
    expect(again.firstAlarm).toBe(1);
  });
  test('burn-in suppresses alarms during the first observations', () => {
    const r = scanDetector(initDetector(cfg({ onAlarm: 'latch', burnIn: 5 })), small);
    expect(r.state.alarmTimes).toEqual([6]);
  });
  test('each statistic can raise the alarm', () => {
    for (const alarmOn of ['product', 'restarted', 'cusum', 'sr'] as const) {
      const r = scanDetector(initDetector(cfg({ onAlarm: 'latch', alarmOn })), small);
      expect(r.firstAlarm).toBeGreaterThan(0);
    }
  });
  test('online reset clears the score history; resetDetector can re-calibrate', () => {
    let s = initDetector({ ...cfg({ onAlarm: 'reset' }), p: { mode: 'online' } }, key(1));
    for (let i = 0; i < 5; i++) s = step(s, i);
    expect(s.historyCount).toBe(5);
    const r = resetDetector(s);
    expect(r.historyCount).toBe(0);
    expect(r.t).toBe(5);
    const c = resetDetector(initDetector({ ...cfg({}), p: { mode: 'split', calib: Float64Array.from([1, 2]) } }), [5, 4, 3]);
    expect(c.config.p?.mode === 'split' && Array.from(c.config.p.calib)).toEqual([3, 4, 5]);
    expect(c.config.p?.mode === 'split' && Array.from(c.config.p.index!.starts)).toEqual([0, 1, 2, 3]);
  });
});

describe('the detector as a step-contract value', () => {
  test('detector.init/step/stepInto are the functions', () => {
    const s = detector.init(base, key(2));
    expect(detector.step(s, 0.3).logM).toBe(step(s, 0.3).logM);
    expect(detector.stepInto(s, 0.3, cloneDetectorState(s)).logM).toBe(step(s, 0.3).logM);
  });
});

describe('validity labels', () => {
  test('split p-values are monitoring; online product/restarted are Ville; CUSUM/SR are ARL; momentExp is monitoring', () => {
    const b = { kind: 'power', eps: 0.5 } as const;
    expect(validityOf({ p: { mode: 'split', calib: new Float64Array(1000) }, betting: b, threshold: 20, alarmOn: 'product', onAlarm: 'latch' })).toBe('monitoring');
    expect(initDetector({ p: { mode: 'online' }, betting: b, threshold: 20, alarmOn: 'restarted', onAlarm: 'latch' }).validity).toBe('ville');
    expect(initDetector({ p: { mode: 'online' }, betting: b, threshold: 20, alarmOn: 'sr', onAlarm: 'latch' }).validity).toBe('arl');
    expect(initDetector({ betting: { kind: 'momentExp', lambda: 1, mu0: 0, sigma0: 1 }, threshold: 20, alarmOn: 'product', onAlarm: 'latch' }).validity).toBe('monitoring');
  });
});

describe('laws', () => {
  test('statistics are nonnegative and finite for any p in [0, 1], including 0 and 1', () => {
    fc.assert(statisticsNonnegativeFinite(), { numRuns: 200 });
  });
  test('step is pure, deterministic, serialisable, stepInto ≡ step, reset restores initial statistics', () => {
    fc.assert(stepIsPureAndDeterministic(), { numRuns: 60 });
  });
  test('moment-plug-in exponential ≡ Gaussian-exp on oracle p-values when z ~ N(0,1) exactly', () => {
    fc.assert(momentExpMatchesGaussExp(), { numRuns: 100 });
  });
  test('stepInto ping-pong over 2000 online steps equals step', () => {
    const cfg: DetectorConfig = { p: { mode: 'online' }, betting: { kind: 'jumper' }, threshold: 50, alarmOn: 'sr', onAlarm: 'reset' };
    let a = initDetector(cfg, key(9));
    let b0 = cloneDetectorState(a);
    let b1 = cloneDetectorState(a);
    for (let i = 0; i < 2000; i++) {
      const x = Math.sin(i * 0.37) + (i > 1000 ? 1 : 0);
      a = step(a, x);
      const nb = stepInto(b0, x, b1);
      b1 = b0;
      b0 = nb;
    }
    expect(b0.logSR).toBe(a.logSR);
    expect(b0.alarmTimes).toEqual(a.alarmTimes);
    expect(a.alarmTimes.length).toBeGreaterThan(0);
  });
});

describe('bad input → DescentError', () => {
  const s = initDetector(base);
  test('p outside [0, 1] → DOMAIN; non-finite score → NON_FINITE', () => {
    expect(() => step(s, 1.5)).toThrow(expect.objectContaining({ code: 'DOMAIN' }));
    expect(() => step(s, -0.1)).toThrow(expect.objectContaining({ code: 'DOMAIN' }));
    expect(() => step(s, NaN)).toThrow(expect.objectContaining({ code: 'NON_FINITE' }));
    expect(() => step(s, 1 + 1e-9)).toThrow(expect.objectContaining({ code: 'DOMAIN' }));
    expect(step(s, 1 + 1e-13).p).toBe(1); // rounding overshoot within 1e-12 is clamped
    expect(step(s, -1e-13).p).toBe(0);
    const o = initDetector({ ...base, p: { mode: 'online' } });
    expect(() => step(o, Infinity)).toThrow(expect.objectContaining({ code: 'NON_FINITE' }));
    const h = initDetector({ betting: { kind: 'hoeffdingExp', lambda: 1, mu0: 0, a: 0, b: 1 }, threshold: 20, alarmOn: 'product', onAlarm: 'latch' });
    expect(() => step(h, 2)).toThrow(expect.objectContaining({ code: 'DOMAIN' }));
  });
  test('empty calibration → SHAPE_MISMATCH; bad threshold/policy/missing p source → INVALID_CONFIG', () => {
    expect(() => initDetector({ ...base, p: { mode: 'split', calib: new Float64Array(0) } })).toThrow(expect.objectContaining({ code: 'SHAPE_MISMATCH' }));
    expect(() => initDetector({ ...base, threshold: 1 })).toThrow(expect.objectContaining({ code: 'INVALID_CONFIG' }));
    expect(() => initDetector({ ...base, onAlarm: 'explode' as never })).toThrow(expect.objectContaining({ code: 'INVALID_CONFIG' }));
    expect(() => initDetector({ betting: { kind: 'power', eps: 0.5 }, threshold: 20, alarmOn: 'product', onAlarm: 'latch' })).toThrow(expect.objectContaining({ code: 'INVALID_CONFIG' }));
  });
  test('δ outside (0, 1) → DOMAIN', () => {
    for (const d of [0, 1, -0.1, 2, NaN]) expect(() => villeThreshold(d)).toThrow(expect.objectContaining({ code: 'DOMAIN' }));
    expect(villeThreshold(0.01)).toBe(100);
    expect(() => arlThreshold(1)).toThrow(expect.objectContaining({ code: 'DOMAIN' }));
    expect(() => restartedDelayBound(1.2, 1, 1)).toThrow(expect.objectContaining({ code: 'DOMAIN' }));
  });
  test('a failed step leaves the state untouched (no half-updated state)', () => {
    const before = JSON.stringify(s);
    expect(() => step(s, 2)).toThrow();
    expect(JSON.stringify(s)).toBe(before);
  });
});
