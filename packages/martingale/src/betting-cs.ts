import { assertKnownKeys, configKeys, assertArrayLike, DescentError, MAX_ELEMENTS } from '@descent/linalg';

/** Options of the predictable-mixture bets (confseq `lambda_predmix_eb`). */
export interface PredmixOptions {
  alpha?: number;
  /** Cap on λ (default Infinity). */
  truncation?: number;
  priorMean?: number;
  priorVariance?: number;
  fakeObs?: number;
}

/**
 * The predictable-mixture empirical-Bernstein bets of confseq `lambda_predmix_eb`:
 * `λ_t = √(2 log(1/α) / (t log(1+t) σ²_{t-1}))` with regularized `μ̂_t = (prior·fake + Σx)/(t + fake)`
 * (capped at 1) and `σ²_t = (priorVar·fake + Σ(x_i - μ̂_i)²)/(t + fake)`, `σ²_0 = priorVar`.
 *
 * @example
 * ```ts
 * predmixLambdas(new Float64Array([0.5]), { alpha: 0.05 })[0].toFixed(4);
 * // '5.8801'
 * ```
 */
export function predmixLambdas(x: ArrayLike<number>, options: PredmixOptions = {}): Float64Array {
  assertKnownKeys(options, configKeys<PredmixOptions>()('alpha', 'truncation', 'priorMean', 'priorVariance', 'fakeObs'), 'predmixLambdas', 'options');
  const where = 'predmixLambdas';
  checkData(x, where, false);
  if (options === null || typeof options !== 'object') throw new DescentError('INVALID_CONFIG', where, 'options must be an object');
  const alpha = options.alpha ?? 0.05;
  if (!(alpha > 0 && alpha < 1)) throw new DescentError('DOMAIN', where, `α must be in (0, 1), got ${alpha}`);
  const truncation = options.truncation ?? Infinity;
  if (!(truncation > 0)) throw new DescentError('INVALID_CONFIG', where, `truncation must be positive, got ${String(truncation)}`);
  const priorMean = options.priorMean ?? 0.5;
  if (!(priorMean >= 0 && priorMean <= 1)) throw new DescentError('INVALID_CONFIG', where, `priorMean must be in [0, 1], got ${String(priorMean)}`);
  const priorVariance = options.priorVariance ?? 0.25;
  if (!(priorVariance > 0 && priorVariance < Infinity)) throw new DescentError('INVALID_CONFIG', where, `priorVariance must be a finite positive number, got ${String(priorVariance)}`);
  const fake = options.fakeObs ?? 1;
  if (!(fake >= 0 && fake < Infinity)) throw new DescentError('INVALID_CONFIG', where, `fakeObs must be a finite non-negative number, got ${String(fake)}`);
  const n = x.length;
  const out = new Float64Array(n);
  const c = 2 * Math.log(1 / alpha);
  let sum = 0;
  let sq = 0;
  let sigma2Prev = priorVariance;
  for (let i = 0; i < n; i++) {
    const t = i + 1;
    let lam = Math.sqrt(c / (t * Math.log(1 + t) * sigma2Prev));
    if (Number.isNaN(lam)) lam = 0;
    out[i] = Math.min(truncation, lam);
    sum += x[i]!;
    const mu = Math.min((fake * priorMean + sum) / (t + fake), 1);
    sq += (x[i]! - mu) ** 2;
    sigma2Prev = (fake * priorVariance + sq) / (t + fake);
  }
  return out;
}

/** Options of the hedged-capital betting confidence sequence (confseq `betting_cs` defaults). */
export interface BettingCsOptions {
  alpha?: number;
  /** Grid resolution for the candidate means (default 1000, grid `i / breaks`). */
  breaks?: number;
  /** Weight of the positive capital process (default 1/2). */
  theta?: number;
  /** Bets are capped at `truncScale / m` and `truncScale / (1 - m)` (default 1/2). */
  truncScale?: number;
  /** Take the running intersection (default false, as confseq's `betting_cs`). */
  runningIntersection?: boolean;
  /** Combine the two capital processes by θ-convex combination instead of the max (default false). */
  convexComb?: boolean;
}

