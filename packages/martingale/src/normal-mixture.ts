import { assertKnownKeys, configKeys, DescentError } from '@descent/linalg';
import { logNormalCdf } from './normal.js';

/** Options of the normal-mixture boundary (confseq `uniform_boundaries.h`). */
export interface NormalMixtureOptions {
  /** Intrinsic time at which the boundary is tightest (> 0). */
  vOpt: number;
  /** Level the mixing variance is tuned for (default 0.05). */
  alphaOpt?: number;
  /** One-sided (default, confseq's default) or two-sided mixture. */
  oneSided?: boolean;
}

/**
 * The mixing precision ρ that makes the two-sided normal-mixture boundary tightest at intrinsic time
 * `v` for level `alpha` (Howard et al. 2021): `v / (2 log(1/α) + log(1 + 2 log(1/α)))`.
 *
 * @example
 * ```ts
 * normalMixtureRho(100, 0.05).toFixed(4);
 * // '12.6006'
 * ```
 */
export function normalMixtureRho(v: number, alpha: number): number {
  if (!(v > 0 && Number.isFinite(v))) throw new DescentError('DOMAIN', 'normalMixtureRho', `v must be positive, got ${v}`);
  if (!(alpha > 0 && alpha < 1)) throw new DescentError('DOMAIN', 'normalMixtureRho', `α must be in (0, 1), got ${alpha}`);
  const l = Math.log(1 / alpha);
  return v / (2 * l + Math.log(1 + 2 * l));
}

/**
 * log of the normal-mixture supermartingale at sum `s` and intrinsic time `v` (confseq
 * `normal_log_mixture`): two-sided `½ log(ρ/(v+ρ)) + s²/(2(v+ρ))`; one-sided
 * `½ log(4ρ/(v+ρ)) + s²/(2(v+ρ)) + log Φ(s/√(v+ρ))` with ρ tuned at `2 alphaOpt`.
 *
 * @example
 * ```ts
 * normalLogMixture(0, 100, { vOpt: 100, oneSided: false }).toFixed(4);
 * // '-1.0951'
 * ```
 */
export function normalLogMixture(s: number, v: number, options: NormalMixtureOptions): number {
  const { rho, oneSided } = mixtureParams(options, 'normalLogMixture');
  if (!(v >= 0 && Number.isFinite(v))) throw new DescentError('DOMAIN', 'normalLogMixture', `v must be finite and >= 0, got ${v}`);
  if (!Number.isFinite(s)) throw new DescentError('NON_FINITE', 'normalLogMixture', `s is ${s}`);
  return logMixture(s, v, rho, oneSided);
}

/**
 * The log normal mixture with an explicit mixing precision ρ (no validation): the kernel behind
 * {@link normalLogMixture} and the `gaussMixture` bettor. Not part of the package's API
 * (`logMixture(0, 0, ρ, oneSided)` is 0 for any ρ).
 *
 * @internal
 */
export function logMixture(s: number, v: number, rho: number, oneSided: boolean): number {
  if (oneSided) return 0.5 * Math.log((4 * rho) / (v + rho)) + (s * s) / (2 * (v + rho)) + logNormalCdf(s / Math.sqrt(v + rho));
  return 0.5 * Math.log(rho / (v + rho)) + (s * s) / (2 * (v + rho));
}

/**
 * The uniform boundary: the value of s at which the normal mixture reaches 1/α at intrinsic time v
 * (confseq `normal_mixture_bound`). With `S_t` a 1-sub-Gaussian sum with variance process `V_t`,
 * `P(∃t: S_t ≥ bound(V_t)) ≤ α`. Two-sided: closed form `√((v+ρ)(log(1 + v/ρ) + 2 log(1/α)))`;
 * one-sided: bisection on the log mixture (confseq brackets by doubling from v).
 *
 * @example
 * ```ts
 * normalMixtureBound(100, 0.05, { vOpt: 100, oneSided: false }).toFixed(4);
 * // '30.3521'
 * ```
 */
export function normalMixtureBound(v: number, alpha: number, options: NormalMixtureOptions): number {
  const { rho, oneSided } = mixtureParams(options, 'normalMixtureBound');
  if (!(v > 0 && Number.isFinite(v))) throw new DescentError('DOMAIN', 'normalMixtureBound', `v must be positive, got ${v}`);
  if (!(alpha > 0 && alpha < 1)) throw new DescentError('DOMAIN', 'normalMixtureBound', `α must be in (0, 1), got ${alpha}`);
  const logThreshold = Math.log(1 / alpha);
  if (!oneSided) return Math.sqrt((v + rho) * (Math.log(1 + v / rho) + 2 * logThreshold));
  let hi = v;
  let found = false;
  for (let i = 0; i < 50; i++) {
    if (logMixture(hi, v, rho, true) > logThreshold) {
      found = true;
      break;
    }
    hi *= 2;
  }
  if (!found) throw new DescentError('NOT_CONVERGED', 'normalMixtureBound', 'no upper bracket for the one-sided boundary');
  let lo = 0;
  if (logMixture(lo, v, rho, true) >= logThreshold) return 0;
  // The log mixture increases in s ≥ 0: plain bisection to the last bit.
  for (let i = 0; i < 200 && hi - lo > 1e-15 * hi; i++) {
    const mid = 0.5 * (lo + hi);
    if (logMixture(mid, v, rho, true) < logThreshold) lo = mid;
    else hi = mid;
  }
  return 0.5 * (lo + hi);
}

function mixtureParams(o: NormalMixtureOptions, where: string): { rho: number; oneSided: boolean } {
  assertKnownKeys(o, configKeys<NormalMixtureOptions>()('vOpt', 'alphaOpt', 'oneSided'), where, 'options');
  if (!o || !(o.vOpt > 0 && Number.isFinite(o.vOpt))) throw new DescentError('INVALID_CONFIG', where, `vOpt must be positive, got ${String(o?.vOpt)}`);
  const alphaOpt = o.alphaOpt ?? 0.05;
  if (!(alphaOpt > 0 && alphaOpt < 1)) throw new DescentError('DOMAIN', where, `alphaOpt must be in (0, 1), got ${alphaOpt}`);
  const oneSided = o.oneSided ?? true;
  return { rho: normalMixtureRho(o.vOpt, oneSided ? 2 * alphaOpt : alphaOpt), oneSided };
}
