import { assertKnownKeys, assertMatrix, assertShape, configKeys, DescentError, foldIn, gemmInto, placeBlocks, polarInto, randomizedSvd, randomizedSvdInto, singularValueMapInto, type Key, type Layout, type Matrix } from '@descent/linalg';
import type { FirstOrderMethod, MethodState } from './method.js';
import type { Transform } from './transform.js';
import { baseStateField, checkInto, checkState } from './internal/state-check.js';
import { checkGrad, checkOut, checkX0, choice, flag, nonNegative, nonNegativeInteger, param, positive, positiveInteger } from './internal/checks.js';
import { matrixShape } from './internal/matrix-momentum.js';
import { resolveMatrixBlocks } from './internal/blocks.js';
import { normalizeByPowerOfTwo } from './internal/normalize.js';
import { Scratch } from './internal/matrix-momentum.js';
import { ShapeWorkspaces } from './internal/workspaces.js';
import type { Mutable } from './internal/mutable.js';

/** Options of EGD's preconditioner (spec §2(b)). */
export interface EgdOptions {
  /**
   * `'pinv'` (default): exact (GGᵀ)^{+1/2}·G = U_r·V_rᵀ with a true pseudo-inverse (σ > rcond·σ₀), so
   * null directions map to 0. `'clamp'`: the reference scripts' U·diag(1/max(σ, c))·Uᵀ·G, i.e. singular
   * values min(1, σ/c). `'rsvd'`: randomized rank-k version Û·diag(1/max(S, c))·Ûᵀ·G (top-k left
   * subspace; needs a key). `'colnorm'`: the column-normalisation ablation G[:, j]/max(‖G[:, j]‖₂, floor).
   */
  readonly variant?: 'pinv' | 'clamp' | 'rsvd' | 'colnorm';
  /** 'pinv': relative rank tolerance. Default max(m, n)·2⁻⁵². */
  readonly rcond?: number;
  /** 'clamp' and 'rsvd': the singular-value clamp c. Default 1e-6 (JAX scripts; the torch script uses 1e-9). */
  readonly clamp?: number;
  /** 'rsvd': rank k (capped at min(m, n)). Default 36 (the transformer run). */
  readonly rank?: number;
  /** 'rsvd': power iterations. Default 2. */
  readonly powerIterations?: number;
  /** 'colnorm': the norm floor. Default 0.01. */
  readonly columnFloor?: number;
}

const EGD_OPTION_KEYS = configKeys<EgdOptions>()('variant', 'rcond', 'clamp', 'rank', 'powerIterations', 'columnFloor');

interface ResolvedEgd {
  readonly variant: 'pinv' | 'clamp' | 'rsvd' | 'colnorm';
  readonly rcond: number | undefined;
  readonly clamp: number;
  readonly rank: number;
  readonly powerIterations: number;
  readonly columnFloor: number;
}

const isKey = (k: unknown): boolean => Array.isArray(k) && k.length === 2 && k.every((w) => typeof w === 'number' && Number.isInteger(w) && w >= 0 && w < 2 ** 32);

function resolveEgd(where: string, o: EgdOptions): ResolvedEgd {
  return {
    variant: choice(where, 'variant', o.variant, 'pinv', ['pinv', 'clamp', 'rsvd', 'colnorm']),
    rcond: o.rcond === undefined ? undefined : param(where, 'rcond', o.rcond, 0, nonNegative, 'non-negative'),
    clamp: param(where, 'clamp', o.clamp, 1e-6, positive, 'positive'),
    rank: param(where, 'rank', o.rank, 36, positiveInteger, 'a positive integer'),
    powerIterations: param(where, 'powerIterations', o.powerIterations, 2, (v) => nonNegativeInteger(v) && v <= 1000, 'an integer in [0, 1000]'),
    columnFloor: param(where, 'columnFloor', o.columnFloor, 0.01, positive, 'positive'),
  };
}

