import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import {
  cholesky, choleskySolve, det, eigh, fromRows, gemm, key, lstsq, lu, luSolve, norm2, normal, pinv, qr, solve, svd, zeros,
  type Matrix,
} from '@descent/linalg';
import { gaussianMatrix, maxAbs, maxAbsDiff, orthonormalityError, rankDeficientMatrix, svdReconstructs, usv, thrownCode } from '@descent/linalg/laws';
import { loadFixture } from './fixtures.js';

const EPS = 2 ** -52;

interface General {
  name: string;
  a: Matrix;
  cond: number | null;
  svd_s: number[];
  rank: number;
  pinv: Matrix;
  lstsq_b: number[];
  lstsq_x: number[];
  lstsq_rank: number;
  lstsq_residuals: number[];
  qr_q: Matrix;
  qr_r: Matrix;
}
interface Square { name: string; a: Matrix; b: Matrix; x: Matrix; det: number; cond: number }
interface Symmetric { name: string; a: Matrix; eigenvalues: number[]; cholesky?: Matrix; inv_sqrt?: Matrix; ['inv_sqrt_damped_0.1']?: Matrix }
interface Large { name: string; a: Matrix; svd_s: number[]; rank: number; cond: number | null; qr_rdiag_abs: number[]; lstsq_b: number[]; lstsq_x: number[] }
const fx = loadFixture<{ general: General[]; square: Square[]; symmetric: Symmetric[]; large: Large[] }>('decompositions.json');


