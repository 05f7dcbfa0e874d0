import { describe, expect, test } from 'vitest';
import { paperFigures } from '../src/experiments/dynamics-figures.js';

describe('the paper figures at small scale', () => {
  test('regions below, near and above criticality, with and without regularization', () => {
    const { figures } = paperFigures({ n: 128 });
    const by = Object.fromEntries(figures.map((f) => [f.id, f]));
    expect(Object.keys(by).sort()).toEqual(
      ['fig1-slice', 'matrix-slice', 'regularized-above', 'regularized-below', 'regularized-fig3', 'regularized-near', 'unregularized-above', 'unregularized-below', 'unregularized-near'].sort(),
    );
    // Unregularized: convergence shrinks toward η* and (almost) vanishes above it.
    expect(by['unregularized-below']!.convergedFraction).toBeGreaterThan(by['unregularized-near']!.convergedFraction);
    expect(by['unregularized-near']!.convergedFraction).toBeGreaterThan(0.2);
    expect(by['unregularized-above']!.convergedFraction).toBeLessThan(1e-3);
    // Near criticality the selected minimizer is sensitive: rough label boundary, more mixing.
    expect(by['unregularized-near']!.labelBoundaryDimension.dimension).toBeGreaterThan(1.3);
    expect(by['unregularized-near']!.mixedNeighbourFraction).toBeGreaterThan(by['unregularized-below']!.mixedNeighbourFraction);
    // Regularized (Fig. 3 setting): fractal converge/diverge boundary, D > 1.
    const fig3 = by['regularized-fig3']!;
    expect(fig3.boundaryDimension.dimension).toBeGreaterThan(1.05);
    expect(fig3.labelBoundaryDimension.dimension).toBeGreaterThan(1.15);
    expect(fig3.convergedFraction).toBeGreaterThan(0.18);
    expect(fig3.convergedFraction).toBeLessThan(0.24);
    expect(by['regularized-above']!.counts.converged).toBe(0);
    expect(by['regularized-near']!.boundaryDimension.dimension).toBeGreaterThan(1.1);
    // General matrix factorization with ridge: both fates occur, two minimizer families.
    const mf = by['matrix-slice']!;
    expect(mf.counts.converged).toBeGreaterThan(1000);
    expect(mf.counts.diverged).toBeGreaterThan(1000);
    expect(mf.boundaryDimension.dimension).toBeGreaterThan(1);
    // Fig. 1-style random slice of R¹⁰: spiky boundary.
    expect(by['fig1-slice']!.boundaryDimension.dimension).toBeGreaterThan(1.05);
    for (const f of figures) {
      expect(f.png).toBeInstanceOf(Uint8Array);
      expect(f.image.width).toBe(128);
      expect(f.image.rgb.length).toBe(128 * 128 * 3);
    }
  });
});
