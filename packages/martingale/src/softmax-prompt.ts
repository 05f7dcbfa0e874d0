import { DescentError, describeValue, type Matrix } from '@descent/linalg';

/**
 * The frozen softmax classifier of spec (e) with a learnable prompt π:
 * `'input'`: `p(y|x) = softmax(W (x + π) + b)`, π ∈ R^d (logit Jacobian J = W);
 * `'bias'`: `p(y|x) = softmax(W x + b + π)`, π ∈ R^K (J = I; the Fisher is singular, F·1 = 0).
 * W is K×d, row-major.
 */
export interface SoftmaxPromptModel {
  W: Matrix;
  b: Float64Array;
  prompt: 'input' | 'bias';
}

/** Unlabeled (entropy, information maximization) or labeled (cross-entropy) adaptation loss. */
export type PromptLoss = 'entropy' | 'infomax' | 'crossEntropy';

/**
 * The prompt's dimension: d for an input prompt, K for a bias prompt.
 *
 * @example
 * ```ts
 * promptDimension({ W: fromRows([[1, 0], [0, 1], [1, 1]]), b: new Float64Array(3), prompt: 'bias' });
 * // 3
 * ```
 */
export function promptDimension(model: SoftmaxPromptModel): number {
  checkModel(model, 'promptDimension');
  return model.prompt === 'input' ? model.W.cols : model.W.rows;
}

/**
 * Class probabilities (N×K) of the prompted model on the rows of X (N×d).
 *
 * @example
 * ```ts
 * const m = { W: fromRows([[1, 0], [-1, 0]]), b: new Float64Array(2), prompt: 'input' as const };
 * promptProbabilities(m, new Float64Array([0, 0]), fromRows([[0, 5]])).data;
 * // Float64Array [0.5, 0.5]
 * ```
 */
export function promptProbabilities(model: SoftmaxPromptModel, pi: Float64Array, X: Matrix): Matrix {
  checkInputs(model, pi, X, 'promptProbabilities');
  const K = model.W.rows;
  const out = new Float64Array(X.rows * K);
  const z = new Float64Array(K);
  for (let i = 0; i < X.rows; i++) {
    logitsInto(model, pi, X, i, z);
    softmaxInto(z, out, i * K);
  }
  return { rows: X.rows, cols: K, data: out };
}

/**
 * Accuracy of the prompted model's argmax predictions against integer labels.
 *
 * @example
 * ```ts
 * const m = { W: fromRows([[1, 0], [-1, 0]]), b: new Float64Array(2), prompt: 'input' as const };
 * promptAccuracy(m, new Float64Array(2), fromRows([[1, 0], [-1, 0]]), [0, 0]);
 * // 0.5
 * ```
 */
export function promptAccuracy(model: SoftmaxPromptModel, pi: Float64Array, X: Matrix, labels: ArrayLike<number>): number {
  const P = promptProbabilities(model, pi, X);
  if (labels === null || typeof labels !== 'object' || typeof (labels as { length?: unknown }).length !== 'number') {
    throw new DescentError('SHAPE_MISMATCH', 'promptAccuracy', `labels must be an array of class indices, got ${describeValue(labels)}`);
  }
  if (labels.length !== X.rows) throw new DescentError('SHAPE_MISMATCH', 'promptAccuracy', `labels has length ${labels.length}, expected ${X.rows}`);
  let hit = 0;
  const K = P.cols;
  for (let i = 0; i < P.rows; i++) {
    let best = 0;
    for (let k = 1; k < K; k++) if (P.data[i * K + k]! > P.data[i * K + best]!) best = k;
    if (best === labels[i]) hit++;
  }
  return P.rows === 0 ? NaN : hit / P.rows;
}

/**
 * The adaptation loss and its gradient in π, averaged over the rows of X:
 * entropy `mean H(p_x)` (logit gradient `-A_x log p_x`, A_x = diag(p_x) - p_x p_xᵀ);
 * information maximization `mean H(p_x) - H(mean p_x)` (adds `A_x log p̄`; avoids the collapse of plain
 * entropy minimization); cross-entropy `mean -log p_y` (labels required). The gradient is
 * `Jᵀ mean_x ∂L/∂z_x`.
 *
 * @example
 * ```ts
 * const m = { W: fromRows([[1, 0], [-1, 0]]), b: new Float64Array(2), prompt: 'bias' as const };
 * promptLoss(m, new Float64Array(2), fromRows([[0, 0]]), 'entropy').value === Math.LN2;
 * // true
 * ```
 */
