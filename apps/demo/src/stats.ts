import { foldIn, key as makeKey, permutation, uniform, type Key } from '@descent/linalg';

/** A point estimate with a two-sided 95% confidence interval. */
export interface Interval {
  estimate: number;
  lo: number;
  hi: number;
  /** Independent units (seeds, runs) the interval is computed from. */
  n: number;
  /** How the interval was computed. */
  method: 't' | 'bootstrap' | 'wilson' | 'fit';
}

/** Arithmetic mean (NaN for no values). */
export function mean(xs: readonly number[]): number {
  return xs.length === 0 ? NaN : xs.reduce((a, b) => a + b, 0) / xs.length;
}

/** Sample standard deviation (n − 1 in the denominator; 0 for one value). */
export function sd(xs: readonly number[]): number {
  if (xs.length < 2) return 0;
  const m = mean(xs);
  return Math.sqrt(xs.reduce((a, x) => a + (x - m) ** 2, 0) / (xs.length - 1));
}

// Two-sided 95% quantiles t_{0.975, df} of Student's t for df = 1..30.
const T975 = [12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131, 2.12, 2.11, 2.101, 2.093, 2.086, 2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042];

/** t_{0.975, df}: tabulated to df 30, then 1.96 + 2.4/df (within 0.002 of the exact value). */
export function t975(df: number): number {
  if (!(df >= 1)) return Infinity;
  return df <= 30 ? T975[Math.floor(df) - 1]! : 1.96 + 2.4 / df;
}

/**
 * Student-t 95% interval for the mean of `xs` (exact for normal data; with ≥ 5 seeds it is the
 * usual choice for a mean over seeds). One value gives an unbounded interval.
 */
export function meanCi(xs: readonly number[]): Interval {
  const n = xs.length;
  const m = mean(xs);
  const half = n < 2 ? Infinity : (t975(n - 1) * sd(xs)) / Math.sqrt(n);
  return { estimate: m, lo: m - half, hi: m + half, n, method: 't' };
}

/** Paired differences a_i − b_i (same seed i) and their t interval. */
export function pairedCi(a: readonly number[], b: readonly number[]): Interval {
  return meanCi(a.map((x, i) => x - b[i]!));
}

/**
 * Percentile bootstrap over units (seeds): each resample draws `rows.length` rows with replacement
 * and evaluates `stat` on them, so a paired statistic (e.g. a ratio of mean gains over the same
 * seeds) keeps its pairing. The PRNG is @descent/linalg's, seeded by `k`.
 */
export function bootstrapCi<R>(rows: readonly R[], stat: (rows: readonly R[]) => number, k: Key, resamples = 2000): Interval {
  const n = rows.length;
  const estimate = stat(rows);
  if (n < 2) return { estimate, lo: -Infinity, hi: Infinity, n, method: 'bootstrap' };
  const u = uniform(k, resamples * n);
  const values: number[] = [];
  const pick: R[] = new Array<R>(n);
  for (let b = 0; b < resamples; b++) {
    for (let i = 0; i < n; i++) pick[i] = rows[Math.min(n - 1, Math.floor(u[b * n + i]! * n))]!;
    const v = stat(pick);
    if (Number.isFinite(v)) values.push(v);
  }
  values.sort((a, b) => a - b);
  if (values.length === 0) return { estimate, lo: -Infinity, hi: Infinity, n, method: 'bootstrap' };
  const q = (p: number) => values[Math.min(values.length - 1, Math.max(0, Math.floor(p * values.length)))]!;
  return { estimate, lo: q(0.025), hi: q(0.975), n, method: 'bootstrap' };
}

/** Wilson score 95% interval for a binomial proportion. */
export function wilsonCi(successes: number, n: number): Interval {
  const z = 1.959963984540054;
  const p = n > 0 ? successes / n : NaN;
  const den = 1 + (z * z) / n;
  const centre = (p + (z * z) / (2 * n)) / den;
  const half = (z * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n))) / den;
  return { estimate: p, lo: centre - half, hi: centre + half, n, method: 'wilson' };
}

