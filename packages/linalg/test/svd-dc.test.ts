import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { gemm, key, normal, qr, svd, type Matrix, type SvdMethod } from '@descent/linalg';
import { gaussianMatrix, maxAbs, maxAbsDiff, orthonormalityError, rankDeficientMatrix, svdReconstructs, thrownCode, usv } from '@descent/linalg/laws';
import { loadFixture } from './fixtures.js';

const EPS = 2 ** -52;
const METHODS: readonly SvdMethod[] = ['dc', 'qr'];

interface Case { name: string; a: Matrix; s: number[]; u?: Matrix; v?: Matrix; gaps?: number[] }
const fx = loadFixture<{ cases: Case[] }>('svd_dc.json');

/**
 * Backward error, orthonormality and order of an SVD, all in units of k·ε with k = max(m, n) and the
 * backward error relative to σ₀ = ‖A‖₂ (an entry of A − U S Vᵀ is at most its 2-norm).
 */
function svdHolds(a: Matrix, f: { u: Matrix; s: Float64Array; v: Matrix }, units = 32): boolean {
  const k = Math.max(a.rows, a.cols);
  const top = Math.max(f.s[0] ?? 0, maxAbs(a.data), Number.MIN_VALUE);
  for (let i = 0; i < f.s.length; i++) if (!(f.s[i]! >= 0) || (i > 0 && f.s[i]! > f.s[i - 1]!)) return false;
  return (
    orthonormalityError(f.u) <= units * k * EPS &&
    orthonormalityError(f.v) <= units * k * EPS &&
    maxAbsDiff(usv(f.u, f.s, f.v).data, a.data) <= units * k * EPS * top
  );
}

function orthogonal(n: number, seed: number): Matrix {
  return qr({ rows: n, cols: n, data: normal(key(seed), n * n) }).q;
}

/** U[:, :k]·diag(s)·V[:, :k]ᵀ for random orthogonal U (m×m) and V (n×n). */
function withSingularValues(m: number, n: number, s: ArrayLike<number>, seed: number): Matrix {
  const k = s.length;
  const u = orthogonal(m, seed);
  const v = orthogonal(n, seed + 1);
  const us = { rows: m, cols: k, data: new Float64Array(m * k) };
  const vk = { rows: n, cols: k, data: new Float64Array(n * k) };
  for (let i = 0; i < m; i++) for (let j = 0; j < k; j++) us.data[i * k + j] = u.data[i * m + j]! * s[j]!;
  for (let i = 0; i < n; i++) for (let j = 0; j < k; j++) vk.data[i * k + j] = v.data[i * n + j]!;
  return gemm(us, vk, { transB: true });
}

function upperBidiagonal(d: ArrayLike<number>, e: ArrayLike<number>): Matrix {
  const n = d.length;
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) a[i * n + i] = d[i]!;
  for (let i = 0; i + 1 < n; i++) a[i * n + i + 1] = e[i]!;
  return { rows: n, cols: n, data: a };
}

describe('svd against NumPy (LAPACK gesdd) on the hard cases of the bidiagonal divide and conquer', () => {
  test.each(fx.cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const { a } = c;
    const k = Math.max(a.rows, a.cols);
    const top = Math.max(c.s[0] ?? 0, Number.MIN_VALUE);
    for (const method of METHODS) {
      const f = svd(a, { method });
      // Weyl: a backward error E moves every singular value by at most ‖E‖₂.
      expect(maxAbsDiff(f.s, c.s)).toBeLessThanOrEqual(32 * k * EPS * top);
      expect(svdHolds(a, f)).toBe(true);
      if (c.u !== undefined && c.v !== undefined && c.gaps !== undefined) {
        // Simple singular values: each singular pair agrees with NumPy's up to one common sign, within
        // the perturbation bound 32·k·ε·σ₀/gap on both sides (Wedin).
        const kk = f.s.length;
        for (let j = 0; j < kk; j++) {
          let dot = 0;
          for (let i = 0; i < a.rows; i++) dot += f.u.data[i * kk + j]! * c.u.data[i * kk + j]!;
          const sg = dot < 0 ? -1 : 1;
          const tol = 2 * 32 * k * EPS * top / c.gaps[j]!;
          let du = 0;
          let dv = 0;
          for (let i = 0; i < a.rows; i++) du = Math.max(du, Math.abs(f.u.data[i * kk + j]! - sg * c.u.data[i * kk + j]!));
          for (let i = 0; i < a.cols; i++) dv = Math.max(dv, Math.abs(f.v.data[i * kk + j]! - sg * c.v.data[i * kk + j]!));
          expect(du).toBeLessThanOrEqual(tol);
          expect(dv).toBeLessThanOrEqual(tol);
        }
      }
    }
  });

  test('the fixture holds the hard cases it claims (a silently shrunken fixture fails here)', () => {
    expect(fx.cases.length).toBeGreaterThanOrEqual(35);
    expect(fx.cases.filter((c) => c.u !== undefined).length).toBeGreaterThanOrEqual(8);
    const shapes = fx.cases.map((c) => [c.a.rows, c.a.cols]);
    expect(shapes).toContainEqual([1, 40]);
    expect(shapes).toContainEqual([40, 1]);
    // Zero singular values (exact rank deficiency) and repeated ones are present.
    expect(fx.cases.some((c) => c.s.every((v) => v === 0))).toBe(true);
    expect(fx.cases.some((c) => c.s.length > 20 && Math.abs(c.s[0]! - c.s[10]!) < 1e-12)).toBe(true);
  });
});

