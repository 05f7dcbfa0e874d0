import {
  type BoxDimension, type Grid, type RgbImage, type ScalarVectorRegionConfig, type Slice, type StatusCounts,
  alignedInit, boundaryMask, boxCountingDimension, encodePng, matrixFactorizationCriticalStepSize, matrixFactorizationObjective,
  mixedNeighbourFraction, randomSlice, regionImage, regionMap, requireInteger, scalarVectorCriticalStepSize, scalarVectorRegion,
  scalarVectorRegionCoordinate, squareGrid, valueImage,
} from '@descent/dynamics';
import { type Matrix, key, matrix } from '@descent/linalg';

/** One reproduced figure panel. */
export interface PaperFigure {
  readonly id: string;
  readonly title: string;
  /** What the paper shows (or what theory predicts) for this panel. */
  readonly expectation: string;
  readonly y: number;
  readonly lambda: number;
  readonly eta: number;
  /** The critical step size of {@link scalarVectorCriticalStepSize} for (y, λ) (matrix panel: {@link matrixFactorizationCriticalStepSize}). */
  readonly criticalStepSize: number;
  readonly grid: Grid;
  readonly maxSteps: number;
  readonly counts: StatusCounts;
  readonly convergedFraction: number;
  /** Box dimension of the converge/not-converge boundary. */
  readonly boundaryDimension: BoxDimension;
  /** Box dimension of the boundary between minimizer labels and non-convergence. */
  readonly labelBoundaryDimension: BoxDimension;
  /** {@link mixedNeighbourFraction} of the panel. */
  readonly mixedNeighbourFraction: number;
  readonly image: RgbImage;
  /** The image as PNG bytes (if requested). */
  readonly png?: Uint8Array;
}

/** The reproduced figures. */
export interface PaperFigures {
  readonly figures: readonly PaperFigure[];
  /** Wall-clock seconds of the run. */
  readonly seconds: number;
}

interface Panel {
  id: string;
  title: string;
  expectation: string;
  cfg: ScalarVectorRegionConfig;
  valueCoordinate?: number;
  /** A general matrix-factorization panel (regionMap on the full loss) instead of the scalar kernel. */
  matrix?: { Y: Matrix; k: number; slice: Slice };
}

function panels(n: number): Panel[] {
  const un = (eta: number, what: string, expectation: string): Panel => ({
    id: `unregularized-${what}`,
    title: `½(uv − 1)², η = ${eta} (η* = 1), [-3, 3]²`,
    expectation,
    cfg: { y: 1, lambda: 0, eta, grid: squareGrid(3, n), maxSteps: 20000 },
  });
  const reg = (eta: number, what: string, expectation: string): Panel => ({
    id: `regularized-${what}`,
    title: `½(uv − 0.5)² + 0.1(u² + v²), η = ${eta}, [-4, 4]²`,
    expectation,
    cfg: { y: 0.5, lambda: 0.2, eta, grid: squareGrid(4, n), maxSteps: 1000 },
  });
  return [
    un(0.5, 'below', 'converged set = the ellipse E < 1 (smooth boundary); minimizer labels interleave near it'),
    un(0.99, 'near', 'smaller ellipse; the selected minimizer depends sensitively on the start (rough label boundary)'),
    un(1.05, 'above', 'no convergence except measure-zero lines (θ → saddle 0); bounded orbits oscillate'),
    reg(0.5, 'below', 'regularized, small step: converge/diverge boundary close to smooth'),
    reg(1, 'fig3', 'the paper\'s Fig. 3 (middle): fractal converge/diverge boundary, four spiky arms, box dimension > 1 (paper: 1.249)'),
    reg(3.2, 'near', 'just below the local stability limit 1/max(y−λ, λ) = 3.33: tiny fractal basins'),
    reg(3.5, 'above', 'above the local stability limit: nothing converges'),
    {
      id: 'fig1-slice',
      title: '(uᵀv − 1)² + 0.3(‖u‖² + ‖v‖²), u, v ∈ R⁵, random slice, h = 0.5 (η = 1 in the ½ convention), [-3, 3]²',
      expectation: 'the paper\'s Fig. 1 (left): spiky converge/diverge boundary, colour (u₁ of the minimizer) mixed near it',
      cfg: { y: 1, lambda: 0.3, eta: 1, grid: squareGrid(3, n), slice: randomSlice(key(0), 10), maxSteps: 1000 },
      valueCoordinate: 0,
    },
    {
      id: 'matrix-slice',
      title: '½‖UVᵀ − Y‖² + 0.1(‖U‖² + ‖V‖²), Y = diag(0.5, 0.3), U, V ∈ R^{2×2}, random slice through an aligned start, η = 1, [-3, 3]²',
      expectation: 'general matrix factorization with ridge (the paper\'s extension): spiky converge/diverge boundary in a generic slice',
      cfg: { y: 0.5, lambda: 0.2, eta: 1, grid: squareGrid(3, n), maxSteps: 1000 },
      matrix: (() => {
        // Mode 1 is the Fig. 3 problem (σ₁ = 0.5, λ = 0.2, η = 1); the slice mixes all parameters.
        const Y = matrix(2, 2, Float64Array.from([0.5, 0, 0, 0.3]));
        const center = alignedInit(Y, 2, new Float64Array([0.6, 0.5]), new Float64Array([0.4, 0.6])).theta;
        return { Y, k: 2, slice: randomSlice(key(2), 8, center) };
      })(),
    },
  ];
}

