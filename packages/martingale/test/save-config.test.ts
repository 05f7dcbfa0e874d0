import { describe, expect, test } from 'vitest';
import { unknownKeyProblem, thrownCode } from '@descent/linalg/laws';
import fc from 'fast-check';
import { DescentError, key, serialize } from '@descent/linalg';
import {
  adaptPrompt, averageRunLength, bettingConfidenceSequence, bettingLogCapital, crossingFrequency, deserializeDetector, detectorStateFromJSON,
  detectorStateToJSON, initDetector, integrateUnitInterval, mFisherToy, normalLogMixture, normalMixtureBound, normalizeBetting, onlinePValues,
  predmixLambdas, runMFisher, serializeDetector, step, type Betting, type DetectorConfig, type PSource,
} from '@descent/martingale';

const bits = (s: unknown) => JSON.stringify(serialize(s));

const bettings: Betting[] = [
  { kind: 'power', eps: 0.5 },
  { kind: 'mixture' },
  { kind: 'jumper', J: 0.05 },
  { kind: 'plugin', burnIn: 3, window: 5 },
  { kind: 'gaussExp', lambda: 0.5 },
  { kind: 'gaussMixture' },
  { kind: 'momentExp', lambda: 0.3, mu0: 0, sigma0: 1 },
  { kind: 'hoeffdingExp', lambda: 0.3, mu0: 0.5, a: 0, b: 1 },
];
const sources: PSource[] = [{ mode: 'online', initial: new Float64Array([0.1, 0.5, 0.9]) }, { mode: 'online' }, { mode: 'split', calib: new Float64Array([0.2, 0.4, 0.6, 0.8]) }];

const configs: fc.Arbitrary<DetectorConfig> = fc.record({
  betting: fc.constantFrom(...bettings),
  p: fc.constantFrom(...sources),
  threshold: fc.constantFrom(3, 20, 1e6),
  alarmOn: fc.constantFrom('product', 'restarted', 'cusum', 'sr'),
  onAlarm: fc.constantFrom('latch', 'reset', 'continue'),
  burnIn: fc.constantFrom(0, 2),
}) as fc.Arbitrary<DetectorConfig>;
const scores = (n: number) => fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: n, maxLength: n });

describe('detector save and resume', () => {
  test('deserializeDetector(JSON of serializeDetector(s)) steps bit-identically to s (every bettor, source, statistic, policy)', () => {
    fc.assert(
      fc.property(configs, fc.nat(2 ** 31), fc.integer({ min: 0, max: 12 }).chain((n) => scores(n)), scores(8), (cfg, seed, before, after) => {
        let s = initDetector(cfg, key(seed));
        for (const z of before) s = step(s, z);
        let r = deserializeDetector(JSON.parse(JSON.stringify(serializeDetector(s))));
        expect(bits(r)).toBe(bits(s));
        for (const z of after) {
          s = step(s, z);
          r = step(r, z);
        }
        expect(bits(r)).toBe(bits(s));
        // detectorStateToJSON writes the same format, detectorStateFromJSON reads it
        expect(bits(detectorStateFromJSON(JSON.parse(JSON.stringify(detectorStateToJSON(s)))))).toBe(bits(s));
      }),
      { numRuns: 150 },
    );
  });

  test('a foreign, corrupted or inconsistent value is INVALID_STATE', () => {
    let s = initDetector({ p: { mode: 'online' }, betting: { kind: 'plugin', burnIn: 2, window: 4 }, threshold: 20, alarmOn: 'sr', onAlarm: 'reset' }, key(1));
    for (const z of [0.1, 0.7, 0.3, 0.9, 0.5]) s = step(s, z);
    const code = (v: unknown) => thrownCode(() => deserializeDetector(v));
    const bad = (patch: Record<string, unknown>) => JSON.parse(JSON.stringify(serialize({ ...s, ...patch }, 'detector')));
    expect(code(JSON.parse(JSON.stringify(serializeDetector(s))))).toBe('none');
    expect(code(serialize(s, 'sgd'))).toBe('INVALID_STATE');
    expect(code(JSON.parse(JSON.stringify(s)))).toBe('INVALID_STATE');
    expect(code(bad({ bet: new Float64Array(2) }))).toBe('INVALID_STATE');
    expect(code(bad({ t: -1 }))).toBe('INVALID_STATE');
    expect(code(bad({ t: 2.5 }))).toBe('INVALID_STATE');
    expect(code(bad({ logM: 'high' }))).toBe('INVALID_STATE');
    expect(code(bad({ historyCount: 1000 }))).toBe('INVALID_STATE');
    expect(code(bad({ historyRoot: 99 }))).toBe('INVALID_STATE');
    expect(code(bad({ history: new Float64Array(3) }))).toBe('INVALID_STATE');
    expect(code(bad({ key: [1, -1] }))).toBe('INVALID_STATE');
    expect(code(bad({ alarmTimes: [99] }))).toBe('INVALID_STATE');
    expect(code(bad({ extra: 1 }))).toBe('INVALID_STATE');
    expect(code(bad({ config: { ...s.config, threshold: 0.5 } }))).toBe('INVALID_STATE');
    expect(code(bad({ config: { ...s.config, betting: { kind: 'plugin', burnIn: 2, window: 9 } } }))).toBe('INVALID_STATE');
  });
});

