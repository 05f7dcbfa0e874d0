import fc from 'fast-check';
import { KIND, type CompiledCircuit } from '../compile.js';
import { topDownInto } from '../engine.js';
import { adamCircuit } from '../learn/adam.js';
import { anemone } from '../learn/anemone.js';
import { fullBatchEm, miniBatchEm } from '../learn/em.js';
import { batchStatistics } from '../statistics.js';
import { allStates, arbitraryCircuitCase, DISCRETE_FAMILIES, type CircuitCase } from './arbitrary.js';
import { assertClose, assertThat } from './check.js';
import { assertOnSimplex } from './learning.js';

function sameBits(a: Float64Array, b: Float64Array, what: string): void {
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) throw new Error(`${what}[${i}]: ${a[i]} vs ${b[i]}`);
}

/**
 * **Data softening is soft evidence** (Liu & Van den Broeck 2021): with softening β every observed
 * value x_v stands for the evidence κ(x'_v | x_v) = 1 − β if x'_v = x_v, β/(c_v − 1) otherwise. By
 * enumeration of every state x': the softened log-likelihood of the batch equals
 * Σ_b log Σ_{x'} Π_v κ(x'_v | x_{b,v}) p(x') (1e-10 relative), and the softened statistics (edge
 * flows, input statistics) equal the hard statistics of all states weighted by their posterior
 * Σ_b κ(x' | x_b) p(x') / p̃(x_b) (1e-10 relative). At β = 0 the statistics are bit-identical to
 * plain ones.
 *
 * @example
 * ```ts
 * fc.check(lawSofteningIsSoftEvidence(), { numRuns: 10 }).failed;
 * // false
 * ```
 */
export function lawSofteningIsSoftEvidence(
  arb: fc.Arbitrary<CircuitCase> = arbitraryCircuitCase({ families: DISCRETE_FAMILIES, maxVars: 4, maxRows: 5 }),
): fc.IPropertyWithHooks<[CircuitCase, number]> {
  return fc.property(arb, fc.oneof(fc.constant(0), fc.double({ min: 1e-3, max: 0.5, noNaN: true })), ({ cc, data }, beta) => {
    const soft = batchStatistics(cc, cc.params, data, { softening: beta });
    if (beta === 0) {
      const hard = batchStatistics(cc, cc.params, data);
      sameBits(soft.edgeFlows, hard.edgeFlows, 'edge flows at β = 0');
      sameBits(soft.leafStats, hard.leafStats, 'input statistics at β = 0');
      return;
    }
    const states = allStates(cc);
    const n = cc.numVars;
    const joint = batchStatistics(cc, cc.params, states, { check: false });
    void joint;
    const logp = new Float64Array(states.rows);
    {
      // log p(x') of every state, one row at a time through the same statistics call.
      for (let i = 0; i < states.rows; i++) {
        const row = { rows: 1, cols: n, data: states.data.subarray(i * n, (i + 1) * n) };
        logp[i] = batchStatistics(cc, cc.params, row, { check: false }).logLikelihood;
      }
    }
    const weights = new Float64Array(states.rows);
    let ll = 0;
    for (let b = 0; b < data.rows; b++) {
      const kappa = new Float64Array(states.rows);
      let z = 0;
      for (let i = 0; i < states.rows; i++) {
        let k = 1;
        for (let v = 0; v < n; v++) {
          const same = states.data[i * n + v] === data.data[b * n + v];
          k *= same ? 1 - beta : beta / (cc.cardinality[v]! - 1);
        }
        kappa[i] = k * Math.exp(logp[i]!);
        z += kappa[i]!;
      }
      ll += Math.log(z);
      for (let i = 0; i < states.rows; i++) weights[i] += kappa[i]! / z;
    }
    assertClose(soft.logLikelihood, ll, 1e-10 * (1 + Math.abs(ll)), 'softened log-likelihood vs enumeration');
    const expected = batchStatistics(cc, cc.params, states, { weights, check: false });
    for (let i = 0; i < expected.edgeFlows.length; i++) assertClose(soft.edgeFlows[i]!, expected.edgeFlows[i]!, 1e-10 * (1 + Math.abs(expected.edgeFlows[i]!)), `edge flow ${i}`);
    for (let i = 0; i < expected.leafStats.length; i++) assertClose(soft.leafStats[i]!, expected.leafStats[i]!, 1e-10 * (1 + Math.abs(expected.leafStats[i]!)), `input statistic ${i}`);
  });
}

