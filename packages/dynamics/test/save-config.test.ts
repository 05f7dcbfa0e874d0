import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { unknownKeyProblem } from '@descent/linalg/laws';
import { DescentError, matrix, serialize } from '@descent/linalg';
import {
  boundaryMask, classifyStart, deserializeState, gradientDescent, matrixFactorizationObjective, objectiveSharpness, regionMap, scalarVectorCriticalStepSize,
  scalarVectorCriticalStepSizeAt, scalarVectorObjective, scalarVectorRegion, serializeState, sharpness, sohlBoxCountingDimension, sohlConvergenceMeasure,
  squareGrid, vectorTargetObjective, type GdState,
} from '@descent/dynamics';

const bits = (s: unknown) => JSON.stringify(serialize(s));
const objectives = [
  scalarVectorObjective({ d: 2, y: 1, lambda: 0.1 }),
  vectorTargetObjective({ y: new Float64Array([1, -2]), lambda: 0 }),
  matrixFactorizationObjective({ Y: matrix(2, 2, new Float64Array([1, 0.5, 0.5, 2])), k: 1 }),
];

describe('save and resume', () => {
  test('GD maps: deserializeState(JSON of serializeState(s)) steps bit-identically to s', () => {
    fc.assert(
      fc.property(fc.nat(objectives.length - 1), fc.double({ min: 0.01, max: 0.4, noNaN: true }), fc.nat(6), fc.integer({ min: 1, max: 8 }), fc.nat(1000), (i, eta, before, after, seed) => {
        const f = objectives[i]!;
        const gd = gradientDescent(f);
        const x0 = Float64Array.from({ length: f.dim }, (_, j) => Math.sin(seed + 3 * j) * 0.8);
        let s: GdState = gd.init({ eta }, x0);
        for (let k = 0; k < before; k++) s = gd.step(s, undefined);
        let r = deserializeState<GdState>(gd, JSON.parse(JSON.stringify(serializeState(gd, s))), { like: gd.init({ eta }, x0) });
        expect(bits(r)).toBe(bits(s));
        for (let k = 0; k < after; k++) {
          s = gd.step(s, undefined);
          r = gd.step(r, undefined);
        }
        return bits(r) === bits(s);
      }),
      { numRuns: 100 },
    );
  });

  test("a GD map refuses another map's state or a state of the wrong dimension", () => {
    const a = gradientDescent(objectives[0]!), b = gradientDescent(objectives[2]!);
    const s = a.init({ eta: 0.1 }, new Float64Array(objectives[0]!.dim));
    expect(() => deserializeState(b, serializeState(a, s))).toThrow(DescentError);
    expect(() => deserializeState(a, serializeState(a, { ...s, x: new Float64Array(1) }), { like: s })).toThrow(/INVALID_STATE|length/);
  });
});

describe('strict configs', () => {
  const rejects = (f: () => unknown, where: string, bad: string, near: string) => expect(unknownKeyProblem(f, where, bad, near)).toBeUndefined();

  test('every config and options object rejects an unknown key', () => {
    const f = objectives[0]!;
    const gd = gradientDescent(f);
    const grid = squareGrid(1, 4);
    rejects(() => gd.init({ eta: 0.1, chek: false } as never, new Float64Array(f.dim)), gd.name.replace('gd:', 'gradientDescent(') + ')', 'chek', 'check');
    rejects(() => scalarVectorObjective({ y: 1, lamda: 0 } as never), 'scalarVectorObjective', 'lamda', 'lambda');
    rejects(() => vectorTargetObjective({ y: new Float64Array(1), lamda: 0 } as never), 'vectorTargetObjective', 'lamda', 'lambda');
    rejects(() => matrixFactorizationObjective({ Y: matrix(1, 1, new Float64Array([1])), k: 1, K: 1 } as never), 'matrixFactorizationObjective', 'K', 'k');
    rejects(() => classifyStart(f, new Float64Array(f.dim), 0.1, { maxStep: 3 } as never), 'classifyStart', 'maxStep', 'maxSteps');
    rejects(() => scalarVectorRegion({ y: 1, eta: 0.1, grid, maxstep: 3 } as never), 'scalarVectorRegion', 'maxstep', 'maxSteps');
    rejects(() => scalarVectorRegion({ y: 1, eta: 0.1, grid: { ...grid, n3: 2 } } as never), 'scalarVectorRegion', 'n3', 'n1');
    rejects(() => regionMap(f, { eta: 0.1, grid, labelof: () => 0 } as never), 'regionMap', 'labelof', 'labelOf');
    rejects(() => sohlConvergenceMeasure({ y: 1, eta: 0.1, grid }, { windows: 3 } as never), 'sohlConvergenceMeasure', 'windows', 'window');
    rejects(() => scalarVectorCriticalStepSize(1, { lambd: 0 } as never), 'scalarVectorCriticalStepSize', 'lambd', 'lambda');
    rejects(() => scalarVectorCriticalStepSizeAt(new Float64Array([1, 1]), 1, { los: 'half' } as never), 'scalarVectorCriticalStepSizeAt', 'los', 'loss');
    rejects(() => sharpness((v, o) => (o.set(v), o), 1, { maxIters: 3 } as never), 'sharpness', 'maxIters', 'maxIter');
    rejects(() => objectiveSharpness(f, new Float64Array(f.dim), { tolerance: 1 } as never), 'objectiveSharpness', 'tolerance', 'tol');
    rejects(() => boundaryMask(new Float64Array(4), 2, 2, { side: 'one' } as never), 'boundaryMask', 'side', 'sides');
    rejects(() => sohlBoxCountingDimension(new Float64Array(4), 2, 2, { bin: 2 } as never), 'sohlBoxCountingDimension', 'bin', 'bins');
  });
});