describe('svd: both bidiagonal methods satisfy the SVD laws', () => {
  for (const method of METHODS) {
    test(`${method}: sizes around the leaf size and its multiples (20…110), tall and wide`, () => {
      fc.assert(svdReconstructs(gaussianMatrix({ minRows: 20, maxRows: 110, minCols: 20, maxCols: 110 }), { method }), { numRuns: 12 });
    });

    test(`${method}: rank-deficient, 1×n and n×1`, () => {
      fc.assert(svdReconstructs(rankDeficientMatrix({ minRows: 24, maxRows: 80, minCols: 24, maxCols: 80 }), { method }), { numRuns: 12 });
      fc.assert(svdReconstructs(fc.oneof(gaussianMatrix({ minRows: 1, maxRows: 1, maxCols: 70 }), gaussianMatrix({ maxRows: 70, minCols: 1, maxCols: 1 })), { method }), { numRuns: 20 });
    });
  }

  test('repeated singular values (multiplicities up to n) agree between methods and with the planted values', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 90 }),
        fc.integer({ min: 0, max: 30 }),
        fc.array(fc.integer({ min: 0, max: 4 }), { minLength: 1, maxLength: 4 }),
        fc.integer({ min: 0, max: 1e9 }),
        (n, extra, pool, seed) => {
          const s = Float64Array.from({ length: n }, (_, i) => pool[i % pool.length]!).sort().reverse();
          const a = withSingularValues(n + extra, n, s, seed);
          const dc = svd(a);
          const q = svd(a, { method: 'qr' });
          const tol = 32 * (n + extra) * EPS * 4;
          return svdHolds(a, dc) && svdHolds(a, q) && maxAbsDiff(dc.s, s) <= tol && maxAbsDiff(q.s, s) <= tol;
        },
      ),
      { numRuns: 30 },
    );
  });

  test('bidiagonal input with splits, zero diagonal entries, ties and tiny couplings', () => {
    const entry = fc.oneof(fc.constant(0), fc.constant(1), fc.constant(1e-17), fc.constant(1e-8), fc.constant(1e-300), fc.double({ min: -2, max: 2, noNaN: true }));
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 130 }).chain((n) => fc.tuple(fc.array(entry, { minLength: n, maxLength: n }), fc.array(entry, { minLength: n - 1, maxLength: n - 1 }))),
        ([d, e]) => {
          const a = upperBidiagonal(d, e);
          const dc = svd(a);
          const q = svd(a, { method: 'qr' });
          const top = Math.max(maxAbs(a.data), Number.MIN_VALUE);
          return svdHolds(a, dc) && svdHolds(a, q) && maxAbsDiff(dc.s, q.s) <= 64 * d.length * EPS * top;
        },
      ),
      { numRuns: 60 },
    );
  });

  test('graded and extreme scalings (1e±300, subnormal) keep the backward error', () => {
    for (const [m, n] of [[26, 26], [75, 51], [51, 130]] as const) {
      const g = normal(key(m * 1000 + n), m * n);
      for (const lo of [-300, -20]) {
        const hi = lo === -300 ? 300 : 20;
        // Columns graded from 10^lo to 10^hi, then the whole matrix at three scales.
        const graded = g.map((v, i) => v * 10 ** (lo + ((hi - lo) * (i % n)) / Math.max(1, n - 1)));
        for (const s of lo === -300 ? [1] : [1, 1e-290, 1e285]) {
          const a = { rows: m, cols: n, data: graded.map((v) => v * s) };
          for (const method of METHODS) expect(svdHolds(a, svd(a, { method }))).toBe(true);
        }
      }
    }
  });

  test('divide and conquer scales exactly by powers of two and repeats bit for bit (reused buffers)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 20, max: 90 }), fc.integer({ min: 20, max: 90 }), fc.integer({ min: -1000, max: 1000 }), fc.integer({ min: 0, max: 1e9 }), (m, n, e, seed) => {
        const a = { rows: m, cols: n, data: normal(key(seed), m * n) };
        const f = svd(a);
        const other = svd({ rows: n + 1, cols: m, data: normal(key(seed + 1), (n + 1) * m) });
        const again = svd(a);
        const scaled = svd({ rows: m, cols: n, data: a.data.map((v) => v * 2 ** e) });
        return (
          other.s.length === Math.min(m, n + 1) &&
          maxAbsDiff(again.u.data, f.u.data) === 0 &&
          maxAbsDiff(again.v.data, f.v.data) === 0 &&
          maxAbsDiff(scaled.u.data, f.u.data) === 0 &&
          maxAbsDiff(scaled.v.data, f.v.data) === 0 &&
          scaled.s.every((v, i) => v === f.s[i]! * 2 ** e || Math.abs(v - f.s[i]! * 2 ** e) <= 2 ** e * 1e-300)
        );
      }),
      { numRuns: 15 },
    );
  });

  test('does not mutate its input; method and options are checked', () => {
    const g = { rows: 40, cols: 30, data: normal(key(4), 1200) };
    const copy = g.data.slice();
    svd(g);
    svd(g, { method: 'qr' });
    expect(g.data).toEqual(copy);
    expect(thrownCode(() => svd(g, { method: 'jacobi' as SvdMethod }))).toBe('INVALID_CONFIG');
    expect(thrownCode(() => svd(g, { methd: 'qr' } as never))).toBe('INVALID_CONFIG');
    expect(thrownCode(() => svd(g, null as never))).toBe('INVALID_CONFIG');
  });
});