/**
 * Reproduces the paper's figures at small scale: convergence regions of scalar–vector factorization for
 * step sizes below, near and above criticality, without regularization (y = 1) and with it (the Fig. 3
 * setting y = 0.5, λ = 0.2 [2ND, from the authors' notebook as quoted by a reproduction]), a Fig. 1-style
 * random slice of u, v ∈ R⁵, and a random slice of general 2×2 matrix factorization with ridge; each with
 * its boundary's box dimension and an image. The default n = 256 runs in a few seconds on one core
 * (well under 30 s). `only` selects panels by id.
 */
export function paperFigures(options: { n?: number; png?: boolean; only?: readonly string[] } = {}): PaperFigures {
  const n = requireInteger(options.n ?? 256, 16, 'paperFigures', 'n');
  const t0 = performance.now();
  const figures: PaperFigure[] = [];
  for (const p of panels(n)) {
    if (options.only && !options.only.includes(p.id)) continue;
    const g = p.cfg.grid;
    const N = g.n1 * g.n2;
    let region: { status: Uint8Array; label: Uint8Array; counts: StatusCounts };
    let image: RgbImage;
    if (p.matrix !== undefined) {
      const f = matrixFactorizationObjective({ Y: p.matrix.Y, k: p.matrix.k, lambda: p.cfg.lambda ?? 0 });
      // Label the selected minimizer by the sign of U[0, 0] (the two sign-symmetric minimizer families).
      region = regionMap(f, { eta: p.cfg.eta, grid: g, slice: p.matrix.slice, maxSteps: p.cfg.maxSteps ?? 1000, labelOf: (t) => (t[0]! < 0 ? 2 : 1) });
      image = regionImage(region.status, region.label, g.n1, g.n2);
    } else {
      const r = scalarVectorRegion(p.cfg);
      region = r;
      image =
        p.valueCoordinate === undefined
          ? regionImage(r.status, r.label, g.n1, g.n2)
          : valueImage(r.status, scalarVectorRegionCoordinate(p.cfg, r, p.valueCoordinate), g.n1, g.n2);
    }
    const binary = Uint8Array.from(region.status, (s) => (s === 1 ? 1 : 0));
    figures.push({
      id: p.id,
      title: p.title,
      expectation: p.expectation,
      y: p.cfg.y,
      lambda: p.cfg.lambda ?? 0,
      eta: p.cfg.eta,
      criticalStepSize: p.matrix ? matrixFactorizationCriticalStepSize(p.matrix.Y, p.matrix.k, p.cfg.lambda ?? 0) : scalarVectorCriticalStepSize(p.cfg.y, { lambda: p.cfg.lambda ?? 0 }),
      grid: g,
      maxSteps: p.cfg.maxSteps ?? 1000,
      counts: region.counts,
      convergedFraction: region.counts.converged / N,
      boundaryDimension: boxCountingDimension(boundaryMask(binary, g.n1, g.n2), g.n1, g.n2),
      labelBoundaryDimension: boxCountingDimension(boundaryMask(region.label, g.n1, g.n2), g.n1, g.n2),
      mixedNeighbourFraction: mixedNeighbourFraction(region, g.n1, g.n2),
      image,
      ...(options.png === false ? {} : { png: encodePng(image) }),
    });
  }
  return { figures, seconds: (performance.now() - t0) / 1000 };
}
