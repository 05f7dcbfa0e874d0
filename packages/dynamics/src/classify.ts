import { assertKnownKeys, configKeys, DescentError } from '@descent/linalg';
import { type ClassifyOptions, type ResolvedClassifyOptions, resolveClassifyOptions } from './classifyOptions.js';
import type { Objective } from './objective.js';
import { Status, type StatusCode } from './status.js';
import { requireFiniteVector, requireStepSize, requireObjective } from './validate.js';

/** The fate of one start under GD. */
export interface Classification {
  /** A {@link Status} code. */
  readonly status: StatusCode;
  /** Steps taken until the decision (the budget if undecided). */
  readonly steps: number;
  /** The last iterate (finite: divergence stops at ‖θ‖ > B). */
  readonly x: Float64Array;
  /** L at the last iterate. */
  readonly loss: number;
}

/**
 * Runs GD with step η from θ₀ and classifies the start as converged (to a global minimizer),
 * saddle, diverged or undecided within the budget (rules in {@link ClassifyOptions}; spec §c).
 * Divergence is a result, never an error or a NaN.
 *
 * @example
 * ```ts
 * classifyStart(scalarVectorObjective({ y: 1 }), new Float64Array([0.3, 0.2]), 0.5).status;
 * // 1
 * ```
 */
export function classifyStart(objective: Objective, x0: Float64Array, eta: number, options: ClassifyOptions = {}): Classification {
  const where = 'classifyStart';
  requireObjective(objective, where);
  assertKnownKeys(options, configKeys<ClassifyOptions>()('maxSteps', 'gradTol', 'lossTol', 'divergenceBound', 'rule'), where, 'options');
  requireStepSize(eta, where);
  if (!(x0 instanceof Float64Array) || x0.length !== objective.dim) {
    throw new DescentError('SHAPE_MISMATCH', where, `x0 must be a Float64Array of length ${objective.dim}`);
  }
  requireFiniteVector(x0, where, 'x0');
  const o = resolveClassifyOptions(options, where);
  const x = Float64Array.from(x0);
  const r = classifyInPlace(objective, x, new Float64Array(x.length), eta, o);
  return { status: r.status, steps: r.steps, loss: r.loss, x };
}

/** The outcome of {@link classifyInPlace}: a record a driver can reuse across starts. */
export interface ClassificationRecord {
  status: StatusCode;
  steps: number;
  loss: number;
}

/**
 * Unchecked core of {@link classifyStart}: iterates `x` in place (leaving the last iterate there) using
 * `g` as gradient scratch, and writes the outcome into `out` (a fresh record if omitted). The
 * arguments are checked (O(dim), negligible against the steps) before anything is written, so a
 * rejected call leaves `x`, `g` and `out` as they were. With reused buffers and record, classifying
 * many starts allocates nothing.
 *
 * @example
 * ```ts
 * const f = scalarVectorObjective({ y: 1 });
 * classifyInPlace(f, new Float64Array([3, -3]), new Float64Array(2), 0.5, resolveClassifyOptions({}, 'ex')).status;
 * // 2
 * ```
 */
export function classifyInPlace(
  objective: Objective,
  x: Float64Array,
  g: Float64Array,
  eta: number,
  o: ResolvedClassifyOptions,
  out: ClassificationRecord = { status: Status.UNDECIDED, steps: 0, loss: 0 },
): ClassificationRecord {
  const where = 'classifyInPlace';
  if (objective === null || typeof objective !== 'object' || typeof objective.gradInto !== 'function' || typeof objective.loss !== 'function') {
    throw new DescentError('INVALID_CONFIG', where, 'objective must be an Objective (with gradInto and loss)');
  }
  if (!(x instanceof Float64Array) || x.length !== objective.dim) throw new DescentError('SHAPE_MISMATCH', where, `x must be a Float64Array of length ${objective.dim}`);
  if (!(g instanceof Float64Array) || g.length !== objective.dim) throw new DescentError('SHAPE_MISMATCH', where, `g must be a Float64Array of length ${objective.dim}`);
  if (g.buffer === x.buffer && g.byteOffset < x.byteOffset + x.byteLength && x.byteOffset < g.byteOffset + g.byteLength) {
    throw new DescentError('SHAPE_MISMATCH', where, 'g must not overlap x');
  }
  requireFiniteVector(x, where, 'x');
  requireStepSize(eta, where);
  if (o === null || typeof o !== 'object') throw new DescentError('INVALID_CONFIG', where, 'o must be resolved classify options');
  resolveClassifyOptions(o, where);
  if (out === null || typeof out !== 'object') throw new DescentError('INVALID_CONFIG', where, 'out must be a classification record');
  const n = x.length;
  const gtol2 = o.gradTol * o.gradTol;
  const bound2 = o.divergenceBound * o.divergenceBound;
  const lossCut = objective.minLoss + o.lossTol;
  const useGrad = o.rule === 'gradient';
  let status: StatusCode = Status.UNDECIDED;
  let t = 0;
  for (; t < o.maxSteps; t++) {
    objective.gradInto(x, g);
    if (useGrad) {
      let gg = 0;
      for (let i = 0; i < n; i++) gg += g[i]! * g[i]!;
      if (gg < gtol2) {
        status = objective.loss(x) <= lossCut ? Status.CONVERGED : Status.SADDLE;
        break;
      }
    }
    let xx = 0;
    for (let i = 0; i < n; i++) {
      const v = x[i]! - eta * g[i]!;
      x[i] = v;
      xx += v * v;
    }
    // Negated test so that a NaN (impossible with the default bound, but cheap to catch) diverges.
    if (!(xx <= bound2)) {
      status = Status.DIVERGED;
      t++;
      break;
    }
  }
  const loss = objective.loss(x);
  if (!useGrad && status === Status.UNDECIDED && loss <= lossCut) status = Status.CONVERGED;
  out.status = status;
  out.steps = t;
  out.loss = loss;
  return out;
}