/** U·diag(w)·Vᵀ for thin factors u (m×k) and v (n×k), written into out (m×n). */
function egdResolved(g0: Matrix, out: Matrix, o: ResolvedEgd, rngKey: Key | undefined, ws?: ShapeWorkspaces): Matrix {
  const { rows: m, cols: n } = g0;
  const d = out.data;
  if (o.variant === 'colnorm') return columnNormalize(g0, out, o.columnFloor);
  // linalg's SVD and polar factor work at unit scale themselves (exact power-of-two prescaling).
  if (o.variant === 'pinv') {
    return polarInto(g0, out, {
      check: false,
      ...(o.rcond !== undefined ? { rcond: o.rcond } : {}),
      ...(ws !== undefined ? { workspace: ws.polar(m, n) } : {}),
    });
  }
  if (o.variant === 'clamp') {
    // U·diag(σ/max(σ, c))·Vᵀ: singular values min(1, σ/c).
    const c = o.clamp;
    return singularValueMapInto(g0, out, (sv) => sv / Math.max(sv, c), { check: false, ...(ws !== undefined ? { workspace: ws.polar(m, n) } : {}) });
  }
  // The randomized sketch's products (G·Ω, power iterations) are not scale-safe: work at unit scale;
  // σ(G) = σ(G')·2^e.
  const scaled = ws !== undefined ? ws.first.get(m * n) : new Float64Array(m * n);
  const e = normalizeByPowerOfTwo(g0.data, scaled);
  const g: Matrix = { rows: m, cols: n, data: scaled };
  const unit = 2 ** e;
  if (rngKey === undefined) throw new DescentError('INVALID_CONFIG', 'egd', "variant 'rsvd' needs a PRNG key");
  const k = Math.min(o.rank, m, n);
  const f = ws !== undefined
    ? randomizedSvdInto(g, k, rngKey, { powerIterations: o.powerIterations, workspace: ws.randomizedSvd(m, n, k) })
    : randomizedSvd(g, k, rngKey, { powerIterations: o.powerIterations });
  // Û·diag(1/max(S, c))·(Ûᵀ·G), as the reference code.
  const utg = gemmInto(f.u, g, { rows: k, cols: n, data: ws !== undefined ? ws.second.get(k * n) : new Float64Array(k * n) }, { transA: true }); // k×n
  d.fill(0);
  for (let i = 0; i < m; i++) {
    const row = i * n;
    for (let r = 0; r < k; r++) {
      // Û·diag(1/max(S, c))·Ûᵀ·G with S and G both at unit scale: the 2^e factors cancel as below.
      const c = (f.u.data[i * k + r]! * unit) / Math.max(f.s[r]! * unit, o.clamp);
      if (c === 0) continue;
      for (let j = 0; j < n; j++) d[row + j] += c * utg.data[r * n + j]!;
    }
  }
  return out;
}

function columnNormalize(g: Matrix, out: Matrix, floor: number): Matrix {
  const { rows: m, cols: n } = g;
  const src = g.data, d = out.data;
  for (let j = 0; j < n; j++) {
    let s = 0;
    for (let i = 0; i < m; i++) s += src[i * n + j]! * src[i * n + j]!;
    const c = 1 / Math.max(Math.sqrt(s), floor);
    for (let i = 0; i < m; i++) d[i * n + j] = src[i * n + j]! * c;
  }
  return out;
}

/**
 * EGD's preconditioned gradient of one matrix (spec §2(b)), written into `out` (same shape, must not
 * alias `g`). With the default `'pinv'` variant the result is the polar factor U_r·V_rᵀ: every
 * nonzero singular value becomes 1, singular vectors unchanged.
 *
 * @example
 * ```ts
 * import { egdDirectionInto } from '@descent/optimizers';
 * const g = { rows: 1, cols: 2, data: new Float64Array([3, 4]) };
 * Array.from(egdDirectionInto(g, { rows: 1, cols: 2, data: new Float64Array(2) }).data, (v) => +v.toFixed(12));
 * // [0.6, 0.8]
 * ```
 */
export function egdDirectionInto(g: Matrix, out: Matrix, options: EgdOptions = {}, rngKey?: Key): Matrix {
  const where = 'egdDirectionInto';
  assertKnownKeys(options, EGD_OPTION_KEYS, where, 'options');
  const o = resolveEgd(where, options);
  assertMatrix(g, where, 'G');
  assertShape(out, g.rows, g.cols, where, 'out');
  if (out.data === g.data) throw new DescentError('SHAPE_MISMATCH', where, 'out must not alias G');
  if (rngKey !== undefined && !isKey(rngKey)) throw new DescentError('INVALID_CONFIG', where, 'rngKey must be a PRNG key made by key(seed)');
  return egdResolved(g, out, o, rngKey);
}

/** State of {@link scaleByEgd} for one block. */
export interface EgdBlockState {
  readonly rows: number;
  readonly cols: number;
  /** PRNG key of the block ('rsvd'; folded with the step count each step), or null. */
  readonly key: Key | null;
  readonly count: number;
}

/**
 * EGD's preconditioner as a transform for 2-D blocks (chain a base transform after it, e.g.
 * `chain(scaleByEgd(), scaleByLearningRate(η))` is the paper's SGD-EGD on that block).
 *
 * @example
 * ```ts
 * import { scaleByEgd, applyTransform } from '@descent/optimizers';
 * const t = scaleByEgd({ variant: 'colnorm' });
 * Array.from(applyTransform(t, new Float64Array([3, 0, 4, 0.001]), t.init(new Float64Array(4), [2, 2]), new Float64Array(4)).update, (v) => +v.toFixed(12));
 * // [0.6, 0, 0.8, 0.1]
 * ```
 */
