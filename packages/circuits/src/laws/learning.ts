import fc from 'fast-check';
import { isDescentError, type Matrix } from '@descent/linalg';
import { KIND, type CompiledCircuit } from '../compile.js';
import { adamCircuit } from '../learn/adam.js';
import { anemone } from '../learn/anemone.js';
import { fullBatchEm, miniBatchEm } from '../learn/em.js';
import type { CircuitLearner, CircuitLearnerState } from '../learn/method.js';
import { logLikelihood } from '../queries.js';
import { batchStatistics } from '../statistics.js';
import { arbitraryCircuitCase, DISCRETE_FAMILIES, type CircuitCase } from './arbitrary.js';
import { assertClose, assertThat } from './check.js';

/** Total log-likelihood of a data set. */
function totalLL(cc: CompiledCircuit, params: Float64Array, data: Matrix): number {
  const ll = logLikelihood(cc, params, data, { check: false });
  let s = 0;
  for (let i = 0; i < ll.length; i++) s += ll[i]!;
  return s;
}

/** The log-prior Σ (α/K) log θ of pseudocount α (sum, categorical: α/K per entry; Bernoulli α/2 each side). */
function logPrior(cc: CompiledCircuit, params: Float64Array, alpha: number): number {
  if (alpha === 0) return 0;
  let s = 0;
  for (let i = 0; i < cc.numNodes; i++) {
    const o = cc.paramPtr[i]!;
    const kd = cc.kind[i]!;
    if (kd === KIND.sum || kd === KIND.categorical) {
      const K = kd === KIND.sum ? cc.childPtr[i + 1]! - cc.childPtr[i]! : cc.leafArg[i]!;
      for (let j = 0; j < K; j++) s += (alpha / K) * Math.log(params[o + j]!);
    } else if (kd === KIND.bernoulli) s += (alpha / 2) * (Math.log(params[o]!) + Math.log(1 - params[o]!));
  }
  return s;
}

/**
 * Throws unless every parameter is valid to the tight tolerance of spec (e) 1: sum slices and
 * categoricals ≥ 0 with `|Σ - 1| < 1e-12`, Bernoulli p in [0, 1], Gaussian sigma ≥ minSigma.
 *
 * @example
 * ```ts
 * const c = compile(mixtureOfBernoullis(2, 2));
 * assertOnSimplex(c, c.params, 'init');
 * // undefined
 * ```
 */
export function assertOnSimplex(cc: CompiledCircuit, params: Float64Array, what: string): void {
  for (let i = 0; i < cc.numNodes; i++) {
    const o = cc.paramPtr[i]!;
    if (o < 0) continue;
    const kd = cc.kind[i]!;
    if (kd === KIND.sum || kd === KIND.categorical) {
      const K = kd === KIND.sum ? cc.childPtr[i + 1]! - cc.childPtr[i]! : cc.leafArg[i]!;
      let s = 0;
      for (let j = 0; j < K; j++) {
        assertThat(params[o + j]! >= 0, `${what}: node ${cc.original[i]} weight ${j} = ${params[o + j]} < 0`);
        s += params[o + j]!;
      }
      assertThat(Math.abs(s - 1) < 1e-12, `${what}: node ${cc.original[i]} weights sum to ${s}`);
    } else if (kd === KIND.bernoulli) assertThat(params[o]! >= 0 && params[o]! <= 1, `${what}: node ${cc.original[i]} p = ${params[o]}`);
    else if (kd === KIND.gaussian) assertThat(params[o + 1]! >= cc.minSigma[i]! && Number.isFinite(params[o]!), `${what}: node ${cc.original[i]} sigma = ${params[o + 1]}`);
  }
}

/** A learner with its hyper-parameters, as the laws draw them. */
export type LearnerChoice =
  | { kind: 'fullBatchEm'; pseudocount: number }
  | { kind: 'miniBatchEm'; stepSize: number; pseudocount: number }
  | { kind: 'anemone'; stepSize: number; momentum: number; pseudocount: number }
  | { kind: 'adam'; lr: number };