describe('cross-check against NumPy/LAPACK fixtures', () => {
  test.each(fx.general.map((c) => [c.name, c] as const))('SVD, rank, pinv, lstsq, QR: %s', (_name, c) => {
    const { a } = c;
    const m = a.rows;
    const n = a.cols;
    const f = svd(a);
    const smax = c.svd_s[0] ?? 0;
    // Singular values are perturbed by at most ~ε·‖A‖₂ for a backward-stable SVD (Weyl).
    const sTol = 32 * Math.max(m, n) * EPS * Math.max(smax, Number.MIN_VALUE);
    expect(maxAbsDiff(f.s, c.svd_s)).toBeLessThanOrEqual(sTol);
    expect(f.rank).toBe(c.rank);
    expect(maxAbsDiff(usv(f.u, f.s, f.v).data, a.data)).toBeLessThanOrEqual(sTol);
    // The pseudo-inverse is as accurate as the smallest kept singular value allows: error ~ ε·κ_r/σ_r.
    const sr = c.rank > 0 ? c.svd_s[c.rank - 1]! : 1;
    const pTol = 64 * Math.max(m, n) * EPS * (smax / sr) / sr;
    expect(maxAbsDiff(pinv(a).data, c.pinv.data)).toBeLessThanOrEqual(pTol);
    const ls = lstsq(a, Float64Array.from(c.lstsq_b));
    expect(ls.rank).toBe(c.lstsq_rank);
    expect(maxAbsDiff(ls.x, c.lstsq_x)).toBeLessThanOrEqual(pTol * norm2(Float64Array.from(c.lstsq_b)));
    if (c.lstsq_residuals.length > 0) {
      // Golub & Van Loan Thm 5.3.1: ‖r̂ − r‖ ≤ ε_A(1 + 2κ)‖b‖ for a backward error ε_A ≈ n·ε, so the
      // squared residual moves by ≤ 2‖r‖ times that.
      const bNorm = norm2(Float64Array.from(c.lstsq_b));
      const rNorm = Math.sqrt(c.lstsq_residuals[0]!);
      const rTol = 2 * rNorm * (16 * n * EPS) * (1 + 2 * (c.cond ?? 1)) * bNorm;
      expect(Math.abs(ls.residuals[0]! - c.lstsq_residuals[0]!)).toBeLessThanOrEqual(rTol);
    }
    const { q, r } = qr(a);
    expect(orthonormalityError(q)).toBeLessThan(64 * Math.max(m, n) * EPS);
    expect(maxAbsDiff(gemm(q, r).data, a.data)).toBeLessThanOrEqual(64 * Math.max(m, n) * EPS * Math.max(maxAbs(a.data), 1e-300));
    // With diag(R) ≥ 0 the factorization is unique when A has full column rank (and is well conditioned).
    if (c.rank === Math.min(m, n) && m >= n && (c.cond ?? Infinity) < 1e6) {
      expect(maxAbsDiff(r.data, c.qr_r.data)).toBeLessThan(1e-12 * (c.cond ?? 1) * maxAbs(a.data));
      expect(maxAbsDiff(q.data, c.qr_q.data)).toBeLessThan(1e-12 * (c.cond ?? 1));
    }
  });

  test.each(fx.square.map((c) => [c.name, c] as const))('solve and det: %s', (_name, c) => {
    const x = solve(c.a, c.b);
    // Forward error ≲ κ·ε·n·‖x‖.
    expect(maxAbsDiff(x.data, c.x.data)).toBeLessThan(16 * c.a.rows * c.cond * EPS * maxAbs(c.x.data));
    // det has relative condition number ≈ κ (a relative perturbation ε of A moves it by ≲ n·κ·ε).
    expect(Math.abs(det(c.a) - c.det)).toBeLessThan(16 * c.a.rows * c.cond * EPS * Math.abs(c.det));
    const col0 = Float64Array.from({ length: c.b.rows }, (_, i) => c.b.data[i * c.b.cols]!);
    const x0 = luSolve(lu(c.a), col0);
    expect(maxAbsDiff(x0, Array.from({ length: c.x.rows }, (_, i) => c.x.data[i * c.x.cols]!))).toBeLessThan(16 * c.a.rows * c.cond * EPS * maxAbs(c.x.data));
  });

  test.each(fx.symmetric.map((c) => [c.name, c] as const))('eigh and cholesky: %s', (_name, c) => {
    const n = c.a.rows;
    const { values, vectors } = eigh(c.a);
    const top = maxAbs(c.eigenvalues);
    expect(maxAbsDiff(values, c.eigenvalues)).toBeLessThan(32 * n * EPS * top);
    expect(orthonormalityError(vectors)).toBeLessThan(32 * n * EPS);
    expect(maxAbsDiff(usv(vectors, values, vectors).data, c.a.data)).toBeLessThan(32 * n * EPS * top);
    if (c.cholesky) {
      const l = cholesky(c.a);
      expect(maxAbsDiff(l.data, c.cholesky.data)).toBeLessThan(1e-12 * Math.sqrt(top) * n);
      const b = Float64Array.from({ length: n }, (_, i) => i + 1);
      const x = choleskySolve(l, b);
      expect(maxAbsDiff(x, solve(c.a, b))).toBeLessThan(1e-9 * maxAbs(x));
    }
  });
});

