// The compiled forward and backward passes over a batch (spec (a), (c), (g)). Internal: the public
// queries and statistics call these with validated input. Each sum group (sum nodes sharing their
// children) is a dense G × k block evaluated as log(W · exp(L_children − max)) + max, the product
// W · E through linalg's gemm; the flow pass runs the same blocks through gemm (Wᵀ R and R Eᵀ).
// Products and inputs stay fused loops. The straightforward loops it replaced live on in
// engine-reference.ts, which the tests compare against.
import { gemmInto, type GemmOptions, type Matrix } from '@descent/linalg';
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
  /**
   * Data softening β of the current batch (0: hard data): every observed discrete value x counts as
   * the soft evidence (1 − β)·[x] + β·(uniform over the other values), in the input layer and in the
   * input statistics. Set by {@link loadBatch}.
   */
  soft: number;
  /** Backward scratch: Wᵀ R (k × B) and R Eᵀ (G × k) of one group. */
  readonly T: Float64Array;
  readonly EF: Float64Array;
  /** Matrix views of the per-group blocks for the current B (rebuilt when B changes). */
  views: GroupViews | undefined;
  /** gemm options of the three block products (threads set by {@link loadBatch}); reused, never reallocated. */
  readonly gemm: { plain: GemmOptions; transA: GemmOptions; transB: GemmOptions };
  /** Weight views per parameter array (a learner ping-pongs two arrays, so two entries suffice). */
  readonly weightViews: [Float64Array | undefined, Matrix[], Float64Array | undefined, Matrix[]];
}

/** @internal Views of one group's blocks with stride B. */
interface GroupViews {
  readonly B: number;
  /** exp(L_children − max): k × B. */
  readonly E: Matrix[];
  /** Linear-domain sums of the members: G × B. */
  readonly S: Matrix[];
  /** F / S of the members: G × B (in ws.R). */
  readonly R: Matrix[];
  /** k × B and G × k scratch in ws.T and ws.EF. */
  readonly T: Matrix[];
  readonly EF: Matrix[];
}

/** @internal */
export function workspace(cc: CompiledCircuit, capacity: number): Workspace {
  let maxG = 1;
  let maxK = 1;
  let maxGK = 1;
  for (let g = 0; g < cc.numGroups; g++) {
    const G = cc.groupSize[g]!;
    const k = cc.groupChildPtr[g + 1]! - cc.groupChildPtr[g]!;
    if (G > maxG) maxG = G;
    if (k > maxK) maxK = k;
    if (G * k > maxGK) maxGK = G * k;
  }
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
    soft: 0,
    T: new Float64Array(maxK * cap),
    EF: new Float64Array(maxGK),
    views: undefined,
    gemm: { plain: { threads: 1 }, transA: { transA: true, threads: 1 }, transB: { transB: true, threads: 1 } },
    weightViews: [undefined, [], undefined, []],
  };
}

function groupViews(cc: CompiledCircuit, ws: Workspace): GroupViews {
  const B = ws.B;
  if (ws.views !== undefined && ws.views.B === B) return ws.views;
  const E: Matrix[] = [];
  const S: Matrix[] = [];
  const R: Matrix[] = [];
  const T: Matrix[] = [];
  const EF: Matrix[] = [];
  for (let g = 0; g < cc.numGroups; g++) {
    const G = cc.groupSize[g]!;
    const g0 = cc.groupChildPtr[g]!;
    const k = cc.groupChildPtr[g + 1]! - g0;
    const first = cc.groupFirst[g]!;
    E.push({ rows: k, cols: B, data: ws.E.subarray(g0 * B, (g0 + k) * B) });
    S.push({ rows: G, cols: B, data: ws.S.subarray(first * B, (first + G) * B) });
    R.push({ rows: G, cols: B, data: ws.R.subarray(0, G * B) });
    T.push({ rows: k, cols: B, data: ws.T.subarray(0, k * B) });
    EF.push({ rows: G, cols: k, data: ws.EF.subarray(0, G * k) });
  }
  ws.views = { B, E, S, R, T, EF };
  return ws.views;
}

function weightViews(cc: CompiledCircuit, ws: Workspace, params: Float64Array): Matrix[] {
  const wv = ws.weightViews;
  if (wv[0] === params) return wv[1];
  if (wv[2] === params) return wv[3];
  const views: Matrix[] = [];
  for (let g = 0; g < cc.numGroups; g++) {
    const G = cc.groupSize[g]!;
    const k = cc.groupChildPtr[g + 1]! - cc.groupChildPtr[g]!;
    const w0 = cc.paramPtr[cc.groupFirst[g]!]!;
    views.push({ rows: G, cols: k, data: params.subarray(w0, w0 + G * k) });
  }
  // Keep the most recent two arrays: the ping-pong pair of a training loop.
  wv[2] = wv[0];
  wv[3] = wv[1];
  wv[0] = params;
  wv[1] = views;
  return views;
}

