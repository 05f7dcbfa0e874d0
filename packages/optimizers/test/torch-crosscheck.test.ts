import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { adam, adamw, minimize, sgd, type FirstOrderMethod, type Oracle } from '@descent/optimizers';

// Fixtures: scripts/fixtures/optimizers_torch.py (torch 1.13 float64, single-tensor path).
interface Problem {
  kind: 'quadratic' | 'logistic';
  n?: number;
  A?: number[];
  b?: number[];
  samples?: number;
  d?: number;
  X?: number[];
  y?: number[];
  x0: number[];
}
interface Case {
  problem: Problem;
  method: 'sgd' | 'adam' | 'adamw';
  config: Record<string, unknown>;
  trajectory: number[][];
  /** How much torch's own trajectory moves when x0 is perturbed by 1e-15 relative (see the script). */
  sensitivity: number;
}
const fixture = JSON.parse(readFileSync(new URL('./fixtures/torch_trajectories.json', import.meta.url), 'utf8')) as {
  steps: number;
  stride: number;
  cases: Case[];
};

function oracleFor(p: Problem): Oracle {
  if (p.kind === 'quadratic') {
    const n = p.n!, A = Float64Array.from(p.A!), b = Float64Array.from(p.b!);
    const g = new Float64Array(n);
    return (x) => {
      for (let i = 0; i < n; i++) {
        let s = 0;
        for (let j = 0; j < n; j++) s += A[i * n + j]! * x[j]!;
        g[i] = s - b[i]!;
      }
      return g;
    };
  }
  const N = p.samples!, d = p.d!, X = Float64Array.from(p.X!), y = Float64Array.from(p.y!);
  const g = new Float64Array(d + 1);
  const r = new Float64Array(N);
  return (w) => {
    let rs = 0;
    for (let k = 0; k < N; k++) {
      let z = w[d]!;
      let s = 0;
      for (let j = 0; j < d; j++) s += X[k * d + j]! * w[j]!;
      z = s + w[d]!;
      r[k] = y[k]! / (1 + Math.exp(y[k]! * z)); // y·σ(−y z)
      rs += r[k]!;
    }
    for (let j = 0; j < d; j++) {
      let s = 0;
      for (let k = 0; k < N; k++) s += X[k * d + j]! * r[k]!;
      g[j] = -s / N;
    }
    g[d] = -rs / N;
    return g;
  };
}

const methods: Record<string, FirstOrderMethod<never, ReturnType<typeof sgd.init> | ReturnType<typeof adam.init>>> = {
  sgd: sgd as never,
  adam: adam as never,
  adamw: adamw as never,
};

describe('PyTorch float64 trajectories (200 steps) agree to 1e-12 relative', () => {
  test('the fixture has every method on quadratics and logistic regression', () => {
    const kinds = new Set(fixture.cases.map((c) => `${c.method}/${c.problem.kind}`));
    expect(kinds).toEqual(new Set(['sgd/quadratic', 'adam/quadratic', 'adamw/quadratic', 'sgd/logistic', 'adam/logistic', 'adamw/logistic']));
    expect(fixture.steps).toBe(200);
  });
  for (const c of fixture.cases) {
    test(`${c.method} ${JSON.stringify(c.config)} on ${c.problem.kind} (n=${c.problem.x0.length})`, () => {
      const method = methods[c.method]!;
      const oracle = oracleFor(c.problem);
      let worst = 0;
      let k = 0;
      let state = method.init(c.config as never, Float64Array.from(c.problem.x0));
      for (const ref of c.trajectory) {
        state = minimize(method, oracle, { state, maxSteps: fixture.stride }).state;
        k += fixture.stride;
        let num = 0, den = 0;
        for (let i = 0; i < ref.length; i++) {
          num = Math.max(num, Math.abs(state.x[i]! - ref[i]!));
          den = Math.max(den, Math.abs(ref[i]!));
        }
        worst = Math.max(worst, num / den);
      }
      expect(k).toBe(200);
      // The reference must be well conditioned for 1e-12 to mean anything: a 1e-15 perturbation of
      // x0 moves torch's own trajectory by at most this much (chaotic Adam regimes were excluded).
      expect(c.sensitivity).toBeLessThan(1e-13);
      // Relative ∞-norm error over all checkpoints. Rounding differs only in op fusion (torch's
      // vectorised add may use FMA), so the error is a few ulps amplified by the contraction of the map.
      expect(worst).toBeLessThan(1e-12);
      if (process.env.DESCENT_REPORT) console.log(`worst ${worst.toExponential(2)}`);
    });
  }
});
