import { DescentError, gemmInto, normalInto, split, uniformInto, type Key, type Layout, type Matrix } from '@descent/linalg';

/** Hidden-layer nonlinearity of an {@link Mlp}. The output layer is always linear (logits / raw outputs). */
export type Activation = 'relu' | 'sigmoid' | 'tanh';

/** Shape of a multilayer perceptron. */
export interface MlpConfig {
  /** Widths from input to output, e.g. `[194, 512, 97]` for one hidden layer. At least two entries. */
  readonly sizes: readonly number[];
  /** Nonlinearity between layers. */
  readonly activation: Activation;
  /** Give the output layer a bias. Default true (the EGD reference MLP has none). */
  readonly outputBias?: boolean;
}

/** Where one layer's weight (fanIn×fanOut, row-major, used as x·W) and bias live in the flat vector. */
export interface MlpLayer {
  readonly fanIn: number;
  readonly fanOut: number;
  readonly wOffset: number;
  /** −1 when the layer has no bias. */
  readonly bOffset: number;
}

/**
 * A multilayer perceptron over one flat `Float64Array` of parameters: the {@link Layout} names the
 * blocks `W1, b1, W2, b2, …` in storage order, so matrix-aware optimizers (EGD, Muon, REG) can find the
 * 2-D blocks. Layer l computes z = a·W_l + b_l with W_l of shape [fanIn, fanOut].
 */
export interface Mlp {
  readonly config: MlpConfig;
  readonly layout: Layout;
  readonly layers: readonly MlpLayer[];
  /** Number of parameters. */
  readonly size: number;
}

/**
 * A batch of inputs: dense rows, or one-hot rows given by the indices of their ones (an embedding
 * lookup: `perRow` active inputs of value 1 per row), which makes the first layer a gather instead of
 * a product with a mostly-zero matrix.
 */
export type MlpInput =
  | { readonly kind: 'dense'; readonly rows: number; readonly data: Float64Array }
  | { readonly kind: 'onehot'; readonly rows: number; readonly perRow: number; readonly indices: Int32Array };

/**
 * A loss on the network output: given the output (rows×k) it returns the loss value and, when `dOut` is
 * given, writes ∂loss/∂output into it (same shape).
 */
export type OutputLoss = (out: Matrix, dOut: Float64Array | null) => number;

/**
 * Builds an MLP description (layout and offsets) and validates its shape.
 *
 * @example
 * ```ts
 * const net = mlp({ sizes: [2, 3, 1], activation: 'relu' });
 * [net.size, net.layout.map((b) => b.name).join(',')];
 * // [13, 'W1,b1,W2,b2']
 * ```
 */
export function mlp(config: MlpConfig): Mlp {
  const sizes = config.sizes;
  if (!Array.isArray(sizes) || sizes.length < 2) throw new DescentError('INVALID_CONFIG', 'mlp', 'sizes needs at least an input and an output width');
  for (const s of sizes) {
    if (!Number.isInteger(s) || s < 1) throw new DescentError('INVALID_CONFIG', 'mlp', `widths must be positive integers, got [${sizes.join(', ')}]`);
  }
  if (!['relu', 'sigmoid', 'tanh'].includes(config.activation)) {
    throw new DescentError('INVALID_CONFIG', 'mlp', `unknown activation '${String(config.activation)}'`);
  }
  const outputBias = config.outputBias ?? true;
  const layout: { name: string; shape: number[] }[] = [];
  const layers: MlpLayer[] = [];
  let offset = 0;
  for (let l = 0; l + 1 < sizes.length; l++) {
    const fanIn = sizes[l]!;
    const fanOut = sizes[l + 1]!;
    const wOffset = offset;
    layout.push({ name: `W${l + 1}`, shape: [fanIn, fanOut] });
    offset += fanIn * fanOut;
    let bOffset = -1;
    if (l + 2 < sizes.length || outputBias) {
      bOffset = offset;
      layout.push({ name: `b${l + 1}`, shape: [fanOut] });
      offset += fanOut;
    }
    layers.push({ fanIn, fanOut, wOffset, bOffset });
  }
  return { config: { ...config, sizes: [...sizes], outputBias }, layout, layers, size: offset };
}

