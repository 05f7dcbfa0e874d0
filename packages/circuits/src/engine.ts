// The compiled forward and backward passes over a batch (spec (a), (c), (g)). Internal: the public
// queries and statistics call these with validated input.
import type { Matrix } from '@descent/linalg';
import { KIND, type CompiledCircuit } from './compile.js';

const HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);
let catLog = new Float64Array(16);

/** @internal Reusable buffers for one batch size. Node-major, batch contiguous. */
export interface Workspace {
  readonly capacity: number;
  /** Rows in the current batch (the stride of every node-major array). */
  B: number;
  readonly L: Float64Array;
  readonly F: Float64Array;
  /** exp(L[child] - max) per group child, per example. */
  readonly E: Float64Array;
  /** Per-group max over children, per example. */
  readonly M: Float64Array;
  readonly R: Float64Array;
  /** Linear-domain sums S = Σ_j w_j E_j of sum nodes (L = log S + max), reused by the backward pass. */
  readonly S: Float64Array;
  /** The batch transposed: X[v * B + b]. */
  readonly X: Float64Array;
  readonly miss: Uint8Array;
  readonly logw: Float64Array;
}

/** @internal */
export function workspace(cc: CompiledCircuit, capacity: number): Workspace {
  let maxG = 1;
  for (let g = 0; g < cc.numGroups; g++) if (cc.groupSize[g]! > maxG) maxG = cc.groupSize[g]!;
  const cap = Math.max(1, capacity);
  return {
    capacity: cap,
    B: 0,
    L: new Float64Array(cc.numNodes * cap),
    F: new Float64Array(cc.numNodes * cap),
    E: new Float64Array(Math.max(1, cc.groupChildPtr[cc.numGroups]!) * cap),
    M: new Float64Array(Math.max(1, cc.numGroups) * cap),
    R: new Float64Array(maxG * cap),
    S: new Float64Array(cc.numNodes * cap),
    X: new Float64Array(cc.numVars * cap),
    miss: new Uint8Array(cc.numVars * cap),
    logw: new Float64Array(cc.numSumParams),
  };
}

/** @internal Copies rows [start, start + B) of data (and mask) transposed into the workspace. */
export function loadBatch(ws: Workspace, data: Matrix, start: number, B: number, missing?: Uint8Array, rows?: Int32Array): void {
  const n = data.cols;
  const x = data.data;
  ws.B = B;
  const X = ws.X;
  const miss = ws.miss;
  for (let b = 0; b < B; b++) {
    const r = rows !== undefined ? rows[start + b]! : start + b;
    const o = r * n;
    for (let v = 0; v < n; v++) {
      X[v * B + b] = x[o + v]!;
      miss[v * B + b] = missing !== undefined ? missing[o + v]! : 0;
    }
  }
}

/**
 * @internal Forward pass. `mode` 'sum': log-likelihoods (marginalized leaves give 0); 'max':
 * max-product values (marginalized leaves give max_u log f(u)).
 */
