import { assertKnownKeys, DescentError } from '@descent/linalg';
import type { Transform } from './transform.js';

/** State of {@link scaleByAdam}. */
export interface ScaleByAdamState {
  readonly m: Float64Array;
  readonly v: Float64Array;
  readonly count: number;
}

/**
 * Adam's preconditioning as a transform (optax `scale_by_adam`), in PyTorch's arithmetic:
 * m ← β1·m + (1−β1)·g, v ← β2·v + (1−β2)·g², u = (m/(1−β1ᵗ)) / (√v/√(1−β2ᵗ) + ε).
 * `chain(scaleByAdam(), addDecayedWeights(λ), scaleByLearningRate(α))` is AdamW.
 *
 * @example
 * ```ts
 * import { scaleByAdam, applyTransform } from '@descent/optimizers';
 * const t = scaleByAdam();
 * +applyTransform(t, new Float64Array([-3]), t.init(new Float64Array(1), [1]), new Float64Array(1)).update[0].toFixed(6);
 * // -1
 * ```
 */
export function scaleByAdam(options: { betas?: readonly [number, number]; eps?: number } = {}): Transform<ScaleByAdamState> {
  assertKnownKeys(options, ['betas', 'eps'], 'scaleByAdam', 'options');
  const betas = options.betas ?? [0.9, 0.999];
  if (!Array.isArray(betas) || betas.length !== 2) throw new DescentError('INVALID_CONFIG', 'scaleByAdam', `betas must be a pair of numbers in [0, 1), got ${String(betas)}`);
  const [b1, b2] = betas as readonly [number, number];
  const eps = options.eps ?? 1e-8;
  if (typeof b1 !== 'number' || typeof b2 !== 'number' || !(b1 >= 0 && b1 < 1 && b2 >= 0 && b2 < 1)) throw new DescentError('INVALID_CONFIG', 'scaleByAdam', 'betas must be in [0, 1)');
  if (typeof eps !== 'number' || !(eps > 0) || !Number.isFinite(eps)) throw new DescentError('INVALID_CONFIG', 'scaleByAdam', `eps must be positive, got ${eps}`);
  const beta1 = b1!, beta2 = b2!;
  return {
    name: 'scaleByAdam',
    init: (x0) => ({ m: new Float64Array(x0.length), v: new Float64Array(x0.length), count: 0 }),
    updateInto(g, state, _x, u, out) {
      const t = state.count + 1;
      const bc1 = 1 - beta1 ** t;
      const bc2Sqrt = Math.sqrt(1 - beta2 ** t);
      const m = state.m, v = state.v, mo = out.m, vo = out.v;
      const c1 = 1 - beta1, c2 = 1 - beta2;
      // acc is NaN exactly when some new v is not finite: g² past the largest double would freeze
      // that coordinate at v = ∞ (a zero update for good), so it is rejected instead.
      let acc = 0;
      for (let i = 0; i < g.length; i++) {
        const gi = g[i]!;
        const mi = m[i]! * beta1 + c1 * gi;
        const vi = v[i]! * beta2 + c2 * gi * gi;
        mo[i] = mi;
        vo[i] = vi;
        acc += vi - vi;
        u[i] = mi / bc1 / (Math.sqrt(vi) / bc2Sqrt + eps);
      }
      if (acc !== 0) {
        let i = 0;
        while (vo[i]! - vo[i]! === 0) i++;
        throw new DescentError('NON_FINITE', 'scaleByAdam', `the second moment v[${i}] overflowed (gradient entry ${g[i]}: its square passes the largest double)`);
      }
      (out as { count: number }).count = t;
      return out;
    },
  };
}
