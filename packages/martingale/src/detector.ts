import { assertArrayLike, assertKnownKeys, configKeys, DescentError, key as makeKey, type Key } from '@descent/linalg';
import { betInPlace, bettingStateSize, normalizeBetting, P_MAX, P_MIN, resetBettingState, usesPValues, type Betting } from './betting.js';
import { calibrationSet, type TieRule } from './pvalue.js';
import { countAtMost, countBelow, insertNode } from './order-tree.js';
import { streamUniform } from './stream-uniform.js';
import { bucketPValueIn, buildBucketIndex, type BucketIndex } from './bucket-index.js';

/**
 * Where the detector's p-values come from.
 * - `split`: a fixed calibration set (sorted once at init). Exchangeable but dependent p-values:
 *   results are labelled `'monitoring'` (spec (a) caveat; use `calib.length >= 1000`).
 * - `online`: full conformal against the stream's own past scores (plus an optional `initial`
 *   reference): i.i.d. U(0, 1) under exchangeability, so Ville's inequality holds exactly.
 * - `given`: the observation passed to `step` already is a p-value in [0, 1] (oracle p-values).
 */
export type PSource =
  | { mode: 'split'; calib: Float64Array; ties?: TieRule; /** Filled in by `initDetector`; leave unset. */ index?: BucketIndex }
  | { mode: 'online'; initial?: Float64Array; ties?: TieRule }
  | { mode: 'given' };

/** The statistic an alarm is raised on. */
export type AlarmStatistic = 'product' | 'restarted' | 'cusum' | 'sr';

/**
 * What happens after an alarm: `latch` keeps the alarm raised (statistics keep updating), `reset`
 * restarts statistics, bettor and online history, `continue` records every upward crossing.
 */
export type AlarmPolicy = 'latch' | 'reset' | 'continue';

/** Detector configuration (spec (c)). */
export interface DetectorConfig {
  /** p-value source; required for p-value bettors, unused by `momentExp`/`hoeffdingExp`. */
  p?: PSource;
  betting: Betting;
  /** Alarm when the statistic reaches this value: 1/δ (Ville) or an ARL target A (CUSUM/SR). > 1. */
  threshold: number;
  alarmOn: AlarmStatistic;
  onAlarm: AlarmPolicy;
  /** No alarm during the first `burnIn` observations after init or reset (default 0). */
  burnIn?: number;
  /** Validate each observation (default true). */
  check?: boolean;
}

/**
 * What an alarm of this configuration guarantees under the null:
 * `'ville'` — P(ever alarm) ≤ 1/threshold per segment (product, restarted);
 * `'arl'` — mean run length ≥ threshold (CUSUM, SR);
 * `'monitoring'` — no guarantee (split p-values, or the reconstructed `momentExp` form).
 */
export type Validity = 'ville' | 'arl' | 'monitoring';

/**
 * Detector state: plain data (numbers, typed arrays, a key) holding its own normalized config.
 * All statistics are logs: `logM` product martingale, `logRestarted` restarted mixture
 * (harmonic prior), `logCusum`, `logSR`. `p`/`logE` are the last p-value and log-increment (`p` is NaN
 * for the raw-score bettors, which use no p-value).
 */
export interface DetectorState {
  config: DetectorConfig;
  validity: Validity;
  /** log(config.threshold), cached for the alarm rule. */
  logThreshold: number;
  key: Key;
  t: number;
  tSinceReset: number;
  logM: number;
  logRestartActive: number;
  logRestarted: number;
  logCusum: number;
  logSR: number;
  p: number;
  logE: number;
  /** An alarm is raised at this step (with `latch`: at or after the first crossing). */
  alarm: boolean;
  /** Some alarm was raised since init or the last {@link resetDetector}: the latch of `'latch'`. */
  alarmed: boolean;
  /** The alarmed statistic was at or above threshold after the previous step (for `continue`). */
  above: boolean;
  /** Steps (1-based t) at which alarms were raised; never mutated, replaced when it grows. */
  alarmTimes: readonly number[];
  /** Bettor state (see `bettingStateSize`). */
  bet: Float64Array;
  /**
   * Online mode: the reference scores as an order-statistics treap (see `order-tree`): node i is
   * `history[4i..4i+3] = [score, left, right, size]`, `historyCount` nodes, root `historyRoot` (-1 when
   * empty). Capacity may exceed 4·historyCount. Insertion and rank queries are O(log t) expected.
   */
  history: Float64Array;
  historyCount: number;
  historyRoot: number;
}

