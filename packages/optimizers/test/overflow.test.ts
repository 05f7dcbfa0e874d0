import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { thrownCode } from '@descent/linalg/laws';
import { adam, adamw, chain, fromTransform, hillAdam, muon, reg, scaleByAdam, scaleByLearningRate, sgd, type FirstOrderMethod, type MethodState } from '@descent/optimizers';

// Finite gradients with entries anywhere in the double range, including the extremes.
const extreme = fc.oneof(
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.constantFrom(1.7e308, -1.7e308, 1e160, -1e160, 1e154, 5e-324, 0),
  fc.double({ min: -10, max: 10, noNaN: true }),
);
const grads = (n: number) => fc.array(fc.array(extreme, { minLength: n, maxLength: n }), { minLength: 1, maxLength: 4 });

/** Either every step returns finite parameters or the first bad one throws NON_FINITE; never NaN. */
function finiteOrRejected<C, S extends MethodState>(m: FirstOrderMethod<C, S>, cfg: C, n: number, numRuns = 150): void {
  fc.assert(
    fc.property(grads(n), (gs) => {
      let s = m.init(cfg, new Float64Array(n).fill(0.5));
      for (const g of gs) {
        const input = Float64Array.from(g);
        const before = input.slice();
        let next: S;
        try {
          next = m.step(s, input);
        } catch (e) {
          expect(thrownCode(() => { throw e; })).toBe('NON_FINITE');
          return;
        }
        expect(input).toEqual(before);
        for (const v of next.x) expect(Number.isFinite(v)).toBe(true);
        s = next;
      }
    }),
    { seed: 19, numRuns },
  );
}

describe('steps never return NaN from finite input (overflow is rejected with NON_FINITE)', () => {
  test('SGD with momentum and Nesterov', () => {
    finiteOrRejected(sgd, { lr: 0.1, momentum: 0.9 }, 3);
    finiteOrRejected(sgd, { lr: 0.1, momentum: 0.9, nesterov: true }, 3);
    finiteOrRejected(sgd, { lr: 0.1, momentum: 0.9, weightDecay: 0.1, maximize: true }, 3);
  });
  test('Adam, AdamW and AMSGrad', () => {
    finiteOrRejected(adam, { lr: 0.1 }, 3);
    finiteOrRejected(adamw, { lr: 0.1, weightDecay: 0.1 }, 3);
    finiteOrRejected(adam, { lr: 0.1, amsgrad: true }, 3);
  });
  test('Muon with every momentum style, both orthogonalizers', () => {
    const layout = [{ name: 'W', shape: [2, 2] }];
    for (const momentumStyle of ['ema', 'sgd', 'ema-debiased'] as const) {
      for (const orthogonalizer of ['newton-schulz', 'svd'] as const) {
        finiteOrRejected(muon, { layout, lr: 0.1, momentumStyle, orthogonalizer }, 4, 40);
      }
    }
  });
  test('REG and an Adam transform chain', () => {
    finiteOrRejected(reg, { layout: [{ name: 'W', shape: [2, 2] }], lr: 0.1, momentumStyle: 'sgd' } as never, 4, 40);
    finiteOrRejected(fromTransform(chain(scaleByAdam(), scaleByLearningRate(0.1)) as never) as never, {} as never, 3, 60);
  });
});

describe('the named cases', () => {
  test('one gradient entry of 1.7e308 no longer makes Muon return NaN: it is NON_FINITE', () => {
    const layout = [{ name: 'W', shape: [2, 2] }];
    for (const momentumStyle of ['sgd', 'ema-debiased'] as const) {
      const s0 = muon.init({ layout, lr: 0.1, momentumStyle }, new Float64Array(4));
      expect(thrownCode(() => muon.step(s0, new Float64Array([1.7e308, 0, 0, 1])))).toBe('NON_FINITE');
    }
  });
  test('SGD with momentum: the second 1.7e308 step overflows the buffer and is rejected', () => {
    const s1 = sgd.step(sgd.init({ lr: 0.1, momentum: 0.9 }, new Float64Array(2)), new Float64Array([1.7e308, 1]));
    expect(thrownCode(() => sgd.step(s1, new Float64Array([1.7e308, 1])))).toBe('NON_FINITE');
  });
  test("Adam's v no longer overflows to Infinity and freezes the coordinate: a gradient of 1e160 is NON_FINITE", () => {
    for (const m of [adam, adamw]) {
      const s = m.init({ lr: 0.1 }, new Float64Array([0, 0]));
      expect(thrownCode(() => m.step(s, new Float64Array([1e160, 1])))).toBe('NON_FINITE');
    }
    const h = hillAdam.init({ lr: 0.1 }, new Float64Array([0, 0]));
    expect(thrownCode(() => hillAdam.step(h, { value: 1, grad: new Float64Array([1e160, 1]) }))).toBe('NON_FINITE');
    // 1e150 squares to 1e300: still representable, still a step
    expect(Number.isFinite(adam.step(adam.init({ lr: 0.1 }, new Float64Array(1)), new Float64Array([1e150])).x[0])).toBe(true);
  });
  test('the WebAssembly arena path rejects the same gradient (its fused check covers v too)', () => {
    const n = 4096;
    const s = adam.init({ lr: 0.1 }, new Float64Array(n));
    const [a, b] = adam.pingPongStates!(s);
    const g = new Float64Array(n).fill(1);
    g[4000] = 1e160;
    expect(thrownCode(() => adam.stepInto!(a, g, b))).toBe('NON_FINITE');
    g[4000] = 1;
    expect(thrownCode(() => adam.stepInto!(a, g, b))).toBe('none');
  });
});

describe('a state is checked for its buffers before it is stepped', () => {
  test('adam, sgd and hillAdam reject buffers of the wrong length or type', () => {
    const s = adam.init({ lr: 0.1 }, new Float64Array(2));
    expect(thrownCode(() => adam.step({ ...s, v: new Float64Array(1) }, new Float64Array(2)))).toBe('SHAPE_MISMATCH');
    expect(thrownCode(() => adam.step({ ...s, m: [0, 0] as unknown as Float64Array }, new Float64Array(2)))).toBe('SHAPE_MISMATCH');
    expect(thrownCode(() => adam.step(null as never, new Float64Array(2)))).toBe('SHAPE_MISMATCH');
    const q = sgd.init({ lr: 0.1, momentum: 0.9 }, new Float64Array(2));
    expect(thrownCode(() => sgd.step({ ...q, buf: new Float64Array(1) }, new Float64Array(2)))).toBe('SHAPE_MISMATCH');
    expect(thrownCode(() => sgd.stepInto!(q, new Float64Array(2), null as never))).toBe('SHAPE_MISMATCH');
    const h = hillAdam.init({ lr: 0.1 }, new Float64Array(2));
    expect(thrownCode(() => hillAdam.step({ ...h, bestX: new Float64Array(1) }, { value: 1, grad: new Float64Array(2) }))).toBe('SHAPE_MISMATCH');
  });
});
