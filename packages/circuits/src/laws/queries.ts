import fc from 'fast-check';
import { key } from '@descent/linalg';
import { mapQuery } from '../map.js';
import { logConditional, logLikelihood, posteriors } from '../queries.js';
import { sampleConditional } from '../sample.js';
import { arbitraryCircuitCase, type CircuitCase } from './arbitrary.js';
import { assertClose, assertThat, bruteMarginal, jointTable, randomMask } from './check.js';

/**
 * **Normalization** (spec (e) 2): a smooth, decomposable, locally normalised circuit sums to one,
 * `Σ_x exp(LL(x)) = 1 ± 1e-10` by enumeration, and the all-marginalized forward pass gives
 * `LL = 0 ± 1e-12`.
 *
 * @example
 * ```ts
 * fc.check(lawNormalization(), { numRuns: 10 }).failed;
 * // false
 * ```
 */
export function lawNormalization(arb: fc.Arbitrary<CircuitCase> = arbitraryCircuitCase()): fc.IPropertyWithHooks<[CircuitCase]> {
  return fc.property(arb, ({ cc, data }) => {
    const { logp } = jointTable(cc, cc.params);
    let s = 0;
    for (let i = 0; i < logp.length; i++) s += Math.exp(logp[i]!);
    assertClose(s, 1, 1e-10, 'Σ_x p(x)');
    const all = logLikelihood(cc, cc.params, data, { missing: new Uint8Array(data.data.length).fill(1) });
    for (let r = 0; r < all.length; r++) assertClose(all[r]!, 0, 1e-12, `all-marginalized LL, row ${r}`);
  });
}

/**
 * **Marginals** (spec (e) 3): `p(e)` by one forward pass with the missing mask equals the brute-force
 * sum of the joint over the missing variables, absolute error < 1e-12.
 *
 * @example
 * ```ts
 * fc.check(lawMarginals(), { numRuns: 10 }).failed;
 * // false
 * ```
 */
export function lawMarginals(arb: fc.Arbitrary<CircuitCase> = arbitraryCircuitCase()): fc.IPropertyWithHooks<[CircuitCase]> {
  return fc.property(arb, ({ cc, data, seed }) => {
    const table = jointTable(cc, cc.params);
    const missing = randomMask(data.rows, cc.numVars, seed);
    const ll = logLikelihood(cc, cc.params, data, { missing });
    for (let r = 0; r < data.rows; r++) assertClose(Math.exp(ll[r]!), bruteMarginal(table, data, missing, r), 1e-12, `p(e), row ${r}`);
  });
}

/**
 * **Conditionals** (spec (e) 4): every single-variable posterior from the one-pass flow formula
 * `p(X_v = u | e) = Σ_{leaves l of v} F[l] f_l(u)` equals the brute-force ratio `p(u, e) / p(e)`
 * (abs. error < 1e-10, relative to probabilities ≤ 1) and sums to 1 (± 1e-12); `logConditional`
 * equals brute force too.
 *
 * @example
 * ```ts
 * fc.check(lawConditionals(), { numRuns: 10 }).failed;
 * // false
 * ```
 */
export function lawConditionals(arb: fc.Arbitrary<CircuitCase> = arbitraryCircuitCase()): fc.IPropertyWithHooks<[CircuitCase]> {
  return fc.property(arb, ({ cc, data, seed }) => {
    const n = cc.numVars;
    const table = jointTable(cc, cc.params);
    const missing = randomMask(data.rows, n, seed);
    const post = posteriors(cc, cc.params, data, { missing });
    const width = post.offsets[n]!;
    for (let r = 0; r < data.rows; r++) {
      const pe = bruteMarginal(table, data, missing, r);
      for (let v = 0; v < n; v++) {
        let s = 0;
        for (let u = 0; u < cc.cardinality[v]!; u++) {
          const got = post.probs[r * width + post.offsets[v]! + u]!;
          s += got;
          let want: number;
          if (missing[r * n + v]) {
            const x = { rows: 1, cols: n, data: data.data.slice(r * n, r * n + n) };
            x.data[v] = u;
            const m = missing.slice(r * n, r * n + n);
            m[v] = 0;
            want = bruteMarginal(table, x, m, 0) / pe;
          } else want = data.data[r * n + v] === u ? 1 : 0;
          assertClose(got, want, 1e-10, `p(X_${v} = ${u} | e), row ${r}`);
        }
        assertClose(s, 1, 1e-12, `Σ_u p(X_${v} = u | e), row ${r}`);
      }
    }
    // log p(x_Q | x_E) with Q = the first variable.
    const query = new Uint8Array(n);
    query[0] = 1;
    const lc = logConditional(cc, cc.params, data, query, { missing });
    for (let r = 0; r < data.rows; r++) {
      const m = missing.slice(r * n, r * n + n);
      const x = { rows: 1, cols: n, data: data.data.slice(r * n, r * n + n) };
      const joint = bruteMarginal(table, x, m, 0);
      m[0] = 1;
      assertClose(Math.exp(lc[r]!), joint / bruteMarginal(table, x, m, 0), 1e-10, `p(x_0 | e), row ${r}`);
    }
  });
}

