import { describe, expect, test } from 'vitest';
import { adam, cloneState, iterate, minimize, sgd, type Oracle } from '@descent/optimizers';
import { firstDifference } from '@descent/optimizers/laws';

// f(x) = ½ Σ d_i x_i², gradient d ⊙ x.
const d = new Float64Array([1, 4, 9]);
const quad: Oracle = (x) => {
  const g = new Float64Array(x.length);
  let v = 0;
  for (let i = 0; i < x.length; i++) {
    g[i] = d[i]! * x[i]!;
    v += 0.5 * d[i]! * x[i]! * x[i]!;
  }
  return { value: v, grad: g };
};

describe('minimize', () => {
  test('ping-pong run equals the pure loop bit for bit and never writes the start state', () => {
    const s0 = adam.init({ lr: 0.05 }, new Float64Array([1, -2, 3]));
    const before = cloneState(s0);
    const r = minimize(adam, quad, { state: s0, maxSteps: 57 });
    let s = s0;
    for (let k = 0; k < 57; k++) s = adam.step(s, (quad(s.query) as { grad: Float64Array }).grad);
    expect(firstDifference(r.state, s)).toBeUndefined();
    expect(firstDifference(s0, before)).toBeUndefined();
    expect(r.steps).toBe(57);
    expect(r.reason).toBe('maxSteps');
  });
  test('trace records loss, gradient norm and step norm of every step', () => {
    const r = minimize(sgd, quad, { config: { lr: 0.1 }, x0: new Float64Array([1, 1, 1]), maxSteps: 3, trace: true });
    const t = r.trace!;
    expect(t.value.length).toBe(3);
    expect(t.value[0]).toBe(0.5 * (1 + 4 + 9));
    expect(t.gradNorm[0]).toBeCloseTo(Math.sqrt(1 + 16 + 81), 14);
    // Step norm = lr·‖g‖ for plain SGD.
    expect(t.stepNorm[0]).toBeCloseTo(0.1 * Math.sqrt(1 + 16 + 81), 14);
  });
  test('gradTol stops before stepping; stop rule stops after', () => {
    const r = minimize(sgd, quad, { config: { lr: 0.1 }, x0: new Float64Array([1, 1, 1]), maxSteps: 10_000, gradTol: 1e-8 });
    expect(r.reason).toBe('gradTol');
    const g = (quad(r.state.x) as { grad: Float64Array }).grad;
    expect(Math.hypot(...g)).toBeLessThanOrEqual(1e-8);
    const r2 = minimize(sgd, quad, { config: { lr: 0.1 }, x0: new Float64Array([1, 1, 1]), maxSteps: 100, stop: (i) => i.t >= 7 });
    expect([r2.reason, r2.steps, r2.state.t]).toEqual(['stop', 7, 7]);
  });
  test('an oracle returning a bare gradient works for first-order methods', () => {
    const r = minimize(sgd, (x) => new Float64Array([x[0]!]), { config: { lr: 0.5 }, x0: new Float64Array([1]), maxSteps: 2 });
    expect(r.state.x[0]).toBe(0.25);
  });
  test('bad options → INVALID_CONFIG', () => {
    expect(() => minimize(sgd, quad, { config: { lr: 0.1 }, x0: new Float64Array(3), maxSteps: -1 })).toThrow(expect.objectContaining({ code: 'INVALID_CONFIG' }));
    expect(() => minimize(sgd, quad, { config: { lr: 0.1 }, x0: new Float64Array(3), maxSteps: 1, gradTol: -1 })).toThrow(expect.objectContaining({ code: 'INVALID_CONFIG' }));
  });
});

describe('iterate', () => {
  test('yields the same states as the pure loop', () => {
    const x0 = new Float64Array([1, -1, 0.5]);
    let s = sgd.init({ lr: 0.1, momentum: 0.9, nesterov: true }, x0);
    let k = 0;
    for (const y of iterate(sgd, quad, { state: s, steps: 20 })) {
      s = sgd.step(s, (quad(s.query) as { grad: Float64Array }).grad);
      expect(firstDifference(y, s)).toBeUndefined();
      k++;
    }
    expect(k).toBe(20);
  });
});

describe('drivers with other kinds of methods', () => {
  test('a method without stepInto runs through step, and the start state is never written', () => {
    const plain = { name: 'plain-gd', observes: 'grad' as const, init: sgd.init, step: sgd.step };
    const s0 = plain.init({ lr: 0.1 }, new Float64Array([1, 1, 1]));
    const r = minimize(plain, quad, { state: s0, maxSteps: 5 });
    const ref = minimize(sgd, quad, { state: s0, maxSteps: 5 });
    expect(firstDifference(r.state, ref.state)).toBeUndefined();
    expect(Array.from(s0.x)).toEqual([1, 1, 1]);
  });
  test('iterate hands { value, grad } to a loss-aware method', async () => {
    const { hillAdam } = await import('@descent/optimizers');
    let s = hillAdam.init({ lr: 0.01 }, new Float64Array([1, -1, 0.5]));
    let k = 0;
    for (const y of iterate(hillAdam, quad, { state: s, steps: 10 })) {
      const o = quad(s.query) as { value: number; grad: Float64Array };
      s = hillAdam.step(s, o);
      expect(firstDifference(y, s)).toBeUndefined();
      k++;
    }
    expect(k).toBe(10);
    expect(() => iterate(hillAdam, (x) => new Float64Array(x.length), { state: s, steps: 1 }).next()).toThrow(expect.objectContaining({ code: 'INVALID_CONFIG' }));
  });
});

describe('scan', () => {
  test('folds a method over a stream of observations, equal to the pure loop, start untouched', async () => {
    const { scan, adam } = await import('@descent/optimizers');
    const grads = Array.from({ length: 25 }, (_, k) => new Float64Array([Math.sin(k), Math.cos(k), k / 10]));
    const s0 = adam.init({ lr: 0.1 }, new Float64Array([1, 2, 3]));
    const before = cloneState(s0);
    const seen: number[] = [];
    const r = scan(adam, grads, { state: s0, each: (s, k) => seen.push(k + 0 * s.t) });
    let s = s0;
    for (const g of grads) s = adam.step(s, g);
    expect(firstDifference(r.state, s)).toBeUndefined();
    expect(firstDifference(s0, before)).toBeUndefined();
    expect([r.steps, seen.length]).toEqual([25, 25]);
    expect(() => scan(adam, 5 as never, { state: s0 })).toThrow(expect.objectContaining({ code: 'INVALID_CONFIG' }));
  });
});
