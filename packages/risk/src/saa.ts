import { assertKnownKeys, assertVector, configKeys, DescentError } from '@descent/linalg';
import type { Distortion } from './distortion.js';
import { drmWeights } from './lstatistic.js';
import { projectInto, type Projection } from './projection.js';
import { stepSize, type StepSchedule } from './schedule.js';
import { sortFloat64 } from './sort.js';

/** Options of {@link sampleAverageOptimize}. */
export interface SampleAverageOptions {
  distortion: Distortion;
  /** Return scenarios R_j, row-major N×p; the loss of w in scenario j is −wᵀR_j. */
  scenarios: Float64Array;
  /** Constraint set (default none). */
  projection?: Projection;
  /** Subgradient iterations (default 500). */
  iterations?: number;
  /** Subgradient step a·(b/(b+k))^c (default a = 0.5, b = 10, c = 0.5: the O(1/√k) rate of nonsmooth convex problems). */
  step?: StepSchedule;
}

/**
 * The sample-average objective and a subgradient at w: ρ̂(w) = Σ_i ω_i X_(i)(w) with X_j = −wᵀR_j and the
 * L-statistic weights ω (exact DRM of the empirical law), ∂ρ̂ ∋ −Σ_i ω_i R_{π(i)} where π sorts the
 * losses. Convex in w when g is concave. O(N log N + Np).
 *
 * @example
 * ```ts
 * sampleAverageObjective(expectation(), new Float64Array([1, 2, 3, 4]), 2, new Float64Array([0.5, 0.5]), drmWeights(2, expectation())).value;
 * // -2.5
 * ```
 */
export function sampleAverageObjective(d: Distortion, scenarios: Float64Array, p: number, w: Float64Array, weightsIn?: Float64Array): { value: number; subgradient: Float64Array } {
  assertVector(scenarios, 'sampleAverageObjective', 'scenarios');
  assertVector(w, 'sampleAverageObjective', 'w');
  if (weightsIn !== undefined) assertVector(weightsIn, 'sampleAverageObjective', 'weights');
  const N = scenarios.length / p;
  if (!Number.isInteger(N) || N < 1) throw new DescentError('SHAPE_MISMATCH', 'sampleAverageObjective', `scenarios must be a non-empty N×${p} array, got ${scenarios.length} numbers`);
  if (w.length !== p) throw new DescentError('SHAPE_MISMATCH', 'sampleAverageObjective', `w has length ${w.length}, expected ${p}`);
  const weights = weightsIn ?? drmWeights(N, d);
  if (weights.length !== N) throw new DescentError('SHAPE_MISMATCH', 'sampleAverageObjective', `weights has length ${weights.length}, expected ${N}`);
  const losses = new Float64Array(N);
  for (let j = 0; j < N; j++) {
    let acc = 0;
    for (let r = 0; r < p; r++) acc -= w[r]! * scenarios[j * p + r]!;
    losses[j] = acc;
  }
  // Radix argsort: ties get an arbitrary (stable) order, which still yields a valid subgradient.
  const perm = new Int32Array(N);
  const sorted = sortFloat64(losses, new Float64Array(N), perm);
  let value = 0;
  const sub = new Float64Array(p);
  for (let i = 0; i < N; i++) {
    const om = weights[i]!;
    if (om === 0) continue;
    value += om * sorted[i]!;
    const j = perm[i]!;
    for (let r = 0; r < p; r++) sub[r] -= om * scenarios[j * p + r]!;
  }
  return { value, subgradient: sub };
}

/**
 * The sample-average (sort-based) baseline: minimise the exact empirical DRM of fixed scenarios by
 * projected subgradient descent, returning the best iterate. Every iteration sorts the N losses.
 *
 * @example
 * ```ts
 * const R = new Float64Array([1, 0, 0, 1, 2, -1, -1, 2]);
 * sampleAverageOptimize(new Float64Array([0.5, 0.5]), { distortion: expectation(), scenarios: R, projection: simplexSet() }).value;
 * // -0.5
 * ```
 */
export function sampleAverageOptimize(x0: Float64Array, options: SampleAverageOptions): { x: Float64Array; value: number; iterations: number } {
  assertKnownKeys(options, configKeys<SampleAverageOptions>()('distortion', 'scenarios', 'projection', 'iterations', 'step'), 'sampleAverageOptimize', 'options');
  assertVector(x0, 'sampleAverageOptimize', 'x0');
  const p = x0.length;
  const { distortion, scenarios } = options;
  assertVector(scenarios, 'sampleAverageOptimize', 'options.scenarios');
  const N = scenarios.length / p;
  if (!Number.isInteger(N) || N < 1) throw new DescentError('SHAPE_MISMATCH', 'sampleAverageOptimize', 'empty sample');
  for (let i = 0; i < scenarios.length; i++) if (scenarios[i]! - scenarios[i]! !== 0) throw new DescentError('NON_FINITE', 'sampleAverageOptimize', `scenarios[${Math.floor(i / p)}, ${i % p}] is ${scenarios[i]}`);
  const K = options.iterations ?? 500;
  const step = options.step ?? { a: 0.5, b: 10, c: 0.5 };
  if (!(step.a > 0 && step.b > 0 && step.c > 0 && step.c <= 1)) throw new DescentError('INVALID_CONFIG', 'sampleAverageOptimize', 'step needs a > 0, b > 0, c in (0, 1]');
  const projection = options.projection ?? { kind: 'none' };
  const weights = drmWeights(N, distortion);
  const w = projectInto(projection, x0, new Float64Array(p));
  let best = Float64Array.from(w);
  let bestValue = Infinity;
  for (let k = 0; k <= K; k++) {
    const { value, subgradient } = sampleAverageObjective(distortion, scenarios, p, w, weights);
    if (value < bestValue) {
      bestValue = value;
      best = Float64Array.from(w);
    }
    if (k === K) break;
    let norm = 0;
    for (let r = 0; r < p; r++) norm += subgradient[r]! ** 2;
    norm = Math.sqrt(norm) || 1;
    // normalised subgradient step: scale-free in the loss units
    const a = stepSize(step, k) / norm;
    for (let r = 0; r < p; r++) w[r] -= a * subgradient[r]!;
    projectInto(projection, w, w);
  }
  return { x: best, value: bestValue, iterations: K };
}