/**
 * log of the hedged betting capital `K_t(m) = max(θ K⁺_t, (1-θ) K⁻_t)` (or the θ-convex combination)
 * for the null mean m, with `K±_t = Π (1 ± λ±_i (x_i - m))` and predictable-mixture bets truncated
 * as confseq `betting_mart` does. Under the null E[x] = m it is a nonnegative supermartingale.
 *
 * @example
 * ```ts
 * bettingLogCapital(new Float64Array([0.5, 0.5]), 0.5)[1];
 * // -0.6931471805599453
 * ```
 */
export function bettingLogCapital(x: ArrayLike<number>, m: number, options: BettingCsOptions = {}): Float64Array {
  checkData(x, 'bettingLogCapital', true);
  if (!(m >= 0 && m <= 1)) throw new DescentError('DOMAIN', 'bettingLogCapital', `m must be in [0, 1], got ${m}`);
  const o = resolve(options, 'bettingLogCapital');
  const lp = predmixLambdas(x, { alpha: o.alpha * o.theta });
  const ln = predmixLambdas(x, { alpha: o.alpha * (1 - o.theta) });
  const out = new Float64Array(x.length);
  capitalInto(x, m, lp, ln, o, out);
  return out;
}

/**
 * The betting confidence sequence for the mean of observations in [0, 1] (Waudby-Smith & Ramdas;
 * confseq `betting_cs` with the hedged-capital defaults): `C_t = {m : K_t(m) ≤ 1/α}` on the grid
 * `i / breaks`, widened by one grid step, optionally running-intersected. `P(∃t: μ ∉ C_t) ≤ α`.
 * An empty `x` is `SHAPE_MISMATCH`; the work is x.length · breaks, so `breaks` is at most 1e6 and
 * x.length · (breaks + 1) at most `MAX_ELEMENTS`.
 *
 * @example
 * ```ts
 * const { lower, upper } = bettingConfidenceSequence(new Float64Array(200).fill(0.3), { alpha: 0.05 });
 * lower[199] < 0.3 && 0.3 < upper[199];
 * // true
 * ```
 */
export function bettingConfidenceSequence(x: ArrayLike<number>, options: BettingCsOptions = {}): { lower: Float64Array; upper: Float64Array } {
  checkData(x, 'bettingConfidenceSequence', true);
  const o = resolve(options, 'bettingConfidenceSequence');
  const n = x.length;
  if (n * (o.breaks + 1) > MAX_ELEMENTS) {
    throw new DescentError('SHAPE_MISMATCH', 'bettingConfidenceSequence', `x.length · (breaks + 1) = ${n * (o.breaks + 1)} is above the work limit ${MAX_ELEMENTS}`);
  }
  const lp = predmixLambdas(x, { alpha: o.alpha * o.theta });
  const ln = predmixLambdas(x, { alpha: o.alpha * (1 - o.theta) });
  const lower = new Float64Array(n).fill(NaN);
  const upper = new Float64Array(n).fill(NaN);
  const logThr = Math.log(1 / o.alpha);
  const cap = new Float64Array(n);
  const step = 1 / o.breaks; // numpy arange(0, 1 + 1/breaks, 1/breaks) computes i * step
  for (let i = 0; i <= o.breaks; i++) {
    const m = i * step;
    capitalInto(x, m, lp, ln, o, cap);
    for (let j = 0; j < n; j++) {
      if (cap[j]! <= logThr) {
        if (Number.isNaN(lower[j]!)) lower[j] = m;
        upper[j] = m;
      }
    }
  }
  for (let j = 0; j < n; j++) {
    if (Number.isNaN(lower[j]!)) {
      lower[j] = 0;
      upper[j] = 1;
    }
    lower[j] = Math.max(0, lower[j]! - step);
    upper[j] = Math.min(1, upper[j]! + step);
  }
  if (o.runningIntersection) {
    for (let j = 1; j < n; j++) {
      lower[j] = Math.max(lower[j]!, lower[j - 1]!);
      upper[j] = Math.min(upper[j]!, upper[j - 1]!);
    }
  }
  return { lower, upper };
}