/**
 * An arbitrary learner choice, including the edge cases α = 0 and η = 1.
 *
 * @example
 * ```ts
 * fc.sample(arbitraryLearner(), 1).length;
 * // 1
 * ```
 */
export function arbitraryLearner(): fc.Arbitrary<LearnerChoice> {
  const eta = fc.oneof(fc.constant(1), fc.double({ min: 0.01, max: 1, noNaN: true }));
  const alpha = fc.constantFrom(0, 1e-6, 0.1, 1);
  return fc.oneof(
    fc.record({ kind: fc.constant('fullBatchEm' as const), pseudocount: alpha }),
    fc.record({ kind: fc.constant('miniBatchEm' as const), stepSize: eta, pseudocount: alpha }),
    fc.record({ kind: fc.constant('anemone' as const), stepSize: eta, momentum: fc.constantFrom(0, 0.5, 0.9), pseudocount: alpha }),
    fc.record({ kind: fc.constant('adam' as const), lr: fc.constantFrom(1e-3, 1e-2, 0.5) }),
  );
}

/** Runs `init` for a learner choice. */
function initLearner(c: LearnerChoice, cc: CompiledCircuit, x0: Float64Array): { learner: CircuitLearner<never, CircuitLearnerState>; state: CircuitLearnerState } {
  switch (c.kind) {
    case 'fullBatchEm':
      return { learner: fullBatchEm as never, state: fullBatchEm.init({ circuit: cc, pseudocount: c.pseudocount }, x0) };
    case 'miniBatchEm':
      return { learner: miniBatchEm as never, state: miniBatchEm.init({ circuit: cc, stepSize: c.stepSize, pseudocount: c.pseudocount }, x0) };
    case 'anemone':
      return { learner: anemone as never, state: anemone.init({ circuit: cc, stepSize: c.stepSize, momentum: c.momentum, pseudocount: c.pseudocount }, x0) };
    case 'adam':
      return { learner: adamCircuit as never, state: adamCircuit.init({ circuit: cc, lr: c.lr }, x0) };
  }
}

/** Rows [a, b) of a matrix. */
function slice(data: Matrix, a: number, b: number): Matrix {
  return { rows: b - a, cols: data.cols, data: data.data.slice(a * data.cols, b * data.cols) };
}

/**
 * **Simplex after every update** (spec (e) 1): for every learner (full EM, mini-batch EM any η,
 * anemone any η with and without momentum, Adam) and every α including 0, after init and after each
 * of several updates on batches of size 1..rows (nodes with zero flow included): sum slices and
 * categoricals ≥ 0 with `|Σ - 1| < 1e-12`, Bernoulli p in [0, 1], Gaussian sigma ≥ minSigma.
 * The inputs are never mutated.
 *
 * @example
 * ```ts
 * fc.check(lawSimplexAfterUpdate(), { numRuns: 10 }).failed;
 * // false
 * ```
 */
