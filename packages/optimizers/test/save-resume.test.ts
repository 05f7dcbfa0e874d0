import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { unknownKeyProblem, thrownCode } from '@descent/linalg/laws';
import { DescentError, key, serialize, type Key } from '@descent/linalg';
import {
  adam, adamw, arsam, chain, clipByGlobalNorm, cosineDecaySchedule, deserializeState, egd, egdDirectionInto, emaMomentum, fromTransform,
  hillAdam, iterate, linearSchedule, minimize, muon, naturalGradient, o2nc, odog, optimisticO2nc, orthogonalizeInto, racsDirectionInto, reg, sam, scaleByAdam,
  scaleByEgd, scaleByLearningRate, scaleByMuon, scaleByReg, scan, serializeState, sgd, traceMomentum, warmupCosineDecaySchedule,
  type Method, type MethodState,
} from '@descent/optimizers';

const layout = [{ name: 'W', shape: [2, 3] }, { name: 'b', shape: [2] }];
const N = 8;

type AnyMethod = Method<unknown, MethodState, unknown>;
interface Case {
  readonly method: AnyMethod;
  readonly cfg: Record<string, unknown>;
  readonly key?: Key;
}

const heavyBall = fromTransform(chain(clipByGlobalNorm(5), traceMomentum({ momentum: 0.9, nesterov: true }), scaleByLearningRate(linearSchedule({ init: 0.1, end: 0.01, steps: 5 }))), 'heavy-ball');
const adamChain = fromTransform(chain(scaleByAdam({ betas: [0.9, 0.99] }), scaleByLearningRate(0.05)), 'adam-chain');

// Every method of the package, with a config that exercises its state (momentum buffers, phases, windows, keys).
const cases: Record<string, Case> = {
  sgd: { method: sgd as AnyMethod, cfg: { lr: 0.1, momentum: 0.9, nesterov: true, weightDecay: 0.01 } },
  adam: { method: adam as AnyMethod, cfg: { lr: 0.05, amsgrad: true } },
  adamw: { method: adamw as AnyMethod, cfg: { lr: 0.05, weightDecay: 0.1 } },
  hillAdam: { method: hillAdam as AnyMethod, cfg: { lr: 0.05, delta: 1e-3 } },
  heavyBall: { method: heavyBall as AnyMethod, cfg: {} },
  egd: { method: egd(sgd) as AnyMethod, cfg: { base: { lr: 0.1, momentum: 0.5 }, layout, variant: 'rsvd', rank: 1 }, key: key(3) },
  muon: { method: muon as AnyMethod, cfg: { layout, lr: 0.05, adamw: { lr: 0.01 } } },
  reg: { method: reg as AnyMethod, cfg: { layout, lr: 0.05, racs: 'gong' } },
  natural: { method: naturalGradient as AnyMethod, cfg: { fisher: 'diagonal', lr: 0.1, damping: 0.1 } },
  naturalDense: { method: naturalGradient as AnyMethod, cfg: { fisher: 'dense', kl: 0.01, damping: 0.1 } },
  sam: { method: sam(adam) as AnyMethod, cfg: { base: { lr: 0.05 }, rho: 0.05, adaptive: true } },
  arsam: { method: arsam(sgd) as AnyMethod, cfg: { base: { lr: 0.05, momentum: 0.9 }, window: 4, varianceBlocks: 2, warmup: 2, layout }, key: key(5) },
  o2nc: { method: o2nc as AnyMethod, cfg: { radius: 0.5, lr: 0.1, window: 3 }, key: key(7) },
  odog: { method: odog as AnyMethod, cfg: { radius: 0.5, lr: 'adaptive', window: 3 } },
  optimisticO2nc: { method: optimisticO2nc as AnyMethod, cfg: { radius: 0.5, lr: 0.2, window: 3, iterations: 3, tolerance: 1e-3 } },
  adamChain: { method: adamChain as AnyMethod, cfg: { check: false } },
};

/** The observation at `state.query` for a noisy quadratic: what each method's `observes` asks for. */
function observe(m: AnyMethod, cfg: Record<string, unknown>, s: MethodState, noise: Float64Array): unknown {
  const q = s.query;
  const grad = Float64Array.from(q, (v, i) => (i + 1) * v + noise[i]!);
  if (m.observes === 'valueAndGrad') return { value: q.reduce((a, v, i) => a + 0.5 * (i + 1) * v * v, 0) + noise[0]!, grad };
  if (m.observes === 'oracle' && cfg.fisher === 'dense') {
    const d = q.length;
    const fisher = { rows: d, cols: d, data: new Float64Array(d * d) };
    for (let i = 0; i < d; i++) fisher.data[i * d + i] = i + 1 + Math.abs(noise[i]!);
    return { grad, fisher };
  }
  if (m.observes === 'oracle') return { grad };
  return grad;
}

