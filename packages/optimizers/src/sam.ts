import { assertConfigObject, assertKnownKeys, assertVector, configKeys, DescentError, type Key } from '@descent/linalg';
import type { Method, MethodState } from './method.js';
import { booleanParam, checkGradient, copyInto, gradOf, numberParam, type Writable } from './sam-internal.js';
import { baseStateField, checkInto, checkState, PERTURBATION_FIELDS } from './internal/state-check.js';

/** The perturbation options shared by {@link sam} and {@link arsam}. */
export interface SamPerturbationConfig {
  /** Neighbourhood radius ρ ≥ 0. Default 0.05 (davda54, Composer, vSAM); ASAM uses 2.0. */
  readonly rho?: number;
  /** ASAM (Kwon et al. 2021, davda54 `adaptive=True`): scale the neighbourhood by T = |w| + η. Default false. */
  readonly adaptive?: boolean;
  /** ASAM's η in T = |w| + η. Default 0 (as davda54). */
  readonly adaptiveEta?: number;
  /** The dual norm p ∈ (1, ∞] of the neighbourhood ‖ε‖_p ≤ ρ. Default 2 (what everyone uses). */
  readonly p?: number;
  /** ξ in ρ·g/(‖g‖ + ξ). Default 1e-12 (davda54, Composer). */
  readonly xi?: number;
}

/** The keys of {@link SamPerturbationConfig}. */
export const PERTURBATION_KEYS = configKeys<SamPerturbationConfig>()('rho', 'adaptive', 'adaptiveEta', 'p', 'xi');

/** Config of {@link sam}: the base method's config plus the perturbation options. */
export interface SamConfig<BaseCfg> extends SamPerturbationConfig {
  /** Config of the base method (e.g. `{ lr: 0.1, momentum: 0.9 }` for SGD). */
  readonly base: BaseCfg;
  /** Check each gradient for length and finiteness (O(n)). Default true; length is always checked. */
  readonly check?: boolean;
}

const SAM_KEYS = configKeys<SamConfig<unknown>>()('rho', 'adaptive', 'adaptiveEta', 'p', 'xi', 'base', 'check');

/** State of {@link sam}. */
export interface SamState<BaseState extends MethodState> extends MethodState {
  /** The base method's state; `x` is always `base.x` (the returned parameters never contain ε̂). */
  readonly base: BaseState;
  /** 0: the next observation is ∇L at the base's query w; 1: it is ∇L(w + ε̂) at `perturbed`. */
  readonly phase: number;
  /** ∇L(w) observed in phase 0 (the gradient ε̂ was built from). */
  readonly grad: Float64Array;
  /** w + ε̂, the query of phase 1. */
  readonly perturbed: Float64Array;
  /** ‖ε̂‖₂ of the last perturbation. */
  readonly epsNorm: number;
  /** Gradient observations consumed so far (2 per completed step). */
  readonly gradEvals: number;
  readonly rho: number;
  readonly adaptive: boolean;
  readonly adaptiveEta: number;
  readonly p: number;
  readonly xi: number;
  readonly check: boolean;
}

/** Validated perturbation options. */
export interface ResolvedPerturbation {
  rho: number;
  adaptive: boolean;
  adaptiveEta: number;
  p: number;
  xi: number;
}

/**
 * Validates {@link SamPerturbationConfig} and fills in the defaults (shared with ARSAM).
 *
 * @example
 * ```ts
 * resolvePerturbation('sam', {}).rho;
 * // 0.05
 * ```
 */
export function resolvePerturbation(where: string, cfg: SamPerturbationConfig): ResolvedPerturbation {
  if (typeof where !== 'string') throw new DescentError('INVALID_CONFIG', 'resolvePerturbation', 'where must be a string (the caller name reported in errors)');
  assertConfigObject(cfg as unknown, where);
  return {
    rho: numberParam(where, 'rho', cfg.rho, 0.05, (v) => Number.isFinite(v) && v >= 0, 'a finite number >= 0'),
    adaptive: booleanParam(where, 'adaptive', cfg.adaptive, false),
    adaptiveEta: numberParam(where, 'adaptiveEta', cfg.adaptiveEta, 0, (v) => Number.isFinite(v) && v >= 0, 'a finite number >= 0'),
    p: numberParam(where, 'p', cfg.p, 2, (v) => v > 1, 'a number in (1, Infinity]'),
    xi: numberParam(where, 'xi', cfg.xi, 1e-12, (v) => Number.isFinite(v) && v >= 0, 'a finite number >= 0'),
  };
}

