import { axpy, gemv, key, lstsq, normal, norm2, split, type Matrix } from '@descent/linalg';
import { byScale, seedList, verdictOf, type Experiment } from '../experiment.js';
import { spreadPlot } from '../plots.js';
import { effect, meanCi } from '../stats.js';

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

/** Foundation check: least-squares error tracks the noise level σ·√(n/(m−n))/‖x★‖ over many decades. */
export const leastSquaresExperiment: Experiment = {
  id: 'lstsq',
  paper: 'foundation (@descent/linalg)',
  claim: 'least squares recovers a planted solution to the noise level',
  run(ctx) {
    const noises = byScale(ctx, { quick: [1e-6, 1e-3, 1], default: [1e-8, 1e-6, 1e-4, 1e-2, 1], full: [1e-10, 1e-8, 1e-6, 1e-4, 1e-2, 1] });
    const seeds = seedList(ctx);
    // Theory: E‖x̂ − x★‖ ≈ σ·√(n/(m − n)) for Gaussian A with unit entries; ‖x★‖ ≈ √n. Per seed, the
    // geometric mean over noise levels of error/theory: one number per seed.
    const perSeed = seeds.map((s, i) => {
      ctx.progress(i, seeds.length);
      const rows = noises.map((noise) => leastSquares(s, 200, 20, noise));
      const logs = rows.map((r) => Math.log(r.relativeError / ((r.noise * Math.sqrt(r.cols / (r.rows - r.cols))) / Math.sqrt(r.cols))));
      return { rows, logRatio: logs.reduce((a, b) => a + b, 0) / logs.length };
    });
    const ci = meanCi(perSeed.map((p) => p.logRatio));
    const ratio = { ...ci, estimate: Math.exp(ci.estimate), lo: Math.exp(ci.lo), hi: Math.exp(ci.hi) };
    const effects = [effect('error/theory ratio', ratio, 'above', 0.5, 2), effect('error/theory ratio', ratio, 'below', 2, 2)];
    return {
      setup: `200×20 Gaussian A, planted x★, noise σ ∈ {${noises.map((n) => n.toExponential(0)).join(', ')}}; geometric mean over σ of ‖x̂ − x★‖/(σ√(n/(m−n))) per seed`,
      seeds: seeds.length,
      effects,
      verdict: verdictOf(effects),
      details: `per-seed ratios ${perSeed.map((p) => Math.exp(p.logRatio).toFixed(3)).join(', ')} (≈ 0.9 expected: E‖z‖ < √E‖z‖² and ‖x★‖ ≈ √n is approximate)`,
      deviations: ['not a paper: a check of the linear-algebra foundation the other experiments stand on'],
      plot: {
        vconcat: [
          {
            title: 'least squares: relative error vs noise (one line per seed)',
            width: 520,
            height: 240,
            data: { values: perSeed.flatMap((p, s) => p.rows.map((r) => ({ seed: String(s), noise: r.noise, error: r.relativeError }))) },
            mark: { type: 'line', point: true },
            encoding: {
              x: { field: 'noise', type: 'quantitative', scale: { type: 'log' }, title: 'noise σ' },
              y: { field: 'error', type: 'quantitative', scale: { type: 'log' }, title: 'relative error' },
              color: { field: 'seed', type: 'nominal' },
            },
          },
          { ...spreadPlot('error/theory ratio per seed (bar: 95% CI)', 'ratio', [{ label: 'error / theory', values: perSeed.map((p) => Math.exp(p.logRatio)), interval: ratio }], { reference: 1 }), width: 520, height: 160 },
        ],
      },
      data: { perSeed },
    };
  },
};
