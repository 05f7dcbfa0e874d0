import { DescentError } from '@descent/linalg';

/**
 * Ville's threshold for a false-alarm level δ in (0, 1): a nonnegative (super)martingale started at 1
 * ever reaches 1/δ with probability at most δ. Throws `DOMAIN` for δ outside (0, 1).
 *
 * @example
 * ```ts
 * villeThreshold(0.05);
 * // 20
 * ```
 */
export function villeThreshold(delta: number): number {
  checkDelta(delta, 'villeThreshold');
  return 1 / delta;
}

function checkDelta(delta: number, where: string): void {
  if (!(typeof delta === 'number' && delta > 0 && delta < 1)) throw new DescentError('DOMAIN', where, `δ must be in (0, 1), got ${String(delta)}`);
}

/**
 * The CUSUM / Shiryaev–Roberts threshold A whose mean run length under the null is at least `arl`:
 * A = arl, because `R_t - t` is a martingale (optional stopping gives E[τ] ≥ A for SR) and CUSUM ≤ SR
 * pathwise. These are not Ville thresholds: CUSUM and SR alarm with probability 1 eventually.
 * Throws `DOMAIN` unless arl > 1.
 *
 * @example
 * ```ts
 * arlThreshold(500);
 * // 500
 * ```
 */
export function arlThreshold(arl: number): number {
  if (!(typeof arl === 'number' && arl > 1 && Number.isFinite(arl))) throw new DescentError('DOMAIN', 'arlThreshold', `the target ARL must be a finite number > 1, got ${String(arl)}`);
  return arl;
}

/**
 * The restarted-mixture delay bound of spec (b) (without overshoot): with a change at `nu` and
 * post-change log-growth Γ > 0, `(log(1/δ) + log(1/π_nu)) / Γ` with `π_nu = 1/(nu (nu + 1))` (nu ≥ 1;
 * for nu = 0 the prior term is 0 as the statistic starts at the product martingale's value).
 *
 * @example
 * ```ts
 * restartedDelayBound(1e-3, 100, 0.5).toFixed(1);
 * // '32.3'
 * ```
 */
export function restartedDelayBound(delta: number, nu: number, gamma: number): number {
  checkDelta(delta, 'restartedDelayBound');
  if (!(Number.isSafeInteger(nu) && nu >= 0)) throw new DescentError('DOMAIN', 'restartedDelayBound', `nu must be a non-negative integer, got ${String(nu)}`);
  if (!(typeof gamma === 'number' && gamma > 0 && gamma < Infinity)) throw new DescentError('DOMAIN', 'restartedDelayBound', `Γ must be a finite positive number, got ${String(gamma)}`);
  const prior = nu === 0 ? 0 : Math.log(nu) + Math.log(nu + 1);
  return (Math.log(1 / delta) + prior) / gamma;
}