describe('larger matrices across block boundaries (NumPy/LAPACK fixtures)', () => {
  test.each(fx.large.map((c) => [c.name, c] as const))('SVD, lstsq and QR: %s', (_name, c) => {
    const { a } = c;
    const m = a.rows;
    const n = a.cols;
    const scale = maxAbs(a.data);
    const smax = c.svd_s[0]!;
    // Backward-stable SVD: each σ moves by ≲ ε·‖A‖₂ (Weyl), the factors reconstruct A to the same.
    const sTol = 32 * Math.max(m, n) * EPS * smax;
    const f = svd(a);
    expect(maxAbsDiff(f.s, c.svd_s)).toBeLessThanOrEqual(sTol);
    expect(f.rank).toBe(c.rank);
    expect(maxAbsDiff(usv(f.u, f.s, f.v).data, a.data)).toBeLessThanOrEqual(sTol);
    expect(orthonormalityError(f.u)).toBeLessThan(32 * Math.max(m, n) * EPS);
    expect(orthonormalityError(f.v)).toBeLessThan(32 * Math.max(m, n) * EPS);
    // Minimum-norm solution: forward error ≲ ε·κ_r·‖x‖ plus the residual's κ_r² term.
    const sr = c.svd_s[c.rank - 1]!;
    const ls = lstsq(a, Float64Array.from(c.lstsq_b));
    const kr = smax / sr;
    expect(maxAbsDiff(ls.x, c.lstsq_x)).toBeLessThanOrEqual(64 * Math.max(m, n) * EPS * kr * kr * norm2(Float64Array.from(c.lstsq_b)) / sr);
    const { q, r } = qr(a);
    const k = Math.min(m, n);
    expect(orthonormalityError(q)).toBeLessThan(64 * Math.max(m, n) * EPS);
    expect(maxAbsDiff(gemm(q, r).data, a.data)).toBeLessThanOrEqual(64 * Math.max(m, n) * EPS * scale);
    for (let i = 0; i < k; i++) {
      expect(r.data[i * n + i]).toBeGreaterThanOrEqual(0);
      for (let j = 0; j < i; j++) expect(r.data[i * n + j]).toBe(0);
    }
    // |diag R| is unique for full column rank; it moves by ≲ κ·ε·‖A‖ (it is |det| of leading blocks' ratios).
    if (c.rank === n && m >= n) {
      const diag = Array.from({ length: k }, (_, i) => r.data[i * n + i]!);
      expect(maxAbsDiff(diag, c.qr_rdiag_abs)).toBeLessThanOrEqual(64 * Math.max(m, n) * EPS * (c.cond ?? 1) * smax);
    }
  });
});

describe('blocked QR on shapes that cross the panel width', () => {
  const qrHolds = (g: Matrix) => {
    const { rows: m, cols: n } = g;
    const k = Math.min(m, n);
    const { q, r } = qr(g);
    if (q.rows !== m || q.cols !== k || r.rows !== k || r.cols !== n) return false;
    if (orthonormalityError(q) > 64 * Math.max(m, n) * EPS) return false;
    if (maxAbsDiff(gemm(q, r).data, g.data) > 64 * Math.max(m, n) * EPS * maxAbs(g.data)) return false;
    for (let i = 0; i < k; i++) {
      if (!(r.data[i * n + i]! >= 0)) return false;
      for (let j = 0; j < i; j++) if (r.data[i * n + j] !== 0) return false;
    }
    return true;
  };
  test('Q orthonormal, QR = A, R upper triangular with diag ≥ 0 (random shapes 1…90)', () => {
    fc.assert(fc.property(gaussianMatrix({ maxRows: 90, maxCols: 90 }), qrHolds), { numRuns: 40 });
  });
  test('the same for rank-deficient and power-of-two-scaled matrices', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 20 }), fc.integer({ min: 25, max: 80 }), fc.integer({ min: 25, max: 80 }), fc.integer({ min: -900, max: 900 }), fc.integer({ min: 0, max: 1e9 }), (rk, m, n, e, seed) => {
        const left = { rows: m, cols: rk, data: normal(key(seed), m * rk) };
        const right = { rows: rk, cols: n, data: normal(key(seed + 1), rk * n) };
        const g = gemm(left, right);
        const scaled = { ...g, data: g.data.map((v) => v * 2 ** e) };
        // Scaling by 2^e is exact (entries stay far from the subnormal range for |e| ≤ 900) and QR works at
        // unit scale: R scales exactly, Q does not change.
        const f0 = qr(g);
        const f1 = qr(scaled);
        return qrHolds(g) && maxAbsDiff(f1.q.data, f0.q.data) === 0 && f1.r.data.every((v, i) => v === f0.r.data[i]! * 2 ** e);
      }),
      { numRuns: 30 },
    );
  });
});

