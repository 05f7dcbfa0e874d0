import { describe, expect, test } from 'vitest';
import { key } from '@descent/linalg';
import { classifier, spirals, withLabelNoise } from '../src/models/classifier.js';
import { initMlp, mlp } from '../src/models/mlp.js';
import { sam, sgd } from '@descent/optimizers';
import { standardProblem, trainMinibatch } from '../src/experiments/spirals.js';

describe('the classifier helpers on the demo MLP', () => {
  const net = mlp({ sizes: [2, 5, 3], activation: 'tanh' });
  const model = classifier(net, 12);
  const data = spirals(key(1), 4);
  const theta = initMlp(net, key(2), 'torch');
  for (let i = 0; i < theta.length; i++) theta[i]! += 0.1 * Math.sin(i); // non-zero biases too

  test('gradient matches central finite differences', () => {
    const { value, grad } = model.lossGrad(theta, data);
    expect(value).toBeCloseTo(model.loss(theta, data), 14);
    const h = 1e-6;
    for (let k = 0; k < theta.length; k++) {
      const tp = new Float64Array(theta);
      const tm = new Float64Array(theta);
      tp[k]! += h;
      tm[k]! -= h;
      const fd = (model.loss(tp, data) - model.loss(tm, data)) / (2 * h);
      // Central differences: truncation O(h²·f''') ≈ 1e-12, rounding O(ε·f/h) ≈ 1e-10.
      expect(Math.abs(fd - grad[k]!)).toBeLessThan(1e-8);
    }
  });

  test('per-sample gradients average to the batch gradient; logit Jacobians give the per-sample gradient', () => {
    const idx = Int32Array.from([0, 3, 5, 7]);
    const { grad } = model.lossGrad(theta, data, idx);
    const per = model.perSampleGrads(theta, data, idx);
    for (let k = 0; k < theta.length; k++) {
      let m = 0;
      for (let r = 0; r < idx.length; r++) m += per.data[r * theta.length + k]!;
      expect(Math.abs(m / idx.length - grad[k]!)).toBeLessThan(1e-15);
    }
    const { probs, jacobians } = model.logitJacobians(theta, data, Int32Array.from([2]));
    expect(probs.data.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 14);
    // Chain rule through the softmax: ∂(−log p_y)/∂θ = Σ_k (p_k − e_y,k) ∂z_k/∂θ must equal the per-sample gradient.
    const y = data.y[2]!;
    const g2 = model.perSampleGrads(theta, data, Int32Array.from([2]));
    for (let c = 0; c < theta.length; c++) {
      let v = 0;
      for (let k = 0; k < 3; k++) v += (probs.data[k]! - (k === y ? 1 : 0)) * jacobians.data[k * theta.length + c]!;
      expect(Math.abs(v - g2.data[c]!)).toBeLessThan(1e-14);
    }
  });

  test('label noise flips about the requested fraction, always to another class', () => {
    const d = spirals(key(3), 400);
    const noisy = withLabelNoise(d, 0.25, key(4));
    let flipped = 0;
    for (let i = 0; i < d.n; i++) {
      expect(noisy.y[i]!).toBeGreaterThanOrEqual(0);
      expect(noisy.y[i]!).toBeLessThan(3);
      if (noisy.y[i] !== d.y[i]) flipped++;
    }
    // Binomial(1200, 0.25): mean 300, SD 15; ±5 SD.
    expect(Math.abs(flipped - 300)).toBeLessThan(75);
    expect(withLabelNoise(d, 0, key(4)).y).toEqual(d.y);
  });
});

describe('the ask/tell mini-batch loop', () => {
  test('SAM spends two gradient evaluations per step on one batch; SGD one', () => {
    const p = standardProblem(0);
    const base = { lr: 0.1, momentum: 0.9 };
    const g = trainMinibatch('sgd', sgd, sgd.init(base, p.theta0), p, { steps: 40, batch: 30, seed: 1 });
    const m = sam(sgd);
    const s = trainMinibatch('sam', m, m.init({ base, rho: 0.05 }, p.theta0), p, { steps: 40, batch: 30, seed: 1 });
    expect([g.figures.steps, g.figures.gradEvals, s.figures.steps, s.figures.gradEvals]).toEqual([40, 40, 40, 80]);
    for (const r of [g.figures, s.figures]) expect(Number.isFinite(r.trainLoss) && r.trainAccuracy > 0.4).toBe(true);
  });
});
