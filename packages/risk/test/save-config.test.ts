import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { unknownKeyProblem, thrownCode } from '@descent/linalg/laws';
import { DescentError, foldIn, key, serialize } from '@descent/linalg';
import {
  customDistortion, deserializeState, discontinuousDistortion, drm, drmOfGaussian, drmOfQuantileFunction, drmSA, drmSorted, expectedShortfall,
  linearGaussianModel, quantileGrid, quantileTracker, runDrmSA,
  sampleAverageOptimize, sampleModel, serializeState, simplexSet, wangTransform, type DrmSaConfig, type DrmSaState,
} from '@descent/risk';
import { gaussianMarket } from '@descent/risk/laws';

const bits = (s: unknown) => JSON.stringify(serialize(s));
const { mean, cov } = gaussianMarket();
const model = linearGaussianModel(mean, cov);
const p = mean.length;

const configs: fc.Arbitrary<DrmSaConfig> = fc.record({
  form: fc.constantFrom('qf', 'dm', 'hybrid', 'batching'),
  distortion: fc.constantFrom(expectedShortfall(0.9), discontinuousDistortion(), wangTransform(0.5)),
  M: fc.constantFrom(4, 10),
  tailRule: fc.constantFrom('cvar', 'extrapolate'),
  sense: fc.constantFrom('min', 'max'),
  projection: fc.constantFrom(simplexSet(), { kind: 'none' } as const),
  batchSize: fc.constantFrom(5, 12),
}) as fc.Arbitrary<DrmSaConfig>;

function run(cfg: DrmSaConfig, s: DrmSaState, seed: number, from: number, steps: number): DrmSaState {
  for (let i = 0; i < steps; i++) s = drmSA.step(s, sampleModel(model, s.query, foldIn(key(seed), from + i), s.sampleSize));
  return s;
}

describe('save and resume', () => {
  test('drmSA: deserializeState(JSON of serializeState(s)) steps bit-identically to s (every form, warm-up included)', () => {
    fc.assert(
      fc.property(configs, fc.nat(1000), fc.integer({ min: 0, max: 4 }), fc.integer({ min: 1, max: 4 }), (cfg, seed, before, after) => {
        let s0: DrmSaState;
        try {
          s0 = drmSA.init(cfg, new Float64Array(p).fill(1 / p));
        } catch (e) {
          // Some distortion/form pairs are rejected by design (e.g. jumps under 'qf' on this grid).
          fc.pre(!(e instanceof DescentError && e.code === 'INVALID_CONFIG'));
          throw e;
        }
        const s = run(cfg, s0, seed, 0, before);
        const r = deserializeState<DrmSaState>(drmSA, JSON.parse(JSON.stringify(serializeState(drmSA, s))), { like: before === 0 ? s0 : undefined });
        expect(bits(r)).toBe(bits(s));
        expect(bits(run(cfg, r, seed, before, after))).toBe(bits(run(cfg, s, seed, before, after)));
      }),
      { numRuns: 40 },
    );
  });

  test('quantileTracker: a resumed state tracks bit-identically', () => {
    fc.assert(
      fc.property(fc.array(fc.array(fc.double({ min: -5, max: 5, noNaN: true }), { minLength: 3, maxLength: 3 }), { minLength: 1, maxLength: 10 }), fc.nat(9), (batches, cut) => {
        const step = (s: ReturnType<typeof quantileTracker.init>, b: number[]) => quantileTracker.step(s, Float64Array.from(b));
        let s = quantileTracker.init({ levels: new Float64Array([0.1, 0.5, 0.9]), monotone: true }, new Float64Array([-1, 0, 1]));
        const k = Math.min(cut, batches.length);
        for (const b of batches.slice(0, k)) s = step(s, b);
        let r = deserializeState<typeof s>(quantileTracker, JSON.parse(JSON.stringify(serializeState(quantileTracker, s))));
        for (const b of batches.slice(k)) {
          s = step(s, b);
          r = step(r, b);
        }
        return bits(r) === bits(s);
      }),
      { numRuns: 100 },
    );
  });

  test('a state of another method or with a wrong shape is INVALID_STATE', () => {
    const s0 = drmSA.init({ form: 'qf', distortion: expectedShortfall(0.9), M: 10 }, new Float64Array(p).fill(1 / p));
    expect(thrownCode(() => deserializeState(quantileTracker, serializeState(drmSA, s0)))).toBe('INVALID_STATE');
    expect(thrownCode(() => deserializeState(drmSA, serializeState(drmSA, { ...s0, q: new Float64Array(2) }), { like: s0 }))).toBe('INVALID_STATE');
    expect(thrownCode(() => deserializeState(drmSA, serializeState(drmSA, { ...s0, t: -2 })))).toBe('INVALID_STATE');
  });
});

