import { describeValue, assertKnownKeys, configKeys, DescentError, split, uniform, type Key } from '@descent/linalg';
import { assertAllocation } from './internal/args.js';

function checkCtrl(ctrl: readonly Float64Array[], where: string): number {
  if (!Array.isArray(ctrl) || ctrl.length < 2) throw new DescentError('INVALID_CONFIG', where, 'need at least 2 control points');
  const first: unknown = ctrl[0];
  const d = first instanceof Float64Array ? first.length : 0;
  for (let k = 0; k < ctrl.length; k++) {
    if (!(ctrl[k] instanceof Float64Array) || ctrl[k]!.length !== d) throw new DescentError('SHAPE_MISMATCH', where, `control point ${k} must be a Float64Array of length ${d}`);
  }
  return d;
}

function checkT(t: number, where: string): void {
  if (typeof t !== 'number' || !(t >= 0 && t <= 1)) throw new DescentError('DOMAIN', where, `t must be in [0, 1], got ${String(t)}`);
}

// A caller's out buffer is checked before anything is written into it.
function checkOut(out: Float64Array | undefined, d: number, where: string): Float64Array {
  if (out === undefined) return new Float64Array(d);
  if (!(out instanceof Float64Array) || out.length !== d) throw new DescentError('SHAPE_MISMATCH', where, `out must be a Float64Array of length ${d}, got ${describeValue(out)}`);
  return out;
}

/** Bernstein weights C(K,k) t^k (1 − t)^(K−k), k = 0..K. @internal */
export function bezierWeights(K: number, t: number, out: Float64Array): Float64Array {
  let c = 1;
  for (let k = 0; k <= K; k++) {
    out[k] = c * t ** k * (1 - t) ** (K - k);
    c = (c * (K - k)) / (k + 1);
  }
  return out;
}

/** Hat-function weights max(0, 1 − |tK − k|) of a polychain. @internal */
export function polychainWeights(K: number, t: number, out: Float64Array): Float64Array {
  for (let k = 0; k <= K; k++) out[k] = Math.max(0, 1 - Math.abs(t * K - k));
  return out;
}

function combine(ctrl: readonly Float64Array[], w: Float64Array, out: Float64Array): Float64Array {
  out.fill(0);
  for (let k = 0; k < ctrl.length; k++) {
    const wk = w[k]!;
    if (wk === 0) continue;
    const c = ctrl[k]!;
    for (let i = 0; i < out.length; i++) out[i]! += wk * c[i]!;
  }
  return out;
}

/**
 * A Bézier curve through control points w_0..w_K at t ∈ [0, 1]: Σ_k C(K,k) t^k (1−t)^(K−k) w_k
 * (Garipov et al. 2018). Three points give the quadratic (1−t)²a + 2t(1−t)w + t²b.
 *
 * @example
 * ```ts
 * bezier([new Float64Array([0]), new Float64Array([1]), new Float64Array([0])], 0.5)[0];
 * // 0.5
 * ```
 */
export function bezier(ctrl: readonly Float64Array[], t: number, out?: Float64Array): Float64Array {
  const d = checkCtrl(ctrl, 'bezier');
  checkT(t, 'bezier');
  const o = checkOut(out, d, 'bezier');
  return combine(ctrl, bezierWeights(ctrl.length - 1, t, new Float64Array(ctrl.length)), o);
}

/**
 * A polygonal chain through control points w_0..w_K at t ∈ [0, 1] (the K segments take equal time).
 *
 * @example
 * ```ts
 * polychain([new Float64Array([0]), new Float64Array([2]), new Float64Array([0])], 0.25)[0];
 * // 1
 * ```
 */
export function polychain(ctrl: readonly Float64Array[], t: number, out?: Float64Array): Float64Array {
  const d = checkCtrl(ctrl, 'polychain');
  checkT(t, 'polychain');
  const o = checkOut(out, d, 'polychain');
  return combine(ctrl, polychainWeights(ctrl.length - 1, t, new Float64Array(ctrl.length)), o);
}

/**
 * The step contract (DESIGN.md), declared locally: this package may depend only on @descent/linalg.
 *
 * @example
 * ```ts
 * const m: StepMethod<CurveCfg, CurveState, { grad: Float64Array }> = curveFit;
 * m.name;
 * // 'curveFit'
 * ```
 */
export interface StepMethod<Cfg, State, Obs> {
  readonly name: string;
  readonly observes: 'grad' | 'valueAndGrad';
  init(cfg: Cfg, x0: Float64Array, key?: Key): State;
  step(state: State, obs: Obs): State;
  stepInto?(state: State, obs: Obs, out: State): State;
}

