import { DescentError } from '@descent/linalg';
import type { Transform } from './transform.js';
import type { Schedule } from './schedule.js';

function finiteNumber(where: string, name: string, v: number): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new DescentError('INVALID_CONFIG', where, `${name} must be a finite number, got ${String(v)}`);
  return v;
}

/**
 * u = c·g (optax `scale`). Stateless.
 *
 * @example
 * ```ts
 * import { scale, applyTransform } from '@descent/optimizers';
 * Array.from(applyTransform(scale(-0.5), new Float64Array([2]), {}, new Float64Array(1)).update);
 * // [-1]
 * ```
 */
export function scale(c: number): Transform<Record<string, never>> {
  finiteNumber('scale', 'c', c);
  return {
    name: 'scale',
    init: () => ({}),
    updateInto(g, state, _x, u, out) {
      for (let i = 0; i < g.length; i++) u[i] = c * g[i]!;
      return out;
    },
  };
}

/** State of {@link scaleByLearningRate}: the number of updates so far (the schedule's argument). */
export interface LearningRateState {
  readonly count: number;
}

/**
 * u = −lr·g: the last link of a descent chain, since updates are added to the parameters. `lr` is a
 * number or a {@link Schedule} of the update count (0 for the first update), as optax's
 * `scale_by_learning_rate`. A negative or non-finite learning rate is rejected (`INVALID_CONFIG`; for
 * a schedule, at the step that produces it).
 *
 * @example
 * ```ts
 * import { scaleByLearningRate, applyTransform } from '@descent/optimizers';
 * const t = scaleByLearningRate(0.1);
 * Array.from(applyTransform(t, new Float64Array([2]), t.init(new Float64Array(1), [1]), new Float64Array(1)).update);
 * // [-0.2]
 * ```
 */
export function scaleByLearningRate(lr: number | Schedule): Transform<LearningRateState> {
  const where = 'scaleByLearningRate';
  if (typeof lr === 'number') {
    finiteNumber(where, 'lr', lr);
    if (lr < 0) throw new DescentError('INVALID_CONFIG', where, `lr must be non-negative, got ${lr}`);
  } else if (typeof lr !== 'function') {
    throw new DescentError('INVALID_CONFIG', where, 'lr must be a number or a schedule (count) => number');
  }
  return {
    name: where,
    init: () => ({ count: 0 }),
    updateInto(g, state, _x, u, out) {
      const rate = typeof lr === 'number' ? lr : lr(state.count);
      if (typeof rate !== 'number' || !Number.isFinite(rate) || rate < 0) {
        throw new DescentError('INVALID_CONFIG', where, `the schedule gave lr = ${String(rate)} at step ${state.count}`);
      }
      const c = -rate;
      for (let i = 0; i < g.length; i++) u[i] = c * g[i]!;
      (out as { count: number }).count = state.count + 1;
      return out;
    },
  };
}
