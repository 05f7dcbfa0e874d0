import { assertKnownKeys, configKeys, describeValue, DescentError, type Matrix } from '@descent/linalg';
import { assertCompiled } from './compiled-check.js';
import { CHUNK, cachedWorkspace } from './cache.js';
import { checkParams, type CompiledCircuit } from './compile.js';
import { checkData, checkNotEmpty } from './data.js';
import { partStride, runChunk, runRowsThreaded } from './rows-threads.js';

const scratches = new WeakMap<CompiledCircuit, Float64Array>();

// One chunk's partial statistics (one-thread path), reused across calls.
function chunkScratch(cc: CompiledCircuit): Float64Array {
  let s = scratches.get(cc);
  if (s === undefined) {
    s = new Float64Array(partStride(cc));
    scratches.set(cc, s);
  }
  return s;
}

/**
 * What EM-type methods observe (the `Obs` of their step): flows summed over a batch (spec (c)).
 * `edgeFlows[e]` = expected number of uses of sum edge e (indexed like the sum weights in the
 * parameter array); `leafStats` = flow-weighted sufficient statistics of the input nodes
 * (Bernoulli `[Σ F·[x=1], Σ F·[x=0]]`, categorical `Σ F·[x=u]`, Gaussian `[Σ F·x, Σ F·x², Σ F]`);
 * `count` = summed root flow (the batch size, or the sum of example weights); `logLikelihood` =
 * Σ w_b log p(x_b).
 */
export interface BatchStatistics {
  readonly edgeFlows: Float64Array;
  readonly leafStats: Float64Array;
  readonly count: number;
  readonly logLikelihood: number;
}

/** Options of {@link batchStatistics}. */
export interface StatisticsOptions {
  /** rows × numVars mask, 1 = value missing (marginalized; its expected statistics are used). */
  readonly missing?: Uint8Array;
  /** A weight per row (default 1): the root flow of that row. */
  readonly weights?: Float64Array;
  /** Rows to use, in this order (default all): a mini-batch without copying the data. */
  readonly rows?: Int32Array;
  /**
   * Data softening β in [0, 1) (Liu & Van den Broeck 2021): each observed discrete value x is the
   * soft evidence (1 − β)·[X = x] + β·(uniform over the other values), so the statistics are the
   * expected ones given that evidence. Default 0 (hard data). Real (Gaussian) values are not softened.
   */
  readonly softening?: number;
  /**
   * Threads (Node worker threads over shared memory; default 1). The rows are cut into chunks of 512
   * and the chunks shared out between the calling thread and `threads − 1` workers; each chunk's
   * statistics are added in chunk order, so results are bit-identical for every count. A batch of
   * one chunk passes the count to linalg's `gemmInto` instead (dense blocks of at least 128³
   * multiply-adds). Where worker threads or `SharedArrayBuffer` are unavailable everything runs on
   * the calling thread; a worker that fails raises a `DescentError`. Workers never keep a process alive.
   */
  readonly threads?: number;
  /** Validate params and data (O(size)); default true. */
  readonly check?: boolean;
}

/**
 * Forward and backward (flow) passes over a batch: summed edge flows, input-node statistics, the
 * root flow and the log-likelihood (spec (c), "Flows").
 *
 * @example
 * ```ts
 * const c = compile({ numVars: 1, nodes: [bernoulliNode(0, 0.2), bernoulliNode(0, 0.9), sumNode([0, 1], [0.5, 0.5])] });
 * batchStatistics(c, c.params, fromRows([[1], [0]])).count;
 * // 2
 * ```
 */
export function batchStatistics(cc: CompiledCircuit, params: Float64Array, data: Matrix, options: StatisticsOptions = {}): BatchStatistics {
  assertCompiled(cc, 'batchStatistics');
  const out = { edgeFlows: new Float64Array(cc.numSumParams), leafStats: new Float64Array(cc.numStats), count: 0, logLikelihood: 0 };
  return batchStatisticsInto(cc, params, data, out, options);
}

/**
 * {@link batchStatistics} written into `out`'s arrays (zeroed first); returns `out` with `count` and
 * `logLikelihood` set. For training loops that reuse one statistics buffer.
 *
 * @example
 * ```ts
 * const c = compile({ numVars: 1, nodes: [bernoulliNode(0, 0.5)] });
 * const s = batchStatisticsInto(c, c.params, fromRows([[1]]), emptyStatistics(c));
 * Array.from(s.leafStats);
 * // [1, 0]
 * ```
 */