/**
 * Configuration of {@link curveFit}.
 *
 * @example
 * ```ts
 * const cfg: CurveCfg = { a: new Float64Array([0]), b: new Float64Array([1]), bends: 4, curve: 'polychain' };
 * curveFit.init(cfg, new Float64Array(0), key(0)).x.length;
 * // 2
 * ```
 */
export interface CurveCfg {
  /** Fixed end w_0. */
  readonly a: Float64Array;
  /** Fixed end w_K. */
  readonly b: Float64Array;
  /** Number of control points K + 1 (≥ 3; default 3 = quadratic Bézier / one-bend polychain). */
  readonly bends?: number;
  readonly curve?: 'bezier' | 'polychain';
  /** Inner optimizer over the free control points (our own small loop; default Adam, lr 1e−2). */
  readonly optimizer?: { kind: 'adam' | 'sgd'; lr?: number; beta1?: number; beta2?: number; eps?: number; momentum?: number };
}

/**
 * State of {@link curveFit}: plain data.
 *
 * @example
 * ```ts
 * curveFit.init({ a: new Float64Array([0]), b: new Float64Array([1]) }, new Float64Array(0), key(0)).t;
 * // 0
 * ```
 */
export interface CurveState {
  /** Free control points w_1..w_{K−1}, concatenated. */
  readonly x: Float64Array;
  /** φ(t) at the drawn t: where the next gradient must be taken. */
  readonly query: Float64Array;
  /** The curve parameter of `query`. */
  readonly tCurve: number;
  readonly t: number;
  readonly key: Key;
  /** Adam first and second moments (or SGD momentum in m). */
  readonly m: Float64Array;
  readonly v: Float64Array;
  readonly cfg: Required<Pick<CurveCfg, 'bends' | 'curve'>> & { a: Float64Array; b: Float64Array; lr: number; beta1: number; beta2: number; eps: number; momentum: number; kind: 'adam' | 'sgd' };
}

function curveWeights(s: CurveState['cfg'], t: number, w: Float64Array): Float64Array {
  return s.curve === 'bezier' ? bezierWeights(s.bends - 1, t, w) : polychainWeights(s.bends - 1, t, w);
}

function queryAt(cfg: CurveState['cfg'], x: Float64Array, t: number, out: Float64Array): Float64Array {
  const D = cfg.a.length;
  const w = curveWeights(cfg, t, new Float64Array(cfg.bends));
  const K = cfg.bends - 1;
  for (let i = 0; i < D; i++) {
    let v = w[0]! * cfg.a[i]! + w[K]! * cfg.b[i]!;
    for (let k = 1; k < K; k++) v += w[k]! * x[(k - 1) * D + i]!;
    out[i] = v;
  }
  return out;
}

/**
 * Fits a mode-connecting curve (Garipov et al. 2018) between fixed ends a and b as an ask/tell method:
 * `state.query = φ(t)` with t ~ U[0, 1] drawn from the key in the state; `step(state, { grad })` takes
 * ∇L(φ(t)), forms grad_{w_k} = b_k(t)·∇L for the free control points and updates them with a small
 * built-in Adam or SGD loop (this package may not depend on @descent/optimizers). `init(cfg, x0)`: x0
 * holds the free control points, or is empty for the straight-line init w_k = (k/K)b + (1 − k/K)a.
 *
 * @example
 * ```ts
 * const a = new Float64Array([-1, 0]), b = new Float64Array([1, 0]);
 * let s = curveFit.init({ a, b }, new Float64Array(0), key(0));
 * s.x.length;
 * // 2
 * ```
 */
