import fc from 'fast-check';
import type { Matrix } from '../matrix.js';
import { foldIn, key, normal, uniform } from '../random.js';
import { gemm } from '../kernels/gemm.js';
import { qr } from '../decompositions/qr.js';

/** Shape bounds for the matrix arbitraries. */
export interface MatrixShape {
  minRows?: number;
  maxRows?: number;
  minCols?: number;
  maxCols?: number;
}

/**
 * Gaussian matrices of random shape, entries drawn from descent's PRNG under a fast-check seed (so
 * shrinking acts on the shape and seed, and every case is reproducible).
 *
 * @example
 * ```ts
 * fc.sample(gaussianMatrix({ maxRows: 3, maxCols: 3 }), 1)[0].rows <= 3;
 * // true
 * ```
 */
export function gaussianMatrix(shape: MatrixShape = {}): fc.Arbitrary<Matrix> {
  return fc
    .record({
      rows: fc.integer({ min: shape.minRows ?? 1, max: shape.maxRows ?? 12 }),
      cols: fc.integer({ min: shape.minCols ?? 1, max: shape.maxCols ?? 12 }),
      seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
      logScale: fc.integer({ min: -3, max: 3 }),
    })
    .map(({ rows, cols, seed, logScale }) => {
      const data = normal(key(seed), rows * cols, 0, 10 ** logScale);
      return { rows, cols, data };
    });
}

/**
 * Matrices of rank r < min(m, n) (a product of Gaussian m×r and r×n factors).
 *
 * @example
 * ```ts
 * fc.sample(rankDeficientMatrix(), 1).length;
 * // 1
 * ```
 */
export function rankDeficientMatrix(shape: MatrixShape = {}): fc.Arbitrary<Matrix> {
  return fc
    .record({
      rows: fc.integer({ min: shape.minRows ?? 2, max: shape.maxRows ?? 12 }),
      cols: fc.integer({ min: shape.minCols ?? 2, max: shape.maxCols ?? 12 }),
      seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
      rankFraction: fc.double({ min: 0, max: 0.999, noNaN: true }),
    })
    .map(({ rows, cols, seed, rankFraction }) => {
      const r = Math.max(1, Math.floor(rankFraction * (Math.min(rows, cols) - 1)));
      const k = key(seed);
      const left = { rows, cols: r, data: normal(foldIn(k, 1), rows * r) };
      const right = { rows: r, cols, data: normal(foldIn(k, 2), r * cols) };
      return gemm(left, right);
    });
}

/**
 * A matrix U·diag(s)·Vᵀ with random orthonormal U, V and singular values drawn log-uniformly from
 * [minSigma, maxSigma]: for tests that need a controlled spectrum.
 *
 * @example
 * ```ts
 * fc.sample(matrixWithSpectrum({ minSigma: 1, maxSigma: 1 }), 1)[0].matrix.rows >= 1;
 * // true
 * ```
 */
export function matrixWithSpectrum(options: MatrixShape & { minSigma: number; maxSigma: number }): fc.Arbitrary<{ matrix: Matrix; sigma: Float64Array }> {
  return fc
    .record({
      rows: fc.integer({ min: options.minRows ?? 1, max: options.maxRows ?? 10 }),
      cols: fc.integer({ min: options.minCols ?? 1, max: options.maxCols ?? 10 }),
      seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
    })
    .map(({ rows, cols, seed }) => {
      const k = Math.min(rows, cols);
      const kk = key(seed);
      const u = qr({ rows, cols: k, data: normal(foldIn(kk, 1), rows * k) }).q;
      const v = qr({ rows: cols, cols: k, data: normal(foldIn(kk, 2), cols * k) }).q;
      const lo = Math.log(options.minSigma);
      const hi = Math.log(options.maxSigma);
      const sigma = uniform(foldIn(kk, 3), k).map((t) => Math.exp(lo + (hi - lo) * t));
      const us = { rows, cols: k, data: u.data.slice() };
      for (let i = 0; i < rows; i++) for (let j = 0; j < k; j++) us.data[i * k + j] *= sigma[j]!;
      return { matrix: gemm(us, v, { transB: true }), sigma };
    });
}
