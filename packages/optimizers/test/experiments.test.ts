import { describe, expect, test } from 'vitest';
import { key } from '@descent/linalg';
import { mlpLogitJacobians, mlpLossGrad, mlpPerSampleGrads, spirals, mlpInit, type MlpShape } from '../src/experiments/mlp.js';
import { runSamExperiment } from '../src/experiments/sam.js';
import { runArsamExperiment } from '../src/experiments/arsam.js';
import { runO2ncExperiment } from '../src/experiments/o2nc.js';
import { runOdogExperiment } from '../src/experiments/odog.js';
import { runNaturalGradientExperiment } from '../src/experiments/natural-gradient.js';

describe('the experiments MLP', () => {
  const shape: MlpShape = { dim: 2, hidden: 5, classes: 3 };
  const data = spirals(key(1), 4);
  const theta = mlpInit(key(2), shape);
  for (let i = 0; i < theta.length; i++) theta[i] += 0.1 * Math.sin(i); // non-zero biases too

  test('gradient matches central finite differences', () => {
    const { grad } = mlpLossGrad(theta, shape, data, undefined, 1e-3);
    const h = 1e-6;
    for (let k = 0; k < theta.length; k++) {
      const tp = new Float64Array(theta);
      const tm = new Float64Array(theta);
      tp[k] += h;
      tm[k] -= h;
      const fd = (mlpLossGrad(tp, shape, data, undefined, 1e-3).value - mlpLossGrad(tm, shape, data, undefined, 1e-3).value) / (2 * h);
      // Central differences: truncation O(h²·f''') ≈ 1e-12, rounding O(ε·f/h) ≈ 1e-10.
      expect(Math.abs(fd - grad[k]!)).toBeLessThan(1e-8);
    }
  });

  test('per-sample gradients average to the batch gradient; logit Jacobians match finite differences', () => {
    const idx = Int32Array.from([0, 3, 5, 7]);
    const { grad } = mlpLossGrad(theta, shape, data, idx);
    const per = mlpPerSampleGrads(theta, shape, data, idx);
    for (let k = 0; k < theta.length; k++) {
      let m = 0;
      for (let r = 0; r < idx.length; r++) m += per.data[r * theta.length + k]!;
      expect(Math.abs(m / idx.length - grad[k]!)).toBeLessThan(1e-15);
    }
    const { probs, jacobians } = mlpLogitJacobians(theta, shape, data, Int32Array.from([2]));
    expect(probs.data.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 14);
    // Chain rule through the softmax: ∂(−log p_y)/∂θ = Σ_k (p_k − e_y,k) ∂z_k/∂θ must equal the per-sample gradient.
    const y = data.y[2]!;
    const g2 = mlpPerSampleGrads(theta, shape, data, Int32Array.from([2]));
    for (let c = 0; c < theta.length; c++) {
      let v = 0;
      for (let k = 0; k < 3; k++) v += (probs.data[k]! - (k === y ? 1 : 0)) * jacobians.data[k * theta.length + c]!;
      expect(Math.abs(v - g2.data[c]!)).toBeLessThan(1e-14);
    }
  });
});

describe('experiments run and report consistent figures (small budgets)', () => {
  test('SAM: two gradient evaluations per step', () => {
    const rows = runSamExperiment({ steps: 60 });
    expect(rows.map((r) => r.gradEvals)).toEqual([60, 120, 120]);
    for (const r of rows) expect(Number.isFinite(r.trainLoss) && r.trainAccuracy > 0.4).toBe(true);
  });
  test('ARSAM: evaluations = steps + SAM steps, fewer than SAM', () => {
    const rows = runArsamExperiment({ steps: 120, window: 10, warmup: 20 });
    const [, s, a] = rows;
    expect(s!.gradEvals).toBe(240);
    expect(a!.gradEvals).toBe(120 + a!.samSteps);
    expect(a!.samSteps).toBeGreaterThanOrEqual(20 + 9); // warm-up plus ≥ 1 per full window
    expect(a!.gradEvals).toBeLessThan(s!.gradEvals);
  });
  test('O2NC and ODOG: budgets are spent exactly', () => {
    const o = runO2ncExperiment({ budget: 60 });
    expect(o.map((r) => [r.gradEvals, r.steps])).toEqual([[60, 60], [60, 60], [60, 60]]);
    const d = runOdogExperiment({ budget: 60 });
    expect(d.map((r) => r.steps)).toEqual([60, 60, 30, 30, 30]);
    for (const r of [...o, ...d]) expect(Number.isFinite(r.outputGradNorm)).toBe(true);
  });
  test('natural gradient: every variant trains', () => {
    const rows = runNaturalGradientExperiment({ steps: 40 });
    expect(rows).toHaveLength(5);
    for (const r of rows) {
      expect(r.gradEvals).toBe(40);
      expect(Number.isFinite(r.trainLoss)).toBe(true);
    }
  });
});
