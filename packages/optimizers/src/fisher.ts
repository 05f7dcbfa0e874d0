import { DescentError, assertFinite, assertLength, assertMatrix, assertVector, categorical, foldIn, type Key, type Matrix } from '@descent/linalg';
import { empiricalFisherData, type DampingMetric } from './fisher-solve.js';

/**
 * The empirical Fisher F̂ = ΓᵀΓ/N of per-sample gradients Γ (N×d, one sample's gradient per row).
 *
 * @example
 * ```ts
 * import { fromRows } from '@descent/linalg';
 * empiricalFisher(fromRows([[1, 0], [0, 2]])).data;
 * // Float64Array [0.5, 0, 0, 2]
 * ```
 */
export function empiricalFisher(perSample: Matrix): Matrix {
  assertMatrix(perSample, 'empiricalFisher', 'perSample');
  const d = perSample.cols;
  return { rows: d, cols: d, data: empiricalFisherData(perSample.data, perSample.rows, d) };
}

/**
 * One step of the diagonal EMA Fisher, out ← ρ·f + (1−ρ)·g⊙g (the RMSprop/Adam second moment),
 * written into `out` (which may alias `f`).
 *
 * @example
 * ```ts
 * diagonalFisherEmaInto(new Float64Array([1]), new Float64Array([2]), 0.5, new Float64Array(1));
 * // Float64Array [2.5]
 * ```
 */
export function diagonalFisherEmaInto(f: Float64Array, g: Float64Array, rho: number, out: Float64Array): Float64Array {
  const where = 'diagonalFisherEmaInto';
  assertVector(f, where, 'f');
  assertVector(out, where, 'out');
  assertLength(g, f.length, where, 'g');
  assertLength(out, f.length, where, 'out');
  if (typeof rho !== 'number' || !(rho >= 0 && rho < 1)) {
    throw new DescentError('INVALID_CONFIG', where, `rho must be in [0, 1), got ${String(rho)}`);
  }
  const c = 1 - rho;
  for (let i = 0; i < f.length; i++) {
    const gi = g[i]!;
    out[i] = rho * f[i]! + c * gi * gi;
  }
  return out;
}

/**
 * Numerically stable softmax p = exp(z − max z)/Σ exp(z − max z) of one logit vector.
 *
 * @example
 * ```ts
 * softmax(new Float64Array([0, 0]));
 * // Float64Array [0.5, 0.5]
 * ```
 */
export function softmax(logits: Float64Array): Float64Array {
  assertVector(logits, 'softmax', 'logits');
  if (logits.length === 0) throw new DescentError('SHAPE_MISMATCH', 'softmax', 'logits is empty');
  assertFinite(logits, 'softmax', 'logits');
  let m = -Infinity;
  for (let k = 0; k < logits.length; k++) if (logits[k]! > m) m = logits[k]!;
  const p = new Float64Array(logits.length);
  let s = 0;
  for (let k = 0; k < logits.length; k++) {
    const e = Math.exp(logits[k]! - m);
    p[k] = e;
    s += e;
  }
  for (let k = 0; k < p.length; k++) p[k] = p[k]! / s;
  return p;
}

function checkProbabilities(p: Float64Array, where: string): void {
  assertVector(p, where, 'p');
  if (p.length === 0) throw new DescentError('SHAPE_MISMATCH', where, 'p is empty');
  let s = 0;
  for (let k = 0; k < p.length; k++) {
    const v = p[k]!;
    if (!(v >= 0 && v <= 1)) throw new DescentError('DOMAIN', where, `p[${k}] = ${v} is not a probability`);
    s += v;
  }
  if (Math.abs(s - 1) > 1e-9) throw new DescentError('DOMAIN', where, `p sums to ${s}, expected 1`);
}

/**
 * The Fisher of a categorical softmax model in logit space, F = diag(p) − ppᵀ (K×K). It is singular:
 * F·1 = 0 because softmax is shift-invariant, so solve with damping or the pseudo-inverse
 * ({@link softmaxFisherPinvCrossEntropy}).
 *
 * @example
 * ```ts
 * softmaxFisher(new Float64Array([0.5, 0.5])).data;
 * // Float64Array [0.25, -0.25, -0.25, 0.25]
 * ```
 */
export function softmaxFisher(p: Float64Array): Matrix {
  checkProbabilities(p, 'softmaxFisher');
  const k = p.length;
  const data = new Float64Array(k * k);
  for (let i = 0; i < k; i++) {
    for (let j = 0; j < k; j++) data[i * k + j] = (i === j ? p[i]! : 0) - p[i]! * p[j]!;
  }
  return { rows: k, cols: k, data };
}

