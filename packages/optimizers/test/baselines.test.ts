import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { adam, adamw, cloneState, sgd, type FirstOrderMethod, type SgdConfig } from '@descent/optimizers';
import { adamConstantGradientStep, adamStepBound, adamStepBoundFactor, stepIntoMatchesStep, stepNeverMutatesInputs } from '@descent/optimizers/laws';
import { adamConfigs, runs } from './arbitraries.js';
import { thrownCode } from '@descent/linalg/laws';

const sgdConfigs: fc.Arbitrary<SgdConfig> = fc
  .record({
    lr: fc.double({ min: 0, max: 1, noNaN: true }),
    momentum: fc.constantFrom(0, 0.5, 0.9),
    nesterov: fc.boolean(),
    weightDecay: fc.constantFrom(0, 0.01, 0.3),
    decoupled: fc.boolean(),
    maximize: fc.boolean(),
  })
  .map((c) => (c.momentum === 0 ? { ...c, nesterov: false } : c));

describe('contract laws', () => {
  test('sgd: step never mutates inputs', () => fc.assert(stepNeverMutatesInputs(sgd, runs(sgdConfigs)), { numRuns: 100 }));
  test('sgd: stepInto bit-identical to step', () => fc.assert(stepIntoMatchesStep(sgd, runs(sgdConfigs)), { numRuns: 100 }));
  for (const m of [adam, adamw]) {
    test(`${m.name}: step never mutates inputs`, () => fc.assert(stepNeverMutatesInputs(m, runs(adamConfigs)), { numRuns: 100 }));
    test(`${m.name}: stepInto bit-identical to step`, () => fc.assert(stepIntoMatchesStep(m, runs(adamConfigs)), { numRuns: 100 }));
  }
});

describe('known values', () => {
  test('sgd with momentum: two steps by hand', () => {
    const s1 = sgd.step(sgd.init({ lr: 0.1, momentum: 0.9 }, new Float64Array([1])), new Float64Array([1]));
    expect(s1.x[0]).toBe(1 - 0.1);
    expect(sgd.step(s1, new Float64Array([1])).x[0]).toBe(0.9 + -0.1 * (1 * 0.9 + 1 * 1));
  });
  test("adam's first step moves each coordinate by lr·|g|/(|g|+ε)", () => {
    const s = adam.step(adam.init({ lr: 0.1 }, new Float64Array([0, 0])), new Float64Array([2, -1e-3]));
    expect(s.x[0]).toBeCloseTo(-0.1 * (2 / (2 + 1e-8)), 15);
    expect(s.x[1]).toBeCloseTo(0.1 * (1e-3 / (1e-3 + 1e-8)), 12);
  });
  test('adamw decays before stepping', () => {
    const s = adamw.step(adamw.init({ lr: 0.1, weightDecay: 0.5 }, new Float64Array([2])), new Float64Array([0]));
    expect(s.x[0]).toBe(2 * (1 - 0.1 * 0.5));
  });
});

describe('bad input', () => {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const cases: [string, FirstOrderMethod<any, any>, object][] = [
    ['sgd', sgd, { lr: 0.1, momentum: 0.9 }],
    ['adam', adam, {}],
    ['adamw', adamw, { amsgrad: true }],
  ];
  for (const [name, m, cfg] of cases) {
    test(`${name}: wrong gradient length, non-finite gradient → DescentError, state untouched`, () => {
      const s0 = m.init(cfg as never, new Float64Array([1, 2, 3]));
      const s1 = m.step(s0, new Float64Array([0.1, 0.2, 0.3]));
      const before = cloneState(s1);
      const out = cloneState(s0);
      const outBefore = cloneState(out);
      for (const [g, code] of [
        [new Float64Array(2), 'SHAPE_MISMATCH'],
        [new Float64Array([0, NaN, 0]), 'NON_FINITE'],
        [new Float64Array([0, 0, Infinity]), 'NON_FINITE'],
      ] as const) {
        expect(() => m.step(s1, g)).toThrow(expect.objectContaining({ code }));
        expect(() => m.stepInto!(s1, g, out)).toThrow(expect.objectContaining({ code }));
        expect(s1).toEqual(before);
        // SGD scans before writing; Adam checks inside its fused pass, so its scratch `out` is
        // unspecified after a throw (the state given is never written).
        if (name === 'sgd') expect(out).toEqual(outBefore);
      }
    });
    test(`${name}: negative lr, bad betas → INVALID_CONFIG`, () => {
      expect(() => m.init({ ...cfg, lr: -0.1 } as never, new Float64Array(2))).toThrow(expect.objectContaining({ code: 'INVALID_CONFIG' }));
      expect(() => m.init({ ...cfg, lr: NaN } as never, new Float64Array(2))).toThrow(expect.objectContaining({ code: 'INVALID_CONFIG' }));
      expect(() => m.init(cfg as never, new Float64Array([1, NaN]))).toThrow(expect.objectContaining({ code: 'NON_FINITE' }));
    });
  }
  test('check: false skips the finiteness scan but not the length check', () => {
    const s = adam.init({ check: false }, new Float64Array(2));
    expect(() => adam.step(s, new Float64Array([NaN, 0]))).not.toThrow();
    expect(thrownCode(() => adam.step(s, new Float64Array(3)))).toBe('SHAPE_MISMATCH');
  });
  test('sgd: nesterov without momentum and adam: betas out of range are rejected', () => {
    expect(() => sgd.init({ lr: 0.1, nesterov: true }, new Float64Array(1))).toThrow(expect.objectContaining({ code: 'INVALID_CONFIG' }));
    expect(() => adam.init({ betas: [1, 0.9] }, new Float64Array(1))).toThrow(expect.objectContaining({ code: 'INVALID_CONFIG' }));
    expect(() => sgd.step(sgd.init({ lr: 1 }, new Float64Array(1)), new Float64Array(1)).x).not.toThrow();
  });
});

describe('Adam step-size facts (spec §1(b))', () => {
  test('constant gradient: every step moves each coordinate by α|g|/(|g|+ε)', () => fc.assert(adamConstantGradientStep(), { numRuns: 100 }));
  test('tight bound |Δ_t| ≤ α√C_t for every gradient sequence', () => fc.assert(adamStepBound(), { numRuns: 300 }));
  test('the bound is attained, and the quoted max(1, (1−β1)/√(1−β2)) is exceeded (6.8α > 3.16α)', () => {
    // Gradients growing by β2/β1 per step make Cauchy–Schwarz an equality: |Δ_t| = α√C_t.
    let s = adam.init({ lr: 1, eps: 1e-300 }, new Float64Array(1));
    let last = 0;
    const T = 2000;
    for (let t = 1; t <= T; t++) {
      const x = s.x[0]!;
      s = adam.step(s, new Float64Array([(0.999 / 0.9) ** t]));
      last = Math.abs(s.x[0]! - x);
    }
    expect(last).toBeCloseTo(adamStepBoundFactor(0.9, 0.999, T), 9);
    expect(last).toBeGreaterThan(2 * (0.1 / Math.sqrt(0.001)));
  });
});
