import fc from 'fast-check';
import { foldIn, key, normalInto, split, uniformInto, type Key } from '@descent/linalg';
import type { Betting } from '../betting.js';
import { cloneDetectorState, initDetector, stepInto, type AlarmStatistic, type DetectorConfig } from '../detector.js';
import { averageRunLength, crossingFrequency } from '../monte-carlo.js';
import { normalCdf } from '../normal.js';
import { onlinePValues } from '../pvalue.js';

const seedArb = fc.integer({ min: 0, max: 2 ** 31 - 1 });

/**
 * The number of Monte Carlo runs for a 5-standard-error check of `E[M_t] = 1` at tolerance `tol`:
 * `R = ⌈25 Var(M_t) / tol²⌉` with `Var(M_t) = (E g²)^t - 1` for i.i.d. uniform p-values (spec (d) 3).
 *
 * @example
 * ```ts
 * runsForMeanCheck(Math.exp(0.25), 10, 0.055);
 * // 92418
 * ```
 */
export function runsForMeanCheck(secondMoment: number, horizon: number, tol: number): number {
  return Math.ceil((25 * (secondMoment ** horizon - 1)) / (tol * tol));
}

/**
 * Theorem: under i.i.d. U(0, 1) p-values the product wealth is a martingale, `E[M_t] = 1`. For a
 * bettor with finite `E g²` (power eps > 1/2: eps²/(2eps - 1); jumper ≤ 13/12; Gaussian-exp:
 * e^{λ²}), `R = runsForMeanCheck(E g², t, tol)` runs make `|mean - 1| < tol` a 5-standard-error check
 * (false-failure probability < 1e-6 per seed). Do not use bettors with infinite variance (power
 * eps ≤ 1/2): their sample means are dominated by rare huge paths.
 *
 * @example
 * ```ts
 * fc.check(expectedWealthIsOne({ betting: { kind: 'power', eps: 0.8 }, horizon: 5, secondMoment: 0.64 / 0.6, tol: 0.05 }), { numRuns: 1 }).failed;
 * // false
 * ```
 */
export function expectedWealthIsOne(o: { betting: Betting; horizon: number; secondMoment: number; tol: number }) {
  const runs = runsForMeanCheck(o.secondMoment, o.horizon, o.tol);
  return fc.property(seedArb, (seed) => {
    const base = initDetector({ p: { mode: 'given' }, betting: o.betting, threshold: 1e300, alarmOn: 'product', onAlarm: 'continue', check: false }, key(seed));
    const ps = new Float64Array(o.horizon);
    const root = key(seed);
    let sum = 0;
    for (let r = 0; r < runs; r++) {
      uniformInto(foldIn(root, r), ps);
      const s = cloneDetectorState(base);
      for (let i = 0; i < o.horizon; i++) stepInto(s, ps[i]!, s);
      sum += Math.exp(s.logM);
    }
    return Math.abs(sum / runs - 1) < o.tol;
  });
}

/**
 * Theorem (Ville): with exact p-values (online conformal, or i.i.d. uniform given p-values) the
 * product and restarted statistics cross 1/δ with probability at most δ. Checked as
 * `frequency ≤ δ + 3 √(δ(1 - δ)/runs)` over `runs` null streams of length `horizon` (N(0, 1) scores,
 * or uniform p-values in `given` mode).
 *
 * @example
 * ```ts
 * const config = { p: { mode: 'given' }, betting: { kind: 'power', eps: 0.5 }, threshold: 20, alarmOn: 'product', onAlarm: 'latch' } as const;
 * fc.check(villeCrossingBound({ config, runs: 200, horizon: 200 }), { numRuns: 1 }).failed;
 * // false
 * ```
 */
