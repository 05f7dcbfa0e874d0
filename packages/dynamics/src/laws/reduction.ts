import fc from 'fast-check';
import { ellipseValue } from '../ellipse.js';
import { gradientDescent } from '../gd.js';
import { alignedInit, matrixFactorizationObjective } from '../matrixFactorization.js';
import { liftScalarVector, reduceScalarVector, scalarVectorObjective } from '../scalarVector.js';
import { matrix } from '@descent/linalg';

const coord = fc.double({ min: -1.5, max: 1.5, noNaN: true });
// Mode amplitudes bounded away from 0: the check divides by α_i(0), β_i(0).
const modeCoord = fc.oneof(fc.double({ min: 0.1, max: 1, noNaN: true }), fc.double({ min: -1, max: -0.1, noNaN: true }));

/**
 * The planar reduction is exact: iterating the d = 1 map from the conjugate start (x, z) of
 * θ ∈ R^{2d} and lifting back equals the full GD map on R^{2d} for 50 steps, to 1e-12·(1 + ‖θ_t‖)
 * entrywise (spec §a.1 [RECON]; observed ~5e-16).
 *
 * @example
 * ```ts
 * fc.assert(planarReductionLaw(), { numRuns: 20 });
 * // (passes)
 * ```
 */
export function planarReductionLaw(): fc.IProperty<[number, number, number, number, number[]]> {
  return fc.property(
    fc.integer({ min: 2, max: 5 }),
    fc.double({ min: 0.2, max: 2, noNaN: true }),
    fc.double({ min: 0, max: 0.4, noNaN: true }),
    fc.double({ min: 0.05, max: 0.9, noNaN: true }),
    fc.array(fc.double({ min: -0.8, max: 0.8, noNaN: true }), { minLength: 10, maxLength: 10 }),
    (d, y, lambda, c, xs) => {
      const theta = Float64Array.from(xs.slice(0, 2 * d));
      const eta = c / y;
      const red = reduceScalarVector(theta);
      const gdFull = gradientDescent(scalarVectorObjective({ d, y, lambda }));
      const gd1 = gradientDescent(scalarVectorObjective({ d: 1, y, lambda }));
      let full = gdFull.init({ eta }, theta);
      let one = gd1.init({ eta }, new Float64Array([red.x, red.z]));
      for (let t = 0; t < 50; t++) {
        full = gdFull.step(full, undefined);
        one = gd1.step(one, undefined);
        const lifted = liftScalarVector(red, one.x[0]!, one.x[1]!);
        let nn = 0;
        for (const v of full.x) nn += v * v;
        const tol = 1e-12 * (1 + Math.sqrt(nn));
        if (!lifted.every((v, i) => Math.abs(v - full.x[i]!) <= tol)) return false;
      }
      return true;
    },
  );
}

/**
 * Under aligned ("orthogonal") initialization, GD on matrix factorization decouples into independent
 * d = 1 scalar problems with targets σ_i (O = I): for 100 steps, column i of U_t equals (α_i(t)/α_i(0))
 * times column i of U₀ (likewise V) with (α_i(t), β_i(t)) the scalar iterates, to 1e-10·(1 + |·|)
 * entrywise (spec §a.3 [RECON]; observed ~3e-16).
 *
 * @example
 * ```ts
 * fc.assert(alignedDecouplingLaw(), { numRuns: 10 });
 * // (passes)
 * ```
 */
