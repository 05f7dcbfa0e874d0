import { axpy, gemv, key, lstsq, normal, norm2, split, type Matrix } from '@descent/linalg';
import { verdictFrom, type Experiment } from '../experiment.js';

/** The outcome of one least-squares solve. */
export interface LeastSquaresResult {
  rows: number;
  cols: number;
  noise: number;
  /** ‖x̂ − x★‖ / ‖x★‖. */
  relativeError: number;
  /** ‖A x̂ − b‖. */
  residual: number;
}

/**
 * Plants x★, observes b = A x★ + noise·z for a Gaussian A, and solves min ‖Ax − b‖ with linalg's
 * least squares.
 */
export function leastSquares(seed: number, rows = 200, cols = 20, noise = 1e-3): LeastSquaresResult {
  const [ka, kx, kn] = split(key(seed), 3) as [ReturnType<typeof key>, ReturnType<typeof key>, ReturnType<typeof key>];
  const a: Matrix = { rows, cols, data: normal(ka, rows * cols) };
  const xStar = normal(kx, cols);
  const b = axpy(noise, normal(kn, rows), gemv(a, xStar));
  const xHat = lstsq(a, b).x;
  const residual = norm2(axpy(-1, b, gemv(a, xHat)));
  const relativeError = norm2(axpy(-1, xStar, xHat)) / norm2(xStar);
  return { rows, cols, noise, relativeError, residual };
}

/** Foundation check: least-squares error tracks the noise level σ·√(n/m)/‖x★‖ over five decades. */
export const leastSquaresExperiment: Experiment = {
  id: 'lstsq',
  paper: 'foundation (@descent/linalg)',
  claim: 'least squares recovers a planted solution to the noise level',
  run({ seed, quick }) {
    const noises = quick ? [1e-6, 1e-3, 1] : [1e-8, 1e-6, 1e-4, 1e-2, 1];
    const rows = noises.map((noise) => leastSquares(seed, 200, 20, noise));
    // Theory: E‖x̂ − x★‖ ≈ σ·√(n/(m − n)) for Gaussian A with unit entries; ‖x★‖ ≈ √n.
    const ratios = rows.map((r) => r.relativeError / ((r.noise * Math.sqrt(r.cols / (r.rows - r.cols))) / Math.sqrt(r.cols)));
    const ok = ratios.map((q) => q > 0.2 && q < 5);
    return {
      measured: 'relative error of x̂ against σ·√(n/(m−n))/‖x★‖, 200×20',
      figure: `error/theory ratios ${ratios.map((q) => q.toFixed(2)).join(', ')}`,
      verdict: verdictFrom(ok),
      criterion: 'every ratio within [0.2, 5]',
      plot: {
        title: 'least squares: error vs noise',
        data: { values: rows.map((r) => ({ noise: r.noise, error: r.relativeError })) },
        mark: { type: 'line', point: true },
        encoding: {
          x: { field: 'noise', type: 'quantitative', scale: { type: 'log' } },
          y: { field: 'error', type: 'quantitative', scale: { type: 'log' }, title: 'relative error' },
        },
      },
      data: { rows },
    };
  },
};
