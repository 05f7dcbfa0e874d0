import fc from 'fast-check';
import { KIND } from '../compile.js';
import { logLikelihood, nodeFlows, topDownProbabilities } from '../queries.js';
import { batchStatistics } from '../statistics.js';
import { arbitraryCircuitCase, type CircuitCase } from './arbitrary.js';
import { assertClose, assertThat, jointTable } from './check.js';

/**
 * **Flow identities** (spec (e) 5), per example x of the batch:
 * `F[root] = 1`; `0 ≤ F ≤ 1` (+1e-12); `Σ_c EF[n,c] = F[n]` for every sum node; `Σ_{leaves l of v}
 * F[l] = 1` for every variable v (± 1e-12); and for the model: `Σ_{leaves of v} TD = 1`,
 * `TD[n] = Σ_x p(x) F_x[n]` by enumeration (± 1e-12); `EF[n,c] = θ_{n,c} ∂LL/∂θ_{n,c}` against a
 * central difference (exact up to rounding because p(x) is linear in each θ of a decomposable
 * circuit; relative error < 1e-6).
 *
 * @example
 * ```ts
 * fc.check(lawFlowIdentities(), { numRuns: 10 }).failed;
 * // false
 * ```
 */
export function lawFlowIdentities(arb: fc.Arbitrary<CircuitCase> = arbitraryCircuitCase()): fc.IPropertyWithHooks<[CircuitCase]> {
  return fc.property(arb, ({ cc, data }) => {
    const N = cc.numNodes;
    const B = data.rows;
    const F = nodeFlows(cc, cc.params, data).data;
    for (let b = 0; b < B; b++) {
      assertClose(F[(N - 1) * B + b]!, 1, 0, `F[root], row ${b}`);
      for (let i = 0; i < N; i++) assertThat(F[i * B + b]! >= 0 && F[i * B + b]! <= 1 + 1e-12, `F[${i}] = ${F[i * B + b]} outside [0, 1], row ${b}`);
      for (let v = 0; v < cc.numVars; v++) {
        let s = 0;
        for (let e = cc.varLeafPtr[v]!; e < cc.varLeafPtr[v + 1]!; e++) s += F[cc.original[cc.varLeaf[e]!]! * B + b]!;
        assertClose(s, 1, 1e-12, `Σ F over the leaves of variable ${v}, row ${b}`);
      }
      const row = { rows: 1, cols: cc.numVars, data: data.data.slice(b * cc.numVars, (b + 1) * cc.numVars) };
      const st = batchStatistics(cc, cc.params, row);
      const p0 = Math.exp(logLikelihood(cc, cc.params, row)[0]!);
      for (let k = cc.numLeaves; k < N; k++) {
        if (cc.kind[k] !== KIND.sum) continue;
        const o = cc.paramPtr[k]!;
        const K = cc.childPtr[k + 1]! - cc.childPtr[k]!;
        let s = 0;
        for (let j = 0; j < K; j++) s += st.edgeFlows[o + j]!;
        assertClose(s, F[cc.original[k]! * B + b]!, 1e-12, `Σ_c EF[${cc.original[k]}, c], row ${b}`);
        for (let j = 0; j < K; j++) {
          const th = cc.params[o + j]!;
          const h = 1e-4 * th;
          const plus = Float64Array.from(cc.params);
          const minus = Float64Array.from(cc.params);
          plus[o + j] = th + h;
          minus[o + j] = th - h;
          const dp = (Math.exp(logLikelihood(cc, plus, row, { check: false })[0]!) - Math.exp(logLikelihood(cc, minus, row, { check: false })[0]!)) / (2 * h);
          const fd = (th * dp) / p0;
          const ef = st.edgeFlows[o + j]!;
          assertThat(Math.abs(fd - ef) <= 1e-6 * Math.max(Math.abs(ef), 1e-6), `EF[${cc.original[k]}, ${j}] = ${ef} vs θ ∂LL/∂θ = ${fd}, row ${b}`);
        }
      }
    }
    // Top-down probabilities.
    const td = topDownProbabilities(cc, cc.params);
    for (let v = 0; v < cc.numVars; v++) {
      let s = 0;
      for (let e = cc.varLeafPtr[v]!; e < cc.varLeafPtr[v + 1]!; e++) s += td[cc.original[cc.varLeaf[e]!]!]!;
      assertClose(s, 1, 1e-12, `Σ TD over the leaves of variable ${v}`);
    }
    const { states, logp } = jointTable(cc, cc.params);
    const Fx = nodeFlows(cc, cc.params, states).data;
    const S = states.rows;
    for (let i = 0; i < N; i++) {
      let s = 0;
      for (let r = 0; r < S; r++) s += Math.exp(logp[r]!) * Fx[i * S + r]!;
      assertClose(td[i]!, s, 1e-12, `TD[${i}] vs Σ_x p(x) F_x`);
    }
  });
}
