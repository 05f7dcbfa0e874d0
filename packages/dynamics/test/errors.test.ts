import { describe, expect, test } from 'vitest';
import { matrix } from '@descent/linalg';
import {
  alignedInit,
  bisectCriticalStepSize,
  boxCountingDimension,
  classifyStart,
  coordinateSlice,
  ellipseValue,
  gradientDescent,
  lyapunovExponents,
  matrixFactorizationObjective,
  regionMap,
  scalarVectorCriticalStepSize,
  scalarVectorObjective,
  scalarVectorRegion,
  squareGrid,
  trackSharpness,
  vectorTargetObjective,
} from '@descent/dynamics';
import { thrownCode } from '@descent/linalg/laws';

describe('bad input → DescentError at the boundary', () => {
  const f = scalarVectorObjective({ y: 1 });
  test('non-finite starts', () => {
    expect(thrownCode(() => classifyStart(f, new Float64Array([NaN, 1]), 0.5))).toBe('NON_FINITE');
    expect(thrownCode(() => classifyStart(f, new Float64Array([Infinity, 1]), 0.5))).toBe('NON_FINITE');
    expect(thrownCode(() => gradientDescent(f).init({ eta: 0.5 }, new Float64Array([1, -Infinity])))).toBe('NON_FINITE');
    expect(thrownCode(() => lyapunovExponents(f, new Float64Array([NaN, 0]), 0.5))).toBe('NON_FINITE');
    expect(thrownCode(() => trackSharpness(f, new Float64Array([NaN, 0]), 0.5))).toBe('NON_FINITE');
    expect(thrownCode(() => regionMap(f, { eta: 0.5, grid: squareGrid(1, 4), slice: coordinateSlice(2, 0, 1, new Float64Array([NaN, 0])) }))).toBe('NON_FINITE');
  });
  test('non-positive or non-finite step sizes', () => {
    for (const eta of [0, -1, NaN, Infinity]) {
      expect(thrownCode(() => classifyStart(f, new Float64Array([1, 1]), eta))).toBe('INVALID_CONFIG');
      expect(thrownCode(() => scalarVectorRegion({ y: 1, eta, grid: squareGrid(1, 4) }))).toBe('INVALID_CONFIG');
      expect(thrownCode(() => gradientDescent(f).init({ eta }, new Float64Array(2)))).toBe('INVALID_CONFIG');
    }
    expect(thrownCode(() => bisectCriticalStepSize(() => true, { lo: 0, hi: 1 }))).toBe('INVALID_CONFIG');
    expect(thrownCode(() => bisectCriticalStepSize(() => true, { lo: 1, hi: 0.5 }))).toBe('INVALID_CONFIG');
  });
  test('grids with zero extent or too few pixels', () => {
    expect(thrownCode(() => scalarVectorRegion({ y: 1, eta: 0.5, grid: { lo1: 1, hi1: 1, n1: 4, lo2: 0, hi2: 1, n2: 4 } }))).toBe('INVALID_CONFIG');
    expect(thrownCode(() => scalarVectorRegion({ y: 1, eta: 0.5, grid: { lo1: 0, hi1: 1, n1: 4, lo2: 2, hi2: 1, n2: 4 } }))).toBe('INVALID_CONFIG');
    expect(thrownCode(() => scalarVectorRegion({ y: 1, eta: 0.5, grid: squareGrid(1, 1) }))).toBe('INVALID_CONFIG');
    expect(thrownCode(() => scalarVectorRegion({ y: 1, eta: 0.5, grid: { lo1: NaN, hi1: 1, n1: 4, lo2: 0, hi2: 1, n2: 4 } }))).toBe('NON_FINITE');
    expect(thrownCode(() => scalarVectorRegion({ y: 1, eta: 0.5, grid: squareGrid(1, 4), maxSteps: 0 }))).toBe('INVALID_CONFIG');
    expect(thrownCode(() => scalarVectorRegion({ y: 1, eta: 0.5, grid: squareGrid(1, 4), gradTol: 0 }))).toBe('INVALID_CONFIG');
    expect(thrownCode(() => scalarVectorRegion({ y: 1, eta: 0.5, grid: squareGrid(1, 4), slice: coordinateSlice(3, 0, 1) }))).toBe('SHAPE_MISMATCH');
  });
  test('model parameters and shapes', () => {
    expect(thrownCode(() => scalarVectorObjective({ y: NaN }))).toBe('NON_FINITE');
    expect(thrownCode(() => scalarVectorObjective({ y: 1, lambda: -0.1 }))).toBe('INVALID_CONFIG');
    expect(thrownCode(() => scalarVectorObjective({ y: 1, d: 0 }))).toBe('INVALID_CONFIG');
    expect(thrownCode(() => vectorTargetObjective({ y: new Float64Array(0) }))).toBe('SHAPE_MISMATCH');
    expect(thrownCode(() => matrixFactorizationObjective({ Y: matrix(2, 2, new Float64Array([1, NaN, 0, 1])), k: 1 }))).toBe('NON_FINITE');
    expect(thrownCode(() => alignedInit(matrix(2, 2, new Float64Array([1, 0, 0, 1])), 2, new Float64Array(1), new Float64Array(2)))).toBe('SHAPE_MISMATCH');
    expect(thrownCode(() => classifyStart(f, new Float64Array(3), 0.5))).toBe('SHAPE_MISMATCH');
    expect(thrownCode(() => scalarVectorCriticalStepSize(Infinity))).toBe('NON_FINITE');
    expect(thrownCode(() => ellipseValue(new Float64Array([0, 0]), 1, 2))).toBe('DOMAIN');
    expect(thrownCode(() => boxCountingDimension(new Uint8Array(10), 4, 4))).toBe('SHAPE_MISMATCH');
  });
  test('divergence is a result, never a NaN', () => {
    const c = classifyStart(f, new Float64Array([1e3, -1e3]), 1.5);
    expect(c.status).toBe(2);
    expect(c.x.every(Number.isFinite)).toBe(true);
    expect(Number.isFinite(c.loss)).toBe(true);
    const r = scalarVectorRegion({ y: 1, eta: 3, grid: squareGrid(1e6, 16) });
    expect(r.counts.diverged).toBeGreaterThan(200);
    expect(r.x.every(Number.isFinite) && r.z.every(Number.isFinite)).toBe(true);
  });
  test('a checked GD step refuses to overflow silently', () => {
    const gd = gradientDescent(f);
    let s = gd.init({ eta: 1.5 }, new Float64Array([1e60, -1e60]));
    expect(thrownCode(() => {
      for (let i = 0; i < 10; i++) s = gd.step(s, undefined);
    })).toBe('NON_FINITE');
  });
});
