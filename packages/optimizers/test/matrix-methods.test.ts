import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { key, type Layout } from '@descent/linalg';
import {
  adam,
  adamw,
  applyTransform,
  chain,
  clip,
  clipByGlobalNorm,
  cloneState,
  egd,
  emaMomentum,
  fromTransform,
  muon,
  reg,
  route,
  scale,
  scaleByAdam,
  scaleByLearningRate,
  addDecayedWeights,
  sgd,
  traceMomentum,
  type EgdOptions,
  type MuonOptions,
  type RegOptions,
} from '@descent/optimizers';
import { firstDifference, stepIntoMatchesStep, stepNeverMutatesInputs, type MethodRun } from '@descent/optimizers/laws';
import { vec } from './arbitraries.js';

/** A layout with one r×c matrix block and a bias, x0 and a few gradients. */
function layoutRuns<C>(configs: fc.Arbitrary<C>, steps = 4): fc.Arbitrary<MethodRun<C & { layout: Layout }, Float64Array>> {
  return fc.tuple(configs, fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: steps })).chain(([c, r, k, n]) => {
    const layout: Layout = [{ name: 'W', shape: [r, k] }, { name: 'b', shape: [k] }];
    const size = r * k + k;
    return fc.record({
      config: fc.constant({ ...c, layout }),
      x0: vec(size, 3),
      key: fc.constant(key(7)),
      obs: fc.array(vec(size, 3), { minLength: n, maxLength: n }),
    });
  });
}

const muonOptions: fc.Arbitrary<MuonOptions & { lr: number; weightDecay: number }> = fc.record({
  lr: fc.double({ min: 0, max: 0.5, noNaN: true }),
  weightDecay: fc.constantFrom(0, 0.1),
  momentum: fc.constantFrom(0, 0.9, 0.95),
  momentumStyle: fc.constantFrom('ema' as const, 'sgd' as const, 'ema-debiased' as const),
  nesterov: fc.boolean(),
  orthogonalizer: fc.constantFrom('newton-schulz' as const, 'svd' as const),
  scale: fc.constantFrom('original' as const, 'optax' as const, 'match-rms-adamw' as const),
});
const regOptions: fc.Arbitrary<RegOptions & { lr: number }> = fc.record({
  lr: fc.double({ min: 0, max: 0.5, noNaN: true }),
  momentum: fc.constantFrom(0, 0.9),
  momentumStyle: fc.constantFrom('ema' as const, 'sgd' as const, 'ema-debiased' as const),
  nesterov: fc.boolean(),
  racs: fc.constantFrom('sinkhorn' as const, 'oneshot' as const, 'gong' as const),
  rmsNormalize: fc.boolean(),
});
const egdOptions: fc.Arbitrary<EgdOptions & { base: { lr: number } }> = fc.record({
  base: fc.record({ lr: fc.double({ min: 0, max: 0.5, noNaN: true }) }),
  variant: fc.constantFrom('pinv' as const, 'clamp' as const, 'rsvd' as const, 'colnorm' as const),
  rank: fc.integer({ min: 1, max: 3 }),
});

describe('contract laws for the matrix methods and transforms', () => {
  test('muon: step never mutates inputs', () => fc.assert(stepNeverMutatesInputs(muon, layoutRuns(muonOptions)), { numRuns: 60 }));
  test('muon: stepInto bit-identical to step', () => fc.assert(stepIntoMatchesStep(muon, layoutRuns(muonOptions)), { numRuns: 60 }));
  test('reg: step never mutates inputs', () => fc.assert(stepNeverMutatesInputs(reg, layoutRuns(regOptions)), { numRuns: 60 }));
  test('reg: stepInto bit-identical to step', () => fc.assert(stepIntoMatchesStep(reg, layoutRuns(regOptions)), { numRuns: 60 }));
  const egdSgd = egd(sgd);
  const egdAdam = egd(adam);
  test('egd(sgd): step never mutates inputs', () => fc.assert(stepNeverMutatesInputs(egdSgd, layoutRuns(egdOptions)), { numRuns: 60 }));
  test('egd(sgd): stepInto bit-identical to step', () => fc.assert(stepIntoMatchesStep(egdSgd, layoutRuns(egdOptions)), { numRuns: 60 }));
  test('egd(adam): stepInto bit-identical to step', () => fc.assert(stepIntoMatchesStep(egdAdam, layoutRuns(egdOptions)), { numRuns: 40 }));
  const chained = fromTransform(chain(clipByGlobalNorm(2), traceMomentum({ momentum: 0.9, nesterov: true }), clip(0.5), addDecayedWeights(0.01), scaleByLearningRate(0.1)), 'chained');
  const runs = fc.tuple(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 5 })).chain(([n, k]) =>
    fc.record({ config: fc.constant({}), x0: vec(n), obs: fc.array(vec(n), { minLength: k, maxLength: k }) }),
  );
  test('fromTransform(chain(...)): step never mutates inputs', () => fc.assert(stepNeverMutatesInputs(chained, runs), { numRuns: 60 }));
  test('fromTransform(chain(...)): stepInto bit-identical to step', () => fc.assert(stepIntoMatchesStep(chained, runs), { numRuns: 60 }));
});

