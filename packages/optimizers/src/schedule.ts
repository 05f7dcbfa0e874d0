import { assertKnownKeys, DescentError } from '@descent/linalg';

/** A learning-rate schedule: the value at step `count` (0 for the first update), as in optax. */
export type Schedule = (count: number) => number;

function num(where: string, name: string, v: number, ok: (v: number) => boolean, expected: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || !ok(v)) throw new DescentError('INVALID_CONFIG', where, `${name} must be ${expected}, got ${String(v)}`);
  return v;
}

/**
 * Linear interpolation from `init` to `end` over `steps` steps, starting after `begin` steps
 * (optax `linear_schedule`): constant before and after.
 *
 * @example
 * ```ts
 * import { linearSchedule } from '@descent/optimizers';
 * const s = linearSchedule({ init: 0, end: 1, steps: 10 });
 * [s(0), s(5), s(20)];
 * // [0, 0.5, 1]
 * ```
 */
export function linearSchedule(o: { init: number; end: number; steps: number; begin?: number }): Schedule {
  const where = 'linearSchedule';
  assertKnownKeys(o, ['init', 'end', 'steps', 'begin'], where, 'options');
  const init = num(where, 'init', o.init, () => true, 'finite');
  const end = num(where, 'end', o.end, () => true, 'finite');
  const steps = num(where, 'steps', o.steps, (v) => Number.isInteger(v) && v > 0, 'a positive integer');
  const begin = num(where, 'begin', o.begin ?? 0, (v) => Number.isInteger(v) && v >= 0, 'a non-negative integer');
  return (count) => {
    const done = Math.min(Math.max(count - begin, 0), steps);
    return (init - end) * (1 - done / steps) + end;
  };
}

/**
 * Cosine decay from `init` to `alpha·init` over `steps` steps (optax `cosine_decay_schedule`):
 * init·((1 − α)·½(1 + cos(π·min(count, steps)/steps)) + α).
 *
 * @example
 * ```ts
 * import { cosineDecaySchedule } from '@descent/optimizers';
 * const s = cosineDecaySchedule({ init: 2, steps: 100 });
 * [s(0), s(50), s(100)].map((v) => +v.toFixed(12));
 * // [2, 1, 0]
 * ```
 */
export function cosineDecaySchedule(o: { init: number; steps: number; alpha?: number }): Schedule {
  const where = 'cosineDecaySchedule';
  assertKnownKeys(o, ['init', 'steps', 'alpha'], where, 'options');
  const init = num(where, 'init', o.init, () => true, 'finite');
  const steps = num(where, 'steps', o.steps, (v) => Number.isInteger(v) && v > 0, 'a positive integer');
  const alpha = num(where, 'alpha', o.alpha ?? 0, () => true, 'finite');
  return (count) => {
    const c = Math.min(Math.max(count, 0), steps);
    return init * ((1 - alpha) * 0.5 * (1 + Math.cos((Math.PI * c) / steps)) + alpha);
  };
}

/**
 * Linear warm-up from `init` to `peak` over `warmupSteps`, then cosine decay to `end` at `decaySteps`
 * (total, warm-up included), as optax's `warmup_cosine_decay_schedule`.
 *
 * @example
 * ```ts
 * import { warmupCosineDecaySchedule } from '@descent/optimizers';
 * const s = warmupCosineDecaySchedule({ init: 0, peak: 1, warmupSteps: 10, decaySteps: 110, end: 0 });
 * [s(0), s(5), s(10), s(60), s(110)].map((v) => +v.toFixed(12));
 * // [0, 0.5, 1, 0.5, 0]
 * ```
 */
export function warmupCosineDecaySchedule(o: { init: number; peak: number; warmupSteps: number; decaySteps: number; end?: number }): Schedule {
  const where = 'warmupCosineDecaySchedule';
  assertKnownKeys(o, ['init', 'peak', 'warmupSteps', 'decaySteps', 'end'], where, 'options');
  const peak = num(where, 'peak', o.peak, (v) => v !== 0, 'finite and non-zero');
  const warmup = num(where, 'warmupSteps', o.warmupSteps, (v) => Number.isInteger(v) && v >= 0, 'a non-negative integer');
  const total = num(where, 'decaySteps', o.decaySteps, (v) => Number.isInteger(v) && v > warmup, `an integer above warmupSteps (${warmup})`);
  const end = o.end ?? 0;
  const up = warmup > 0 ? linearSchedule({ init: o.init, end: peak, steps: warmup }) : () => peak;
  const down = cosineDecaySchedule({ init: peak, steps: total - warmup, alpha: end / peak });
  return (count) => (count < warmup ? up(count) : down(count - warmup));
}
