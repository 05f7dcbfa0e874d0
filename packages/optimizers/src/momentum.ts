import { assertKnownKeys, DescentError } from '@descent/linalg';
import type { Transform } from './transform.js';

/** State of {@link traceMomentum} and {@link emaMomentum}: the momentum buffer. */
export interface MomentumState {
  readonly buf: Float64Array;
}

function check(where: string, beta: number): void {
  if (!(typeof beta === 'number' && beta >= 0 && beta < 1)) throw new DescentError('INVALID_CONFIG', where, `momentum must be in [0, 1), got ${String(beta)}`);
}

/**
 * Heavy-ball ("SGD") momentum, optax `trace` / PyTorch SGD convention: b ← μ·b + g (b starts at 0, so
 * the first b is g); u = b, or g + μ·b with Nesterov.
 *
 * @example
 * ```ts
 * import { traceMomentum, applyTransform } from '@descent/optimizers';
 * const t = traceMomentum({ momentum: 0.5 });
 * const r1 = applyTransform(t, new Float64Array([1]), t.init(new Float64Array(1), [1]), new Float64Array(1));
 * applyTransform(t, new Float64Array([1]), r1.state, new Float64Array(1)).update[0];
 * // 1.5
 * ```
 */
export function traceMomentum(options: { momentum: number; nesterov?: boolean }): Transform<MomentumState> {
  assertKnownKeys(options, ['momentum', 'nesterov'], 'traceMomentum', 'options');
  const mu = options.momentum;
  check('traceMomentum', mu);
  const nesterov = options.nesterov ?? false;
  return {
    name: 'traceMomentum',
    init: (x0) => ({ buf: new Float64Array(x0.length) }),
    updateInto(g, state, _x, u, out) {
      const b = state.buf, bo = out.buf;
      for (let i = 0; i < g.length; i++) {
        const gi = g[i]!;
        const bi = mu * b[i]! + gi;
        bo[i] = bi;
        u[i] = nesterov ? gi + mu * bi : bi;
      }
      return out;
    },
  };
}

/**
 * Exponential-moving-average momentum (Keller Jordan's Muon convention): b ← β·b + (1−β)·g; u = b, or
 * (1−β)·g + β·b with Nesterov. Differs from {@link traceMomentum} by the factor (1−β) on u, which
 * scale-invariant directions (Muon, EGD, RACS) do not see.
 *
 * @example
 * ```ts
 * import { emaMomentum, applyTransform } from '@descent/optimizers';
 * const t = emaMomentum({ beta: 0.5 });
 * applyTransform(t, new Float64Array([2]), t.init(new Float64Array(1), [1]), new Float64Array(1)).update[0];
 * // 1
 * ```
 */
export function emaMomentum(options: { beta: number; nesterov?: boolean }): Transform<MomentumState> {
  assertKnownKeys(options, ['beta', 'nesterov'], 'emaMomentum', 'options');
  const beta = options.beta;
  check('emaMomentum', beta);
  const nesterov = options.nesterov ?? false;
  const c = 1 - beta;
  return {
    name: 'emaMomentum',
    init: (x0) => ({ buf: new Float64Array(x0.length) }),
    updateInto(g, state, _x, u, out) {
      const b = state.buf, bo = out.buf;
      for (let i = 0; i < g.length; i++) {
        const gi = g[i]!;
        const bi = beta * b[i]! + c * gi;
        bo[i] = bi;
        u[i] = nesterov ? c * gi + beta * bi : bi;
      }
      return out;
    },
  };
}
