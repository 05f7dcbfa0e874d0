import { DescentError } from '@descent/linalg';
import { villeThreshold } from './thresholds.js';

/**
 * Null score moments from a held-out calibration set, for the moment-plug-in exponential bettor
 * ([RECON] of M-FISHER's "null score moments"): the sample mean and (n - 1)-normalized standard deviation.
 * Throws `SHAPE_MISMATCH` for fewer than 2 scores, `NON_FINITE` on NaN/±Infinity, `DOMAIN` when all
 * scores are equal (σ = 0).
 *
 * @example
 * ```ts
 * nullMoments([1, 2, 3]);
 * // {"mu0": 2, "sigma0": 1}
 * ```
 */
export function nullMoments(calibration: ArrayLike<number>): { mu0: number; sigma0: number } {
  const n = calibration?.length ?? 0;
  if (n < 2) throw new DescentError('SHAPE_MISMATCH', 'nullMoments', `need at least 2 calibration scores, got ${n}`);
  let mean = 0;
  for (let i = 0; i < n; i++) {
    const v = calibration[i]!;
    if (v - v !== 0) throw new DescentError('NON_FINITE', 'nullMoments', `calibration[${i}] is ${v}`);
    mean += v;
  }
  mean /= n;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (calibration[i]! - mean) ** 2;
  const sigma0 = Math.sqrt(ss / (n - 1));
  if (!(sigma0 > 0)) throw new DescentError('DOMAIN', 'nullMoments', 'all calibration scores are equal: σ = 0');
  return { mu0: mean, sigma0 };
}

/**
 * A Hoeffding upper confidence bound for the null mean of scores in [a, b] (spec (b)):
 * `mu0 = mean + (b - a) √(log(1/δ_cal) / (2n))`. With it the `hoeffdingExp` bettor is a supermartingale
 * on the event (probability ≥ 1 - δ_cal) that the bound holds, so the total false-alarm probability is
 * at most δ + δ_cal. Throws `DOMAIN` for scores outside [a, b] or δ_cal outside (0, 1).
 *
 * @example
 * ```ts
 * hoeffdingMu0([0.2, 0.4], 0, 1, Math.exp(-4)).toFixed(4);
 * // '1.3000'
 * ```
 */
export function hoeffdingMu0(calibration: ArrayLike<number>, a: number, b: number, deltaCal: number): number {
  villeThreshold(deltaCal);
  if (!(Number.isFinite(a) && Number.isFinite(b) && a < b)) throw new DescentError('INVALID_CONFIG', 'hoeffdingMu0', `need finite a < b, got ${a}, ${b}`);
  const n = calibration?.length ?? 0;
  if (n < 1) throw new DescentError('SHAPE_MISMATCH', 'hoeffdingMu0', 'calibration set is empty');
  let mean = 0;
  for (let i = 0; i < n; i++) {
    const v = calibration[i]!;
    if (v - v !== 0) throw new DescentError('NON_FINITE', 'hoeffdingMu0', `calibration[${i}] is ${v}`);
    if (!(v >= a && v <= b)) throw new DescentError('DOMAIN', 'hoeffdingMu0', `calibration[${i}] = ${v} is outside [${a}, ${b}]`);
    mean += v;
  }
  return mean / n + (b - a) * Math.sqrt(Math.log(1 / deltaCal) / (2 * n));
}