export function scaleByEgd(options: EgdOptions = {}): Transform<EgdBlockState> {
  assertKnownKeys(options, EGD_OPTION_KEYS, 'scaleByEgd', 'options');
  const o = resolveEgd('scaleByEgd', options);
  const workspaces = new ShapeWorkspaces();
  const copy = new Scratch();
  return {
    name: 'scaleByEgd',
    init(x0, shape, key) {
      const [rows, cols] = matrixShape('egd', shape);
      if (o.variant === 'rsvd' && key === undefined) throw new DescentError('INVALID_CONFIG', 'scaleByEgd', "variant 'rsvd' needs a PRNG key at init");
      return { rows, cols, key: key ?? null, count: 0 };
    },
    updateInto(g, state, _x, u, out) {
      const { rows, cols } = state;
      const k = state.key === null ? undefined : foldIn(state.key, state.count);
      let src = g;
      if (u === g) {
        src = copy.get(g.length);
        src.set(g);
      }
      egdResolved({ rows, cols, data: src }, { rows, cols, data: u }, o, k, workspaces);
      const w = out as Mutable<EgdBlockState>;
      w.rows = rows;
      w.cols = cols;
      w.key = state.key;
      w.count = state.count + 1;
      return out;
    },
  };
}

/** Config of a method made by {@link egd}. */
export interface EgdConfig<BaseCfg> extends EgdOptions {
  /** The base optimizer's config. */
  readonly base: BaseCfg;
  /** The parameter layout. */
  readonly layout: Layout;
  /** Blocks to precondition. Default: every block with ≥ 2 dimensions (viewed as out × rest); a vector is a SHAPE_MISMATCH. */
  readonly matrixBlocks?: readonly string[];
  /** Check every gradient for finiteness (O(n)). Default true. */
  readonly check?: boolean;
}

/** The plain EGD settings kept in an {@link EgdState}. */
const EGD_KEYS = configKeys<EgdConfig<unknown>>()('variant', 'rcond', 'clamp', 'rank', 'powerIterations', 'columnFloor', 'base', 'layout', 'matrixBlocks', 'check');

export interface EgdResolvedConfig extends ResolvedEgd {
  readonly layout: Layout;
  readonly matrixBlocks: readonly string[];
}

/** State of an {@link egd} method: the base method's state, the key ('rsvd') and the settings. */
export interface EgdState<BaseState> extends MethodState {
  readonly base: BaseState;
  readonly key: Key | null;
  readonly config: EgdResolvedConfig;
  readonly check: boolean;
}

/**
 * Egalitarian Gradient Descent (Pasand & Dohmatob, arXiv 2510.04930; spec §2) over any first-order
 * base method: each selected matrix block of the gradient is replaced by its polar factor (or a variant:
 * clamp, randomized rank-k, column normalisation) and the result is handed to the base method, so
 * `egd(sgd)` is the paper's main setting and `egd(adam)` its Grokfast comparison. Other blocks pass
 * through unchanged. 'rsvd' draws its sketches from the key given to `init` (folded with the step and
 * block index). The reference scripts' switch back to plain SGD after 95% test accuracy is a training
 * policy, left to the caller.
 *
 * @example
 * ```ts
 * import { egd, sgd } from '@descent/optimizers';
 * const m = egd(sgd);
 * const s0 = m.init({ base: { lr: 0.5 }, layout: [{ name: 'W', shape: [1, 2] }] }, new Float64Array(2));
 * Array.from(m.step(s0, new Float64Array([30, 40])).x, (v) => +v.toFixed(12));
 * // [-0.3, -0.4]
 * ```
 */
