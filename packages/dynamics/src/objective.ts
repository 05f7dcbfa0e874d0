/**
 * A smooth loss with the oracles the dynamics tools need: value, gradient and Hessian-vector
 * product, plus its global minimum value (to tell minimizers from saddles). Parameters are one flat
 * `Float64Array` of length `dim`.
 *
 * `gradInto` and `hvpInto` write into `out` and return it; `out` must not alias their inputs.
 * Implementations may keep private scratch buffers, so an objective is not re-entrant.
 */
export interface Objective {
  /** A short identifier, e.g. `'scalarVector'`. */
  readonly name: string;
  /** Length of the parameter vector θ. */
  readonly dim: number;
  /** The global minimum value L* of the loss (used to label converged points). */
  readonly minLoss: number;
  /** L(θ). */
  loss(theta: Float64Array): number;
  /** Writes ∇L(θ) into `out`. */
  gradInto(theta: Float64Array, out: Float64Array): Float64Array;
  /** Writes ∇²L(θ)·vec into `out`. */
  hvpInto(theta: Float64Array, vec: Float64Array, out: Float64Array): Float64Array;
}
