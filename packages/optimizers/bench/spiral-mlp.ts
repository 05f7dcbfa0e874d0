// The SAM/ARSAM benchmark's workload: a 2 → 32 (tanh) → 3 MLP with manual backprop on 3-class spirals,
// the same network as the PyTorch reference in sam-arsam.ts (not part of the package API; the demo's
// experiments use apps/demo's MLP).
import { foldIn, key as makeKey, normal, permutation, split, uniform, type Key } from '@descent/linalg';

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
