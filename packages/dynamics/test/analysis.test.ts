import { describe, expect, test } from 'vitest';
import { key } from '@descent/linalg';
import {
  Status,
  balancedness,
  finiteDifferenceHvp,
  lyapunovExponents,
  mixedNeighbourFraction,
  objectiveSharpness,
  scalarVectorObjective,
  scalarVectorRegion,
  sharpness,
  squareGrid,
  trackSharpness,
  classifyStart,
  customObjective,
  triplingLyapunov,
  uncertaintyExponent,
} from '@descent/dynamics';
import { fixture } from './fixture.js';

describe('finite-time Lyapunov exponents', () => {
  test('regularized minimizer: matches NumPy QR and tends to {log|1−2η(y−λ)|, log|1−2ηλ|}', () => {
    const c = fixture.ftle;
    const r = lyapunovExponents(scalarVectorObjective({ y: c.y, lambda: c.lam }), Float64Array.from(c.theta0), c.eta, { steps: c.T });
    expect(r.steps).toBe(400);
    // Gram–Schmidt vs Householder QR differ by rounding only: 1e-10.
    expect(Math.abs(r.exponents[0]! - c.exponents[0])).toBeLessThan(1e-10);
    expect(Math.abs(r.exponents[1]! - c.exponents[1])).toBeLessThan(1e-10);
    // Spec §i: within 0.02 of the limit at T = 400 (the transient is included in the average).
    expect(Math.abs(r.exponents[0]! - c.limit[0])).toBeLessThan(0.02);
    expect(Math.abs(r.exponents[1]! - c.limit[1])).toBeLessThan(0.02);
  });

  test('unregularized converged orbit: largest exponent → 0⁻ (neutral minimizer manifold)', () => {
    const r = lyapunovExponents(scalarVectorObjective({ y: 1 }), new Float64Array([0.3, 0.2]), 0.5, { steps: 2000 });
    expect(r.exponents[0]!).toBeLessThan(0);
    expect(r.exponents[0]!).toBeGreaterThan(-5e-3);
    expect(r.exponents[1]!).toBeLessThan(-1);
  });

  test('a diverging orbit stops early with finite exponents', () => {
    const r = lyapunovExponents(scalarVectorObjective({ y: 1 }), new Float64Array([3, -3]), 0.5, { steps: 1000 });
    expect(r.status).toBe(Status.DIVERGED);
    expect(r.steps).toBeLessThan(1000);
    expect(r.exponents.every(Number.isFinite)).toBe(true);
  });

  test('boundary dynamics t ↦ t(3−4t)² has exponent log 3', () => {
    // Spec: 1.098597 over 10⁵ iterates from 0.1234567; the ergodic average converges like n^{-1/2}.
    expect(Math.abs(triplingLyapunov(0.1234567, 100000) - Math.log(3))).toBeLessThan(5e-3);
  });
});

describe('sensitivity to initialization', () => {
  test('mixed-neighbour fraction grows toward η* (spec §f: 0.09, 0.15, 0.19 at 512²)', () => {
    const f = [0.5, 0.9, 0.99].map((eta) => {
      const r = scalarVectorRegion({ y: 1, eta, grid: squareGrid(3, 256), maxSteps: 20000 });
      return mixedNeighbourFraction(r, 256, 256);
    });
    expect(f[0]!).toBeLessThan(f[1]!);
    expect(f[1]!).toBeLessThan(f[2]!);
  });

  test('uncertainty exponent on the Fig. 3 setting: boundary dimension ≈ 1.3 (> 1)', () => {
    // Spec §f: D ≈ 1.38 (3-class) from 2·10⁵ points; here 10⁵ points, the smallest ε rests on ~5
    // events, so the fitted α has SE ~0.05: test 1.15 < D < 1.6 and f(ε) increasing in ε.
    const u = uncertaintyExponent({ y: 0.5, lambda: 0.2, eta: 1, grid: squareGrid(4, 2), maxSteps: 200 }, { samples: 100000, key: key(1) });
    for (let i = 1; i < u.fractions.length; i++) expect(u.fractions[i]!).toBeGreaterThan(u.fractions[i - 1]!);
    expect(u.dimension).toBeGreaterThan(1.15);
    expect(u.dimension).toBeLessThan(1.6);
  });
});

