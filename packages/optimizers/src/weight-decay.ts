import { DescentError } from '@descent/linalg';
import type { Transform } from './transform.js';

/**
 * u = g + λ·x (optax `add_decayed_weights`). Placed before {@link scaleByLearningRate} it gives
 * decoupled weight decay, x ← x − lr·(g̃ + λx) = x·(1 − lr·λ) − lr·g̃, as in AdamW and Muon. Stateless.
 *
 * @example
 * ```ts
 * import { addDecayedWeights, applyTransform } from '@descent/optimizers';
 * Array.from(applyTransform(addDecayedWeights(0.1), new Float64Array([1]), {}, new Float64Array([10])).update);
 * // [2]
 * ```
 */
export function addDecayedWeights(weightDecay: number): Transform<Record<string, never>> {
  if (!(typeof weightDecay === 'number' && Number.isFinite(weightDecay) && weightDecay >= 0)) {
    throw new DescentError('INVALID_CONFIG', 'addDecayedWeights', `weightDecay must be non-negative, got ${String(weightDecay)}`);
  }
  return {
    name: 'addDecayedWeights',
    init: () => ({}),
    updateInto(g, _state, x, u, out) {
      if (weightDecay === 0) {
        if (u !== g) u.set(g);
      } else for (let i = 0; i < g.length; i++) u[i] = g[i]! + weightDecay * x[i]!;
      return out;
    },
  };
}
