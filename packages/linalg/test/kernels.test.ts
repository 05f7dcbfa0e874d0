import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import {
  axpy, dot, fromRows, gemm, gemmInto, gemv, globalNorm, gram, key, matrix, norm2, normFro, normInf, normal,
  outer, scale, transpose, transposeInto, zeros, type Matrix,
} from '@descent/linalg';
import { gaussianMatrix, maxAbsDiff, thrownCode } from '@descent/linalg/laws';

function naiveGemm(a: Matrix, b: Matrix, ta: boolean, tb: boolean): Matrix {
  const m = ta ? a.cols : a.rows;
  const k = ta ? a.rows : a.cols;
  const n = tb ? b.rows : b.cols;
  const out = zeros(m, n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) {
        const x = ta ? a.data[p * a.cols + i]! : a.data[i * a.cols + p]!;
        const y = tb ? b.data[j * b.cols + p]! : b.data[p * b.cols + j]!;
        s += x * y;
      }
      out.data[i * n + j] = s;
    }
  }
  return out;
}


describe('vector kernels', () => {
  test('dot, axpy, scale and norms agree with naive loops', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 40 }), fc.integer({ min: 0, max: 1e9 }), fc.double({ min: -10, max: 10, noNaN: true }), (n, seed, alpha) => {
        const x = normal(key(seed), n);
        const y = normal(key(seed + 1), n);
        let d = 0;
        let s2 = 0;
        let inf = 0;
        for (let i = 0; i < n; i++) {
          d += x[i]! * y[i]!;
          s2 += x[i]! ** 2;
          inf = Math.max(inf, Math.abs(x[i]!));
        }
        const ax = axpy(alpha, x, y);
        const sc = scale(alpha, x);
        return (
          Math.abs(dot(x, y) - d) <= 1e-13 * (1 + Math.abs(d)) * n &&
          ax.every((v, i) => v === alpha * x[i]! + y[i]!) &&
          sc.every((v, i) => v === alpha * x[i]!) &&
          Math.abs(norm2(x) - Math.sqrt(s2)) <= 1e-14 * (1 + Math.sqrt(s2)) &&
          normInf(x) === inf
        );
      }),
      { numRuns: 100 },
    );
  });

  test('norm2 neither overflows nor underflows', () => {
    expect(norm2(new Float64Array([3e200, 4e200]))).toBeCloseTo(5e200, -186);
    expect(norm2(new Float64Array([3e-200, 4e-200])) / 5e-200).toBeCloseTo(1, 14);
    expect(norm2(new Float64Array(0))).toBe(0);
    expect(globalNorm([new Float64Array([3]), new Float64Array([4])])).toBe(5);
    expect(normFro(fromRows([[1, 1], [1, 1]]))).toBe(2);
  });

  test('shape mismatches are rejected', () => {
    expect(thrownCode(() => dot(new Float64Array(2), new Float64Array(3)))).toBe('SHAPE_MISMATCH');
    expect(thrownCode(() => axpy(1, new Float64Array(2), new Float64Array(3)))).toBe('SHAPE_MISMATCH');
  });
});

describe('matrix kernels', () => {
  test('gemm matches the naive triple loop for all four transpose combinations', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 19 }),
        fc.integer({ min: 1, max: 19 }),
        fc.integer({ min: 0, max: 300 }),
        fc.boolean(),
        fc.boolean(),
        fc.integer({ min: 0, max: 1e9 }),
        (m, n, k, ta, tb, seed) => {
          const a = { rows: ta ? k : m, cols: ta ? m : k, data: normal(key(seed), m * k) };
          const b = { rows: tb ? n : k, cols: tb ? k : n, data: normal(key(seed + 1), n * k) };
          const got = gemm(a, b, { transA: ta, transB: tb });
          const want = naiveGemm(a, b, ta, tb);
          // Summation order differs (blocked); error ≲ k·ε·Σ|a||b| ≈ k·ε·k.
          return got.rows === m && got.cols === n && maxAbsDiff(got.data, want.data) <= 4 * (k + 1) * 2 ** -52 * (k + 1);
        },
      ),
      { numRuns: 150 },
    );
  });

  test('gemm honours alpha and beta, and ignores NaN in out when beta = 0', () => {
    const a = fromRows([[1, 2], [3, 4]]);
    const out = matrix(2, 2, new Float64Array(4)); // NaN cannot enter through a constructor: poison it in place
    out.data[0] = NaN;
    expect(Array.from(gemmInto(a, a, out).data)).toEqual([7, 10, 15, 22]);
    expect(Array.from(gemmInto(a, a, out, { alpha: 2, beta: -1 }).data)).toEqual([7, 10, 15, 22]);
    // K > 256 exercises the k-blocking with accumulation.
    const big = { rows: 3, cols: 600, data: normal(key(5), 1800) };
    expect(maxAbsDiff(gemm(big, big, { transB: true }).data, naiveGemm(big, big, false, true).data)).toBeLessThan(1e-11);
  });

  test('gemv, gram, outer and transpose agree with gemm', () => {
    fc.assert(
      fc.property(gaussianMatrix({ maxRows: 15, maxCols: 15 }), fc.integer({ min: 0, max: 1e9 }), (a, seed) => {
        const x = normal(key(seed), a.cols);
        const y = normal(key(seed + 1), a.rows);
        const gx = gemv(a, x);
        const gy = gemv(a, y, { trans: true });
        const wx = gemm(a, { rows: a.cols, cols: 1, data: x });
        const wy = gemm(a, { rows: a.rows, cols: 1, data: y }, { transA: true });
        const g = gram(a);
        const gg = gram(a, 'right');
        const t = transpose(a);
        const scaleTol = 1e-12 * (1 + Math.max(...Array.from(a.data, Math.abs))) ** 2 * a.cols;
        const symmetric = (m: Matrix) => m.data.every((v, i) => v === m.data[(i % m.cols) * m.cols + Math.floor(i / m.cols)]);
        return (
          maxAbsDiff(gx, wx.data) <= scaleTol &&
          maxAbsDiff(gy, wy.data) <= scaleTol &&
          maxAbsDiff(g.data, gemm(a, a, { transA: true }).data) <= scaleTol &&
          symmetric(g) &&
          symmetric(gg) &&
          maxAbsDiff(outer(x, x).data, gemm({ rows: x.length, cols: 1, data: x }, { rows: 1, cols: x.length, data: x }).data) === 0 &&
          t.data.every((v, i) => v === a.data[(i % a.rows) * a.cols + Math.floor(i / a.rows)])
        );
      }),
      { numRuns: 100 },
    );
  });

  test('bad shapes and aliasing are rejected', () => {
    const a = fromRows([[1, 2, 3]]);
    expect(thrownCode(() => gemm(a, a))).toBe('SHAPE_MISMATCH');
    expect(thrownCode(() => gemmInto(a, a, zeros(2, 2), { transA: true }))).toBe('SHAPE_MISMATCH');
    const sq = fromRows([[1, 2], [3, 4]]);
    expect(thrownCode(() => gemmInto(sq, sq, sq))).toBe('SHAPE_MISMATCH');
    expect(thrownCode(() => transposeInto(sq, sq))).toBe('SHAPE_MISMATCH');
    expect(thrownCode(() => gemv(sq, new Float64Array(3)))).toBe('SHAPE_MISMATCH');
  });
});
