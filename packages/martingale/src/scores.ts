import { DescentError, type Matrix, assertArrayLike } from '@descent/linalg';

// Non-conformity scores (spec (a)): larger = stranger. Each takes an N×K matrix of class probabilities
// (rows summing to one) or N×d features and returns N scores.

/**
 * Label-free `1 - max_k p_k` per row. Warning (spec (a)): confidence scores can be blind to covariate
 * shift that moves points away from decision boundaries.
 *
 * @example
 * ```ts
 * oneMinusMaxProbability(fromRows([[0.7, 0.2, 0.1]]))[0].toFixed(2);
 * // '0.30'
 * ```
 */
export function oneMinusMaxProbability(probs: Matrix): Float64Array {
  checkProbs(probs, 'oneMinusMaxProbability');
  const { rows, cols, data } = probs;
  const out = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    let m = 0;
    for (let k = 0; k < cols; k++) if (data[i * cols + k]! > m) m = data[i * cols + k]!;
    out[i] = 1 - m;
  }
  return out;
}

/**
 * Label-free `-log max_k p_k` per row.
 *
 * @example
 * ```ts
 * negLogMaxProbability(fromRows([[0.5, 0.5]]))[0] === Math.LN2;
 * // true
 * ```
 */
export function negLogMaxProbability(probs: Matrix): Float64Array {
  checkProbs(probs, 'negLogMaxProbability');
  const { rows, cols, data } = probs;
  const out = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    let m = 0;
    for (let k = 0; k < cols; k++) if (data[i * cols + k]! > m) m = data[i * cols + k]!;
    out[i] = -Math.log(m);
  }
  return out;
}

/**
 * Predictive entropy `-Σ_k p_k log p_k` per row (0 log 0 = 0).
 *
 * @example
 * ```ts
 * entropyScore(fromRows([[0.5, 0.5]]))[0] === Math.LN2;
 * // true
 * ```
 */
export function entropyScore(probs: Matrix): Float64Array {
  checkProbs(probs, 'entropyScore');
  const { rows, cols, data } = probs;
  const out = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    let h = 0;
    for (let k = 0; k < cols; k++) {
      const p = data[i * cols + k]!;
      if (p > 0) h -= p * Math.log(p);
    }
    out[i] = h;
  }
  return out;
}

/**
 * Label-aware `-log p_y` per row (Infinity when p_y = 0 would be a silent overflow, so it throws
 * `DOMAIN` instead).
 *
 * @example
 * ```ts
 * negLogLabelProbability(fromRows([[0.25, 0.75]]), new Int32Array([1]))[0].toFixed(4);
 * // '0.2877'
 * ```
 */
export function negLogLabelProbability(probs: Matrix, labels: ArrayLike<number>): Float64Array {
  assertArrayLike(labels, 'negLogLabelProbability', 'labels');
  checkProbs(probs, 'negLogLabelProbability');
  const { rows, cols, data } = probs;
  if (labels.length !== rows) throw new DescentError('SHAPE_MISMATCH', 'negLogLabelProbability', `labels has length ${labels.length}, expected ${rows}`);
  const out = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    const y = labels[i]!;
    if (!(Number.isInteger(y) && y >= 0 && y < cols)) throw new DescentError('DOMAIN', 'negLogLabelProbability', `labels[${i}] = ${y} is not a class index in [0, ${cols})`);
    const p = data[i * cols + y]!;
    if (!(p > 0)) throw new DescentError('DOMAIN', 'negLogLabelProbability', `p[${i}, ${y}] = ${p}: the score -log p is infinite`);
    out[i] = -Math.log(p);
  }
  return out;
}

/**
 * Feature-space score `min_k ||φ(x) - μ_k||²` per row of `features` (N×d) against class means
 * `means` (K×d). In the M-FISHER toy this score detects the covariate shift that confidence scores miss.
 *
 * @example
 * ```ts
 * nearestMeanDistance(fromRows([[1, 1]]), fromRows([[0, 0], [1, 2]]))[0];
 * // 1
 * ```
 */
export function nearestMeanDistance(features: Matrix, means: Matrix): Float64Array {
  checkFinite(features, 'nearestMeanDistance', 'features');
  checkFinite(means, 'nearestMeanDistance', 'means');
  if (features.cols !== means.cols) throw new DescentError('SHAPE_MISMATCH', 'nearestMeanDistance', `features has ${features.cols} columns but means has ${means.cols}`);
  if (means.rows === 0) throw new DescentError('SHAPE_MISMATCH', 'nearestMeanDistance', 'means is empty');
  const d = features.cols;
  const out = new Float64Array(features.rows);
  for (let i = 0; i < features.rows; i++) {
    let best = Infinity;
    for (let k = 0; k < means.rows; k++) {
      let s = 0;
      for (let j = 0; j < d; j++) {
        const v = features.data[i * d + j]! - means.data[k * d + j]!;
        s += v * v;
      }
      if (s < best) best = s;
    }
    out[i] = best;
  }
  return out;
}

/**
 * Squared Mahalanobis distance `(φ - μ)ᵀ P (φ - μ)` per row, with `precision` P (d×d, symmetric PSD,
 * e.g. the inverse of a pooled covariance).
 *
 * @example
 * ```ts
 * mahalanobisDistance(fromRows([[2, 0]]), new Float64Array([0, 0]), fromRows([[0.25, 0], [0, 1]]))[0];
 * // 1
 * ```
 */
export function mahalanobisDistance(features: Matrix, mean: Float64Array, precision: Matrix): Float64Array {
  assertArrayLike(mean, 'mahalanobisDistance', 'mean');
  checkFinite(features, 'mahalanobisDistance', 'features');
  checkFinite(precision, 'mahalanobisDistance', 'precision');
  const d = features.cols;
  if (mean.length !== d) throw new DescentError('SHAPE_MISMATCH', 'mahalanobisDistance', `mean has length ${mean.length}, expected ${d}`);
  if (precision.rows !== d || precision.cols !== d) throw new DescentError('SHAPE_MISMATCH', 'mahalanobisDistance', `precision is ${precision.rows}×${precision.cols}, expected ${d}×${d}`);
  const out = new Float64Array(features.rows);
  const diff = new Float64Array(d);
  for (let i = 0; i < features.rows; i++) {
    for (let j = 0; j < d; j++) diff[j] = features.data[i * d + j]! - mean[j]!;
    let s = 0;
    for (let a = 0; a < d; a++) {
      let r = 0;
      for (let b = 0; b < d; b++) r += precision.data[a * d + b]! * diff[b]!;
      s += diff[a]! * r;
    }
    out[i] = s;
  }
  return out;
}

function checkFinite(a: Matrix, where: string, what: string): void {
  if (!a || !(a.data instanceof Float64Array) || a.data.length !== a.rows * a.cols) throw new DescentError('SHAPE_MISMATCH', where, `${what} is not a Matrix`);
  for (let i = 0; i < a.data.length; i++) {
    const v = a.data[i]!;
    if (v - v !== 0) throw new DescentError('NON_FINITE', where, `${what} entry ${i} is ${v}`);
  }
}

function checkProbs(p: Matrix, where: string): void {
  checkFinite(p, where, 'probs');
  if (p.cols === 0) throw new DescentError('SHAPE_MISMATCH', where, 'probs has no classes');
  for (let i = 0; i < p.data.length; i++) {
    const v = p.data[i]!;
    if (!(v >= 0 && v <= 1)) throw new DescentError('DOMAIN', where, `probability entry ${i} = ${v} is outside [0, 1]`);
  }
}
