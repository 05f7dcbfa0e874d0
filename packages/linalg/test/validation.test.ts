import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { assertArrayLike, assertDims, assertMatrixStructure, assertNumber, assertSize, assertVector, cloneMatrix, diag, fromRows, gemmInto, identity, layoutSize, matrix, MAX_ELEMENTS, pack, toRows, unpack, zeros, type Matrix, assertKnownKeys, cholesky, closestKey, editDistance, invSqrtPsd, lu, luSolve, newtonSchulz, newtonSchulzInto, newtonSchulzWorkspace, pinv, polarInto, polarWorkspace, racs, svd } from '@descent/linalg';
import { thrownCode, thrownError } from '@descent/linalg/laws';

const badSizes = [Infinity, -Infinity, NaN, 1e9, 1e308, -1, 1.5, MAX_ELEMENTS + 1];
const notNumbers: unknown[] = [null, undefined, '3', {}, [2]];

describe('sizes are safe non-negative integers within the allocation limit', () => {
  test('assertSize rejects every non-size with SHAPE_MISMATCH and accepts the limit itself', () => {
    for (const n of [...badSizes, ...notNumbers]) expect(thrownCode(() => assertSize(n as number, 'f', 'n'))).toBe('SHAPE_MISMATCH');
    expect(thrownCode(() => assertSize(MAX_ELEMENTS, 'f', 'n'))).toBe('none');
    expect(thrownCode(() => assertSize(0, 'f', 'n'))).toBe('none');
  });

  test('a product of sizes above the limit is rejected even when each factor is fine', () => {
    expect(thrownCode(() => assertDims(2 ** 15, 2 ** 14, 'f', 'A'))).toBe('SHAPE_MISMATCH');
    expect(thrownCode(() => assertDims(2 ** 14, 2 ** 14, 'f', 'A'))).toBe('none');
  });

  test('constructors reject bad sizes before allocating', () => {
    for (const n of [...badSizes, ...notNumbers]) {
      expect(thrownCode(() => zeros(n as number, 2))).toBe('SHAPE_MISMATCH');
      expect(thrownCode(() => zeros(2, n as number))).toBe('SHAPE_MISMATCH');
      expect(thrownCode(() => identity(n as number))).toBe('SHAPE_MISMATCH');
      expect(thrownCode(() => matrix(n as number, 1, new Float64Array(1)))).toBe('SHAPE_MISMATCH');
      // an undefined size means the default (the diagonal's length)
      if (n !== undefined) expect(thrownCode(() => diag(new Float64Array(2), n as number))).toBe('SHAPE_MISMATCH');
    }
  });
});

describe('a matrix whose rows × cols does not match its data is rejected before any loop', () => {
  const liars: Matrix[] = [
    { rows: 3, cols: 1, data: new Float64Array(2) },
    { rows: 1e9, cols: 1, data: new Float64Array(2) },
    { rows: Infinity, cols: 0, data: new Float64Array(0) },
    { rows: 1.5, cols: 2, data: new Float64Array(3) },
    { rows: 2, cols: 2, data: [1, 2, 3, 4] as unknown as Float64Array },
  ];

  test('toRows, cloneMatrix and assertMatrixStructure throw SHAPE_MISMATCH', () => {
    for (const a of liars) {
      expect(thrownCode(() => toRows(a))).toBe('SHAPE_MISMATCH');
      expect(thrownCode(() => cloneMatrix(a))).toBe('SHAPE_MISMATCH');
      expect(thrownCode(() => assertMatrixStructure(a, 'f', 'A'))).toBe('SHAPE_MISMATCH');
    }
  });

  test('an inconsistent out matrix of a kernel is SHAPE_MISMATCH (assertShape checks the structure)', () => {
    const a = identity(2);
    for (const out of [{ rows: 2, cols: 2, data: new Float64Array(3) }, { rows: 2, cols: 2, data: null }]) {
      expect(thrownCode(() => gemmInto(a, a, out as unknown as Matrix))).toBe('SHAPE_MISMATCH');
    }
  });

  test('null and non-objects are SHAPE_MISMATCH, not TypeError', () => {
    for (const a of [null, undefined, 3, 'A', {}]) {
      expect(thrownCode(() => toRows(a as unknown as Matrix))).toBe('SHAPE_MISMATCH');
      expect(thrownCode(() => cloneMatrix(a as unknown as Matrix))).toBe('SHAPE_MISMATCH');
    }
  });
});