const WHERE = 'detector';
const DETECTOR_KEYS = configKeys<DetectorConfig>()('p', 'betting', 'threshold', 'alarmOn', 'onAlarm', 'burnIn', 'check');
const P_SOURCE_KEYS: Record<string, readonly string[]> = { split: ['mode', 'calib', 'ties', 'index'], online: ['mode', 'initial', 'ties'], given: ['mode'] };
const P_TOLERANCE = 1e-12;

/**
 * Validates `cfg` and returns the first detector state. `key` (or `seed`) feeds the tie-breaking
 * uniforms. Throws `INVALID_CONFIG` on a bad threshold/policy/bettor, `SHAPE_MISMATCH` on an empty
 * calibration set, `NON_FINITE` on a non-finite calibration score.
 *
 * @example
 * ```ts
 * const s = initDetector({ p: { mode: 'online' }, betting: { kind: 'power', eps: 0.5 },
 *   threshold: 100, alarmOn: 'product', onAlarm: 'latch' }, key(0));
 * s.logM;
 * // 0
 * ```
 */
export function initDetector(cfg: DetectorConfig, k: Key | number = 0): DetectorState {
  const config = normalizeConfig(cfg);
  const betting = config.betting;
  const keyValue = typeof k === 'number' ? makeKey(k) : k;
  if (!Array.isArray(keyValue) || keyValue.length !== 2) throw new DescentError('INVALID_CONFIG', WHERE, 'key must be made by key(seed)');
  const tree = config.p?.mode === 'online' ? referenceTree(config.p.initial) : { history: new Float64Array(0), historyCount: 0, historyRoot: -1 };
  return {
    config,
    validity: validityOf(config),
    logThreshold: Math.log(config.threshold),
    key: [keyValue[0], keyValue[1]],
    t: 0,
    tSinceReset: 0,
    logM: 0,
    logRestartActive: -Infinity,
    logRestarted: 0,
    logCusum: -Infinity,
    logSR: -Infinity,
    p: NaN,
    logE: 0,
    alarm: false,
    alarmed: false,
    above: false,
    alarmTimes: [],
    bet: resetBettingState(betting, new Float64Array(bettingStateSize(betting))),
    ...tree,
  };
}

// A treap holding the initial reference scores (capacity for growth).
function referenceTree(initial: Float64Array | undefined): { history: Float64Array; historyCount: number; historyRoot: number } {
  const n = initial?.length ?? 0;
  const history = new Float64Array(4 * growCapacity(16, 2 * n));
  let root = -1;
  for (let i = 0; i < n; i++) root = insertNode(history, root, i, initial![i]!);
  return { history, historyCount: n, historyRoot: root };
}

/**
 * What an alarm from this configuration guarantees (see {@link Validity}).
 *
 * @example
 * ```ts
 * const cfg = { p: { mode: 'split', calib: new Float64Array(1000) }, betting: { kind: 'power', eps: 0.5 }, threshold: 20, alarmOn: 'product', onAlarm: 'latch' } as const;
 * validityOf(cfg);
 * // 'monitoring'
 * ```
 */
export function validityOf(cfg: DetectorConfig): Validity {
  if (cfg === null || typeof cfg !== 'object' || cfg.betting === null || typeof cfg.betting !== 'object') {
    throw new DescentError('INVALID_CONFIG', 'validityOf', 'cfg must be a detector config with a betting object');
  }
  if (cfg.betting.kind === 'momentExp') return 'monitoring';
  if (cfg.p?.mode === 'split' && usesPValues(cfg.betting)) return 'monitoring';
  return cfg.alarmOn === 'cusum' || cfg.alarmOn === 'sr' ? 'arl' : 'ville';
}

/**
 * One detector step (pure): the p-value of `score` (tie uniform `streamUniform(state.key, state.t)`),
 * the bettor's log-increment, then in log space the product martingale, the restarted mixture, CUSUM
 * and Shiryaev–Roberts, the alarm rule, burn-in and the alarm policy (spec (c)). Never mutates `state`.
 * Throws `NON_FINITE` on a non-finite score, `DOMAIN` on a given p-value outside [0, 1] (beyond a
 * rounding tolerance of 1e-12, within which it is clamped) or a Hoeffding score outside [a, b].
 *
 * @example
 * ```ts
 * const s0 = initDetector({ p: { mode: 'given' }, betting: { kind: 'power', eps: 0.5 },
 *   threshold: 100, alarmOn: 'product', onAlarm: 'latch' });
 * step(s0, 0.01).logM.toFixed(6); // log(0.5 · 0.01^(-1/2)) = log 5
 * // '1.609438'
 * ```
 */
