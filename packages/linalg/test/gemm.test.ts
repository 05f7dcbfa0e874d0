import fc from 'fast-check';
import { afterAll, describe, expect, test } from 'vitest';
import { gemm, gemmInto, gemvInto, gram, gramInto, key, normal, setKernelThreads, kernelThreads, zeros, type Matrix } from '../src/index.js';
import { gemmMatchesNaive, naiveGemmInto, thrownCode } from '../src/laws/index.js';
import { gemmSumsJs } from '../src/kernels/gemm-js.js';
import { failNextSlice, resetThreads, terminateGemmWorkers } from '../src/kernels/gemm-threads.js';
import { KC, MC, NC } from '../src/kernels/gemm-module.js';

afterAll(() => terminateGemmWorkers());

const random = (rows: number, cols: number, seed: number): Matrix => ({ rows, cols, data: normal(key(seed), rows * cols) });

function sameBits(x: Float64Array, y: Float64Array): boolean {
  if (x.length !== y.length) return false;
  for (let i = 0; i < x.length; i++) if (!Object.is(x[i], y[i])) return false;
  return true;
}

describe('gemm kernel', () => {
  test('equals the naive loop bit for bit on small shapes, edge tiles, all transposes, α/β, NaN/±∞/−0', () => {
    fc.assert(gemmMatchesNaive({ maxDim: 40 }), { numRuns: 300 });
  });

  test('equals the naive loop across k-blocks (k > KC) and row blocks (m > MC)', () => {
    fc.assert(gemmMatchesNaive({ maxDim: MC + 9, maxK: KC + 40 }), { numRuns: 12 });
  });

  test('equals the naive loop across column blocks (n > NC) and on 1×n, n×1 shapes', () => {
    for (const [m, n, k] of [[3, NC + 5, 7], [1, 700, 300], [700, 1, 300], [1, 1, 5000], [33, 1, 1]] as const) {
      for (const [ta, tb] of [[false, false], [true, false], [false, true], [true, true]] as const) {
        const a = random(ta ? k : m, ta ? m : k, m + n);
        const b = random(tb ? n : k, tb ? k : n, m * n + k);
        const want = naiveGemmInto(a, b, zeros(m, n), { transA: ta, transB: tb, alpha: 0.5 });
        expect(sameBits(gemm(a, b, { transA: ta, transB: tb, alpha: 0.5 }).data, want.data)).toBe(true);
      }
    }
  });

  test('the JavaScript fallback computes the same sums as the naive loop', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 30 }), fc.integer({ min: 1, max: 30 }), fc.integer({ min: 1, max: 300 }), fc.boolean(), fc.boolean(), fc.nat(), (m, n, k, ta, tb, seed) => {
        const a = random(ta ? k : m, ta ? m : k, seed);
        const b = random(tb ? n : k, tb ? k : n, seed + 1);
        const nPad = Math.ceil(n / 4) * 4;
        const sums = new Float64Array(Math.ceil(m / 4) * 4 * nPad);
        gemmSumsJs(a, b, ta, tb, m, n, k, sums);
        const want = naiveGemmInto(a, b, zeros(m, n), { transA: ta, transB: tb });
        for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) if (!Object.is(sums[i * nPad + j], want.data[i * n + j])) return false;
        return true;
      }),
      { numRuns: 60 },
    );
  });

  test('results are identical for 1, 2 and 3 threads (row and column splits, uneven blocks)', () => {
    for (const [m, n, k, ta, tb] of [[131, 150, 140, false, false], [300, 97, 130, true, false], [129, 257, 70, false, true], [150, 150, 150, true, true]] as const) {
      const a = random(ta ? k : m, ta ? m : k, 7);
      const b = random(tb ? n : k, tb ? k : n, 8);
      const c0 = random(m, n, 9);
      const one = gemmInto(a, b, { rows: m, cols: n, data: c0.data.slice() }, { transA: ta, transB: tb, alpha: 1.5, beta: -0.5, threads: 1 });
      expect(sameBits(one.data, naiveGemmInto(a, b, { rows: m, cols: n, data: c0.data.slice() }, { transA: ta, transB: tb, alpha: 1.5, beta: -0.5 }).data)).toBe(true);
      for (const threads of [2, 3]) {
        const many = gemmInto(a, b, { rows: m, cols: n, data: c0.data.slice() }, { transA: ta, transB: tb, alpha: 1.5, beta: -0.5, threads });
        expect(sameBits(many.data, one.data)).toBe(true);
      }
    }
  });

  test('gram is the symmetric product: equal to gemm bit for bit, on one thread or several', () => {
    for (const [m, n] of [[5, 3], [3, 5], [200, 170], [170, 200]] as const) {
      const a = random(m, n, m + n);
      for (const side of ['left', 'right'] as const) {
        const want = gemm(a, a, side === 'left' ? { transA: true } : { transB: true });
        expect(sameBits(gram(a, side).data, want.data)).toBe(true);
        const before = setKernelThreads(3);
        try {
          expect(sameBits(gram(a, side).data, want.data)).toBe(true);
        } finally {
          setKernelThreads(before);
        }
      }
    }
  });

  test('a failing worker is a DescentError, never a hang; later products run on one thread', () => {
    const a = random(160, 160, 1);
    const want = gemm(a, a);
    gemm(a, a, { threads: 2 }); // start the pool
    failNextSlice(0);
    expect(thrownCode(() => gemm(a, a, { threads: 2 }))).toBe('NOT_CONVERGED');
    expect(sameBits(gemm(a, a, { threads: 2 }).data, want.data)).toBe(true);
    resetThreads();
    expect(sameBits(gemm(a, a, { threads: 2 }).data, want.data)).toBe(true);
  });

  test('bad shapes, aliasing and thread counts are rejected before any work', () => {
    const a = random(3, 4, 1);
    expect(thrownCode(() => gemm(a, a))).toBe('SHAPE_MISMATCH');
    expect(thrownCode(() => gemmInto(a, a, zeros(4, 4), { transA: true, transB: true }))).toBe('SHAPE_MISMATCH');
    expect(thrownCode(() => gemm({ rows: 1e9, cols: 1e9, data: new Float64Array(4) }, a))).toBe('SHAPE_MISMATCH');
    expect(thrownCode(() => gemm({ rows: Infinity, cols: 3, data: new Float64Array(3) }, a))).toBe('SHAPE_MISMATCH');
    const sq = random(3, 3, 2);
    expect(thrownCode(() => gemmInto(sq, sq, sq))).toBe('SHAPE_MISMATCH');
    expect(thrownCode(() => gemm(sq, sq, { threads: 0 }))).toBe('INVALID_CONFIG');
    expect(thrownCode(() => gemm(sq, sq, { threads: 1.5 }))).toBe('INVALID_CONFIG');
    expect(thrownCode(() => setKernelThreads(-1))).toBe('INVALID_CONFIG');
    expect(kernelThreads()).toBe(1);
    expect(thrownCode(() => gramInto(sq, zeros(2, 2)))).toBe('SHAPE_MISMATCH');
  });

  test('empty dimensions: k = 0 gives β·C, m or n = 0 gives an empty matrix', () => {
    const out = { rows: 2, cols: 2, data: new Float64Array([1, 2, NaN, 4]) };
    expect(Array.from(gemmInto(zeros(2, 0), zeros(0, 2), out, { beta: 2 }).data)).toEqual([2, 4, NaN, 8]);
    expect(Object.is(gemmInto(zeros(1, 0), zeros(0, 1), { rows: 1, cols: 1, data: new Float64Array([-0]) }, { beta: 1 }).data[0], 0)).toBe(true);
    expect(Array.from(gemmInto(zeros(2, 0), zeros(0, 2), out).data)).toEqual([0, 0, 0, 0]);
    expect(gemm(zeros(0, 3), zeros(3, 5)).data.length).toBe(0);
  });
});

