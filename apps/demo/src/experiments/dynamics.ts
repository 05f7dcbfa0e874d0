import { Status, bisectCriticalStepSize, classifyStart, scalarVectorCriticalStepSize, scalarVectorObjective } from '@descent/dynamics';
import { paperFigures } from './dynamics-figures.js';
import { verdictFrom, type Experiment } from '../experiment.js';

function pngDataUrl(png: Uint8Array): string {
  return `data:image/png;base64,${Buffer.from(png).toString('base64')}`;
}

/**
 * Large step sizes (Liang, Montúfar): the critical step size found by bisection against the exact
 * formula, and the convergence regions of scalar–vector factorization below, near and above
 * criticality, with the box-counting dimension of their boundaries.
 */
export const dynamicsExperiment: Experiment = {
  id: 'dynamics',
  paper: 'GD with large step sizes: chaos and fractals',
  claim: 'exact critical step size; fractal convergence boundary near criticality with regularization',
  run({ quick }) {
    const y = 1;
    const f = scalarVectorObjective({ d: 5, y });
    const x0 = new Float64Array([0.1, -0.2, 0.3, 0.05, 0.2, 0.25, 0.1, -0.15, 0.3, 0.1]);
    const T = quick ? 4000 : 20000;
    const numeric = bisectCriticalStepSize((eta) => classifyStart(f, x0, eta, { maxSteps: T }).status === Status.CONVERGED, { lo: 0.1, hi: 1.9, scanPoints: 16, iterations: 25 });
    const exact = scalarVectorCriticalStepSize(y);
    const figs = paperFigures({ n: quick ? 96 : 256, png: true });
    // Box counting at a few hundred pixels reads a smooth curve as ≈1.1, so "fractal" is judged against
    // the smooth boundary of the same estimator: the regularized near-critical panel must exceed the
    // unregularized below-critical one by more than two combined standard errors.
    const fractal = figs.figures.find((p) => p.id === 'regularized-near')!;
    const smooth = figs.figures.find((p) => p.id === 'unregularized-below')!;
    const dim = fractal.boundaryDimension;
    const base = smooth.boundaryDimension;
    const excess = dim.dimension - base.dimension;
    const excessSe = Math.hypot(dim.standardError, base.standardError);
    const checks = [
      Math.abs(numeric.eta / exact - 1) < 0.01,
      excess > 2 * excessSe && dim.dimension > 1.2,
      smooth.convergedFraction > 0.5,
    ];
    const panels = figs.figures.filter((p) => p.png !== undefined);
    return {
      measured: 'bisection vs exact η_crit (y = 1, d = 5); box dimension of the regularized near-critical boundary vs a smooth one',
      figure:
        `η_crit numeric ${numeric.eta.toFixed(4)} vs exact ${exact.toFixed(4)}; regularized near-critical boundary ${dim.dimension.toFixed(2)} ± ${dim.standardError.toFixed(2)} vs smooth ${base.dimension.toFixed(2)} ± ${base.standardError.toFixed(2)} ` +
        `(${panels.map((p) => `${p.id} ${Number.isFinite(p.boundaryDimension.dimension) ? p.boundaryDimension.dimension.toFixed(2) : '–'}`).join(', ')})`,
      verdict: verdictFrom(checks),
      criterion: 'numeric η_crit within 1% of the formula; regularized near-critical boundary dimension > 1.2 and above the smooth below-critical boundary by > 2 combined SE; most starts converge below η_crit',
      plot: {
        title: 'convergence regions (grey: diverged; colours: selected minimizer)',
        data: { values: panels.map((p, i) => ({ id: p.id, url: pngDataUrl(p.png!), col: i % 4, row: Math.floor(i / 4), label: `${p.id} (η=${p.eta})` })) },
        facet: { field: 'id', type: 'nominal', title: null },
        columns: 4,
        spec: {
          width: 150,
          height: 150,
          layer: [{ mark: { type: 'image', width: 150, height: 150 }, encoding: { url: { field: 'url', type: 'nominal' }, x: { value: 75 }, y: { value: 75 } } }],
        },
      },
      data: {
        numeric: { eta: numeric.eta, evaluations: numeric.evaluations, nonMonotone: numeric.nonMonotone },
        exact,
        panels: figs.figures.map((p) => ({ id: p.id, eta: p.eta, lambda: p.lambda, y: p.y, criticalStepSize: p.criticalStepSize, convergedFraction: p.convergedFraction, boundaryDimension: { dimension: p.boundaryDimension.dimension, standardError: p.boundaryDimension.standardError, fitRange: p.boundaryDimension.fitRange } })),
      },
    };
  },
};