describe('composition', () => {
  test('chain(scaleByAdam, addDecayedWeights, scaleByLearningRate) is AdamW up to rounding', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 6 }).chain((n) => fc.tuple(vec(n), fc.array(vec(n), { minLength: 1, maxLength: 20 }))), ([x0, grads]) => {
        const t = fromTransform(chain(scaleByAdam(), addDecayedWeights(0.1), scaleByLearningRate(0.01)));
        let a = t.init({}, x0);
        let b = adamw.init({ lr: 0.01, weightDecay: 0.1 }, x0);
        for (const g of grads) {
          a = t.step(a, g);
          b = adamw.step(b, g);
        }
        // Same arithmetic except x·(1−ηλ) − ηd versus x + (−η)(d + λx): a few ulps of |x| per step.
        for (let i = 0; i < x0.length; i++) expect(Math.abs(a.x[i]! - b.x[i]!)).toBeLessThanOrEqual(1e-14 * grads.length * (1 + Math.abs(b.x[i]!)));
      }),
      { numRuns: 100 },
    );
  });
  test('traceMomentum + scaleByLearningRate is torch SGD with momentum, bit for bit', () => {
    const t = fromTransform(chain(traceMomentum({ momentum: 0.9, nesterov: true }), scaleByLearningRate(0.1)));
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 6 }).chain((n) => fc.tuple(vec(n), fc.array(vec(n), { minLength: 1, maxLength: 20 }))), ([x0, grads]) => {
        let a = t.init({}, x0);
        let b = sgd.init({ lr: 0.1, momentum: 0.9, nesterov: true }, x0);
        for (const g of grads) {
          a = t.step(a, g);
          b = sgd.step(b, g);
        }
        expect(firstDifference(a.x, b.x)).toBeUndefined();
      }),
      { numRuns: 100 },
    );
  });
  test('emaMomentum = (1−β)·traceMomentum', () => {
    const e = emaMomentum({ beta: 0.5, nesterov: true });
    const tr = traceMomentum({ momentum: 0.5, nesterov: true });
    let se = e.init(new Float64Array(2), [2]);
    let st = tr.init(new Float64Array(2), [2]);
    for (const g of [new Float64Array([1, 2]), new Float64Array([-3, 0.5])]) {
      const re = applyTransform(e, g, se, new Float64Array(2));
      const rt = applyTransform(tr, g, st, new Float64Array(2));
      for (let i = 0; i < 2; i++) expect(re.update[i]).toBeCloseTo(0.5 * rt.update[i]!, 15);
      se = re.state;
      st = rt.state;
    }
  });
  test('route gives each block its own transform and state; bad labels are INVALID_CONFIG', () => {
    const layout: Layout = [{ name: 'a', shape: [2] }, { name: 'b', shape: [1] }];
    const t = route(layout, { a: 'x', b: 'y' }, { x: scale(2), y: chain(traceMomentum({ momentum: 0.5 }), scale(-1)) });
    const s = t.init(new Float64Array(3), [3]);
    const r1 = applyTransform(t, new Float64Array([1, 1, 1]), s, new Float64Array(3));
    const r2 = applyTransform(t, new Float64Array([1, 1, 1]), r1.state, new Float64Array(3));
    expect(Array.from(r2.update)).toEqual([2, 2, -1.5]);
    expect(() => route(layout, { a: 'x' }, { x: scale(1) })).toThrow(expect.objectContaining({ code: 'INVALID_CONFIG' }));
    expect(() => route(layout, { a: 'x', b: 'z' }, { x: scale(1) })).toThrow(expect.objectContaining({ code: 'INVALID_CONFIG' }));
    expect(() => t.init(new Float64Array(4), [4])).toThrow(expect.objectContaining({ code: 'SHAPE_MISMATCH' }));
  });
});