export function step(state: DetectorState, score: number): DetectorState {
  checkState(state, 'detector.step', 'state');
  const out: DetectorState = {
    ...state,
    bet: new Float64Array(state.bet.length),
    history: state.config.p?.mode === 'online' ? new Float64Array(4 * growCapacity(state.history.length / 4, state.historyCount + 1)) : state.history,
  };
  return advance(state, score, out);
}

/**
 * {@link step} written into `out` (a state of the same configuration, e.g. from {@link cloneDetectorState}):
 * same result, bit for bit, reusing `out`'s buffers. `out` may be `state` itself for an in-place update
 * (what {@link scanDetector} does); otherwise `state` is not touched.
 *
 * @example
 * ```ts
 * const s0 = initDetector({ p: { mode: 'given' }, betting: { kind: 'power', eps: 0.5 },
 *   threshold: 100, alarmOn: 'product', onAlarm: 'latch' });
 * const buf = cloneDetectorState(s0);
 * stepInto(s0, 0.01, buf).logM === step(s0, 0.01).logM;
 * // true
 * ```
 */
export function stepInto(state: DetectorState, score: number, out: DetectorState): DetectorState {
  checkState(state, 'detector.stepInto', 'state');
  if (out !== state) checkState(out, 'detector.stepInto', 'out');
  if (out !== state && (out.bet.length !== state.bet.length || out.config.betting.kind !== state.config.betting.kind)) {
    throw new DescentError('SHAPE_MISMATCH', 'detector.stepInto', 'out must be a state of the same detector configuration');
  }
  if (out !== state && (overlaps(out.bet, state.bet) || (state.config.p?.mode === 'online' && overlaps(out.history, state.history)))) {
    throw new DescentError('INVALID_CONFIG', 'detector.stepInto', 'out must not share buffers with the state (pass the state itself as out for an in-place step)');
  }
  // The score is checked before out is touched: a rejected step leaves out as it was.
  if (state.config.check !== false) checkObservation(state.config, score, 'detector.stepInto');
  if (out !== state) {
    out.config = state.config;
    out.validity = state.validity;
    out.logThreshold = state.logThreshold;
    out.key = state.key;
    out.alarmTimes = state.alarmTimes;
    if (state.config.p?.mode === 'online' && out.history.length < 4 * (state.historyCount + 1)) {
      out.history = new Float64Array(4 * growCapacity(out.history.length / 4, state.historyCount + 1));
    } else if (state.config.p?.mode !== 'online') {
      out.history = state.history;
    }
  } else if (state.config.p?.mode === 'online' && state.history.length < 4 * (state.historyCount + 1)) {
    const grown = new Float64Array(4 * growCapacity(state.history.length / 4, state.historyCount + 1));
    grown.set(state.history.subarray(0, 4 * state.historyCount));
    state.history = grown;
  }
  return advance(state, score, out);
}

// log k from a table for small k (the restart prior needs log k and log(k+1) every step).
const LOG_TABLE_SIZE = 1 << 16;
const LOG_TABLE = Float64Array.from({ length: LOG_TABLE_SIZE }, (_, i) => Math.log(i));
function logOf(k: number): number {
  return k < LOG_TABLE_SIZE ? LOG_TABLE[k]! : Math.log(k);
}

