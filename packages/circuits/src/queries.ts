import { assertKnownKeys, configKeys, DescentError, type Matrix } from '@descent/linalg';
import { assertCompiled } from './compiled-check.js';
import { CHUNK, cachedWorkspace } from './cache.js';
import { KIND, checkParams, type CompiledCircuit } from './compile.js';
import { checkData, checkNotEmpty } from './data.js';
import { backward, forward, loadBatch, topDownInto } from './engine.js';
import { runRowsThreaded } from './rows-threads.js';

/** Options shared by the queries. */
export interface QueryOptions {
  /** rows × numVars mask, 1 = the value is missing and is marginalized out. */
  readonly missing?: Uint8Array;
  /** Validate params and data (O(size)); default true. */
  readonly check?: boolean;
}

/** Options of {@link logLikelihood} and {@link meanLogLikelihood}. */
export interface LikelihoodOptions extends QueryOptions {
  /**
   * Threads (Node worker threads over shared memory; default 1): chunks of 512 rows are shared out
   * between the calling thread and `threads − 1` workers. Each row's value is computed by the same
   * code on any thread, so results are bit-identical for every count; without worker threads or
   * `SharedArrayBuffer` everything runs on the calling thread.
   */
  readonly threads?: number;
}

const QUERY_KEYS = configKeys<QueryOptions>()('missing', 'check');
const LIKELIHOOD_KEYS = configKeys<LikelihoodOptions>()('missing', 'check', 'threads');

/**
 * `log p(x_b)` for every row, or with `missing` the marginal `log p(e_b)` of the observed entries
 * (marginalized leaves evaluate to 0): one forward pass (spec (b) 1-2).
 *
 * @example
 * ```ts
 * const c = compile({ numVars: 1, nodes: [bernoulliNode(0, 0.25)] });
 * Array.from(logLikelihood(c, c.params, fromRows([[1], [0]]))).map(Math.exp);
 * // [0.25, 0.75]
 * ```
 */
export function logLikelihood(cc: CompiledCircuit, params: Float64Array, data: Matrix, options: LikelihoodOptions = {}): Float64Array {
  return logLikelihoodAt(cc, params, data, options, 'logLikelihood');
}

// The forward pass behind every likelihood query; `where` names the public function in errors.
function logLikelihoodAt(cc: CompiledCircuit, params: Float64Array, data: Matrix, options: LikelihoodOptions, where: string): Float64Array {
  assertCompiled(cc, where);
  assertKnownKeys(options, where === 'logConditional' ? QUERY_KEYS : LIKELIHOOD_KEYS, where, 'options');
  const threads = options.threads ?? 1;
  if (!Number.isInteger(threads) || threads < 1 || threads > 256) throw new DescentError('INVALID_CONFIG', where, `threads = ${threads} must be an integer from 1 to 256`);
  if (options.check ?? true) {
    checkParams(cc, params, where);
    checkData(cc, data, options.missing, where);
  } else checkNotEmpty(data, where);
  const out = new Float64Array(data.rows);
  if (threads > 1) {
    const job = { mode: 2 as const, data, nRows: data.rows, rows: undefined, missing: options.missing, weights: undefined, soft: 0 };
    const lls = runRowsThreaded(cc, params, job, threads, where);
    if (lls !== undefined) {
      out.set(lls.subarray(0, data.rows));
      return out;
    }
  }
  const ws = cachedWorkspace(cc, data.rows);
  const ro = cc.numNodes - 1;
  for (let start = 0; start < data.rows; start += CHUNK) {
    const B = Math.min(CHUNK, data.rows - start);
    loadBatch(ws, data, start, B, options.missing);
    forward(cc, params, ws, 'flows');
    out.set(ws.L.subarray(ro * B, ro * B + B), start);
  }
  return out;
}

/**
 * Mean log-likelihood per row (nats per sample), the figure DEBD results are reported in.
 *
 * @example
 * ```ts
 * const c = compile({ numVars: 1, nodes: [bernoulliNode(0, 0.5)] });
 * meanLogLikelihood(c, c.params, fromRows([[1], [0]]));
 * // -0.6931471805599453
 * ```
 */
export function meanLogLikelihood(cc: CompiledCircuit, params: Float64Array, data: Matrix, options: LikelihoodOptions = {}): number {
  const ll = logLikelihoodAt(cc, params, data, options, 'meanLogLikelihood');
  let s = 0;
  for (let i = 0; i < ll.length; i++) s += ll[i]!;
  return s / ll.length;
}