export function alignedDecouplingLaw(): fc.IProperty<[number[], number[], number[], number, number]> {
  return fc.property(
    fc.array(coord, { minLength: 20, maxLength: 20 }),
    fc.array(modeCoord, { minLength: 3, maxLength: 3 }),
    fc.array(modeCoord, { minLength: 3, maxLength: 3 }),
    fc.double({ min: 0.05, max: 0.45, noNaN: true }),
    fc.double({ min: 0, max: 0.3, noNaN: true }),
    (ys, al, be, c, lambda) => {
      const [m, n, k] = [5, 4, 3];
      const Y = matrix(m, n, Float64Array.from(ys));
      const init = alignedInit(Y, k, Float64Array.from(al), Float64Array.from(be));
      const s1 = init.sigma[0]!;
      // Singular vectors of (near-)zero singular values are not determined: skip degenerate targets.
      if (!(init.sigma[k - 1]! > 0.05)) return true;
      const eta = c / s1;
      const gd = gradientDescent(matrixFactorizationObjective({ Y, k, lambda }));
      let st = gd.init({ eta }, init.theta);
      const a = Float64Array.from(al);
      const b = Float64Array.from(be);
      // Directions: column c of U_0 is α_c·A_c (O = I), so A_c = U_0[:, c]/α_c when α_c ≠ 0.
      const colsU = [0, 1, 2].map((cc) => Float64Array.from({ length: m }, (_, i) => init.theta[i * k + cc]!));
      const colsV = [0, 1, 2].map((cc) => Float64Array.from({ length: n }, (_, j) => init.theta[m * k + j * k + cc]!));
      for (let t = 0; t < 100; t++) {
        st = gd.step(st, undefined);
        for (let cc = 0; cc < k; cc++) {
          const sg = init.sigma[cc]!;
          const ra = a[cc]! * b[cc]! - sg;
          const na = a[cc]! - eta * (ra * b[cc]! + lambda * a[cc]!);
          const nb = b[cc]! - eta * (ra * a[cc]! + lambda * b[cc]!);
          a[cc] = na;
          b[cc] = nb;
        }
        if (!(Math.max(...a.map(Math.abs), ...b.map(Math.abs)) < 1e6)) return true;
        for (let cc = 0; cc < k; cc++) {
          // U_t[:, c] should be (α_t/α_0)·U_0[:, c].
          for (let i = 0; i < m; i++) {
            const want = al[cc]! === 0 ? 0 : (a[cc]! / al[cc]!) * colsU[cc]![i]!;
            if (al[cc]! !== 0 && !(Math.abs(st.x[i * k + cc]! - want) <= 1e-10 * (1 + Math.abs(want)))) return false;
          }
          for (let j = 0; j < n; j++) {
            const want = be[cc]! === 0 ? 0 : (b[cc]! / be[cc]!) * colsV[cc]![j]!;
            if (be[cc]! !== 0 && !(Math.abs(st.x[m * k + j * k + cc]! - want) <= 1e-10 * (1 + Math.abs(want)))) return false;
          }
        }
      }
      return true;
    },
  );
}

/**
 * The ellipse E(θ) = 1 of unregularized scalar–vector factorization is invariant: a point on it maps to
 * a point on it for 5 steps, |E − 1| ≤ 1e-9 (errors grow ×3 per step on the chaotic boundary;
 * spec §b.2 [RECON]), for η|y| ∈ (0.05, 1.95).
 *
 * @example
 * ```ts
 * fc.assert(ellipseInvarianceLaw());
 * // (passes)
 * ```
 */
export function ellipseInvarianceLaw(): fc.IProperty<[number, number, number]> {
  return fc.property(
    fc.double({ min: 0.25, max: 4, noNaN: true }),
    fc.double({ min: 0.05, max: 1.95, noNaN: true }),
    fc.double({ min: 0, max: 2 * Math.PI, noNaN: true }),
    (y, c, phi) => {
      const eta = c / y;
      const s = Math.sqrt((4 * (2 + c)) / eta) * Math.cos(phi);
      const m = Math.sqrt((4 * (2 - c)) / eta) * Math.sin(phi);
      const gd = gradientDescent(scalarVectorObjective({ y }));
      let st = gd.init({ eta }, new Float64Array([(s + m) / 2, (s - m) / 2]));
      for (let t = 0; t < 5; t++) {
        st = gd.step(st, undefined);
        if (!(Math.abs(ellipseValue(st.x, y, eta) - 1) <= 1e-9)) return false;
      }
      return true;
    },
  );
}
