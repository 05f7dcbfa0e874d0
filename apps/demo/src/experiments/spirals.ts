// Experiments of the optimizers on the 2 → 32 (tanh) → 3 MLP classifying 3-class spirals: SAM, ARSAM,
// O2NC/ODOG (full batch) and natural gradient. The MLP is the demo's one model (models/mlp.ts).
import { key, split } from '@descent/linalg';
import { arsam, logitFisher, naturalGradient, o2nc, odog, sam, sgd, type NaturalGradientConfig, type NaturalGradientObservation } from '@descent/optimizers';
import { batchIndices, classifier, spirals, type Classifier, type Dataset } from '../models/classifier.js';
import { initMlp, mlp } from '../models/mlp.js';

/** A spiral classification problem: the model helpers, train and test sets, and the initial parameters. */
export interface SpiralProblem {
  readonly model: Classifier;
  readonly train: Dataset;
  readonly test: Dataset;
  readonly theta0: Float64Array;
}

/** The standard problem of these experiments: 3-class spirals (300 train / 300 test), 2 → 32 (tanh) → 3. */
export function standardProblem(seed = 0): SpiralProblem {
  const [kd, kt, kp] = split(key(seed), 3);
  const net = mlp({ sizes: [2, 32, 3], activation: 'tanh' });
  return { model: classifier(net, 300), train: spirals(kd!, 100), test: spirals(kt!, 100), theta0: initMlp(net, kp!, 'torch') };
}

/** Figures one training run reports. */
export interface RunFigures {
  readonly method: string;
  /** Optimizer steps taken. */
  readonly steps: number;
  /** Gradient evaluations (mini-batch gradient computations) spent. */
  readonly gradEvals: number;
  readonly trainLoss: number;
  readonly trainAccuracy: number;
  readonly testAccuracy: number;
  readonly seconds: number;
}

/** Options of {@link trainMinibatch}. */
export interface TrainOptions {
  /** Optimizer steps (a SAM step counts once, whatever its number of gradient evaluations). */
  readonly steps: number;
  readonly batch: number;
  /** Seed of the mini-batch order (same seed ⇒ same batches for every method). */
  readonly seed: number;
}

/**
 * Trains with any first-order `Method` by ask/tell: the batch of step t is fixed while the method's
 * `t` stays at t (so SAM's two observations see the same batch), and every observation is one
 * gradient evaluation at `state.query`.
 */
export function trainMinibatch<S extends { x: Float64Array; query: Float64Array; t: number }>(
  name: string,
  method: { step(s: S, g: Float64Array): S },
  state: S,
  p: SpiralProblem,
  o: TrainOptions,
): { figures: RunFigures; state: S } {
  const bk = key(o.seed);
  const t0 = performance.now();
  let evals = 0;
  let s = state;
  let idx = batchIndices(bk, p.train.n, o.batch, s.t);
  let idxT = s.t;
  while (s.t < o.steps) {
    if (s.t !== idxT) {
      idx = batchIndices(bk, p.train.n, o.batch, s.t);
      idxT = s.t;
    }
    const { grad } = p.model.lossGrad(s.query, p.train, idx);
    evals++;
    s = method.step(s, grad);
  }
  const seconds = (performance.now() - t0) / 1000;
  return {
    state: s,
    figures: {
      method: name,
      steps: s.t,
      gradEvals: evals,
      trainLoss: p.model.loss(s.x, p.train),
      trainAccuracy: p.model.accuracy(s.x, p.train),
      testAccuracy: p.model.accuracy(s.x, p.test),
      seconds,
    },
  };
}


/** Options of {@link runSamExperiment}. */
export interface SamExperimentOptions {
  readonly steps?: number;
  readonly batch?: number;
  readonly seed?: number;
  readonly rho?: number;
  readonly asamRho?: number;
}

/**
 * Trains the 2 → 32 → 3 spiral MLP with SGD (momentum 0.9), SAM (ρ = 0.05) and ASAM (ρ = 0.5) on the
 * same mini-batches and returns loss, accuracy and gradient evaluations of each: SAM spends two
 * gradient evaluations per step.
 */
export function runSamExperiment(o: SamExperimentOptions = {}): RunFigures[] {
  const p = standardProblem(o.seed ?? 0);
  const steps = o.steps ?? 1500;
  const train = { steps, batch: o.batch ?? 30, seed: (o.seed ?? 0) + 1 };
  const base = { lr: 0.1, momentum: 0.9 };
  const rows: RunFigures[] = [];
  rows.push(trainMinibatch('sgd', sgd, sgd.init(base, p.theta0), p, train).figures);
  const m = sam(sgd);
  rows.push(trainMinibatch('sam(sgd) ρ=0.05', m, m.init({ base, rho: o.rho ?? 0.05 }, p.theta0), p, train).figures);
  rows.push(trainMinibatch('asam(sgd) ρ=0.5', m, m.init({ base, rho: o.asamRho ?? 0.5, adaptive: true }, p.theta0), p, train).figures);
  return rows;
}

