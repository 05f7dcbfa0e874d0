import { foldIn, normal, permutation, split, uniform, type Key, type Matrix } from '@descent/linalg';
import { accuracy, mlpForward, mlpLossGrad, mlpWorkspace, softmaxCrossEntropy, type Mlp, type MlpWorkspace, type OutputLoss } from './mlp.js';

/** A classification data set: row-major inputs (n×dim) and integer labels in [0, classes). */
export interface Dataset {
  readonly n: number;
  readonly dim: number;
  readonly classes: number;
  readonly x: Float64Array;
  readonly y: Int32Array;
}

/**
 * The classic K-armed spiral in 2-D (CS231n): class k has `perClass` points at radius r ∈ [0, 1) and
 * angle 4k + 4r + N(0, noise²). Not linearly separable, so a hidden layer is needed.
 */
export function spirals(k: Key, perClass: number, classes = 3, noise = 0.2): Dataset {
  const n = perClass * classes;
  const x = new Float64Array(2 * n);
  const y = new Int32Array(n);
  const [kr, kn] = split(k, 2);
  const r = uniform(kr!, n);
  const e = normal(kn!, n, 0, noise);
  for (let c = 0; c < classes; c++) {
    for (let i = 0; i < perClass; i++) {
      const j = c * perClass + i;
      const rad = r[j]!;
      const t = 4 * c + 4 * rad + e[j]!;
      x[2 * j] = rad * Math.sin(t);
      x[2 * j + 1] = rad * Math.cos(t);
      y[j] = c;
    }
  }
  return { n, dim: 2, classes, x, y };
}

/**
 * A copy of `d` whose labels are replaced, with probability `rate` each, by a uniformly drawn other
 * class (symmetric label noise, as in SAM's label-noise experiments).
 */
export function withLabelNoise(d: Dataset, rate: number, k: Key): Dataset {
  const [ku, kc] = split(k, 2);
  const u = uniform(ku!, d.n);
  const c = uniform(kc!, d.n);
  const y = d.y.slice();
  for (let i = 0; i < d.n; i++) {
    if (u[i]! >= rate) continue;
    const shift = 1 + Math.min(d.classes - 2, Math.floor(c[i]! * (d.classes - 1)));
    y[i] = (d.y[i]! + shift) % d.classes;
  }
  return { ...d, y };
}

/** Mini-batch indices of step t: epoch-wise seeded permutations, consecutive slices of `batch`. */
export function batchIndices(k: Key, n: number, batch: number, t: number): Int32Array {
  const perEpoch = Math.floor(n / batch);
  const epoch = Math.floor(t / perEpoch);
  const j = t % perEpoch;
  // Recomputed per call (O(n)): cheap next to a gradient, and keeps the loop stateless.
  const perm = permutation(foldIn(k, epoch), n);
  return Int32Array.from(perm.subarray(j * batch, (j + 1) * batch));
}

/**
 * Softmax cross-entropy training helpers for an {@link Mlp} on a {@link Dataset}: loss and gradient on
 * any subset of rows, accuracy, per-sample gradients (empirical Fisher) and logit Jacobians (true
 * Fisher). Rows are gathered into reused buffers of `capacity` rows.
 */
export interface Classifier {
  readonly net: Mlp;
  /** Mean cross-entropy over the rows `idx` (all when omitted) and its gradient (a fresh array). */
  lossGrad(theta: Float64Array, d: Dataset, idx?: ArrayLike<number>): { value: number; grad: Float64Array };
  /** Mean cross-entropy over all rows (no gradient). */
  loss(theta: Float64Array, d: Dataset): number;
  /** Fraction of rows whose arg-max class is the label. */
  accuracy(theta: Float64Array, d: Dataset): number;
  /** Per-sample gradients as the rows of an N×size matrix. */
  perSampleGrads(theta: Float64Array, d: Dataset, idx: ArrayLike<number>): Matrix;
  /** Class probabilities (N×K) and logit Jacobians ((N·K)×size, row iK + k = ∂z_k(x_i)/∂θ). */
  logitJacobians(theta: Float64Array, d: Dataset, idx: ArrayLike<number>): { probs: Matrix; jacobians: Matrix };
  /** Activations of hidden layer `layer` (1-based) on the first `rows` rows: a rows×width point cloud (a copy). */
  hidden(theta: Float64Array, d: Dataset, rows: number, layer: number): Float64Array;
}