/** Per-slice objective Σ a log θ + b H(θ). */
function objective(a: Float64Array, b: number, theta: ArrayLike<number>, o: number): number {
  let s = 0;
  for (let j = 0; j < a.length; j++) {
    const t = theta[o + j]!;
    if (a[j]! > 0) s += a[j]! * Math.log(t);
    if (t > 0) s -= b * t * Math.log(t);
  }
  return s;
}

/**
 * **Entropy regularisation** (Liu & Van den Broeck 2021): at τ = 0 every learner's step is
 * bit-identical to the step without the option (plain EM, mini-batch EM, anemone, Adam). At τ > 0 a
 * full-batch EM step solves, for every sum, categorical and Bernoulli slice, max Σ_j a_j log θ_j +
 * b·H(θ) with a_j = (EF_j + α/K) / count and b = τ·TD(n): the stationarity condition a_j/θ_j −
 * b log θ_j = const holds (1e-8 relative), the objective is at least that of the plain EM update and
 * of random points of the simplex, the slice's entropy is at least the plain update's, and the
 * parameters stay on the simplex (1e-12).
 *
 * @example
 * ```ts
 * fc.check(lawEntropyRegularization(), { numRuns: 10 }).failed;
 * // false
 * ```
 */
export function lawEntropyRegularization(
  arb: fc.Arbitrary<CircuitCase> = arbitraryCircuitCase({ families: DISCRETE_FAMILIES }),
): fc.IPropertyWithHooks<[CircuitCase, number, number]> {
  return fc.property(arb, fc.double({ min: 1e-4, max: 2, noNaN: true }), fc.constantFrom(0, 0.1, 1), ({ cc, data }, tau, alpha) => {
    const obs = batchStatistics(cc, cc.params, data);
    // τ = 0 is the plain learner, bit for bit.
    const pairs: [Float64Array, Float64Array][] = [
      [fullBatchEm.step(fullBatchEm.init({ circuit: cc, pseudocount: alpha, entropy: 0 }, cc.params), obs).x, fullBatchEm.step(fullBatchEm.init({ circuit: cc, pseudocount: alpha }, cc.params), obs).x],
      [miniBatchEm.step(miniBatchEm.init({ circuit: cc, stepSize: 0.3, pseudocount: alpha, entropy: 0 }, cc.params), obs).x, miniBatchEm.step(miniBatchEm.init({ circuit: cc, stepSize: 0.3, pseudocount: alpha }, cc.params), obs).x],
      [anemone.step(anemone.init({ circuit: cc, pseudocount: alpha, entropy: 0 }, cc.params), obs).x, anemone.step(anemone.init({ circuit: cc, pseudocount: alpha }, cc.params), obs).x],
      [adamCircuit.step(adamCircuit.init({ circuit: cc, entropy: 0 }, cc.params), obs).x, adamCircuit.step(adamCircuit.init({ circuit: cc }, cc.params), obs).x],
    ];
    for (const [a, b] of pairs) sameBits(a, b, 'τ = 0 vs no entropy option');
    // τ > 0: the regularised M-step of every slice.
    const reg = fullBatchEm.step(fullBatchEm.init({ circuit: cc, pseudocount: alpha, entropy: tau }, cc.params), obs).x;
    const plain = pairs[0]![1];
    assertOnSimplex(cc, reg, 'entropy-regularised EM');
    for (const name of ['mini-batch EM', 'anemone', 'Adam'] as const) {
      const x = name === 'mini-batch EM'
        ? miniBatchEm.step(miniBatchEm.init({ circuit: cc, stepSize: 0.3, pseudocount: alpha, entropy: tau }, cc.params), obs).x
        : name === 'anemone' ? anemone.step(anemone.init({ circuit: cc, pseudocount: alpha, entropy: tau }, cc.params), obs).x
          : adamCircuit.step(adamCircuit.init({ circuit: cc, entropy: tau }, cc.params), obs).x;
      assertOnSimplex(cc, x, `entropy-regularised ${name}`);
    }
    const td = topDownInto(cc, cc.params, new Float64Array(cc.numNodes));
    checkSlices(cc, obs, alpha, tau, td, reg, plain);
  });
}

