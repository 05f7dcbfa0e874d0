// The reference engine: the straightforward fused loops the dense-block engine (engine.ts) replaced,
// kept to check it (lawEngineMatchesReference). Same workspace, same results up to rounding.
import { KIND, type CompiledCircuit } from './compile.js';
import { accumulateLeafStats, inputLayer, type Workspace } from './engine.js';

/**
 * @internal Reference forward pass. `mode` 'sum': log-likelihoods (marginalized leaves give 0); 'max':
 * max-product values (marginalized leaves give max_u log f(u)).
 */
export function referenceForward(cc: CompiledCircuit, params: Float64Array, ws: Workspace, mode: 'sum' | 'max' = 'sum'): void {
  const B = ws.B;
  const L = ws.L;
  const maxMode = mode === 'max';
  inputLayer(cc, params, ws, maxMode);
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
 * @internal Reference backward (flow) pass after a 'sum' forward pass. F[root, b] = weight_b (1 by default; 0
 * for rows of zero likelihood). Adds summed edge flows into `edgeFlows` and input-node sufficient
 * statistics into `leafStats` when given. Returns the summed root flow.
 */
export function referenceBackward(
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

