import { assertKnownKeys, configKeys, DescentError, describeValue, foldIn, MAX_ELEMENTS, normalInto, split, uniformInto, type Key } from '@descent/linalg';
import { cloneDetectorState, initDetector, resetDetector, stepInto, type AlarmStatistic, type DetectorConfig } from './detector.js';

/** Draws one chunk of a null score stream into `out` from key `k`. */
export type ScoreSampler = (k: Key, out: Float64Array) => void;

/** Options shared by the Monte Carlo estimators. */
export interface MonteCarloOptions {
  /** Independent null streams. */
  runs: number;
  /** Key of the whole experiment (run r uses `foldIn(key, r)`). */
  key: Key;
  /** Null scores; default standard normal scores, or U(0, 1) p-values for `p.mode = 'given'`. */
  scores?: ScoreSampler;
  /** A fresh calibration set per run for split p-values (the calibration draw is part of the experiment). */
  calibration?: (k: Key) => Float64Array;
}

/** Crossing count, frequency and its binomial standard error for one statistic. */
export interface Crossing {
  crossings: number;
  frequency: number;
  /** sqrt(f (1 - f) / runs). */
  standardError: number;
}

const CHUNK = 1024;

/**
 * Monte Carlo estimate of P(sup_{t ≤ horizon} statistic ≥ threshold) under the null for all four
 * statistics at once (confseq `superMG_crossing_fraction`, for a detector). Ville: for the product and
 * restarted statistics with exact p-values the frequency is at most 1/threshold up to Monte Carlo
 * error. `supLog` holds each run's running maximum of the log statistics, so other thresholds can be
 * evaluated without re-running.
 *
 * @example
 * ```ts
 * const r = crossingFrequency({ p: { mode: 'given' }, betting: { kind: 'power', eps: 0.5 }, threshold: 20,
 *   alarmOn: 'product', onAlarm: 'latch' }, { runs: 200, horizon: 100, key: key(0) });
 * r.product.frequency <= 0.05 + 3 * Math.sqrt(0.05 * 0.95 / 200);
 * // true
 * ```
 */
export function crossingFrequency(
  cfg: DetectorConfig,
  options: MonteCarloOptions & { horizon: number },
): { runs: number; horizon: number; threshold: number; product: Crossing; restarted: Crossing; cusum: Crossing; sr: Crossing; supLog: Record<AlarmStatistic, Float64Array> } {
  assertKnownKeys(options, [...MONTE_CARLO_KEYS, 'horizon'], 'crossingFrequency', 'options');
  const { runs, horizon } = checkOptions(options, 'crossingFrequency');
  if (!(Number.isSafeInteger(horizon) && horizon >= 1)) throw new DescentError('INVALID_CONFIG', 'crossingFrequency', `horizon must be a positive integer, got ${describeValue(horizon)}`);
  const base = initDetector({ ...cfg, onAlarm: 'continue' }, options.key);
  const sampler = options.scores ?? defaultSampler(cfg);
  const supLog: Record<AlarmStatistic, Float64Array> = {
    product: new Float64Array(runs),
    restarted: new Float64Array(runs),
    cusum: new Float64Array(runs),
    sr: new Float64Array(runs),
  };
  const chunk = new Float64Array(Math.min(CHUNK, horizon));
  for (let r = 0; r < runs; r++) {
    const [kScores, kCal, kDet] = split(foldIn(options.key, r), 3) as [Key, Key, Key];
    let s = options.calibration ? resetDetector(base, options.calibration(kCal)) : cloneDetectorState(base);
    s.key = kDet;
    let mP = -Infinity;
    let mR = -Infinity;
    let mC = -Infinity;
    let mS = -Infinity;
    for (let c = 0, done = 0; done < horizon; c++) {
      const n = Math.min(chunk.length, horizon - done);
      const buf = n === chunk.length ? chunk : chunk.subarray(0, n);
      sampler(foldIn(kScores, c), buf);
      for (let i = 0; i < n; i++) {
        s = stepInto(s, buf[i]!, s);
        if (s.logM > mP) mP = s.logM;
        if (s.logRestarted > mR) mR = s.logRestarted;
        if (s.logCusum > mC) mC = s.logCusum;
        if (s.logSR > mS) mS = s.logSR;
      }
      done += n;
    }
    supLog.product[r] = mP;
    supLog.restarted[r] = mR;
    supLog.cusum[r] = mC;
    supLog.sr[r] = mS;
  }
  const logThr = Math.log(cfg.threshold);
  const summary = (sup: Float64Array): Crossing => {
    let c = 0;
    for (let r = 0; r < runs; r++) if (sup[r]! >= logThr) c++;
    const f = c / runs;
    return { crossings: c, frequency: f, standardError: Math.sqrt((f * (1 - f)) / runs) };
  };
  return {
    runs,
    horizon,
    threshold: cfg.threshold,
    product: summary(supLog.product),
    restarted: summary(supLog.restarted),
    cusum: summary(supLog.cusum),
    sr: summary(supLog.sr),
    supLog,
  };
}