/**
 * Initial parameters. `'he'`: W ~ N(0, 2/fanIn), b = 0 (the EGD reference). `'torch'`: W and b ~
 * U(−1/√fanIn, 1/√fanIn) (PyTorch's `nn.Linear` default, used by the Hill-ADAM colour script).
 *
 * @example
 * ```ts
 * initMlp(mlp({ sizes: [2, 1], activation: 'relu' }), key(0), 'he').length;
 * // 3
 * ```
 */
export function initMlp(net: Mlp, k: Key, scheme: 'he' | 'torch'): Float64Array {
  const x = new Float64Array(net.size);
  const keys = split(k, net.layers.length);
  for (let l = 0; l < net.layers.length; l++) {
    const L = net.layers[l]!;
    const [kw, kb] = split(keys[l]!, 2) as [Key, Key];
    const w = x.subarray(L.wOffset, L.wOffset + L.fanIn * L.fanOut);
    if (scheme === 'he') {
      normalInto(kw, w, 0, Math.sqrt(2 / L.fanIn));
    } else {
      const bound = 1 / Math.sqrt(L.fanIn);
      uniformInto(kw, w, -bound, bound);
      if (L.bOffset >= 0) uniformInto(kb, x.subarray(L.bOffset, L.bOffset + L.fanOut), -bound, bound);
    }
  }
  return x;
}

/** Reusable buffers for {@link mlpForward} / {@link mlpLossGrad} on batches of up to `capacity` rows. */
export interface MlpWorkspace {
  readonly capacity: number;
  /** Activations per layer output (post-nonlinearity for hidden layers, raw for the output). */
  readonly acts: Float64Array[];
  /** Back-propagated deltas per layer output. */
  readonly deltas: Float64Array[];
}

/**
 * Allocates the buffers for batches of at most `capacity` rows.
 *
 * @example
 * ```ts
 * mlpWorkspace(mlp({ sizes: [2, 3, 1], activation: 'relu' }), 4).acts[0].length;
 * // 12
 * ```
 */
export function mlpWorkspace(net: Mlp, capacity: number): MlpWorkspace {
  if (!Number.isInteger(capacity) || capacity < 1) throw new DescentError('INVALID_CONFIG', 'mlpWorkspace', `capacity must be a positive integer, got ${capacity}`);
  return {
    capacity,
    acts: net.layers.map((L) => new Float64Array(capacity * L.fanOut)),
    deltas: net.layers.map((L) => new Float64Array(capacity * L.fanOut)),
  };
}

function checkBatch(net: Mlp, params: Float64Array, input: MlpInput, ws: MlpWorkspace, where: string): void {
  if (params.length !== net.size) throw new DescentError('SHAPE_MISMATCH', where, `parameters have length ${params.length}, the MLP has ${net.size}`);
  if (input.rows > ws.capacity || input.rows < 1) throw new DescentError('SHAPE_MISMATCH', where, `batch of ${input.rows} rows, workspace holds 1..${ws.capacity}`);
  const fanIn = net.layers[0]!.fanIn;
  if (input.kind === 'dense') {
    if (input.data.length < input.rows * fanIn) throw new DescentError('SHAPE_MISMATCH', where, `dense input needs ${input.rows}×${fanIn} entries, got ${input.data.length}`);
  } else if (input.indices.length < input.rows * input.perRow) {
    throw new DescentError('SHAPE_MISMATCH', where, `one-hot input needs ${input.rows}×${input.perRow} indices, got ${input.indices.length}`);
  }
}

/**
 * Forward pass: returns the output (rows×out) as a view into the workspace (overwritten by the next
 * call). One-hot indices must lie in [0, fanIn) (not checked per element in the hot loop).
 *
 * @example
 * ```ts
 * const net = mlp({ sizes: [1, 1], activation: 'relu' });
 * mlpForward(net, new Float64Array([2, 1]), { kind: 'dense', rows: 1, data: new Float64Array([3]) }, mlpWorkspace(net, 1)).data[0];
 * // 7
 * ```
 */
export function mlpForward(net: Mlp, params: Float64Array, input: MlpInput, ws: MlpWorkspace): Matrix {
  checkBatch(net, params, input, ws, 'mlpForward');
  return forward(net, params, input, ws);
}