describe('blocked eigh on sizes that cross the panel width', () => {
  const symmetricOf = (g: Matrix): Matrix => {
    const n = g.rows;
    const a = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) a[i * n + j] = g.data[i * n + j]! + g.data[j * n + i]!;
    return { rows: n, cols: n, data: a };
  };
  test('A = Q diag(λ) Qᵀ with orthogonal Q and ascending λ (n = 1…90, full and low rank)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 90 }), fc.integer({ min: 0, max: 90 }), fc.integer({ min: 0, max: 1e9 }), (n, rk, seed) => {
        // Low rank as G Gᵀ with G n×rk (rk ≥ n gives full rank), else a random symmetric matrix.
        const a = rk < n
          ? gemm({ rows: n, cols: rk, data: normal(key(seed), n * rk) }, { rows: n, cols: rk, data: normal(key(seed), n * rk) }, { transB: true })
          : symmetricOf({ rows: n, cols: n, data: normal(key(seed), n * n) });
        const { values, vectors } = eigh(a);
        const top = Math.max(maxAbs(values), Number.MIN_VALUE);
        for (let i = 1; i < n; i++) if (!(values[i]! >= values[i - 1]!)) return false;
        return (
          orthonormalityError(vectors) <= 32 * n * EPS &&
          maxAbsDiff(usv(vectors, values, vectors).data, a.data) <= 32 * n * EPS * top
        );
      }),
      { numRuns: 40 },
    );
  });
  test('scaling by 2^e scales the eigenvalues exactly and leaves the eigenvectors unchanged', () => {
    fc.assert(
      fc.property(fc.integer({ min: 20, max: 70 }), fc.integer({ min: -900, max: 900 }), fc.integer({ min: 0, max: 1e9 }), (n, e, seed) => {
        const a = symmetricOf({ rows: n, cols: n, data: normal(key(seed), n * n) });
        const f0 = eigh(a);
        const f1 = eigh({ ...a, data: a.data.map((v) => v * 2 ** e) });
        return maxAbsDiff(f1.vectors.data, f0.vectors.data) === 0 && f1.values.every((v, i) => v === f0.values[i]! * 2 ** e);
      }),
      { numRuns: 20 },
    );
  });
});

describe('blocked SVD (from 48 columns in the tall frame) on shapes crossing the panel width', () => {
  test('reconstructs A with orthonormal factors, tall and wide, full and low rank', () => {
    fc.assert(svdReconstructs(gaussianMatrix({ minRows: 40, maxRows: 100, minCols: 48, maxCols: 100 })), { numRuns: 12 });
    fc.assert(svdReconstructs(rankDeficientMatrix({ minRows: 48, maxRows: 90, minCols: 48, maxCols: 90 })), { numRuns: 12 });
  });
  test('scaling by 2^e scales σ exactly and leaves U and V unchanged', () => {
    fc.assert(
      fc.property(fc.integer({ min: 48, max: 90 }), fc.integer({ min: 48, max: 90 }), fc.integer({ min: -900, max: 900 }), fc.integer({ min: 0, max: 1e9 }), (m, n, e, seed) => {
        const a = { rows: m, cols: n, data: normal(key(seed), m * n) };
        const f0 = svd(a);
        const f1 = svd({ ...a, data: a.data.map((v) => v * 2 ** e) });
        return maxAbsDiff(f1.u.data, f0.u.data) === 0 && maxAbsDiff(f1.v.data, f0.v.data) === 0 && f1.s.every((v, i) => v === f0.s[i]! * 2 ** e);
      }),
      { numRuns: 10 },
    );
  });
  test('graded and ill-conditioned: σ down to 1e-14·σ₀ with backward error ≤ 64·max(m, n)·ε·σ₀', () => {
    for (const [m, n] of [[80, 60], [60, 80], [97, 97]] as const) {
      const k = Math.min(m, n);
      // A = U diag(σ) Vᵀ with σ log-spaced from 1 to 1e-14, from orthonormal factors of QR.
      const u = qr({ rows: m, cols: k, data: normal(key(m), m * k) }).q;
      const v = qr({ rows: n, cols: k, data: normal(key(n + 1), n * k) }).q;
      const sigma = Float64Array.from({ length: k }, (_, i) => 10 ** (-14 * i / (k - 1)));
      const a = usv(u, sigma, v);
      const f = svd(a);
      expect(maxAbsDiff(usv(f.u, f.s, f.v).data, a.data)).toBeLessThanOrEqual(64 * Math.max(m, n) * EPS);
      expect(orthonormalityError(f.u)).toBeLessThan(64 * Math.max(m, n) * EPS);
      expect(orthonormalityError(f.v)).toBeLessThan(64 * Math.max(m, n) * EPS);
      // Weyl: |σ̂ᵢ − σᵢ| ≤ ‖E‖₂ for the backward error E.
      expect(maxAbsDiff(f.s, sigma)).toBeLessThanOrEqual(64 * Math.max(m, n) * EPS);
    }
  });
});