const bits = (s: unknown) => JSON.stringify(serialize(s));
const noiseVec = fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: N, maxLength: N }).map((a) => Float64Array.from(a));

describe('save and resume', () => {
  for (const [label, c] of Object.entries(cases)) {
    test(`${label}: deserializeState(JSON of serializeState(s)) steps bit-identically to s`, () => {
      fc.assert(
        fc.property(noiseVec, fc.array(noiseVec, { minLength: 0, maxLength: 6 }), fc.array(noiseVec, { minLength: 1, maxLength: 6 }), (x0, before, after) => {
          let s = c.method.init(c.cfg, x0, c.key);
          for (const n of before) s = c.method.step(s, observe(c.method, c.cfg, s, n));
          const fresh = c.method.init(c.cfg, x0, c.key);
          let r = deserializeState<MethodState>(c.method, JSON.parse(JSON.stringify(serializeState(c.method, s))), { like: s.t === 0 ? fresh : undefined });
          expect(bits(r)).toBe(bits(s));
          expect(r.query === r.x).toBe(s.query === s.x);
          for (const n of after) {
            s = c.method.step(s, observe(c.method, c.cfg, s, n));
            r = c.method.step(r, observe(c.method, c.cfg, r, n));
          }
          expect(bits(r)).toBe(bits(s));
          // and through stepInto, where the method has it
          if (c.method.stepInto !== undefined) {
            const a = deserializeState<MethodState>(c.method, serializeState(c.method, s));
            const out = deserializeState<MethodState>(c.method, serializeState(c.method, s));
            const n = after[0]!;
            expect(bits(c.method.stepInto(a, observe(c.method, c.cfg, a, n), out))).toBe(bits(c.method.step(s, observe(c.method, c.cfg, s, n))));
          }
        }),
        { numRuns: 15 },
      );
    });
  }

  test("Adam's WebAssembly-arena states save like any other and resume bit-identically", () => {
    for (const m of [adam, adamw]) {
      const n = 3000;
      const x0 = Float64Array.from({ length: n }, (_, i) => Math.sin(i));
      const g = Float64Array.from({ length: n }, (_, i) => Math.cos(3 * i));
      const s1 = m.step(m.init({ lr: 0.01 }, x0), g);
      const [a, b] = m.pingPongStates!(s1);
      m.stepInto!(a, g, b);
      const saved = JSON.parse(JSON.stringify(serializeState(m, b)));
      const r = deserializeState<typeof s1>(m, saved, { like: s1 });
      expect(r.x.buffer).not.toBe(b.x.buffer);
      expect(bits(m.step(r, g))).toBe(bits(m.step(m.step(s1, g), g)));
    }
  });

  test('transform states save and resume through the transform name', () => {
    const t = chain(traceMomentum({ momentum: 0.5 }), scaleByLearningRate(cosineDecaySchedule({ init: 0.1, steps: 10 })));
    const s = t.init(new Float64Array(2), [2]);
    const u = new Float64Array(2);
    const s1 = t.updateInto(new Float64Array([1, 2]), s, new Float64Array(2), u, structuredClone(s));
    const r = deserializeState<typeof s1>(t, JSON.parse(JSON.stringify(serializeState(t, s1))), { like: s });
    const u1 = new Float64Array(2), u2 = new Float64Array(2);
    t.updateInto(new Float64Array([3, 1]), s1, new Float64Array(2), u1, structuredClone(s1));
    t.updateInto(new Float64Array([3, 1]), r, new Float64Array(2), u2, structuredClone(r));
    expect(Array.from(u2)).toEqual(Array.from(u1));
  });

  test('a foreign, corrupted or mismatched value is INVALID_STATE', () => {
    const s = adam.step(adam.init({ lr: 0.1 }, new Float64Array(3)), new Float64Array([1, 2, 3]));
    const saved = JSON.parse(JSON.stringify(serializeState(adam, s)));
    expect(thrownCode(() => deserializeState(sgd, saved))).toBe('INVALID_STATE');
    expect(thrownCode(() => deserializeState(adam, { ...saved, version: 99 }))).toBe('INVALID_STATE');
    expect(thrownCode(() => deserializeState(adam, JSON.parse(JSON.stringify(s))))).toBe('INVALID_STATE');
    expect(thrownCode(() => deserializeState(adam, { ...saved, data: { ...saved.data, t: -1 } }))).toBe('INVALID_STATE');
    expect(thrownCode(() => deserializeState(adam, { ...saved, data: { ...saved.data, x: { $t: 'Float64Array', n: 0, b64: '' } } }))).toBe('INVALID_STATE');
    const short = serializeState(adam, { ...s, v: new Float64Array(1) });
    expect(thrownCode(() => deserializeState(adam, short, { like: adam.init({ lr: 0.1 }, new Float64Array(3)) }))).toBe('INVALID_STATE');
    expect(thrownCode(() => deserializeState(adam, saved, { like: adam.init({ lr: 0.1 }, new Float64Array(4)) }))).toBe('INVALID_STATE');
  });
});

