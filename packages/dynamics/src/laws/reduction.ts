import fc from 'fast-check';
import { ellipseValue } from '../ellipse.js';
import { gradientDescent } from '../gd.js';
import { alignedInit, matrixFactorizationObjective } from '../matrixFactorization.js';
import { liftScalarVector, reduceScalarVector, scalarVectorObjective } from '../scalarVector.js';
import { matrix } from '@descent/linalg';

const coord = fc.double({ min: -1.5, max: 1.5, noNaN: true });


/**
 * The planar reduction is an exact conjugacy: along 50 steps of the d = 1 orbit of the conjugate start
 * (x, z) of θ ∈ R^{2d}, one full GD step of the lifted point equals the lift of the next reduced point,
 * F(lift(x_t, z_t)) = lift(f(x_t, z_t)), to 1e-12·(1 + ‖θ_t‖) entrywise (spec §a.1 [RECON]; observed
 * ~5e-16), while ‖θ_t‖ ≤ 10. Checked step by step so that the orbit's own sensitivity (near the saddle θ = 0 or on chaotic
 * orbits) does not amplify rounding differences between the two iterations.
 *
 * @example
 * ```ts
 * fc.check(planarReductionLaw(), { numRuns: 20 }).failed;
 * // false
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
      let one = gd1.init({ eta }, new Float64Array([red.x, red.z]));
      for (let t = 0; t < 50; t++) {
        const here = liftScalarVector(red, one.x[0]!, one.x[1]!);
        // A diverging orbit: beyond ‖θ‖ = 10 the step u − ηrv cancels catastrophically; stop there.
        if (!(Math.hypot(...here) <= 10)) return true;
        const full = gdFull.step(gdFull.init({ eta }, here), undefined).x;
        one = gd1.step(one, undefined);
        const lifted = liftScalarVector(red, one.x[0]!, one.x[1]!);
        let nn = 0;
        for (const v of full) nn += v * v;
        const tol = 1e-12 * (1 + Math.sqrt(nn));
        if (!lifted.every((v, i) => Math.abs(v - full[i]!) <= tol)) return false;
      }
      return true;
    },
  );
}

/**
 * Under aligned ("orthogonal") initialization, GD on matrix factorization decouples into independent
 * d = 1 scalar problems with targets σ_i: along 100 steps of the scalar orbits (α_i(t), β_i(t)), one
 * full GD step from the aligned point alignedInit(α(t), β(t)) equals alignedInit(α(t+1), β(t+1)), to
 * 1e-12·(1 + ‖θ‖) entrywise (spec §a.3 [RECON]; observed ~3e-16). Checked step by step: transverse
 * directions can be unstable (near θ = 0, or between nearly equal σ's), which would amplify rounding
 * differences between two long iterations without contradicting the invariance.
 *
 * @example
 * ```ts
 * fc.check(alignedDecouplingLaw(), { numRuns: 10 }).failed;
 * // false
 * ```
 */
export function alignedDecouplingLaw(): fc.IProperty<[number[], number[], number[], number, number]> {
  return fc.property(
    fc.array(coord, { minLength: 20, maxLength: 20 }),
    fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: 3, maxLength: 3 }),
    fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: 3, maxLength: 3 }),
    fc.double({ min: 0.05, max: 0.95, noNaN: true }),
    fc.double({ min: 0, max: 0.3, noNaN: true }),
    (ys, al, be, c, lambda) => {
      const [m, n, k] = [5, 4, 3];
      const Y = matrix(m, n, Float64Array.from(ys));
      const a = Float64Array.from(al);
      const b = Float64Array.from(be);
      const sigma = alignedInit(Y, k, a, b).sigma;
      if (!(sigma[0]! > 1e-3)) return true;
      const eta = c / sigma[0]!;
      const gd = gradientDescent(matrixFactorizationObjective({ Y, k, lambda }));
      for (let t = 0; t < 100; t++) {
        const here = alignedInit(Y, k, a, b).theta;
        const full = gd.step(gd.init({ eta }, here), undefined).x;
        for (let i = 0; i < k; i++) {
          const r = a[i]! * b[i]! - sigma[i]!;
          const na = a[i]! - eta * (r * b[i]! + lambda * a[i]!);
          const nb = b[i]! - eta * (r * a[i]! + lambda * b[i]!);
          a[i] = na;
          b[i] = nb;
        }
        if (!(Math.max(...a.map(Math.abs), ...b.map(Math.abs)) < 1e6)) return true;
        const want = alignedInit(Y, k, a, b).theta;
        let nn = 0;
        for (const v of full) nn += v * v;
        const tol = 1e-12 * (1 + Math.sqrt(nn));
        if (!want.every((v, i) => Math.abs(v - full[i]!) <= tol)) return false;
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
 * fc.check(ellipseInvarianceLaw()).failed;
 * // false
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
