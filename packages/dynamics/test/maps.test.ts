import { describe, expect, test } from 'vitest';
import { matrix, svd } from '@descent/linalg';
import {
  type Objective,
  gradientDescent,
  matrixFactorizationCriticalStepSize,
  matrixFactorizationObjective,
  objectiveSharpness,
  scalarVectorObjective,
  vectorTargetCriticalStepSize,
  vectorTargetObjective,
} from '@descent/dynamics';
import { fixture, maxRelErr } from './fixture.js';

// Each case: loss, gradient and HVP by torch autograd, the GD step θ − η∇L, and λ_max/λ_min by
// numpy.linalg.eigvalsh of the autograd Hessian. Tolerances: 1e-13 relative (a few ulps of sums
// of O(10) terms), sharpness 1e-9 (power iteration stops at |Δρ| ≤ 1e-12·|ρ|, eigen-gap ≥ 0.1).
function check(name: string, f: Objective, c: { theta: number[]; vec: number[]; eta: number; loss: number; grad: number[]; hvp: number[]; next: number[]; sharpness: number; minEig: number }) {
  describe(name, () => {
    const theta = Float64Array.from(c.theta);
    test('loss, gradient and HVP match torch autograd', () => {
      expect(Math.abs(f.loss(theta) - c.loss) / (1 + Math.abs(c.loss))).toBeLessThan(1e-13);
      expect(maxRelErr(f.gradInto(theta, new Float64Array(f.dim)), c.grad)).toBeLessThan(1e-13);
      expect(maxRelErr(f.hvpInto(theta, Float64Array.from(c.vec), new Float64Array(f.dim)), c.hvp)).toBeLessThan(1e-13);
    });
    test('one pure GD step matches, and stepInto equals step bit for bit without touching the input', () => {
      const gd = gradientDescent(f);
      const s0 = gd.init({ eta: c.eta }, theta);
      const before = Float64Array.from(s0.x);
      const s1 = gd.step(s0, undefined);
      expect(maxRelErr(s1.x, c.next)).toBeLessThan(1e-13);
      expect(Array.from(s0.x)).toEqual(Array.from(before));
      const out = gd.init({ eta: c.eta }, new Float64Array(f.dim));
      const s2 = gd.stepInto(s0, undefined, out);
      expect(s2.x).toBe(out.x);
      expect(Array.from(s2.x)).toEqual(Array.from(s1.x));
      expect(s2.t).toBe(1);
    });
    test('sharpness by shifted power iteration equals λ_max of the Hessian', () => {
      const s = objectiveSharpness(f, theta);
      expect(s.converged).toBe(true);
      expect(Math.abs(s.value - c.sharpness) / (1 + Math.abs(c.sharpness))).toBeLessThan(1e-9);
      // Non-vacuous: this Hessian has a negative eigenvalue of comparable size (an unshifted
      // iteration could lock onto it).
      expect(c.minEig).toBeLessThan(0);
    });
  });
}

const sv = fixture.scalarVector;
check('scalar–vector factorization (d = 3, λ = 0.2)', scalarVectorObjective({ d: sv.d, y: sv.y, lambda: sv.lam }), sv);
const sv4 = fixture.scalarVector4;
check('scalar–vector factorization (d = 4, λ = 0)', scalarVectorObjective({ d: sv4.d, y: sv4.y, lambda: sv4.lam }), sv4);
const vt = fixture.vectorTarget;
check('scalar times vector (M2)', vectorTargetObjective({ y: Float64Array.from(vt.y), lambda: vt.lam }), vt);
const mf = fixture.matrixFactorization;
const Y = matrix(mf.m, mf.n, Float64Array.from(mf.Y));
check('matrix factorization (4×3, k = 2, λ = 0.1)', matrixFactorizationObjective({ Y, k: mf.k, lambda: mf.lam }), mf);

describe('minimum losses and critical step sizes against NumPy', () => {
  test('singular values and the ridge-MF minimum loss', () => {
    expect(maxRelErr(svd(Y).s, mf.singularValues)).toBeLessThan(1e-13);
    expect(Math.abs(matrixFactorizationObjective({ Y, k: mf.k, lambda: mf.lam }).minLoss - mf.minLoss)).toBeLessThan(1e-13);
  });
  test('η* = 1/σ₁(Y) for aligned MF and 1/‖y‖ for M2', () => {
    expect(Math.abs(matrixFactorizationCriticalStepSize(Y, mf.k) - mf.criticalStepSize)).toBeLessThan(1e-13);
    expect(Math.abs(vectorTargetCriticalStepSize(Float64Array.from(vt.y)) - vt.criticalStepSize)).toBeLessThan(1e-14);
  });
  test('at a minimizer of ½(uᵀv − y)² the sharpness is ‖u‖² + ‖v‖² (≥ 2|y|)', () => {
    const f = scalarVectorObjective({ d: 2, y: 1.5 });
    // u = (2, 1)/√5·a, v = (2, 1)/√5·(1.5/a): uᵀv = 1.5.
    const a = 1.7;
    const u = [2 / Math.sqrt(5) * a, 1 / Math.sqrt(5) * a];
    const v = [2 / Math.sqrt(5) * (1.5 / a), 1 / Math.sqrt(5) * (1.5 / a)];
    const theta = Float64Array.from([...u, ...v]);
    const want = u[0]! ** 2 + u[1]! ** 2 + v[0]! ** 2 + v[1]! ** 2;
    expect(objectiveSharpness(f, theta).value).toBeCloseTo(want, 9);
    expect(want).toBeGreaterThan(3);
  });
});