export function batchStatisticsInto(
  cc: CompiledCircuit,
  params: Float64Array,
  data: Matrix,
  out: { edgeFlows: Float64Array; leafStats: Float64Array; count: number; logLikelihood: number },
  options: StatisticsOptions = {},
): BatchStatistics {
  const where = 'batchStatistics';
  assertCompiled(cc, where);
  assertKnownKeys(options, configKeys<StatisticsOptions>()('missing', 'weights', 'rows', 'softening', 'threads', 'check'), where, 'options');
  checkNotEmpty(data, where);
  if (out === null || typeof out !== 'object' || !(out.edgeFlows instanceof Float64Array) || !(out.leafStats instanceof Float64Array)) {
    throw new DescentError('SHAPE_MISMATCH', where, `out must be statistics of this circuit (emptyStatistics(cc)), got ${describeValue(out)}`);
  }
  const rows = options.rows;
  if (rows !== undefined && !(rows instanceof Int32Array)) throw new DescentError('INVALID_CONFIG', where, `rows must be an Int32Array, got ${describeValue(rows)}`);
  const nRows = rows !== undefined ? rows.length : data.rows;
  const soft = options.softening ?? 0;
  if (typeof soft !== 'number' || !(soft >= 0 && soft < 1)) throw new DescentError('INVALID_CONFIG', where, `softening = ${soft} must be in [0, 1)`);
  const threads = options.threads ?? 1;
  if (!Number.isInteger(threads) || threads < 1 || threads > 256) throw new DescentError('INVALID_CONFIG', where, `threads = ${threads} must be an integer from 1 to 256`);
  // An empty batch has no flows to learn from: reject it here, not later as a count of 0.
  if (rows !== undefined && rows.length === 0) throw new DescentError('SHAPE_MISMATCH', where, 'rows is empty');
  if (options.check ?? true) {
    checkParams(cc, params, where);
    checkData(cc, data, options.missing, where);
    if (options.weights !== undefined) {
      if (!(options.weights instanceof Float64Array) || options.weights.length !== nRows) throw new DescentError('SHAPE_MISMATCH', where, `weights must be a Float64Array of length ${nRows}`);
      for (let i = 0; i < nRows; i++) if (!(options.weights[i]! >= 0) || !Number.isFinite(options.weights[i]!)) throw new DescentError('DOMAIN', where, `weights[${i}] = ${options.weights[i]} is not a finite nonnegative number`);
    }
    if (rows !== undefined) for (let i = 0; i < rows.length; i++) if (!(rows[i]! >= 0 && rows[i]! < data.rows)) throw new DescentError('INVALID_CONFIG', where, `rows[${i}] = ${rows[i]} is not a row of data`);
  } else checkNotEmpty(data, where);
  if (out.edgeFlows.length !== cc.numSumParams || out.leafStats.length !== cc.numStats) throw new DescentError('SHAPE_MISMATCH', where, 'out does not match the circuit');
  out.edgeFlows.fill(0);
  out.leafStats.fill(0);
  const E = cc.numSumParams;
  const S = cc.numStats;
  const stride = partStride(cc);
  const nChunks = Math.ceil(nRows / CHUNK);
  const job = { mode: 1 as const, data, nRows, rows, missing: options.missing, weights: options.weights, soft };
  const parts = threads > 1 ? runRowsThreaded(cc, params, job, threads, where) : undefined;
  const ws = parts === undefined ? cachedWorkspace(cc, nRows) : undefined;
  const scratch = parts === undefined ? chunkScratch(cc) : undefined;
  let count = 0;
  let ll = 0;
  // Each chunk's statistics are formed on their own and added in chunk order, on one thread or many.
  for (let c = 0; c < nChunks; c++) {
    let part: Float64Array;
    if (parts !== undefined) part = parts.subarray(c * stride, (c + 1) * stride);
    else {
      part = scratch!;
      runChunk(cc, params, ws!, data, c, nRows, soft, 1, options.missing, rows, options.weights, part, undefined, threads);
    }
    const ef = out.edgeFlows;
    for (let i = 0; i < E; i++) ef[i] += part[i]!;
    const ls = out.leafStats;
    for (let i = 0; i < S; i++) ls[i] += part[E + i]!;
    count += part[E + S]!;
    ll += part[E + S + 1]!;
  }
  out.count = count;
  out.logLikelihood = ll;
  return out;
}

/**
 * Zero statistics shaped for `cc` (the identity of {@link addStatistics}).
 *
 * @example
 * ```ts
 * emptyStatistics(compile({ numVars: 1, nodes: [bernoulliNode(0, 0.5)] })).count;
 * // 0
 * ```
 */
export function emptyStatistics(cc: CompiledCircuit): { edgeFlows: Float64Array; leafStats: Float64Array; count: number; logLikelihood: number } {
  assertCompiled(cc, 'emptyStatistics');
  return { edgeFlows: new Float64Array(cc.numSumParams), leafStats: new Float64Array(cc.numStats), count: 0, logLikelihood: 0 };
}

/**
 * The sum of two batches' statistics (flows are additive over examples): accumulate mini-batches
 * into a full-batch EM step, or several batches into one update window.
 *
 * @example
 * ```ts
 * const c = compile({ numVars: 1, nodes: [bernoulliNode(0, 0.5)] });
 * const s = batchStatistics(c, c.params, fromRows([[1]]));
 * addStatistics(s, s).count;
 * // 2
 * ```
 */
export function addStatistics(a: BatchStatistics, b: BatchStatistics): BatchStatistics {
  for (const [s, what] of [[a, 'a'], [b, 'b']] as const) {
    if (s === null || typeof s !== 'object' || !(s.edgeFlows instanceof Float64Array) || !(s.leafStats instanceof Float64Array) || typeof s.count !== 'number' || typeof s.logLikelihood !== 'number') {
      throw new DescentError('INVALID_CONFIG', 'addStatistics', `${what} must be batch statistics { edgeFlows, leafStats, count, logLikelihood }, got ${describeValue(s)}`);
    }
  }
  if (a.edgeFlows.length !== b.edgeFlows.length || a.leafStats.length !== b.leafStats.length) {
    throw new DescentError('SHAPE_MISMATCH', 'addStatistics', 'statistics of different circuits');
  }
  const e = new Float64Array(a.edgeFlows.length);
  for (let i = 0; i < e.length; i++) e[i] = a.edgeFlows[i]! + b.edgeFlows[i]!;
  const l = new Float64Array(a.leafStats.length);
  for (let i = 0; i < l.length; i++) l[i] = a.leafStats[i]! + b.leafStats[i]!;
  return { edgeFlows: e, leafStats: l, count: a.count + b.count, logLikelihood: a.logLikelihood + b.logLikelihood };
}