/**
 * **MAP bounds** (spec (e) 12): for the max-product value V and the backtracked completion x̂,
 * `V ≤ log p(x̂, e) ≤ max_q log p(q, e)` (tolerance 1e-12 in log space); for deterministic circuits
 * (the Chow–Liu family) all three are equal (± 1e-12).
 *
 * @example
 * ```ts
 * fc.check(lawMapBounds(), { numRuns: 10 }).failed;
 * // false
 * ```
 */
export function lawMapBounds(arb: fc.Arbitrary<CircuitCase> = arbitraryCircuitCase()): fc.IPropertyWithHooks<[CircuitCase]> {
  return fc.property(arb, ({ cc, data, seed, family }) => {
    const n = cc.numVars;
    const table = jointTable(cc, cc.params);
    const missing = randomMask(data.rows, n, seed);
    const { x, logValue } = mapQuery(cc, cc.params, data, { missing });
    const lx = logLikelihood(cc, cc.params, x);
    for (let r = 0; r < data.rows; r++) {
      for (let v = 0; v < n; v++) if (!missing[r * n + v]) assertThat(x.data[r * n + v] === data.data[r * n + v], `MAP changed evidence at row ${r}, column ${v}`);
      let best = -Infinity;
      for (let i = 0; i < table.states.rows; i++) {
        let ok = true;
        for (let v = 0; v < n && ok; v++) if (!missing[r * n + v] && table.states.data[i * n + v] !== data.data[r * n + v]) ok = false;
        if (ok && table.logp[i]! > best) best = table.logp[i]!;
      }
      assertThat(logValue[r]! <= lx[r]! + 1e-12, `row ${r}: max-product value ${logValue[r]} > log p(x̂) ${lx[r]}`);
      assertThat(lx[r]! <= best + 1e-12, `row ${r}: log p(x̂) ${lx[r]} > max ${best}`);
      if (family === 'chowLiu') {
        assertClose(logValue[r]!, best, 1e-12, `deterministic MAP value, row ${r}`);
        assertClose(lx[r]!, best, 1e-12, `deterministic MAP, row ${r}`);
      }
    }
  });
}

/**
 * **Conditional samples keep the evidence** (spec (e) 13, second half): every observed entry is
 * copied and every drawn entry lies in its variable's domain with positive probability given e.
 *
 * @example
 * ```ts
 * fc.check(lawConditionalSamplesKeepEvidence(), { numRuns: 10 }).failed;
 * // false
 * ```
 */
export function lawConditionalSamplesKeepEvidence(arb: fc.Arbitrary<CircuitCase> = arbitraryCircuitCase()): fc.IPropertyWithHooks<[CircuitCase]> {
  return fc.property(arb, ({ cc, data, seed }) => {
    const n = cc.numVars;
    const missing = randomMask(data.rows, n, seed);
    const ll = logLikelihood(cc, cc.params, data, { missing });
    const s = sampleConditional(cc, cc.params, key(seed), data, missing);
    const ls = logLikelihood(cc, cc.params, s);
    for (let r = 0; r < data.rows; r++) {
      for (let v = 0; v < n; v++) if (!missing[r * n + v]) assertThat(s.data[r * n + v] === data.data[r * n + v], `sample changed evidence at row ${r}, column ${v}`);
      if (ll[r]! > -Infinity) assertThat(ls[r]! > -Infinity, `row ${r}: sampled a completion of probability 0`);
    }
  });
}