export function lawSimplexAfterUpdate(
  arb: fc.Arbitrary<CircuitCase> = arbitraryCircuitCase({ families: [...DISCRETE_FAMILIES, 'gaussianMixture'] }),
  learners: fc.Arbitrary<LearnerChoice> = arbitraryLearner(),
): fc.IPropertyWithHooks<[CircuitCase, LearnerChoice]> {
  return fc.property(arb, learners, ({ cc, data }, choice) => {
    let { learner, state } = initLearner(choice, cc, cc.params);
    assertOnSimplex(cc, state.x, 'init');
    for (let t = 0; t < 3; t++) {
      const a = t % data.rows;
      const batch = slice(data, a, Math.min(data.rows, a + 1 + t));
      const obs = batchStatistics(cc, state.query, batch);
      if (obs.count === 0) {
        // With α = 0 a parameter can reach 0 and a later batch have probability zero: the learner
        // must refuse it (DOMAIN), never return NaN.
        let code = '';
        try {
          learner.step(state as never, obs);
        } catch (e) {
          code = isDescentError(e) ? e.code : 'other';
        }
        assertThat(code === 'DOMAIN', `a zero-probability batch gave ${code || 'no error'}`);
        return;
      }
      const before = Float64Array.from(state.x);
      const e0 = Float64Array.from(obs.edgeFlows);
      const next = learner.step(state as never, obs);
      assertThat(state.x.every((v, i) => Object.is(v, before[i])), 'step mutated the state');
      assertThat(obs.edgeFlows.every((v, i) => Object.is(v, e0[i])), 'step mutated the statistics');
      assertOnSimplex(cc, next.x, `${choice.kind} step ${t + 1}`);
      state = next;
    }
  });
}

/**
 * **Full-batch EM is monotone** (spec (e) 6): over 5 steps, LL_D never decreases (α = 0), and the
 * penalised objective `LL + Σ (α/K) log θ` never decreases (α > 0), tolerance `1e-10 · (|objective| + rows)`.
 * Gaussian leaves only while the minSigma clamp is inactive (a clamped step is skipped).
 *
 * @example
 * ```ts
 * fc.check(lawFullBatchEmMonotone(), { numRuns: 10 }).failed;
 * // false
 * ```
 */
export function lawFullBatchEmMonotone(
  arb: fc.Arbitrary<CircuitCase> = arbitraryCircuitCase({ families: [...DISCRETE_FAMILIES, 'gaussianMixture'] }),
): fc.IPropertyWithHooks<[CircuitCase, number]> {
  return fc.property(arb, fc.constantFrom(0, 0.1, 1), ({ cc, data }, alpha) => {
    let state = fullBatchEm.init({ circuit: cc, pseudocount: alpha }, cc.params);
    let obj = totalLL(cc, state.x, data) + logPrior(cc, state.x, alpha);
    for (let t = 0; t < 5; t++) {
      state = fullBatchEm.step(state, batchStatistics(cc, state.query, data));
      let clamped = false;
      for (let i = 0; i < cc.numLeaves; i++) if (cc.kind[i] === KIND.gaussian && state.x[cc.paramPtr[i]! + 1] === cc.minSigma[i]) clamped = true;
      const next = totalLL(cc, state.x, data) + logPrior(cc, state.x, alpha);
      // Tolerance 1e-10·|objective|, floored at 1e-10 per row: a row's log-likelihood carries an
      // absolute rounding error (~1e-15), which dominates when the model fits the data (LL ≈ 0).
      if (!clamped) assertThat(next >= obj - 1e-10 * (Math.abs(obj) + data.rows), `EM step ${t + 1} decreased the objective: ${obj} -> ${next}`);
      obj = next;
    }
  });
}

/**
 * **Batch monotonicity** (spec (e) 7, RECONSTRUCTED reading of anemone): one anemone step (α = 0,
 * no momentum, any η in (0, 1]) and one mini-batch EM step (α = 0, any η) never decrease the
 * log-likelihood of the batch they were computed on (3 steps on one batch); tolerance `1e-10 · (|LL_B| + B)`.
 *
 * @example
 * ```ts
 * fc.check(lawBatchMonotone(), { numRuns: 10 }).failed;
 * // false
 * ```
 */
