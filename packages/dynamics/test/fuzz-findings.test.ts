// Behaviour fixes found by the API fuzz (test/fuzz.test.ts), each pinned by a focused test.
import { describe, expect, test } from 'vitest';
import { DescentError, fromRows } from '@descent/linalg';
import { thrownCode } from '@descent/linalg/laws';
import {
  createRegionPool, gradientDescent, gridAxis, matrixFactorizationCriticalStepSize, randomSlice, scalarMapKernel,
  scalarRegionKernel, scalarVectorObjective, scalarVectorRegionParallel, squareGrid, statusName, wasmMapModuleBytes,
  type GdState,
} from '@descent/dynamics';
import { key } from '@descent/linalg';

describe('sizes and counts are bounded before any loop or allocation (these calls used to hang)', () => {
  test('gridAxis, matrixFactorizationCriticalStepSize, wasmMapModuleBytes', () => {
    expect(thrownCode(() => gridAxis(-1, 1, 1e9))).toBe('SHAPE_MISMATCH');
    expect(thrownCode(() => matrixFactorizationCriticalStepSize(fromRows([[2, 0], [0, 1]]), 1e9))).toBe('SHAPE_MISMATCH');
    expect(thrownCode(() => wasmMapModuleBytes(Infinity))).toBe('INVALID_CONFIG');
    expect(thrownCode(() => createRegionPool(1e9))).toBe('INVALID_CONFIG');
  });

  test('the kernels check the pixel range and the scalars before writing', () => {
    const x = new Float64Array([0.3, 1]), z = new Float64Array([0.2, -0.5]);
    const status = new Uint8Array(2), label = new Uint8Array(2), steps = new Int32Array(2);
    expect(thrownCode(() => scalarRegionKernel(x, z, status, label, steps, 0, 1e9, 0.5, 1, 0, 100, 1e-18, 1e-6, 1e16, 0, 1))).toBe('SHAPE_MISMATCH');
    expect(thrownCode(() => scalarRegionKernel(x, z, status, label, steps, 0, 2, 0.5, 1, 0, 2 ** 53, 1e-18, 1e-6, 1e16, 0, 1))).toBe('INVALID_CONFIG');
    expect(thrownCode(() => scalarMapKernel(x, z, 0, 2, 0.5, 1, 0, 2 ** 53))).toBe('INVALID_CONFIG');
    expect(Array.from(x)).toEqual([0.3, 1]);
    expect(Array.from(status)).toEqual([0, 0]);
    // A valid call still runs.
    expect(scalarRegionKernel(x, z, status, label, steps, 0, 2, 0.5, 1, 0, 100, 1e-18, 1e-6, 1e16, 0, 1)).toBeGreaterThan(0);
  });

  test('randomSlice works past the spread limit of Math.hypot', () => {
    const s = randomSlice(key(1), 100_000);
    let n = 0;
    for (let i = 0; i < s.e1.length; i++) n += s.e1[i]! * s.e1[i]!;
    expect(Math.abs(n - 1)).toBeLessThan(1e-12);
  });
});

describe('states and arguments of the wrong type are DescentErrors', () => {
  test('gd.stepInto rejects a state whose eta is not a step size before writing out', () => {
    const gd = gradientDescent(scalarVectorObjective({ y: 1 }));
    const s = gd.init({ eta: 0.5 }, new Float64Array([1, 0]));
    const ox = new Float64Array([7, 8]);
    const out: GdState = { ...s, x: ox, query: ox };
    expect(thrownCode(() => gd.stepInto!({ ...s, eta: NaN }, undefined, out))).toBe('INVALID_CONFIG');
    expect(thrownCode(() => gd.stepInto!({ ...s, check: 'x' as never }, undefined, out))).toBe('INVALID_STATE');
    expect(Array.from(out.x)).toEqual([7, 8]);
  });

  test('gradientDescent(null) and statusName(7) are DescentErrors (were TypeError and RangeError)', () => {
    expect(thrownCode(() => gradientDescent(null as never))).toBe('INVALID_CONFIG');
    expect(thrownCode(() => statusName(7))).toBe('DOMAIN');
  });

  test('scalarVectorRegionParallel rejects a bad config with a DescentError', async () => {
    await expect(scalarVectorRegionParallel({ y: 1, eta: NaN, grid: squareGrid(1, 4) }, { workers: 1 })).rejects.toBeInstanceOf(DescentError);
  });
});