/** `INVALID_CONFIG` unless `o` has the fields of a {@link ResolvedPerturbation} with valid values. */
function checkResolvedPerturbation(where: string, o: ResolvedPerturbation): void {
  if (o === null || typeof o !== 'object') throw new DescentError('INVALID_CONFIG', where, 'the perturbation must be a ResolvedPerturbation (see resolvePerturbation)');
  const num = (v: unknown, ok: (x: number) => boolean) => typeof v === 'number' && !Number.isNaN(v) && ok(v);
  if (!num(o.rho, (v) => Number.isFinite(v) && v >= 0)) throw new DescentError('INVALID_CONFIG', where, `rho must be a finite number >= 0, got ${String(o.rho)}`);
  if (typeof o.adaptive !== 'boolean') throw new DescentError('INVALID_CONFIG', where, `adaptive must be a boolean, got ${String(o.adaptive)}`);
  if (!num(o.adaptiveEta, (v) => Number.isFinite(v) && v >= 0)) throw new DescentError('INVALID_CONFIG', where, `adaptiveEta must be a finite number >= 0, got ${String(o.adaptiveEta)}`);
  if (!num(o.p, (v) => v > 1)) throw new DescentError('INVALID_CONFIG', where, `p must be a number in (1, Infinity], got ${String(o.p)}`);
  if (!num(o.xi, (v) => Number.isFinite(v) && v >= 0)) throw new DescentError('INVALID_CONFIG', where, `xi must be a finite number >= 0, got ${String(o.xi)}`);
}

/**
 * Writes SAM's ascent point w + ε̂ into `out` and returns ‖ε̂‖₂, where ε̂ maximises the linearised loss
 * over the neighbourhood ‖T⁻¹ε‖_p ≤ ρ (T = I for SAM, T = diag(|w| + η) for ASAM), with the global
 * norm over the whole parameter vector:
 * - p = 2: ε̂ = ρ·T²g/(‖Tg‖₂ + ξ), in davda54's operation order (scale = ρ/(‖Tg‖ + ξ) first);
 * - general p (q = p/(p−1)): ε̂ = ρ·T·sign(u)|u|^{q−1}/((Σ|u|^q)^{1/p} + ξ) with u = Tg;
 * - p = ∞: ε̂ = ρ·T·sign(Tg).
 *
 * @example
 * ```ts
 * const out = new Float64Array(2);
 * samPerturbInto(new Float64Array([0, 0]), new Float64Array([3, 4]), { rho: 10, adaptive: false, adaptiveEta: 0, p: 2, xi: 0 }, out);
 * out;
 * // Float64Array [6, 8]
 * ```
 */
export function samPerturbInto(w: Float64Array, g: Float64Array, o: ResolvedPerturbation, out: Float64Array): number {
  const where = 'samPerturbInto';
  assertVector(w, where, 'w');
  assertVector(g, where, 'g', w.length);
  assertVector(out, where, 'out', w.length);
  checkResolvedPerturbation(where, o);
  const n = w.length;
  const rho = o.rho;
  let epsSq = 0;
  if (o.p === 2) {
    let s = 0;
    if (o.adaptive) {
      for (let i = 0; i < n; i++) {
        const u = (Math.abs(w[i]!) + o.adaptiveEta) * g[i]!;
        s += u * u;
      }
    } else {
      for (let i = 0; i < n; i++) s += g[i]! * g[i]!;
    }
    const denom = Math.sqrt(s) + o.xi;
    // A zero gradient with ξ = 0 has no ascent direction: ε̂ = 0 rather than 0·∞ = NaN.
    const scale = denom > 0 ? rho / denom : 0;
    for (let i = 0; i < n; i++) {
      let e: number;
      if (o.adaptive) {
        const t = Math.abs(w[i]!) + o.adaptiveEta;
        e = t * t * g[i]! * scale;
      } else {
        e = g[i]! * scale;
      }
      out[i] = w[i]! + e;
      epsSq += e * e;
    }
    return Math.sqrt(epsSq);
  }
  if (o.p === Infinity) {
    for (let i = 0; i < n; i++) {
      const t = o.adaptive ? Math.abs(w[i]!) + o.adaptiveEta : 1;
      const e = rho * t * Math.sign(t * g[i]!);
      out[i] = w[i]! + e;
      epsSq += e * e;
    }
    return Math.sqrt(epsSq);
  }
  const q = o.p / (o.p - 1);
  let sq = 0;
  for (let i = 0; i < n; i++) {
    const t = o.adaptive ? Math.abs(w[i]!) + o.adaptiveEta : 1;
    sq += Math.abs(t * g[i]!) ** q;
  }
  const denom = sq ** (1 / o.p) + o.xi;
  for (let i = 0; i < n; i++) {
    const t = o.adaptive ? Math.abs(w[i]!) + o.adaptiveEta : 1;
    const u = t * g[i]!;
    const e = denom > 0 ? (rho * t * Math.sign(u) * Math.abs(u) ** (q - 1)) / denom : 0;
    out[i] = w[i]! + e;
    epsSq += e * e;
  }
  return Math.sqrt(epsSq);
}

