import { assertKnownKeys, DescentError } from '@descent/linalg';
import { requireFinite, requireInteger, requireNonNegative, requireStepSize, requireOptions } from './validate.js';

/**
 * The critical step size of scalar–vector factorization ½(uᵀv − y)² + (λ/2)(‖u‖²+‖v‖²).
 *
 * - λ = 0: η* = 1/|y|, the global threshold: the supremum over starts of the paper's start-dependent
 *   critical step size ({@link scalarVectorCriticalStepSizeAt}). Our derivation [RECON, spec §b.1]: at a
 *   minimizer the sharpness is ‖u‖² + ‖v‖² ≥ 2|y|, equal at the balanced ones, so some minimizer is
 *   linearly stable iff η < 1/|y|; for η < η* a positive-measure set of starts converges, for η > η*
 *   almost none does. y = 0 gives +∞.
 * - λ > 0 [RECON]: the threshold of linear stability of the minimizers, 1/max(|y| − λ, λ) for
 *   0 < λ < |y| and 2/(λ + |y|) for λ ≥ |y| (the minimizer is then θ = 0).
 *
 * `loss: 'plain'` gives the value for the un-halved loss (uᵀv − y)² + λ(‖u‖²+‖v‖²) (half the above).
 *
 * @example
 * ```ts
 * scalarVectorCriticalStepSize(2);
 * // 0.5
 * ```
 */
export function scalarVectorCriticalStepSize(y: number, options: { lambda?: number; loss?: 'half' | 'plain' } = {}): number {
  const where = 'scalarVectorCriticalStepSize';
  assertKnownKeys(options, ['lambda', 'loss'], where, 'options');
  requireFinite(y, where, 'y');
  const lam = requireNonNegative(options.lambda ?? 0, where, 'lambda');
  const scale = options.loss === 'plain' ? 0.5 : 1;
  if (options.loss !== undefined && options.loss !== 'half' && options.loss !== 'plain') {
    throw new DescentError('INVALID_CONFIG', where, `loss must be 'half' or 'plain', got ${String(options.loss)}`);
  }
  const ay = Math.abs(y);
  if (lam === 0) return ay === 0 ? Infinity : scale / ay;
  if (lam < ay) return scale / Math.max(ay - lam, lam);
  return (2 * scale) / (lam + ay);
}

/**
 * The critical step size of unregularized scalar–vector factorization *for a given start* θ₀ = (u₀, v₀):
 *
 *     η*(θ₀) = min{ 1/|y|, 8 / (‖θ₀‖² + √(‖θ₀‖⁴ − 16·y·(u₀ᵀv₀ − y))) }
 *
 * GD with step η converges from θ₀ (for almost every θ₀) iff η < η*(θ₀). The formula is quoted from the
 * paper by a third-party reproduction [2ND]; we derived it independently [RECON, spec §b.2]: the second
 * term is exactly the η at which θ₀ lies on the invariant ellipse E(θ) = 1 (the positive root of
 * η²y(y − uᵀv) + η‖θ‖² − 4 = 0), and the discriminant is ≥ 4(uᵀv − 2y)² ≥ 0. `loss: 'plain'` halves it
 * for the un-halved loss. y = 0 gives 4/‖θ₀‖² (+∞ at θ₀ = 0).
 *
 * @example
 * ```ts
 * scalarVectorCriticalStepSizeAt(new Float64Array([2, 0]), 1);
 * // 0.8284271247461902
 * ```
 */
