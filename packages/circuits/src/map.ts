import { assertKnownKeys, type Matrix } from '@descent/linalg';
import { assertCompiled } from './compiled-check.js';
import { CHUNK, cachedWorkspace } from './cache.js';
import { KIND, checkParams, type CompiledCircuit } from './compile.js';
import { checkData, checkNotEmpty } from './data.js';
import { forward, loadBatch } from './engine.js';

/** Result of {@link mapQuery}. */
export interface MapResult {
  /** The rows with every missing entry set to its MAP value (observed entries kept). */
  readonly x: Matrix;
  /** The max-product value (log) of the chosen induced tree: a lower bound on log p(x̂). */
  readonly logValue: Float64Array;
}

/**
 * Approximate MAP (MPE) completion of the missing entries by a max-product forward pass and a
 * top-down backtrack (spec (b) 4): at a sum node the argmax child, at a product all children, at a
 * missing leaf `argmax_u f(u)`. `logValue ≤ log p(x̂) ≤ max_x log p(x)`; exact for deterministic
 * circuits (MAP is NP-hard in general). Ties go to the first child / smallest value.
 *
 * @example
 * ```ts
 * const c = compile({ numVars: 1, nodes: [bernoulliNode(0, 0.3)] });
 * mapQuery(c, c.params, fromRows([[1]]), { missing: new Uint8Array([1]) }).x.data[0];
 * // 0
 * ```
 */
export function mapQuery(cc: CompiledCircuit, params: Float64Array, data: Matrix, options: { missing?: Uint8Array; check?: boolean } = {}): MapResult {
  assertCompiled(cc, 'mapQuery');
  assertKnownKeys(options, ['missing', 'check'], 'mapQuery', 'options');
  if (options.check ?? true) {
    checkParams(cc, params, 'mapQuery');
    checkData(cc, data, options.missing, 'mapQuery');
  } else checkNotEmpty(data, 'mapQuery');
  const n = cc.numVars;
  const N = cc.numNodes;
  const x = Float64Array.from(data.data);
  const logValue = new Float64Array(data.rows);
  const ws = cachedWorkspace(cc, data.rows);
  const active = new Uint8Array(N);
  for (let start = 0; start < data.rows; start += CHUNK) {
    const B = Math.min(CHUNK, data.rows - start);
    loadBatch(ws, data, start, B, options.missing);
    forward(cc, params, ws, 'max');
    const L = ws.L;
    for (let b = 0; b < B; b++) {
      const row = start + b;
      logValue[row] = L[(N - 1) * B + b]!;
      active.fill(0);
      active[N - 1] = 1;
      for (let i = N - 1; i >= 0; i--) {
        if (!active[i]) continue;
        const kd = cc.kind[i]!;
        if (kd === KIND.product) {
          for (let e = cc.childPtr[i]!; e < cc.childPtr[i + 1]!; e++) active[cc.child[e]!] = 1;
        } else if (kd === KIND.sum) {
          const e0 = cc.childPtr[i]!;
          const w0 = cc.paramPtr[i]!;
          let best = -1;
          let bestVal = -Infinity;
          for (let e = e0; e < cc.childPtr[i + 1]!; e++) {
            const w = params[w0 + e - e0]!;
            if (w === 0) continue;
            const a = Math.log(w) + L[cc.child[e]! * B + b]!;
            if (best < 0 || a > bestVal) {
              best = e;
              bestVal = a;
            }
          }
          active[cc.child[best]!] = 1;
        } else {
          const v = cc.variable[i]!;
          if (!ws.miss[v * B + b]) continue;
          const o = cc.paramPtr[i]!;
          let val: number;
          if (kd === KIND.bernoulli) val = params[o]! > 0.5 ? 1 : 0;
          else if (kd === KIND.categorical) {
            val = 0;
            for (let u = 1; u < cc.leafArg[i]!; u++) if (params[o + u]! > params[o + val]!) val = u;
          } else if (kd === KIND.gaussian) val = params[o]!;
          else val = cc.leafArg[i]!;
          x[row * n + v] = val;
        }
      }
    }
  }
  return { x: { rows: data.rows, cols: n, data: x }, logValue };
}