export function egd<BaseCfg, BaseState extends MethodState>(base: FirstOrderMethod<BaseCfg, BaseState>): FirstOrderMethod<EgdConfig<BaseCfg>, EgdState<BaseState>> {
  if (base === null || typeof base !== 'object' || typeof base.step !== 'function' || base.observes !== 'grad') {
    throw new DescentError('INVALID_CONFIG', 'egd', 'the base must be a first-order method (observes the gradient)');
  }
  const name = `egd(${base.name})`;
  // Held by the method so that stepInto allocates nothing: per-shape SVD workspaces, the
  // preconditioned-gradient buffer and the placed layout.
  const workspaces = new ShapeWorkspaces();
  const gtScratch = new Scratch();
  const placedOf = new WeakMap<Layout, ReturnType<typeof placeBlocks>>();
  const precondition = (s: EgdState<BaseState>, g: Float64Array, reuse: boolean): Float64Array => {
    checkGrad(`${name}.step`, g, s.x.length, s.check);
    const c = s.config;
    let gt: Float64Array;
    if (reuse) {
      gt = gtScratch.get(g.length);
      gt.set(g);
    } else {
      gt = g.slice();
    }
    let placed = placedOf.get(c.layout);
    if (placed === undefined) {
      placed = placeBlocks(c.layout);
      placedOf.set(c.layout, placed);
    }
    for (let b = 0; b < placed.length; b++) {
      const blk = placed[b]!;
      if (!c.matrixBlocks.includes(blk.name)) continue;
      const [rows, cols] = matrixShape('egd', blk.shape);
      const k = s.key === null ? undefined : foldIn(foldIn(s.key, s.t), b);
      egdResolved({ rows, cols, data: g.subarray(blk.offset, blk.offset + blk.size) }, { rows, cols, data: gt.subarray(blk.offset, blk.offset + blk.size) }, c, k, workspaces);
    }
    return gt;
  };
  // Configs this method resolved (init), or checked once when a restored state brought a new one.
  const trusted = new WeakSet<object>();
  const checkEgdState = (where: string, s: EgdState<BaseState>): void => {
    checkState(where, s, { check: 'boolean' });
    checkState(where, s, {
      base: baseStateField(s.x.length),
      key: { test: (k) => k === null || isKey(k), expected: 'null or a PRNG key' },
      config: { test: (c) => c !== null && typeof c === 'object', expected: 'a resolved EGD config' },
    });
    const c = s.config;
    if (trusted.has(c)) return;
    const placed = placeBlocks(c.layout);
    const total = placed.length === 0 ? 0 : placed[placed.length - 1]!.offset + placed[placed.length - 1]!.size;
    if (total !== s.x.length) throw new DescentError('SHAPE_MISMATCH', where, `state.config.layout holds ${total} entries, the parameters have ${s.x.length}`);
    if (!Array.isArray(c.matrixBlocks) || !c.matrixBlocks.every((b) => typeof b === 'string' && placed.some((p) => p.name === b))) {
      throw new DescentError('INVALID_STATE', where, 'state.config.matrixBlocks must name blocks of the layout');
    }
    const r = resolveEgd(where, c);
    if (r.variant === 'rsvd' && s.key === null) throw new DescentError('INVALID_STATE', where, "variant 'rsvd' needs state.key");
    trusted.add(c);
  };
  const wrap = (s: EgdState<BaseState>, next: BaseState, out: Mutable<EgdState<BaseState>>): EgdState<BaseState> => {
    out.base = next;
    out.x = next.x;
    out.query = next.query;
    out.t = s.t + 1;
    out.key = s.key;
    out.config = s.config;
    out.check = s.check;
    return out;
  };
  return {
    name,
    observes: 'grad',
    init(cfg, x0, key) {
      const where = `${name}.init`;
      assertKnownKeys(cfg, EGD_KEYS, where);
      checkX0(where, x0);
      const matrixBlocks = resolveMatrixBlocks('egd', cfg.layout, cfg.matrixBlocks);
      const placed = placeBlocks(cfg.layout);
      const total = placed.length === 0 ? 0 : placed[placed.length - 1]!.offset + placed[placed.length - 1]!.size;
      if (x0.length !== total) throw new DescentError('SHAPE_MISMATCH', where, `x0 has length ${x0.length}, the layout holds ${total}`);
      const resolved = resolveEgd(where, cfg);
      if (resolved.variant === 'rsvd' && key === undefined) throw new DescentError('INVALID_CONFIG', where, "variant 'rsvd' needs a PRNG key: init(cfg, x0, key)");
      const b = base.init(cfg.base, x0, key);
      if (key !== undefined && !isKey(key)) throw new DescentError('INVALID_CONFIG', where, 'key must be a PRNG key made by key(seed)');
      const config = { ...resolved, layout: cfg.layout, matrixBlocks };
      trusted.add(config);
      return { x: b.x, query: b.query, t: 0, base: b, key: key ?? null, config, check: flag(where, 'check', cfg.check, true) };
    },
    step(s, g) {
      checkEgdState(`${name}.step`, s);
      const next = base.step(s.base, precondition(s, g, false));
      return wrap(s, next, { ...s });
    },
    stepInto(s, g, out) {
      checkEgdState(`${name}.stepInto`, s);
      checkState(`${name}.stepInto`, out, {});
      checkOut(`${name}.stepInto`, s, out);
      checkInto(`${name}.stepInto`, s, out);
      // The base's stepInto consumes gt within the call, so the scratch buffer can be reused.
      const gt = precondition(s, g, base.stepInto !== undefined);
      const next = base.stepInto !== undefined ? base.stepInto(s.base, gt, out.base) : base.step(s.base, gt);
      return wrap(s, next, out as Mutable<EgdState<BaseState>>);
    },
  };
}

