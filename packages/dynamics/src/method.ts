/**
 * The step contract of DESIGN.md, mirrored locally (this package depends only on `@descent/linalg`):
 * `init` validates and returns the first state, `step` is pure, `stepInto` writes the same result
 * into a caller-owned state's buffers so a driver can ping-pong two states without allocating.
 */
export interface Method<Cfg, State extends MethodState, Obs> {
  /** A short identifier. */
  readonly name: string;
  /** What `step` needs from the caller; a GD map computes its own gradient, so `'none'`. */
  readonly observes: 'none' | 'grad' | 'valueAndGrad';
  init(cfg: Cfg, x0: Float64Array): State;
  step(state: State, obs: Obs): State;
  stepInto(state: State, obs: Obs, out: State): State;
}

/** What every state has: plain data that can be cloned, compared and checkpointed. */
export interface MethodState {
  /** The current parameters. */
  readonly x: Float64Array;
  /** Where the next observation would be taken (the same array as `x` for GD maps). */
  readonly query: Float64Array;
  /** Steps taken so far. */
  readonly t: number;
}
