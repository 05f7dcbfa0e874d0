import fc from 'fast-check';
import { foldIn, key, uniform } from '@descent/linalg';
import { compile } from '../compile.js';
import { backward, forward, loadBatch, workspace } from '../engine.js';
import { referenceBackward, referenceForward } from '../engine-reference.js';
import { hcltFromTree } from '../structures/hclt.js';
import { ratSpn } from '../structures/ratSpn.js';
import { arbitraryCircuitCase, randomData, type CircuitCase } from './arbitrary.js';
import { randomMask } from './check.js';

/**
 * Random circuits with wide sum blocks (HCLT over a random tree and RAT-SPN with K up to 24, up to 40
 * rows), which exercise the dense-block engine's tiling, next to the small circuits of every family.
 *
 * @example
 * ```ts
 * fc.sample(arbitraryWideCircuitCase(), 1)[0]!.cc.numVars >= 2;
 * // true
 * ```
 */
export function arbitraryWideCircuitCase(): fc.Arbitrary<CircuitCase> {
  return fc
    .record({
      wide: fc.boolean(),
      n: fc.integer({ min: 2, max: 7 }),
      K: fc.integer({ min: 1, max: 24 }),
      seed: fc.integer({ min: 0, max: 1 << 20 }),
      rows: fc.integer({ min: 1, max: 40 }),
    })
    .map(({ wide, n, K, seed, rows }) => {
      const k = key(seed);
      let circuit;
      if (wide) {
        // A random tree: each variable's parent is an earlier variable.
        const u = uniform(foldIn(k, 3), n);
        const parent = new Int32Array(n);
        parent[0] = -1;
        for (let v = 1; v < n; v++) parent[v] = Math.floor(u[v]! * v);
        const order: number[] = [];
        const visit = (v: number): void => {
          for (let c = 0; c < n; c++) if (parent[c] === v) visit(c);
          order.push(v);
        };
        visit(0);
        circuit = hcltFromTree({ parent, root: 0, order: Int32Array.from(order) }, { K, key: k });
      } else circuit = ratSpn(n, { K: 1 + (K % 8), depth: 1 + (seed % 2), repetitions: 1 + (seed % 3), productMode: seed % 2 ? 'outer' : 'hadamard', key: k });
      const cc = compile(circuit);
      return { family: wide ? 'hclt' : 'ratSpnOuter', circuit, cc, data: randomData(cc, rows, seed), seed } as CircuitCase;
    });
}

/**
 * **The dense-block engine equals the reference engine**: on the same batch (with a random missing
 * mask and random row weights), every node value `L`, every flow `F`, the summed edge flows and the
 * input statistics agree with the straightforward fused loops to `1e-12 · max(1, |reference|)`
 * (they differ only in the order of the sums inside a block, and in taking a product group's children
 * as linear-domain products); max-product values agree exactly. The lean forward mode (only the node
 * values something reads) gives the same root values, flows and statistics.
 *
 * @example
 * ```ts
 * fc.check(lawEngineMatchesReference(), { numRuns: 10 }).failed;
 * // false
 * ```
 */
export function lawEngineMatchesReference(arb: fc.Arbitrary<CircuitCase> = fc.oneof(arbitraryCircuitCase(), arbitraryWideCircuitCase())): fc.IPropertyWithHooks<[CircuitCase, boolean]> {
  return fc.property(arb, fc.boolean(), ({ cc, data, seed }, withMissing) => {
    const B = data.rows;
    const missing = withMissing ? randomMask(B, cc.numVars, seed) : undefined;
    const weights = uniform(foldIn(key(seed), 5), B);
    const run = (fwd: typeof forward, bwd: typeof backward, mode: 'sum' | 'flows') => {
      const ws = workspace(cc, B);
      loadBatch(ws, data, 0, B, missing);
      fwd(cc, cc.params, ws, mode);
      const edge = new Float64Array(cc.numSumParams);
      const leaf = new Float64Array(cc.numStats);
      const count = bwd(cc, cc.params, ws, edge, leaf, weights);
      const L = ws.L.slice(0, cc.numNodes * B);
      const F = ws.F.slice(0, cc.numNodes * B);
      fwd(cc, cc.params, ws, 'max');
      return { L, F, edge, leaf, count, max: ws.L.slice(0, cc.numNodes * B) };
    };
    const ours = run(forward, backward, 'sum');
    // 'flows' computes only the L that is read (the root's, ...): same root values, flows and statistics.
    const lean = run(forward, backward, 'flows');
    const ref = run((c, p, w, m) => referenceForward(c, p, w, m === 'flows' ? 'sum' : m), referenceBackward, 'sum');
    const same = (a: Float64Array, b: Float64Array, what: string, tol: number): void => {
      for (let i = 0; i < b.length; i++) {
        const x = a[i]!;
        const y = b[i]!;
        if (x === y) continue;
        if (!(Math.abs(x - y) <= tol * Math.max(1, Math.abs(y)))) throw new Error(`${what}[${i}]: ${x} vs reference ${y}`);
      }
    };
    same(ours.L, ref.L, 'L', 1e-12);
    same(ours.F, ref.F, 'F', 1e-12);
    same(ours.edge, ref.edge, 'edge flows', 1e-12);
    same(ours.leaf, ref.leaf, 'leaf statistics', 1e-12);
    same(ours.max, ref.max, 'max-product values', 0);
    same(new Float64Array([ours.count]), new Float64Array([ref.count]), 'count', 0);
    const ro = (cc.numNodes - 1) * B;
    same(lean.L.subarray(ro, ro + B), ref.L.subarray(ro, ro + B), "root L ('flows')", 1e-12);
    same(lean.F, ref.F, "F ('flows')", 1e-12);
    same(lean.edge, ref.edge, "edge flows ('flows')", 1e-12);
    same(lean.leaf, ref.leaf, "leaf statistics ('flows')", 1e-12);
    same(new Float64Array([lean.count]), new Float64Array([ref.count]), "count ('flows')", 0);
  });
}
