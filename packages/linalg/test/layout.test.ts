import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { blockView, fromRows, identity, layoutSize, matrixView, pack, placeBlocks, unpack, type Layout } from '@descent/linalg';
import { fromNdarray, toNdarray } from '@descent/linalg/ndarray';
import { fromMlMatrix, toMlMatrix } from '@descent/linalg/mlmatrix';
import ndarray from 'ndarray';
import { Matrix as MlMatrix } from 'ml-matrix';
import { gaussianMatrix, thrownCode } from '@descent/linalg/laws';


const layout: Layout = [
  { name: 'W1', shape: [3, 2] },
  { name: 'b1', shape: [2] },
  { name: 'scale', shape: [] },
];

describe('Layout', () => {
  test('pack and unpack are inverse; offsets follow storage order', () => {
    expect(layoutSize(layout)).toBe(9);
    expect(placeBlocks(layout).map((b) => b.offset)).toEqual([0, 6, 8]);
    const x = pack(layout, { W1: fromRows([[1, 2], [3, 4], [5, 6]]), b1: [7, 8], scale: new Float64Array([9]) });
    expect(Array.from(x)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const parts = unpack(layout, x);
    expect(Array.from(parts.b1!)).toEqual([7, 8]);
    expect(Array.from(pack(layout, parts))).toEqual(Array.from(x));
  });

  test('views are zero-copy: writes go through to the flat vector', () => {
    const x = new Float64Array(9);
    matrixView(layout, x, 'W1').data[5] = 42;
    blockView(layout, x, 'scale')[0] = -1;
    expect(x[5]).toBe(42);
    expect(x[8]).toBe(-1);
    expect(matrixView(layout, x, 'W1').rows).toBe(3);
  });

  test('bad layouts and blocks are rejected', () => {
    expect(thrownCode(() => placeBlocks([{ name: 'a', shape: [2] }, { name: 'a', shape: [1] }]))).toBe('INVALID_CONFIG');
    expect(thrownCode(() => placeBlocks([{ name: 'a', shape: [0] }]))).toBe('INVALID_CONFIG');
    expect(thrownCode(() => pack(layout, { W1: [1], b1: [1, 2], scale: [1] }))).toBe('SHAPE_MISMATCH');
    expect(thrownCode(() => pack(layout, { W1: new Float64Array(6), b1: [1, 2] }))).toBe('SHAPE_MISMATCH');
    expect(thrownCode(() => pack(layout, { W1: new Float64Array(6), b1: [1, 2], scale: [1], extra: [1] }))).toBe('SHAPE_MISMATCH');
    expect(thrownCode(() => matrixView(layout, new Float64Array(9), 'b1'))).toBe('SHAPE_MISMATCH');
    expect(thrownCode(() => blockView(layout, new Float64Array(8), 'b1'))).toBe('SHAPE_MISMATCH');
    expect(thrownCode(() => blockView(layout, new Float64Array(9), 'nope'))).toBe('INVALID_CONFIG');
  });
});

describe('conversions', () => {
  test('ndarray round trip shares memory for contiguous views and copies strided ones', () => {
    fc.assert(
      fc.property(gaussianMatrix(), (a) => {
        const nd = toNdarray(a);
        const back = fromNdarray(nd);
        const t = fromNdarray(nd.transpose(1, 0));
        let ok = back.data === a.data || back.data.buffer === a.data.buffer;
        for (let i = 0; i < a.rows; i++) for (let j = 0; j < a.cols; j++) ok &&= nd.get(i, j) === a.data[i * a.cols + j] && t.data[j * a.rows + i] === a.data[i * a.cols + j];
        return ok;
      }),
      { numRuns: 50 },
    );
    const v = fromNdarray(ndarray(new Float64Array([1, 2, 3])));
    expect([v.rows, v.cols]).toEqual([1, 3]);
    expect(thrownCode(() => fromNdarray(ndarray(new Float64Array(8), [2, 2, 2])))).toBe('SHAPE_MISMATCH');
  });

  test('ml-matrix round trip', () => {
    fc.assert(
      fc.property(gaussianMatrix(), (a) => {
        const m = toMlMatrix(a);
        const back = fromMlMatrix(m);
        return m.rows === a.rows && m.columns === a.cols && back.data.every((v, i) => v === a.data[i]);
      }),
      { numRuns: 50 },
    );
    expect(Array.from(fromMlMatrix(MlMatrix.eye(2)).data)).toEqual(Array.from(identity(2).data));
  });
});
