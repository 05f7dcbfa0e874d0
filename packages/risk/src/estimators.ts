import { assertKnownKeys, assertNumber, configKeys, DescentError } from '@descent/linalg';
import { assertDistortion } from './check-distortion.js';
import { checkCount, checkFiniteResult, checkFunction, checkSample } from './check-args.js';
import type { Distortion } from './distortion.js';
import { buildQuantileGrid, type TailRule } from './grid.js';
import type { DrmSample } from './sa.js';

/**
 * The QF-form gradient estimator on one batch with given quantiles (no tracking): the quantity the
 * QF recursion averages, Ĝ = −Σ_i a_i Δq_i (1/n)Σ_j(1{X_j ≤ q̄_i} − z̄_i)ψ_j + T̂ on the grid of
 * {@link quantileGrid}. With exact quantiles its mean is the gradient of the grid-discretised DRM
 * (the tail rule `'cvar'` makes the tails exact). O(n log M) by suffix sums over the cells.
 *
 * @example
 * ```ts
 * const m = linearGaussianModel(new Float64Array([1, 2]), new Float64Array([1, 0, 0, 1]));
 * const w = new Float64Array([0.5, 0.5]);
 * qfGradient(expectation(), sampleModel(m, w, key(0), 100000), (u) => -1.5 + normalPpf(u) * Math.SQRT1_2, 2).length;
 * // 2
 * ```
 */
export function qfGradient(
  d: Distortion,
  sample: DrmSample,
  quantile: (u: number) => number,
  p: number,
  options: { M?: number; gridPow?: number; tailRule?: TailRule } = {},
): Float64Array {
  const where = 'qfGradient';
  assertDistortion(d, where);
  checkCount(p, where, 'p');
  const n = checkSample(sample, p, where);
  checkFunction(quantile, where, 'quantile');
  assertKnownKeys(options, configKeys<{ M?: number; gridPow?: number; tailRule?: TailRule }>()('M', 'gridPow', 'tailRule'), where, 'options');
  const tailRule = options.tailRule ?? 'cvar';
  if (tailRule !== 'cvar' && tailRule !== 'extrapolate') throw new DescentError('INVALID_CONFIG', where, `options.tailRule must be cvar | extrapolate, got ${String(tailRule)}`);
  const grid = buildQuantileGrid(d, 'qf', { M: options.M, gridPow: options.gridPow }, where);
  const M = grid.M;
  const q = Array.from(grid.z, (u) => quantile(u));
  const qbar = Array.from(grid.zbar, (u) => quantile(u));
  // The binary search below needs finite, non-decreasing quantiles.
  for (let i = 0; i <= M; i++) {
    const v = q[i]!;
    if (typeof v !== 'number' || v - v !== 0) throw new DescentError('NON_FINITE', where, `quantile(${grid.z[i]}) is ${String(v)}`);
    if (i > 0 && v < q[i - 1]!) throw new DescentError('DOMAIN', where, `quantile must be non-decreasing: quantile(${grid.z[i]}) = ${v} < quantile(${grid.z[i - 1]}) = ${q[i - 1]}`);
  }
  for (let i = 0; i < M; i++) {
    const v = qbar[i]!;
    if (typeof v !== 'number' || v - v !== 0) throw new DescentError('NON_FINITE', where, `quantile(${grid.zbar[i]}) is ${String(v)}`);
    if (i > 0 && v < qbar[i - 1]!) throw new DescentError('DOMAIN', where, `quantile must be non-decreasing at level ${grid.zbar[i]}`);
  }
  // coef_i = a_i Δq_i; suffix[i] = Σ_{i' ≥ i} coef_i'; zsum = Σ coef_i z̄_i.
  const coef = new Float64Array(M);
  let zsum = 0;
  for (let i = 0; i < M; i++) {
    coef[i] = grid.a[i]! * (q[i + 1]! - q[i]!);
    zsum += coef[i]! * grid.zbar[i]!;
  }
  const suffix = new Float64Array(M + 1);
  for (let i = M - 1; i >= 0; i--) suffix[i] = suffix[i + 1]! + coef[i]!;
  const G = new Float64Array(p);
  const tail = tailRule === 'cvar';
  for (let j = 0; j < n; j++) {
    const xv = sample.x[j]!;
    // first cell whose q̄ ≥ X_j
    let lo = 0;
    let hi = M;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (qbar[mid]! >= xv) hi = mid;
      else lo = mid + 1;
    }
    let m = -(suffix[lo]! - zsum);
    if (tail) {
      if (xv > q[M]!) m += grid.sTop * (xv - q[M]!);
      else if (xv < q[0]!) m -= grid.sBot * (q[0]! - xv);
    }
    for (let r = 0; r < p; r++) G[r] += m * sample.psi[j * p + r]!;
  }
  for (let r = 0; r < p; r++) G[r] /= n;
  checkFiniteResult(G, where, 'the gradient estimate');
  return G;
}

/**
 * The DM-form building block on one batch: the quantile gradient ∇θq_u = −∇θF(q_u)/f(q_u) with
 * ∇F estimated by (1/n)Σ(1{X ≤ q_u} − u)ψ (GLR) and f by a logistic-kernel KDE at bandwidth h.
 *
 * @example
 * ```ts
 * const m = linearGaussianModel(new Float64Array([1]), new Float64Array([1]));
 * dmQuantileGradient(sampleModel(m, new Float64Array([1]), key(0), 1000), 0.5, -1, 0.1, 1).gradient.length;
 * // 1
 * ```
 */
export function dmQuantileGradient(sample: DrmSample, level: number, quantile: number, bandwidth: number, p: number): { gradient: Float64Array; density: number } {
  const where = 'dmQuantileGradient';
  checkCount(p, where, 'p');
  const n = checkSample(sample, p, where);
  if (typeof level !== 'number' || !(level > 0 && level < 1)) throw new DescentError('DOMAIN', where, `level must be in (0, 1), got ${String(level)}`);
  assertNumber(quantile, where, 'quantile');
  if (typeof bandwidth !== 'number' || !(bandwidth > 0) || bandwidth === Infinity) throw new DescentError('INVALID_CONFIG', where, `bandwidth must be a finite number > 0, got ${String(bandwidth)}`);
  const H = new Float64Array(p);
  let f = 0;
  for (let j = 0; j < n; j++) {
    const xv = sample.x[j]!;
    const e = Math.exp(-Math.abs((quantile - xv) / bandwidth));
    f += e / ((1 + e) * (1 + e));
    const ind = (xv <= quantile ? 1 : 0) - level;
    for (let r = 0; r < p; r++) H[r] += ind * sample.psi[j * p + r]!;
  }
  f /= n * bandwidth;
  // The kernel underflows far from every draw: the density estimate is 0 and D = −H/f undefined.
  if (!(f > 0)) throw new DescentError('DOMAIN', where, `the density estimate at quantile ${quantile} is ${f}: the bandwidth ${bandwidth} is too small for this sample`);
  const g = new Float64Array(p);
  for (let r = 0; r < p; r++) g[r] = -H[r]! / n / f;
  checkFiniteResult(g, where, 'the quantile gradient');
  return { gradient: g, density: f };
}