export function lawBatchMonotone(arb: fc.Arbitrary<CircuitCase> = arbitraryCircuitCase()): fc.IPropertyWithHooks<[CircuitCase, number]> {
  return fc.property(arb, fc.double({ min: 0.01, max: 1, noNaN: true }), ({ cc, data }, eta) => {
    let a = anemone.init({ circuit: cc, stepSize: eta, momentum: 0, pseudocount: 0 }, cc.params);
    let m = miniBatchEm.init({ circuit: cc, stepSize: eta, pseudocount: 0 }, cc.params);
    for (let t = 0; t < 3; t++) {
      // The same batch every step: monotonicity is a statement about the batch the step used.
      const batch = data;
      const la = totalLL(cc, a.x, batch);
      a = anemone.step(a, batchStatistics(cc, a.query, batch));
      const la2 = totalLL(cc, a.x, batch);
      assertThat(la2 >= la - 1e-10 * (Math.abs(la) + batch.rows), `anemone(η=${eta}) step ${t + 1} decreased its batch LL: ${la} -> ${la2}`);
      const lm = totalLL(cc, m.x, batch);
      m = miniBatchEm.step(m, batchStatistics(cc, m.query, batch));
      const lm2 = totalLL(cc, m.x, batch);
      assertThat(lm2 >= lm - 1e-10 * (Math.abs(lm) + batch.rows), `mini-batch EM(η=${eta}) step ${t + 1} decreased its batch LL: ${lm} -> ${lm2}`);
    }
  });
}

/**
 * **anemone(η = 1, α = 0) is full-batch EM** (spec (e) 8): the same statistics give the same
 * parameters up to rounding, max abs difference ≤ 1e-15 (the two paths differ only by the scaling
 * f/B before normalising: a few ulps of values ≤ 1).
 *
 * @example
 * ```ts
 * fc.check(lawAnemoneEtaOneIsEm(), { numRuns: 10 }).failed;
 * // false
 * ```
 */
export function lawAnemoneEtaOneIsEm(arb: fc.Arbitrary<CircuitCase> = arbitraryCircuitCase()): fc.IPropertyWithHooks<[CircuitCase]> {
  return fc.property(arb, ({ cc, data }) => {
    const obs = batchStatistics(cc, cc.params, data);
    const a = anemone.step(anemone.init({ circuit: cc, stepSize: 1, momentum: 0, pseudocount: 0 }, cc.params), obs).x;
    const e = fullBatchEm.step(fullBatchEm.init({ circuit: cc, pseudocount: 0 }, cc.params), obs).x;
    for (let i = 0; i < a.length; i++) assertClose(a[i]!, e[i]!, 1e-15, `param ${i}`);
  });
}

/**
 * **Root rate** (spec (e) 9): at the root sum node (TD = F̄ = 1) anemone(η) and mini-batch EM(η)
 * (α = 0) give the same weights, max abs difference ≤ 1e-15.
 *
 * @example
 * ```ts
 * fc.check(lawRootRate(), { numRuns: 10 }).failed;
 * // false
 * ```
 */
export function lawRootRate(arb: fc.Arbitrary<CircuitCase> = arbitraryCircuitCase()): fc.IPropertyWithHooks<[CircuitCase, number]> {
  return fc.property(arb, fc.double({ min: 0.01, max: 1, noNaN: true }), ({ cc, data }, eta) => {
    const root = cc.numNodes - 1;
    if (cc.kind[root] !== KIND.sum) return;
    const obs = batchStatistics(cc, cc.params, data);
    const a = anemone.step(anemone.init({ circuit: cc, stepSize: eta, momentum: 0, pseudocount: 0 }, cc.params), obs).x;
    const m = miniBatchEm.step(miniBatchEm.init({ circuit: cc, stepSize: eta, pseudocount: 0 }, cc.params), obs).x;
    const o = cc.paramPtr[root]!;
    for (let j = o; j < o + cc.childPtr[root + 1]! - cc.childPtr[root]!; j++) assertClose(a[j]!, m[j]!, 1e-15, `root weight ${j - o}`);
  });
}