describe('constructors check types and finiteness', () => {
  test('matrix needs a Float64Array of finite entries', () => {
    expect(thrownCode(() => matrix(1, 2, [1, 2] as unknown as Float64Array))).toBe('SHAPE_MISMATCH');
    expect(thrownCode(() => matrix(1, 2, null as unknown as Float64Array))).toBe('SHAPE_MISMATCH');
    for (const v of [NaN, Infinity, -Infinity]) {
      expect(thrownCode(() => matrix(1, 2, new Float64Array([1, v])))).toBe('NON_FINITE');
      expect(thrownCode(() => diag(new Float64Array([v, 1])))).toBe('NON_FINITE');
      expect(thrownCode(() => fromRows([[1, v]]))).toBe('NON_FINITE');
    }
  });

  test('fromRows and diag reject non-arrays and non-number entries', () => {
    for (const bad of [null, undefined, 3, {}]) {
      expect(thrownCode(() => fromRows(bad as unknown as number[][]))).toBe('SHAPE_MISMATCH');
      expect(thrownCode(() => fromRows([bad] as unknown as number[][]))).toBe('SHAPE_MISMATCH');
      expect(thrownCode(() => diag(bad as unknown as Float64Array))).toBe('SHAPE_MISMATCH');
    }
    expect(thrownCode(() => fromRows([['1', 2]] as unknown as number[][]))).toBe('NON_FINITE');
  });

  test('valid matrices round-trip through toRows/fromRows unchanged', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 5 }), fc.integer({ min: 1, max: 5 }), fc.integer(), (r, c, seed) => {
        const data = Float64Array.from({ length: r * c }, (_, i) => Math.sin(seed + i));
        const a = matrix(r, c, data);
        const b = fromRows(toRows(a));
        return b.rows === r && (r === 0 || b.cols === c) && b.data.every((v, i) => v === data[i]);
      }),
      { seed: 19, numRuns: 50 },
    );
  });
});

describe('layouts and vectors', () => {
  test('a layout whose size passes the limit is INVALID_CONFIG, not an allocation', () => {
    expect(thrownCode(() => layoutSize([{ name: 'W', shape: [1e308, 1e308] }]))).toBe('INVALID_CONFIG');
    expect(thrownCode(() => layoutSize([{ name: 'W', shape: [2 ** 20, 2 ** 20] }]))).toBe('INVALID_CONFIG');
    expect(thrownCode(() => layoutSize(null as unknown as []))).toBe('INVALID_CONFIG');
    expect(thrownCode(() => layoutSize([null] as unknown as []))).toBe('INVALID_CONFIG');
    expect(thrownCode(() => layoutSize([{ name: 'a' }] as unknown as []))).toBe('INVALID_CONFIG');
  });

  test('pack and unpack reject non-arrays with SHAPE_MISMATCH', () => {
    const layout = [{ name: 'a', shape: [2] }];
    expect(thrownCode(() => unpack(layout, [1, 2] as unknown as Float64Array))).toBe('SHAPE_MISMATCH');
    expect(thrownCode(() => pack(layout, null as unknown as Record<string, Float64Array>))).toBe('SHAPE_MISMATCH');
    expect(thrownCode(() => pack(layout, { a: null as unknown as Float64Array }))).toBe('SHAPE_MISMATCH');
  });

  test('assertVector, assertArrayLike and assertNumber name what was wrong', () => {
    expect(() => assertVector(new Float32Array(2) as unknown as Float64Array, 'f', 'x')).toThrow('f: x must be a Float64Array, got a Float32Array');
    expect(() => assertArrayLike(null as unknown as number[], 'f', 'x')).toThrow('f: x must be an array of numbers, got null');
    expect(() => assertNumber('1' as unknown as number, 'f', 'x')).toThrow('f: x must be a finite number, got "1"');
    expect(thrownCode(() => assertNumber(-Infinity, 'f', 'x', 'NON_FINITE'))).toBe('NON_FINITE');
  });
});

