import { assertKnownKeys, configKeys, DescentError, describeValue } from '@descent/linalg';
import type { Method, MethodState } from './method.js';
import type { Objective } from './objective.js';
import { requireFiniteVector, requireStepSize, requireObjective } from './validate.js';

/** Configuration of a GD map. */
export interface GdConfig {
  /** Step size η > 0. */
  readonly eta: number;
  /** Check each new iterate for overflow and throw `NON_FINITE` (default true; O(n) per step). */
  readonly check?: boolean;
}

/** State of a GD map: the iterate, its step count and the (fixed) step size. */
export interface GdState extends MethodState {
  readonly eta: number;
  readonly check: boolean;
}

/**
 * The GD map θ ↦ θ − η∇L(θ) of an {@link Objective} as a pure step (`Obs` is `undefined`: the map
 * evaluates its own gradient). `step` allocates; `stepInto(state, undefined, out)` writes into `out.x`
 * (which must not be `state.x`). With `check` on, an iterate that overflows throws `NON_FINITE`
 * instead of returning NaN; divergence as a *result* is what {@link classifyStart} reports.
 *
 * @example
 * ```ts
 * const gd = gradientDescent(scalarVectorObjective({ y: 1 }));
 * gd.step(gd.init({ eta: 0.5 }, new Float64Array([1, 0])), undefined).x;
 * // Float64Array [1, 0.5]
 * ```
 */
export function gradientDescent(objective: Objective): Method<GdConfig, GdState, undefined> {
  requireObjective(objective, 'gradientDescent');
  const where = `gradientDescent(${objective.name})`;
  const dim = objective.dim;
  // With check on, the step is computed in a scratch buffer and copied only once it is known to be
  // finite: a step that throws NON_FINITE leaves out.x as it was (no half-written output).
  let scratch: Float64Array | undefined;
  const stepInto = (state: GdState, _obs: undefined, out: GdState): GdState => {
    if (state === null || typeof state !== 'object' || !(state.x instanceof Float64Array) || state.x.length !== dim) {
      throw new DescentError('SHAPE_MISMATCH', where, `state.x must be a Float64Array of length ${dim}`);
    }
    // The fields step reads, checked before anything is written.
    requireStepSize(state.eta, where, 'state.eta');
    if (typeof state.check !== 'boolean') throw new DescentError('INVALID_STATE', where, `state.check must be a boolean, got ${describeValue(state.check)}`);
    if (typeof state.t !== 'number' || !Number.isSafeInteger(state.t) || state.t < 0) throw new DescentError('INVALID_STATE', where, `state.t must be a step count, got ${describeValue(state.t)}`);
    if (out === null || typeof out !== 'object' || !(out.x instanceof Float64Array)) {
      throw new DescentError('SHAPE_MISMATCH', where, 'out must be a state with a Float64Array x');
    }
    const x = state.x;
    const nx = out.x;
    if (nx === x) throw new DescentError('INVALID_CONFIG', where, 'stepInto: out.x must not be state.x');
    if (nx.length !== dim) throw new DescentError('SHAPE_MISMATCH', where, `out.x has length ${nx.length}, expected ${dim}`);
    const eta = state.eta;
    if (state.check) {
      scratch ??= new Float64Array(dim);
      const g = scratch;
      objective.gradInto(x, g);
      for (let i = 0; i < dim; i++) {
        const v = x[i]! - eta * g[i]!;
        if (v - v !== 0) throw new DescentError('NON_FINITE', where, `iterate overflowed at step ${state.t + 1}, coordinate ${i}`);
        g[i] = v;
      }
      nx.set(g);
    } else {
      objective.gradInto(x, nx);
      for (let i = 0; i < dim; i++) nx[i] = x[i]! - eta * nx[i]!;
    }
    return { x: nx, query: nx, t: state.t + 1, eta, check: state.check };
  };
  return {
    name: `gd:${objective.name}`,
    observes: 'none',
    init(cfg, x0) {
      assertKnownKeys(cfg, configKeys<GdConfig>()('eta', 'check'), where);
      const eta = requireStepSize(cfg.eta, where);
      if (!(x0 instanceof Float64Array) || x0.length !== dim) {
        throw new DescentError('SHAPE_MISMATCH', where, `x0 must be a Float64Array of length ${dim}`);
      }
      requireFiniteVector(x0, where, 'x0');
      const x = Float64Array.from(x0);
      const check = cfg.check ?? true;
      if (typeof check !== 'boolean') throw new DescentError('INVALID_CONFIG', where, `check must be a boolean, got ${describeValue(check)}`);
      return { x, query: x, t: 0, eta, check };
    },
    step(state, obs) {
      const x = new Float64Array(dim);
      return stepInto(state, obs, { x, query: x, t: 0, eta: 0, check: true });
    },
    stepInto,
  };
}
