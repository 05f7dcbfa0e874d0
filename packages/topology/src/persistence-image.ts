import { assertKnownKeys, configKeys, DescentError } from '@descent/linalg';
import { assertAllocation, assertFunction } from './internal/args.js';
import type { Diagram } from './diagram.js';
import { finiteBars, linspace, positiveInt } from './internal/vector-grid.js';

/**
 * Options of {@link persistenceImage}.
 *
 * @example
 * ```ts
 * const o: PersistenceImageOptions = { bandwidth: 0.1, resolution: [10, 10] };
 * o.resolution;
 * // [10, 10]
 * ```
 */
export interface PersistenceImageOptions {
  /** σ of the Gaussian kernel (default 1). */
  bandwidth?: number;
  /** Pixels [along birth, along persistence] (default [20, 20]). */
  resolution?: readonly [number, number];
  /** [birth min, birth max, persistence min, persistence max] (default: the diagram's extent). */
  range?: readonly [number, number, number, number];
  /** Weight of a point in (birth, persistence) coordinates (default 1; (b, p) => p is common). */
  weight?: (birth: number, persistence: number) => number;
}

/**
 * A persistence image: `values[iy·x.length + ix]` is the image at (x[ix], y[iy]).
 *
 * @example
 * ```ts
 * const im: PersistenceImage = { x: new Float64Array([0]), y: new Float64Array([1]), values: new Float64Array([0.5]) };
 * im.values.length;
 * // 1
 * ```
 */
export interface PersistenceImage {
  /** Birth coordinates of the pixel columns. */
  x: Float64Array;
  /** Persistence coordinates of the pixel rows. */
  y: Float64Array;
  values: Float64Array;
}

/**
 * The persistence image of a diagram (Adams et al. 2017) as GUDHI's `representations.PersistenceImage`
 * computes it: points moved to (birth, persistence), each a Gaussian of bandwidth σ weighted by
 * `weight`, summed and evaluated at the pixel centres linspace(range) (values of the density, not
 * integrals over pixels). Finite bars only. Law: the image of a union of diagrams is the sum of their
 * images (on a fixed range); every pixel is ≥ 0 for non-negative weights.
 *
 * @example
 * ```ts
 * // one point at (0, 1) with σ = 1: the pixel on it holds 1/(2π)
 * const im = persistenceImage(diagram([[0, 1]]), { resolution: [1, 1], range: [0, 0, 1, 1] });
 * im.values[0] === 1 / (2 * Math.PI);
 * // true
 * ```
 */
export function persistenceImage(d: Diagram, o: PersistenceImageOptions = {}): PersistenceImage {
  const where = 'persistenceImage';
  assertKnownKeys(o, configKeys<PersistenceImageOptions>()('bandwidth', 'resolution', 'range', 'weight'), where, 'options');
  finiteBars(d, where);
  const sigma = o.bandwidth ?? 1;
  if (!(sigma > 0) || !Number.isFinite(sigma)) throw new DescentError('INVALID_CONFIG', where, `bandwidth must be a finite positive number, got ${String(sigma)}`);
  const resolution = o.resolution ?? [20, 20];
  if (!Array.isArray(resolution) || resolution.length !== 2) throw new DescentError('INVALID_CONFIG', where, 'resolution must be [nx, ny]');
  const nx = positiveInt(resolution[0], 20, 'resolution[0]', where);
  const ny = positiveInt(resolution[1], 20, 'resolution[1]', where);
  assertAllocation(nx * ny, where, 'resolution');
  if (o.weight !== undefined) assertFunction(o.weight, where, 'weight');
  const m = d.birth.length;
  let range = o.range;
  if (range === undefined) {
    if (m === 0) throw new DescentError('INVALID_CONFIG', where, 'an empty diagram needs an explicit range');
    let bx = Infinity;
    let Bx = -Infinity;
    let py = Infinity;
    let Py = -Infinity;
    for (let q = 0; q < m; q++) {
      const b = d.birth[q]!;
      const p = d.death[q]! - b;
      if (b < bx) bx = b;
      if (b > Bx) Bx = b;
      if (p < py) py = p;
      if (p > Py) Py = p;
    }
    range = [bx, Bx, py, Py];
  } else if (!Array.isArray(range) || range.length !== 4 || !range.every(Number.isFinite)) {
    throw new DescentError('INVALID_CONFIG', where, `range must be four finite numbers, got ${String(range)}`);
  }
  const x = linspace(range[0], range[1], nx);
  const y = linspace(range[2], range[3], ny);
  const values = new Float64Array(nx * ny);
  const twoSigma2 = 2 * (sigma * sigma);
  const norm = sigma * sigma * 2 * Math.PI;
  const dx = new Float64Array(nx);
  for (let q = 0; q < m; q++) {
    const b = d.birth[q]!;
    const p = d.death[q]! - b;
    const w = o.weight ? o.weight(b, p) : 1;
    if (!Number.isFinite(w)) throw new DescentError('NON_FINITE', where, `weight of bar ${q} is ${w}`);
    for (let ix = 0; ix < nx; ix++) {
      const t = b - x[ix]!;
      dx[ix] = -(t * t);
    }
    for (let iy = 0; iy < ny; iy++) {
      const u = p - y[iy]!;
      const sy = u * u;
      const row = iy * nx;
      for (let ix = 0; ix < nx; ix++) values[row + ix] += w * (Math.exp((dx[ix]! - sy) / twoSigma2) / norm);
    }
  }
  return { x, y, values };
}