export function forward(cc: CompiledCircuit, params: Float64Array, ws: Workspace, mode: 'sum' | 'max' = 'sum'): void {
  const B = ws.B;
  const L = ws.L;
  const X = ws.X;
  const miss = ws.miss;
  const maxMode = mode === 'max';
  // Inputs.
  for (let k = 0; k < cc.numLeaves; k++) {
    const kd = cc.kind[k]!;
    const v = cc.variable[k]!;
    const o = cc.paramPtr[k]!;
    const lo = k * B;
    const xo = v * B;
    if (kd === KIND.bernoulli) {
      const p = params[o]!;
      const l1 = Math.log(p);
      const l0 = Math.log(1 - p);
      const lm = maxMode ? Math.max(l0, l1) : 0;
      for (let b = 0; b < B; b++) L[lo + b] = miss[xo + b] ? lm : X[xo + b] === 1 ? l1 : l0;
    } else if (kd === KIND.categorical) {
      const K = cc.leafArg[k]!;
      let lm = 0;
      if (maxMode) {
        let m = 0;
        for (let u = 0; u < K; u++) if (params[o + u]! > m) m = params[o + u]!;
        lm = Math.log(m);
      }
      // log θ once per node, not per example.
      if (catLog.length < K) catLog = new Float64Array(K);
      const lt = catLog;
      for (let u = 0; u < K; u++) lt[u] = Math.log(params[o + u]!);
      for (let b = 0; b < B; b++) L[lo + b] = miss[xo + b] ? lm : lt[X[xo + b]!]!;
    } else if (kd === KIND.gaussian) {
      const mu = params[o]!;
      const inv = 1 / params[o + 1]!;
      const c = -HALF_LOG_2PI - Math.log(params[o + 1]!);
      const lm = maxMode ? c : 0;
      for (let b = 0; b < B; b++) {
        if (miss[xo + b]) L[lo + b] = lm;
        else {
          const z = (X[xo + b]! - mu) * inv;
          L[lo + b] = c - 0.5 * z * z;
        }
      }
    } else {
      const val = cc.leafArg[k]!;
      for (let b = 0; b < B; b++) L[lo + b] = miss[xo + b] || X[xo + b] === val ? 0 : -Infinity;
    }
  }
  const logw = ws.logw;
  if (maxMode) for (let e = 0; e < cc.numSumParams; e++) logw[e] = Math.log(params[e]!);
  // Inner nodes, in compiled (topological) order.
  const N = cc.numNodes;
  const E = ws.E;
  const M = ws.M;
  for (let i = cc.numLeaves; i < N; ) {
    if (cc.kind[i] === KIND.product) {
      const lo = i * B;
      const e0 = cc.childPtr[i]!;
      const e1 = cc.childPtr[i + 1]!;
      const c0 = cc.child[e0]! * B;
      for (let b = 0; b < B; b++) L[lo + b] = L[c0 + b]!;
      for (let e = e0 + 1; e < e1; e++) {
        const co = cc.child[e]! * B;
        for (let b = 0; b < B; b++) L[lo + b] += L[co + b]!;
      }
      i++;
      continue;
    }
    // A sum group: members i..i+G-1 share children.
    const g = cc.groupOf[i]!;
    const G = cc.groupSize[g]!;
    const g0 = cc.groupChildPtr[g]!;
    const k = cc.groupChildPtr[g + 1]! - g0;
    const w0 = cc.paramPtr[i]!;
    if (maxMode) {
      for (let s = 0; s < G; s++) {
        const lo = (i + s) * B;
        for (let b = 0; b < B; b++) L[lo + b] = -Infinity;
        for (let j = 0; j < k; j++) {
          const lw = logw[w0 + s * k + j]!;
          if (lw === -Infinity) continue;
          const co = cc.groupChild[g0 + j]! * B;
          for (let b = 0; b < B; b++) {
            const a = lw + L[co + b]!;
            if (a > L[lo + b]!) L[lo + b] = a;
          }
        }
      }
      i += G;
      continue;
    }
    const mo = g * B;
    for (let b = 0; b < B; b++) M[mo + b] = -Infinity;
    for (let j = 0; j < k; j++) {
      const co = cc.groupChild[g0 + j]! * B;
      for (let b = 0; b < B; b++) {
        const a = L[co + b]!;
        const m = M[mo + b]!;
        M[mo + b] = a > m ? a : m;
      }
    }
    for (let j = 0; j < k; j++) {
      const co = cc.groupChild[g0 + j]! * B;
      const eo = (g0 + j) * B;
      for (let b = 0; b < B; b++) {
        const m = M[mo + b]!;
        // Guard: never compute -Inf - -Inf.
        E[eo + b] = m === -Infinity ? 0 : Math.exp(L[co + b]! - m);
      }
    }
    const S = ws.S;
    for (let s = 0; s < G; s++) {
      const lo = (i + s) * B;
      const wr = w0 + s * k;
      for (let b = 0; b < B; b++) S[lo + b] = 0;
      // Four children per sweep: one load and store of the accumulator per 8 flops.
      let j = 0;
      for (; j + 3 < k; j += 4) {
        const wa = params[wr + j]!;
        const wb = params[wr + j + 1]!;
        const wc = params[wr + j + 2]!;
        const wd = params[wr + j + 3]!;
        const ea = (g0 + j) * B;
        const eb = ea + B;
        const ec = eb + B;
        const ed = ec + B;
        for (let b = 0; b < B; b++) S[lo + b] += wa * E[ea + b]! + wb * E[eb + b]! + wc * E[ec + b]! + wd * E[ed + b]!;
      }
      for (; j < k; j++) {
        const w = params[wr + j]!;
        const eo = (g0 + j) * B;
        for (let b = 0; b < B; b++) S[lo + b] += w * E[eo + b]!;
      }
      for (let b = 0; b < B; b++) {
        const m = M[mo + b]!;
        L[lo + b] = m === -Infinity ? -Infinity : Math.log(S[lo + b]!) + m;
      }
    }
    i += G;
  }
}

