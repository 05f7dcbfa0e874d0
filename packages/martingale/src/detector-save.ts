import { assertStateLike, deserialize, DescentError, serialize, type SerializedState } from '@descent/linalg';
import { initDetector, type DetectorState } from './detector.js';

const KIND = 'detector';

/**
 * Saves a detector state as a versioned JSON-safe value (linalg's `serialize`, kind `'detector'`):
 * typed arrays (bettor state, order tree, calibration index) bit-exact, −Infinity statistics and NaN
 * p-values kept. {@link deserializeDetector} restores it; stepping both gives the same bits.
 *
 * @example
 * ```ts
 * const cfg = { p: { mode: 'online' }, betting: { kind: 'jumper' }, threshold: 100, alarmOn: 'cusum', onAlarm: 'latch' } as const;
 * let s = initDetector(cfg, key(0));
 * for (const z of [0.3, 1.2, 0.7]) s = step(s, z);
 * const r = deserializeDetector(JSON.parse(JSON.stringify(serializeDetector(s))));
 * Object.is(step(r, 0.9).logCusum, step(s, 0.9).logCusum);
 * // true
 * ```
 */
export function serializeDetector(state: DetectorState): SerializedState {
  if (state === null || typeof state !== 'object' || !(state.bet instanceof Float64Array)) {
    throw new DescentError('INVALID_STATE', 'serializeDetector', 'expected a detector state');
  }
  return serialize(state, KIND);
}

/**
 * Restores a detector state written by {@link serializeDetector} (or by `detectorStateToJSON`). Checks
 * everything before returning: the format and kind, the config (as `initDetector` would), every field's
 * type, the bettor state's length for that bettor, the step counts, the PRNG key, and the order tree's
 * size, count and root. Anything else is `INVALID_STATE`.
 *
 * @example
 * ```ts
 * const err = (() => { try { deserializeDetector({ format: 'descent-state', version: 1, kind: 'sgd', data: {} }); } catch (e) { return e as DescentError; } })();
 * err?.code;
 * // 'INVALID_STATE'
 * ```
 */
export function deserializeDetector(value: unknown): DetectorState {
  return deserialize<DetectorState>(value, { kind: KIND, where: 'deserializeDetector', check: checkDetectorState });
}

/** Throws `INVALID_STATE` unless `s` is a detector state that `step` can continue from. */
export function checkDetectorState(s: unknown, where: string): asserts s is DetectorState {
  const fail = (msg: string): never => {
    throw new DescentError('INVALID_STATE', where, msg);
  };
  if (s === null || typeof s !== 'object' || Array.isArray(s)) fail('the state is not an object');
  const o = s as DetectorState;
  let like: DetectorState;
  try {
    like = initDetector(o.config, 0);
  } catch (e) {
    return fail(`state.config is not a valid detector config (${e instanceof Error ? e.message : String(e)})`);
  }
  // The order tree and the alarm list grow with the stream: their sizes are checked below.
  const empty = new Float64Array(0);
  assertStateLike({ ...o, history: empty, alarmTimes: [] }, { ...like, history: empty, alarmTimes: [] }, where);
  const count = (v: number, what: string) => {
    if (!Number.isSafeInteger(v) || v < 0) fail(`state.${what} is ${v}, expected a non-negative integer`);
  };
  count(o.t, 't');
  count(o.tSinceReset, 'tSinceReset');
  if (o.tSinceReset > o.t) fail(`state.tSinceReset (${o.tSinceReset}) exceeds state.t (${o.t})`);
  if (!o.key.every((w) => Number.isInteger(w) && w >= 0 && w < 2 ** 32)) fail('state.key is not a PRNG key (two 32-bit words)');
  if (!Array.isArray(o.alarmTimes) || !o.alarmTimes.every((a) => Number.isSafeInteger(a) && a >= 1 && a <= o.t)) fail('state.alarmTimes must hold steps in [1, t]');
  if (!(o.history instanceof Float64Array) || o.history.length % 4 !== 0) fail('state.history must be a Float64Array of 4-entry tree nodes');
  count(o.historyCount, 'historyCount');
  if (4 * o.historyCount > o.history.length) fail(`state.historyCount (${o.historyCount}) exceeds the tree's capacity (${o.history.length / 4})`);
  if (!Number.isInteger(o.historyRoot) || o.historyRoot < -1 || o.historyRoot >= o.historyCount || (o.historyCount > 0) !== (o.historyRoot >= 0)) {
    fail(`state.historyRoot (${o.historyRoot}) is not a node of the tree (${o.historyCount} nodes)`);
  }
}

/**
 * The JSON form of a detector state: the same value as {@link serializeDetector} (kept under this
 * name; both write the versioned format every descent state uses).
 *
 * @example
 * ```ts
 * const s0 = initDetector({ p: { mode: 'given' }, betting: { kind: 'power', eps: 0.5 }, threshold: 100, alarmOn: 'product', onAlarm: 'latch' });
 * detectorStateFromJSON(JSON.parse(JSON.stringify(detectorStateToJSON(s0)))).logCusum === -Infinity;
 * // true
 * ```
 */
export function detectorStateToJSON(s: DetectorState): SerializedState {
  return serializeDetector(s);
}

/**
 * Inverse of {@link detectorStateToJSON}: the same as {@link deserializeDetector}.
 *
 * @example
 * ```ts
 * const s0 = initDetector({ p: { mode: 'online' }, betting: { kind: 'jumper' }, threshold: 100, alarmOn: 'product', onAlarm: 'latch' });
 * detectorStateFromJSON(JSON.parse(JSON.stringify(detectorStateToJSON(s0)))).bet.length;
 * // 3
 * ```
 */
export function detectorStateFromJSON(json: unknown): DetectorState {
  return deserialize<DetectorState>(json, { kind: KIND, where: 'detectorStateFromJSON', check: checkDetectorState });
}