export function promptLoss(model: SoftmaxPromptModel, pi: Float64Array, X: Matrix, loss: PromptLoss, labels?: ArrayLike<number>): { value: number; grad: Float64Array } {
  const where = 'promptLoss';
  checkInputs(model, pi, X, where);
  if (X.rows === 0) throw new DescentError('SHAPE_MISMATCH', where, 'X has no rows');
  if (loss !== 'entropy' && loss !== 'infomax' && loss !== 'crossEntropy') throw new DescentError('INVALID_CONFIG', where, `unknown loss ${String(loss)}`);
  if (loss === 'crossEntropy') {
    if (!labels || labels.length !== X.rows) throw new DescentError('SHAPE_MISMATCH', where, 'crossEntropy needs one label per row of X');
  }
  const K = model.W.rows;
  const N = X.rows;
  const P = promptProbabilities(model, pi, X).data;
  const gz = new Float64Array(K); // Σ_x ∂L/∂z_x, mean taken at the end
  const lp = new Float64Array(K);
  let value = 0;
  const pbar = new Float64Array(K);
  for (let i = 0; i < N; i++) for (let k = 0; k < K; k++) pbar[k] += P[i * K + k]! / N;
  const logPbar = Float64Array.from(pbar, (v) => (v > 0 ? Math.log(v) : -745));
  for (let i = 0; i < N; i++) {
    const o = i * K;
    if (loss === 'crossEntropy') {
      const y = labels![i]!;
      if (!(Number.isInteger(y) && y >= 0 && y < K)) throw new DescentError('DOMAIN', where, `labels[${i}] = ${y} is not a class index`);
      value -= Math.log(Math.max(P[o + y]!, 1e-300));
      for (let k = 0; k < K; k++) gz[k] += P[o + k]! - (k === y ? 1 : 0);
      continue;
    }
    // entropy part: H = -Σ p log p, ∂H/∂z = -A log p = -p ⊙ (log p - Σ p log p)
    let plogp = 0;
    for (let k = 0; k < K; k++) {
      const p = P[o + k]!;
      lp[k] = p > 0 ? Math.log(p) : -745;
      plogp += p * lp[k]!;
    }
    value -= plogp;
    for (let k = 0; k < K; k++) gz[k] -= P[o + k]! * (lp[k]! - plogp);
    if (loss === 'infomax') {
      // -H(p̄): ∂/∂z_x = A_x log p̄ / N (the 1/N is applied with the mean below)
      let plp = 0;
      for (let k = 0; k < K; k++) plp += P[o + k]! * logPbar[k]!;
      for (let k = 0; k < K; k++) gz[k] += P[o + k]! * (logPbar[k]! - plp);
    }
  }
  value /= N;
  if (loss === 'infomax') {
    let h = 0;
    for (let k = 0; k < K; k++) if (pbar[k]! > 0) h -= pbar[k]! * Math.log(pbar[k]!);
    value -= h;
  }
  for (let k = 0; k < K; k++) gz[k] = gz[k]! / N;
  return { value, grad: pullBack(model, gz) };
}

/**
 * The Fisher information of the prompt, `F = (1/N) Σ_x J_xᵀ (diag(p_x) - p_x p_xᵀ) J_x` (the model
 * expectation over y, not the empirical Fisher): `Wᵀ Ā W` for an input prompt, `Ā` for a bias prompt
 * (singular: F·1 = 0). Symmetric PSD. `0.5 δᵀFδ ≈ mean_x KL(p_π || p_{π+δ})` for small δ.
 *
 * @example
 * ```ts
 * const m = { W: fromRows([[1, 0], [-1, 0]]), b: new Float64Array(2), prompt: 'bias' as const };
 * promptFisher(m, new Float64Array(2), fromRows([[0, 0]])).data;
 * // Float64Array [0.25, -0.25, -0.25, 0.25]
 * ```
 */
export function promptFisher(model: SoftmaxPromptModel, pi: Float64Array, X: Matrix): Matrix {
  checkInputs(model, pi, X, 'promptFisher');
  if (X.rows === 0) throw new DescentError('SHAPE_MISMATCH', 'promptFisher', 'X has no rows');
  const K = model.W.rows;
  const N = X.rows;
  const P = promptProbabilities(model, pi, X).data;
  const A = new Float64Array(K * K); // mean_x diag(p) - p pᵀ
  for (let i = 0; i < N; i++) {
    const o = i * K;
    for (let a = 0; a < K; a++) {
      const pa = P[o + a]!;
      A[a * K + a] += pa / N;
      for (let c = 0; c < K; c++) A[a * K + c] -= (pa * P[o + c]!) / N;
    }
  }
  if (model.prompt === 'bias') return { rows: K, cols: K, data: A };
  const d = model.W.cols;
  const W = model.W.data;
  const F = new Float64Array(d * d);
  for (let r = 0; r < d; r++) {
    for (let c = r; c < d; c++) {
      let s = 0;
      for (let a = 0; a < K; a++) {
        const war = W[a * d + r]!;
        if (war === 0) continue;
        for (let e = 0; e < K; e++) s += war * A[a * K + e]! * W[e * d + c]!;
      }
      F[r * d + c] = s;
      F[c * d + r] = s;
    }
  }
  return { rows: d, cols: d, data: F };
}

