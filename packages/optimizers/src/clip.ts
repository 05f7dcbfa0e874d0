import { DescentError } from '@descent/linalg';
import type { Transform } from './transform.js';
import { norm } from './internal/observe.js';

/**
 * Rescales the update to global ℓ2 norm at most `maxNorm`: u = g·min(1, maxNorm/‖g‖₂) (optax
 * `clip_by_global_norm`; under {@link route} the norm is per block). Stateless.
 *
 * @example
 * ```ts
 * import { clipByGlobalNorm, applyTransform } from '@descent/optimizers';
 * Array.from(applyTransform(clipByGlobalNorm(1), new Float64Array([3, 4]), {}, new Float64Array(2)).update);
 * // [0.6000000000000001, 0.8]
 * ```
 */
export function clipByGlobalNorm(maxNorm: number): Transform<Record<string, never>> {
  if (!(typeof maxNorm === 'number' && maxNorm > 0)) throw new DescentError('INVALID_CONFIG', 'clipByGlobalNorm', `maxNorm must be positive, got ${String(maxNorm)}`);
  return {
    name: 'clipByGlobalNorm',
    init: () => ({}),
    updateInto(g, _state, _x, u, out) {
      const nrm = norm(g);
      const c = nrm > maxNorm ? maxNorm / nrm : 1;
      for (let i = 0; i < g.length; i++) u[i] = g[i]! * c;
      return out;
    },
  };
}

/**
 * Clamps every coordinate of the update to [−maxAbs, maxAbs] (optax `clip`). Stateless.
 *
 * @example
 * ```ts
 * import { clip, applyTransform } from '@descent/optimizers';
 * Array.from(applyTransform(clip(1), new Float64Array([3, -0.5]), {}, new Float64Array(2)).update);
 * // [1, -0.5]
 * ```
 */
export function clip(maxAbs: number): Transform<Record<string, never>> {
  if (!(typeof maxAbs === 'number' && maxAbs >= 0)) throw new DescentError('INVALID_CONFIG', 'clip', `maxAbs must be non-negative, got ${String(maxAbs)}`);
  return {
    name: 'clip',
    init: () => ({}),
    updateInto(g, _state, _x, u, out) {
      for (let i = 0; i < g.length; i++) {
        const v = g[i]!;
        u[i] = v > maxAbs ? maxAbs : v < -maxAbs ? -maxAbs : v;
      }
      return out;
    },
  };
}