describe('strict configs', () => {
  const rejects = (f: () => unknown, where: string, bad: string, near: string) => expect(unknownKeyProblem(f, where, bad, near)).toBeUndefined();

  test('every init rejects an unknown key, naming the closest known one', () => {
    const x0 = new Float64Array(N);
    for (const [label, c] of Object.entries(cases)) {
      // A valid config works, the same config with one misspelt key does not.
      c.method.init(c.cfg, x0, c.key);
      const where: Record<string, string> = { hillAdam: 'hillAdam.init', natural: 'naturalGradient', naturalDense: 'naturalGradient', o2nc: 'o2nc', odog: 'odog', optimisticO2nc: 'optimisticO2nc' };
      rejects(() => c.method.init({ ...c.cfg, chek: true }, x0, c.key), where[label] ?? `${c.method.name}.init`, 'chek', 'check');
      expect(() => c.method.init(null, x0, c.key)).toThrow(DescentError);
      expect(() => c.method.init([c.cfg], x0, c.key)).toThrow(DescentError);
    }
    rejects(() => sgd.init({ lr: 0.1, momentun: 0.9 } as never, x0), 'sgd.init', 'momentun', 'momentum');
    rejects(() => adamw.init({ weight_decay: 0.1 } as never, x0), 'adamw.init', 'weight_decay', 'weightDecay');
    rejects(() => muon.init({ layout, adamw: { weightdecay: 0.1 } } as never, x0), 'muon.init', 'weightdecay', 'weightDecay');
    rejects(() => reg.init({ layout, adamw: { betas1: 0.9 } } as never, x0), 'reg.init', 'betas1', 'betas');
  });

  test('every transform, schedule, direction function and driver rejects an unknown option', () => {
    const m = { rows: 2, cols: 2, data: new Float64Array([1, 2, 3, 4]) };
    rejects(() => traceMomentum({ momentum: 0.9, nesterow: true } as never), 'traceMomentum', 'nesterow', 'nesterov');
    rejects(() => emaMomentum({ beta: 0.9, nesterow: true } as never), 'emaMomentum', 'nesterow', 'nesterov');
    rejects(() => scaleByEgd({ varaint: 'pinv' } as never), 'scaleByEgd', 'varaint', 'variant');
    rejects(() => egdDirectionInto(m, { ...m, data: new Float64Array(4) }, { rnak: 1 } as never), 'egdDirectionInto', 'rnak', 'rank');
    rejects(() => scaleByAdam({ beta: [0.9, 0.9] } as never), 'scaleByAdam', 'beta', 'betas');
    rejects(() => scaleByMuon({ nsStep: 5 } as never), 'scaleByMuon', 'nsStep', 'nsSteps');
    rejects(() => orthogonalizeInto(m, { ...m, data: new Float64Array(4) }, { orthogonaliser: 'svd' } as never), 'orthogonalizeInto', 'orthogonaliser', 'orthogonalizer');
    rejects(() => scaleByReg({ rmsNormalise: true } as never), 'scaleByReg', 'rmsNormalise', 'rmsNormalize');
    rejects(() => racsDirectionInto(m, { ...m, data: new Float64Array(4) }, { rac: 'oneshot' } as never), 'racsDirectionInto', 'rac', 'racs');
    rejects(() => linearSchedule({ init: 1, end: 0, steps: 2, begn: 0 } as never), 'linearSchedule', 'begn', 'begin');
    rejects(() => cosineDecaySchedule({ init: 1, steps: 2, alfa: 0 } as never), 'cosineDecaySchedule', 'alfa', 'alpha');
    rejects(() => warmupCosineDecaySchedule({ init: 0, peak: 1, warmupSteps: 1, decaySteps: 3, ends: 0 } as never), 'warmupCosineDecaySchedule', 'ends', 'end');
    rejects(() => heavyBall.init({ checks: false } as never, new Float64Array(1)), 'heavy-ball.init', 'checks', 'check');
    const oracle = (x: Float64Array) => x;
    const start = { config: { lr: 0.1 }, x0: new Float64Array(1) };
    rejects(() => minimize(sgd, oracle, { ...start, maxSteps: 1, gradtol: 1 } as never), 'minimize(sgd)', 'gradtol', 'gradTol');
    rejects(() => iterate(sgd, oracle, { ...start, step: 1 } as never).next(), 'iterate(sgd)', 'step', 'steps');
    rejects(() => scan(sgd, [], { ...start, eachh: () => 0 } as never), 'scan(sgd)', 'eachh', 'each');
  });
});
