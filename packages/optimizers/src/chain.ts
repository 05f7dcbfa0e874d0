import { DescentError } from '@descent/linalg';
import type { Transform } from './transform.js';

/** State of {@link chain}: the states of its links, in order. */
export interface ChainState {
  readonly parts: readonly unknown[];
}

/**
 * Composes transforms left to right (optax `chain`): the update flows through each in turn, and the
 * state is the list of their states.
 *
 * @example
 * ```ts
 * import { chain, scale, applyTransform } from '@descent/optimizers';
 * const t = chain(scale(2), scale(3));
 * applyTransform(t, new Float64Array([1]), t.init(new Float64Array(1), [1]), new Float64Array(1)).update[0];
 * // 6
 * ```
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- states of the links differ
export function chain(...transforms: Transform<any>[]): Transform<ChainState> {
  if (transforms.length === 0) throw new DescentError('INVALID_CONFIG', 'chain', 'give at least one transform');
  for (const t of transforms) {
    if (t === null || typeof t !== 'object' || typeof t.updateInto !== 'function') throw new DescentError('INVALID_CONFIG', 'chain', 'every argument must be a Transform');
  }
  const ts = transforms as unknown as Transform<unknown>[];
  return {
    name: `chain(${ts.map((t) => t.name).join(', ')})`,
    init: (x0, shape, key) => ({ parts: ts.map((t) => t.init(x0, shape, key)) }),
    updateInto(g, state, x, u, out) {
      const parts = out.parts as unknown[];
      let src = g;
      for (let k = 0; k < ts.length; k++) {
        parts[k] = ts[k]!.updateInto(src, state.parts[k], x, u, parts[k]);
        src = u;
      }
      return out;
    },
  };
}
