import fc from 'fast-check';
import { describe, test } from 'vitest';
import * as laws from '@descent/dynamics/laws';

// Fixed seeds: every law is deterministic in CI; numRuns sized to keep the suite fast.
const run = (p: fc.IProperty<never> | fc.IProperty<unknown[]>, numRuns: number, seed: number) =>
  fc.assert(p as fc.IProperty<unknown[]>, { numRuns, seed });

describe('laws of @descent/dynamics', () => {
  test('GD converges below the critical step size (starts inside the ellipse)', () => run(laws.convergesBelowCriticalLaw(), 60, 1));
  test('GD does not converge above the critical step size; diverges well above', () => run(laws.noConvergenceAboveCriticalLaw(), 25, 2));
  test('the per-start critical step size η*(θ₀) is sharp (0.9η* converges, 1.1η* does not)', () => run(laws.criticalStepAtStartLaw(), 60, 12));
  test('balancedness: exact one-step factor (1−ηλ)² − η²r²', () => run(laws.balancednessStepIdentityLaw(), 200, 3));
  test('balancedness: matrix identity', () => run(laws.matrixBalancednessIdentityLaw(), 200, 4));
  test('balancedness: conserved by gradient flow, O(η²) drift per step', () => run(laws.balancednessFlowLaw(), 40, 5));
  test('region symmetries hold bit for bit', () => run(laws.regionSymmetryLaw(), 40, 6));
  test('box counting: Sierpinski = log 3/log 2', () => run(laws.sierpinskiDimensionLaw(), 12, 7));
  test('box counting: smooth curves ≈ 1', () => run(laws.smoothCurveDimensionLaw(), 12, 8));
  test('planar reduction is exact', () => run(laws.planarReductionLaw(), 40, 9));
  test('aligned matrix factorization decouples into scalar modes', () => run(laws.alignedDecouplingLaw(), 30, 10));
  test('the ellipse E = 1 is invariant', () => run(laws.ellipseInvarianceLaw(), 200, 11));
});