/**
 * Sharpness-Aware Minimization (Foret et al. 2021) around any base method: each step observes
 * g = ∇L_B(w) at the base's query w, perturbs to w + ε̂ with ε̂ = ρ·g/(‖g‖ + ξ) (global norm; ASAM and
 * p-norm variants by option), observes g_S = ∇L_B(w + ε̂) there, and hands g_S to the base method,
 * which steps from w (never from w + ε̂). Both observations are meant for the same minibatch.
 *
 * Ask/tell: evaluate at `state.query` and pass the result to `step`; a full SAM step is two calls
 * (`phase` 0 then 1), so `t` and `base` advance on every second call and `gradEvals` counts calls.
 * The base may observe `{ value, grad }`: SAM passes the observation through (the loss value at the
 * perturbed point, i.e. the SAM objective).
 *
 * m-sharpness (per-sub-batch ε̂) is a data-parallel scheme outside this single-oracle contract.
 *
 * @example
 * ```ts
 * import { sgd, sam } from '@descent/optimizers';
 * const m = sam(sgd);
 * let s = m.init({ base: { lr: 0.1 }, rho: 0.05 }, new Float64Array([1, -2]));
 * const grad = (x: Float64Array) => Float64Array.from(x, (v) => 2 * v); // L = ‖x‖²
 * for (let k = 0; k < 2; k++) s = m.step(s, grad(s.query)); // phase 0 at w, phase 1 at w + ε̂
 * [s.t, s.gradEvals];
 * // [1, 2]
 * ```
 */
export function sam<BaseCfg, BaseState extends MethodState, Obs>(base: Method<BaseCfg, BaseState, Obs>): Method<SamConfig<BaseCfg>, SamState<BaseState>, Obs> {
  if (base === null || typeof base !== 'object' || typeof base.init !== 'function' || typeof base.step !== 'function') {
    throw new DescentError('INVALID_CONFIG', 'sam', 'base must be a Method');
  }
  const name = `sam(${base.name})`;
  const checkSamState = (where: string, s: SamState<BaseState>): void => {
    checkState(where, s, { check: 'boolean' });
    checkState(where, s, {
      base: baseStateField(s.x.length), phase: { oneOf: [0, 1] }, grad: 'buffer', perturbed: 'buffer',
      epsNorm: { number: (v) => Number.isFinite(v) && v >= 0, expected: 'a finite number >= 0' }, gradEvals: 'count',
      ...PERTURBATION_FIELDS,
    });
  };
  const baseStepInto = base.stepInto;

  function advance(s: SamState<BaseState>, obs: Obs, out: Writable<SamState<BaseState>>): SamState<BaseState> {
    const g = gradOf(obs, name);
    const n = s.x.length;
    checkGradient(name, g, n, s.check);
    if (s.phase === 0) {
      // Ascent: keep the base as it is, remember g, query w + ε̂.
      copyInto(s.base, out.base, name, 'state.base');
      const w = s.base.query;
      out.grad.set(g);
      out.epsNorm = samPerturbInto(w, g, s, out.perturbed);
      out.phase = 1;
      out.x = out.base.x;
      out.query = out.perturbed;
      out.t = s.t;
    } else {
      // Descent: the base steps from w with g_S. A base that rejects g_S throws before out is written.
      if (baseStepInto !== undefined) {
        out.base = baseStepInto.call(base, s.base, obs, out.base);
      } else {
        out.base = base.step(s.base, obs);
      }
      out.grad.set(s.grad);
      out.perturbed.set(s.perturbed);
      out.epsNorm = s.epsNorm;
      out.phase = 0;
      out.x = out.base.x;
      out.query = out.base.query;
      out.t = s.t + 1;
    }
    out.gradEvals = s.gradEvals + 1;
    out.rho = s.rho;
    out.adaptive = s.adaptive;
    out.adaptiveEta = s.adaptiveEta;
    out.p = s.p;
    out.xi = s.xi;
    out.check = s.check;
    return out;
  }

  return {
    name,
    observes: base.observes,
    init(cfg: SamConfig<BaseCfg>, x0: Float64Array, key?: Key): SamState<BaseState> {
      assertKnownKeys(cfg, SAM_KEYS, `${name}.init`);
      const r = resolvePerturbation(name, cfg);
      const check = booleanParam(name, 'check', cfg.check, true);
      const b = base.init(cfg.base, x0, key);
      const n = b.x.length;
      return { x: b.x, query: b.query, t: 0, base: b, phase: 0, grad: new Float64Array(n), perturbed: new Float64Array(n), epsNorm: 0, gradEvals: 0, ...r, check };
    },
    step(s, obs) {
      checkSamState(`${name}.step`, s);
      // A structural copy (aliasing kept) that advance then overwrites; the base state is not shared.
      const out = structuredClone(s) as Writable<SamState<BaseState>>;
      return advance(s, obs, out);
    },
    stepInto(s, obs, out) {
      checkSamState(`${name}.stepInto`, s);
      checkState(`${name}.stepInto`, out, {});
      if (out === s || out.perturbed === s.perturbed || out.base === s.base) {
        throw new DescentError('INVALID_CONFIG', name, 'stepInto: out must not be (or share buffers with) state');
      }
      checkInto(`${name}.stepInto`, s, out);
      if (out.perturbed.length !== s.perturbed.length || out.grad.length !== s.grad.length) {
        throw new DescentError('SHAPE_MISMATCH', name, "stepInto: out does not have the state's shape");
      }
      return advance(s, obs, out as Writable<SamState<BaseState>>);
    },
  };
}
