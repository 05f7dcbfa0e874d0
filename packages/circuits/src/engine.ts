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
  /** Linear-domain values of the discrete input nodes (exp of their L), per example. */
  readonly Lin: Float64Array;
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
    Lin: new Float64Array(Math.max(1, cc.numLeaves) * cap),
    logw: new Float64Array(cc.numSumParams),
    soft: 0,
    T: new Float64Array(maxK * cap),
    EF: new Float64Array(maxGK),
    views: undefined,
    gemm: { plain: { threads: 1 }, transA: { transA: true, threads: 1 }, transB: { transB: true, threads: 1 } },
    weightViews: [undefined, [], undefined, []],
  };
}

/**
 * @internal Which sum groups take their children's values as linear-domain products, and the factors.
 * A group qualifies when every child is a discrete input, a sum, or a product of discrete inputs and
 * sums: then exp(L_child − shift) is the product of the inputs' probabilities and the sums' S (their
 * group's linear sums, relative to its max M), shift = Σ of those groups' M. The group needs no
 * Math.exp per child and example, only one Math.log per example (its own M), and sums and products
 * whose L nothing reads are not given one (mode 'flows').
 */
export interface LinearPlan {
  readonly eligible: Uint8Array;
  /** Per group child (index into groupChild): CSR of its factors. */
  readonly factorPtr: Int32Array;
  readonly factorNode: Int32Array;
  /** Group of a sum factor (whose M it carries), -1 for an input factor. */
  readonly factorGroup: Int32Array;
  /** Per group: every child's factors come from the same groups (one shared shift). */
  readonly uniformShift: Uint8Array;
  /** Per node: its L is read by something (the root, a product that is read, a group not in the plan). */
  readonly needL: Uint8Array;
  readonly allL: Uint8Array;
}

const plans = new WeakMap<CompiledCircuit, LinearPlan>();

/** @internal The (cached) linear plan of a compiled circuit. */
export function linearPlan(cc: CompiledCircuit): LinearPlan {
  const cached = plans.get(cc);
  if (cached !== undefined) return cached;
  const discrete = (i: number): boolean => i < cc.numLeaves && cc.kind[i] !== KIND.gaussian;
  const nChildren = cc.groupChildPtr[cc.numGroups]!;
  const eligible = new Uint8Array(cc.numGroups);
  const uniformShift = new Uint8Array(cc.numGroups);
  const factorPtr = new Int32Array(nChildren + 1);
  const nodes: number[] = [];
  const groups: number[] = [];
  for (let g = 0; g < cc.numGroups; g++) {
    const g0 = cc.groupChildPtr[g]!;
    const g1 = cc.groupChildPtr[g + 1]!;
    let ok = true;
    const start = nodes.length;
    const keys: string[] = [];
    for (let e = g0; e < g1 && ok; e++) {
      const c = cc.groupChild[e]!;
      const fs: number[] = [];
      if (discrete(c) || cc.kind[c] === KIND.sum) fs.push(c);
      else if (cc.kind[c] === KIND.product) {
        for (let q = cc.childPtr[c]!; q < cc.childPtr[c + 1]!; q++) {
          const d = cc.child[q]!;
          if (discrete(d) || cc.kind[d] === KIND.sum) fs.push(d);
          else ok = false;
        }
      } else ok = false;
      const gs: number[] = [];
      for (const f of fs) {
        nodes.push(f);
        const h = cc.kind[f] === KIND.sum ? cc.groupOf[f]! : -1;
        groups.push(h);
        if (h >= 0) gs.push(h);
      }
      keys.push(gs.sort((a, b) => a - b).join(','));
      factorPtr[e + 1] = nodes.length;
    }
    if (!ok) {
      nodes.length = start;
      groups.length = start;
      for (let e = g0; e < g1; e++) factorPtr[e + 1] = start;
      continue;
    }
    eligible[g] = 1;
    uniformShift[g] = keys.every((x) => x === keys[0]) ? 1 : 0;
  }
  const N = cc.numNodes;
  const needL = new Uint8Array(N);
  needL[N - 1] = 1;
  for (let i = N - 1; i >= cc.numLeaves; i--) {
    if (cc.kind[i] === KIND.product) {
      if (needL[i]) for (let e = cc.childPtr[i]!; e < cc.childPtr[i + 1]!; e++) needL[cc.child[e]!] = 1;
    } else {
      const g = cc.groupOf[i]!;
      if (!eligible[g] && cc.groupFirst[g] === i) for (let e = cc.groupChildPtr[g]!; e < cc.groupChildPtr[g + 1]!; e++) needL[cc.groupChild[e]!] = 1;
    }
  }
  const plan: LinearPlan = {
    eligible, factorPtr, factorNode: Int32Array.from(nodes), factorGroup: Int32Array.from(groups), uniformShift, needL,
    allL: new Uint8Array(N).fill(1),
  };
  plans.set(cc, plan);
  return plan;
}