describe('gemv kernel', () => {
  test('A·x sums even and odd columns per row, Aᵀ·x adds rows in order: equal to those loops bit for bit', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 13 }), fc.integer({ min: 0, max: 13 }), fc.nat(), fc.double({ min: -2, max: 2, noNaN: true }), fc.oneof(fc.constant(0), fc.double({ min: -2, max: 2, noNaN: true })), (m, n, seed, alpha, beta) => {
        const a = random(m, n, seed);
        const x = normal(key(seed + 1), n);
        const xt = normal(key(seed + 2), m);
        const y0 = normal(key(seed + 3), m);
        const yt0 = normal(key(seed + 4), n);
        const want = new Float64Array(m);
        for (let i = 0; i < m; i++) {
          let s0 = 0, s1 = 0;
          for (let j = 0; j < n; j++) if (j % 2 === 0) s0 += a.data[i * n + j]! * x[j]!; else s1 += a.data[i * n + j]! * x[j]!;
          want[i] = beta === 0 ? alpha * (s0 + s1) : alpha * (s0 + s1) + beta * y0[i]!;
        }
        const wantT = yt0.map((v) => (beta === 0 ? 0 : beta === 1 ? v : beta * v));
        for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) wantT[j] = wantT[j]! + alpha * xt[i]! * a.data[i * n + j]!;
        return sameBits(gemvInto(a, x, y0.slice(), { alpha, beta }), want) && sameBits(gemvInto(a, xt, yt0.slice(), { trans: true, alpha, beta }), wantT);
      }),
      { numRuns: 200 },
    );
  });
});