/** @internal Copies rows [start, start + B) of data (and mask) transposed into the workspace. */
export function loadBatch(ws: Workspace, data: Matrix, start: number, B: number, missing?: Uint8Array, rows?: Int32Array, soft = 0, threads = 1): void {
  const n = data.cols;
  const x = data.data;
  ws.B = B;
  ws.soft = soft;
  // linalg's gemm gives the same bits for every thread count, so threads never change a result.
  ws.gemm.plain.threads = threads;
  ws.gemm.transA.threads = threads;
  ws.gemm.transB.threads = threads;
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
  const maxMode = mode === 'max';
  inputLayer(cc, params, ws, maxMode);
  const logw = ws.logw;
  if (maxMode) for (let e = 0; e < cc.numSumParams; e++) logw[e] = Math.log(params[e]!);
  const views = maxMode ? undefined : groupViews(cc, ws);
  const W = maxMode ? undefined : weightViews(cc, ws, params);
  // Inner nodes, in compiled (topological) order.
  const N = cc.numNodes;
  const E = ws.E;
  const M = ws.M;
  const S = ws.S;
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
    if (maxMode) {
      const w0 = cc.paramPtr[i]!;
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
    // S = W · E: the G × k weights times the k × B shifted exponentials.
    gemmInto(W![g]!, views!.E[g]!, views!.S[g]!, ws.gemm.plain);
    for (let s = 0; s < G; s++) {
      const lo = (i + s) * B;
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
  const R = ws.R;
  const S = ws.S;
  const T = ws.T;
  const EF = ws.EF;
  const views = groupViews(cc, ws);
  const W = weightViews(cc, ws, params);
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
    // R[s, b] = F[s, b] / S[s, b] (= F exp(M - L)), 0 where there is no flow.
    for (let s = 0; s < G; s++) {
      const fo = (first + s) * B;
      const rs = s * B;
      for (let b = 0; b < B; b++) {
        const f = F[fo + b]!;
        R[rs + b] = f > 0 ? f / S[fo + b]! : 0;
      }
    }
    // Child j receives F[c_j] += E_j ∘ (Wᵀ R)_j.
    gemmInto(W[g]!, views.R[g]!, views.T[g]!, ws.gemm.transA);
    for (let j = 0; j < k; j++) {
      const co = cc.groupChild[g0 + j]! * B;
      const eo = (g0 + j) * B;
      const to = j * B;
      for (let b = 0; b < B; b++) F[co + b] += E[eo + b]! * T[to + b]!;
    }
    // Edge flows EF[s, j] += w_sj (R Eᵀ)[s, j].
    if (edgeFlows !== undefined) {
      gemmInto(views.R[g]!, views.E[g]!, views.EF[g]!, ws.gemm.transB);
      const w0 = cc.paramPtr[first]!;
      for (let e = 0; e < G * k; e++) edgeFlows[w0 + e] += params[w0 + e]! * EF[e]!;
    }
    top = first - 1;
  }
  if (leafStats !== undefined) accumulateLeafStats(cc, params, ws, leafStats);
  return total;
}

/** @internal The input layer of a forward pass (shared with the reference engine). */
export function inputLayer(cc: CompiledCircuit, params: Float64Array, ws: Workspace, maxMode: boolean): void {
  const B = ws.B;
  const L = ws.L;
  const X = ws.X;
  const miss = ws.miss;
  const beta = maxMode ? 0 : ws.soft;
  for (let k = 0; k < cc.numLeaves; k++) {
    const kd = cc.kind[k]!;
    const v = cc.variable[k]!;
    const o = cc.paramPtr[k]!;
    const lo = k * B;
    const xo = v * B;
    if (kd === KIND.bernoulli) {
      const p = params[o]!;
      const l1 = beta > 0 ? Math.log((1 - beta) * p + beta * (1 - p)) : Math.log(p);
      const l0 = beta > 0 ? Math.log((1 - beta) * (1 - p) + beta * p) : Math.log(1 - p);
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
      if (beta > 0 && K > 1) for (let u = 0; u < K; u++) lt[u] = Math.log((1 - beta) * params[o + u]! + (beta * (1 - params[o + u]!)) / (K - 1));
      else for (let u = 0; u < K; u++) lt[u] = Math.log(params[o + u]!);
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
      if (beta > 0) {
        const hit = Math.log(1 - beta);
        const other = Math.log(beta / (cc.cardinality[v]! - 1));
        for (let b = 0; b < B; b++) L[lo + b] = miss[xo + b] ? 0 : X[xo + b] === val ? hit : other;
      } else for (let b = 0; b < B; b++) L[lo + b] = miss[xo + b] || X[xo + b] === val ? 0 : -Infinity;
    }
  }
}

/** @internal Flow-weighted sufficient statistics of the input nodes, added into `stats`. */
export function accumulateLeafStats(cc: CompiledCircuit, params: Float64Array, ws: Workspace, stats: Float64Array): void {
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
    const beta = ws.soft;
    if (kd === KIND.bernoulli && beta > 0) {
      // Soft evidence: the posterior of X = 1 given the softened observation.
      const p = params[o]!;
      const r1 = ((1 - beta) * p) / ((1 - beta) * p + beta * (1 - p));
      const r0 = (beta * p) / (beta * p + (1 - beta) * (1 - p));
      let s1 = 0;
      let tot = 0;
      for (let b = 0; b < B; b++) {
        const f = F[fo + b]!;
        s1 += f * (miss[xo + b] ? p : X[xo + b] === 1 ? r1 : r0);
        tot += f;
      }
      stats[so] += s1;
      stats[so + 1] += tot - s1;
    } else if (kd === KIND.bernoulli) {
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
        else if (beta > 0 && K > 1) {
          // Soft evidence: weights (1 − β) on x, β/(K − 1) elsewhere, times θ, normalised.
          const x = X[xo + b]!;
          const wo = beta / (K - 1);
          const z = wo + ((1 - beta) - wo) * params[o + x]!;
          const r = f / z;
          for (let u = 0; u < K; u++) stats[so + u] += r * (u === x ? 1 - beta : wo) * params[o + u]!;
        } else stats[so + X[xo + b]!] += f;
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