// O(1): a state is plain data a caller may have built or edited; its buffers must have the sizes its
// config implies before a step reads them (a short `bet` made a mixture step return NaN).
function checkState(s: DetectorState, where: string, what: string): void {
  if (s === null || typeof s !== 'object' || s.config === null || typeof s.config !== 'object' || s.config.betting === undefined) {
    throw new DescentError('SHAPE_MISMATCH', where, `${what} is not a detector state`);
  }
  if (!(s.bet instanceof Float64Array) || s.bet.length !== bettingStateSize(s.config.betting)) {
    throw new DescentError('SHAPE_MISMATCH', where, `${what}.bet must be a Float64Array of length ${bettingStateSize(s.config.betting)}`);
  }
  if (!(s.history instanceof Float64Array) || !Number.isInteger(s.historyCount) || s.historyCount < 0 || 4 * s.historyCount > s.history.length) {
    throw new DescentError('SHAPE_MISMATCH', where, `${what}.history does not hold historyCount = ${String(s.historyCount)} nodes`);
  }
  if (!Number.isInteger(s.historyRoot) || s.historyRoot < -1 || s.historyRoot >= Math.max(s.historyCount, 1) || (s.historyCount === 0) !== (s.historyRoot === -1)) {
    throw new DescentError('SHAPE_MISMATCH', where, `${what}.historyRoot = ${String(s.historyRoot)} is not a node of the history`);
  }
  if (!Array.isArray(s.key) || s.key.length !== 2 || !Array.isArray(s.alarmTimes)) {
    throw new DescentError('SHAPE_MISMATCH', where, `${what}.key must be a key pair and ${what}.alarmTimes an array`);
  }
  if (!Number.isSafeInteger(s.t) || s.t < 0 || !Number.isSafeInteger(s.tSinceReset) || s.tSinceReset < 0) {
    throw new DescentError('SHAPE_MISMATCH', where, `${what}.t and tSinceReset must be non-negative integers`);
  }
}

function overlaps(a: Float64Array, b: Float64Array): boolean {
  return a.byteLength > 0 && b.byteLength > 0 && a.buffer === b.buffer && a.byteOffset < b.byteOffset + b.byteLength && b.byteOffset < a.byteOffset + a.byteLength;
}

function saturate(v: number): number {
  return v < -Number.MAX_VALUE ? -Number.MAX_VALUE : v > Number.MAX_VALUE ? Number.MAX_VALUE : v;
}

function growCapacity(capacity: number, need: number): number {
  let c = Math.max(16, capacity);
  while (c < need) c *= 2;
  return c;
}

