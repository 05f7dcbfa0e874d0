import { assertKnownKeys, DescentError, type Key, foldIn, key as makeKey, normal } from '@descent/linalg';
import type { Objective } from './objective.js';
import { Status, type StatusCode } from './status.js';
import { requireFiniteVector, requireInteger, requirePositive, requireStepSize, requireObjective, requireOptions, requireF64 } from './validate.js';

/** A Hessian-vector oracle: writes H·v into out and returns it. */
export type Hvp = (vec: Float64Array, out: Float64Array) => Float64Array;

/** Result of a sharpness computation. */
export interface SharpnessResult {
  /** λ_max(∇²L). */
  readonly value: number;
  /** Its (approximate) unit eigenvector. */
  readonly vector: Float64Array;
  /** Power iterations used (both phases). */
  readonly iterations: number;
  /** Whether the Rayleigh quotient met the tolerance. */
  readonly converged: boolean;
}

function power(hvp: Hvp, v: Float64Array, shift: number, tol: number, maxIter: number): { rho: number; it: number; ok: boolean } {
  const dim = v.length;
  const w = new Float64Array(dim);
  let rho = NaN;
  for (let it = 1; it <= maxIter; it++) {
    hvp(v, w);
    let num = 0;
    let nn = 0;
    for (let i = 0; i < dim; i++) {
      w[i] = w[i]! + shift * v[i]!;
      num += v[i]! * w[i]!;
      nn += w[i]! * w[i]!;
    }
    const norm = Math.sqrt(nn);
    if (!Number.isFinite(norm)) throw new DescentError('NON_FINITE', 'sharpness', 'the Hessian-vector product returned a non-finite value');
    if (norm === 0) return { rho: num, it, ok: true };
    for (let i = 0; i < dim; i++) v[i] = w[i]! / norm;
    if (Math.abs(num - rho) <= tol * Math.max(1, Math.abs(num))) return { rho: num, it, ok: true };
    rho = num;
  }
  return { rho, it: maxIter, ok: false };
}

/**
 * Sharpness λ_max of a symmetric operator given by a Hessian-vector oracle, by power iteration on the
 * shifted operator H + cI (spec §h). Without a `shift`, a first power iteration finds the eigenvalue of
 * largest modulus μ, then c = |μ| makes the spectrum of H + cI nonnegative, so the second iteration
 * converges to λ_max even when λ_min is larger in modulus (plain power iteration would oscillate there).
 * Stops when the Rayleigh quotient changes by ≤ tol·max(1, |ρ|). The start vector is a seeded Gaussian.
 *
 * @example
 * ```ts
 * const h = new Float64Array([3, -5, 1]);
 * sharpness((v, o) => { for (let i = 0; i < 3; i++) o[i] = h[i]! * v[i]!; return o; }, 3).value.toFixed(6);
 * // '3.000000'
 * ```
 */
export function sharpness(
  hvp: Hvp,
  dim: number,
  options: { key?: Key; shift?: number; tol?: number; maxIter?: number } = {},
): SharpnessResult {
  const where = 'sharpness';
  if (typeof hvp !== 'function') throw new DescentError('INVALID_CONFIG', where, 'hvp must be a function (vec, out) => out');
  options = requireOptions(options, where);
  assertKnownKeys(options, ['key', 'shift', 'tol', 'maxIter'], where, 'options');
  requireInteger(dim, 1, where, 'dim');
  const tol = requirePositive(options.tol ?? 1e-12, where, 'tol');
  const maxIter = requireInteger(options.maxIter ?? 1000, 1, where, 'maxIter');
  const v = normal(options.key ?? makeKey(0), dim);
  let nn = 0;
  for (let i = 0; i < dim; i++) nn += v[i]! * v[i]!;
  for (let i = 0; i < dim; i++) v[i] = v[i]! / Math.sqrt(nn);
  let iterations = 0;
  let shift = options.shift;
  if (shift === undefined) {
    const first = power(hvp, Float64Array.from(v), 0, Math.max(tol, 1e-6), maxIter);
    iterations += first.it;
    // Any c ≥ |λ_min| works; |μ| ≥ |λ_min| up to the first phase's accuracy, pad by 1%.
    shift = Number.isFinite(first.rho) ? Math.abs(first.rho) * 1.01 : 0;
  } else if (!Number.isFinite(shift)) {
    throw new DescentError('NON_FINITE', where, `shift must be finite, got ${shift}`);
  }
  const second = power(hvp, v, shift, tol, maxIter);
  iterations += second.it;
  return { value: second.rho - shift, vector: v, iterations, converged: second.ok };
}