function forward(net: Mlp, params: Float64Array, input: MlpInput, ws: MlpWorkspace): Matrix {
  const n = input.rows;
  const last = net.layers.length - 1;
  for (let l = 0; l <= last; l++) {
    const L = net.layers[l]!;
    const out = ws.acts[l]!;
    const cols = L.fanOut;
    const W: Matrix = { rows: L.fanIn, cols, data: params.subarray(L.wOffset, L.wOffset + L.fanIn * cols) };
    const Z: Matrix = { rows: n, cols, data: out.subarray(0, n * cols) };
    if (l === 0 && input.kind === 'onehot') {
      // Sum of the selected rows of W1 (embedding lookup).
      const { perRow, indices } = input;
      const w = W.data;
      Z.data.fill(0);
      for (let i = 0; i < n; i++) {
        const zo = i * cols;
        for (let j = 0; j < perRow; j++) {
          const wo = indices[i * perRow + j]! * cols;
          for (let c = 0; c < cols; c++) out[zo + c]! += w[wo + c]!;
        }
      }
    } else {
      const A: Matrix = l === 0
        ? { rows: n, cols: L.fanIn, data: (input as { data: Float64Array }).data.subarray(0, n * L.fanIn) }
        : { rows: n, cols: L.fanIn, data: ws.acts[l - 1]!.subarray(0, n * L.fanIn) };
      if (n < SMALL) smallTimes(A.data, W.data, Z.data, n, L.fanIn, cols);
      else gemmInto(A, W, Z);
    }
    biasActivate(out, params, L.bOffset, n, cols, l < last ? net.config.activation : null);
  }
  const L = net.layers[last]!;
  return { rows: n, cols: L.fanOut, data: ws.acts[last]!.subarray(0, n * L.fanOut) };
}

/**
 * z ← act(z + b) over n rows of `cols`, bias at `bo` in `params` (−1: none), in one pass. One loop per
 * activation: the choice is made once per layer, not per element (the loop is hot in small nets).
 */
function biasActivate(out: Float64Array, params: Float64Array, bo: number, n: number, cols: number, act: Activation | null): void {
  const len = n * cols;
  if (bo >= 0) {
    for (let i = 0; i < n; i++) {
      const zo = i * cols;
      for (let c = 0; c < cols; c++) out[zo + c]! += params[bo + c]!;
    }
  }
  if (act === 'relu') for (let k = 0; k < len; k++) out[k] = out[k]! > 0 ? out[k]! : 0;
  else if (act === 'sigmoid') for (let k = 0; k < len; k++) out[k] = 1 / (1 + Math.exp(-out[k]!));
  else if (act === 'tanh') for (let k = 0; k < len; k++) out[k] = Math.tanh(out[k]!);
}

// Below this many rows the products run as plain row loops: packing panels for the blocked GEMM costs
// more than the multiply itself when the batch is a single row (the colour-correction MLP).
const SMALL = 4;

/** z (n×q) = a (n×k) · w (k×q), row loops over contiguous rows of w. */
function smallTimes(a: Float64Array, w: Float64Array, z: Float64Array, n: number, k: number, q: number): void {
  for (let i = 0; i < n; i++) {
    const zo = i * q;
    for (let c = 0; c < q; c++) z[zo + c] = 0;
    for (let j = 0; j < k; j++) {
      const aij = a[i * k + j]!;
      if (aij === 0) continue;
      const wo = j * q;
      for (let c = 0; c < q; c++) z[zo + c] += aij * w[wo + c]!;
    }
  }
}

/** g (k×q) = aᵀ (k×n) · d (n×q): a sum of n outer products. */
function smallTransTimes(a: Float64Array, d: Float64Array, g: Float64Array, n: number, k: number, q: number): void {
  g.fill(0, 0, k * q);
  for (let i = 0; i < n; i++) {
    const dO = i * q;
    for (let j = 0; j < k; j++) {
      const aij = a[i * k + j]!;
      if (aij === 0) continue;
      const go = j * q;
      for (let c = 0; c < q; c++) g[go + c] += aij * d[dO + c]!;
    }
  }
}