describe('edge of stability', () => {
  test('sharpness of a diagonal operator with a dominant negative eigenvalue', () => {
    const d = new Float64Array([0.5, -7, 2, -1]);
    const s = sharpness((v, o) => {
      for (let i = 0; i < 4; i++) o[i] = d[i]! * v[i]! ;
      return o;
    }, 4);
    expect(s.value).toBeCloseTo(2, 10);
    expect(s.converged).toBe(true);
  });

  test('finite-difference HVP agrees with the exact one', () => {
    const f = scalarVectorObjective({ d: 3, y: 0.7, lambda: 0.1 });
    const th = new Float64Array([0.3, -0.5, 0.8, 0.2, 0.4, -0.6]);
    const exact = objectiveSharpness(f, th).value;
    const fd = sharpness(finiteDifferenceHvp((t, o) => f.gradInto(t, o), th), 6, { tol: 1e-10 }).value;
    // Central differences with h ≈ 1e-5: error O(h²·‖∇³L‖) ≈ 1e-9 plus rounding ε/h ≈ 1e-11.
    expect(Math.abs(fd - exact)).toBeLessThan(1e-6);
  });

  test('GD below η* lands where η·S ≤ 2; near η* sharpness ends just below 2/η (edge of stability)', () => {
    const f = scalarVectorObjective({ y: 1 });
    const tr = trackSharpness(f, new Float64Array([2.5, 0.1]), 0.45, { steps: 400, every: 10 });
    expect(tr.status).toBe(Status.UNDECIDED);
    const last = tr.sharpness[tr.sharpness.length - 1]!;
    expect(last).toBeLessThanOrEqual(tr.twoOverEta + 1e-9);
    // A start with large imbalance begins far above 2/η: the catapult reduces sharpness.
    expect(tr.sharpness[0]!).toBeGreaterThan(tr.twoOverEta);
    expect(tr.edgeOfStability).toBe(false);
    // Near criticality the selected minimizer's sharpness is close to the threshold (spec §g: median ηS/2 = 0.991).
    const c = classifyStart(f, new Float64Array([0.3, 0.2]), 0.99, { maxSteps: 20000 });
    expect(c.status).toBe(Status.CONVERGED);
    const s = objectiveSharpness(f, c.x).value;
    expect((0.99 * s) / 2).toBeLessThanOrEqual(1 + 1e-6);
    expect((0.99 * s) / 2).toBeGreaterThan(0.95);
  });

  test('EoS flag: sharpness above 2/η for many steps with bounded loss (period-2 orbit above η*)', () => {
    // Above η* = 1 GD from this start stays bounded and oscillates (spec §b.1): sharpness hovers
    // around 2/η. The flag must agree with a direct count over the trace.
    const f = scalarVectorObjective({ y: 1 });
    const tr = trackSharpness(f, new Float64Array([0.3, 0.2]), 1.2, { steps: 300, every: 1 });
    expect(tr.status).toBe(Status.UNDECIDED);
    let run = 0;
    let seen = false;
    for (const s of tr.sharpness) {
      run = s > tr.twoOverEta ? run + 1 : 0;
      if (run >= 10) seen = true;
    }
    expect(tr.edgeOfStability).toBe(seen);
    expect(tr.loss.every(Number.isFinite)).toBe(true);
    // Period-2 orbit: sharpness alternates around 2/η (observed 2.896 / 0.604 with 2/η = 1.667), so
    // the mean of ηS/2 over the window is ≈ 1 (observed 1.05), while below η* it ends < 1.
    expect(tr.lastWindowRatio).toBeGreaterThan(0.9);
    expect(tr.lastWindowRatio).toBeLessThan(1.2);
    const below = trackSharpness(f, new Float64Array([0.3, 0.2]), 0.5, { steps: 300, every: 1 });
    expect(below.lastWindowRatio).toBeLessThan(0.6);
  });

  test('any loss: a quadratic through customObjective (finite-difference HVP) — stable iff η·S < 2', () => {
    // L = ½ xᵀ diag(3, 1, 0.2) x: sharpness 3, so GD is stable iff η < 2/3.
    const d = [3, 1, 0.2];
    const f = customObjective({
      dim: 3,
      loss: (t) => 0.5 * (d[0]! * t[0]! ** 2 + d[1]! * t[1]! ** 2 + d[2]! * t[2]! ** 2),
      gradInto: (t, o) => {
        for (let i = 0; i < 3; i++) o[i] = d[i]! * t[i]!;
        return o;
      },
      minLoss: 0,
    });
    const x0 = new Float64Array([1, 1, 1]);
    const stable = trackSharpness(f, x0, 0.6, { steps: 100, every: 10 });
    expect(Math.abs(stable.sharpness[0]! - 3)).toBeLessThan(1e-6);
    expect(stable.status).toBe(Status.UNDECIDED);
    expect(classifyStart(f, x0, 0.6, { maxSteps: 2000 }).status).toBe(Status.CONVERGED);
    const unstable = trackSharpness(f, x0, 0.7, { steps: 2000, every: 10 });
    expect(unstable.status).toBe(Status.DIVERGED);
    expect(unstable.sharpness[0]! * 0.7).toBeGreaterThan(2);
  });
});

