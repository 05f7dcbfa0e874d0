import { DescentError } from '@descent/linalg';
import type { Transform } from './transform.js';

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

/**
 * u = −lr·g: the last link of a descent chain, since updates are added to the parameters.
 * A negative learning rate is rejected (`INVALID_CONFIG`).
 *
 * @example
 * ```ts
 * import { scaleByLearningRate, applyTransform } from '@descent/optimizers';
 * Array.from(applyTransform(scaleByLearningRate(0.1), new Float64Array([2]), {}, new Float64Array(1)).update);
 * // [-0.2]
 * ```
 */
export function scaleByLearningRate(lr: number): Transform<Record<string, never>> {
  finiteNumber('scaleByLearningRate', 'lr', lr);
  if (lr < 0) throw new DescentError('INVALID_CONFIG', 'scaleByLearningRate', `lr must be non-negative, got ${lr}`);
  const t = scale(-lr);
  return { ...t, name: 'scaleByLearningRate' };
}
