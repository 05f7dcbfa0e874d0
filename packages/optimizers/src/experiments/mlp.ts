// A small two-layer MLP classifier with manual backprop, and a synthetic data set, shared by the
// experiment scripts of this folder (not part of the package API).
import { foldIn, key as makeKey, normal, permutation, split, uniform, type Key, type Layout, type Matrix } from '@descent/linalg';

/** A classification data set: row-major inputs (n×dim) and integer labels. */
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

/** Sizes of the MLP dim → hidden (tanh) → classes (softmax). */
export interface MlpShape {
  readonly dim: number;
  readonly hidden: number;
  readonly classes: number;
}

/** The parameter layout [W1 (hidden×dim), b1, W2 (classes×hidden), b2]. */
export function mlpLayout(s: MlpShape): Layout {
  return [
    { name: 'W1', shape: [s.hidden, s.dim] },
    { name: 'b1', shape: [s.hidden] },
    { name: 'W2', shape: [s.classes, s.hidden] },
    { name: 'b2', shape: [s.classes] },
  ];
}

/** Number of parameters. */
export function mlpSize(s: MlpShape): number {
  return s.hidden * s.dim + s.hidden + s.classes * s.hidden + s.classes;
}

/** Glorot-style initialisation: W ∼ N(0, 1/fan_in), biases zero. */
export function mlpInit(k: Key, s: MlpShape): Float64Array {
  const theta = new Float64Array(mlpSize(s));
  const [k1, k2] = split(k, 2);
  const w1 = normal(k1!, s.hidden * s.dim, 0, 1 / Math.sqrt(s.dim));
  const w2 = normal(k2!, s.classes * s.hidden, 0, 1 / Math.sqrt(s.hidden));
  theta.set(w1, 0);
  theta.set(w2, s.hidden * s.dim + s.hidden);
  return theta;
}

/** Scratch buffers for one sample (reused across samples: no allocation per sample). */
interface Scratch {
  h: Float64Array;
  p: Float64Array;
  dz: Float64Array;
  dh: Float64Array;
}

function scratch(s: MlpShape): Scratch {
  return { h: new Float64Array(s.hidden), p: new Float64Array(s.classes), dz: new Float64Array(s.classes), dh: new Float64Array(s.hidden) };
}

/** Forward pass of sample i: fills sc.h (tanh activations) and sc.p (softmax); returns −log p_y. */
function forward(theta: Float64Array, s: MlpShape, d: Dataset, i: number, sc: Scratch): number {
  const { dim, hidden, classes } = s;
  const oB1 = hidden * dim;
  const oW2 = oB1 + hidden;
  const oB2 = oW2 + classes * hidden;
  for (let a = 0; a < hidden; a++) {
    let z = theta[oB1 + a]!;
    for (let j = 0; j < dim; j++) z += theta[a * dim + j]! * d.x[i * dim + j]!;
    sc.h[a] = Math.tanh(z);
  }
  let m = -Infinity;
  for (let c = 0; c < classes; c++) {
    let z = theta[oB2 + c]!;
    for (let a = 0; a < hidden; a++) z += theta[oW2 + c * hidden + a]! * sc.h[a]!;
    sc.p[c] = z;
    if (z > m) m = z;
  }
  let tot = 0;
  for (let c = 0; c < classes; c++) tot += (sc.p[c] = Math.exp(sc.p[c]! - m));
  for (let c = 0; c < classes; c++) sc.p[c] = sc.p[c]! / tot;
  return -Math.log(Math.max(sc.p[d.y[i]!]!, 1e-300));
}

/** Backprop of the logit-space cotangent sc.dz for sample i, adding scale·∂/∂θ into `g`. */
function backward(theta: Float64Array, s: MlpShape, d: Dataset, i: number, sc: Scratch, g: Float64Array, scale: number): void {
  const { dim, hidden, classes } = s;
  const oB1 = hidden * dim;
  const oW2 = oB1 + hidden;
  const oB2 = oW2 + classes * hidden;
  sc.dh.fill(0);
  for (let c = 0; c < classes; c++) {
    const dzc = sc.dz[c]! * scale;
    if (dzc === 0) continue;
    g[oB2 + c] += dzc;
    for (let a = 0; a < hidden; a++) {
      g[oW2 + c * hidden + a] += dzc * sc.h[a]!;
      sc.dh[a] += theta[oW2 + c * hidden + a]! * dzc;
    }
  }
  for (let a = 0; a < hidden; a++) {
    const da = sc.dh[a]! * (1 - sc.h[a]! * sc.h[a]!);
    g[oB1 + a] += da;
    for (let j = 0; j < dim; j++) g[a * dim + j] += da * d.x[i * dim + j]!;
  }
}

/**
 * Mean cross-entropy over the samples `idx` (all when omitted), plus (l2/2)·‖θ‖², and its gradient.
 */
export function mlpLossGrad(theta: Float64Array, s: MlpShape, d: Dataset, idx?: ArrayLike<number>, l2 = 0): { value: number; grad: Float64Array } {
  const g = new Float64Array(theta.length);
  const sc = scratch(s);
  const m = idx === undefined ? d.n : idx.length;
  let loss = 0;
  for (let r = 0; r < m; r++) {
    const i = idx === undefined ? r : idx[r]!;
    loss += forward(theta, s, d, i, sc);
    for (let c = 0; c < s.classes; c++) sc.dz[c] = sc.p[c]! - (d.y[i] === c ? 1 : 0);
    backward(theta, s, d, i, sc, g, 1 / m);
  }
  let value = loss / m;
  if (l2 > 0) {
    let sq = 0;
    for (let k = 0; k < theta.length; k++) {
      sq += theta[k]! * theta[k]!;
      g[k] += l2 * theta[k]!;
    }
    value += 0.5 * l2 * sq;
  }
  return { value, grad: g };
}