describe('laws', () => {
  test('SVD reconstructs A with orthonormal factors (random, tall, wide)', () => {
    fc.assert(svdReconstructs(), { numRuns: 150 });
  });
  test('SVD reconstructs rank-deficient A and reports its rank', () => {
    fc.assert(svdReconstructs(rankDeficientMatrix()), { numRuns: 100 });
  });
  test('thin SVD of larger matrices (up to 60×60)', () => {
    fc.assert(svdReconstructs(gaussianMatrix({ minRows: 20, maxRows: 60, minCols: 20, maxCols: 60 })), { numRuns: 10 });
  });
  test('rank from the SVD equals the planted rank', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 6, max: 12 }), fc.integer({ min: 6, max: 12 }), fc.integer({ min: 0, max: 1e9 }), (r, m, n, seed) => {
        const left = { rows: m, cols: r, data: normal(key(seed), m * r) };
        const right = { rows: r, cols: n, data: normal(key(seed + 1), r * n) };
        return svd(gemm(left, right)).rank === r;
      }),
      { numRuns: 100 },
    );
  });
});

describe('extreme magnitudes', () => {
  test('SVD and eigh converge on entries near underflow and overflow (regression: 4×3 at 1e-123…1e-306)', () => {
    const a = fromRows([[-1.16e-123, -1.05e-306, 0], [-8.2e-141, 0, 0], [0, 0, 0], [0, 0, 0]]);
    const f = svd(a);
    expect(f.s[0]).toBeCloseTo(1.16e-123, 130);
    expect(Math.abs(f.s[0]! / 1.16e-123 - 1)).toBeLessThan(1e-14);
    expect(orthonormalityError(f.u)).toBeLessThan(1e-14);
    fc.assert(
      fc.property(gaussianMatrix({ maxRows: 6, maxCols: 6 }), fc.integer({ min: -1000, max: 1000 }), (g, e) => {
        const scaled = { ...g, data: g.data.map((v) => v * 2 ** e) };
        const fs = svd(scaled).s;
        const f0 = svd(g).s;
        // Power-of-two scaling is exact, so the singular values scale exactly too (up to subnormal
        // rounding of the smallest ones at e ≈ −1000).
        return fs.every((v, i) => Math.abs(v - f0[i]! * 2 ** e) <= 1e-12 * f0[0]! * 2 ** e + 1e-300);
      }),
      { numRuns: 100 },
    );
    // Regression: a subnormal next to a normal entry made 1/‖row‖ overflow in the bidiagonalization.
    const sub = { rows: 4, cols: 3, data: new Float64Array(12) };
    sub.data[0] = -2.842170943040401e-14;
    sub.data[2] = 5e-324;
    expect(Array.from(svd(sub).s)).toEqual([2.842170943040401e-14, 0, 0]);
    const sym = fromRows([[1e-200, 3e-201], [3e-201, 2e-200]]);
    const { values } = eigh(sym);
    expect(Math.abs(values[1]! / 2.0830951894845302e-200 - 1)).toBeLessThan(1e-14);
  });
});