/** out (n×k) = d (n×q) · wᵀ (q×k), w stored k×q: dot products of contiguous rows. */
function smallTimesTrans(d: Float64Array, w: Float64Array, out: Float64Array, n: number, q: number, k: number): void {
  for (let i = 0; i < n; i++) {
    const dO = i * q;
    for (let j = 0; j < k; j++) {
      const wo = j * q;
      let s = 0;
      for (let c = 0; c < q; c++) s += d[dO + c]! * w[wo + c]!;
      out[i * k + j] = s;
    }
  }
}

/**
 * Loss and its gradient with respect to every parameter: forward, `loss` on the output, backward.
 * The gradient is written into `grad` (overwritten, length `net.size`); returns the loss value.
 *
 * @example
 * ```ts
 * const net = mlp({ sizes: [1, 1], activation: 'relu' });
 * const g = new Float64Array(2);
 * const half = (o, d) => { if (d) d[0] = o.data[0]; return 0.5 * o.data[0] ** 2; };
 * mlpLossGrad(net, new Float64Array([2, 1]), { kind: 'dense', rows: 1, data: new Float64Array([3]) }, half, g, mlpWorkspace(net, 1));
 * // 24.5, and g = [21, 7]
 * ```
 */
export function mlpLossGrad(net: Mlp, params: Float64Array, input: MlpInput, loss: OutputLoss, grad: Float64Array, ws: MlpWorkspace): number {
  checkBatch(net, params, input, ws, 'mlpLossGrad');
  if (grad.length !== net.size) throw new DescentError('SHAPE_MISMATCH', 'mlpLossGrad', `gradient buffer has length ${grad.length}, the MLP has ${net.size}`);
  const n = input.rows;
  const out = forward(net, params, input, ws);
  const last = net.layers.length - 1;
  const value = loss(out, ws.deltas[last]!.subarray(0, out.data.length));
  const act = net.config.activation;
  for (let l = last; l >= 0; l--) {
    const L = net.layers[l]!;
    const cols = L.fanOut;
    const D: Matrix = { rows: n, cols, data: ws.deltas[l]!.subarray(0, n * cols) };
    const gW: Matrix = { rows: L.fanIn, cols, data: grad.subarray(L.wOffset, L.wOffset + L.fanIn * cols) };
    if (L.bOffset >= 0) {
      const gb = grad.subarray(L.bOffset, L.bOffset + cols);
      gb.fill(0);
      const d = D.data;
      for (let i = 0; i < n; i++) {
        const o = i * cols;
        for (let c = 0; c < cols; c++) gb[c]! += d[o + c]!;
      }
    }
    if (l === 0) {
      if (input.kind === 'onehot') {
        // Scatter-add of the deltas into the selected rows of W1.
        const { perRow, indices } = input;
        const g = gW.data;
        const d = D.data;
        g.fill(0);
        for (let i = 0; i < n; i++) {
          const dO = i * cols;
          for (let j = 0; j < perRow; j++) {
            const go = indices[i * perRow + j]! * cols;
            for (let c = 0; c < cols; c++) g[go + c]! += d[dO + c]!;
          }
        }
      } else if (n < SMALL) {
        smallTransTimes(input.data, D.data, gW.data, n, L.fanIn, cols);
      } else {
        gemmInto({ rows: n, cols: L.fanIn, data: input.data.subarray(0, n * L.fanIn) }, D, gW, { transA: true });
      }
      break;
    }
    const prevCols = L.fanIn;
    const Aprev: Matrix = { rows: n, cols: prevCols, data: ws.acts[l - 1]!.subarray(0, n * prevCols) };
    // δ_{l−1} = (δ_l · W_lᵀ) ⊙ act'(a_{l−1}), the derivative written through the stored activation.
    const W: Matrix = { rows: prevCols, cols, data: params.subarray(L.wOffset, L.wOffset + prevCols * cols) };
    const Dprev: Matrix = { rows: n, cols: prevCols, data: ws.deltas[l - 1]!.subarray(0, n * prevCols) };
    if (n < SMALL) {
      smallTransTimes(Aprev.data, D.data, gW.data, n, prevCols, cols);
      smallTimesTrans(D.data, W.data, Dprev.data, n, cols, prevCols);
    } else {
      gemmInto(Aprev, D, gW, { transA: true });
      gemmInto(D, W, Dprev, { transB: true });
    }
    const a = Aprev.data;
    const dp = Dprev.data;
    const len = n * prevCols;
    if (act === 'relu') for (let k = 0; k < len; k++) dp[k] = a[k]! > 0 ? dp[k]! : 0;
    else if (act === 'sigmoid') for (let k = 0; k < len; k++) dp[k] = dp[k]! * a[k]! * (1 - a[k]!);
    else for (let k = 0; k < len; k++) dp[k] = dp[k]! * (1 - a[k]! * a[k]!);
  }
  return value;
}