/**
 * Monte Carlo estimate of the null average run length (steps to the first alarm of
 * `cfg.alarmOn`), each run censored at `maxSteps`. The mean counts censored runs as `maxSteps`, so it
 * is a lower bound of the ARL when `censored > 0`.
 *
 * @example
 * ```ts
 * const r = averageRunLength({ p: { mode: 'given' }, betting: { kind: 'gaussExp', lambda: 1 }, threshold: 20,
 *   alarmOn: 'sr', onAlarm: 'latch' }, { runs: 100, maxSteps: 10000, key: key(0) });
 * r.mean >= 20;
 * // true
 * ```
 */
export function averageRunLength(
  cfg: DetectorConfig,
  options: MonteCarloOptions & { maxSteps: number },
): { runs: number; mean: number; standardError: number; censored: number; runLengths: Float64Array } {
  assertKnownKeys(options, [...MONTE_CARLO_KEYS, 'maxSteps'], 'averageRunLength', 'options');
  const { runs } = checkOptions(options, 'averageRunLength');
  const maxSteps = options.maxSteps;
  if (!(Number.isSafeInteger(maxSteps) && maxSteps >= 1)) throw new DescentError('INVALID_CONFIG', 'averageRunLength', `maxSteps must be a positive integer, got ${describeValue(maxSteps)}`);
  const base = initDetector({ ...cfg, onAlarm: 'latch' }, options.key);
  const sampler = options.scores ?? defaultSampler(cfg);
  const lengths = new Float64Array(runs);
  const chunk = new Float64Array(Math.min(CHUNK, maxSteps));
  let censored = 0;
  for (let r = 0; r < runs; r++) {
    const [kScores, kCal, kDet] = split(foldIn(options.key, r), 3) as [Key, Key, Key];
    let s = options.calibration ? resetDetector(base, options.calibration(kCal)) : cloneDetectorState(base);
    s.key = kDet;
    let length = maxSteps;
    let done = 0;
    outer: for (let c = 0; done < maxSteps; c++) {
      const n = Math.min(chunk.length, maxSteps - done);
      const buf = n === chunk.length ? chunk : chunk.subarray(0, n);
      sampler(foldIn(kScores, c), buf);
      for (let i = 0; i < n; i++) {
        s = stepInto(s, buf[i]!, s);
        if (s.alarm) {
          length = done + i + 1;
          break outer;
        }
      }
      done += n;
    }
    if (length === maxSteps && !s.alarm) censored++;
    lengths[r] = length;
  }
  let mean = 0;
  for (let r = 0; r < runs; r++) mean += lengths[r]!;
  mean /= runs;
  let v = 0;
  for (let r = 0; r < runs; r++) v += (lengths[r]! - mean) ** 2;
  const sd = runs > 1 ? Math.sqrt(v / (runs - 1)) : 0;
  return { runs, mean, standardError: sd / Math.sqrt(runs), censored, runLengths: lengths };
}

function defaultSampler(cfg: DetectorConfig): ScoreSampler {
  return cfg.p?.mode === 'given' ? (k, out) => void uniformInto(k, out) : (k, out) => void normalInto(k, out);
}

const MONTE_CARLO_KEYS = configKeys<MonteCarloOptions>()('runs', 'key', 'scores', 'calibration');

function checkOptions(o: MonteCarloOptions, where: string): { runs: number; horizon: number } {
  // One entry per run is kept: runs is bounded like every other allocation.
  if (!o || !(Number.isSafeInteger(o.runs) && o.runs >= 1 && o.runs <= MAX_ELEMENTS)) throw new DescentError('INVALID_CONFIG', where, `runs must be an integer in [1, ${MAX_ELEMENTS}], got ${describeValue(o?.runs)}`);
  const word = (w: unknown) => typeof w === 'number' && Number.isInteger(w) && w >= 0 && w < 2 ** 32;
  if (!Array.isArray(o.key) || o.key.length !== 2 || !word(o.key[0]) || !word(o.key[1])) throw new DescentError('INVALID_CONFIG', where, `key must be made by key(seed), got ${describeValue(o.key)}`);
  if (o.scores !== undefined && typeof o.scores !== 'function') throw new DescentError('INVALID_CONFIG', where, `scores must be a function, got ${describeValue(o.scores)}`);
  if (o.calibration !== undefined && typeof o.calibration !== 'function') throw new DescentError('INVALID_CONFIG', where, `calibration must be a function, got ${describeValue(o.calibration)}`);
  return { runs: o.runs, horizon: (o as { horizon?: number }).horizon ?? 0 };
}
