import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { DescentError } from '@descent/linalg';
import { boxSet, budgetBoxSet, project, projectInto, simplexSet } from '@descent/risk';
import { projectionLaw } from '@descent/risk/laws';
import { thrownError } from '@descent/linalg/laws';

describe('projections', () => {
  test('laws: in the set, idempotent, variational inequality', () => {
    fc.assert(projectionLaw(simplexSet(), 5), { numRuns: 300 });
    fc.assert(projectionLaw(simplexSet(2.5), 3), { numRuns: 300 });
    fc.assert(projectionLaw(boxSet(-1, [1, 2, 3], 3), 3), { numRuns: 300 });
    fc.assert(projectionLaw(budgetBoxSet(0, 0.5, 4, 1), 4), { numRuns: 300 });
    fc.assert(projectionLaw(budgetBoxSet([-1, 0, 0.2], [1, 1, 0.4], 3, 0.5), 3), { numRuns: 300 });
  });
  test('the law can fail: an empty box (upper < lower) is caught', () => {
    const fake = { kind: 'box', lower: new Float64Array([0, 0]), upper: new Float64Array([1, 1]) } as const;
    // a box whose bounds are violated after the call cannot pass "in the set"
    const broken = { ...fake, upper: new Float64Array([1, -1]) };
    expect(() => fc.assert(projectionLaw(broken as never, 2), { numRuns: 50 })).toThrow();
  });
  test('known values', () => {
    for (const v of project(simplexSet(), new Float64Array([0.5, 0.5, 0.5]))) expect(v).toBeCloseTo(1 / 3, 15);
    expect(Array.from(project(simplexSet(), new Float64Array([2, 0, -1])))).toEqual([1, 0, 0]);
    expect(Array.from(project(boxSet(0, 1, 2), new Float64Array([-1, 3])))).toEqual([0, 1]);
    const w = project(budgetBoxSet(0, 0.5, 3, 1), new Float64Array([5, 0, 0]));
    expect(w[0]).toBeCloseTo(0.5, 12);
    expect(w[1]).toBeCloseTo(0.25, 12);
    // the input is untouched; projectInto may alias
    const v = new Float64Array([2, 0]);
    project(simplexSet(), v);
    expect(Array.from(v)).toEqual([2, 0]);
    expect(Array.from(projectInto(simplexSet(), v, v))).toEqual([1, 0]);
  });
  test('infeasible sets and shape errors', () => {
    for (const f of [
      () => simplexSet(0),
      () => boxSet(1, 0, 2),
      () => budgetBoxSet(0, 0.2, 3, 1),
      () => budgetBoxSet(0.5, 1, 3, 1),
      () => projectInto(simplexSet(), new Float64Array(2), new Float64Array(3)),
      () => project(boxSet(0, 1, 3), new Float64Array(2)),
    ]) {
      expect(thrownError(f)).toBeInstanceOf(DescentError);
    }
  });
});