/**
 * A central-difference Hessian-vector oracle from a gradient, (∇L(θ+hv) − ∇L(θ−hv))/(2h) with
 * h = 1e-5·(1+‖θ‖)/‖v‖: the edge-of-stability tools for a loss with a gradient only.
 *
 * @example
 * ```ts
 * const hvp = finiteDifferenceHvp((t, o) => { o[0] = 2 * t[0]!; return o; }, new Float64Array([1]));
 * hvp(new Float64Array([1]), new Float64Array(1))[0]!.toFixed(6);
 * // '2.000000'
 * ```
 */
export function finiteDifferenceHvp(gradInto: (theta: Float64Array, out: Float64Array) => Float64Array, theta: Float64Array): Hvp {
  if (typeof gradInto !== 'function') throw new DescentError('INVALID_CONFIG', 'finiteDifferenceHvp', 'gradInto must be a function (theta, out) => out');
  requireF64(theta, 'finiteDifferenceHvp', 'theta');
  requireFiniteVector(theta, 'finiteDifferenceHvp', 'theta');
  const dim = theta.length;
  const tp = new Float64Array(dim);
  const tm = new Float64Array(dim);
  const gp = new Float64Array(dim);
  const gm = new Float64Array(dim);
  let tn = 0;
  for (let i = 0; i < dim; i++) tn += theta[i]! * theta[i]!;
  tn = Math.sqrt(tn);
  return (vec, out) => {
    let vn = 0;
    for (let i = 0; i < dim; i++) vn += vec[i]! * vec[i]!;
    vn = Math.sqrt(vn);
    if (vn === 0) return out.fill(0);
    const h = (1e-5 * (1 + tn)) / vn;
    for (let i = 0; i < dim; i++) {
      tp[i] = theta[i]! + h * vec[i]!;
      tm[i] = theta[i]! - h * vec[i]!;
    }
    gradInto(tp, gp);
    gradInto(tm, gm);
    for (let i = 0; i < dim; i++) out[i] = (gp[i]! - gm[i]!) / (2 * h);
    return out;
  };
}

/**
 * Sharpness of an {@link Objective} at θ with its exact HVP.
 *
 * @example
 * ```ts
 * // At a minimizer of ½(uv − 1)², the sharpness is u² + v².
 * objectiveSharpness(scalarVectorObjective({ y: 1 }), new Float64Array([2, 0.5])).value.toFixed(6);
 * // '4.250000'
 * ```
 */
export function objectiveSharpness(objective: Objective, theta: Float64Array, options: { key?: Key; shift?: number; tol?: number; maxIter?: number } = {}): SharpnessResult {
  requireObjective(objective, 'objectiveSharpness');
  requireF64(theta, 'objectiveSharpness', 'theta');
  assertKnownKeys(options, ['key', 'shift', 'tol', 'maxIter'], 'objectiveSharpness', 'options');
  if (theta.length !== objective.dim) throw new DescentError('SHAPE_MISMATCH', 'objectiveSharpness', `theta must have length ${objective.dim}`);
  requireFiniteVector(theta, 'objectiveSharpness', 'theta');
  return sharpness((v, o) => objective.hvpInto(theta, v, o), objective.dim, options);
}

/** The edge-of-stability trace of one GD run. */
export interface SharpnessTrace {
  /** Steps at which sharpness was measured. */
  readonly t: Int32Array;
  /** Loss at those steps. */
  readonly loss: Float64Array;
  /** Sharpness λ_max(∇²L(θ_t)). */
  readonly sharpness: Float64Array;
  /** The stability threshold 2/η of GD. */
  readonly twoOverEta: number;
  /** Whether sharpness stayed above 2/η for ≥ `consecutive` measurements while the loss stayed bounded. */
  readonly edgeOfStability: boolean;
  /** First step of that stretch (−1 if none). */
  readonly eosStart: number;
  /**
   * Mean of η·S/2 over the last `consecutive` measurements: ≈ 1 when sharpness hovers at the stability
   * threshold (on a period-2 orbit above η* it alternates around 2/η, so the consecutive rule alone
   * does not fire), < 1 after convergence below it.
   */
  readonly lastWindowRatio: number;
  /** `DIVERGED` if the run diverged (the trace then stops there), else `UNDECIDED`. */
  readonly status: StatusCode;
  /** The last iterate. */
  readonly x: Float64Array;
}

/**
 * Runs GD with step η for `steps` steps and tracks sharpness by power iteration every `every` steps,
 * compared with 2/η (Cohen et al.'s edge of stability: sharpness rises to ≈ 2/η and hovers there).
 * Any loss with a Hessian-vector oracle: pass an {@link Objective} (its `hvpInto`), or build one with
 * {@link finiteDifferenceHvp}. Each measurement starts from a fresh seeded vector (`foldIn(key, t)`).
 *
 * @example
 * ```ts
 * const tr = trackSharpness(scalarVectorObjective({ y: 1 }), new Float64Array([0.3, 0.2]), 0.5, { steps: 200, every: 50 });
 * tr.sharpness[tr.sharpness.length - 1]! < tr.twoOverEta;
 * // true
 * ```
 */
