import { assertKnownKeys, configKeys, DescentError, assertFinite, assertLength, assertMatrix, assertParam, assertVector, describeValue, type Matrix } from '@descent/linalg';
import type { Method, MethodState } from './method.js';
import { checkDenseSolve, dampedFisherSolve, dampedSolveInto, EmpiricalScratch, empiricalFisherSolve, empiricalSolveInto, type DampingMetric } from './fisher-solve.js';
import { Scratch } from './internal/matrix-momentum.js';
import { checkInto, checkState } from './internal/state-check.js';

/** The state's fields (hyperparameters included: step reads them), checked before anything is written. */
function checkNaturalState(where: string, s: NaturalGradientState, out?: unknown): void {
  checkState(where, s, {
    fisher: { oneOf: ['dense', 'empirical', 'diagonal'] },
    direction: 'buffer',
    naturalNormSq: { number: (v) => v >= 0, expected: 'a number >= 0' },
    stepSize: { number: (v) => v >= 0, expected: 'a number >= 0' },
    // lr is +Infinity when only the KL radius bounds the step.
    lr: { number: (v) => v > 0, expected: 'a number > 0' },
    kl: { number: (v) => Number.isFinite(v) && v >= 0, expected: 'a finite number >= 0' },
    damping: { number: (v) => Number.isFinite(v) && v >= 0, expected: 'a finite number >= 0' },
    emaDecay: { number: (v) => v >= 0 && v < 1, expected: 'in [0, 1)' },
    check: 'boolean',
  });
  const d = s.x.length;
  checkState(where, s, { fisherDiag: { buffer: s.fisher === 'diagonal' ? d : 0 } });
  const m: unknown = s.dampingMetric;
  const okMetric = m === null || (m instanceof Float64Array && m.length === d)
    || (m !== null && typeof m === 'object' && (m as Matrix).rows === d && (m as Matrix).cols === d && (m as Matrix).data instanceof Float64Array && (m as Matrix).data.length === d * d);
  if (!okMetric) throw new DescentError('SHAPE_MISMATCH', where, `state.dampingMetric must be null, a Float64Array of length ${d} or a ${d}×${d} Matrix`);
  if (out !== undefined || arguments.length > 2) checkInto(where, s, out, ['dampingMetric']);
}

/** Where the natural gradient's Fisher comes from. */
export type FisherSource =
  /** The caller passes a dense d×d Fisher with each gradient (e.g. the closed-form {@link logitFisher}). */
  | 'dense'
  /** The caller passes per-sample gradients Γ (N×d); F̂ = ΓᵀΓ/N, solved by Woodbury when N < d. */
  | 'empirical'
  /** The method keeps a diagonal EMA f ← ρf + (1−ρ)g⊙g and divides elementwise. */
  | 'diagonal';

/** Configuration of {@link naturalGradient}. */
export interface NaturalGradientConfig {
  /** Fisher estimator. */
  readonly fisher: FisherSource;
  /**
   * Step size η > 0. With `kl` set it is optional and caps the trust-region step size.
   */
  readonly lr?: number;
  /** Damping λ ≥ 0 in (F + λM)⁻¹g. Default 1e-3. λ = 0 needs a positive-definite Fisher. */
  readonly damping?: number;
  /**
   * Damping metric M (default identity). A positive diagonal (`Float64Array`) or a dense SPD `Matrix`;
   * use {@link pullbackMetric} for damping that is consistent under reparameterisation. The diagonal
   * Fisher takes a diagonal metric only.
   */
  readonly dampingMetric?: Float64Array | Matrix;
  /**
   * KL trust region κ > 0: take δ = −√(2κ/(gᵀñ))·ñ with ñ = (F+λM)⁻¹g, the minimiser of ⟨g, δ⟩
   * subject to ½δᵀ(F+λM)δ ≤ κ (the second-order KL ball). If `lr` is also set, the step size is
   * min(lr, √(2κ/(gᵀñ))).
   */
  readonly kl?: number;
  /** EMA decay ρ ∈ [0, 1) of the diagonal Fisher. Default 0.99. */
  readonly emaDecay?: number;
  /** O(d) finiteness checks of each observation (default true). */
  readonly check?: boolean;
}

/** What the natural gradient observes: a gradient, or a gradient with its Fisher information. */
const NATURAL_GRADIENT_KEYS = configKeys<NaturalGradientConfig>()('fisher', 'lr', 'damping', 'dampingMetric', 'kl', 'emaDecay', 'check');