/** Ordinary least squares of y on x: slope, intercept, R², and the slope's standard error. */
export function ols(x: readonly number[], y: readonly number[]): { slope: number; intercept: number; r2: number; slopeSe: number } {
  const n = x.length;
  const mx = mean(x);
  const my = mean(y);
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    sxy += (x[i]! - mx) * (y[i]! - my);
    sxx += (x[i]! - mx) ** 2;
    syy += (y[i]! - my) ** 2;
  }
  const slope = sxx > 0 ? sxy / sxx : 0;
  const intercept = my - slope * mx;
  const r2 = sxx > 0 && syy > 0 ? (sxy * sxy) / (sxx * syy) : 0;
  const rss = Math.max(0, syy - slope * sxy);
  const slopeSe = n > 2 && sxx > 0 ? Math.sqrt(rss / (n - 2) / sxx) : Infinity;
  return { slope, intercept, r2, slopeSe };
}

/**
 * One-sided permutation p-value for "R² of y on x is this large by chance": the fraction of
 * `permutations` shuffles of y (plus the observed order) whose R² is at least the observed one.
 */
export function permutationPValue(x: readonly number[], y: readonly number[], k: Key, permutations = 999): number {
  const observed = ols(x, y).r2;
  let atLeast = 1;
  for (let b = 0; b < permutations; b++) {
    const p = permutation(foldIn(k, b), y.length);
    const yy = Array.from(p, (i) => y[i]!);
    if (ols(x, yy).r2 >= observed - 1e-15) atLeast++;
  }
  return atLeast / (permutations + 1);
}

/** What a claim says about an effect: its true value lies above (or below) a threshold. */
export type Direction = 'above' | 'below';

/** The outcome of judging one effect by its interval. */
export type Outcome = 'pass' | 'fail' | 'inconclusive';

/** One measured effect, its 95% interval, and the criterion that judges it. */
export interface Effect {
  /** Short name, e.g. "SAM − SGD test accuracy". */
  label: string;
  interval: Interval;
  direction: Direction;
  threshold: number;
  /** pass: the whole interval is on the claim's side; fail: the whole interval on the other side. */
  outcome: Outcome;
  /** Decimal digits (or 'exp' for scientific notation) when printed. */
  digits: number | 'exp';
}

/**
 * Judges an effect: the claim "value > threshold" (direction 'above') passes when the interval's
 * lower end is above the threshold, fails when its upper end is at or below it, and is inconclusive
 * when the interval straddles it ('below' mirrors this). So every criterion can pass and can fail.
 */
export function effect(label: string, interval: Interval, direction: Direction, threshold: number, digits: number | 'exp' = 3): Effect {
  let outcome: Outcome = 'inconclusive';
  if (direction === 'above') {
    if (interval.lo > threshold) outcome = 'pass';
    else if (interval.hi <= threshold) outcome = 'fail';
  } else if (interval.hi < threshold) outcome = 'pass';
  else if (interval.lo >= threshold) outcome = 'fail';
  if (Number.isNaN(interval.estimate)) outcome = 'inconclusive';
  return { label, interval, direction, threshold, outcome, digits };
}

/** Formats a number with the effect's digits. */
export function fmt(v: number, digits: number | 'exp' = 3): string {
  if (!Number.isFinite(v)) return Number.isNaN(v) ? 'n/a' : v > 0 ? '∞' : '−∞';
  if (digits === 'exp') return v.toExponential(1);
  return v.toFixed(digits);
}

/** "label 0.12 [0.05, 0.20] > 0 ✓": the effect, its interval, the criterion and the outcome mark. */
export function formatEffect(e: Effect): string {
  const { estimate, lo, hi } = e.interval;
  const mark = e.outcome === 'pass' ? '✓' : e.outcome === 'fail' ? '✗' : '?';
  return `${e.label} ${fmt(estimate, e.digits)} [${fmt(lo, e.digits)}, ${fmt(hi, e.digits)}] ${e.direction === 'above' ? '>' : '<'} ${fmt(e.threshold, e.digits)} ${mark}`;
}

/** A stable sub-key of the run's seed for the bootstrap of an experiment. */
export function statsKey(seed: number, salt: number): Key {
  return foldIn(makeKey(seed), 0x5eed0000 + salt);
}