describe('bad input', () => {
  const layout: Layout = [{ name: 'W', shape: [3, 2] }, { name: 'b', shape: [2] }];
  test('a 1-D block routed to Muon, REG or EGD → SHAPE_MISMATCH', () => {
    for (const f of [
      () => muon.init({ layout, matrixBlocks: ['W', 'b'] }, new Float64Array(8)),
      () => reg.init({ layout, matrixBlocks: ['b'] }, new Float64Array(8)),
      () => egd(sgd).init({ base: { lr: 0.1 }, layout, matrixBlocks: ['b'] }, new Float64Array(8)),
    ]) {
      expect(f).toThrow(expect.objectContaining({ code: 'SHAPE_MISMATCH' }));
    }
  });
  test('wrong gradient length, non-finite gradient → DescentError; state and out untouched', () => {
    for (const [m, cfg] of [
      [muon, { layout }],
      [reg, { layout }],
      [egd(adamw), { layout, base: {} }],
    ] as const) {
      const method = m as typeof muon;
      const s = method.step(method.init(cfg as never, new Float64Array(8).fill(0.5)), new Float64Array(8).fill(0.1));
      const before = cloneState(s);
      const out = cloneState(s);
      const outBefore = cloneState(out);
      expect(() => method.step(s, new Float64Array(7))).toThrow(expect.objectContaining({ code: 'SHAPE_MISMATCH' }));
      const bad = new Float64Array(8);
      bad[3] = NaN;
      expect(() => method.step(s, bad)).toThrow(expect.objectContaining({ code: 'NON_FINITE' }));
      expect(() => method.stepInto!(s, bad, out)).toThrow(expect.objectContaining({ code: 'NON_FINITE' }));
      expect(firstDifference(s, before)).toBeUndefined();
      expect(firstDifference(out, outBefore)).toBeUndefined();
    }
  });
  test('negative learning rates and bad options → INVALID_CONFIG', () => {
    expect(() => muon.init({ layout, lr: -1 }, new Float64Array(8))).toThrow(expect.objectContaining({ code: 'INVALID_CONFIG' }));
    expect(() => muon.init({ layout, adamw: { lr: -1 } }, new Float64Array(8))).toThrow(expect.objectContaining({ code: 'INVALID_CONFIG' }));
    expect(() => muon.init({ layout, scale: 'huge' as never }, new Float64Array(8))).toThrow(expect.objectContaining({ code: 'INVALID_CONFIG' }));
    expect(() => reg.init({ layout, lr: -1 }, new Float64Array(8))).toThrow(expect.objectContaining({ code: 'INVALID_CONFIG' }));
    expect(() => reg.init({ layout, racs: 'other' as never }, new Float64Array(8))).toThrow(expect.objectContaining({ code: 'INVALID_CONFIG' }));
    expect(() => egd(sgd).init({ layout, base: { lr: -1 } }, new Float64Array(8))).toThrow(expect.objectContaining({ code: 'INVALID_CONFIG' }));
    expect(() => egd(sgd).init({ layout, base: { lr: 1 }, variant: 'rsvd' }, new Float64Array(8))).toThrow(expect.objectContaining({ code: 'INVALID_CONFIG' }));
    expect(() => scaleByLearningRate(-0.1)).toThrow(expect.objectContaining({ code: 'INVALID_CONFIG' }));
    expect(() => muon.init({ layout }, new Float64Array(7))).toThrow(expect.objectContaining({ code: 'SHAPE_MISMATCH' }));
  });
});

describe('convolution blocks', () => {
  test('a 4-D block is viewed as out × in·kh·kw: Muon on [2, 1, 2, 2] equals Muon on [2, 4]', () => {
    const g = new Float64Array([1, 2, -1, 0.5, 3, -2, 1, 1]);
    const a = muon.step(muon.init({ layout: [{ name: 'K', shape: [2, 1, 2, 2] }], orthogonalizer: 'svd' }, new Float64Array(8)), g);
    const b = muon.step(muon.init({ layout: [{ name: 'K', shape: [2, 4] }], orthogonalizer: 'svd' }, new Float64Array(8)), g);
    expect(firstDifference(a.x, b.x)).toBeUndefined();
    const e1 = egd(sgd).step(egd(sgd).init({ base: { lr: 1 }, layout: [{ name: 'K', shape: [2, 1, 2, 2] }] }, new Float64Array(8)), g);
    const e2 = egd(sgd).step(egd(sgd).init({ base: { lr: 1 }, layout: [{ name: 'K', shape: [2, 4] }] }, new Float64Array(8)), g);
    expect(firstDifference(e1.x, e2.x)).toBeUndefined();
  });
});
