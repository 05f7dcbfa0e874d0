// Natural gradient on the spiral MLP: npx tsx experiments/natural-gradient.ts
import { key } from '@descent/linalg';
import { logitFisher, naturalGradient, sgd, type NaturalGradientConfig, type NaturalGradientObservation } from '../index.js';
import { batchIndices, isMain, mlpAccuracy, mlpLogitJacobians, mlpLossGrad, mlpPerSampleGrads, printFigures, standardProblem, trainMinibatch, type RunFigures } from './mlp.js';

/** Options of {@link runNaturalGradientExperiment}. */
export interface NaturalGradientExperimentOptions {
  readonly steps?: number;
  readonly batch?: number;
  readonly seed?: number;
}

/**
 * SGD vs natural gradient with the diagonal EMA Fisher, the empirical Fisher of per-sample gradients
 * (Woodbury: batch 30 ≪ 195 parameters), the true Fisher in closed form (logit Jacobians and
 * diag(p) − ppᵀ), and the true Fisher with a KL trust region, on the same mini-batches of the spiral
 * MLP. Each observation is one mini-batch gradient evaluation (the Fisher pieces come from the same
 * backward passes' per-sample quantities).
 */
export function runNaturalGradientExperiment(o: NaturalGradientExperimentOptions = {}): RunFigures[] {
  const p = standardProblem(o.seed ?? 0);
  const steps = o.steps ?? 600;
  const batch = o.batch ?? 30;
  const seed = (o.seed ?? 0) + 1;
  const rows: RunFigures[] = [];
  rows.push(trainMinibatch('sgd (lr 0.1, momentum 0.9)', sgd, sgd.init({ lr: 0.1, momentum: 0.9 }, p.theta0), p, { steps, batch, seed }).figures);
  const runs: [string, NaturalGradientConfig][] = [
    ['ng diagonal EMA (lr 0.01)', { fisher: 'diagonal', lr: 0.01, damping: 1e-4, emaDecay: 0.99 }],
    ['ng empirical/Woodbury (lr 1, λ 0.1)', { fisher: 'empirical', lr: 1, damping: 0.1 }],
    ['ng true Fisher (lr 0.1)', { fisher: 'dense', lr: 0.1, damping: 1e-2 }],
    ['ng true Fisher, KL 1e-3', { fisher: 'dense', kl: 1e-3, lr: 1, damping: 1e-2 }],
  ];
  const bk = key(seed);
  for (const [name, cfg] of runs) {
    const t0 = performance.now();
    let s = naturalGradient.init(cfg, p.theta0);
    while (s.t < steps) {
      const idx = batchIndices(bk, p.train.n, batch, s.t);
      const { grad } = mlpLossGrad(s.query, p.shape, p.train, idx);
      let obs: Float64Array | NaturalGradientObservation = grad;
      if (cfg.fisher === 'empirical') obs = { grad, perSample: mlpPerSampleGrads(s.query, p.shape, p.train, idx) };
      if (cfg.fisher === 'dense') {
        const { probs, jacobians } = mlpLogitJacobians(s.query, p.shape, p.train, idx);
        obs = { grad, fisher: logitFisher(probs, jacobians) };
      }
      s = naturalGradient.step(s, obs);
    }
    rows.push({
      method: name,
      steps: s.t,
      gradEvals: s.t,
      trainLoss: mlpLossGrad(s.x, p.shape, p.train).value,
      trainAccuracy: mlpAccuracy(s.x, p.shape, p.train),
      testAccuracy: mlpAccuracy(s.x, p.shape, p.test),
      seconds: (performance.now() - t0) / 1000,
    });
  }
  return rows;
}

if (isMain(import.meta.url)) printFigures('Natural gradient on the spiral MLP (195 parameters, batch 30, 600 steps)', runNaturalGradientExperiment());
