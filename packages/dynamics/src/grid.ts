import { DescentError, type Key, normal, assertSize, describeValue } from '@descent/linalg';
import { requireFinite, requireFiniteVector, requireInteger, requireF64 } from './validate.js';

/**
 * A rectangular grid of n1 × n2 starts over [lo1, hi1] × [lo2, hi2] (inclusive endpoints). Pixel
 * (i, j) has index j·n1 + i: row j is β_j, row 0 the bottom (spec §d).
 */
export interface Grid {
  readonly lo1: number;
  readonly hi1: number;
  readonly n1: number;
  readonly lo2: number;
  readonly hi2: number;
  readonly n2: number;
}

/**
 * A square grid [-r, r]² with n × n pixels.
 *
 * @example
 * ```ts
 * squareGrid(4, 256).hi2;
 * // 4
 * ```
 */
export function squareGrid(r: number, n: number, center1 = 0, center2 = 0): Grid {
  return { lo1: center1 - r, hi1: center1 + r, n1: n, lo2: center2 - r, hi2: center2 + r, n2: n };
}

/**
 * Throws `INVALID_CONFIG` unless the grid has n1, n2 ≥ 2 and finite lo < hi on both axes (zero extent
 * is rejected), `NON_FINITE` for non-finite bounds.
 *
 * @example
 * ```ts
 * validateGrid(squareGrid(1, 2), 'f').n1;
 * // 2
 * ```
 */
export function validateGrid(g: Grid, where: string): Grid {
  if (typeof where !== 'string') throw new DescentError('INVALID_CONFIG', 'validateGrid', 'where must be a string (the caller reported in errors)');
  if (g === null || typeof g !== 'object') throw new DescentError('INVALID_CONFIG', where, 'grid is missing');
  requireInteger(g.n1, 2, where, 'grid.n1');
  requireInteger(g.n2, 2, where, 'grid.n2');
  for (const [lo, hi, axis] of [[g.lo1, g.hi1, 1], [g.lo2, g.hi2, 2]] as const) {
    requireFinite(lo, where, `grid.lo${axis}`);
    requireFinite(hi, where, `grid.hi${axis}`);
    if (!(hi > lo)) throw new DescentError('INVALID_CONFIG', where, `grid axis ${axis} has zero or negative extent [${lo}, ${hi}]`);
    // Keep the step finite too (hi − lo may overflow for huge bounds).
    if (!Number.isFinite(hi - lo)) throw new DescentError('NON_FINITE', where, `grid axis ${axis} extent overflows`);
  }
  if (g.n1 * g.n2 > 2 ** 28) throw new DescentError('INVALID_CONFIG', where, `grid of ${g.n1}×${g.n2} pixels is too large`);
  return g;
}

/**
 * The coordinates of one grid axis: lo + i·h with h = (hi − lo)/(n − 1) on the first half,
 * hi − (n−1−i)·h on the second and (lo + hi)/2 in the middle (odd n), so the endpoints are exact and a symmetric window [-r, r] gives
 * bitwise mirror-symmetric coordinates (the region symmetries then hold exactly).
 *
 * @example
 * ```ts
 * gridAxis(-1, 1, 5);
 * // Float64Array [-1, -0.5, 0, 0.5, 1]
 * ```
 */
export function gridAxis(lo: number, hi: number, n: number): Float64Array {
  requireFinite(lo, 'gridAxis', 'lo');
  requireFinite(hi, 'gridAxis', 'hi');
  assertSize(n, 'gridAxis', 'n');
  const out = new Float64Array(n);
  const h = (hi - lo) / (n - 1);
  for (let i = 0; i < n; i++) out[i] = 2 * i < n - 1 ? lo + i * h : 2 * i === n - 1 ? (lo + hi) / 2 : hi - (n - 1 - i) * h;
  return out;
}

/** A 2-D affine slice θ(α, β) = center + α e1 + β e2 of parameter space. */
export interface Slice {
  readonly center: Float64Array;
  readonly e1: Float64Array;
  readonly e2: Float64Array;
}

/**
 * The slice spanned by coordinates i and j through `center` (default the origin).
 *
 * @example
 * ```ts
 * coordinateSlice(2, 0, 1).e2;
 * // Float64Array [0, 1]
 * ```
 */