export const curveFit: StepMethod<CurveCfg, CurveState, { value?: number; grad: Float64Array }> = {
  name: 'curveFit',
  observes: 'grad',
  init(cfg: CurveCfg, x0: Float64Array, k?: Key): CurveState {
    const where = 'curveFit.init';
    assertKnownKeys(cfg, configKeys<CurveCfg>()('a', 'b', 'bends', 'curve', 'optimizer'), where);
    if (cfg.optimizer !== undefined) assertKnownKeys(cfg.optimizer, ['kind', 'lr', 'beta1', 'beta2', 'eps', 'momentum'], where, 'optimizer');
    if (!(cfg.a instanceof Float64Array) || !(cfg.b instanceof Float64Array)) throw new DescentError('INVALID_CONFIG', where, 'a and b must be Float64Arrays');
    if (cfg.a.length !== cfg.b.length) throw new DescentError('SHAPE_MISMATCH', where, `a has ${cfg.a.length} entries, b has ${cfg.b.length}`);
    const bends = cfg.bends ?? 3;
    if (!Number.isInteger(bends) || bends < 3) throw new DescentError('INVALID_CONFIG', where, `bends must be an integer ≥ 3, got ${String(bends)}`);
    const curve = cfg.curve ?? 'bezier';
    if (curve !== 'bezier' && curve !== 'polychain') throw new DescentError('INVALID_CONFIG', where, `curve must be bezier or polychain, got ${String(curve)}`);
    const opt = cfg.optimizer ?? { kind: 'adam' };
    const full: CurveState['cfg'] = {
      a: cfg.a.slice(),
      b: cfg.b.slice(),
      bends,
      curve,
      kind: opt.kind,
      lr: opt.lr ?? 1e-2,
      beta1: opt.beta1 ?? 0.9,
      beta2: opt.beta2 ?? 0.999,
      eps: opt.eps ?? 1e-8,
      momentum: opt.momentum ?? 0,
    };
    if (!validOptimizer(full)) {
      throw new DescentError('INVALID_CONFIG', where, 'optimizer: need finite lr > 0, 0 ≤ beta1, beta2, momentum < 1, finite eps > 0');
    }
    if (opt.kind !== 'adam' && opt.kind !== 'sgd') throw new DescentError('INVALID_CONFIG', where, `optimizer.kind must be adam or sgd, got ${describeValue(opt.kind)}`);
    for (let i = 0; i < cfg.a.length; i++) {
      if (cfg.a[i]! - cfg.a[i]! !== 0 || cfg.b[i]! - cfg.b[i]! !== 0) throw new DescentError('NON_FINITE', where, `a[${i}] = ${cfg.a[i]}, b[${i}] = ${cfg.b[i]}: the ends must be finite`);
    }
    const D = cfg.a.length;
    const K = bends - 1;
    assertAllocation((K - 1) * D, where, 'bends × the dimension');
    if (!(x0 instanceof Float64Array)) throw new DescentError('SHAPE_MISMATCH', where, `x0 must be a Float64Array, got ${describeValue(x0)}`);
    let x: Float64Array;
    if (x0.length === 0) {
      x = new Float64Array((K - 1) * D);
      for (let j = 1; j < K; j++) for (let i = 0; i < D; i++) x[(j - 1) * D + i] = (j / K) * cfg.b[i]! + (1 - j / K) * cfg.a[i]!;
    } else {
      if (x0.length !== (K - 1) * D) throw new DescentError('SHAPE_MISMATCH', where, `x0 must hold ${K - 1} control points of length ${D}`);
      for (let i = 0; i < x0.length; i++) if (x0[i]! - x0[i]! !== 0) throw new DescentError('NON_FINITE', where, `x0[${i}] is ${x0[i]}`);
      x = x0.slice();
    }
    if (k === undefined) throw new DescentError('INVALID_CONFIG', where, 'a key is required (t is drawn from it)');
    checkKey(k, where, 'key');
    const [k1, k2] = split(k);
    const t = uniform(k1!, 1)[0]!;
    return { x, query: queryAt(full, x, t, new Float64Array(D)), tCurve: t, t: 0, key: k2!, m: new Float64Array(x.length), v: new Float64Array(x.length), cfg: full };
  },
  step(s: CurveState, obs: { grad: Float64Array }): CurveState {
    const where = 'curveFit.step';
    checkCurveState(s, where);
    const g = checkGrad(s, obs, where);
    return advance(s, g, {
      ...s,
      x: new Float64Array(s.x.length),
      query: new Float64Array(s.query.length),
      m: new Float64Array(s.m.length),
      v: new Float64Array(s.v.length),
    });
  },
  stepInto(s: CurveState, obs: { grad: Float64Array }, out: CurveState): CurveState {
    const where = 'curveFit.stepInto';
    checkCurveState(s, where);
    const g = checkGrad(s, obs, where);
    checkCurveOut(s, out, g, where);
    return advance(s, g, out);
  },
};

const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

function validOptimizer(c: { lr: unknown; beta1: unknown; beta2: unknown; eps: unknown; momentum: unknown }): boolean {
  const unit = (v: unknown) => isNum(v) && v >= 0 && v < 1;
  return isNum(c.lr) && c.lr > 0 && unit(c.beta1) && unit(c.beta2) && isNum(c.eps) && c.eps > 0 && unit(c.momentum);
}