/** Below this, a linear-domain product may have lost bits to underflow: that example takes logs. */
const TINY = 1e-280;

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
 * @internal Forward pass. `mode` 'sum': log-likelihoods of every node (marginalized leaves give 0);
 * 'flows': the same pass, but only the L that something reads (the root's, and what groups outside the
 * linear plan read) — enough for the root log-likelihood and the backward pass; 'max': max-product
 * values (marginalized leaves give max_u log f(u)).
 */
export function forward(cc: CompiledCircuit, params: Float64Array, ws: Workspace, mode: 'sum' | 'flows' | 'max' = 'sum'): void {
  const B = ws.B;
  const L = ws.L;
  const maxMode = mode === 'max';
  inputLayer(cc, params, ws, maxMode);
  const plan = linearPlan(cc);
  const needL = mode === 'flows' ? plan.needL : plan.allL;
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
      if (!maxMode && !needL[i]) {
        i++;
        continue;
      }
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
    if (plan.eligible[g]) linearGroup(cc, plan, ws, g);
    else {
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
    }
    // S = W · E: the G × k weights times the k × B shifted exponentials.
    gemmInto(W![g]!, views!.E[g]!, views!.S[g]!, ws.gemm.plain);
    for (let s = 0; s < G; s++) {
      if (!needL[i + s]) continue;
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
 * The shifted exponentials E_j = exp(L_child_j − M) of a group in the linear plan, as products of the
 * children's factors (input probabilities, sums' S), and the group's max M = shift + log(max_j E_j).
 * An example whose largest product is below TINY (bits possibly lost to underflow) is redone in logs.
 */
function linearGroup(cc: CompiledCircuit, plan: LinearPlan, ws: Workspace, g: number): void {
  const B = ws.B;
  const E = ws.E;
  const M = ws.M;
  const S = ws.S;
  const Lin = ws.Lin;
  const T = ws.T;
  const mx = ws.R;
  const g0 = cc.groupChildPtr[g]!;
  const k = cc.groupChildPtr[g + 1]! - g0;
  const mo = g * B;
  const fp = plan.factorPtr;
  const fn = plan.factorNode;
  const fg = plan.factorGroup;
  for (let j = 0; j < k; j++) {
    const eo = (g0 + j) * B;
    const f0 = fp[g0 + j]!;
    const f1 = fp[g0 + j + 1]!;
    const a0 = fg[f0]! < 0 ? Lin : S;
    const o0 = fn[f0]! * B;
    for (let b = 0; b < B; b++) E[eo + b] = a0[o0 + b]!;
    for (let f = f0 + 1; f < f1; f++) {
      const a = fg[f]! < 0 ? Lin : S;
      const o = fn[f]! * B;
      for (let b = 0; b < B; b++) E[eo + b] *= a[o + b]!;
    }
  }
  // Shifts: M[mo] holds the largest child shift; T[j] each child's own unless they are all equal.
  const uniform = plan.uniformShift[g] === 1;
  for (let b = 0; b < B; b++) M[mo + b] = 0;
  if (uniform) {
    for (let f = fp[g0]!; f < fp[g0 + 1]!; f++) {
      const h = fg[f]!;
      if (h < 0) continue;
      const ho = h * B;
      for (let b = 0; b < B; b++) M[mo + b] += M[ho + b]!;
    }
  } else {
    for (let b = 0; b < B; b++) M[mo + b] = -Infinity;
    for (let j = 0; j < k; j++) {
      const to = j * B;
      for (let b = 0; b < B; b++) T[to + b] = 0;
      for (let f = fp[g0 + j]!; f < fp[g0 + j + 1]!; f++) {
        const h = fg[f]!;
        if (h < 0) continue;
        const ho = h * B;
        for (let b = 0; b < B; b++) T[to + b] += M[ho + b]!;
      }
      for (let b = 0; b < B; b++) if (T[to + b]! > M[mo + b]!) M[mo + b] = T[to + b]!;
    }
    for (let j = 0; j < k; j++) {
      const to = j * B;
      const eo = (g0 + j) * B;
      for (let b = 0; b < B; b++) {
        const t = T[to + b]!;
        const m = M[mo + b]!;
        if (t !== m) E[eo + b] = m === -Infinity || t === -Infinity ? 0 : E[eo + b]! * Math.exp(t - m);
      }
    }
  }
  // Normalise by the largest product: E ≤ 1 with a 1, M = shift + log(max).
  for (let b = 0; b < B; b++) mx[b] = 0;
  for (let j = 0; j < k; j++) {
    const eo = (g0 + j) * B;
    for (let b = 0; b < B; b++) if (E[eo + b]! > mx[b]!) mx[b] = E[eo + b]!;
  }
  for (let b = 0; b < B; b++) {
    const e = mx[b]!;
    const sh = M[mo + b]!;
    if (sh === -Infinity) {
      M[mo + b] = -Infinity;
      mx[b] = 0;
    } else if (e < TINY) {
      // Also e = 0: a true zero or products that underflowed; the logs tell them apart.
      logGroupExample(cc, plan, ws, g, b);
      mx[b] = 1;
    } else {
      M[mo + b] = sh + Math.log(e);
      mx[b] = 1 / e;
    }
  }
  for (let j = 0; j < k; j++) {
    const eo = (g0 + j) * B;
    for (let b = 0; b < B; b++) E[eo + b] *= mx[b]!;
  }
}

// One example of a linear-plan group, in logs: M = max_j Σ log(factors) + shift_j, E_j = exp(· − M).
function logGroupExample(cc: CompiledCircuit, plan: LinearPlan, ws: Workspace, g: number, b: number): void {
  const B = ws.B;
  const g0 = cc.groupChildPtr[g]!;
  const k = cc.groupChildPtr[g + 1]! - g0;
  const fp = plan.factorPtr;
  let best = -Infinity;
  for (let j = 0; j < k; j++) {
    let l = 0;
    for (let f = fp[g0 + j]!; f < fp[g0 + j + 1]!; f++) {
      const h = plan.factorGroup[f]!;
      const o = plan.factorNode[f]! * B + b;
      l += h < 0 ? Math.log(ws.Lin[o]!) : Math.log(ws.S[o]!) + ws.M[h * B + b]!;
    }
    ws.E[(g0 + j) * B + b] = l;
    if (l > best) best = l;
  }
  for (let j = 0; j < k; j++) {
    const eo = (g0 + j) * B + b;
    ws.E[eo] = best === -Infinity ? 0 : Math.exp(ws.E[eo]! - best);
  }
  ws.M[g * B + b] = best;
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
  const Lin = ws.Lin;
  const beta = maxMode ? 0 : ws.soft;
  for (let k = 0; k < cc.numLeaves; k++) {
    const kd = cc.kind[k]!;
    const v = cc.variable[k]!;
    const o = cc.paramPtr[k]!;
    const lo = k * B;
    const xo = v * B;
    if (kd === KIND.bernoulli) {
      const p = params[o]!;
      const q1 = beta > 0 ? (1 - beta) * p + beta * (1 - p) : p;
      const q0 = beta > 0 ? (1 - beta) * (1 - p) + beta * p : 1 - p;
      const l1 = Math.log(q1);
      const l0 = Math.log(q0);
      const lm = maxMode ? Math.max(l0, l1) : 0;
      for (let b = 0; b < B; b++) L[lo + b] = miss[xo + b] ? lm : X[xo + b] === 1 ? l1 : l0;
      if (!maxMode) for (let b = 0; b < B; b++) Lin[lo + b] = miss[xo + b] ? 1 : X[xo + b] === 1 ? q1 : q0;
    } else if (kd === KIND.categorical) {
      const K = cc.leafArg[k]!;
      let lm = 0;
      if (maxMode) {
        let m = 0;
        for (let u = 0; u < K; u++) if (params[o + u]! > m) m = params[o + u]!;
        lm = Math.log(m);
      }
      // log θ once per node, not per example.
      if (catLog.length < 2 * K) catLog = new Float64Array(2 * K);
      const lt = catLog;
      // lt[u] = log q_u, lt[K + u] = q_u.
      if (beta > 0 && K > 1) for (let u = 0; u < K; u++) lt[K + u] = (1 - beta) * params[o + u]! + (beta * (1 - params[o + u]!)) / (K - 1);
      else for (let u = 0; u < K; u++) lt[K + u] = params[o + u]!;
      for (let u = 0; u < K; u++) lt[u] = Math.log(lt[K + u]!);
      for (let b = 0; b < B; b++) L[lo + b] = miss[xo + b] ? lm : lt[X[xo + b]!]!;
      if (!maxMode) for (let b = 0; b < B; b++) Lin[lo + b] = miss[xo + b] ? 1 : lt[K + X[xo + b]!]!;
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
      const qHit = beta > 0 ? 1 - beta : 1;
      const qOther = beta > 0 ? beta / (cc.cardinality[v]! - 1) : 0;
      if (beta > 0) {
        const hit = Math.log(qHit);
        const other = Math.log(qOther);
        for (let b = 0; b < B; b++) L[lo + b] = miss[xo + b] ? 0 : X[xo + b] === val ? hit : other;
      } else for (let b = 0; b < B; b++) L[lo + b] = miss[xo + b] || X[xo + b] === val ? 0 : -Infinity;
      if (!maxMode) for (let b = 0; b < B; b++) Lin[lo + b] = miss[xo + b] ? 1 : X[xo + b] === val ? qHit : qOther;
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