/**
 * @internal Backward (flow) pass after a 'sum' forward pass. F[root, b] = weight_b (1 by default; 0
 * for rows of zero likelihood). Adds summed edge flows into `edgeFlows` and input-node sufficient
 * statistics into `leafStats` when given. Returns the summed root flow.
 */
export function backward(
  cc: CompiledCircuit,
  params: Float64Array,
  ws: Workspace,
  edgeFlows?: Float64Array,
  leafStats?: Float64Array,
  weights?: Float64Array,
  weightOffset = 0,
): number {
  const B = ws.B;
  const N = cc.numNodes;
  const L = ws.L;
  const F = ws.F;
  const E = ws.E;
  const M = ws.M;
  const R = ws.R;
  F.fill(0, 0, N * B);
  const ro = (N - 1) * B;
  let total = 0;
  for (let b = 0; b < B; b++) {
    const w = weights !== undefined ? weights[weightOffset + b]! : 1;
    const f = L[ro + b] === -Infinity ? 0 : w;
    F[ro + b] = f;
    total += f;
  }
  for (let top = N - 1; top >= cc.numLeaves; ) {
    if (cc.kind[top] === KIND.product) {
      const fo = top * B;
      for (let e = cc.childPtr[top]!; e < cc.childPtr[top + 1]!; e++) {
        const co = cc.child[e]! * B;
        for (let b = 0; b < B; b++) F[co + b] += F[fo + b]!;
      }
      top--;
      continue;
    }
    const g = cc.groupOf[top]!;
    const G = cc.groupSize[g]!;
    const first = cc.groupFirst[g]!;
    const g0 = cc.groupChildPtr[g]!;
    const k = cc.groupChildPtr[g + 1]! - g0;
    const w0 = cc.paramPtr[first]!;
    const mo = g * B;
    // R[s, b] = F[s, b] / S[s, b] (= F exp(M - L)), 0 where there is no flow.
    const S = ws.S;
    for (let s = 0; s < G; s++) {
      const fo = (first + s) * B;
      const rs = s * B;
      for (let b = 0; b < B; b++) {
        const f = F[fo + b]!;
        R[rs + b] = f > 0 ? f / S[fo + b]! : 0;
      }
    }
    // For child j: F[c] += E_j ∘ Σ_s w_sj R_s and EF[s, j] += w_sj (R_s · E_j), four parents per sweep.
    for (let j = 0; j < k; j++) {
      const co = cc.groupChild[g0 + j]! * B;
      const eo = (g0 + j) * B;
      let s = 0;
      for (; s + 3 < G; s += 4) {
        const ia = w0 + s * k + j;
        const wa = params[ia]!;
        const wb = params[ia + k]!;
        const wc = params[ia + 2 * k]!;
        const wd = params[ia + 3 * k]!;
        const ra = s * B;
        const rb = ra + B;
        const rc = rb + B;
        const rd = rc + B;
        let da = 0;
        let db = 0;
        let dc = 0;
        let dd = 0;
        for (let b = 0; b < B; b++) {
          const e = E[eo + b]!;
          const xa = R[ra + b]!;
          const xb = R[rb + b]!;
          const xc = R[rc + b]!;
          const xd = R[rd + b]!;
          da += xa * e;
          db += xb * e;
          dc += xc * e;
          dd += xd * e;
          F[co + b] += e * (wa * xa + wb * xb + wc * xc + wd * xd);
        }
        if (edgeFlows !== undefined) {
          edgeFlows[ia] += wa * da;
          edgeFlows[ia + k] += wb * db;
          edgeFlows[ia + 2 * k] += wc * dc;
          edgeFlows[ia + 3 * k] += wd * dd;
        }
      }
      for (; s < G; s++) {
        const wi = w0 + s * k + j;
        const w = params[wi]!;
        const rs = s * B;
        let dot = 0;
        for (let b = 0; b < B; b++) {
          const t = R[rs + b]! * E[eo + b]!;
          dot += t;
          F[co + b] += w * t;
        }
        if (edgeFlows !== undefined) edgeFlows[wi] += w * dot;
      }
    }
    top = first - 1;
  }
  if (leafStats !== undefined) accumulateLeafStats(cc, params, ws, leafStats);
  return total;
}

