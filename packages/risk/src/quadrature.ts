import { assertArrayLike, assertNumber, DescentError, describeValue } from '@descent/linalg';
import { assertDistortion } from './check-distortion.js';
import type { Distortion } from './distortion.js';
import { normalCdf, normalPpf } from './normal.js';

let cache: { x: Float64Array; w: Float64Array } | undefined;

/**
 * The 20-point Gauss–Legendre rule on [−1, 1] (nodes by Newton on P₂₀, exact for degree ≤ 39).
 *
 * @example
 * ```ts
 * +gaussLegendre20().w.reduce((a, b) => a + b, 0).toFixed(12);
 * // 2
 * ```
 */
export function gaussLegendre20(): { x: Float64Array; w: Float64Array } {
  if (cache) return cache;
  const n = 20;
  const x = new Float64Array(n);
  const w = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let t = Math.cos((Math.PI * (i + 0.75)) / (n + 0.5));
    let dp = 0;
    for (let it = 0; it < 100; it++) {
      let p0 = 1;
      let p1 = t;
      for (let k = 2; k <= n; k++) {
        const p2 = ((2 * k - 1) * t * p1 - (k - 1) * p0) / k;
        p0 = p1;
        p1 = p2;
      }
      dp = (n * (t * p1 - p0)) / (t * t - 1);
      const dt = p1 / dp;
      t -= dt;
      if (Math.abs(dt) < 1e-16) break;
    }
    x[i] = t;
    w[i] = 2 / ((1 - t * t) * dp * dp);
  }
  cache = { x, w };
  return cache;
}

/**
 * The most panels {@link integrate} evaluates (20 calls of f each).
 *
 * @example
 * ```ts
 * MAX_PANELS;
 * // 1000000
 * ```
 */
export const MAX_PANELS = 1_000_000;

/**
 * ∫_a^b f by composite 20-point Gauss–Legendre on panels no wider than `width`, with panel edges at the
 * given breakpoints (so a jump or kink of f never falls inside a panel). `a ≤ b` finite, `width` positive
 * and at most {@link MAX_PANELS} panels in all (`(b − a) / width`), checked before f is called: a
 * width of 0 or an infinite interval is `DOMAIN`, never an endless loop.
 *
 * @example
 * ```ts
 * integrate((x) => x * x, 0, 3, [], 0.5);
 * // 9
 * ```
 */
export function integrate(f: (x: number) => number, a: number, b: number, breakpoints: readonly number[] = [], width = 0.25): number {
  const where = 'integrate';
  if (typeof f !== 'function') throw new DescentError('DOMAIN', where, `f must be a function, got ${describeValue(f)}`);
  assertNumber(a, where, 'a');
  assertNumber(b, where, 'b');
  if (!(a <= b)) throw new DescentError('DOMAIN', where, `a = ${a} must be ≤ b = ${b}`);
  assertArrayLike(breakpoints, where, 'breakpoints');
  for (let i = 0; i < breakpoints.length; i++) {
    if (typeof breakpoints[i] !== 'number' || Number.isNaN(breakpoints[i])) throw new DescentError('DOMAIN', where, `breakpoints[${i}] is ${describeValue(breakpoints[i])}`);
  }
  if (!(typeof width === 'number' && width > 0 && width < Infinity)) throw new DescentError('DOMAIN', where, `width must be a finite positive number, got ${describeValue(width)}`);
  // (b - a) can overflow for finite a, b of opposite sign: halve before dividing.
  const panelsNeeded = 2 * ((0.5 * b - 0.5 * a) / width) + breakpoints.length;
  if (!(panelsNeeded <= MAX_PANELS)) {
    throw new DescentError('DOMAIN', where, `(b − a) / width = ${panelsNeeded} panels is above the limit of ${MAX_PANELS}`);
  }
  const { x, w } = gaussLegendre20();
  const edges = [a, ...breakpoints.filter((t) => t > a && t < b).sort((p, q) => p - q), b];
  let total = 0;
  for (let e = 0; e + 1 < edges.length; e++) {
    const lo = edges[e]!;
    const hi = edges[e + 1]!;
    const panels = Math.max(1, Math.ceil((hi - lo) / width));
    const h = (hi - lo) / panels;
    for (let p = 0; p < panels; p++) {
      const c = lo + (p + 0.5) * h;
      let s = 0;
      for (let k = 0; k < x.length; k++) s += w[k]! * f(c + 0.5 * h * x[k]!);
      total += 0.5 * h * s;
    }
  }
  return total;
}

/**
 * The probit range [−L, L] outside which a distortion puts negligible weight on a standard normal:
 * g(Φ̄(L)) and g̃(Φ(−L)) below 1e−17, L ∈ [8, 37]. Throws NOT_CONVERGED if even L = 37 is not enough
 * (a distortion so heavy that its Gaussian DRM is not computable in double precision).
 *
 * @example
 * ```ts
 * probitRange(expectedShortfall(0.9));
 * // 9
 * ```
 */
export function probitRange(d: Distortion): number {
  assertDistortion(d, 'probitRange');
  for (let L = 8; L <= 37; L += 1) {
    const s = normalCdf(-L);
    if (d.g(s) < 1e-17 && d.gTilde(s) < 1e-17) return L;
  }
  throw new DescentError('NOT_CONVERGED', 'probitRange', `${d.name} puts more than 1e-17 weight beyond 37 standard deviations`);
}

/**
 * Probit breakpoints Φ^{-1}(u) of a distortion's kinks and jumps.
 *
 * @example
 * ```ts
 * probitKinks(valueAtRisk(0.5));
 * // [0]
 * ```
 */
export function probitKinks(d: Distortion): number[] {
  assertDistortion(d, 'probitKinks');
  return d.kinks.map((u) => normalPpf(u));
}