/**
 * The closed-form pseudo-inverse natural gradient of the cross-entropy in logit space: for
 * g = p − e_y, F⁺g = −(e_y − 1/K)/p_y, with F = diag(p) − ppᵀ and all p > 0. The result sums to zero
 * (it is orthogonal to F's null space, the all-ones vector).
 *
 * @example
 * ```ts
 * softmaxFisherPinvCrossEntropy(new Float64Array([0.5, 0.5]), 0);
 * // Float64Array [-1, 1]
 * ```
 */
export function softmaxFisherPinvCrossEntropy(p: Float64Array, y: number): Float64Array {
  const where = 'softmaxFisherPinvCrossEntropy';
  checkProbabilities(p, where);
  const k = p.length;
  if (!Number.isInteger(y) || y < 0 || y >= k) throw new DescentError('DOMAIN', where, `label y = ${y} is not in [0, ${k})`);
  const py = p[y]!;
  if (!(py > 0)) throw new DescentError('DOMAIN', where, `p[${y}] is 0: the pseudo-inverse step is unbounded`);
  const out = new Float64Array(k);
  const inv = 1 / py;
  for (let j = 0; j < k; j++) out[j] = (1 / k - (j === y ? 1 : 0)) * inv;
  return out;
}

/**
 * Solves the damped logit-space Fisher system (diag(p) − ppᵀ + λI)x = g in O(K) by Sherman–Morrison:
 * with D = diag(p + λ), x = D⁻¹g + D⁻¹p·(pᵀD⁻¹g)/(1 − pᵀD⁻¹p). λ > 0 keeps the denominator positive.
 *
 * @example
 * ```ts
 * softmaxFisherDampedSolve(new Float64Array([0.5, 0.5]), new Float64Array([1, -1]), 0.5);
 * // Float64Array [1, -1]
 * ```
 */
export function softmaxFisherDampedSolve(p: Float64Array, g: Float64Array, damping: number): Float64Array {
  const where = 'softmaxFisherDampedSolve';
  checkProbabilities(p, where);
  assertLength(g, p.length, where, 'g');
  assertFinite(g, where, 'g');
  if (typeof damping !== 'number' || !(damping > 0) || !Number.isFinite(damping)) {
    throw new DescentError('INVALID_CONFIG', where, `damping must be a finite positive number, got ${String(damping)}`);
  }
  const k = p.length;
  const x = new Float64Array(k);
  let pDg = 0;
  let pDp = 0;
  for (let j = 0; j < k; j++) {
    const dj = 1 / (p[j]! + damping);
    x[j] = g[j]! * dj;
    pDg += p[j]! * x[j]!;
    pDp += p[j]! * p[j]! * dj;
  }
  const c = pDg / (1 - pDp);
  for (let j = 0; j < k; j++) x[j] += (p[j]! / (p[j]! + damping)) * c;
  return x;
}

/**
 * The parameter-space Fisher of a softmax classifier, F_θ = (1/N)·Σ_i J_iᵀ(diag(p_i) − p_ip_iᵀ)J_i,
 * from the class probabilities `probs` (N×K) and the logit Jacobians stacked as `jacobians`
 * ((N·K)×d, rows iK..iK+K−1 hold ∂z_i/∂θ). This is the true Fisher (the expectation over y ∼ p), in
 * closed form, computed as Σ_k p_k·v_kv_kᵀ with v_k = J_iᵀ(e_k − p_i).
 *
 * @example
 * ```ts
 * import { fromRows } from '@descent/linalg';
 * // one sample, logits z = (θ, 0): J = [[1], [0]]
 * logitFisher(fromRows([[0.5, 0.5]]), fromRows([[1], [0]])).data;
 * // Float64Array [0.25]
 * ```
 */
