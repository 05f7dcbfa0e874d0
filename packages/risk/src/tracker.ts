import { assertKnownKeys, configKeys, DescentError, describeValue } from '@descent/linalg';
import { STEP_SCHEDULE_KEYS, type SaMethod } from './sa.js';
import { buffer, checkBase, checkOut, field } from './sa-state.js';
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
  const levels = cfg.levels;
  if (!(levels instanceof Float64Array) || levels.length === 0) throw new DescentError('SHAPE_MISMATCH', where, 'levels must be a non-empty Float64Array');
  for (let i = 0; i < levels.length; i++) {
    const u = levels[i]!;
    if (!(u > 0 && u < 1)) throw new DescentError('DOMAIN', where, `levels[${i}] = ${u} is outside (0, 1)`);
    if (i > 0 && !(u > levels[i - 1]!)) throw new DescentError('INVALID_CONFIG', where, `levels must be strictly ascending at ${i}`);
  }
  buffer(q0, levels.length, where, 'q0', true);
  const schedule = cfg.schedule ?? { a: 1, b: 50, c: 0.71 };
  if (!validSchedule(schedule)) {
    throw new DescentError('INVALID_CONFIG', where, `schedule needs finite a > 0, b > 0, c in (0, 1], got [${schedule.a}, ${schedule.b}, ${schedule.c}]`);
  }
  const monotone = cfg.monotone ?? true;
  if (typeof monotone !== 'boolean') throw new DescentError('INVALID_CONFIG', where, `monotone must be a boolean, got ${describeValue(monotone)}`);
  const check = cfg.check ?? true;
  if (typeof check !== 'boolean') throw new DescentError('INVALID_CONFIG', where, `check must be a boolean, got ${describeValue(check)}`);
  const x = Float64Array.from(q0);
  if (monotone) x.sort();
  return { x, query: x, t: 0, levels: Float64Array.from(levels), schedule: { a: schedule.a, b: schedule.b, c: schedule.c }, monotone, check };
}

const validSchedule = (s: StepSchedule) =>
  s !== null && typeof s === 'object' && typeof s.a === 'number' && typeof s.b === 'number' && typeof s.c === 'number' &&
  s.a > 0 && s.a < Infinity && s.b > 0 && s.b < Infinity && s.c > 0 && s.c <= 1;

/** Every field step reads; with `state.check`, the estimates and levels are finite and the levels in (0, 1). O(m). */
function checkTrackerState(s: unknown, where: string): asserts s is QuantileTrackerState {
  checkBase(s, where);
  const m = (s.x as Float64Array).length;
  field(s.schedule, (v) => validSchedule(v as StepSchedule), where, 'state.schedule', '{ a, b, c } with finite a > 0, b > 0, c in (0, 1]');
  field(s.monotone, (v) => typeof v === 'boolean', where, 'state.monotone', 'a boolean');
  field(s.check, (v) => typeof v === 'boolean', where, 'state.check', 'a boolean');
  const levels = buffer(s.levels, m, where, 'state.levels');
  if (s.check === true) {
    buffer(s.x, m, where, 'state.x', true);
    for (let i = 0; i < m; i++) if (!(levels[i]! > 0 && levels[i]! < 1)) throw new DescentError('INVALID_STATE', where, `state.levels[${i}] = ${levels[i]} is outside (0, 1)`);
  }
}

function checkSamples(s: QuantileTrackerState, samples: unknown, where: string): number {
  if (!(samples instanceof Float64Array)) throw new DescentError('SHAPE_MISMATCH', where, `samples must be a Float64Array, got ${describeValue(samples)}`);
  const n = samples.length;
  if (n === 0) throw new DescentError('SHAPE_MISMATCH', where, 'empty sample');
  if (s.check) for (let j = 0; j < n; j++) if (samples[j]! - samples[j]! !== 0) throw new DescentError('NON_FINITE', where, `samples[${j}] is ${samples[j]}`);
  return n;
}

function step(s: QuantileTrackerState, samples: Float64Array): QuantileTrackerState {
  const where = 'quantileTracker.step';
  checkTrackerState(s, where);
  checkSamples(s, samples, where);
  return advance(s, samples, { ...s, x: new Float64Array(s.x.length) });
}

function stepInto(s: QuantileTrackerState, samples: Float64Array, out: QuantileTrackerState): QuantileTrackerState {
  const where = 'quantileTracker.stepInto';
  checkTrackerState(s, where);
  checkSamples(s, samples, where);
  checkOut(s as unknown as Record<string, unknown>, out, ['x'], [samples, s.levels], where);
  return advance(s, samples, out);
}

function advance(s: QuantileTrackerState, samples: Float64Array, out: QuantileTrackerState): QuantileTrackerState {
  const n = samples.length;
  const beta = stepSize(s.schedule, s.t);
  const m = s.x.length;
  // q_i ← q_i + β(u_i − (1/n)#{X ≤ q_i}); counts by scanning each level (n is small in SA use).
  for (let i = 0; i < m; i++) {
    const q = s.x[i]!;
    let c = 0;
    for (let j = 0; j < n; j++) if (samples[j]! <= q) c++;
    out.x[i] = q + beta * (s.levels[i]! - c / n);
  }
  for (let i = 0; i < m; i++) if (out.x[i]! - out.x[i]! !== 0) throw new DescentError('NON_FINITE', 'quantileTracker.step', `the estimate [${i}] overflows to ${out.x[i]}`);
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
  step,
  stepInto,
};