describe('balancedness', () => {
  test('along a GD orbit (λ = 0), Bal_T = Bal₀·Π(1 − η²r_t²) to 1e-12 relative', () => {
    const f = scalarVectorObjective({ d: 2, y: 1 });
    let x = new Float64Array([0.9, -0.2, 0.1, 0.4]);
    const g = new Float64Array(4);
    const eta = 0.7;
    const b0 = balancedness(x);
    let prod = 1;
    for (let t = 0; t < 200; t++) {
      const r = x[0]! * x[2]! + x[1]! * x[3]! - 1;
      prod *= 1 - eta * eta * r * r;
      f.gradInto(x, g);
      x = x.map((v, i) => v - eta * g[i]!);
    }
    expect(Math.abs(balancedness(x) - b0 * prod)).toBeLessThan(1e-12 * (1 + Math.abs(b0)));
    // Non-trivial: the imbalance really changed.
    expect(Math.abs(prod - 1)).toBeGreaterThan(0.05);
  });

  test('selected minimizers obey stability: η·S ≤ 2, hence |Bal∞| ≤ √(4/η² − 4y²); the bound binds near η*', () => {
    for (const eta of [0.5, 0.9, 0.99]) {
      const r = scalarVectorRegion({ y: 1, eta, grid: squareGrid(3, 128), maxSteps: 20000 });
      const bound = Math.sqrt(4 / (eta * eta) - 4);
      let worst = 0;
      for (let p = 0; p < r.status.length; p++) {
        if (r.status[p] !== Status.CONVERGED) continue;
        const bal = Math.abs(r.x[p]! * r.x[p]! - r.z[p]! * r.z[p]!);
        worst = Math.max(worst, bal / bound);
      }
      // At a minimizer S = u² + v² and (u² − v²)² = S² − 4y²; the classifier's tolerance (‖∇L‖ < 1e-9)
      // allows 1e-6 slack.
      expect(worst).toBeLessThanOrEqual(1 + 1e-6);
      // Spec §g: max ηS/2 reaches 0.997–0.9996 — the selected minimizers crowd the stability edge.
      expect(worst).toBeGreaterThan(0.9);
    }
  });
});
