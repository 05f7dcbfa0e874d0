import { describe, expect, test } from 'vitest';
import { matrix } from '@descent/linalg';
import {
  Status,
  alignedInit,
  bisectCriticalStepSize,
  classifyStart,
  matrixFactorizationObjective,
  scalarVectorCriticalStepSize,
  scalarVectorCriticalStepSizeAt,
  scalarVectorObjective,
  vectorTargetCriticalStepSize,
  vectorTargetObjective,
} from '@descent/dynamics';
import { fixture } from './fixture.js';

const converges = (f: Parameters<typeof classifyStart>[0], x0: Float64Array, T: number) => (eta: number) =>
  classifyStart(f, x0, eta, { maxSteps: T }).status === Status.CONVERGED;

describe('critical step size', () => {
  test('exact formula and conventions', () => {
    expect(scalarVectorCriticalStepSize(2)).toBe(0.5);
    expect(scalarVectorCriticalStepSize(-2)).toBe(0.5);
    expect(scalarVectorCriticalStepSize(2, { loss: 'plain' })).toBe(0.25);
    expect(scalarVectorCriticalStepSize(0)).toBe(Infinity);
    expect(scalarVectorCriticalStepSize(0.5, { lambda: 0.2 })).toBeCloseTo(1 / 0.3, 14);
    expect(scalarVectorCriticalStepSize(0.5, { lambda: 0.4 })).toBeCloseTo(1 / 0.4, 14);
    expect(scalarVectorCriticalStepSize(0.5, { lambda: 1 })).toBeCloseTo(2 / 1.5, 14);
  });

  test('bisection matches the NumPy bisection and 1/|y| (within 1% at T = 2000)', () => {
    for (const c of fixture.bisection as { y: number; u0: number; v0: number; T: number; eta: number }[]) {
      const f = scalarVectorObjective({ y: c.y });
      const r = bisectCriticalStepSize(converges(f, new Float64Array([c.u0, c.v0]), c.T), { lo: 0.1 / c.y, hi: 1.9 / c.y });
      // Same classifier, same arithmetic, but different brackets (NumPy bisects [0.1, 1.9]/y directly,
      // we scan first). "Converges within T" is not monotone in η at the 1e-15…1e-9 scale (the step
      // where ‖∇L‖ crosses the tolerance jitters near the budget), so the two searches may stop at
      // neighbouring switch points: observed ≤ 1.5e-9 relative apart; a wrong map or classifier
      // would move the switch by ≫ 1e-6.
      expect(Math.abs(r.eta - c.eta) / c.eta).toBeLessThan(1e-8);
      expect(r.eta * c.y).toBeGreaterThan(0.99);
      expect(r.eta * c.y).toBeLessThanOrEqual(1);
      expect(r.nonMonotone).toBe(false);
    }
  });

  test('bisection within 0.1% at T = 20000, d = 5 (critical slowing down shrinks the deficit ∝ 1/T)', () => {
    const f = scalarVectorObjective({ d: 5, y: 1 });
    const x0 = new Float64Array([0.1, -0.2, 0.3, 0.05, 0.2, 0.25, 0.1, -0.15, 0.3, 0.1]);
    const r = bisectCriticalStepSize(converges(f, x0, 20000), { lo: 0.1, hi: 1.9, scanPoints: 16, iterations: 25 });
    expect(r.eta).toBeGreaterThan(0.999);
    expect(r.eta).toBeLessThanOrEqual(1);
  });

  test('per-start critical step size: formula matches NumPy; bisection lands on it', () => {
    for (const c of fixture.criticalAt as { u0: number; v0: number; y: number; formula: number; eta: number }[]) {
      const theta = new Float64Array([c.u0, c.v0]);
      const formula = scalarVectorCriticalStepSizeAt(theta, c.y);
      expect(Math.abs(formula - c.formula)).toBeLessThan(1e-15);
      const r = bisectCriticalStepSize(converges(scalarVectorObjective({ y: c.y }), theta, 20000), { lo: 0.01 / c.y, hi: 1.9 / c.y });
      // Same classifier and arithmetic as the NumPy bisection (see above for why not bit-equal).
      expect(Math.abs(r.eta - c.eta) / c.eta).toBeLessThan(1e-8);
      if (formula < 1 / c.y) {
        // The start-dependent branch (θ₀ on the ellipse E = 1 at η*): the switch is sharp, observed
        // agreement ≤ 5e-14 relative.
        expect(Math.abs(r.eta - formula) / formula).toBeLessThan(1e-9);
      } else {
        // The global branch 1/|y|: critical slowing down leaves a deficit ∝ 1/T (spec §b.3: ≤ 0.1% at T = 2·10⁴).
        expect(r.eta).toBeLessThanOrEqual(formula);
        expect(r.eta / formula).toBeGreaterThan(0.999);
      }
    }
    expect(scalarVectorCriticalStepSizeAt(new Float64Array([2, 0]), 0)).toBe(1);
    expect(scalarVectorCriticalStepSizeAt(new Float64Array([0, 0]), 0)).toBe(Infinity);
    expect(scalarVectorCriticalStepSizeAt(new Float64Array([2, 0]), 1, { loss: 'plain' })).toBeCloseTo(0.8284271247461902 / 2, 15);
  });

  test('bisection for M2 and aligned MF land on 1/‖y‖ and 1/σ₁', () => {
    const y = new Float64Array([0.5, -1, 0.7, 0.2]);
    const m2 = bisectCriticalStepSize(converges(vectorTargetObjective({ y }), new Float64Array([0.3, 0.1, -0.2, 0.2, 0.05]), 20000), {
      lo: 0.05,
      hi: 1.5,
      scanPoints: 16,
      iterations: 25,
    });
    const want = vectorTargetCriticalStepSize(y);
    expect(m2.eta / want).toBeGreaterThan(0.99);
    expect(m2.eta / want).toBeLessThanOrEqual(1.0000001);
    const Y = matrix(3, 3, Float64Array.from([2, 0, 0, 0, 1, 0, 0, 0, 0.5]));
    const init = alignedInit(Y, 3, new Float64Array([0.3, 0.2, 0.1]), new Float64Array([0.2, 0.3, 0.2]));
    const mf = bisectCriticalStepSize(converges(matrixFactorizationObjective({ Y, k: 3 }), init.theta, 20000), {
      lo: 0.05,
      hi: 0.95,
      scanPoints: 16,
      iterations: 25,
    });
    // Spec: 0.49984 vs 1/σ₁ = 0.5.
    expect(mf.eta).toBeGreaterThan(0.499);
    expect(mf.eta).toBeLessThanOrEqual(0.5);
  });

  test('the bracket is checked; non-monotone predicates are reported', () => {
    expect(() => bisectCriticalStepSize(() => false, { lo: 0.1, hi: 1 })).toThrow(/bracket/);
    expect(() => bisectCriticalStepSize(() => true, { lo: 0.1, hi: 1 })).toThrow(/bracket/);
    const r = bisectCriticalStepSize((eta) => eta < 0.3 || (eta > 0.5 && eta < 0.6), { lo: 0.1, hi: 1 });
    expect(r.nonMonotone).toBe(true);
    expect(r.eta).toBeCloseTo(0.3, 9);
  });

  test('just above η* a start deep inside the ellipse does not converge (the law is sharp)', () => {
    const f = scalarVectorObjective({ y: 1 });
    const x0 = new Float64Array([0.3, 0.2]);
    expect(classifyStart(f, x0, 0.98, { maxSteps: 20000 }).status).toBe(Status.CONVERGED);
    const above = classifyStart(f, x0, 1.02, { maxSteps: 20000 });
    expect(above.status).not.toBe(Status.CONVERGED);
    expect(above.x.every(Number.isFinite)).toBe(true);
  });
});