function checkSlices(cc: CompiledCircuit, obs: { edgeFlows: Float64Array; leafStats: Float64Array; count: number }, alpha: number, tau: number, td: Float64Array, reg: Float64Array, plain: Float64Array): void {
  for (let i = 0; i < cc.numNodes; i++) {
    const kd = cc.kind[i]!;
    const o = cc.paramPtr[i]!;
    if (o < 0 || kd === KIND.gaussian) continue;
    const b = tau * td[i]!;
    if (!(b > 0)) continue;
    let a: Float64Array;
    let theta: Float64Array;
    let base: Float64Array;
    if (kd === KIND.bernoulli) {
      const so = cc.statPtr[i]!;
      a = Float64Array.from([(obs.leafStats[so]! + alpha / 2) / obs.count, (obs.leafStats[so + 1]! + alpha / 2) / obs.count]);
      theta = Float64Array.from([reg[o]!, 1 - reg[o]!]);
      base = Float64Array.from([plain[o]!, 1 - plain[o]!]);
    } else {
      const K = kd === KIND.sum ? cc.childPtr[i + 1]! - cc.childPtr[i]! : cc.leafArg[i]!;
      const src = kd === KIND.sum ? obs.edgeFlows : obs.leafStats;
      const so = kd === KIND.sum ? o : cc.statPtr[i]!;
      a = new Float64Array(K);
      for (let j = 0; j < K; j++) a[j] = (src[so + j]! + alpha / K) / obs.count;
      theta = reg.slice(o, o + K);
      base = plain.slice(o, o + K);
    }
    if (a.length === 1) continue;
    const what = `node ${cc.original[i]}`;
    // Stationarity: a_j/θ_j − b log θ_j is the same multiplier for every j. Skipped: entries with
    // a_j = 0 whose exact value e^{−μ/b} underflows to 0, and a Bernoulli's side below 1e-6, which
    // 1 − p cannot resolve.
    const tiny = kd === KIND.bernoulli ? 1e-6 : 0;
    const g = Array.from(theta, (t, j) => ((t === 0 && a[j] === 0) || t < tiny ? NaN : a[j]! / t - b * Math.log(t))).filter((x) => !Number.isNaN(x));
    const scale = Math.max(...g.map(Math.abs), 1);
    for (let j = 1; j < g.length; j++) assertClose(g[j]!, g[0]!, 1e-8 * scale, `${what}: stationarity`);
    const f = objective(a, b, theta, 0);
    assertThat(f >= objective(a, b, base, 0) - 1e-12 * (1 + Math.abs(f)), `${what}: objective below the plain EM update`);
    for (let r = 0; r < 3; r++) {
      const u = Array.from(a, (_, j) => 0.05 + ((j * 7 + r * 13) % 11) / 11);
      const s = u.reduce((x, y) => x + y, 0);
      assertThat(f >= objective(a, b, u.map((x) => x / s), 0) - 1e-12 * (1 + Math.abs(f)), `${what}: objective below a simplex point`);
    }
    const H = (t: ArrayLike<number>) => -Array.from(t).reduce((x, y) => x + (y > 0 ? y * Math.log(y) : 0), 0);
    assertThat(H(theta) >= H(base) - 1e-12, `${what}: entropy ${H(theta)} below the plain update's ${H(base)}`);
  }
}