/** Per-sample cross-entropy gradients as the rows of an N×d matrix (for the empirical Fisher). */
export function mlpPerSampleGrads(theta: Float64Array, s: MlpShape, d: Dataset, idx: ArrayLike<number>): Matrix {
  const n = idx.length;
  const dd = theta.length;
  const out = new Float64Array(n * dd);
  const sc = scratch(s);
  for (let r = 0; r < n; r++) {
    const i = idx[r]!;
    forward(theta, s, d, i, sc);
    for (let c = 0; c < s.classes; c++) sc.dz[c] = sc.p[c]! - (d.y[i] === c ? 1 : 0);
    backward(theta, s, d, i, sc, out.subarray(r * dd, (r + 1) * dd), 1);
  }
  return { rows: n, cols: dd, data: out };
}

/**
 * Class probabilities (N×K) and logit Jacobians ((N·K)×d, row iK + k = ∂z_k(x_i)/∂θ) of the samples
 * `idx`: the inputs of the closed-form true Fisher `logitFisher`.
 */
export function mlpLogitJacobians(theta: Float64Array, s: MlpShape, d: Dataset, idx: ArrayLike<number>): { probs: Matrix; jacobians: Matrix } {
  const n = idx.length;
  const K = s.classes;
  const dd = theta.length;
  const probs = new Float64Array(n * K);
  const jac = new Float64Array(n * K * dd);
  const sc = scratch(s);
  for (let r = 0; r < n; r++) {
    const i = idx[r]!;
    forward(theta, s, d, i, sc);
    probs.set(sc.p, r * K);
    for (let k = 0; k < K; k++) {
      sc.dz.fill(0);
      sc.dz[k] = 1;
      backward(theta, s, d, i, sc, jac.subarray((r * K + k) * dd, (r * K + k + 1) * dd), 1);
    }
  }
  return { probs: { rows: n, cols: K, data: probs }, jacobians: { rows: n * K, cols: dd, data: jac } };
}

/** Fraction of samples whose arg-max class is the label. */
export function mlpAccuracy(theta: Float64Array, s: MlpShape, d: Dataset): number {
  const sc = scratch(s);
  let ok = 0;
  for (let i = 0; i < d.n; i++) {
    forward(theta, s, d, i, sc);
    let best = 0;
    for (let c = 1; c < s.classes; c++) if (sc.p[c]! > sc.p[best]!) best = c;
    if (best === d.y[i]) ok++;
  }
  return ok / d.n;
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

/** The standard problem of these experiments: 3-class spirals, 2 → 32 (tanh) → 3. */
export function standardProblem(seed = 0): { shape: MlpShape; train: Dataset; test: Dataset; theta0: Float64Array } {
  const [kd, kt, kp] = split(makeKey(seed), 3);
  const shape: MlpShape = { dim: 2, hidden: 32, classes: 3 };
  return { shape, train: spirals(kd!, 100), test: spirals(kt!, 100), theta0: mlpInit(kp!, shape) };
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

/** Prints figures as an aligned table. */
export function printFigures(title: string, rows: readonly RunFigures[]): void {
  console.log(`\n${title}`);
  const head = ['method', 'steps', 'grad evals', 'train loss', 'train acc', 'test acc', 'time'];
  const body = rows.map((r) => [r.method, String(r.steps), String(r.gradEvals), r.trainLoss.toFixed(4), r.trainAccuracy.toFixed(3), r.testAccuracy.toFixed(3), `${r.seconds.toFixed(2)} s`]);
  const w = head.map((h, j) => Math.max(h.length, ...body.map((b) => b[j]!.length)));
  const line = (c: string[]) => c.map((x, j) => x.padEnd(w[j]!)).join('  ');
  console.log(line(head));
  console.log(w.map((n) => '-'.repeat(n)).join('  '));
  for (const b of body) console.log(line(b));
}

/** Options of {@link trainMinibatch}. */
export interface TrainOptions {
  /** Optimizer steps (a SAM step counts once, whatever its number of gradient evaluations). */
  readonly steps: number;
  readonly batch: number;
  /** Seed of the mini-batch order (same seed ⇒ same batches for every method). */
  readonly seed: number;
  /** L2 regularisation added to the loss. Default 0. */
  readonly l2?: number;
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
  p: { shape: MlpShape; train: Dataset; test: Dataset },
  o: TrainOptions,
): { figures: RunFigures; state: S } {
  const bk = makeKey(o.seed);
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
    const { grad } = mlpLossGrad(s.query, p.shape, p.train, idx, o.l2 ?? 0);
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
      trainLoss: mlpLossGrad(s.x, p.shape, p.train).value,
      trainAccuracy: mlpAccuracy(s.x, p.shape, p.train),
      testAccuracy: mlpAccuracy(s.x, p.shape, p.test),
      seconds,
    },
  };
}

/** True when this module is the script node/tsx was started with. */
export function isMain(url: string): boolean {
  const arg = process.argv[1];
  if (arg === undefined) return false;
  const file = new URL(url).pathname;
  return file === arg || file.replace(/\.ts$/, '') === arg.replace(/\.ts$/, '');
}