export function villeCrossingBound(o: { config: DetectorConfig; runs: number; horizon: number; statistics?: AlarmStatistic[] }) {
  const delta = 1 / o.config.threshold;
  const bound = delta + 3 * Math.sqrt((delta * (1 - delta)) / o.runs);
  return fc.property(seedArb, (seed) => {
    const r = crossingFrequency(o.config, { runs: o.runs, horizon: o.horizon, key: key(seed) });
    return (o.statistics ?? ['product', 'restarted']).every((s) => r[s].frequency <= bound);
  });
}

/**
 * Kolmogorov–Smirnov distance between the empirical CDF of `x` and U(0, 1).
 *
 * @example
 * ```ts
 * ksUniform(new Float64Array([0.25, 0.75]));
 * // 0.25
 * ```
 */
export function ksUniform(x: ArrayLike<number>): number {
  const s = Float64Array.from(x).sort();
  const n = s.length;
  let d = 0;
  for (let i = 0; i < n; i++) d = Math.max(d, (i + 1) / n - s[i]!, s[i]! - i / n);
  return d;
}

/**
 * Asymptotic Kolmogorov critical value √(-ln(α/2)/2) for √n D.
 *
 * @example
 * ```ts
 * ksCritical(1e-3).toFixed(4);
 * // '1.9495'
 * ```
 */
export function ksCritical(alpha: number): number {
  return Math.sqrt(-Math.log(alpha / 2) / 2);
}

/**
 * Theorem (Vovk et al. 2003): online randomized conformal p-values of exchangeable scores are i.i.d.
 * U(0, 1), ties included. Checked on `n` scores (N(0, 1), rounded to `decimals` to create heavy ties
 * when given): KS `√n D < 1.9495` (level 1e-3) and lag-1 autocorrelation `|r₁| < 4/√n`.
 *
 * @example
 * ```ts
 * fc.check(onlinePValuesUniform({ n: 2000, decimals: 1 }), { numRuns: 1 }).failed;
 * // false
 * ```
 */
export function onlinePValuesUniform(o: { n: number; decimals?: number }) {
  return fc.property(seedArb, (seed) => {
    const [ks, ku] = split(key(seed), 2) as [Key, Key];
    const scores = normalInto(ks, new Float64Array(o.n));
    if (o.decimals !== undefined) {
      const f = 10 ** o.decimals;
      for (let i = 0; i < o.n; i++) scores[i] = Math.round(scores[i]! * f) / f;
    }
    const p = onlinePValues(scores, uniformInto(ku, new Float64Array(o.n)));
    const d = ksUniform(p);
    let m = 0;
    for (let i = 0; i < o.n; i++) m += p[i]!;
    m /= o.n;
    let num = 0;
    let den = 0;
    for (let i = 0; i < o.n; i++) {
      den += (p[i]! - m) ** 2;
      if (i > 0) num += (p[i]! - m) * (p[i - 1]! - m);
    }
    return Math.sqrt(o.n) * d < ksCritical(1e-3) && Math.abs(num / den) < 4 / Math.sqrt(o.n);
  });
}

/**
 * Mean detection delays of the Gaussianized exponential product martingale for oracle p-values
 * `p = 1 - Φ(s)`, `s ~ N(Delta, 1)` from time 0, at each level in `deltas`; plus the least-squares
 * slope and intercept of mean delay against log(1/δ). The delay is the number of samples up to and
 * including the crossing of 1/δ.
 *
 * @example
 * ```ts
 * delayRegression({ lambda: 1, Delta: 1, runs: 200, seed: 0 }).slope > 1.5;
 * // true
 * ```
 */