// The kernel behind step and stepInto. Reads every scalar of `s` before writing `out`, and brings
// out's buffers up to date from s's (a no-op when they are the same buffers).
function advance(s: DetectorState, score: number, out: DetectorState): DetectorState {
  const cfg = s.config;
  const betting = cfg.betting;
  const source = cfg.p;
  const t = s.t + 1;
  const k = s.tSinceReset + 1;
  if (cfg.check !== false) checkObservation(cfg, score);

  if (out.bet !== s.bet) out.bet.set(s.bet);
  let historyCount = s.historyCount;
  let historyRoot = s.historyRoot;
  if (source?.mode === 'online' && out.history !== s.history) out.history.set(s.history.subarray(0, 4 * historyCount));

  // p-value (a normalized config has a source exactly when the bettor uses p-values)
  let p = NaN;
  if (source !== undefined) {
    if (source!.mode === 'given') {
      p = score < 0 ? 0 : score > 1 ? 1 : score;
    } else if (source!.mode === 'split') {
      p = bucketPValueIn(source!.calib, source!.index!, score, streamUniform(s.key, s.t), source!.ties);
    } else {
      // online: ranks in the treap of past scores, two O(log t) descents
      const below = countBelow(out.history, historyRoot, score);
      const upTo = countAtMost(out.history, historyRoot, score);
      const greater = historyCount - upTo;
      p = source!.ties === 'conservative' ? (1 + greater + upTo - below) / (historyCount + 1) : (greater + streamUniform(s.key, s.t) * (upTo - below + 1)) / (historyCount + 1);
    }
  }
  if (source?.mode === 'online') {
    historyRoot = insertNode(out.history, historyRoot, historyCount, score);
    historyCount++;
  }
  const pb = p < P_MIN ? P_MIN : p > P_MAX ? P_MAX : p;
  // A raw score far out (say -1e308 for momentExp) pushes λz past the float range: log-space values
  // saturate at ±MAX_VALUE (e^{±MAX_VALUE} is 0 or ∞ in any float format anyway) instead of sticking
  // at -∞ for good, where no later evidence could lift the product again.
  const logE = saturate(betInPlace(betting, out.bet, pb, score));

  // statistics (log space)
  // log(a + b) as max + log(1 + e^{-|a-b|}): Math.log(1 + x) rather than log1p is enough here, its
  // absolute error (≤ 1.2e-16) is what a log-sum needs, and it is cheaper.
  const logM = saturate(s.logM + logE);
  const logK1 = logOf(k + 1);
  const prior = -logOf(k) - logK1; // harmonic prior π_k = 1/(k(k+1)) on the restart time
  const ra = s.logRestartActive;
  const logRestartActive = logE + (ra === -Infinity ? prior : ra > prior ? ra + Math.log(1 + Math.exp(prior - ra)) : prior + Math.log(1 + Math.exp(ra - prior)));
  const tail = -logK1; // Σ_{j>k} π_j = 1/(k+1): restarts not yet begun hold their initial wealth
  const logRestarted = logRestartActive > tail ? logRestartActive + Math.log(1 + Math.exp(tail - logRestartActive)) : tail + Math.log(1 + Math.exp(logRestartActive - tail));
  const logCusum = logE + (s.logCusum > 0 ? s.logCusum : 0);
  const sr = s.logSR;
  const logSR = logE + (sr === -Infinity ? 0 : sr > 0 ? sr + Math.log(1 + Math.exp(-sr)) : Math.log(1 + Math.exp(sr)));

  const stat = cfg.alarmOn === 'product' ? logM : cfg.alarmOn === 'restarted' ? logRestarted : cfg.alarmOn === 'cusum' ? logCusum : logSR;
  const crossed = k > cfg.burnIn! && stat >= s.logThreshold;

  out.t = t;
  out.tSinceReset = k;
  out.logM = logM;
  out.logRestartActive = logRestartActive;
  out.logRestarted = logRestarted;
  out.logCusum = logCusum;
  out.logSR = logSR;
  out.p = p;
  out.logE = logE;
  out.historyCount = historyCount;
  out.historyRoot = historyRoot;
  out.alarmTimes = s.alarmTimes;
  const policy = cfg.onAlarm;
  if (policy === 'latch') {
    const first = crossed && !s.alarmed;
    out.alarm = s.alarmed || crossed;
    out.alarmed = out.alarm;
    out.above = crossed;
    if (first) out.alarmTimes = [...s.alarmTimes, t];
  } else if (policy === 'continue') {
    const upward = crossed && !s.above;
    out.alarm = crossed;
    out.alarmed = s.alarmed || crossed;
    out.above = crossed;
    if (upward) out.alarmTimes = [...s.alarmTimes, t];
  } else {
    out.alarm = crossed;
    out.alarmed = s.alarmed || crossed;
    out.above = false;
    if (crossed) {
      out.alarmTimes = [...s.alarmTimes, t];
      resetStatistics(out);
    }
  }
  return out;
}

// Statistics, bettor and online history back to their initial values (the key and t carry on, so
// the tie uniforms never repeat).
function resetStatistics(s: DetectorState): void {
  s.tSinceReset = 0;
  s.logM = 0;
  s.logRestartActive = -Infinity;
  s.logRestarted = 0;
  s.logCusum = -Infinity;
  s.logSR = -Infinity;
  resetBettingState(s.config.betting, s.bet);
  if (s.config.p?.mode === 'online') {
    s.historyCount = 0;
    s.historyRoot = -1;
  }
}

/**
 * A fresh state with statistics, bettor, online history and the latch reset (the `'reset'` policy by
 * hand, e.g. after adapting a model), keeping the key, the step count and the record of alarm times.
 * Pass `calibration` to replace a split calibration set (re-calibrating with the adapted model) or the
 * online reference.
 *
 * @example
 * ```ts
 * const s0 = initDetector({ p: { mode: 'given' }, betting: { kind: 'power', eps: 0.5 },
 *   threshold: 100, alarmOn: 'product', onAlarm: 'latch' });
 * resetDetector(step(s0, 0.01)).logM;
 * // 0
 * ```
 */
export function resetDetector(state: DetectorState, calibration?: ArrayLike<number>): DetectorState {
  checkState(state, 'resetDetector', 'state');
  let config = state.config;
  let tree = { history: state.history, historyCount: 0, historyRoot: -1 };
  if (calibration !== undefined) {
    const sorted = calibrationSet(calibration, 'resetDetector');
    if (config.p?.mode === 'split') config = { ...config, p: { ...config.p, calib: sorted, index: buildBucketIndex(sorted) } };
    else if (config.p?.mode === 'online') {
      config = { ...config, p: { ...config.p, initial: sorted } };
    } else throw new DescentError('INVALID_CONFIG', 'resetDetector', 'a calibration set needs a split or online p-value source');
  }
  if (config.p?.mode === 'online') tree = referenceTree(config.p.initial);
  const out: DetectorState = {
    ...state,
    config,
    validity: validityOf(config),
    bet: new Float64Array(state.bet.length),
    ...tree,
    alarm: false,
    alarmed: false,
    above: false,
  };
  resetStatisticsKeepHistory(out);
  return out;
}

