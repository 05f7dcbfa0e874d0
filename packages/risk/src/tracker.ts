import { assertKnownKeys, configKeys, DescentError } from '@descent/linalg';
import { STEP_SCHEDULE_KEYS, type SaMethod } from './sa.js';
import { stepSize, type StepSchedule } from './schedule.js';

/** Configuration of {@link quantileTracker}. */
export interface QuantileTrackerConfig {
  /** Levels u ∈ (0, 1) to track, ascending. */
  levels: Float64Array;
  /** Step sizes β_k (default [1, 50, 0.71]). */
  schedule?: StepSchedule;
  /** Re-sort the estimates after each step so they stay monotone (default true) [RECON]. */
  monotone?: boolean;
  /** Validate samples (O(n)); default true. */
  check?: boolean;
}

/** State of {@link quantileTracker}: `x` holds the quantile estimates (also `query`). */
export interface QuantileTrackerState {
  readonly x: Float64Array;
  readonly query: Float64Array;
  readonly t: number;
  readonly levels: Float64Array;
  readonly schedule: StepSchedule;
  readonly monotone: boolean;
  readonly check: boolean;
}

function init(cfg: QuantileTrackerConfig, q0: Float64Array): QuantileTrackerState {
  const where = 'quantileTracker.init';
  assertKnownKeys(cfg, configKeys<QuantileTrackerConfig>()('levels', 'schedule', 'monotone', 'check'), where);
  if (cfg.schedule !== undefined) assertKnownKeys(cfg.schedule, STEP_SCHEDULE_KEYS, where, 'schedule');
  const levels = cfg?.levels;
  if (!(levels instanceof Float64Array) || levels.length === 0) throw new DescentError('SHAPE_MISMATCH', where, 'levels must be a non-empty Float64Array');
  for (let i = 0; i < levels.length; i++) {
    const u = levels[i]!;
    if (!(u > 0 && u < 1)) throw new DescentError('DOMAIN', where, `levels[${i}] = ${u} is outside (0, 1)`);
    if (i > 0 && !(u > levels[i - 1]!)) throw new DescentError('INVALID_CONFIG', where, `levels must be strictly ascending at ${i}`);
  }
  if (q0.length !== levels.length) throw new DescentError('SHAPE_MISMATCH', where, `q0 has length ${q0.length}, levels ${levels.length}`);
  for (let i = 0; i < q0.length; i++) if (q0[i]! - q0[i]! !== 0) throw new DescentError('NON_FINITE', where, `q0[${i}] is ${q0[i]}`);
  const schedule = cfg.schedule ?? { a: 1, b: 50, c: 0.71 };
  if (!(schedule.a > 0 && schedule.b > 0 && schedule.c > 0 && schedule.c <= 1)) {
    throw new DescentError('INVALID_CONFIG', where, `schedule needs a > 0, b > 0, c in (0, 1], got [${schedule.a}, ${schedule.b}, ${schedule.c}]`);
  }
  const x = Float64Array.from(q0);
  const monotone = cfg.monotone ?? true;
  if (monotone) x.sort();
  return { x, query: x, t: 0, levels: Float64Array.from(levels), schedule, monotone, check: cfg.check ?? true };
}

function stepInto(s: QuantileTrackerState, samples: Float64Array, out: QuantileTrackerState): QuantileTrackerState {
  const n = samples.length;
  if (n === 0) throw new DescentError('SHAPE_MISMATCH', 'quantileTracker.step', 'empty sample');
  if (out.x === s.x || out.x.length !== s.x.length) throw new DescentError('SHAPE_MISMATCH', 'quantileTracker.stepInto', 'out must be a distinct state of the same shape');
  if (s.check) for (let j = 0; j < n; j++) if (samples[j]! - samples[j]! !== 0) throw new DescentError('NON_FINITE', 'quantileTracker.step', `samples[${j}] is ${samples[j]}`);
  const beta = stepSize(s.schedule, s.t);
  const m = s.x.length;
  // q_i ← q_i + β(u_i − (1/n)#{X ≤ q_i}); counts by scanning each level (n is small in SA use).
  for (let i = 0; i < m; i++) {
    const q = s.x[i]!;
    let c = 0;
    for (let j = 0; j < n; j++) if (samples[j]! <= q) c++;
    out.x[i] = q + beta * (s.levels[i]! - c / n);
  }
  if (s.monotone) out.x.sort();
  return { ...s, x: out.x, query: out.x, t: s.t + 1 };
}

/**
 * Robbins–Monro quantile tracking at fixed levels (the fast timescale of the QF/DM forms):
 * q_i ← q_i + β_k(u_i − F̂_n(q_i)) for each batch. Converges a.s. to the u_i-quantiles of a fixed law
 * with a positive density there.
 *
 * @example
 * ```ts
 * const s = quantileTracker.init({ levels: new Float64Array([0.5]) }, new Float64Array([1]));
 * quantileTracker.step(s, new Float64Array([0, 0])).x[0];
 * // 0.5
 * ```
 */
export const quantileTracker: SaMethod<QuantileTrackerConfig, QuantileTrackerState, Float64Array> = {
  name: 'quantile-tracker',
  init,
  step: (s, samples) => stepInto(s, samples, { ...s, x: new Float64Array(s.x.length) }),
  stepInto,
};