/**
 * Mean softmax cross-entropy of logits (rows×k) against integer labels; ∂/∂logits = (softmax − onehot)/rows.
 *
 * @example
 * ```ts
 * softmaxCrossEntropy(new Int32Array([0]))({ rows: 1, cols: 2, data: new Float64Array([0, 0]) }, null);
 * // 0.6931471805599453 (log 2)
 * ```
 */
export function softmaxCrossEntropy(labels: Int32Array): OutputLoss {
  return (out, dOut) => {
    const { rows: n, cols: k, data } = out;
    if (labels.length < n) throw new DescentError('SHAPE_MISMATCH', 'softmaxCrossEntropy', `${labels.length} labels for ${n} rows`);
    let total = 0;
    for (let i = 0; i < n; i++) {
      const o = i * k;
      let max = -Infinity;
      for (let c = 0; c < k; c++) if (data[o + c]! > max) max = data[o + c]!;
      let sum = 0;
      for (let c = 0; c < k; c++) sum += Math.exp(data[o + c]! - max);
      const lse = max + Math.log(sum);
      const y = labels[i]!;
      total += lse - data[o + y]!;
      if (dOut !== null) {
        for (let c = 0; c < k; c++) dOut[o + c] = Math.exp(data[o + c]! - lse) / n;
        dOut[o + y]! -= 1 / n;
      }
    }
    return total / n;
  };
}

/**
 * Mean over rows of the squared error Σ_c (out − target)², halved: ½·mean_i ‖out_i − y_i‖².
 *
 * @example
 * ```ts
 * halfSquaredError(new Float64Array([1]))({ rows: 1, cols: 1, data: new Float64Array([3]) }, null);
 * // 2
 * ```
 */
export function halfSquaredError(targets: Float64Array): OutputLoss {
  return (out, dOut) => {
    const { rows: n, cols: k, data } = out;
    if (targets.length < n * k) throw new DescentError('SHAPE_MISMATCH', 'halfSquaredError', `${targets.length} targets for ${n}×${k} outputs`);
    let total = 0;
    for (let i = 0; i < n * k; i++) {
      const r = data[i]! - targets[i]!;
      total += r * r;
      if (dOut !== null) dOut[i] = r / n;
    }
    return (0.5 * total) / n;
  };
}

/**
 * Fraction of rows whose largest output is at the label (ties go to the first index, like argmax).
 *
 * @example
 * ```ts
 * accuracy({ rows: 2, cols: 2, data: new Float64Array([1, 0, 0, 1]) }, new Int32Array([0, 0]));
 * // 0.5
 * ```
 */
export function accuracy(out: Matrix, labels: Int32Array): number {
  const { rows: n, cols: k, data } = out;
  let hits = 0;
  for (let i = 0; i < n; i++) {
    const o = i * k;
    let arg = 0;
    for (let c = 1; c < k; c++) if (data[o + c]! > data[o + arg]!) arg = c;
    if (arg === labels[i]) hits++;
  }
  return hits / n;
}

/**
 * Adds the gradient of ½·wd·Σ‖W_l‖² (weights only, not biases) to `grad` and returns the penalty.
 *
 * @example
 * ```ts
 * const net = mlp({ sizes: [1, 1], activation: 'relu' });
 * addWeightDecay(net, new Float64Array([2, 5]), new Float64Array(2), 0.5);
 * // 1 (½·0.5·2²), and the gradient becomes [1, 0]
 * ```
 */
export function addWeightDecay(net: Mlp, params: Float64Array, grad: Float64Array | null, wd: number): number {
  let sq = 0;
  for (const L of net.layers) {
    const end = L.wOffset + L.fanIn * L.fanOut;
    for (let i = L.wOffset; i < end; i++) {
      const w = params[i]!;
      sq += w * w;
      if (grad !== null) grad[i]! += wd * w;
    }
  }
  return 0.5 * wd * sq;
}
