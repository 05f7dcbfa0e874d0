import { describe, expect, test } from 'vitest';
import { key } from '@descent/linalg';
import {
  bettiCurve, bezier, diagram, estimateRipsSize, filterDiagram, homotopyTest, linearPathLoss, lmcClasses, lossSlice, mergeHeight, persistenceImage,
  persistenceLandscape, polychain, ripsPersistence, sortDiagram,
} from '@descent/topology';
import { thrownError } from '@descent/linalg/laws';

// Behaviour fixes found by the API fuzz (test/fuzz.test.ts): sizes are bounded before any loop or
// allocation, corrupted structures cannot make a walk loop for ever, and out buffers are checked
// before anything is written into them.
const sq = (x: Float64Array) => x.reduce((s, v) => s + v * v, 0);
const line = [new Float64Array([0, 0]), new Float64Array([1, 0])];

describe('sizes are bounded before any loop runs', () => {
  test('estimateRipsSize: an infinite or huge maxDim is INVALID_CONFIG (its binomial loop would never end)', () => {
    const x = { kind: 'lower' as const, n: 3, data: new Float64Array([1, 2, 1]) };
    for (const maxDim of [Infinity, 1e308, 2 ** 40, -1, 1.5]) expect(thrownError(() => estimateRipsSize(x, { maxDim }))).toMatchObject({ code: 'INVALID_CONFIG', where: 'estimateRipsSize' });
    expect(estimateRipsSize(x, { maxDim: 3 }).numEdges).toBe(2);
  });

  test('homotopyTest: points × steps + 2 × tubeSamples above 2^14 samples is INVALID_CONFIG before the loss is called', () => {
    let calls = 0;
    const loss = (x: Float64Array) => (calls++, sq(x));
    for (const o of [{ points: 1e308 }, { points: 200, steps: 100 }, { steps: 2 ** 15 }, { points: 5, steps: 5, key: key(0), tubeSamples: 9000 }]) {
      expect(thrownError(() => homotopyTest(line, line, loss, o))).toMatchObject({ code: 'INVALID_CONFIG', where: 'homotopyTest' });
    }
    expect(calls).toBe(0);
    expect(homotopyTest(line, line, sq, { points: 5, steps: 3 }).verdict).toBe('certified-on-grid');
  });

  test('path and slice sizes above the allocation limit are INVALID_CONFIG, not a RangeError', () => {
    expect(thrownError(() => linearPathLoss(sq, line[0]!, line[1]!, { points: 1e308 }))).toMatchObject({ code: 'INVALID_CONFIG', where: 'linearPathLoss' });
    expect(thrownError(() => lossSlice(sq, new Float64Array(2), line[0]!, line[1]!, { points: 2 ** 15 }))).toMatchObject({ code: 'INVALID_CONFIG', where: 'lossSlice' });
    expect(thrownError(() => lmcClasses(line, sq, { tol: 0, points: 1e308 }))).toMatchObject({ code: 'INVALID_CONFIG', where: 'lmcClasses' });
    const d = diagram([[0, 1]]);
    expect(thrownError(() => persistenceLandscape(d, { k: 2 ** 20, resolution: 2 ** 20 }))).toMatchObject({ code: 'INVALID_CONFIG', where: 'persistenceLandscape' });
    expect(thrownError(() => persistenceImage(d, { resolution: [2 ** 20, 2 ** 20] }))).toMatchObject({ code: 'INVALID_CONFIG', where: 'persistenceImage' });
  });
});

describe('corrupted structures and bad callbacks', () => {
  test('mergeHeight on a tree whose parent links form a cycle is DOMAIN instead of an endless walk', () => {
    const tree = { parent: new Int32Array([1, 0, -1]), height: new Float64Array([0, 1, 2]) };
    expect(thrownError(() => mergeHeight(tree, 0, 2))).toMatchObject({ code: 'DOMAIN', where: 'mergeHeight' });
    expect(thrownError(() => mergeHeight({ parent: new Int32Array([5, -1]), height: new Float64Array(2) }, 0, 1))).toMatchObject({ code: 'DOMAIN', where: 'mergeHeight' });
    expect(mergeHeight({ parent: new Int32Array([2, 2, -1]), height: new Float64Array([0, 1, 3]) }, 0, 1)).toBe(3);
  });

  test('a loss or weight that is not a function, or an onProgress that is not, is INVALID_CONFIG', () => {
    expect(thrownError(() => linearPathLoss(null as never, line[0]!, line[1]!))).toMatchObject({ code: 'INVALID_CONFIG', where: 'linearPathLoss' });
    expect(thrownError(() => homotopyTest(line, line, 3 as never))).toMatchObject({ code: 'INVALID_CONFIG', where: 'homotopyTest' });
    expect(thrownError(() => persistenceImage(diagram([[0, 1]]), { weight: 1 as never }))).toMatchObject({ code: 'INVALID_CONFIG', where: 'persistenceImage' });
    const x = { kind: 'lower' as const, n: 3, data: new Float64Array([1, 2, 1]) };
    expect(thrownError(() => ripsPersistence(x, { onProgress: 'x' as never }))).toMatchObject({ code: 'INVALID_CONFIG', where: 'ripsPersistence' });
  });

  test('diagram functions validate their diagram and numbers', () => {
    expect(thrownError(() => diagram([[0, 1], [2] as never]))).toMatchObject({ code: 'INVALID_CONFIG', where: 'diagram' });
    expect(thrownError(() => diagram(null as never))).toMatchObject({ code: 'INVALID_CONFIG', where: 'diagram' });
    expect(thrownError(() => sortDiagram({ dim: 0, birth: new Float64Array(2), death: new Float64Array(1) }))).toMatchObject({ code: 'SHAPE_MISMATCH', where: 'sortDiagram' });
    expect(thrownError(() => filterDiagram(diagram([[0, 1]]), NaN))).toMatchObject({ code: 'INVALID_CONFIG', where: 'filterDiagram' });
    expect(thrownError(() => bettiCurve(diagram([[0, 1]]), new Float64Array([0.5, NaN])))).toMatchObject({ code: 'NON_FINITE', where: 'bettiCurve' });
    expect(Array.from(bettiCurve(diagram([[0, 1], [0.5, 2]]), new Float64Array([0.25, 0.75, 1.5])))).toEqual([1, 2, 1]);
  });
});

describe('out buffers are checked before they are written', () => {
  test('bezier and polychain reject an out of the wrong length and leave it untouched', () => {
    const ctrl = [new Float64Array([0, 0]), new Float64Array([1, 2]), new Float64Array([2, 0])];
    for (const f of [bezier, polychain]) {
      const out = new Float64Array([7, 7, 7]);
      expect(thrownError(() => f(ctrl, 0.5, out))).toMatchObject({ code: 'SHAPE_MISMATCH', where: f.name });
      expect(Array.from(out)).toEqual([7, 7, 7]);
      const ok = new Float64Array(2);
      expect(f(ctrl, 0.5, ok)).toBe(ok);
    }
  });
});