/**
 * `log p(x_Q | x_E)` per row, where Q = the columns with `query[v] = 1` and E = the other columns not
 * marked in `missing`: `LL(q, e) - LL(e)` by two forward passes (spec (b) 3).
 *
 * @example
 * ```ts
 * const c = compile({ numVars: 2, nodes: [bernoulliNode(0, 0.5), bernoulliNode(1, 0.2), productNode([0, 1])] });
 * Math.exp(logConditional(c, c.params, fromRows([[1, 1]]), new Uint8Array([0, 1]))[0]).toFixed(12);
 * // '0.200000000000'
 * ```
 */
export function logConditional(cc: CompiledCircuit, params: Float64Array, data: Matrix, query: Uint8Array, options: QueryOptions = {}): Float64Array {
  assertCompiled(cc, 'logConditional');
  assertKnownKeys(options, QUERY_KEYS, 'logConditional', 'options');
  assertKnownKeys(options, QUERY_KEYS, 'logConditional', 'options');
  if (!(query instanceof Uint8Array) || query.length !== cc.numVars) throw new DescentError('SHAPE_MISMATCH', 'logConditional', `query must be a Uint8Array of length ${cc.numVars}`);
  const joint = logLikelihoodAt(cc, params, data, options, 'logConditional');
  const missE = new Uint8Array(data.rows * cc.numVars);
  for (let r = 0; r < data.rows; r++) {
    for (let v = 0; v < cc.numVars; v++) {
      const i = r * cc.numVars + v;
      missE[i] = query[v] || (options.missing !== undefined && options.missing[i]) ? 1 : 0;
    }
  }
  const ev = logLikelihoodAt(cc, params, data, { missing: missE, check: false }, 'logConditional');
  for (let r = 0; r < data.rows; r++) joint[r] = joint[r]! - ev[r]!;
  return joint;
}

/** All single-variable posteriors of a batch, see {@link posteriors}. */
export interface Posteriors {
  /** Column v's probabilities occupy `offsets[v]..offsets[v+1]` of each row (real variables: none). */
  readonly offsets: Int32Array;
  /** rows × offsets[numVars]: p(X_v = u | evidence of that row). */
  readonly probs: Float64Array;
  /** rows × numVars: E[X_v | evidence]. */
  readonly means: Float64Array;
}

/**
 * Every single-variable posterior `p(X_v = u | e)` of every row in ONE forward and ONE backward
 * pass (spec (b) 3): with the missing variables marginalized, `p(X_v = u | e) = Σ_{leaves l of v}
 * F[l] f_l(u)`. Observed variables get a point mass at their value. Needs a smooth, decomposable
 * circuit (guaranteed by {@link compile}).
 *
 * @example
 * ```ts
 * const c = compile({ numVars: 1, nodes: [bernoulliNode(0, 0.2), bernoulliNode(0, 0.6), sumNode([0, 1], [0.5, 0.5])] });
 * Array.from(posteriors(c, c.params, fromRows([[0]]), { missing: new Uint8Array([1]) }).probs).map((p) => +p.toFixed(12));
 * // [0.6, 0.4]
 * ```
 */
