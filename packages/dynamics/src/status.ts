import { DescentError, describeValue } from '@descent/linalg';
/**
 * The fate of one initialization under GD within a step budget, as stored in `Uint8Array` maps:
 * `UNDECIDED` (0, still bounded after the budget), `CONVERGED` (1, reached a global minimizer),
 * `DIVERGED` (2, left the ball of radius `divergenceBound`), `SADDLE` (3, reached a stationary
 * point whose loss is above the global minimum, e.g. θ = 0).
 *
 * @example
 * ```ts
 * Status.DIVERGED;
 * // 2
 * ```
 */
export const Status = { UNDECIDED: 0, CONVERGED: 1, DIVERGED: 2, SADDLE: 3 } as const;

/** One of the {@link Status} codes. */
export type StatusCode = (typeof Status)[keyof typeof Status];

const NAMES = ['undecided', 'converged', 'diverged', 'saddle'] as const;

/**
 * The lower-case name of a status code.
 *
 * @example
 * ```ts
 * statusName(Status.CONVERGED);
 * // 'converged'
 * ```
 */
export function statusName(s: number): (typeof NAMES)[number] {
  const n = Number.isInteger(s) ? NAMES[s] : undefined;
  if (n === undefined) throw new DescentError('DOMAIN', 'statusName', `unknown status ${String(s)} (expected 0, 1, 2 or 3)`);
  return n;
}

/** How many pixels of a map ended in each status. */
export interface StatusCounts {
  readonly undecided: number;
  readonly converged: number;
  readonly diverged: number;
  readonly saddle: number;
}

/**
 * Counts the statuses of a map.
 *
 * @example
 * ```ts
 * countStatuses(new Uint8Array([1, 1, 2, 0])).converged;
 * // 2
 * ```
 */
export function countStatuses(status: Uint8Array): StatusCounts {
  if (!(status instanceof Uint8Array)) throw new DescentError('SHAPE_MISMATCH', 'countStatuses', `status must be a Uint8Array, got ${describeValue(status)}`);
  const c = [0, 0, 0, 0];
  for (let i = 0; i < status.length; i++) {
    const s = status[i]!;
    if (s > 3) throw new DescentError('DOMAIN', 'countStatuses', `status[${i}] = ${s} is not a status (0, 1, 2 or 3)`);
    c[s]++;
  }
  return { undecided: c[0]!, converged: c[1]!, diverged: c[2]!, saddle: c[3]! };
}