export interface NaturalGradientObservation {
  /** ∇ℓ at `state.query`. For `'empirical'` it defaults to the mean of the `perSample` rows. */
  readonly grad?: Float64Array;
  /** The dense Fisher (required for `'dense'`). */
  readonly fisher?: Matrix;
  /**
   * Per-sample gradients Γ, N×d (required for `'empirical'`; for `'diagonal'` the EMA then uses the
   * diagonal of ΓᵀΓ/N instead of g⊙g).
   */
  readonly perSample?: Matrix;
}

/** State of {@link naturalGradient}: the parameters, the Fisher EMA, diagnostics and the hyperparameters. */
export interface NaturalGradientState extends MethodState {
  /** The diagonal EMA Fisher (length d for `'diagonal'`, else empty). */
  readonly fisherDiag: Float64Array;
  /** The last natural direction ñ = (F + λM)⁻¹g (zeros before the first step). */
  readonly direction: Float64Array;
  /** gᵀñ of the last step: the squared natural-gradient norm (0 before the first step). */
  readonly naturalNormSq: number;
  /** The step size used in the last step (η, or the trust-region size). */
  readonly stepSize: number;
  readonly fisher: FisherSource;
  /** η (Infinity when only `kl` bounds the step). */
  readonly lr: number;
  readonly damping: number;
  /** The damping metric M, or null for the identity. */
  readonly dampingMetric: Float64Array | Matrix | null;
  /** κ, or 0 without a trust region. */
  readonly kl: number;
  readonly emaDecay: number;
  readonly check: boolean;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

const NAME = 'naturalGradient';

function resolve(cfg: NaturalGradientConfig, d: number): Pick<NaturalGradientState, 'fisher' | 'lr' | 'damping' | 'dampingMetric' | 'kl' | 'emaDecay' | 'check'> {
  assertKnownKeys(cfg, NATURAL_GRADIENT_KEYS, NAME);
  if (cfg.fisher !== 'dense' && cfg.fisher !== 'empirical' && cfg.fisher !== 'diagonal') {
    throw new DescentError('INVALID_CONFIG', NAME, `fisher must be 'dense', 'empirical' or 'diagonal', got ${String(cfg.fisher)}`);
  }
  if (cfg.lr === undefined && cfg.kl === undefined) throw new DescentError('INVALID_CONFIG', NAME, 'set lr, kl, or both');
  if (cfg.lr !== undefined) assertParam(cfg.lr, (v) => v > 0, NAME, 'lr', 'a positive number');
  if (cfg.kl !== undefined) assertParam(cfg.kl, (v) => v > 0, NAME, 'kl', 'a positive number');
  const damping = cfg.damping ?? 1e-3;
  assertParam(damping, (v) => v >= 0, NAME, 'damping', 'a number >= 0');
  const rho = cfg.emaDecay ?? 0.99;
  assertParam(rho, (v) => v >= 0 && v < 1, NAME, 'emaDecay', 'in [0, 1)');
  const metric = cfg.dampingMetric;
  let stored: Float64Array | Matrix | null = null;
  if (metric !== undefined) {
    if (metric instanceof Float64Array) {
      assertLength(metric, d, NAME, 'dampingMetric');
      for (let i = 0; i < d; i++) {
        if (!(metric[i]! > 0) || !Number.isFinite(metric[i]!)) throw new DescentError('INVALID_CONFIG', NAME, `dampingMetric[${i}] is ${metric[i]}, expected finite > 0`);
      }
      stored = new Float64Array(metric);
    } else {
      assertMatrix(metric, NAME, 'dampingMetric');
      if (metric.rows !== d || metric.cols !== d) throw new DescentError('SHAPE_MISMATCH', NAME, `dampingMetric is ${metric.rows}×${metric.cols}, expected ${d}×${d}`);
      if (cfg.fisher === 'diagonal') throw new DescentError('INVALID_CONFIG', NAME, "the 'diagonal' Fisher takes a diagonal dampingMetric (Float64Array) only");
      stored = { rows: d, cols: d, data: new Float64Array(metric.data) };
    }
  }
  if (cfg.fisher === 'diagonal' && damping === 0) {
    // f starts at zero, so the first undamped step would divide by zero.
    throw new DescentError('INVALID_CONFIG', NAME, "the 'diagonal' Fisher needs damping > 0 (the EMA starts at zero)");
  }
  const check = cfg.check ?? true;
  if (typeof check !== 'boolean') throw new DescentError('INVALID_CONFIG', NAME, `check must be a boolean, got ${String(check)}`);
  return { fisher: cfg.fisher, lr: cfg.lr ?? Infinity, damping, dampingMetric: stored, kl: cfg.kl ?? 0, emaDecay: rho, check };
}

/**
 * The natural direction ñ = (F + λM)⁻¹g for one observation (no state): `'dense'` solves with the given
 * Fisher by Cholesky, `'empirical'` with per-sample gradients (Woodbury when N < d). Throws `DOMAIN`
 * when F + λM is not positive definite.
 *
 * @example
 * ```ts
 * import { fromRows } from '@descent/linalg';
 * naturalDirection('dense', { grad: new Float64Array([4, 2]), fisher: fromRows([[4, 0], [0, 1]]) }, 0);
 * // Float64Array [1, 2]
 * ```
 */
export function naturalDirection(
  fisher: 'dense' | 'empirical',
  obs: NaturalGradientObservation,
  damping: number,
  metric?: Float64Array | Matrix,
): Float64Array {
  if (fisher !== 'dense' && fisher !== 'empirical') throw new DescentError('INVALID_CONFIG', 'naturalDirection', `fisher must be 'dense' or 'empirical', got ${describeValue(fisher)}`);
  if (obs === null || typeof obs !== 'object') throw new DescentError('SHAPE_MISMATCH', 'naturalDirection', `obs must be { grad, fisher } or { grad?, perSample }, got ${describeValue(obs)}`);
  if (obs.grad !== undefined) assertVector(obs.grad, 'naturalDirection', 'obs.grad');
  if (fisher === 'dense') {
    if (obs.fisher === undefined) throw new DescentError('SHAPE_MISMATCH', 'naturalDirection', "the 'dense' Fisher needs obs.fisher");
    if (obs.grad === undefined) throw new DescentError('SHAPE_MISMATCH', 'naturalDirection', 'obs.grad is missing');
    return dampedFisherSolve(obs.fisher, obs.grad, damping, metric);
  }
  if (obs.perSample === undefined) throw new DescentError('SHAPE_MISMATCH', 'naturalDirection', "the 'empirical' Fisher needs obs.perSample");
  const g = obs.grad ?? meanRows(obs.perSample);
  return empiricalFisherSolve(obs.perSample, g, damping, metric);
}

/**
 * The KL trust-region step size √(2κ/(gᵀñ)): the step −size·ñ has ½ñᵀ(F+λM)ñ·size² = κ exactly when
 * ñ = (F+λM)⁻¹g. Returns 0 when g = 0 (nothing to decrease).
 *
 * @example
 * ```ts
 * klTrustRegionScale(new Float64Array([1, 0]), new Float64Array([2, 0]), 1);
 * // 1
 * ```
 */
export function klTrustRegionScale(g: Float64Array, direction: Float64Array, kl: number): number {
  assertVector(g, 'klTrustRegionScale', 'g');
  assertLength(direction, g.length, 'klTrustRegionScale', 'direction');
  assertParam(kl, (v) => v > 0, 'klTrustRegionScale', 'kl', 'a positive number');
  let q = 0;
  for (let i = 0; i < g.length; i++) q += g[i]! * direction[i]!;
  if (!(q > 0)) return 0;
  return Math.sqrt((2 * kl) / q);
}

function meanRows(m: Matrix): Float64Array {
  return meanRowsInto(m, new Float64Array(m.cols));
}

function meanRowsInto(m: Matrix, g: Float64Array): Float64Array {
  g.fill(0);
  if (m.rows === 0) return g;
  for (let i = 0; i < m.rows; i++) for (let c = 0; c < m.cols; c++) g[c] += m.data[i * m.cols + c]!;
  const inv = 1 / m.rows;
  for (let c = 0; c < m.cols; c++) g[c] *= inv;
  return g;
}

function normalise(obs: Float64Array | NaturalGradientObservation): NaturalGradientObservation {
  if (obs instanceof Float64Array) return { grad: obs };
  if (obs === null || typeof obs !== 'object') throw new DescentError('SHAPE_MISMATCH', NAME, 'observation must be a Float64Array or { grad, fisher?, perSample? }');
  return obs;
}

/**
 * Natural-gradient descent x' = x − η·(F + λM)⁻¹g with a dense, empirical (per-sample, Woodbury) or
 * diagonal-EMA Fisher, damping λ with metric M (plain λI by default; {@link pullbackMetric} gives
 * reparameterisation-consistent damping), and an optional KL trust-region step (`kl`). This is the
 * adaptation step of M-FISHER (Khan & Syed 2025) as standard natural-gradient machinery; the paper's
 * exact loss and damping were not retrievable [RECON where it claims to be M-FISHER's rule].
 *
 * Observation: a gradient (`Float64Array`, enough for `'diagonal'`) or
 * `{ grad, fisher }` (`'dense'`) or `{ grad?, perSample }` (`'empirical'`), taken at `state.query`. It
 * observes `'oracle'`: the drivers pass the oracle's answer through unchanged, so an oracle returning
 * `{ value, grad, fisher }` drives the dense form in `minimize` and `iterate`.
 *
 * @example
 * ```ts
 * import { fromRows } from '@descent/linalg';
 * const s0 = naturalGradient.init({ fisher: 'dense', lr: 1, damping: 0 }, new Float64Array([1, 2]));
 * const s1 = naturalGradient.step(s0, { grad: new Float64Array([4, 2]), fisher: fromRows([[4, 0], [0, 1]]) });
 * s1.x;
 * // Float64Array [0, 0]
 * ```
 */
export const naturalGradient: Method<NaturalGradientConfig, NaturalGradientState, Float64Array | NaturalGradientObservation> = {
  name: NAME,
  observes: 'oracle',
  init(cfg: NaturalGradientConfig, x0: Float64Array): NaturalGradientState {
    if (!(x0 instanceof Float64Array)) throw new DescentError('INVALID_CONFIG', NAME, 'x0 must be a Float64Array');
    if (x0.length === 0) throw new DescentError('SHAPE_MISMATCH', NAME, 'x0 is empty');
    assertFinite(x0, NAME, 'x0');
    const r = resolve(cfg, x0.length);
    const x = new Float64Array(x0);
    return {
      x,
      query: x,
      t: 0,
      fisherDiag: new Float64Array(r.fisher === 'diagonal' ? x0.length : 0),
      direction: new Float64Array(x0.length),
      naturalNormSq: 0,
      stepSize: 0,
      ...r,
    };
  },
  step(state: NaturalGradientState, obs: Float64Array | NaturalGradientObservation): NaturalGradientState {
    checkNaturalState(`${NAME}.step`, state);
    const d = state.x.length;
    const x = new Float64Array(d);
    const out: NaturalGradientState = { ...state, x, query: x, fisherDiag: new Float64Array(state.fisherDiag.length), direction: new Float64Array(d) };
    return advance(state, obs, out as Mutable<NaturalGradientState>);
  },
  stepInto(state: NaturalGradientState, obs: Float64Array | NaturalGradientObservation, out: NaturalGradientState): NaturalGradientState {
    checkNaturalState(`${NAME}.stepInto`, state, out);
    if (out === state || out.x === state.x) throw new DescentError('INVALID_CONFIG', NAME, 'stepInto: out must not be (or share buffers with) state');
    assertLength(out.x, state.x.length, NAME, 'out.x');
    assertLength(out.fisherDiag, state.fisherDiag.length, NAME, 'out.fisherDiag');
    assertLength(out.direction, state.direction.length, NAME, 'out.direction');
    return advance(state, obs, out as Mutable<NaturalGradientState>);
  },
};

// Temporaries of a step, reused across steps (a bad observation must throw before `out` is touched, so
// results are computed here first and copied): with them the diagonal and dense Fishers' stepInto
// allocates nothing.
const diagScratch = new Scratch();
const dirScratch = new Scratch();
const sqScratch = new Scratch();
const denseA = new Scratch();
const denseL = new Scratch();
const meanScratch = new Scratch();
const empirical = new EmpiricalScratch();

function advance(state: NaturalGradientState, rawObs: Float64Array | NaturalGradientObservation, out: Mutable<NaturalGradientState>): NaturalGradientState {
  const d = state.x.length;
  const obs = normalise(rawObs);
  const metric = state.dampingMetric ?? undefined;
  // Compute everything into fresh temporaries first: a bad observation throws before `out` is touched.
  let direction: Float64Array;
  let g: Float64Array;
  let newDiag: Float64Array | undefined;
  if (state.fisher === 'diagonal') {
    if (!(obs.grad instanceof Float64Array)) throw new DescentError('SHAPE_MISMATCH', NAME, 'obs.grad must be a Float64Array');
    g = obs.grad;
    assertLength(g, d, NAME, 'grad');
    if (state.check) assertFinite(g, NAME, 'grad');
    newDiag = diagScratch.get(d);
    const f = state.fisherDiag;
    const rho = state.emaDecay;
    const c = 1 - rho;
    if (obs.perSample !== undefined) {
      const ps = obs.perSample;
      assertMatrix(ps, NAME, 'perSample', { finite: state.check });
      if (ps.cols !== d) throw new DescentError('SHAPE_MISMATCH', NAME, `perSample has ${ps.cols} columns, expected ${d}`);
      const sq = sqScratch.get(d);
      sq.fill(0);
      for (let i = 0; i < ps.rows; i++) for (let k = 0; k < d; k++) sq[k] += ps.data[i * d + k]! * ps.data[i * d + k]!;
      const inv = 1 / ps.rows;
      for (let k = 0; k < d; k++) newDiag[k] = rho * f[k]! + c * sq[k]! * inv;
    } else {
      for (let k = 0; k < d; k++) newDiag[k] = rho * f[k]! + c * g[k]! * g[k]!;
    }
    direction = dirScratch.get(d);
    const m = metric as Float64Array | undefined;
    const lam = state.damping;
    for (let k = 0; k < d; k++) direction[k] = g[k]! / (newDiag[k]! + lam * (m === undefined ? 1 : m[k]!));
  } else if (state.fisher === 'dense') {
    if (!(obs.grad instanceof Float64Array)) throw new DescentError('SHAPE_MISMATCH', NAME, 'obs.grad must be a Float64Array');
    if (obs.fisher === undefined) throw new DescentError('SHAPE_MISMATCH', NAME, "the 'dense' Fisher needs obs.fisher");
    g = obs.grad;
    assertLength(g, d, NAME, 'grad');
    assertMatrix(obs.fisher, NAME, 'fisher', { finite: state.check });
    checkDenseSolve(obs.fisher, g, state.damping, metric, 'dampedFisherSolve');
    direction = dampedSolveInto(obs.fisher, g, state.damping, metric, dirScratch.get(d), denseA.get(d * d), denseL.get(d * d), 'dampedFisherSolve');
  } else {
    if (obs.perSample === undefined) throw new DescentError('SHAPE_MISMATCH', NAME, "the 'empirical' Fisher needs obs.perSample");
    assertMatrix(obs.perSample, NAME, 'perSample', { finite: state.check });
    if (obs.perSample.cols !== d) throw new DescentError('SHAPE_MISMATCH', NAME, `perSample has ${obs.perSample.cols} columns, expected ${d}`);
    g = obs.grad ?? meanRowsInto(obs.perSample, meanScratch.get(d));
    assertLength(g, d, NAME, 'grad');
    assertFinite(g, 'empiricalFisherSolve', 'g');
    direction = empiricalSolveInto(obs.perSample, g, state.damping, metric, dirScratch.get(d), empirical, 'empiricalFisherSolve');
  }
  let q = 0;
  for (let k = 0; k < d; k++) q += g[k]! * direction[k]!;
  if (!Number.isFinite(q)) throw new DescentError('NON_FINITE', NAME, `gᵀ(F+λM)⁻¹g is ${q}`);
  let eta = state.lr;
  if (state.kl > 0) eta = Math.min(eta, q > 0 ? Math.sqrt((2 * state.kl) / q) : 0);
  // All checks passed: write the new state.
  const x = state.x;
  const ox = out.x;
  for (let k = 0; k < d; k++) ox[k] = x[k]! - eta * direction[k]!;
  out.direction.set(direction);
  if (newDiag !== undefined) out.fisherDiag.set(newDiag);
  out.query = ox;
  out.t = state.t + 1;
  out.naturalNormSq = q;
  out.stepSize = eta;
  out.fisher = state.fisher;
  out.lr = state.lr;
  out.damping = state.damping;
  out.dampingMetric = state.dampingMetric;
  out.kl = state.kl;
  out.emaDecay = state.emaDecay;
  out.check = state.check;
  return out;
}
