import { DescentError } from '@descent/linalg';

/** A step-size schedule a·(b/(b + k))^c (the paper code's `lr(k; a, b, c)`); decays like k^{−c}. */
export interface StepSchedule {
  readonly a: number;
  readonly b: number;
  readonly c: number;
}

/**
 * The step size at iteration k ≥ 0.
 *
 * @example
 * ```ts
 * stepSize({ a: 1, b: 50, c: 1 }, 50);
 * // 0.5
 * ```
 */
export function stepSize(s: StepSchedule, k: number): number {
  if (s === null || typeof s !== 'object') throw new DescentError('INVALID_CONFIG', 'stepSize', `the schedule must be { a, b, c }, got ${s === null ? 'null' : typeof s}`);
  return s.a * Math.pow(s.b / (s.b + k), s.c);
}

/** The four schedules of the SA optimizers: decision θ (slow), quantiles q (fast), quantile gradients D, KDE bandwidth h. */
export interface Schedules {
  readonly theta: StepSchedule;
  readonly quantile: StepSchedule;
  readonly gradient: StepSchedule;
  readonly bandwidth: StepSchedule;
}

/**
 * The paper's convergence-rate exponents: MSE of θ is O(k^{-4/7}) for the DM form, O(k^{-2/3}) for the QF form.
 *
 * @example
 * ```ts
 * PAPER_RATES.qf;
 * // -0.6666666666666666
 * ```
 */
export const PAPER_RATES = Object.freeze({ dm: -4 / 7, qf: -2 / 3 });

/**
 * The schedules of the paper's code (robust-portfolio configs, `cvar`): θ [0.0625, 500, 0.99],
 * q [0.25, 500, 0.71], D [0.25, 500, 0.70], h [0.5, 500, 0.14]. The exponents are the 4/7-rate ones
 * (≈ 1, 5/7, 5/7, 1/7). The bandwidth factor 0.5 is in units of the outcome's standard deviation
 * [RECON: the code's 0.01 is absolute for unit-variance outcomes; 0.5·sd is what the spec's checks used].
 *
 * @example
 * ```ts
 * codeSchedules().quantile.c;
 * // 0.71
 * ```
 */
export function codeSchedules(): Schedules {
  return {
    theta: { a: 0.0625, b: 500, c: 0.99 },
    quantile: { a: 0.25, b: 500, c: 0.71 },
    gradient: { a: 0.25, b: 500, c: 0.7 },
    bandwidth: { a: 0.5, b: 500, c: 0.14 },
  };
}

/**
 * The exponents of the paper's rate analysis [RECON from the abstract's rates]: θ ∝ k^{-1};
 * QF: q ∝ k^{-2/3} (lag (α/β)² balances noise β: MSE O(k^{-2/3})); DM: q, D ∝ k^{-5/7}, h ∝ k^{-1/7}
 * (lag, KDE variance γ/h and KDE bias² h⁴ balance: MSE O(k^{-4/7})). Scales a, b are kept from `base`.
 *
 * @example
 * ```ts
 * rateSchedules('qf').quantile.c;
 * // 0.6666666666666666
 * ```
 */
export function rateSchedules(form: 'qf' | 'dm' | 'hybrid', base: Schedules = codeSchedules()): Schedules {
  if (base === null || typeof base !== 'object') throw new DescentError('INVALID_CONFIG', 'rateSchedules', 'base must be a Schedules object (e.g. codeSchedules())');
  const cq = form === 'qf' ? 2 / 3 : 5 / 7;
  return {
    theta: { ...base.theta, c: 1 },
    quantile: { ...base.quantile, c: cq },
    gradient: { ...base.gradient, c: 5 / 7 },
    bandwidth: { ...base.bandwidth, c: 1 / 7 },
  };
}

function checkOne(s: StepSchedule, name: string, lo: number, loOpen: boolean, where: string): void {
  if (s === undefined || s === null || typeof s !== 'object') throw new DescentError('INVALID_CONFIG', where, `schedules.${name} is missing`);
  if (!(s.a > 0) || !Number.isFinite(s.a)) throw new DescentError('INVALID_CONFIG', where, `schedules.${name}.a must be > 0, got ${s.a}`);
  if (!(s.b > 0) || !Number.isFinite(s.b)) throw new DescentError('INVALID_CONFIG', where, `schedules.${name}.b must be > 0, got ${s.b}`);
  const okLo = loOpen ? s.c > lo : s.c >= lo;
  if (!(okLo && s.c <= 1)) throw new DescentError('INVALID_CONFIG', where, `schedules.${name}.c must be in ${loOpen ? '(' : '['}${lo}, 1], got ${s.c}`);
}

/**
 * Checks the timescale ordering the convergence proofs need, throwing INVALID_CONFIG otherwise:
 * θ exponent in (½, 1] (Robbins–Monro); q and D exponents in (0, 1]; θ strictly slower than q (and
 * than D for DM/hybrid), so α_k/β_k → 0; bandwidth exponent in (0, 1) and strictly below the D
 * exponent, so the KDE variance γ_k/h_k → 0. Errors name `where` (default `'validateSchedules'`; the
 * optimizers pass their own name).
 *
 * @example
 * ```ts
 * validateSchedules(codeSchedules(), 'dm');
 * // undefined
 * ```
 */
export function validateSchedules(s: Schedules, form: 'qf' | 'dm' | 'hybrid' | 'batching', where = 'validateSchedules'): void {
  if (s === undefined || s === null || typeof s !== 'object') throw new DescentError('INVALID_CONFIG', where, 'schedules are missing');
  checkOne(s.theta, 'theta', 0.5, true, where);
  if (form === 'batching') return;
  checkOne(s.quantile, 'quantile', 0, true, where);
  if (!(s.theta.c > s.quantile.c)) {
    throw new DescentError('INVALID_CONFIG', where, `schedules' timescales: theta.c = ${s.theta.c} must exceed quantile.c = ${s.quantile.c} (θ must move slower than the quantiles)`);
  }
  if (form === 'qf') return;
  checkOne(s.gradient, 'gradient', 0, true, where);
  checkOne(s.bandwidth, 'bandwidth', 0, true, where);
  if (!(s.theta.c > s.gradient.c)) {
    throw new DescentError('INVALID_CONFIG', where, `schedules' timescales: theta.c = ${s.theta.c} must exceed gradient.c = ${s.gradient.c} (θ must move slower than the quantile gradients)`);
  }
  if (!(s.bandwidth.c < s.gradient.c) || s.bandwidth.c >= 1) {
    throw new DescentError('INVALID_CONFIG', where, `schedules' timescales: bandwidth.c = ${s.bandwidth.c} must be below gradient.c = ${s.gradient.c} (KDE variance γ/h must vanish)`);
  }
}