describe('strict configs', () => {
  const rejects = (f: () => unknown, where: string, bad: string, near?: string) => expect(unknownKeyProblem(f, where, bad, near)).toBeUndefined();
  const cfg: DetectorConfig = { p: { mode: 'online' }, betting: { kind: 'jumper' }, threshold: 20, alarmOn: 'product', onAlarm: 'latch' };

  test('initDetector rejects an unknown key in the config, the p-value source and every bettor', () => {
    rejects(() => initDetector({ ...cfg, treshold: 20 } as never), 'detector', 'treshold', 'threshold');
    rejects(() => initDetector({ ...cfg, p: { mode: 'online', tie: 'conservative' } } as never), 'detector', 'tie', 'ties');
    rejects(() => initDetector({ ...cfg, p: { mode: 'split', calib: new Float64Array([1]), calibration: 1 } } as never), 'detector', 'calibration', 'calib');
    rejects(() => initDetector({ ...cfg, p: { mode: 'given', ties: 'randomized' } } as never), 'detector', 'ties', 'mode');
    for (const b of bettings) {
      const extra = { ...b, lamda: 1 };
      rejects(() => initDetector({ ...cfg, p: { mode: 'given' }, betting: extra } as never), 'detector', 'lamda', 'lambda' in b ? 'lambda' : undefined);
      expect(() => normalizeBetting(extra as never, 'f')).toThrow(DescentError);
    }
    expect(() => initDetector(null as never)).toThrow(DescentError);
    expect(() => initDetector([cfg] as never)).toThrow(DescentError);
  });

  test('every options object of the package rejects an unknown key', () => {
    const x = [0.2, 0.4, 0.6];
    rejects(() => predmixLambdas(x, { alpah: 0.1 } as never), 'predmixLambdas', 'alpah', 'alpha');
    rejects(() => bettingLogCapital(x, 0.5, { thetta: 0.5 } as never), 'bettingLogCapital', 'thetta', 'theta');
    rejects(() => bettingConfidenceSequence(x, { break: 10 } as never), 'bettingConfidenceSequence', 'break', 'breaks');
    rejects(() => adaptPrompt(null as never, new Float64Array(1), null as never, { stesp: 1 } as never), 'adaptPrompt', 'stesp', 'steps');
    rejects(() => runMFisher({ modle: null } as never, null as never), 'runMFisher', 'modle', 'model');
    rejects(() => mFisherToy({ sed: 1 } as never), 'mFisherToy', 'sed', 'seed');
    rejects(() => crossingFrequency(cfg, { runs: 1, key: key(0), horizon: 2, horizn: 2 } as never), 'crossingFrequency', 'horizn', 'horizon');
    rejects(() => averageRunLength(cfg, { runs: 1, key: key(0), maxSteps: 2, maxStep: 2 } as never), 'averageRunLength', 'maxStep', 'maxSteps');
    rejects(() => normalLogMixture(0, 1, { vOpt: 1, oneside: true } as never), 'normalLogMixture', 'oneside', 'oneSided');
    rejects(() => normalMixtureBound(1, 0.05, { vopt: 1 } as never), 'normalMixtureBound', 'vopt', 'vOpt');
    rejects(() => onlinePValues([1], [0.5], { inital: [1] } as never), 'onlinePValues', 'inital', 'initial');
    rejects(() => integrateUnitInterval((p) => p, { maxlevel: 3 } as never), 'integrateUnitInterval', 'maxlevel', 'maxLevel');
  });
});
