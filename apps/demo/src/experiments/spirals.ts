// The spiral problem shared by the ARSAM and O2NC/ODOG experiments: the 2 → 32 (tanh) → 3 MLP (the
// demo's one model, models/mlp.ts) classifying 3-class spirals, and the ask/tell mini-batch loop.
import { foldIn, key, permutation, split } from '@descent/linalg';
import { classifier, spirals, type Classifier, type Dataset } from '../models/classifier.js';
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
  // The batches of batchIndices, with each epoch's permutation drawn once instead of once per step.
  const n = p.train.n;
  const perEpoch = Math.floor(n / o.batch);
  let permEpoch = -1;
  let perm = new Int32Array(0);
  const batchOf = (t: number): Int32Array => {
    const epoch = Math.floor(t / perEpoch);
    if (epoch !== permEpoch) {
      perm = Int32Array.from(permutation(foldIn(bk, epoch), n));
      permEpoch = epoch;
    }
    const j = t % perEpoch;
    return perm.subarray(j * o.batch, (j + 1) * o.batch);
  };
  let idx = batchOf(s.t);
  let idxT = s.t;
  while (s.t < o.steps) {
    if (s.t !== idxT) {
      idx = batchOf(s.t);
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