function resetStatisticsKeepHistory(s: DetectorState): void {
  const count = s.historyCount;
  const root = s.historyRoot;
  resetStatistics(s);
  s.historyCount = count;
  s.historyRoot = root;
}

/**
 * A deep copy (own buffers) of a detector state: the second buffer of a ping-pong pair for {@link stepInto}.
 *
 * @example
 * ```ts
 * const s0 = initDetector({ p: { mode: 'online' }, betting: { kind: 'jumper' }, threshold: 100, alarmOn: 'sr', onAlarm: 'reset' });
 * cloneDetectorState(s0).bet !== s0.bet;
 * // true
 * ```
 */
export function cloneDetectorState(s: DetectorState): DetectorState {
  checkState(s, 'cloneDetectorState', 's');
  return { ...s, key: [s.key[0], s.key[1]], bet: s.bet.slice(), history: s.history.slice(), alarmTimes: s.alarmTimes.slice() };
}

/**
 * The log of a statistic of the state (default: the one alarms are raised on).
 *
 * @example
 * ```ts
 * alarmStatistic(initDetector({ p: { mode: 'given' }, betting: { kind: 'power', eps: 0.5 }, threshold: 100, alarmOn: 'sr', onAlarm: 'latch' })) === -Infinity;
 * // true
 * ```
 */
export function alarmStatistic(s: DetectorState, which?: AlarmStatistic): number {
  checkState(s, 'alarmStatistic', 's');
  if (which === undefined) which = s.config.alarmOn;
  if (!['product', 'restarted', 'cusum', 'sr'].includes(which)) throw new DescentError('INVALID_CONFIG', 'alarmStatistic', `which must be product|restarted|cusum|sr, got ${String(which)}`);
  return which === 'product' ? s.logM : which === 'restarted' ? s.logRestarted : which === 'cusum' ? s.logCusum : s.logSR;
}

/**
 * Runs the detector over `scores` with one copy of the state updated in place (no allocation per
 * step beyond alarm records): the fast driver. Optionally stops at the first alarm and records the
 * trace of the alarmed statistic (log scale).
 *
 * @example
 * ```ts
 * const s0 = initDetector({ p: { mode: 'given' }, betting: { kind: 'power', eps: 0.5 },
 *   threshold: 100, alarmOn: 'product', onAlarm: 'latch' });
 * scanDetector(s0, new Float64Array([1e-3, 1e-3, 1e-3])).firstAlarm; // 0-based index, -1 if none
 * // 1
 * ```
 */
export function scanDetector(
  state: DetectorState,
  scores: ArrayLike<number>,
  options: { stopAtAlarm?: boolean; trace?: boolean } = {},
): { state: DetectorState; firstAlarm: number; trace?: Float64Array; pValues?: Float64Array } {
  checkState(state, 'scanDetector', 'state');
  assertArrayLike(scores, 'scanDetector', 'scores');
  if (options === null || typeof options !== 'object') throw new DescentError('INVALID_CONFIG', 'scanDetector', 'options must be an object');
  const s = cloneDetectorState(state);
  const trace = options.trace ? new Float64Array(scores.length) : undefined;
  const pValues = options.trace ? new Float64Array(scores.length) : undefined;
  let firstAlarm = -1;
  let n = 0;
  for (let i = 0; i < scores.length; i++) {
    stepInto(s, scores[i]!, s);
    n = i + 1;
    if (trace) {
      trace[i] = alarmStatistic(s);
      pValues![i] = s.p;
    }
    if (s.alarm && firstAlarm < 0 && (s.alarmTimes.length > state.alarmTimes.length)) {
      firstAlarm = i;
      if (options.stopAtAlarm) break;
    }
  }
  const result: { state: DetectorState; firstAlarm: number; trace?: Float64Array; pValues?: Float64Array } = { state: s, firstAlarm };
  if (trace) {
    result.trace = trace.subarray(0, n);
    result.pValues = pValues!.subarray(0, n);
  }
  return result;
}

