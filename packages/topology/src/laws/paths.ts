import fc from 'fast-check';
import { homotopyTest } from '../homotopy.js';
import { barrier, linearPathLoss } from '../paths.js';
import { mergeHeight, mergeTree } from '../sublevel.js';
import { key } from '@descent/linalg';

/** A random smooth non-convex loss on R²: a sum of Gaussian bumps on a quadratic bowl. @internal */
function bumpy(params: number[]): (x: Float64Array) => number {
  return (x) => {
    let v = 0.1 * (x[0]! * x[0]! + x[1]! * x[1]!);
    for (let k = 0; k + 2 < params.length; k += 3) v += params[k + 2]! * Math.exp(-((x[0]! - params[k]!) ** 2 + (x[1]! - params[k + 1]!) ** 2));
    return v;
  };
}

const point = fc.tuple(fc.double({ min: -2, max: 2, noNaN: true }), fc.double({ min: -2, max: 2, noNaN: true })).map(([a, b]) => new Float64Array([a, b]));
const bumps = fc.array(fc.double({ min: -2, max: 2, noNaN: true }), { minLength: 9, maxLength: 9 });

/**
 * L19: barriers: B(θ, θ) = 0 (exact); symmetric under swapping the ends (α ↦ 1 − α; 1e−12 relative to
 * the largest |ℓ|, rounding of the grid points); for a convex loss 'linear' and 'max' are 0 and 'mean'
 * is |ℓ1 − ℓ0|/2 (to 1e−12; spec §7 says all three are 0, which is wrong for 'mean'); 0 ≤ B_max ≤ min(B_linear, B_mean);
 * and the mountain-pass estimate (merge height of the ends on the path graph) minus max(ℓ0, ℓ1) ≤ B_max.
 *
 * @example
 * ```ts
 * fc.check(barrierLaws(), { numRuns: 10 }).failed;
 * // false
 * ```
 */
export function barrierLaws() {
  return fc.property(point, point, bumps, (a, b, params) => {
    const L = bumpy(params);
    const fwd = linearPathLoss(L, a, b);
    const bwd = linearPathLoss(L, b, a);
    const B = (c: typeof fwd, reference: 'linear' | 'mean' | 'max') => barrier(c, { reference }).height;
    if (B(linearPathLoss(L, a, a), 'linear') !== 0) return false;
    // the reversed grid evaluates (1 − t)b + ta, which rounds differently from (1 − t')a + t'b
    const scale = Math.max(1, ...Array.from(fwd.loss, Math.abs));
    for (const r of ['linear', 'mean', 'max'] as const) if (Math.abs(B(fwd, r) - B(bwd, r)) > 1e-12 * scale) return false;
    const convex = (x: Float64Array) => x[0]! * x[0]! + 3 * x[1]! * x[1]!;
    const cv = linearPathLoss(convex, a, b);
    const tol = 1e-12 * Math.max(1, convex(a), convex(b));
    for (const r of ['linear', 'max'] as const) if (B(cv, r) > tol) return false;
    // 'mean' is not 0 for a convex loss: max ℓ = max(ℓ0, ℓ1), so it is |ℓ1 − ℓ0|/2 (spec §7 L19 says 0)
    if (Math.abs(B(cv, 'mean') - Math.abs(cv.loss[cv.loss.length - 1]! - cv.loss[0]!) / 2) > tol) return false;
    const bmax = B(fwd, 'max');
    if (bmax < 0 || bmax > Math.min(B(fwd, 'linear'), B(fwd, 'mean')) + 1e-12) return false;
    const m = fwd.loss.length;
    const t = mergeTree(fwd.loss, { kind: 'grid', shape: [1, m], connectivity: 4 });
    return mergeHeight(t, 0, m - 1) - Math.max(fwd.loss[0]!, fwd.loss[m - 1]!) <= bmax + 1e-12;
  });
}

/**
 * L20: the homotopy test is reflexive (P vs P is certified), symmetric (same verdict, c* and upper for
 * (P, Q) and (Q, P): the sample set is symmetric), and a certified pair has c* ≤ upper (exact).
 *
 * @example
 * ```ts
 * fc.check(homotopyLaws(), { numRuns: 3 }).failed;
 * // false
 * ```
 */
export function homotopyLaws() {
  return fc.property(bumps, fc.double({ min: -1.5, max: 1.5, noNaN: true }), fc.double({ min: -1.5, max: 1.5, noNaN: true }), (params, h1, h2) => {
    const L = bumpy(params);
    const arc = (h: number) => Array.from({ length: 21 }, (_, i) => new Float64Array([-1.5 + (3 * i) / 20, h * Math.sin((Math.PI * i) / 20)]));
    const P = arc(h1);
    const Q = arc(h2);
    const o = { points: 21, steps: 9, tubeSamples: 20, key: key(1) };
    if (homotopyTest(P, P, L, o).verdict !== 'certified-on-grid') return false;
    const pq = homotopyTest(P, Q, L, o);
    const qp = homotopyTest(Q, P, L, o);
    if (pq.verdict !== qp.verdict || pq.cStar !== qp.cStar || Math.abs(pq.upper - qp.upper) > 1e-12) return false;
    if (pq.homotopic === true && !(pq.cStar <= pq.upper)) return false;
    return true;
  });
}