export function coordinateSlice(dim: number, i: number, j: number, center?: Float64Array): Slice {
  requireInteger(dim, 1, 'coordinateSlice', 'dim');
  assertSize(dim, 'coordinateSlice', 'dim');
  if (center !== undefined) requireF64(center, 'coordinateSlice', 'center', dim);
  if (!(Number.isInteger(i) && Number.isInteger(j) && i >= 0 && j >= 0 && i < dim && j < dim && i !== j)) {
    throw new DescentError('INVALID_CONFIG', 'coordinateSlice', `need distinct coordinates in [0, ${dim}), got ${i}, ${j}`);
  }
  const e1 = new Float64Array(dim);
  const e2 = new Float64Array(dim);
  e1[i] = 1;
  e2[j] = 1;
  return validateSlice({ center: center ? Float64Array.from(center) : new Float64Array(dim), e1, e2 }, dim, 'coordinateSlice');
}

/**
 * A random slice: a seeded Gaussian pair, Gram–Schmidt orthonormalized (the paper's Fig. 1 "random
 * two-dimensional slice" [2ND caption]), through `center` (default the origin).
 *
 * @example
 * ```ts
 * const s = randomSlice(key(0), 10);
 * Math.abs(s.e1.reduce((a, v, i) => a + v * s.e2[i]!, 0)) < 1e-12;
 * // true
 * ```
 */
export function randomSlice(k: Key, dim: number, center?: Float64Array): Slice {
  requireInteger(dim, 2, 'randomSlice', 'dim');
  assertSize(2 * dim, 'randomSlice', '2·dim');
  if (center !== undefined) requireF64(center, 'randomSlice', 'center', dim);
  const g = normal(k, 2 * dim);
  const e1 = g.slice(0, dim);
  const e2 = g.slice(dim);
  const n1 = hypotOf(e1);
  for (let i = 0; i < dim; i++) e1[i] = e1[i]! / n1;
  let p = 0;
  for (let i = 0; i < dim; i++) p += e1[i]! * e2[i]!;
  for (let i = 0; i < dim; i++) e2[i] = e2[i]! - p * e1[i]!;
  const n2 = hypotOf(e2);
  for (let i = 0; i < dim; i++) e2[i] = e2[i]! / n2;
  return validateSlice({ center: center ? Float64Array.from(center) : new Float64Array(dim), e1, e2 }, dim, 'randomSlice');
}

/**
 * Throws unless the slice's three vectors have length `dim`, are finite, and e1, e2 are nonzero.
 *
 * @example
 * ```ts
 * validateSlice(coordinateSlice(2, 0, 1), 2, 'f').e1.length;
 * // 2
 * ```
 */
/** Math.hypot over an array: spread for small arrays (as before), a scaled sum where spreading would overflow the call stack. */
function hypotOf(a: Float64Array): number {
  if (a.length <= 4096) return Math.hypot(...a);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]!));
  if (m === 0 || !Number.isFinite(m)) return m;
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i]! / m) ** 2;
  return m * Math.sqrt(s);
}

export function validateSlice(s: Slice, dim: number, where: string): Slice {
  if (typeof where !== 'string') throw new DescentError('INVALID_CONFIG', 'validateSlice', 'where must be a string (the caller reported in errors)');
  if (s === null || typeof s !== 'object') throw new DescentError('INVALID_CONFIG', where, `slice must be an object { center, e1, e2 }, got ${describeValue(s)}`);
  requireInteger(dim, 1, where, 'dim');
  for (const name of ['center', 'e1', 'e2'] as const) {
    const v = s[name];
    if (!(v instanceof Float64Array) || v.length !== dim) {
      throw new DescentError('SHAPE_MISMATCH', where, `slice.${name} must be a Float64Array of length ${dim}`);
    }
    requireFiniteVector(v, where, `slice.${name}`);
  }
  if (s.e1.every((v) => v === 0) || s.e2.every((v) => v === 0)) {
    throw new DescentError('INVALID_CONFIG', where, 'slice directions must be nonzero');
  }
  return s;
}

/**
 * Writes θ(α, β) = center + α e1 + β e2 into `out`.
 *
 * @example
 * ```ts
 * slicePointInto(coordinateSlice(2, 0, 1), 3, 4, new Float64Array(2));
 * // Float64Array [3, 4]
 * ```
 */
export function slicePointInto(s: Slice, alpha: number, beta: number, out: Float64Array): Float64Array {
  const where = 'slicePointInto';
  if (s === null || typeof s !== 'object') throw new DescentError('INVALID_CONFIG', where, `slice must be an object { center, e1, e2 }, got ${describeValue(s)}`);
  const c = requireF64(s.center, where, 'slice.center');
  requireF64(s.e1, where, 'slice.e1', c.length);
  requireF64(s.e2, where, 'slice.e2', c.length);
  requireFinite(alpha, where, 'alpha');
  requireFinite(beta, where, 'beta');
  requireF64(out, where, 'out', c.length);
  for (let i = 0; i < c.length; i++) out[i] = c[i]! + alpha * s.e1[i]! + beta * s.e2[i]!;
  return out;
}