describe('strict configs', () => {
  const rejects = (f: () => unknown, where: string, bad: string, near: string) => expect(unknownKeyProblem(f, where, bad, near)).toBeUndefined();
  const x0 = new Float64Array(p).fill(1 / p);
  const cfg: DrmSaConfig = { form: 'qf', distortion: expectedShortfall(0.9), M: 10 };

  test('every init rejects an unknown key, also inside schedules and projections', () => {
    rejects(() => drmSA.init({ ...cfg, batchsize: 5 } as never, x0), 'drmSA.init', 'batchsize', 'batchSize');
    rejects(() => drmSA.init({ ...cfg, schedules: { thetta: { a: 1, b: 1, c: 1 } } } as never, x0), 'drmSA.init', 'thetta', 'theta');
    rejects(() => drmSA.init({ ...cfg, schedules: { theta: { a: 1, b: 1, cc: 1 } } } as never, x0), 'drmSA.init', 'cc', 'c');
    rejects(() => drmSA.init({ ...cfg, projection: { kind: 'simplex', budjet: 1 } } as never, x0), 'drmSA.init', 'budjet', 'budget');
    rejects(() => quantileTracker.init({ levels: new Float64Array([0.5]), monotonic: true } as never, new Float64Array(1)), 'quantileTracker.init', 'monotonic', 'monotone');
    rejects(() => quantileTracker.init({ levels: new Float64Array([0.5]), schedule: { a: 1, b: 1, C: 1 } } as never, new Float64Array(1)), 'quantileTracker.init', 'C', 'c');
    expect(() => drmSA.init(null as never, x0)).toThrow(DescentError);
    expect(() => quantileTracker.init([] as never, x0)).toThrow(DescentError);
  });

  test('every options object of the package rejects an unknown key', () => {
    const es = expectedShortfall(0.9);
    rejects(() => runDrmSA(cfg, x0, model, key(0), { iterations: 1, checkpoint: [1] } as never), 'runDrmSA', 'checkpoint', 'checkpoints');
    rejects(() => sampleAverageOptimize(x0, { distortion: es, scenarios: new Float64Array(p), iteration: 3 } as never), 'sampleAverageOptimize', 'iteration', 'iterations');
    rejects(() => quantileGrid(es, 'qf', { m: 10 } as never), 'quantileGrid', 'm', 'M');
    rejects(() => drm([1, 2], es, { convension: 'loss' } as never), 'drm', 'convension', 'convention');
    rejects(() => drmSorted([1, 2], es, { chek: true } as never), 'drmSorted', 'chek', 'check');
    rejects(() => drmOfGaussian(0, 1, es, { convention: 'loss', chek: 1 } as never), 'drmOfGaussian', 'chek', 'convention');
    rejects(() => drmOfQuantileFunction((u) => u, es, { rules: 'grid' } as never), 'drmOfQuantileFunction', 'rules', 'rule');
    rejects(() => customDistortion({ g: (s: number) => s, jump: [] } as never), 'customDistortion', 'jump', 'jumps');
  });
});