describe('lstsq on extreme magnitudes', () => {
  test('subnormal A and b give the unscaled solution (regression: [Infinity, NaN] from 1/σ overflowing)', () => {
    const a = fromRows([[1e-309, 0], [0, 2e-309], [1e-309, 1e-309]]);
    const b = new Float64Array([1e-309, 2e-309, 3e-309]);
    const { x, rank, singularValues } = lstsq(a, b);
    // NumPy: [1.4444444444444444, 1.1111111111111112]; subnormal inputs carry ~1e-5 relative error.
    expect(rank).toBe(2);
    expect(Math.abs(x[0]! - 13 / 9)).toBeLessThan(1e-4);
    expect(Math.abs(x[1]! - 10 / 9)).toBeLessThan(1e-4);
    expect(singularValues[0]! / 2.302775637731995e-309).toBeCloseTo(1, 4);
  });
  test('scaling A and b by powers of two scales x exactly', () => {
    fc.assert(
      fc.property(gaussianMatrix({ minRows: 3, maxRows: 7, maxCols: 3 }), fc.integer({ min: -1000, max: 1000 }), fc.integer({ min: -1000, max: 1000 }), fc.integer({ min: 0, max: 1e9 }), (g, ea, eb, seed) => {
        fc.pre(g.rows >= g.cols && Math.abs(eb - ea) < 900);
        const b = normal(key(seed), g.rows);
        const ref = lstsq(g, b);
        const scaled = lstsq({ ...g, data: g.data.map((v) => v * 2 ** ea) }, b.map((v) => v * 2 ** eb));
        // lstsq works on the inputs rescaled to max|·| ≈ 1, which undoes an exact power-of-two
        // scaling, so x scales by exactly 2^(eb−ea) (the scaled entries stay normal for |e| ≤ 1000).
        const f = 2 ** (eb - ea);
        return scaled.rank === ref.rank && ref.x.every((v, i) => scaled.x[i] === v * f);
      }),
      { numRuns: 100 },
    );
  });
});

describe('bad input', () => {
  test('non-finite, empty, non-square, non-symmetric, non-PSD and singular matrices are rejected', () => {
    expect(thrownCode(() => svd({ rows: 1, cols: 2, data: new Float64Array([1, NaN]) }))).toBe('NON_FINITE');
    expect(thrownCode(() => svd(zeros(0, 3)))).toBe('SHAPE_MISMATCH');
    expect(thrownCode(() => qr({ rows: 1, cols: 1, data: new Float64Array([Infinity]) }))).toBe('NON_FINITE');
    expect(thrownCode(() => eigh(fromRows([[1, 2], [3, 4]])))).toBe('DOMAIN');
    expect(thrownCode(() => eigh(fromRows([[1, 2, 3]])))).toBe('SHAPE_MISMATCH');
    expect(thrownCode(() => cholesky(fromRows([[1, 2], [2, 1]])))).toBe('DOMAIN');
    expect(thrownCode(() => cholesky(fromRows([[0, 0], [0, 0]])))).toBe('DOMAIN');
    expect(thrownCode(() => solve(fromRows([[1, 2], [2, 4]]), new Float64Array([1, 1])))).toBe('DOMAIN');
    expect(thrownCode(() => solve(fromRows([[1, 0], [0, 1]]), new Float64Array([1, NaN])))).toBe('NON_FINITE');
    expect(thrownCode(() => solve(fromRows([[1, 0], [0, 1]]), new Float64Array(3)))).toBe('SHAPE_MISMATCH');
    expect(thrownCode(() => lstsq(fromRows([[1, 0], [0, 1]]), new Float64Array(3)))).toBe('SHAPE_MISMATCH');
    expect(thrownCode(() => svd(fromRows([[1]]), { rcond: -1 }))).toBe('INVALID_CONFIG');
  });

  test('a zero matrix has rank 0 and a zero pseudo-inverse', () => {
    const z = zeros(3, 2);
    expect(svd(z).rank).toBe(0);
    expect(Array.from(pinv(z).data).every((v) => v === 0)).toBe(true);
  });
});
