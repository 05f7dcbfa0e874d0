import type { Key } from '@descent/linalg';

/**
 * The step contract every iterative method in descent follows (DESIGN.md, "The step contract").
 *
 * - `init` validates the config and returns the first state.
 * - `step` is pure: it never mutates `state` or `obs`, and returns a fresh state.
 * - `stepInto` writes the same result into `out`'s buffers (bit-identical to `step`) so a driver can
 *   ping-pong two states with no allocation. `out` must not be `state`.
 *
 * `Obs` is what the caller measured at `state.query`: a gradient for first-order methods, or
 * `{ value, grad }` for methods that need the loss value.
 */
export interface Method<Cfg, State extends MethodState, Obs> {
  /** A short identifier, e.g. `'adamw'`. */
  readonly name: string;
  /** What `step` needs: the gradient alone, or the loss value with it. */
  readonly observes: 'grad' | 'valueAndGrad';
  init(cfg: Cfg, x0: Float64Array, key?: Key): State;
  step(state: State, obs: Obs): State;
  stepInto?(state: State, obs: Obs, out: State): State;
}

/** What every method state has: plain data that can be cloned, compared and checkpointed. */
export interface MethodState {
  /** The current parameters (the method's output). */
  readonly x: Float64Array;
  /** Where the next observation must be taken (often the same array as `x`). */
  readonly query: Float64Array;
  /** Steps taken so far. */
  readonly t: number;
}

/** The observation of a method that needs the loss value as well as its gradient. */
export interface ValueAndGrad {
  readonly value: number;
  readonly grad: Float64Array;
}
