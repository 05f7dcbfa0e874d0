import fc from 'fast-check';
import { matrix } from '@descent/linalg';
import { balancedness, balancednessFactor, balancednessMatrix, predictedBalancednessMatrix } from '../balancedness.js';
import { gradientDescent } from '../gd.js';
import { matrixFactorizationObjective } from '../matrixFactorization.js';
import { scalarVectorObjective } from '../scalarVector.js';

const coord = fc.double({ min: -2, max: 2, noNaN: true });

/**
 * One GD step multiplies balancedness ‖u‖² − ‖v‖² by exactly (1 − ηλ)² − η²r² (spec §g, [RECON]
 * identity): |Bal(θ′) − factor·Bal(θ)| ≤ 1e-12·(1 + |Bal| + ‖θ‖²)² (rounding of the O(‖θ‖⁴) products).
 *
 * @example
 * ```ts
 * fc.check(balancednessStepIdentityLaw()).failed;
 * // false
 * ```
 */
export function balancednessStepIdentityLaw(): fc.IProperty<[number, number, number, number, number[]]> {
  return fc.property(
    fc.integer({ min: 1, max: 4 }),
    fc.double({ min: -2, max: 2, noNaN: true }),
    fc.double({ min: 1e-3, max: 1.5, noNaN: true }),
    fc.double({ min: 0, max: 0.5, noNaN: true }),
    fc.array(coord, { minLength: 8, maxLength: 8 }),
    (d, y, eta, lambda, xs) => {
      const theta = Float64Array.from(xs.slice(0, 2 * d));
      const gd = gradientDescent(scalarVectorObjective({ d, y, lambda }));
      const next = gd.step(gd.init({ eta }, theta), undefined).x;
      const b0 = balancedness(theta);
      const pred = balancednessFactor(theta, y, eta, lambda) * b0;
      let nn = 0;
      for (const v of theta) nn += v * v;
      return Math.abs(balancedness(next) - pred) <= 1e-12 * (1 + Math.abs(b0) + nn) ** 2;
    },
  );
}

/**
 * The matrix identity U′ᵀU′ − V′ᵀV′ = (1−ηλ)²(UᵀU − VᵀV) + η²(VᵀRᵀRV − UᵀRRᵀU) holds for one GD step of
 * matrix factorization, entrywise to 1e-11·(1 + ‖θ‖²)² (spec §g).
 *
 * @example
 * ```ts
 * fc.check(matrixBalancednessIdentityLaw()).failed;
 * // false
 * ```
 */
export function matrixBalancednessIdentityLaw(): fc.IProperty<[number[], number[], number, number]> {
  return fc.property(
    fc.array(coord, { minLength: 12, maxLength: 12 }),
    fc.array(coord, { minLength: 14, maxLength: 14 }),
    fc.double({ min: 1e-3, max: 0.8, noNaN: true }),
    fc.double({ min: 0, max: 0.5, noNaN: true }),
    (ys, ts, eta, lambda) => {
      const [m, n, k] = [4, 3, 2];
      const Y = matrix(m, n, Float64Array.from(ys));
      const theta = Float64Array.from(ts);
      const gd = gradientDescent(matrixFactorizationObjective({ Y, k, lambda }));
      const next = gd.step(gd.init({ eta }, theta), undefined).x;
      const got = balancednessMatrix(next, m, n, k).data;
      const want = predictedBalancednessMatrix(theta, Y, k, eta, lambda).data;
      let nn = 0;
      for (const v of theta) nn += v * v;
      return got.every((g, i) => Math.abs(g - want[i]!) <= 1e-11 * (1 + nn) ** 2);
    },
  );
}

/**
 * Gradient flow θ′ = −∇L (λ = 0) conserves balancedness, and GD's drift is O(η²) per step: integrating
 * the flow for time 0.5 by RK4 with dt = 1e-3 changes Bal by ≤ 1e-9·(1 + |Bal|) (RK4's local error is
 * O(dt⁵) per step), while the GD drift ΔBal = −η²r²Bal satisfies |ΔBal| ≤ η²·r²·|Bal| + 1e-12 and
 * halving η divides it by 4 (to 1e-9 relative) when r ≠ 0.
 *
 * @example
 * ```ts
 * fc.check(balancednessFlowLaw(), { numRuns: 20 }).failed;
 * // false
 * ```
 */
export function balancednessFlowLaw(): fc.IProperty<[number, number[], number]> {
  return fc.property(
    fc.double({ min: -1.5, max: 1.5, noNaN: true }),
    fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: 4, maxLength: 4 }),
    fc.double({ min: 1e-4, max: 1e-2, noNaN: true }),
    (y, xs, eta) => {
      const d = 2;
      const f = scalarVectorObjective({ d, y });
      const theta = Float64Array.from(xs);
      const b0 = balancedness(theta);
      // RK4 on the gradient flow.
      const x = Float64Array.from(theta);
      const k1 = new Float64Array(4);
      const k2 = new Float64Array(4);
      const k3 = new Float64Array(4);
      const k4 = new Float64Array(4);
      const tmp = new Float64Array(4);
      const dt = 1e-3;
      for (let s = 0; s < 500; s++) {
        f.gradInto(x, k1);
        for (let i = 0; i < 4; i++) tmp[i] = x[i]! - (dt / 2) * k1[i]!;
        f.gradInto(tmp, k2);
        for (let i = 0; i < 4; i++) tmp[i] = x[i]! - (dt / 2) * k2[i]!;
        f.gradInto(tmp, k3);
        for (let i = 0; i < 4; i++) tmp[i] = x[i]! - dt * k3[i]!;
        f.gradInto(tmp, k4);
        for (let i = 0; i < 4; i++) x[i] = x[i]! - (dt / 6) * (k1[i]! + 2 * k2[i]! + 2 * k3[i]! + k4[i]!);
      }
      if (!(Math.abs(balancedness(x) - b0) <= 1e-9 * (1 + Math.abs(b0)))) return false;
      const gd = gradientDescent(f);
      const drift = (h: number): number => balancedness(gd.step(gd.init({ eta: h }, theta), undefined).x) - b0;
      const r = theta[0]! * theta[2]! + theta[1]! * theta[3]! - y;
      const d1 = drift(eta);
      const d2 = drift(eta / 2);
      if (!(Math.abs(d1) <= eta * eta * r * r * Math.abs(b0) * (1 + 1e-6) + 1e-12)) return false;
      const expected = eta * eta * r * r * Math.abs(b0);
      // Only compare the ratio when the drift is well above rounding (|Bal|·ε ≈ 1e-16).
      return expected < 1e-9 || Math.abs(d1 / d2 - 4) <= 1e-3;
    },
  );
}

