import { describe, expect, test } from 'vitest';
import { thrownCode } from '@descent/linalg/laws';
import {
  classifyInPlace, fillScalarStarts, gradientDescent, planScalarVectorRegion, resolveClassifyOptions, scalarVectorObjective,
  squareGrid, triplingLyapunov, type GdState, type ScalarRegionPlan,
} from '@descent/dynamics';

describe('no half-written output', () => {
  test('gd.stepInto that throws NON_FINITE leaves out.x as it was', () => {
    const gd = gradientDescent(scalarVectorObjective({ y: 1 }));
    const s = gd.init({ eta: 0.5 }, new Float64Array([1e200, 1e200]));
    const ox = new Float64Array([7, 8]);
    const out: GdState = { ...s, x: ox, query: ox };
    expect(thrownCode(() => gd.stepInto!(s, undefined, out))).toBe('NON_FINITE');
    expect(Array.from(out.x)).toEqual([7, 8]);
    // a normal step still writes the same numbers as step
    const s1 = gd.init({ eta: 0.5 }, new Float64Array([1, 0]));
    expect(Array.from(gd.stepInto!(s1, undefined, out).x)).toEqual(Array.from(gd.step(s1, undefined).x));
  });

  test('gd.step rejects a state whose x has the wrong length or is missing', () => {
    const gd = gradientDescent(scalarVectorObjective({ y: 1 }));
    const s = gd.init({ eta: 0.5 }, new Float64Array([1, 0]));
    expect(thrownCode(() => gd.step({ ...s, x: new Float64Array(1) }, undefined))).toBe('SHAPE_MISMATCH');
    expect(thrownCode(() => gd.step(null as unknown as GdState, undefined))).toBe('SHAPE_MISMATCH');
  });

  test('classifyInPlace validates before iterating: a rejected call leaves x, g and out untouched', () => {
    const f = scalarVectorObjective({ y: 1 });
    const o = resolveClassifyOptions({}, 't');
    const x = new Float64Array([3, -3]);
    const g = new Float64Array([5, 5]);
    const rec = { status: 9, steps: 9, loss: 9 } as never as { status: 0; steps: number; loss: number };
    const bad: [string, () => unknown][] = [
      ['eta', () => classifyInPlace(f, x, g, NaN, o, rec)],
      ['g length', () => classifyInPlace(f, x, new Float64Array(1), 0.5, o, rec)],
      ['aliasing', () => classifyInPlace(f, x, x, 0.5, o, rec)],
      ['options', () => classifyInPlace(f, x, g, 0.5, { ...o, maxSteps: Infinity }, rec)],
      ['options null', () => classifyInPlace(f, x, g, 0.5, null as never, rec)],
    ];
    for (const [, call] of bad) {
      expect(thrownCode(call)).not.toBe('none');
      expect(thrownCode(call)).not.toBe('other');
      expect(Array.from(x)).toEqual([3, -3]);
      expect(Array.from(g)).toEqual([5, 5]);
      expect(rec).toEqual({ status: 9, steps: 9, loss: 9 });
    }
  });

  test('fillScalarStarts validates before writing', () => {
    const plan = planScalarVectorRegion({ y: 1, eta: 0.5, grid: squareGrid(1, 2) }, 't');
    const x = new Float64Array(4).fill(7);
    const z = new Float64Array(3).fill(7);
    expect(thrownCode(() => fillScalarStarts(plan, x, z))).toBe('SHAPE_MISMATCH');
    expect(Array.from(x)).toEqual([7, 7, 7, 7]);
    const huge = { ...plan, grid: { ...plan.grid, n1: 1e308, n2: 1e308 } } as ScalarRegionPlan;
    expect(thrownCode(() => fillScalarStarts(huge, x, new Float64Array(4)))).toBe('INVALID_CONFIG');
    expect(thrownCode(() => fillScalarStarts(null as never, x, new Float64Array(4)))).toBe('INVALID_CONFIG');
  });
});

describe('iteration counts are bounded', () => {
  test('triplingLyapunov(0.1, Infinity) and other non-sizes are SHAPE_MISMATCH, n = 0 is DOMAIN', () => {
    for (const n of [Infinity, NaN, 1e9, 1.5, -1]) expect(thrownCode(() => triplingLyapunov(0.1, n))).toBe('SHAPE_MISMATCH');
    expect(thrownCode(() => triplingLyapunov(0.1, 0))).toBe('DOMAIN');
    expect(Number.isFinite(triplingLyapunov(0.1, 100))).toBe(true);
  });
});
