import type { Key } from '@descent/linalg';
import type { BatchStatistics } from '../statistics.js';

/**
 * What every circuit-learning state has (the step contract of DESIGN.md): plain data.
 * `x` = the circuit's parameter array; `query` = the parameters at which the next batch statistics
 * must be computed (the same array); `t` = updates done.
 */
export interface CircuitLearnerState {
  readonly x: Float64Array;
  readonly query: Float64Array;
  readonly t: number;
}

/**
 * The step contract (DESIGN.md) specialised to EM-type learning: `step(state, batchStatistics)`.
 * Structurally the `Method` of `@descent/optimizers` with `Obs = BatchStatistics`; declared here
 * so that circuits does not depend on optimizers.
 */
export interface CircuitLearner<Cfg, State extends CircuitLearnerState> {
  readonly name: string;
  /** What `step` needs: flows summed over a batch at `state.query`. */
  readonly observes: 'flows';
  init(cfg: Cfg, x0: Float64Array, key?: Key): State;
  /** Pure: returns a new state; never mutates `state` or `obs`. */
  step(state: State, obs: BatchStatistics): State;
  /** The same update written into `out`'s buffers (bit-identical to `step`); `out` must not be `state`. */
  stepInto(state: State, obs: BatchStatistics, out: State): State;
}