/** Options of {@link runArsamExperiment}. */
export interface ArsamExperimentOptions {
  readonly steps?: number;
  readonly batch?: number;
  readonly seed?: number;
  /** ARSAM window K. Default 50 (vSAM). */
  readonly window?: number;
  /** ARSAM warm-up steps. Default 3·K (vSAM's 3 epochs at ~K steps per epoch). */
  readonly warmup?: number;
}

/** ARSAM's figures with its sampling statistics. */
export interface ArsamFigures extends RunFigures {
  /** SAM steps taken (ARSAM) or all steps (SAM). */
  readonly samSteps: number;
  /** ARSAM's final per-window quota ⌊baseSR⌋ (NaN for the others). */
  readonly quota: number;
}

/**
 * SGD, SAM and ARSAM (vSAM rule, seeded) on the same batches of the spiral MLP: ARSAM should match
 * SAM's accuracy with fewer gradient evaluations (K + ⌊baseSR⌋ per window instead of 2K).
 */
export function runArsamExperiment(o: ArsamExperimentOptions = {}): ArsamFigures[] {
  const p = standardProblem(o.seed ?? 0);
  const steps = o.steps ?? 1500;
  const train = { steps, batch: o.batch ?? 30, seed: (o.seed ?? 0) + 1 };
  const base = { lr: 0.1, momentum: 0.9 };
  const window = o.window ?? 50;
  const rows: ArsamFigures[] = [];
  const g = trainMinibatch('sgd', sgd, sgd.init(base, p.theta0), p, train).figures;
  rows.push({ ...g, samSteps: 0, quota: NaN });
  const ms = sam(sgd);
  const s = trainMinibatch('sam(sgd)', ms, ms.init({ base, rho: 0.05 }, p.theta0), p, train);
  rows.push({ ...s.figures, samSteps: s.state.t, quota: NaN });
  const ma = arsam(sgd);
  const a = trainMinibatch('arsam(sgd)', ma, ma.init({ base, rho: 0.05, window, warmup: o.warmup ?? 3 * window }, p.theta0, key((o.seed ?? 0) + 2)), p, train);
  rows.push({ ...a.figures, samSteps: a.state.samSteps, quota: Math.floor(a.state.baseSR) });
  return rows;
}

/** Figures of a deterministic (full-batch) run, with the stationarity of the output. */
export interface StationarityFigures extends RunFigures {
  /** ‖∇F‖ at the output (GD: the iterate; O2NC/ODOG: the last window average). */
  readonly outputGradNorm: number;
  /** Gradient evaluations until an output first had ‖∇F‖ ≤ epsilon (NaN if never). */
  readonly evalsToEpsilon: number;
}

/** Options of {@link runO2ncExperiment}. */
export interface O2ncExperimentOptions {
  /** Gradient evaluations per method. Default 3000. */
  readonly budget?: number;
  readonly seed?: number;
  /** Ball radius D. Default 0.05. */
  readonly radius?: number;
  /** OGD step η. Default 0.05. */
  readonly lr?: number;
  /** Window T. Default 5. */
  readonly window?: number;
  /** Stationarity target on the output. Default 0.02. */
  readonly epsilon?: number;
}

function norm(g: Float64Array): number {
  let s = 0;
  for (const v of g) s += v * v;
  return Math.sqrt(s);
}

/** Runs an ask/tell method for `budget` oracle calls on the full training loss. */
export function runDeterministic<S extends { x: Float64Array; query: Float64Array; t: number }>(
  name: string,
  method: { step(s: S, g: Float64Array): S },
  state: S,
  p: SpiralProblem,
  budget: number,
  epsilon: number,
  outputChanged: (prev: S, next: S) => boolean,
): StationarityFigures {
  const t0 = performance.now();
  let s = state;
  let evalsToEpsilon = NaN;
  for (let e = 1; e <= budget; e++) {
    const prev = s;
    s = method.step(s, p.model.lossGrad(s.query, p.train).grad);
    if (Number.isNaN(evalsToEpsilon) && outputChanged(prev, s) && norm(p.model.lossGrad(s.x, p.train).grad) <= epsilon) evalsToEpsilon = e;
  }
  const seconds = (performance.now() - t0) / 1000;
  const out = p.model.lossGrad(s.x, p.train);
  return {
    method: name,
    steps: s.t,
    gradEvals: budget,
    trainLoss: out.value,
    trainAccuracy: p.model.accuracy(s.x, p.train),
    testAccuracy: p.model.accuracy(s.x, p.test),
    seconds,
    outputGradNorm: norm(out.grad),
    evalsToEpsilon,
  };
}

