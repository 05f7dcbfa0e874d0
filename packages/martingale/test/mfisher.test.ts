import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { fromRows, type Matrix } from '@descent/linalg';
import { logitFisher } from '@descent/optimizers';
import { adaptPrompt, mFisherToy, promptFisher, promptLoss, promptProbabilities, runMFisher, type SoftmaxPromptModel } from '@descent/martingale';
import {
  biasEntropyClosedForm,
  fisherIsSymmetricPsd,
  klIsHalfFisherQuadratic,
  lossDecreasesForSmallNaturalStep,
  naturalStepIsReparameterisationInvariant,
  naturalStepIsSteepestInFisherMetric,
} from '@descent/martingale/laws';
import { fixture } from './fixtures.js';

interface Case {
  prompt: 'input' | 'bias';
  pi: number[];
  entropy: { value: number; grad: number[] };
  infomax: { value: number; grad: number[] };
  crossEntropy: { value: number; grad: number[] };
  fisher: number[];
  naturalDirection: number[];
  delta: number[];
  kl: number;
  probs: number[];
}
const f = fixture<{ W: number[]; b: number[]; X: number[]; y: number[]; K: number; d: number; N: number; cases: Case[] }>('prompt.json');
const X: Matrix = { rows: f.N, cols: f.d, data: Float64Array.from(f.X) };

describe('softmax-prompt model vs PyTorch autograd (float64)', () => {
  for (const c of f.cases) {
    const model: SoftmaxPromptModel = { W: { rows: f.K, cols: f.d, data: Float64Array.from(f.W) }, b: Float64Array.from(f.b), prompt: c.prompt };
    const pi = Float64Array.from(c.pi);
    test(`${c.prompt} prompt: probabilities, entropy / infomax / cross-entropy values and gradients`, () => {
      promptProbabilities(model, pi, X).data.forEach((v, i) => expect(v).toBeCloseTo(c.probs[i]!, 14));
      for (const loss of ['entropy', 'infomax', 'crossEntropy'] as const) {
        const r = promptLoss(model, pi, X, loss, f.y);
        expect(r.value).toBeCloseTo(c[loss].value, 13);
        r.grad.forEach((g, i) => expect(g).toBeCloseTo(c[loss].grad[i]!, 13));
      }
    });
    test(`${c.prompt} prompt: Fisher = mean E_y[∇log p ∇log pᵀ] (autograd), and = optimizers' logitFisher`, () => {
      const F = promptFisher(model, pi, X);
      F.data.forEach((v, i) => expect(v).toBeCloseTo(c.fisher[i]!, 13));
      // logitFisher needs the stacked logit Jacobians: W per sample (input) or I (bias).
      const K = f.K;
      const dim = F.rows;
      const J = new Float64Array(f.N * K * dim);
      for (let i = 0; i < f.N; i++) for (let k = 0; k < K; k++) for (let j = 0; j < dim; j++) J[(i * K + k) * dim + j] = c.prompt === 'input' ? f.W[k * f.d + j]! : k === j ? 1 : 0;
      const G = logitFisher(promptProbabilities(model, pi, X), { rows: f.N * K, cols: dim, data: J });
      G.data.forEach((v, i) => expect(v).toBeCloseTo(F.data[i]! * 1, 13));
    });
    test(`${c.prompt} prompt: one natural-gradient step (η = 1, γ = 1e-3) moves π by (F + γI)⁻¹g`, () => {
      const r = adaptPrompt(model, pi, X, { steps: 1, lr: 1, damping: 1e-3, loss: 'infomax' });
      r.prompt.forEach((v, i) => expect(v).toBeCloseTo(pi[i]! - c.naturalDirection[i]!, 10));
    });
  }
});

