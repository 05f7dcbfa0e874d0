import fc from 'fast-check';
import { diagram, type Diagram } from '../diagram.js';

/**
 * A point cloud: n points in R^d with coordinates in [−1, 1] (row-major).
 *
 * @example
 * ```ts
 * const c: Cloud = { n: 2, d: 1, data: new Float64Array([0, 1]) };
 * c.n;
 * // 2
 * ```
 */
export interface Cloud {
  n: number;
  d: number;
  data: Float64Array;
}

/**
 * Arbitrary point clouds of `nMin..nMax` points in R^d.
 *
 * @example
 * ```ts
 * fc.sample(pointCloud(3, 5, 2), 1)[0].d;
 * // 2
 * ```
 */
export function pointCloud(nMin: number, nMax: number, d: number): fc.Arbitrary<Cloud> {
  return fc.integer({ min: nMin, max: nMax }).chain((n) =>
    fc
      .array(fc.double({ min: -1, max: 1, noNaN: true, noDefaultInfinity: true }), { minLength: n * d, maxLength: n * d })
      .map((xs) => ({ n, d, data: Float64Array.from(xs) })),
  );
}

/**
 * Arbitrary finite diagrams with up to `maxPoints` bars (births in [0, 1], persistence in (0, 1]),
 * optionally with `essential` bars [b, ∞).
 *
 * @example
 * ```ts
 * fc.sample(finiteDiagram(4), 1)[0].birth.length <= 4;
 * // true
 * ```
 */
export function finiteDiagram(maxPoints: number, essential = 0): fc.Arbitrary<Diagram> {
  const bar = fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 1e-3, max: 1, noNaN: true }));
  return fc
    .tuple(fc.array(bar, { maxLength: maxPoints }), fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: essential, maxLength: essential }))
    .map(([bars, ess]) => diagram([...bars.map(([b, p]) => [b, b + p] as const), ...ess.map((b) => [b, Infinity] as const)]));
}

/** Lower-triangular distances of a cloud (Euclidean). @internal */
export function lowerOf(c: Cloud): Float64Array {
  const out = new Float64Array((c.n * (c.n - 1)) / 2);
  for (let i = 1, k = 0; i < c.n; i++)
    for (let j = 0; j < i; j++, k++) {
      let s = 0;
      for (let t = 0; t < c.d; t++) s += (c.data[i * c.d + t]! - c.data[j * c.d + t]!) ** 2;
      out[k] = Math.sqrt(s);
    }
  return out;
}

/** max |a − b| over entries. @internal */
export function supDiff(a: Float64Array, b: Float64Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

/** Canonical (birth, death) pairs of a diagram as a plain array, for exact comparisons. @internal */
export function bars(d: Diagram): number[][] {
  return Array.from(d.birth, (b, i) => [b, d.death[i]!]).sort((x, y) => x[0]! - y[0]! || x[1]! - y[1]!);
}