/**
 * **Unvisited nodes** (spec (e) 10): a sum node through which the batch sends no flow keeps its
 * weights under anemone (α = 0, no momentum; ± 1e-15), while mini-batch EM with α > 0 moves them to
 * `(1-η) θ + η/K`, toward uniform. Drawn on deterministic Chow–Liu circuits (indicator leaves), where
 * a batch missing a parent value leaves whole sub-circuits unvisited (the default draws one-row
 * batches, which leave at least numVars − 1 sum nodes unvisited).
 *
 * @example
 * ```ts
 * fc.check(lawUnvisitedUnchanged(), { numRuns: 10 }).failed;
 * // false
 * ```
 */
export function lawUnvisitedUnchanged(
  arb: fc.Arbitrary<CircuitCase> = arbitraryCircuitCase({ families: ['chowLiu'], minVars: 2, maxRows: 1 }),
): fc.IPropertyWithHooks<[CircuitCase, number]> {
  return fc.property(arb, fc.double({ min: 0.01, max: 0.99, noNaN: true }), ({ cc, data }, eta) => {
    const obs = batchStatistics(cc, cc.params, data);
    const a = anemone.step(anemone.init({ circuit: cc, stepSize: eta, momentum: 0, pseudocount: 0 }, cc.params), obs).x;
    const alpha = 0.5;
    const m = miniBatchEm.step(miniBatchEm.init({ circuit: cc, stepSize: eta, pseudocount: alpha }, cc.params), obs).x;
    let unvisited = 0;
    for (let i = cc.numLeaves; i < cc.numNodes; i++) {
      if (cc.kind[i] !== KIND.sum) continue;
      const o = cc.paramPtr[i]!;
      const K = cc.childPtr[i + 1]! - cc.childPtr[i]!;
      let f = 0;
      for (let j = o; j < o + K; j++) f += obs.edgeFlows[j]!;
      if (f !== 0) continue;
      unvisited++;
      for (let j = o; j < o + K; j++) {
        const th = cc.params[j]!;
        assertClose(a[j]!, th, 1e-15, `anemone moved unvisited node ${cc.original[i]}`);
        assertClose(m[j]!, (1 - eta) * th + eta / K, 1e-15, `mini-batch EM on unvisited node ${cc.original[i]}`);
        assertThat(Math.abs(m[j]! - 1 / K) <= Math.abs(th - 1 / K) + 1e-15, 'mini-batch EM moved away from uniform');
      }
    }
    // On a Chow–Liu circuit a single row leaves the sum of every non-root variable for the other
    // parent value unvisited: at least numVars - 1 nodes were checked.
    if (cc.numVars >= 2 && data.rows === 1) assertThat(unvisited >= cc.numVars - 1, `only ${unvisited} unvisited sum nodes`);
  });
}

/**
 * **Momentum's first step** (spec (e) 11): the first anemone update with momentum m equals the
 * m = 0 update (bias correction), max abs difference ≤ 1e-15 (`(1-m)f/(1-m)` rounds by ≤ 2 ulps).
 *
 * @example
 * ```ts
 * fc.check(lawMomentumFirstStep(), { numRuns: 10 }).failed;
 * // false
 * ```
 */
export function lawMomentumFirstStep(arb: fc.Arbitrary<CircuitCase> = arbitraryCircuitCase()): fc.IPropertyWithHooks<[CircuitCase, number, number]> {
  return fc.property(arb, fc.double({ min: 0.01, max: 1, noNaN: true }), fc.double({ min: 0.01, max: 0.99, noNaN: true }), ({ cc, data }, eta, mom) => {
    const obs = batchStatistics(cc, cc.params, data);
    const a = anemone.step(anemone.init({ circuit: cc, stepSize: eta, momentum: mom, pseudocount: 1e-6 }, cc.params), obs).x;
    const b = anemone.step(anemone.init({ circuit: cc, stepSize: eta, momentum: 0, pseudocount: 1e-6 }, cc.params), obs).x;
    for (let i = 0; i < a.length; i++) assertClose(a[i]!, b[i]!, 1e-15, `param ${i}`);
  });
}