/** Builds the {@link Classifier} helpers for `net` and data sets of at most `capacity` rows. */
export function classifier(net: Mlp, capacity: number): Classifier {
  const dim = net.layers[0]!.fanIn;
  const K = net.layers[net.layers.length - 1]!.fanOut;
  const ws: MlpWorkspace = mlpWorkspace(net, capacity);
  const bx = new Float64Array(capacity * dim);
  const by = new Int32Array(capacity);
  const ce = softmaxCrossEntropy(by);
  const gather = (d: Dataset, idx: ArrayLike<number> | undefined): number => {
    const m = idx === undefined ? d.n : idx.length;
    for (let r = 0; r < m; r++) {
      const i = idx === undefined ? r : idx[r]!;
      for (let j = 0; j < dim; j++) bx[r * dim + j] = d.x[i * dim + j]!;
      by[r] = d.y[i]!;
    }
    return m;
  };
  const input = (rows: number) => ({ kind: 'dense' as const, rows, data: bx });
  const self: Classifier = {
    net,
    lossGrad(theta, d, idx) {
      const m = gather(d, idx);
      const grad = new Float64Array(net.size);
      const value = mlpLossGrad(net, theta, input(m), ce, grad, ws);
      return { value, grad };
    },
    loss(theta, d) {
      const m = gather(d, undefined);
      return ce(mlpForward(net, theta, input(m), ws), null);
    },
    accuracy(theta, d) {
      const m = gather(d, undefined);
      return accuracy(mlpForward(net, theta, input(m), ws), by.subarray(0, m));
    },
    perSampleGrads(theta, d, idx) {
      const n = idx.length;
      const out = new Float64Array(n * net.size);
      for (let r = 0; r < n; r++) {
        gather(d, [idx[r]!]);
        mlpLossGrad(net, theta, input(1), ce, out.subarray(r * net.size, (r + 1) * net.size), ws);
      }
      return { rows: n, cols: net.size, data: out };
    },
    logitJacobians(theta, d, idx) {
      const n = idx.length;
      const probs = new Float64Array(n * K);
      const jac = new Float64Array(n * K * net.size);
      for (let r = 0; r < n; r++) {
        gather(d, [idx[r]!]);
        for (let k = 0; k < K; k++) {
          // The "loss" z_k: its output gradient is the unit vector e_k, so backprop gives ∂z_k/∂θ.
          const logit: OutputLoss = (o, dOut) => {
            if (dOut !== null) {
              dOut.fill(0);
              dOut[k] = 1;
            }
            if (k === 0) {
              let max = -Infinity;
              for (let c = 0; c < K; c++) max = Math.max(max, o.data[c]!);
              let sum = 0;
              for (let c = 0; c < K; c++) sum += Math.exp(o.data[c]! - max);
              for (let c = 0; c < K; c++) probs[r * K + c] = Math.exp(o.data[c]! - max) / sum;
            }
            return o.data[k]!;
          };
          mlpLossGrad(net, theta, input(1), logit, jac.subarray((r * K + k) * net.size, (r * K + k + 1) * net.size), ws);
        }
      }
      return { probs: { rows: n, cols: K, data: probs }, jacobians: { rows: n * K, cols: net.size, data: jac } };
    },
    hidden(theta, d, rows, layer) {
      const idx = Int32Array.from({ length: rows }, (_, i) => i);
      gather(d, idx);
      mlpForward(net, theta, input(rows), ws);
      return ws.acts[layer - 1]!.slice(0, rows * net.layers[layer - 1]!.fanOut);
    },
  };
  return self;
}