/**
 * Mean KL divergence `mean_x KL(p_π(·|x) || p_{π+δ}(·|x))` between the model at two prompts (the
 * quantity the natural-gradient step bounds to second order).
 *
 * @example
 * ```ts
 * const m = { W: fromRows([[1, 0], [-1, 0]]), b: new Float64Array(2), prompt: 'bias' as const };
 * promptKl(m, new Float64Array(2), new Float64Array(2), fromRows([[0, 0]]));
 * // 0
 * ```
 */
export function promptKl(model: SoftmaxPromptModel, pi: Float64Array, pi2: Float64Array, X: Matrix): number {
  const P = promptProbabilities(model, pi, X).data;
  const Q = promptProbabilities(model, pi2, X).data;
  let kl = 0;
  for (let i = 0; i < P.length; i++) if (P[i]! > 0) kl += P[i]! * (Math.log(P[i]!) - Math.log(Q[i]!));
  return kl / X.rows;
}

function pullBack(model: SoftmaxPromptModel, gz: Float64Array): Float64Array {
  if (model.prompt === 'bias') return gz;
  const { rows: K, cols: d, data: W } = model.W;
  const g = new Float64Array(d);
  for (let a = 0; a < K; a++) for (let c = 0; c < d; c++) g[c] += W[a * d + c]! * gz[a]!;
  return g;
}

function logitsInto(model: SoftmaxPromptModel, pi: Float64Array, X: Matrix, i: number, z: Float64Array): void {
  const { rows: K, cols: d, data: W } = model.W;
  const x = X.data;
  for (let a = 0; a < K; a++) {
    let s = model.b[a]!;
    for (let c = 0; c < d; c++) s += W[a * d + c]! * (x[i * d + c]! + (model.prompt === 'input' ? pi[c]! : 0));
    z[a] = model.prompt === 'bias' ? s + pi[a]! : s;
  }
}

function softmaxInto(z: Float64Array, out: Float64Array, offset: number): void {
  let m = -Infinity;
  for (let k = 0; k < z.length; k++) if (z[k]! > m) m = z[k]!;
  let s = 0;
  for (let k = 0; k < z.length; k++) {
    const e = Math.exp(z[k]! - m);
    out[offset + k] = e;
    s += e;
  }
  for (let k = 0; k < z.length; k++) out[offset + k] = out[offset + k]! / s;
}

function checkModel(model: SoftmaxPromptModel, where: string): void {
  if (!model || !model.W || !(model.W.data instanceof Float64Array) || model.W.data.length !== model.W.rows * model.W.cols || model.W.rows < 2) {
    throw new DescentError('SHAPE_MISMATCH', where, 'model.W must be a K×d Matrix with K >= 2');
  }
  if (!(model.b instanceof Float64Array) || model.b.length !== model.W.rows) throw new DescentError('SHAPE_MISMATCH', where, `model.b must have length K = ${model.W.rows}`);
  if (model.prompt !== 'input' && model.prompt !== 'bias') throw new DescentError('INVALID_CONFIG', where, `model.prompt must be 'input' or 'bias', got ${String(model.prompt)}`);
  for (const v of model.W.data) if (v - v !== 0) throw new DescentError('NON_FINITE', where, 'model.W has a non-finite entry');
  for (const v of model.b) if (v - v !== 0) throw new DescentError('NON_FINITE', where, 'model.b has a non-finite entry');
}

function checkInputs(model: SoftmaxPromptModel, pi: Float64Array, X: Matrix, where: string): void {
  checkModel(model, where);
  const dim = model.prompt === 'input' ? model.W.cols : model.W.rows;
  if (!(pi instanceof Float64Array) || pi.length !== dim) throw new DescentError('SHAPE_MISMATCH', where, `prompt has length ${pi?.length}, expected ${dim}`);
  for (let i = 0; i < pi.length; i++) if (pi[i]! - pi[i]! !== 0) throw new DescentError('NON_FINITE', where, `prompt[${i}] is ${pi[i]}`);
  if (!X || !(X.data instanceof Float64Array) || X.cols !== model.W.cols || X.data.length !== X.rows * X.cols) {
    throw new DescentError('SHAPE_MISMATCH', where, `X must be N×${model.W.cols}`);
  }
  for (let i = 0; i < X.data.length; i++) if (X.data[i]! - X.data[i]! !== 0) throw new DescentError('NON_FINITE', where, `X entry ${i} is ${X.data[i]}`);
}