describe('natural-gradient laws (spec (e) property tests)', () => {
  test('KL(p_π || p_{π+δ}) / (½ δᵀFδ) → 1', () => fc.assert(klIsHalfFisherQuadratic(), { numRuns: 100 }));
  test('F symmetric PSD; bias prompt: F1 = 0, Σg = 0, damped step ⊥ 1', () => fc.assert(fisherIsSymmetricPsd(), { numRuns: 100 }));
  test('reparameterisation invariance of the undamped step', () => fc.assert(naturalStepIsReparameterisationInvariant(), { numRuns: 100 }));
  test('the natural step is steepest among steps of equal Fisher length', () => fc.assert(naturalStepIsSteepestInFisherMetric(), { numRuns: 100 }));
  test('the loss decreases for a small natural step', () => fc.assert(lossDecreasesForSmallNaturalStep(), { numRuns: 100 }));
  test('closed form: one example, bias prompt, entropy: F⁺g = −(log p − mean log p)', () => fc.assert(biasEntropyClosedForm(), { numRuns: 100 }));
  test('information maximization does not collapse where plain entropy minimization does', () => {
    const toyModel: SoftmaxPromptModel = { W: fromRows([[2, 0], [-1, 1.7320508075688772], [-1, -1.7320508075688772]]), b: Float64Array.from([-2, -2, -2]), prompt: 'bias' };
    const buffer = fromRows(Array.from({ length: 60 }, (_, i) => [Math.cos(i) * 2, Math.sin(i * 1.3) * 2]));
    const ent = adaptPrompt(toyModel, new Float64Array(3), buffer, { steps: 200, lr: 0.5, loss: 'entropy' }).prompt;
    const im = adaptPrompt(toyModel, new Float64Array(3), buffer, { steps: 200, lr: 0.5, loss: 'infomax' }).prompt;
    const share = (p: Float64Array) => {
      const P = promptProbabilities(toyModel, p, buffer);
      const counts = [0, 0, 0];
      for (let i = 0; i < P.rows; i++) {
        let best = 0;
        for (let k = 1; k < 3; k++) if (P.data[i * 3 + k]! > P.data[i * 3 + best]!) best = k;
        counts[best]!++;
      }
      return Math.max(...counts) / P.rows;
    };
    expect(share(ent)).toBeGreaterThan(share(im));
    expect(share(im)).toBeLessThan(0.6);
  });
});

describe('M-FISHER toy (spec (e)) end to end', () => {
  // Spec: delays 19, 12, 8 over 3 seeds; accuracy 0.62–0.64 → 0.92–0.93; π ≈ (2.4, −0.9) vs (2.5, −1).
  test.each([0, 1, 2])('seed %i: shift detected within tens of samples, accuracy ≈0.63 → ≈0.92, prompt near the ideal', (seed) => {
    const r = mFisherToy({ seed });
    expect(r.sourceAccuracy).toBeGreaterThan(0.9);
    expect(r.shiftedAccuracy).toBeGreaterThan(0.58);
    expect(r.shiftedAccuracy).toBeLessThan(0.68);
    expect(r.falseAlarms).toBe(0);
    expect(r.detectionDelay).not.toBeNull();
    expect(r.detectionDelay!).toBeLessThanOrEqual(50);
    expect(r.adaptedAccuracy).toBeGreaterThan(0.88);
    expect(r.adaptedAccuracy).toBeGreaterThan(r.idealAccuracy - 0.03);
    expect(Math.hypot(r.learnedPrompt[0]! - 2.5, r.learnedPrompt[1]! + 1)).toBeLessThan(0.5);
    expect(r.validity).toBe('monitoring');
    expect(r.streamAccuracy.length).toBe(2000);
  });
  test('confidence scores are blind to this shift: 1 − max p, entropy, −log max p never alarm; mean p > 0.5', () => {
    for (const score of ['oneMinusMaxProbability', 'entropy', 'negLogMaxProbability'] as const) {
      const r = mFisherToy({ seed: 0, score });
      expect(r.alarms).toEqual([]);
      expect(r.meanPostShiftPValue).toBeGreaterThan(0.5);
      expect(r.adaptedAccuracy).toBe(r.shiftedAccuracy);
    }
  });
  test('runMFisher bad input → DescentError', () => {
    const model: SoftmaxPromptModel = { W: fromRows([[1, 0], [-1, 0]]), b: new Float64Array(2), prompt: 'input' };
    const det = { p: { mode: 'given' as const }, betting: { kind: 'power' as const, eps: 0.5 }, threshold: 20, alarmOn: 'product' as const, onAlarm: 'reset' as const };
    expect(() => runMFisher({ model, score: 'nearestMean', detector: det }, fromRows([[0, 0]]))).toThrow(expect.objectContaining({ code: 'INVALID_CONFIG' }));
    expect(() => runMFisher({ model, score: 'entropy', detector: det, buffer: 0 }, fromRows([[0, 0]]))).toThrow(expect.objectContaining({ code: 'INVALID_CONFIG' }));
    expect(() => runMFisher({ model, score: 'entropy', detector: det }, fromRows([[0, 0, 0]]))).toThrow(expect.objectContaining({ code: 'SHAPE_MISMATCH' }));
    expect(() => promptLoss(model, new Float64Array(3), fromRows([[0, 0]]), 'entropy')).toThrow(expect.objectContaining({ code: 'SHAPE_MISMATCH' }));
    expect(() => promptLoss(model, new Float64Array(2), fromRows([[0, 0]]), 'crossEntropy')).toThrow(expect.objectContaining({ code: 'SHAPE_MISMATCH' }));
  });
});
