import { DescentError, foldIn, key, permutation, split, uniform, type Key } from '@descent/linalg';
import { cloneState, egd, sgd, type FirstOrderMethod, type MethodState } from '@descent/optimizers';
import { addWeightDecay, halfSquaredError, initMlp, mlp, mlpForward, mlpLossGrad, mlpWorkspace, type MlpInput } from '../models/mlp.js';

/** Setup of one sparse-parity run (the third-party replication's: n = 20, k = 3, width 200). */
export interface SparseParityConfig {
  /** Input bits x ∈ {±1}ⁿ. */
  n: number;
  /** The label is the product of the first k bits. */
  k: number;
  hidden: number;
  method: 'sgd' | 'egd';
  /** Stop at the first epoch whose test accuracy reaches this (0.9 in the replication). */
  target: number;
  maxEpochs: number;
  nTrain?: number;
  nTest?: number;
  lr?: number;
  wd?: number;
  batch?: number;
}

/** The outcome of one sparse-parity run. */
export interface SparseParityResult {
  /** First epoch with test accuracy ≥ target, or null within the cap. */
  epochs: number | null;
  ran: number;
  finalTestAccuracy: number;
  curve: { epoch: number; test: number }[];
}

function parityData(n: number, k: number, rows: number, kk: Key): { x: Float64Array; y: Float64Array } {
  const u = uniform(kk, n * rows);
  const x = new Float64Array(n * rows);
  const y = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    let prod = 1;
    for (let j = 0; j < n; j++) {
      const v = u[r * n + j]! < 0.5 ? -1 : 1;
      x[r * n + j] = v;
      if (j < k) prod *= v;
    }
    y[r] = prod;
  }
  return { x, y };
}

/**
 * Trains a 2-layer ReLU MLP (n → hidden → 1, PyTorch-style init) on k-sparse parity with the
 * reference's loss, ½·MSE on ±1 labels plus ½·wd·‖W‖², by SGD or by SGD with EGD's polar-factor
 * preconditioning of W1 (the true pseudo-inverse variant, so a rank-deficient batch gradient leaves its
 * null directions at 0 rather than inflating them, spec §2(d)7). Test accuracy is sign agreement.
 */
export function trainSparseParity(cfg: SparseParityConfig, seed: number): SparseParityResult {
  const { n, k, hidden } = cfg;
  if (!(Number.isInteger(k) && k >= 1 && k <= n)) throw new DescentError('INVALID_CONFIG', 'trainSparseParity', `need 1 ≤ k ≤ n, got k = ${k}, n = ${n}`);
  const lr = cfg.lr ?? 0.1;
  const wd = cfg.wd ?? 0.01;
  const batch = cfg.batch ?? 32;
  const nTrain = cfg.nTrain ?? 1000;
  const nTest = cfg.nTest ?? 2000;
  const [kTrain, kTest, kInit, kShuffle] = split(key(seed), 4) as [Key, Key, Key, Key];
  const train = parityData(n, k, nTrain, kTrain);
  const test = parityData(n, k, nTest, kTest);
  const net = mlp({ sizes: [n, hidden, 1], activation: 'relu' });
  const x0 = initMlp(net, kInit, 'torch');
  const egdSgd = egd(sgd);
  const method = (cfg.method === 'egd' ? egdSgd : sgd) as FirstOrderMethod<unknown, MethodState>;
  let state: MethodState = cfg.method === 'egd'
    ? egdSgd.init({ base: { lr, check: false }, layout: net.layout, matrixBlocks: ['W1'], variant: 'pinv', check: false }, x0)
    : sgd.init({ lr, check: false }, x0);
  let spare = cloneState(state);
  const ws = mlpWorkspace(net, Math.max(batch, nTest));
  const grad = new Float64Array(net.size);
  const bx = new Float64Array(batch * n);
  const by = new Float64Array(batch);
  const bInput: MlpInput = { kind: 'dense', rows: batch, data: bx };
  const loss = halfSquaredError(by);
  const testInput: MlpInput = { kind: 'dense', rows: nTest, data: test.x };
  const nBatches = Math.floor(nTrain / batch);
  const curve: SparseParityResult['curve'] = [];
  let acc = 0;
  for (let epoch = 1; epoch <= cfg.maxEpochs; epoch++) {
    const perm = permutation(foldIn(kShuffle, epoch), nTrain);
    for (let b = 0; b < nBatches; b++) {
      for (let i = 0; i < batch; i++) {
        const r = perm[b * batch + i]!;
        bx.set(train.x.subarray(r * n, (r + 1) * n), i * n);
        by[i] = train.y[r]!;
      }
      mlpLossGrad(net, state.x, bInput, loss, grad, ws);
      addWeightDecay(net, state.x, grad, wd);
      const next = method.stepInto!(state, grad, spare);
      spare = state;
      state = next;
    }
    const out = mlpForward(net, state.x, testInput, ws).data;
    let correct = 0;
    for (let i = 0; i < nTest; i++) if (Math.sign(out[i]!) === test.y[i]) correct++;
    acc = correct / nTest;
    curve.push({ epoch, test: acc });
    if (acc >= cfg.target) return { epochs: epoch, ran: epoch, finalTestAccuracy: acc, curve };
  }
  return { epochs: null, ran: cfg.maxEpochs, finalTestAccuracy: acc, curve };
}