export function posteriors(cc: CompiledCircuit, params: Float64Array, data: Matrix, options: QueryOptions = {}): Posteriors {
  assertCompiled(cc, 'posteriors');
  assertKnownKeys(options, QUERY_KEYS, 'posteriors', 'options');
  assertKnownKeys(options, QUERY_KEYS, 'posteriors', 'options');
  if (options.check ?? true) {
    checkParams(cc, params, 'posteriors');
    checkData(cc, data, options.missing, 'posteriors');
  } else checkNotEmpty(data, 'posteriors');
  const n = cc.numVars;
  const offsets = new Int32Array(n + 1);
  for (let v = 0; v < n; v++) offsets[v + 1] = offsets[v]! + cc.cardinality[v]!;
  const width = offsets[n]!;
  const probs = new Float64Array(data.rows * width);
  const means = new Float64Array(data.rows * n);
  const ws = cachedWorkspace(cc, data.rows);
  for (let start = 0; start < data.rows; start += CHUNK) {
    const B = Math.min(CHUNK, data.rows - start);
    loadBatch(ws, data, start, B, options.missing);
    forward(cc, params, ws, 'sum');
    backward(cc, params, ws);
    const F = ws.F;
    for (let v = 0; v < n; v++) {
      const c = cc.cardinality[v]!;
      const xo = v * B;
      for (let b = 0; b < B; b++) {
        const row = start + b;
        const po = row * width + offsets[v]!;
        if (!ws.miss[xo + b]) {
          const x = ws.X[xo + b]!;
          if (c > 0) probs[po + x] = 1;
          means[row * n + v] = x;
          continue;
        }
        let mean = 0;
        for (let e = cc.varLeafPtr[v]!; e < cc.varLeafPtr[v + 1]!; e++) {
          const l = cc.varLeaf[e]!;
          const f = F[l * B + b]!;
          if (f === 0) continue;
          const kd = cc.kind[l]!;
          const o = cc.paramPtr[l]!;
          if (kd === KIND.bernoulli) {
            probs[po + 1] += f * params[o]!;
            probs[po] += f * (1 - params[o]!);
          } else if (kd === KIND.categorical) {
            for (let u = 0; u < c; u++) probs[po + u] += f * params[o + u]!;
          } else if (kd === KIND.indicator) probs[po + cc.leafArg[l]!] += f;
          else mean += f * params[o]!;
        }
        if (c > 0) for (let u = 0; u < c; u++) mean += u * probs[po + u]!;
        means[row * n + v] = mean;
      }
    }
  }
  return { offsets, probs, means };
}

/**
 * Per-example node flows `F_x[n]` (the posterior probability that node n is in the induced tree of
 * x), as a `numNodes × rows` matrix indexed by the node's position in `circuit.nodes`.
 *
 * @example
 * ```ts
 * const c = compile({ numVars: 1, nodes: [bernoulliNode(0, 0.2), bernoulliNode(0, 0.6), sumNode([0, 1], [0.5, 0.5])] });
 * Array.from(nodeFlows(c, c.params, fromRows([[1]])).data).map((f) => +f.toFixed(2));
 * // [0.25, 0.75, 1]
 * ```
 */
export function nodeFlows(cc: CompiledCircuit, params: Float64Array, data: Matrix, options: QueryOptions = {}): Matrix {
  assertCompiled(cc, 'nodeFlows');
  assertKnownKeys(options, QUERY_KEYS, 'nodeFlows', 'options');
  assertKnownKeys(options, QUERY_KEYS, 'nodeFlows', 'options');
  if (options.check ?? true) {
    checkParams(cc, params, 'nodeFlows');
    checkData(cc, data, options.missing, 'nodeFlows');
  } else checkNotEmpty(data, 'nodeFlows');
  const out = new Float64Array(cc.numNodes * data.rows);
  const ws = cachedWorkspace(cc, data.rows);
  for (let start = 0; start < data.rows; start += CHUNK) {
    const B = Math.min(CHUNK, data.rows - start);
    loadBatch(ws, data, start, B, options.missing);
    forward(cc, params, ws, 'sum');
    backward(cc, params, ws);
    for (let k = 0; k < cc.numNodes; k++) {
      const o = cc.original[k]! * data.rows + start;
      for (let b = 0; b < B; b++) out[o + b] = ws.F[k * B + b]!;
    }
  }
  return { rows: cc.numNodes, cols: data.rows, data: out };
}

/**
 * Top-down probabilities `TD[n] = Σ_x p(x) F_x[n]`: the probability that node n is in the induced
 * tree of a sample of the model, by one parameter-only pass (no data). Indexed by the node's
 * position in `circuit.nodes`.
 *
 * @example
 * ```ts
 * const c = compile({ numVars: 1, nodes: [bernoulliNode(0, 0.2), bernoulliNode(0, 0.6), sumNode([0, 1], [0.3, 0.7])] });
 * Array.from(topDownProbabilities(c, c.params));
 * // [0.3, 0.7, 1]
 * ```
 */
export function topDownProbabilities(cc: CompiledCircuit, params: Float64Array, options: { check?: boolean } = {}): Float64Array {
  assertCompiled(cc, 'topDownProbabilities');
  assertKnownKeys(options, ['check'], 'topDownProbabilities', 'options');
  assertKnownKeys(options, ['check'], 'topDownProbabilities', 'options');
  if (options.check ?? true) checkParams(cc, params, 'topDownProbabilities');
  const td = topDownInto(cc, params, new Float64Array(cc.numNodes));
  const out = new Float64Array(cc.numNodes);
  for (let k = 0; k < cc.numNodes; k++) out[cc.original[k]!] = td[k]!;
  return out;
}
