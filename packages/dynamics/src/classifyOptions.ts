import { DescentError } from '@descent/linalg';
import { requireInteger, requirePositive, requireOptions } from './validate.js';

/**
 * How an initialization is classified (spec §c).
 *
 * - `rule: 'gradient'` (default): stop as soon as ‖∇L‖ < `gradTol`; the point is `CONVERGED` if its
 *   loss is within `lossTol` of the global minimum, else `SADDLE`. [RECON]
 * - `rule: 'lossThreshold'`: the authors' rule as quoted from their Fig. 3 notebook [2ND]: run exactly
 *   `maxSteps` steps, `CONVERGED` iff L(θ_T) ≤ L* + `lossTol`, else `UNDECIDED`.
 *
 * Under both rules a start is `DIVERGED` as soon as ‖θ‖₂ > `divergenceBound` (so every stored
 * number stays finite: with B = 1e8 the residual is ≤ 1e16 and one more step ≤ ~1e24·η).
 */
export interface ClassifyOptions {
  /** Step budget T (default 1000). */
  readonly maxSteps?: number;
  /** Gradient-norm tolerance of the `gradient` rule (default 1e-9). */
  readonly gradTol?: number;
  /** Loss gap to the global minimum accepted as converged (default 1e-6). */
  readonly lossTol?: number;
  /** Divergence radius B on ‖θ‖₂ (default 1e8). */
  readonly divergenceBound?: number;
  /** Stopping rule (default `'gradient'`). */
  readonly rule?: 'gradient' | 'lossThreshold';
}

/** {@link ClassifyOptions} with every default filled in. */
export interface ResolvedClassifyOptions {
  readonly maxSteps: number;
  readonly gradTol: number;
  readonly lossTol: number;
  readonly divergenceBound: number;
  readonly rule: 'gradient' | 'lossThreshold';
}

/**
 * Fills in defaults and validates classification options.
 *
 * @example
 * ```ts
 * resolveClassifyOptions({ maxSteps: 50 }, 'f').gradTol;
 * // 1e-9
 * ```
 */
export function resolveClassifyOptions(o: ClassifyOptions = {}, where: string): ResolvedClassifyOptions {
  if (typeof where !== 'string') throw new DescentError('INVALID_CONFIG', 'resolveClassifyOptions', 'where must be a string (the caller reported in errors)');
  o = requireOptions(o, where);
  const maxSteps = requireInteger(o.maxSteps ?? 1000, 1, where, 'maxSteps');
  // Step counts are stored in Int32Arrays.
  if (maxSteps > 2 ** 31 - 1) throw new DescentError('INVALID_CONFIG', where, `maxSteps must be at most ${2 ** 31 - 1}, got ${maxSteps}`);
  const gradTol = requirePositive(o.gradTol ?? 1e-9, where, 'gradTol');
  const lossTol = requirePositive(o.lossTol ?? 1e-6, where, 'lossTol');
  const divergenceBound = requirePositive(o.divergenceBound ?? 1e8, where, 'divergenceBound');
  if (divergenceBound > 1e100) {
    throw new DescentError('INVALID_CONFIG', where, `divergenceBound ${divergenceBound} is too large for its square to stay finite`);
  }
  const rule = o.rule ?? 'gradient';
  if (rule !== 'gradient' && rule !== 'lossThreshold') {
    throw new DescentError('INVALID_CONFIG', where, `rule must be 'gradient' or 'lossThreshold', got ${String(rule)}`);
  }
  return { maxSteps, gradTol, lossTol, divergenceBound, rule };
}