export function trackSharpness(
  objective: Objective,
  theta0: Float64Array,
  eta: number,
  options: { steps?: number; every?: number; key?: Key; consecutive?: number; divergenceBound?: number; tol?: number } = {},
): SharpnessTrace {
  const where = 'trackSharpness';
  requireObjective(objective, where);
  options = requireOptions(options, where);
  requireStepSize(eta, where);
  if (!(theta0 instanceof Float64Array) || theta0.length !== objective.dim) throw new DescentError('SHAPE_MISMATCH', where, `theta0 must have length ${objective.dim}`);
  requireFiniteVector(theta0, where, 'theta0');
  const T = requireInteger(options.steps ?? 1000, 0, where, 'steps');
  const every = requireInteger(options.every ?? 1, 1, where, 'every');
  const consecutive = requireInteger(options.consecutive ?? 10, 1, where, 'consecutive');
  const B = requirePositive(options.divergenceBound ?? 1e8, where, 'divergenceBound');
  const tol = requirePositive(options.tol ?? 1e-10, where, 'tol');
  const x = Float64Array.from(theta0);
  const g = new Float64Array(objective.dim);
  const ts: number[] = [];
  const losses: number[] = [];
  const sharp: number[] = [];
  const base = options.key ?? makeKey(0);
  let status: StatusCode = Status.UNDECIDED;
  for (let t = 0; t <= T; t++) {
    if (t % every === 0 || t === T) {
      const s = objectiveSharpness(objective, x, { key: foldIn(base, t), tol, maxIter: 2000 });
      ts.push(t);
      losses.push(objective.loss(x));
      sharp.push(s.value);
    }
    if (t === T) break;
    objective.gradInto(x, g);
    let xx = 0;
    for (let i = 0; i < x.length; i++) {
      x[i] = x[i]! - eta * g[i]!;
      xx += x[i]! * x[i]!;
    }
    if (!(xx <= B * B)) {
      status = Status.DIVERGED;
      break;
    }
  }
  const two = 2 / eta;
  let run = 0;
  let eosStart = -1;
  for (let i = 0; i < sharp.length; i++) {
    run = sharp[i]! > two ? run + 1 : 0;
    if (run >= consecutive && eosStart < 0) eosStart = ts[i - consecutive + 1]!;
  }
  const edgeOfStability = eosStart >= 0 && status !== Status.DIVERGED;
  const w = Math.min(consecutive, sharp.length);
  let acc = 0;
  for (let i = sharp.length - w; i < sharp.length; i++) acc += (eta * sharp[i]!) / 2;
  return {
    t: Int32Array.from(ts),
    loss: Float64Array.from(losses),
    sharpness: Float64Array.from(sharp),
    twoOverEta: two,
    edgeOfStability,
    eosStart: edgeOfStability ? eosStart : -1,
    lastWindowRatio: w > 0 ? acc / w : NaN,
    status,
    x,
  };
}

/**
 * An {@link Objective} from user oracles — "any loss" for the edge-of-stability and classification
 * tools. Without `hvpInto`, Hessian-vector products are central differences of the gradient
 * ({@link finiteDifferenceHvp}). `minLoss` (default −∞, so every stationary point counts as converged)
 * is the global minimum used to tell minimizers from saddles.
 *
 * @example
 * ```ts
 * const f = customObjective({ dim: 1, loss: (t) => 1.5 * t[0]! ** 2, gradInto: (t, o) => { o[0] = 3 * t[0]!; return o; } });
 * objectiveSharpness(f, new Float64Array([0.7])).value.toFixed(6);
 * // '3.000000'
 * ```
 */
export function customObjective(oracles: {
  dim: number;
  loss: (theta: Float64Array) => number;
  gradInto: (theta: Float64Array, out: Float64Array) => Float64Array;
  hvpInto?: (theta: Float64Array, vec: Float64Array, out: Float64Array) => Float64Array;
  minLoss?: number;
  name?: string;
}): Objective {
  const where = 'customObjective';
  oracles = requireOptions(oracles, where, 'oracles');
  const dim = requireInteger(oracles.dim, 1, where, 'dim');
  if (typeof oracles.loss !== 'function' || typeof oracles.gradInto !== 'function') {
    throw new DescentError('INVALID_CONFIG', where, 'loss and gradInto must be functions');
  }
  const minLoss = oracles.minLoss ?? -Infinity;
  if (Number.isNaN(minLoss)) throw new DescentError('NON_FINITE', where, 'minLoss is NaN');
  const gradInto = oracles.gradInto;
  return {
    name: oracles.name ?? 'custom',
    dim,
    minLoss,
    loss: oracles.loss,
    gradInto,
    hvpInto: oracles.hvpInto ?? ((theta, vec, out) => finiteDifferenceHvp(gradInto, theta)(vec, out)),
  };
}
