import { assertKnownKeys, configKeys, DescentError, foldIn, key as makeKey, type Key, type Matrix } from '@descent/linalg';
import { assertCompiled } from '../compiled-check.js';
import { checkParams, type CompiledCircuit } from '../compile.js';
import { checkData } from '../data.js';
import { epochBatches } from '../debd.js';
import { meanLogLikelihood } from '../queries.js';
import { batchStatisticsInto, emptyStatistics } from '../statistics.js';
import { adamCircuit } from './adam.js';
import { anemone } from './anemone.js';
import { fullBatchEm, miniBatchEm } from './em.js';
import type { CircuitLearner, CircuitLearnerState } from './method.js';

/** Which learner {@link train} runs, with its options. */
/**
 * `entropy` is each learner's entropy regularisation τ (default 0); `stepSizeEnd` anneals the step
 * size linearly from `stepSize` (epoch 1) to `stepSizeEnd` (last epoch).
 */
export type OptimizerSpec =
  | { readonly kind: 'fullBatchEm'; readonly pseudocount?: number; readonly entropy?: number }
  | { readonly kind: 'miniBatchEm'; readonly stepSize: number; readonly stepSizeEnd?: number; readonly pseudocount?: number; readonly entropy?: number }
  | { readonly kind: 'anemone'; readonly stepSize?: number; readonly stepSizeEnd?: number; readonly momentum?: number; readonly pseudocount?: number; readonly entropy?: number }
  | { readonly kind: 'adam'; readonly lr?: number; readonly entropy?: number };

// The keys of each optimizer spec.
const OPTIMIZER_KEYS: Record<string, readonly string[]> = {
  fullBatchEm: ['kind', 'pseudocount', 'entropy'],
  miniBatchEm: ['kind', 'stepSize', 'stepSizeEnd', 'pseudocount', 'entropy'],
  anemone: ['kind', 'stepSize', 'stepSizeEnd', 'momentum', 'pseudocount', 'entropy'],
  adam: ['kind', 'lr', 'entropy'],
};

/** Options of {@link train}. */
export interface TrainOptions {
  readonly optimizer: OptimizerSpec;
  readonly epochs: number;
  /** Mini-batch size (ignored by full-batch EM except as the evaluation chunk); default 512. */
  readonly batchSize?: number;
  /** Mini-batches accumulated per update (pyjuice `niters_per_update`); default 1. */
  readonly itersPerUpdate?: number;
  /** Shuffling key; epoch e uses foldIn(key, e). Default key(0). */
  readonly key?: Key;
  readonly valid?: Matrix;
  readonly test?: Matrix;
  /** Evaluate the training log-likelihood after every epoch (a forward pass); default true. */
  readonly evalTrain?: boolean;
  /** Stop after this much training time (seconds); default unlimited. */
  readonly maxSeconds?: number;
  /**
   * Data softening β in [0, 1) applied to the training statistics of every learner (see
   * `batchStatistics`); default 0. Curves still report the log-likelihood of the hard data.
   */
  readonly softening?: number;
  /**
   * Threads for the statistics and evaluation passes (worker threads over chunks of rows, see
   * `batchStatistics`); results are bit-identical for every count. Default 1.
   */
  readonly threads?: number;
  /**
   * Early stopping on `valid`: stop once the validation log-likelihood has not improved on its best
   * for `patience` consecutive epochs. `best` holds the parameters of the best epoch.
   */
  readonly earlyStopping?: { readonly patience: number };
}

/** One point of a learning curve (mean log-likelihood per sample, nats). */
export interface CurvePoint {
  readonly epoch: number;
  readonly updates: number;
  /** Training wall-clock seconds so far (evaluation excluded). */
  readonly seconds: number;
  readonly train?: number;
  readonly valid?: number;
  readonly test?: number;
}

/** Result of {@link train}. */
export interface TrainResult {
  readonly params: Float64Array;
  /** Epoch 0 is the initial parameters. */
  readonly curve: CurvePoint[];
  /** The parameters of the epoch with the best validation log-likelihood (early stopping), if `valid` was given. */
  readonly best?: { readonly epoch: number; readonly valid: number; readonly test?: number; readonly params: Float64Array };
}

/**
 * Trains a compiled circuit with one of the learners (spec (c) pseudocode): per mini-batch a forward
 * and flow pass at `state.query`, then `stepInto` on ping-pong states; full-batch EM accumulates the
 * whole epoch and updates once. Records a learning curve per epoch (train / valid / test LL and
 * training seconds). The only loop: the learners themselves are pure steps.
 *
 * @example
 * ```ts
 * const data = fromRows([[1, 1], [1, 0], [1, 1], [0, 0]]);
 * const c = compile(mixtureOfBernoullis(2, 2));
 * const r = train(c, c.params, data, { optimizer: { kind: 'fullBatchEm' }, epochs: 5 });
 * r.curve[5]!.train! >= r.curve[0]!.train!;
 * // true
 * ```
 */