export function delayRegression(o: { lambda: number; Delta: number; runs: number; seed: number; deltas?: number[]; maxSteps?: number }): {
  meanDelay: number[];
  slope: number;
  intercept: number;
} {
  const deltas = o.deltas ?? [1e-2, 1e-3, 1e-4, 1e-6, 1e-8];
  const logThr = deltas.map((d) => Math.log(1 / d));
  const maxSteps = o.maxSteps ?? 100000;
  const base = initDetector({ p: { mode: 'given' }, betting: { kind: 'gaussExp', lambda: o.lambda }, threshold: 1e300, alarmOn: 'product', onAlarm: 'continue', check: false }, key(o.seed));
  const sums = new Float64Array(deltas.length);
  const chunk = new Float64Array(256);
  const root = key(o.seed);
  for (let r = 0; r < o.runs; r++) {
    const s = cloneDetectorState(base);
    const kr = foldIn(root, r);
    let next = 0; // index of the first level not yet crossed
    let t = 0;
    for (let c = 0; next < deltas.length; c++) {
      normalInto(foldIn(kr, c), chunk, o.Delta, 1);
      for (let i = 0; i < chunk.length && next < deltas.length; i++) {
        stepInto(s, normalCdf(-chunk[i]!), s);
        t++;
        while (next < deltas.length && s.logM >= logThr[next]!) sums[next++]! += t;
      }
      if (t > maxSteps) throw new Error(`delayRegression: no crossing of δ = ${deltas[next]} within ${maxSteps} steps`);
    }
  }
  const meanDelay = Array.from(sums, (v) => v / o.runs);
  const n = deltas.length;
  const mx = logThr.reduce((a, b) => a + b, 0) / n;
  const my = meanDelay.reduce((a, b) => a + b, 0) / n;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < n; i++) {
    sxy += (logThr[i]! - mx) * (meanDelay[i]! - my);
    sxx += (logThr[i]! - mx) ** 2;
  }
  const slope = sxy / sxx;
  return { meanDelay, slope, intercept: my - slope * mx };
}

/**
 * Theorem (Wald's identity, spec (b)): with post-change log-growth `Γ = λΔ - λ²/2 > 0`, the mean
 * detection delay grows like `log(1/δ)/Γ`; the fitted slope over δ in {1e-2, ..., 1e-8} is within
 * `relTol` (default 5%) of 1/Γ and the intercept (overshoot) is positive.
 *
 * @example
 * ```ts
 * fc.check(delaySlopeMatchesGamma({ lambda: 1, Delta: 1, runs: 1000 }), { numRuns: 1 }).failed;
 * // false
 * ```
 */
export function delaySlopeMatchesGamma(o: { lambda: number; Delta: number; runs: number; relTol?: number }) {
  const gamma = o.lambda * o.Delta - (o.lambda * o.lambda) / 2;
  return fc.property(seedArb, (seed) => {
    const { slope, intercept } = delayRegression({ ...o, seed });
    return Math.abs(slope * gamma - 1) <= (o.relTol ?? 0.05) && intercept > 0;
  });
}

/**
 * Theorem: Shiryaev–Roberts `R_t - t` is a null martingale, so by optional stopping the mean run
 * length to `R ≥ A` is at least A; CUSUM ≤ SR pathwise, so the same holds for CUSUM. Checked as
 * `mean run length ≥ A` over `runs` null streams (N(0, 1) scores through online p-values, or uniform
 * p-values in `given` mode), each censored at `maxSteps`.
 *
 * @example
 * ```ts
 * fc.check(arlAtLeastThreshold({ statistic: 'sr', threshold: 20, betting: { kind: 'gaussExp', lambda: 1 }, runs: 100 }), { numRuns: 1 }).failed;
 * // false
 * ```
 */
export function arlAtLeastThreshold(o: { statistic: 'sr' | 'cusum'; threshold: number; betting: Betting; runs: number; maxSteps?: number }) {
  return fc.property(seedArb, (seed) => {
    const r = averageRunLength(
      { p: { mode: 'given' }, betting: o.betting, threshold: o.threshold, alarmOn: o.statistic, onAlarm: 'latch' },
      { runs: o.runs, maxSteps: o.maxSteps ?? 1_000_000, key: key(seed) },
    );
    return r.mean >= o.threshold;
  });
}
