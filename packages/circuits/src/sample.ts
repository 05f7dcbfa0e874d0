import { assertKnownKeys, MAX_ELEMENTS, DescentError, foldIn, portableCosTurn, portableLog, uniformInto, type Key, type Matrix } from '@descent/linalg';
import { assertCompiled } from './compiled-check.js';
import { CHUNK, cachedWorkspace } from './cache.js';
import { KIND, checkParams, type CompiledCircuit } from './compile.js';
import { checkData, checkNotEmpty } from './data.js';
import { forward, loadBatch } from './engine.js';

/** A lazily refilled stream of uniforms for one row: chunk c comes from foldIn(rowKey, c). */
class UniformStream {
  private readonly buf = new Float64Array(64);
  private pos = 64;
  private chunk = 0;
  constructor(private readonly k: Key) {}
  next(): number {
    if (this.pos === 64) {
      uniformInto(foldIn(this.k, this.chunk++), this.buf);
      this.pos = 0;
    }
    return this.buf[this.pos++]!;
  }
}

/**
 * Ancestral samples conditioned on evidence (spec (b) 5): a forward pass with the evidence, then per
 * row a top-down pass choosing child c of a sum node i with probability `θ_c exp(L_c - L_i)`; missing
 * entries are drawn, observed ones copied. Row r uses `foldIn(k, r)`, so results are reproducible
 * and independent of chunking.
 *
 * @example
 * ```ts
 * const c = compile({ numVars: 2, nodes: [bernoulliNode(0, 0.5), bernoulliNode(1, 1), productNode([0, 1])] });
 * sampleConditional(c, c.params, key(0), fromRows([[1, 0]]), new Uint8Array([0, 1])).data;
 * // Float64Array [1, 1]
 * ```
 */
export function sampleConditional(cc: CompiledCircuit, params: Float64Array, k: Key, evidence: Matrix, missing: Uint8Array, options: { check?: boolean } = {}): Matrix {
  assertCompiled(cc, 'sampleConditional');
  assertKnownKeys(options, ['check'], 'sampleConditional', 'options');
  if (options.check ?? true) {
    checkParams(cc, params, 'sampleConditional');
    checkData(cc, evidence, missing, 'sampleConditional');
    if (!(missing instanceof Uint8Array)) throw new DescentError('SHAPE_MISMATCH', 'sampleConditional', 'missing must be a Uint8Array');
  } else checkNotEmpty(evidence, 'sampleConditional');
  const n = cc.numVars;
  const N = cc.numNodes;
  const x = Float64Array.from(evidence.data);
  const ws = cachedWorkspace(cc, evidence.rows);
  const active = new Uint8Array(N);
  for (let start = 0; start < evidence.rows; start += CHUNK) {
    const B = Math.min(CHUNK, evidence.rows - start);
    loadBatch(ws, evidence, start, B, missing);
    forward(cc, params, ws, 'sum');
    const L = ws.L;
    for (let b = 0; b < B; b++) {
      const row = start + b;
      if (L[(N - 1) * B + b] === -Infinity) throw new DescentError('DOMAIN', 'sampleConditional', `row ${row}: the evidence has probability zero`);
      const u = new UniformStream(foldIn(k, row));
      active.fill(0);
      active[N - 1] = 1;
      for (let i = N - 1; i >= 0; i--) {
        if (!active[i]) continue;
        const kd = cc.kind[i]!;
        if (kd === KIND.product) {
          for (let e = cc.childPtr[i]!; e < cc.childPtr[i + 1]!; e++) active[cc.child[e]!] = 1;
        } else if (kd === KIND.sum) {
          const e0 = cc.childPtr[i]!;
          const e1 = cc.childPtr[i + 1]!;
          const w0 = cc.paramPtr[i]!;
          const li = L[i * B + b]!;
          let t = u.next();
          let pick = -1;
          for (let e = e0; e < e1; e++) {
            const pr = params[w0 + e - e0]! * Math.exp(L[cc.child[e]! * B + b]! - li);
            if (pr > 0) pick = e; // the last positive child absorbs rounding
            t -= pr;
            if (t < 0 && pr > 0) break;
          }
          active[cc.child[pick]!] = 1;
        } else {
          const v = cc.variable[i]!;
          if (!ws.miss[v * B + b]) continue;
          const o = cc.paramPtr[i]!;
          let val: number;
          if (kd === KIND.bernoulli) val = u.next() < params[o]! ? 1 : 0;
          else if (kd === KIND.categorical) {
            const K = cc.leafArg[i]!;
            let t = u.next();
            val = K - 1;
            for (let c = 0; c < K; c++) {
              t -= params[o + c]!;
              if (t < 0 && params[o + c]! > 0) {
                val = c;
                break;
              }
            }
            while (params[o + val]! === 0 && val > 0) val--;
          } else if (kd === KIND.gaussian) {
            const u1 = 1 - u.next();
            const u2 = u.next();
            val = params[o]! + params[o + 1]! * Math.sqrt(-2 * portableLog(u1)) * portableCosTurn(u2);
          } else val = cc.leafArg[i]!;
          x[row * n + v] = val;
        }
      }
    }
  }
  return { rows: evidence.rows, cols: n, data: x };
}

/**
 * `count` unconditional samples (ancestral: a sum node picks child c with probability θ_c).
 *
 * @example
 * ```ts
 * const c = compile({ numVars: 1, nodes: [bernoulliNode(0, 1)] });
 * sample(c, c.params, key(0), 3).data;
 * // Float64Array [1, 1, 1]
 * ```
 */
export function sample(cc: CompiledCircuit, params: Float64Array, k: Key, count: number, options: { check?: boolean } = {}): Matrix {
  assertCompiled(cc, 'sample');
  assertKnownKeys(options, ['check'], 'sample', 'options');
  if (!Number.isInteger(count) || count < 0) throw new DescentError('INVALID_CONFIG', 'sample', `count must be a non-negative integer, got ${count}`);
  if (count * cc.numVars > MAX_ELEMENTS) throw new DescentError('INVALID_CONFIG', 'sample', `count × numVars = ${count * cc.numVars} is above the allocation limit of ${MAX_ELEMENTS}`);
  const size = count * cc.numVars;
  const evidence = { rows: count, cols: cc.numVars, data: new Float64Array(size) };
  return sampleConditional(cc, params, k, evidence, new Uint8Array(size).fill(1), options);
}