export function train(cc: CompiledCircuit, params0: Float64Array, data: Matrix, options: TrainOptions): TrainResult {
  const where = 'train';
  assertCompiled(cc, where);
  assertKnownKeys(options, configKeys<TrainOptions>()('optimizer', 'epochs', 'batchSize', 'itersPerUpdate', 'key', 'valid', 'test', 'evalTrain', 'maxSeconds', 'softening', 'earlyStopping', 'threads'), where, 'options');
  const given = options.optimizer as { kind?: string } | undefined;
  const givenKeys = given?.kind === undefined ? undefined : OPTIMIZER_KEYS[given.kind];
  if (givenKeys !== undefined) assertKnownKeys(given, givenKeys, where, `optimizer (${given!.kind})`);
  if (options.earlyStopping !== undefined) assertKnownKeys(options.earlyStopping, ['patience'], where, 'earlyStopping');
  checkParams(cc, params0, where);
  checkData(cc, data, undefined, where);
  if (options.valid !== undefined) checkData(cc, options.valid, undefined, `${where}: valid`);
  if (options.test !== undefined) checkData(cc, options.test, undefined, `${where}: test`);
  const epochs = options.epochs;
  if (!Number.isInteger(epochs) || epochs < 0) throw new DescentError('INVALID_CONFIG', where, `epochs = ${epochs} must be a non-negative integer`);
  const batchSize = options.batchSize ?? 512;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new DescentError('INVALID_CONFIG', where, `batchSize = ${batchSize} must be a positive integer`);
  const per = options.itersPerUpdate ?? 1;
  if (!Number.isInteger(per) || per < 1) throw new DescentError('INVALID_CONFIG', where, `itersPerUpdate = ${per} must be a positive integer`);
  // A trailing incomplete window is dropped, so a window longer than an epoch would never update.
  const batchesPerEpoch = Math.ceil(data.rows / batchSize);
  if (options.optimizer?.kind !== 'fullBatchEm' && per > batchesPerEpoch) {
    throw new DescentError('INVALID_CONFIG', where, `itersPerUpdate = ${per} exceeds the ${batchesPerEpoch} mini-batches of an epoch: no update would ever happen`);
  }
  const k = options.key ?? makeKey(0);
  const spec = options.optimizer;
  const softening = options.softening ?? 0;
  if (typeof softening !== 'number' || !(softening >= 0 && softening < 1)) throw new DescentError('INVALID_CONFIG', where, `softening = ${softening} must be in [0, 1)`);
  const threads = options.threads ?? 1;
  if (!Number.isInteger(threads) || threads < 1 || threads > 256) throw new DescentError('INVALID_CONFIG', where, `threads = ${threads} must be an integer from 1 to 256`);
  const patience = options.earlyStopping?.patience;
  if (options.earlyStopping !== undefined) {
    if (!Number.isInteger(patience) || patience! < 1) throw new DescentError('INVALID_CONFIG', where, `earlyStopping.patience = ${patience} must be a positive integer`);
    if (options.valid === undefined) throw new DescentError('INVALID_CONFIG', where, 'earlyStopping needs a validation set (valid)');
  }
  const eta0 = spec?.kind === 'miniBatchEm' || spec?.kind === 'anemone' ? spec.stepSize : undefined;
  const etaEnd = spec?.kind === 'miniBatchEm' || spec?.kind === 'anemone' ? spec.stepSizeEnd : undefined;
  if (etaEnd !== undefined && !(typeof etaEnd === 'number' && etaEnd > 0 && etaEnd <= 1)) throw new DescentError('INVALID_CONFIG', where, `stepSizeEnd = ${etaEnd} must be in (0, 1]`);
  let learner: CircuitLearner<never, CircuitLearnerState>;
  let state: CircuitLearnerState;
  switch (spec?.kind) {
    case 'fullBatchEm':
      learner = fullBatchEm as unknown as typeof learner;
      state = fullBatchEm.init({ circuit: cc, pseudocount: spec.pseudocount ?? 0, entropy: spec.entropy ?? 0, check: false }, params0);
      break;
    case 'miniBatchEm':
      learner = miniBatchEm as unknown as typeof learner;
      state = miniBatchEm.init({ circuit: cc, stepSize: spec.stepSize, pseudocount: spec.pseudocount ?? 0, entropy: spec.entropy ?? 0, check: false }, params0);
      break;
    case 'anemone':
      learner = anemone as unknown as typeof learner;
      state = anemone.init({ circuit: cc, stepSize: spec.stepSize, momentum: spec.momentum, pseudocount: spec.pseudocount, entropy: spec.entropy ?? 0, check: false }, params0);
      break;
    case 'adam':
      learner = adamCircuit as unknown as typeof learner;
      state = adamCircuit.init({ circuit: cc, lr: spec.lr, entropy: spec.entropy ?? 0, check: false }, params0);
      break;
    default:
      throw new DescentError('INVALID_CONFIG', where, `unknown optimizer ${JSON.stringify(spec)}`);
  }
  const curve: CurvePoint[] = [];
  let best: { epoch: number; valid: number; test?: number; params: Float64Array } | undefined;
  const evaluate = (epoch: number, updates: number, seconds: number): void => {
    const p = state.x;
    const point: CurvePoint = {
      epoch, updates, seconds,
      ...(options.evalTrain ?? true ? { train: meanLogLikelihood(cc, p, data, { check: false, threads }) } : {}),
      ...(options.valid !== undefined ? { valid: meanLogLikelihood(cc, p, options.valid, { check: false, threads }) } : {}),
      ...(options.test !== undefined ? { test: meanLogLikelihood(cc, p, options.test, { check: false, threads }) } : {}),
    };
    curve.push(point);
    if (point.valid !== undefined && (best === undefined || point.valid > best.valid)) {
      best = { epoch, valid: point.valid, ...(point.test !== undefined ? { test: point.test } : {}), params: Float64Array.from(p) };
    }
  };
  evaluate(0, 0, 0);
  const stats = emptyStatistics(cc);
  const acc = emptyStatistics(cc);
  let spare: CircuitLearnerState | undefined;
  let updates = 0;
  let seconds = 0;
  const apply = (obs: typeof stats): void => {
    if (spare === undefined) spare = learner.step(state as never, obs);
    else spare = learner.stepInto(state as never, obs, spare as never);
    const t = state;
    state = spare;
    spare = t;
    updates++;
  };
  let sinceBest = 0;
  for (let epoch = 1; epoch <= epochs; epoch++) {
    const t0 = performance.now();
    if (etaEnd !== undefined) {
      // Linear annealing of the step size over the epochs (the state is plain data).
      // (1 − t)·η0 + t·η_end is exact at both ends.
      const t = epochs > 1 ? (epoch - 1) / (epochs - 1) : 0;
      const eta = (1 - t) * eta0! + t * etaEnd;
      state = { ...state, stepSize: eta } as CircuitLearnerState;
      if (spare !== undefined) spare = { ...spare, stepSize: eta } as CircuitLearnerState;
    }
    if (spec.kind === 'fullBatchEm') {
      batchStatisticsInto(cc, state.query, data, stats, { check: false, softening, threads });
      apply(stats);
    } else {
      const batches = epochBatches(data.rows, batchSize, foldIn(k, epoch));
      acc.edgeFlows.fill(0);
      acc.leafStats.fill(0);
      acc.count = 0;
      acc.logLikelihood = 0;
      let inWindow = 0;
      for (const rows of batches) {
        batchStatisticsInto(cc, state.query, data, per === 1 ? acc : stats, { rows, check: false, softening, threads });
        if (per > 1) {
          for (let i = 0; i < acc.edgeFlows.length; i++) acc.edgeFlows[i] += stats.edgeFlows[i]!;
          for (let i = 0; i < acc.leafStats.length; i++) acc.leafStats[i] += stats.leafStats[i]!;
          acc.count += stats.count;
          acc.logLikelihood += stats.logLikelihood;
        }
        if (++inWindow < per) continue;
        apply(acc);
        inWindow = 0;
        acc.edgeFlows.fill(0);
        acc.leafStats.fill(0);
        acc.count = 0;
        acc.logLikelihood = 0;
      }
    }
    seconds += (performance.now() - t0) / 1000;
    const bestBefore = best?.valid;
    evaluate(epoch, updates, seconds);
    if (options.maxSeconds !== undefined && seconds >= options.maxSeconds) break;
    if (patience !== undefined) {
      sinceBest = bestBefore === undefined || best!.valid > bestBefore ? 0 : sinceBest + 1;
      if (sinceBest >= patience) break;
    }
  }
  return { params: Float64Array.from(state.x), curve, ...(best !== undefined ? { best } : {}) };
}