function accumulateLeafStats(cc: CompiledCircuit, params: Float64Array, ws: Workspace, stats: Float64Array): void {
  const B = ws.B;
  const F = ws.F;
  const X = ws.X;
  const miss = ws.miss;
  const anyMissing = new Uint8Array(cc.numVars);
  for (let v = 0; v < cc.numVars; v++) {
    for (let b = 0; b < B; b++) {
      if (miss[v * B + b]) {
        anyMissing[v] = 1;
        break;
      }
    }
  }
  for (let k = 0; k < cc.numLeaves; k++) {
    const so = cc.statPtr[k]!;
    if (so < 0) continue;
    const kd = cc.kind[k]!;
    const o = cc.paramPtr[k]!;
    const fo = k * B;
    const xo = cc.variable[k]! * B;
    if (kd === KIND.bernoulli) {
      const p = params[o]!;
      let s1 = 0;
      let tot = 0;
      if (anyMissing[cc.variable[k]!]) {
        for (let b = 0; b < B; b++) {
          const f = F[fo + b]!;
          s1 += f * (miss[xo + b] ? p : X[xo + b]!);
          tot += f;
        }
      } else {
        // Branch-free: x is 0 or 1.
        for (let b = 0; b < B; b++) {
          const f = F[fo + b]!;
          s1 += f * X[xo + b]!;
          tot += f;
        }
      }
      stats[so] += s1;
      stats[so + 1] += tot - s1;
    } else if (kd === KIND.categorical) {
      const K = cc.leafArg[k]!;
      for (let b = 0; b < B; b++) {
        const f = F[fo + b]!;
        if (f === 0) continue;
        if (miss[xo + b]) for (let u = 0; u < K; u++) stats[so + u] += f * params[o + u]!;
        else stats[so + X[xo + b]!] += f;
      }
    } else {
      const mu = params[o]!;
      const sg = params[o + 1]!;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      for (let b = 0; b < B; b++) {
        const f = F[fo + b]!;
        if (miss[xo + b]) {
          s1 += f * mu;
          s2 += f * (sg * sg + mu * mu);
        } else {
          const x = X[xo + b]!;
          s1 += f * x;
          s2 += f * x * x;
        }
        s3 += f;
      }
      stats[so] += s1;
      stats[so + 1] += s2;
      stats[so + 2] += s3;
    }
  }
}

/** @internal Top-down probabilities per compiled node: TD[root] = 1, pushed down through weights. */
export function topDownInto(cc: CompiledCircuit, params: Float64Array, td: Float64Array): Float64Array {
  td.fill(0);
  td[cc.numNodes - 1] = 1;
  for (let i = cc.numNodes - 1; i >= cc.numLeaves; i--) {
    const t = td[i]!;
    if (t === 0) continue;
    const e0 = cc.childPtr[i]!;
    const e1 = cc.childPtr[i + 1]!;
    if (cc.kind[i] === KIND.product) for (let e = e0; e < e1; e++) td[cc.child[e]!] += t;
    else {
      const w0 = cc.paramPtr[i]!;
      for (let e = e0; e < e1; e++) td[cc.child[e]!] += t * params[w0 + e - e0]!;
    }
  }
  return td;
}