function checkObservation(cfg: DetectorConfig, score: number, where = 'detector.step'): void {
  if (typeof score !== 'number' || score - score !== 0) throw new DescentError('NON_FINITE', where, `score is ${String(score)}`);
  const b = cfg.betting;
  // Given p-values may overshoot [0, 1] by rounding: within 1e-12 they are clamped (nonconform's
  // _validate_probability), beyond that they are an error.
  if (cfg.p?.mode === 'given' && usesPValues(b) && !(score >= -P_TOLERANCE && score <= 1 + P_TOLERANCE)) {
    throw new DescentError('DOMAIN', where, `p-value ${score} is outside [0, 1]`);
  }
  if (b.kind === 'hoeffdingExp' && !(score >= b.a && score <= b.b)) {
    throw new DescentError('DOMAIN', where, `score ${score} is outside the Hoeffding range [${b.a}, ${b.b}]`);
  }
}

function normalizeConfig(cfg: DetectorConfig): DetectorConfig {
  assertKnownKeys(cfg, DETECTOR_KEYS, WHERE);
  const betting = normalizeBetting(cfg.betting, WHERE);
  if (!(typeof cfg.threshold === 'number' && cfg.threshold > 1 && cfg.threshold <= Number.MAX_VALUE)) {
    throw new DescentError('INVALID_CONFIG', WHERE, `threshold must be a finite number > 1 (1/δ or an ARL target), got ${String(cfg.threshold)}`);
  }
  if (!['product', 'restarted', 'cusum', 'sr'].includes(cfg.alarmOn)) throw new DescentError('INVALID_CONFIG', WHERE, `alarmOn must be product|restarted|cusum|sr, got ${String(cfg.alarmOn)}`);
  if (!['latch', 'reset', 'continue'].includes(cfg.onAlarm)) throw new DescentError('INVALID_CONFIG', WHERE, `onAlarm must be latch|reset|continue, got ${String(cfg.onAlarm)}`);
  const burnIn = cfg.burnIn ?? 0;
  if (!(Number.isInteger(burnIn) && burnIn >= 0)) throw new DescentError('INVALID_CONFIG', WHERE, `burnIn must be a non-negative integer, got ${String(burnIn)}`);
  let p: PSource | undefined;
  if (usesPValues(betting)) {
    const src = cfg.p;
    if (!src) throw new DescentError('INVALID_CONFIG', WHERE, `betting ${betting.kind} needs a p-value source (config.p)`);
    assertKnownKeys(src, P_SOURCE_KEYS[(src as { mode?: string }).mode ?? ''] ?? ['mode'], WHERE, 'p');
    const ties = (src as { ties?: TieRule }).ties ?? 'randomized';
    if (ties !== 'randomized' && ties !== 'conservative') throw new DescentError('INVALID_CONFIG', WHERE, `ties must be randomized|conservative, got ${String(ties)}`);
    if (src.mode === 'split') {
      const calib = calibrationSet(src.calib, `${WHERE}.p.calib`);
      p = { mode: 'split', calib, ties, index: buildBucketIndex(calib) };
    }
    else if (src.mode === 'online') p = src.initial && src.initial.length > 0 ? { mode: 'online', initial: calibrationSet(src.initial, `${WHERE}.p.initial`), ties } : { mode: 'online', ties };
    else if (src.mode === 'given') p = { mode: 'given' };
    else throw new DescentError('INVALID_CONFIG', WHERE, `p.mode must be split|online|given, got ${String((src as { mode?: unknown }).mode)}`);
  }
  const out: DetectorConfig = { betting, threshold: cfg.threshold, alarmOn: cfg.alarmOn, onAlarm: cfg.onAlarm, burnIn, check: cfg.check ?? true };
  if (p) out.p = p;
  return out;
}

/**
 * The detector as one value in the shape of the step contract (DESIGN.md): `init(cfg, key)`,
 * `step(state, score)`, `stepInto(state, score, out)`.
 *
 * @example
 * ```ts
 * const s = detector.init({ p: { mode: 'given' }, betting: { kind: 'jumper' }, threshold: 20, alarmOn: 'sr', onAlarm: 'latch' }, key(0));
 * detector.step(s, 0.5).t;
 * // 1
 * ```
 */
export const detector = {
  name: 'detector',
  init: initDetector,
  step,
  stepInto,
} as const;