interface Resolved {
  alpha: number;
  breaks: number;
  theta: number;
  truncScale: number;
  runningIntersection: boolean;
  convexComb: boolean;
}

function capitalInto(x: ArrayLike<number>, m: number, lp: Float64Array, ln: Float64Array, o: Resolved, out: Float64Array): void {
  const hiP = o.truncScale / m; // Infinity at m = 0, as in NumPy
  const loP = -o.truncScale / (1 - m);
  const hiN = o.truncScale / (1 - m);
  const loN = -o.truncScale / m;
  const lt = Math.log(o.theta);
  const l1t = Math.log(1 - o.theta);
  let kp = 0;
  let kn = 0;
  for (let j = 0; j < x.length; j++) {
    const d = x[j]! - m;
    const a = Math.max(Math.min(lp[j]!, hiP), loP);
    const b = Math.max(Math.min(ln[j]!, hiN), loN);
    kp += d === 0 ? 0 : Math.log(1 + a * d);
    kn += d === 0 ? 0 : Math.log(1 - b * d);
    const p = o.theta > 0 ? lt + kp : -Infinity;
    const q = o.theta < 1 ? l1t + kn : -Infinity;
    if (o.convexComb) out[j] = p > q ? p + Math.log1p(Math.exp(q - p)) : q === -Infinity ? -Infinity : q + Math.log1p(Math.exp(p - q));
    else out[j] = p > q ? p : q;
  }
}

const BETTING_CS_KEYS = configKeys<BettingCsOptions>()('alpha', 'breaks', 'theta', 'truncScale', 'runningIntersection', 'convexComb');

function resolve(options: BettingCsOptions, where: string): Resolved {
  assertKnownKeys(options, BETTING_CS_KEYS, where, 'options');
  if (options === null || typeof options !== 'object') throw new DescentError('INVALID_CONFIG', where, 'options must be an object');
  const alpha = options.alpha ?? 0.05;
  if (!(alpha > 0 && alpha < 1)) throw new DescentError('DOMAIN', where, `α must be in (0, 1), got ${alpha}`);
  const breaks = options.breaks ?? 1000;
  if (!(Number.isInteger(breaks) && breaks >= 1 && breaks <= 1e6)) throw new DescentError('INVALID_CONFIG', where, `breaks must be an integer in [1, 1e6], got ${breaks}`);
  const theta = options.theta ?? 0.5;
  if (!(theta >= 0 && theta <= 1)) throw new DescentError('INVALID_CONFIG', where, `theta must be in [0, 1], got ${theta}`);
  const truncScale = options.truncScale ?? 0.5;
  if (!(truncScale > 0 && truncScale <= 1)) throw new DescentError('INVALID_CONFIG', where, `truncScale must be in (0, 1], got ${truncScale}`);
  return { alpha, breaks, theta, truncScale, runningIntersection: options.runningIntersection ?? false, convexComb: options.convexComb ?? false };
}

function checkData(x: ArrayLike<number>, where: string, nonEmpty: boolean): void {
  assertArrayLike(x, where, 'x');
  if (nonEmpty && x.length === 0) throw new DescentError('SHAPE_MISMATCH', where, 'x is empty: there is no time step to report');
  for (let i = 0; i < x.length; i++) {
    const v = x[i]!;
    if (v - v !== 0) throw new DescentError('NON_FINITE', where, `x[${i}] is ${v}`);
    if (!(v >= 0 && v <= 1)) throw new DescentError('DOMAIN', where, `x[${i}] = ${v} is outside [0, 1]`);
  }
}