export function scalarVectorCriticalStepSizeAt(theta0: Float64Array, y: number, options: { loss?: 'half' | 'plain' } = {}): number {
  const where = 'scalarVectorCriticalStepSizeAt';
  assertKnownKeys(options, ['loss'], where, 'options');
  requireFinite(y, where, 'y');
  if (!(theta0 instanceof Float64Array) || theta0.length < 2 || theta0.length % 2 !== 0) {
    throw new DescentError('SHAPE_MISMATCH', where, 'theta0 must be (u, v) as a Float64Array of even length');
  }
  for (let i = 0; i < theta0.length; i++) requireFinite(theta0[i]!, where, `theta0[${i}]`);
  if (options.loss !== undefined && options.loss !== 'half' && options.loss !== 'plain') {
    throw new DescentError('INVALID_CONFIG', where, `loss must be 'half' or 'plain', got ${String(options.loss)}`);
  }
  const scale = options.loss === 'plain' ? 0.5 : 1;
  const d = theta0.length / 2;
  let nn = 0;
  let uv = 0;
  for (let i = 0; i < d; i++) {
    nn += theta0[i]! * theta0[i]! + theta0[d + i]! * theta0[d + i]!;
    uv += theta0[i]! * theta0[d + i]!;
  }
  const disc = Math.max(0, nn * nn - 16 * y * (uv - y));
  const denom = nn + Math.sqrt(disc);
  const region = denom > 0 ? 8 / denom : Infinity;
  const global = y === 0 ? Infinity : 1 / Math.abs(y);
  return scale * Math.min(global, region);
}

/** The result of a numerical critical-step-size search. */
export interface CriticalStepSearch {
  /** The largest step size seen to converge (the lower end of the final bracket). */
  readonly eta: number;
  /** The final bracket [converges, does not]. */
  readonly bracket: readonly [number, number];
  /** True if the scan saw more than one converge→not switch: the predicate is not monotone in η. */
  readonly nonMonotone: boolean;
  /** Predicate evaluations spent. */
  readonly evaluations: number;
}

/**
 * Finds the critical step size of any map numerically (spec §b.3, [RECON] procedure): scans
 * `scanPoints` log-spaced step sizes in [lo, hi], takes the first switch from "converges" to
 * "does not", and bisects it `iterations` times. `converges(η)` is typically
 * `classifyStart(f, x0, η, opts).status === Status.CONVERGED`. The estimate is biased low by critical
 * slowing down (deficit ∝ 1/T for budget T). Throws `DOMAIN` if `lo` does not converge or no scanned
 * step size fails.
 *
 * @example
 * ```ts
 * bisectCriticalStepSize((eta) => eta < 0.7, { lo: 0.1, hi: 2 }).eta.toFixed(6);
 * // '0.700000'
 * ```
 */
export function bisectCriticalStepSize(
  converges: (eta: number) => boolean,
  options: { lo: number; hi: number; scanPoints?: number; iterations?: number },
): CriticalStepSearch {
  const where = 'bisectCriticalStepSize';
  if (typeof converges !== 'function') throw new DescentError('INVALID_CONFIG', where, 'converges must be a function of the step size');
  options = requireOptions(options, where);
  const lo0 = requireStepSize(options.lo, where, 'lo');
  const hi0 = requireStepSize(options.hi, where, 'hi');
  if (!(hi0 > lo0)) throw new DescentError('INVALID_CONFIG', where, `need lo < hi, got [${lo0}, ${hi0}]`);
  const scan = requireInteger(options.scanPoints ?? 64, 2, where, 'scanPoints');
  const iters = requireInteger(options.iterations ?? 40, 0, where, 'iterations');
  let evaluations = 0;
  const ok = (eta: number): boolean => {
    evaluations++;
    return converges(eta);
  };
  const etas = Array.from({ length: scan }, (_, i) => lo0 * Math.pow(hi0 / lo0, i / (scan - 1)));
  etas[scan - 1] = hi0;
  const res = etas.map(ok);
  if (!res[0]) throw new DescentError('DOMAIN', where, `bracket: lo = ${lo0} does not converge`);
  let first = -1;
  let switches = 0;
  for (let i = 1; i < scan; i++) {
    if (res[i - 1] && !res[i]) {
      switches++;
      if (first < 0) first = i;
    }
  }
  if (first < 0) throw new DescentError('DOMAIN', where, `bracket: every scanned step size up to hi = ${hi0} converges`);
  let lo = etas[first - 1]!;
  let hi = etas[first]!;
  for (let i = 0; i < iters; i++) {
    const mid = (lo + hi) / 2;
    if (mid <= lo || mid >= hi) break;
    if (ok(mid)) lo = mid;
    else hi = mid;
  }
  return { eta: lo, bracket: [lo, hi], nonMonotone: switches > 1, evaluations };
}