/**
 * Gradient descent vs O2NC (OGD learner, uniform and midpoint s_n) on the full-batch spiral MLP loss,
 * for the same budget of gradient evaluations: loss, accuracy and ‖∇F‖ of each method's output (O2NC
 * outputs window averages), and the evaluations until the output first reaches ‖∇F‖ ≤ ε.
 */
export function runO2ncExperiment(o: O2ncExperimentOptions = {}): StationarityFigures[] {
  const p = standardProblem(o.seed ?? 0);
  const budget = o.budget ?? 3000;
  const eps = o.epsilon ?? 0.02;
  const cfg = { radius: o.radius ?? 0.05, lr: o.lr ?? 0.05, window: o.window ?? 5 };
  const rows: StationarityFigures[] = [];
  rows.push(runDeterministic('gd (lr 0.5)', sgd, sgd.init({ lr: 0.5 }, p.theta0), p, budget, eps, () => true));
  const changed = (a: { windows: number }, b: { windows: number }) => a.windows !== b.windows;
  rows.push(runDeterministic('o2nc uniform', o2nc, o2nc.init({ ...cfg, point: 'uniform' }, p.theta0, key((o.seed ?? 0) + 3)), p, budget, eps, changed));
  rows.push(runDeterministic('o2nc midpoint', o2nc, o2nc.init({ ...cfg, point: 'midpoint' }, p.theta0), p, budget, eps, changed));
  return rows;
}

/** Options of {@link runOdogExperiment}. */
export interface OdogExperimentOptions {
  /** Gradient evaluations per method (ODOG spends two per round). Default 3000. */
  readonly budget?: number;
  readonly seed?: number;
  readonly radius?: number;
  readonly lr?: number;
  readonly window?: number;
  readonly epsilon?: number;
}

/**
 * GD, O2NC (midpoint) and ODOG (fixed η, with and without the hint correction, and the adaptive step)
 * on the full-batch spiral MLP loss with the same gradient budget: loss, accuracy and ‖∇F‖ of the
 * window-averaged outputs, and evaluations until ‖∇F(output)‖ ≤ ε. ODOG is the spec's reconstruction.
 */
export function runOdogExperiment(o: OdogExperimentOptions = {}): StationarityFigures[] {
  const p = standardProblem(o.seed ?? 0);
  const budget = o.budget ?? 3000;
  const eps = o.epsilon ?? 0.02;
  const D = o.radius ?? 0.05;
  const eta = o.lr ?? 0.05;
  const T = o.window ?? 5;
  const changed = (a: { windows: number }, b: { windows: number }) => a.windows !== b.windows;
  return [
    runDeterministic('gd (lr 0.5)', sgd, sgd.init({ lr: 0.5 }, p.theta0), p, budget, eps, () => true),
    runDeterministic('o2nc midpoint', o2nc, o2nc.init({ radius: D, lr: eta, window: T, point: 'midpoint' }, p.theta0), p, budget, eps, changed),
    runDeterministic('odog', odog, odog.init({ radius: D, lr: eta, window: T }, p.theta0), p, budget, eps, changed),
    runDeterministic('odog +hint corr.', odog, odog.init({ radius: D, lr: eta, window: T, hintCorrection: true }, p.theta0), p, budget, eps, changed),
    runDeterministic('odog adaptive η', odog, odog.init({ radius: D, lr: 'adaptive', window: T }, p.theta0), p, budget, eps, changed),
  ];
}

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
      const { grad } = p.model.lossGrad(s.query, p.train, idx);
      let obs: Float64Array | NaturalGradientObservation = grad;
      if (cfg.fisher === 'empirical') obs = { grad, perSample: p.model.perSampleGrads(s.query, p.train, idx) };
      if (cfg.fisher === 'dense') {
        const { probs, jacobians } = p.model.logitJacobians(s.query, p.train, idx);
        obs = { grad, fisher: logitFisher(probs, jacobians) };
      }
      s = naturalGradient.step(s, obs);
    }
    rows.push({
      method: name,
      steps: s.t,
      gradEvals: s.t,
      trainLoss: p.model.loss(s.x, p.train),
      trainAccuracy: p.model.accuracy(s.x, p.train),
      testAccuracy: p.model.accuracy(s.x, p.test),
      seconds: (performance.now() - t0) / 1000,
    });
  }
  return rows;
}