/** `INVALID_CONFIG` unless `k` is a PRNG key: two integers in [0, 2^32). */
function checkKey(k: unknown, where: string, what: string): void {
  const word = (v: unknown) => typeof v === 'number' && Number.isInteger(v) && v >= 0 && v < 2 ** 32;
  if (!Array.isArray(k) || k.length !== 2 || !word(k[0]) || !word(k[1])) {
    throw new DescentError('INVALID_CONFIG', where, `${what} must be a PRNG key made by key(seed), got ${describeValue(k)}`);
  }
}

function buffer(v: unknown, n: number, where: string, what: string): void {
  if (!(v instanceof Float64Array) || v.length !== n) {
    throw new DescentError('SHAPE_MISMATCH', where, `${what} must be a Float64Array of length ${n}, got ${describeValue(v)}${v instanceof Float64Array ? ` of length ${v.length}` : ''}`);
  }
}

// A state handed back by a caller (built, edited or parsed) is checked field by field before step
// reads it: its configuration as init checks it, buffers of the lengths the configuration implies.
function checkCurveState(s: CurveState, where: string): void {
  if (s === null || typeof s !== 'object') throw new DescentError('SHAPE_MISMATCH', where, `the state must be a curveFit state, got ${describeValue(s)}`);
  const c = s.cfg;
  if (c === null || typeof c !== 'object') throw new DescentError('INVALID_STATE', where, `state.cfg must be an object, got ${describeValue(c)}`);
  if (!(c.a instanceof Float64Array)) throw new DescentError('SHAPE_MISMATCH', where, `state.cfg.a must be a Float64Array, got ${describeValue(c.a)}`);
  const D = c.a.length;
  buffer(c.b, D, where, 'state.cfg.b');
  if (typeof c.bends !== 'number' || !Number.isSafeInteger(c.bends) || c.bends < 3) throw new DescentError('INVALID_STATE', where, `state.cfg.bends must be an integer ≥ 3, got ${describeValue(c.bends)}`);
  if (c.curve !== 'bezier' && c.curve !== 'polychain') throw new DescentError('INVALID_STATE', where, `state.cfg.curve must be bezier or polychain, got ${describeValue(c.curve)}`);
  if (c.kind !== 'adam' && c.kind !== 'sgd') throw new DescentError('INVALID_STATE', where, `state.cfg.kind must be adam or sgd, got ${describeValue(c.kind)}`);
  if (!validOptimizer(c)) throw new DescentError('INVALID_STATE', where, 'state.cfg: need finite lr > 0, 0 ≤ beta1, beta2, momentum < 1, finite eps > 0');
  const n = (c.bends - 2) * D;
  buffer(s.x, n, where, 'state.x');
  buffer(s.m, n, where, 'state.m');
  buffer(s.v, n, where, 'state.v');
  buffer(s.query, D, where, 'state.query');
  if (typeof s.t !== 'number' || !Number.isSafeInteger(s.t) || s.t < 0) throw new DescentError('INVALID_STATE', where, `state.t must be a step count, got ${describeValue(s.t)}`);
  if (typeof s.tCurve !== 'number' || !(s.tCurve >= 0 && s.tCurve <= 1)) throw new DescentError('INVALID_STATE', where, `state.tCurve must be in [0, 1], got ${describeValue(s.tCurve)}`);
  checkKey(s.key, where, 'state.key');
}

function checkGrad(s: CurveState, obs: { grad: Float64Array }, where: string): Float64Array {
  const D = s.cfg.a.length;
  if (obs === null || typeof obs !== 'object') throw new DescentError('SHAPE_MISMATCH', where, `the observation must be { grad }, got ${describeValue(obs)}`);
  const g = obs.grad;
  if (!(g instanceof Float64Array) || g.length !== D) throw new DescentError('SHAPE_MISMATCH', where, `grad must be a Float64Array of ${D} entries, got ${describeValue(g)}`);
  for (let i = 0; i < D; i++) if (g[i]! - g[i]! !== 0) throw new DescentError('NON_FINITE', where, `grad[${i}] is ${g[i]}`);
  return g;
}

