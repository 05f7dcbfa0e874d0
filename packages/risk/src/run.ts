import { assertKnownKeys, configKeys, DescentError, describeValue, foldIn, type Key } from '@descent/linalg';
import { checkKey, checkModel } from './check-args.js';
import type { DrmModel } from './model.js';
import { drmSA, type DrmSaConfig, type DrmSaState } from './sa.js';

/** Options of {@link runDrmSA}. */
export interface RunOptions {
  /** SA iterations after the warm-up. */
  iterations: number;
  /** Iteration counts k at which θ is recorded (sorted, ≤ iterations). */
  checkpoints?: readonly number[];
}

/** What {@link runDrmSA} returns: the final state and θ at each checkpoint. */
export interface RunResult {
  state: DrmSaState;
  checkpoints: number[];
  trace: Float64Array[];
}

/**
 * Drives {@link drmSA} on a model: warm-up batch, then `iterations` steps, ping-ponging two states
 * through `stepInto` (no per-step allocation besides the batch draw). Step t draws with
 * `foldIn(key, t)`, so a run is a pure function of (config, x0, model, key).
 *
 * @example
 * ```ts
 * const model = linearGaussianModel(new Float64Array([1, 2]), new Float64Array([1, 0, 0, 4]));
 * const r = runDrmSA({ form: 'qf', distortion: expectedShortfall(0.9), projection: simplexSet(), M: 20 },
 *   new Float64Array([0.5, 0.5]), model, key(1), { iterations: 100 });
 * r.state.k;
 * // 100
 * ```
 */
export function runDrmSA(cfg: DrmSaConfig, x0: Float64Array, model: DrmModel, key: Key, options: RunOptions): RunResult {
  const where = 'runDrmSA';
  assertKnownKeys(options, configKeys<RunOptions>()('iterations', 'checkpoints'), where, 'options');
  const K = options.iterations;
  if (typeof K !== 'number' || !Number.isSafeInteger(K) || K < 0) throw new DescentError('INVALID_CONFIG', where, `options.iterations must be an integer >= 0, got ${describeValue(K)}`);
  const given = options.checkpoints ?? [];
  if (!Array.isArray(given)) throw new DescentError('INVALID_CONFIG', where, `options.checkpoints must be an array of iteration counts, got ${describeValue(given)}`);
  given.forEach((c: unknown, i) => {
    if (typeof c !== 'number' || !Number.isSafeInteger(c) || c < 0 || c > K) throw new DescentError('INVALID_CONFIG', where, `options.checkpoints[${i}] must be an integer in [0, ${K}], got ${describeValue(c)}`);
  });
  checkModel(model, where);
  checkKey(key, where);
  let state = drmSA.init(cfg, x0);
  const p = x0.length;
  if (model.dim !== p) throw new DescentError('SHAPE_MISMATCH', where, `model has dimension ${model.dim}, x0 ${p}`);
  const draw = (n: number) => ({ x: new Float64Array(n), psi: new Float64Array(n * p) });
  let spare: DrmSaState | undefined;
  const cps = [...given].sort((a, b) => a - b);
  const trace: Float64Array[] = [];
  let next = 0;
  const record = () => {
    while (next < cps.length && cps[next] === state.k) {
      trace.push(Float64Array.from(state.x));
      next++;
    }
  };
  let batch = draw(state.sampleSize);
  if (state.phase === 'warmup') {
    model.sampleInto(state.query, foldIn(key, 0), batch.x, batch.psi);
    state = drmSA.step(state, batch);
  }
  batch = draw(state.batchSize);
  record();
  while (state.k < K) {
    model.sampleInto(state.query, foldIn(key, state.t), batch.x, batch.psi);
    const out: DrmSaState = spare ?? drmSA.step(state, batch);
    if (spare === undefined) {
      spare = state;
      state = out;
    } else {
      const prev = state;
      state = drmSA.stepInto(state, batch, spare);
      spare = prev;
    }
    record();
  }
  return { state, checkpoints: cps.slice(0, trace.length), trace };
}