export function logitFisher(probs: Matrix, jacobians: Matrix): Matrix {
  const where = 'logitFisher';
  assertMatrix(probs, where, 'probs');
  assertMatrix(jacobians, where, 'jacobians');
  const n = probs.rows;
  const k = probs.cols;
  const d = jacobians.cols;
  if (jacobians.rows !== n * k) {
    throw new DescentError('SHAPE_MISMATCH', where, `jacobians has ${jacobians.rows} rows, expected N·K = ${n * k}`);
  }
  const f = new Float64Array(d * d);
  const v = new Float64Array(d);
  const jd = jacobians.data;
  for (let i = 0; i < n; i++) {
    const p = probs.data.subarray(i * k, i * k + k);
    checkProbabilities(p, where);
    // Jᵀp once, then v_k = J_kᵀ-row − Jᵀp.
    const jp = new Float64Array(d);
    for (let r = 0; r < k; r++) {
      const pr = p[r]!;
      const row = (i * k + r) * d;
      for (let c = 0; c < d; c++) jp[c] += pr * jd[row + c]!;
    }
    for (let r = 0; r < k; r++) {
      const pr = p[r]!;
      if (pr === 0) continue;
      const row = (i * k + r) * d;
      for (let c = 0; c < d; c++) v[c] = jd[row + c]! - jp[c]!;
      for (let a = 0; a < d; a++) {
        const va = pr * v[a]!;
        if (va === 0) continue;
        const fa = a * d;
        for (let b = 0; b <= a; b++) f[fa + b] += va * v[b]!;
      }
    }
  }
  const inv = 1 / n;
  for (let a = 0; a < d; a++) {
    for (let b = 0; b <= a; b++) {
      const x = f[a * d + b]! * inv;
      f[a * d + b] = x;
      f[b * d + a] = x;
    }
  }
  return { rows: d, cols: d, data: f };
}

/**
 * The reparameterisation-consistent damping metric. If θ = Aφ (A invertible, d×d) and θ is damped
 * with metric M (identity by default), the φ-parameterisation must be damped with AᵀMA: then
 * (F_φ + λAᵀMA)⁻¹g_φ = A⁻¹(F_θ + λM)⁻¹g_θ and the damped natural-gradient step is the same step in
 * both parameterisations. Plain λI in both is not invariant.
 *
 * @example
 * ```ts
 * import { fromRows } from '@descent/linalg';
 * pullbackMetric(fromRows([[2, 0], [0, 1]])).data;
 * // Float64Array [4, 0, 0, 1]
 * ```
 */
export function pullbackMetric(a: Matrix, metric?: DampingMetric): Matrix {
  const where = 'pullbackMetric';
  assertMatrix(a, where, 'A');
  if (a.rows !== a.cols) throw new DescentError('SHAPE_MISMATCH', where, `A is ${a.rows}×${a.cols}, expected square`);
  const d = a.rows;
  const ad = a.data;
  // MA first (d×d), then Aᵀ(MA).
  const ma = new Float64Array(d * d);
  if (metric === undefined) {
    ma.set(ad);
  } else if (metric instanceof Float64Array) {
    assertLength(metric, d, where, 'metric');
    for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) ma[i * d + j] = metric[i]! * ad[i * d + j]!;
  } else {
    assertMatrix(metric, where, 'metric');
    if (metric.rows !== d || metric.cols !== d) throw new DescentError('SHAPE_MISMATCH', where, `metric is ${metric.rows}×${metric.cols}, expected ${d}×${d}`);
    const md = metric.data;
    for (let i = 0; i < d; i++) {
      for (let k = 0; k < d; k++) {
        const mik = md[i * d + k]!;
        if (mik === 0) continue;
        for (let j = 0; j < d; j++) ma[i * d + j] += mik * ad[k * d + j]!;
      }
    }
  }
  const out = new Float64Array(d * d);
  for (let k = 0; k < d; k++) {
    for (let i = 0; i < d; i++) {
      const aki = ad[k * d + i]!;
      if (aki === 0) continue;
      for (let j = 0; j < d; j++) out[i * d + j] += aki * ma[k * d + j]!;
    }
  }
  return { rows: d, cols: d, data: out };
}

/**
 * Draws one label per row of `probs` (N×K class probabilities), y_i ∼ p_i, row i from `foldIn(k, i)`.
 * Per-sample gradients of −log p(y_i|x_i) at these sampled labels, passed as `perSample` to the
 * empirical Fisher, give a Monte Carlo estimate of the true Fisher (whose expectation over the labels
 * is exact: E_y (p − e_y)(p − e_y)ᵀ = diag(p) − ppᵀ in logit space).
 *
 * @example
 * ```ts
 * import { fromRows, key } from '@descent/linalg';
 * sampleLabels(key(0), fromRows([[0, 1, 0], [1, 0, 0]]));
 * // Int32Array [1, 0]
 * ```
 */
export function sampleLabels(k: Key, probs: Matrix): Int32Array {
  const where = 'sampleLabels';
  assertMatrix(probs, where, 'probs');
  const n = probs.rows;
  const K = probs.cols;
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const p = probs.data.subarray(i * K, (i + 1) * K);
    checkProbabilities(p, where);
    out[i] = categorical(foldIn(k, i), p, 1)[0]!;
  }
  return out;
}
