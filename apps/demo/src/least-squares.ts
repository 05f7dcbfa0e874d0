import { gemv, key, lstsq, normal, norm2, split, axpy, type Matrix } from '@descent/linalg';

/** The outcome of the least-squares warm-up experiment. */
export interface LeastSquaresResult {
  rows: number;
  cols: number;
  /** ‖x̂ − x★‖ / ‖x★‖: how well the noisy system recovers the planted solution. */
  relativeError: number;
  /** ‖A x̂ − b‖. */
  residual: number;
}

/**
 * Plants x★, observes b = A x★ + noise for a Gaussian A, and solves min ‖Ax − b‖ with linalg's
 * least squares: a first composition of the foundation.
 */
export function leastSquares(seed: number, rows = 200, cols = 20, noise = 1e-3): LeastSquaresResult {
  const [ka, kx, kn] = split(key(seed), 3) as [ReturnType<typeof key>, ReturnType<typeof key>, ReturnType<typeof key>];
  const a: Matrix = { rows, cols, data: normal(ka, rows * cols) };
  const xStar = normal(kx, cols);
  const b = axpy(noise, normal(kn, rows), gemv(a, xStar));
  const xHat = lstsq(a, b).x;
  const residual = norm2(axpy(-1, b, gemv(a, xHat)));
  const relativeError = norm2(axpy(-1, xStar, xHat)) / norm2(xStar);
  return { rows, cols, relativeError, residual };
}