describe('decompositions and matrix functions check options and workspaces at the entry point', () => {
  const g = () => fromRows([[1, 2, 0], [0, 1, 3]]);
  test('a forged or copied workspace is INVALID_CONFIG, and `out` is left untouched', () => {
    const out = zeros(2, 3);
    const ws = newtonSchulzWorkspace(2, 3);
    const forged = { rows: 2, cols: 3, x: new Float64Array(1), s: new Float64Array(1), t: new Float64Array(1) };
    expect(thrownCode(() => newtonSchulzInto(g(), out, { workspace: forged }))).toBe('INVALID_CONFIG');
    expect(thrownCode(() => newtonSchulzInto(g(), out, { workspace: { ...ws } }))).toBe('INVALID_CONFIG');
    expect(thrownCode(() => polarInto(g(), out, { workspace: { ...polarWorkspace(2, 3) } }))).toBe('INVALID_CONFIG');
    expect(Array.from(out.data)).toEqual([0, 0, 0, 0, 0, 0]);
    expect(thrownCode(() => newtonSchulzInto(g(), out, { workspace: ws }))).toBe('none');
  });

  test('null options and options of the wrong type are INVALID_CONFIG naming the called function', () => {
    const calls: [string, () => unknown][] = [
      ['cholesky', () => cholesky(fromRows([[2, 0], [0, 2]]), null as never)],
      ['svd', () => svd(g(), { check: 'yes' as never })],
      ['pinv', () => pinv(g(), { rcond: -1 })],
      ['racs', () => racs(g(), { maxIterations: 1e9 })],
      ['newtonSchulz', () => newtonSchulz(g(), { steps: 1e9 })],
      ['invSqrtPsd', () => invSqrtPsd(fromRows([[2, 0], [0, 2]]), null as never)],
    ];
    for (const [name, call] of calls) {
      const e = thrownError(call);
      expect(e.code, name).toBe('INVALID_CONFIG');
      expect(e.message.startsWith(`${name}:`), e.message).toBe(true);
    }
  });

  test('luSolve checks the factorization and names itself; a lying matrix is rejected before newtonSchulz allocates', () => {
    const f = lu(fromRows([[2, 0], [0, 4]]));
    const bad = { ...f, pivots: Int32Array.from([0, 7]) };
    const e = thrownError(() => luSolve(bad, new Float64Array(2)));
    expect([e.code, e.message.startsWith('luSolve:')]).toEqual(['SHAPE_MISMATCH', true]);
    expect(thrownCode(() => luSolve(f, new Float64Array(3)))).toBe('SHAPE_MISMATCH');
    expect(thrownCode(() => newtonSchulz({ rows: 1e9, cols: 1e9, data: new Float64Array(4) }))).toBe('SHAPE_MISMATCH');
  });

  test('config helpers reject non-strings and non-lists with INVALID_CONFIG', () => {
    expect(thrownCode(() => editDistance(null as never, 'a'))).toBe('INVALID_CONFIG');
    expect(thrownCode(() => closestKey('a', 'ab' as never))).toBe('INVALID_CONFIG');
    expect(thrownCode(() => assertKnownKeys({ a: 1 }, [1] as never, 'f'))).toBe('INVALID_CONFIG');
    expect(thrownCode(() => editDistance('a'.repeat(5000), 'b'))).toBe('INVALID_CONFIG');
  });
});