// out's buffers must have the state's lengths and share no memory with what the step reads or
// with each other, so nothing is written past a buffer or over an input still to be read.
function checkCurveOut(s: CurveState, out: CurveState, g: Float64Array, where: string): void {
  if (out === s) throw new DescentError('INVALID_CONFIG', where, 'out must not be the state');
  if (out === null || typeof out !== 'object') throw new DescentError('SHAPE_MISMATCH', where, `out must be a curveFit state, got ${describeValue(out)}`);
  const names = ['x', 'query', 'm', 'v'] as const;
  for (const k of names) buffer(out[k], s[k].length, where, `out.${k}`);
  const reads: Float64Array[] = [s.x, s.query, s.m, s.v, g, s.cfg.a, s.cfg.b];
  const overlap = (a: Float64Array, b: Float64Array) =>
    a.byteLength > 0 && b.byteLength > 0 && a.buffer === b.buffer && a.byteOffset < b.byteOffset + b.byteLength && b.byteOffset < a.byteOffset + a.byteLength;
  names.forEach((k, i) => {
    for (const r of reads) if (overlap(out[k], r)) throw new DescentError('INVALID_CONFIG', where, `out.${k} shares memory with the state or the gradient`);
    for (let j = 0; j < i; j++) if (overlap(out[k], out[names[j]!])) throw new DescentError('INVALID_CONFIG', where, `out.${k} shares memory with out.${names[j]}`);
  });
}

function advance(s: CurveState, g: Float64Array, out: CurveState): CurveState {
  const D = s.cfg.a.length;
  const c = s.cfg;
  const K = c.bends - 1;
  const w = curveWeights(c, s.tCurve, new Float64Array(c.bends));
  const t1 = s.t + 1;
  const x = out.x;
  const m = out.m;
  const v = out.v;
  for (let k = 1; k < K; k++) {
    const wk = w[k]!;
    for (let i = 0; i < D; i++) {
      const q = (k - 1) * D + i;
      const gi = wk * g[i]!;
      if (c.kind === 'adam') {
        const mi = c.beta1 * s.m[q]! + (1 - c.beta1) * gi;
        const vi = c.beta2 * s.v[q]! + (1 - c.beta2) * gi * gi;
        m[q] = mi;
        v[q] = vi;
        x[q] = s.x[q]! - (c.lr * (mi / (1 - c.beta1 ** t1))) / (Math.sqrt(vi / (1 - c.beta2 ** t1)) + c.eps);
      } else {
        const mi = c.momentum * s.m[q]! + gi;
        m[q] = mi;
        v[q] = 0;
        x[q] = s.x[q]! - c.lr * mi;
      }
    }
  }
  // Moments that overflow (a gradient near 1e154 squared) would freeze or corrupt the fit silently.
  for (let q = 0; q < x.length; q++) {
    if (x[q]! - x[q]! !== 0 || v[q]! - v[q]! !== 0) throw new DescentError('NON_FINITE', 'curveFit.step', `control point entry ${q} (or its second moment) overflows: scale the loss down`);
  }
  const [k1, k2] = split(s.key);
  const t = uniform(k1!, 1)[0]!;
  queryAt(c, x, t, out.query);
  return { x, query: out.query, tCurve: t, t: t1, key: k2!, m, v, cfg: c };
}

/**
 * The control points (a, w_1..w_{K−1}, b) of a fitted curve state, ready for {@link bezier} or {@link polychain}.
 *
 * @example
 * ```ts
 * const s = curveFit.init({ a: new Float64Array([0]), b: new Float64Array([2]) }, new Float64Array(0), key(1));
 * curveControlPoints(s).map((p) => p[0]);
 * // [0, 1, 2]
 * ```
 */
export function curveControlPoints(s: CurveState): Float64Array[] {
  const where = 'curveControlPoints';
  if (s === null || typeof s !== 'object' || s.cfg === null || typeof s.cfg !== 'object') throw new DescentError('INVALID_CONFIG', where, `s must be a curveFit state, got ${describeValue(s)}`);
  const { a, b, bends } = s.cfg;
  if (!(a instanceof Float64Array) || !(b instanceof Float64Array) || a.length !== b.length) throw new DescentError('SHAPE_MISMATCH', where, 's.cfg.a and s.cfg.b must be Float64Arrays of one length');
  if (typeof bends !== 'number' || !Number.isSafeInteger(bends) || bends < 3) throw new DescentError('INVALID_CONFIG', where, `s.cfg.bends must be an integer ≥ 3, got ${describeValue(bends)}`);
  if (!(s.x instanceof Float64Array) || s.x.length !== (bends - 2) * a.length) throw new DescentError('SHAPE_MISMATCH', where, `s.x must be a Float64Array of ${bends - 2} control points of length ${a.length}`);
  const D = s.cfg.a.length;
  const out = [s.cfg.a.slice()];
  for (let k = 1; k < s.cfg.bends - 1; k++) out.push(s.x.slice((k - 1) * D, k * D));
  out.push(s.cfg.b.slice());
  return out;
}

