import { assertKnownKeys, assertMatrix, assertShape, configKeys, DescentError, MUON_COEFFICIENTS, newtonSchulzInto, polarInto, type Layout, type Matrix } from '@descent/linalg';
import type { FirstOrderMethod } from './method.js';
import { transformMethod, type Transform, type TransformMethodState } from './transform.js';
import { chain } from './chain.js';
import { route } from './route.js';
import { addDecayedWeights } from './weight-decay.js';
import { scaleByLearningRate } from './scale.js';
import { choice, nonNegative, nonNegativeInteger, param } from './internal/checks.js';
import { AUX_ADAMW_KEYS, auxAdamW, resolveAux, type AuxAdamWOptions } from './internal/aux-adamw.js';

export type { AuxAdamWOptions, MomentumStyle };
import { checkMomentumFinite, matrixShape, momentumInto, resolveMomentum, Scratch, type MatrixMomentum, type MomentumStyle } from './internal/matrix-momentum.js';
import { resolveMatrixBlocks } from './internal/blocks.js';
import { ShapeWorkspaces } from './internal/workspaces.js';

/** How Muon turns a matrix into an (approximately) orthogonal one. */
export interface OrthogonalizeOptions {
  /** `'newton-schulz'` (default, Muon's quintic iteration in float64) or `'svd'` (exact polar factor U_r·V_rᵀ). */
  readonly orthogonalizer?: 'newton-schulz' | 'svd';
  /** Newton–Schulz iterations. Default 5. */
  readonly nsSteps?: number;
  /** Newton–Schulz (a, b, c). Default (3.4445, −4.7750, 2.0315). */
  readonly nsCoefficients?: readonly [number, number, number];
  /** Newton–Schulz normalisation X₀ = G/(‖G‖_F + eps). Default 1e-7. */
  readonly nsEps?: number;
  /** SVD: relative rank tolerance (σ > rcond·σ₀ counts). Default max(m, n)·2⁻⁵². */
  readonly rcond?: number;
}

/** Options of {@link scaleByMuon} (and the matrix part of {@link muon}). */
export interface MuonOptions extends OrthogonalizeOptions {
  /** Momentum β. Default 0.95. */
  readonly momentum?: number;
  /**
   * `'ema'` (default; Keller Jordan): b ← βb + (1−β)g. `'sgd'` (torch.optim.Muon): b ← βb + g.
   * `'ema-debiased'` (optax.contrib.muon): the EMA with bias correction, Nesterov
   * U = β·b/(1−β^{t+1}) + (1−β)·g/(1−βᵗ) (this changes the mix of b and g in early steps, not only the scale).
   */
  readonly momentumStyle?: MomentumStyle;
  /** Nesterov: orthogonalise (1−β)g + βb ('ema') or g + βb ('sgd') instead of b. Default true. */
  readonly nesterov?: boolean;
  /**
   * Shape scale of the orthogonalised update O for an A×B block:
   * `'original'` (default) √max(1, A/B) — Keller Jordan / torch, for (out, in) = PyTorch-layout blocks;
   * `'optax'` √max(1, B/A) — optax's √max(1, shape[−1]/shape[−2]), for (in, out) = Flax-layout blocks
   * (both mean √max(1, fan_out/fan_in));
   * `'match-rms-adamw'` 0.2·√max(A, B) — Moonlight's "consistent RMS": RMS(update) = 0.2 like AdamW's.
   */
  readonly scale?: 'original' | 'optax' | 'match-rms-adamw';
}

const ORTHOGONALIZE_KEYS = configKeys<OrthogonalizeOptions>()('orthogonalizer', 'nsSteps', 'nsCoefficients', 'nsEps', 'rcond');
const MUON_OPTION_KEYS = configKeys<MuonOptions>()('orthogonalizer', 'nsSteps', 'nsCoefficients', 'nsEps', 'rcond', 'momentum', 'momentumStyle', 'nesterov', 'scale');
const MUON_KEYS = configKeys<MuonConfig>()('orthogonalizer', 'nsSteps', 'nsCoefficients', 'nsEps', 'rcond', 'momentum', 'momentumStyle', 'nesterov', 'scale', 'layout', 'lr', 'weightDecay', 'matrixBlocks', 'adamw', 'check');

interface ResolvedOrthogonalize {
  readonly orthogonalizer: 'newton-schulz' | 'svd';
  readonly nsSteps: number;
  readonly nsCoefficients: readonly [number, number, number];
  readonly nsEps: number;
  readonly rcond: number | undefined;
}

function resolveOrthogonalize(where: string, o: OrthogonalizeOptions): ResolvedOrthogonalize {
  const coefficients = o.nsCoefficients ?? MUON_COEFFICIENTS;
  if (!Array.isArray(coefficients) || coefficients.length !== 3 || !coefficients.every(Number.isFinite)) {
    throw new DescentError('INVALID_CONFIG', where, 'nsCoefficients must be three finite numbers');
  }
  return {
    orthogonalizer: choice(where, 'orthogonalizer', o.orthogonalizer, 'newton-schulz', ['newton-schulz', 'svd']),
    nsSteps: param(where, 'nsSteps', o.nsSteps, 5, (v) => nonNegativeInteger(v) && v <= 1000, 'an integer in [0, 1000]'),
    nsCoefficients: [coefficients[0]!, coefficients[1]!, coefficients[2]!],
    nsEps: param(where, 'nsEps', o.nsEps, 1e-7, nonNegative, 'non-negative'),
    rcond: o.rcond === undefined ? undefined : param(where, 'rcond', o.rcond, 0, nonNegative, 'non-negative'),
  };
}

/**
 * Muon's orthogonalisation of one matrix, written into `out` (same shape, must not alias `g`):
 * Newton–Schulz NS5 (U·f(S/‖G‖_F)·Vᵀ, singular values in about [0.68, 1.21]) or the exact polar factor
 * U_r·V_rᵀ. Unscaled: the shape scale is applied by {@link scaleByMuon}.
 *
 * @example
 * ```ts
 * import { orthogonalizeInto } from '@descent/optimizers';
 * const g = { rows: 2, cols: 2, data: new Float64Array([2, 0, 0, 0.5]) };
 * Array.from(orthogonalizeInto(g, { rows: 2, cols: 2, data: new Float64Array(4) }, { orthogonalizer: 'svd' }).data);
 * // [1, 0, 0, 1]
 * ```
 */
export function orthogonalizeInto(g: Matrix, out: Matrix, options: OrthogonalizeOptions = {}): Matrix {
  const where = 'orthogonalizeInto';
  assertKnownKeys(options, ORTHOGONALIZE_KEYS, where, 'options');
  const o = resolveOrthogonalize(where, options);
  assertMatrix(g, where, 'G');
  assertShape(out, g.rows, g.cols, where, 'out');
  if (out.data === g.data) throw new DescentError('SHAPE_MISMATCH', where, 'out must not alias G');
  return orthogonalizeResolved(g, out, o);
}

function orthogonalizeResolved(g: Matrix, out: Matrix, o: ResolvedOrthogonalize, ws?: ShapeWorkspaces): Matrix {
  if (o.orthogonalizer === 'svd') {
    // linalg's SVD works at unit scale itself (exact power-of-two prescaling), so tiny, huge and
    // graded gradients need no normalisation here.
    return polarInto(g, out, {
      check: false,
      ...(o.rcond !== undefined ? { rcond: o.rcond } : {}),
      ...(ws !== undefined ? { workspace: ws.polar(g.rows, g.cols) } : {}),
    });
  }
  return newtonSchulzInto(g, out, {
    steps: o.nsSteps,
    coefficients: o.nsCoefficients,
    eps: o.nsEps,
    check: false,
    ...(ws !== undefined ? { workspace: ws.newtonSchulz(g.rows, g.cols) } : {}),
  });
}

/**
 * The shape scale of {@link MuonOptions.scale} for an A×B block.
 *
 * @example
 * ```ts
 * import { muonShapeScale } from '@descent/optimizers';
 * [muonShapeScale('original', 8, 2), muonShapeScale('optax', 8, 2), muonShapeScale('match-rms-adamw', 4, 9)];
 * // [2, 1, 0.6000000000000001]
 * ```
 */
export function muonShapeScale(scale: 'original' | 'optax' | 'match-rms-adamw', rows: number, cols: number): number {
  if (scale === 'original') return Math.sqrt(Math.max(1, rows / cols));
  if (scale === 'optax') return Math.sqrt(Math.max(1, cols / rows));
  return 0.2 * Math.sqrt(Math.max(rows, cols));
}

/** State of {@link scaleByMuon} for one block: its shape and momentum buffer. */
export interface MuonBlockState {
  readonly rows: number;
  readonly cols: number;
  readonly buf: Float64Array;
  /** Steps taken (for the debiased momentum). */
  readonly count: number;
}

/**
 * Muon's direction for a 2-D block as a transform: momentum, orthogonalisation, shape scale
 * (u = scale·orth(U)). Chain it with {@link addDecayedWeights} and {@link scaleByLearningRate} for the
 * full Muon update W ← W·(1 − ηλ) − η·scale·orth(U); {@link muon} does this and routes other blocks to AdamW.
 * Throws `SHAPE_MISMATCH` at `init` on a vector or scalar block (blocks of more than two dimensions
 * are viewed as out × rest).
 *
 * @example
 * ```ts
 * import { scaleByMuon, applyTransform } from '@descent/optimizers';
 * const t = scaleByMuon({ orthogonalizer: 'svd', nesterov: false, momentum: 0 });
 * Array.from(applyTransform(t, new Float64Array([3, 0, 0, 4]), t.init(new Float64Array(4), [2, 2]), new Float64Array(4)).update);
 * // [1, 0, 0, 1]
 * ```
 */
export function scaleByMuon(options: MuonOptions = {}): Transform<MuonBlockState> {
  const where = 'scaleByMuon';
  assertKnownKeys(options, MUON_OPTION_KEYS, where, 'options');
  const m: MatrixMomentum = resolveMomentum(where, options);
  const o = resolveOrthogonalize(where, options);
  const scale = choice(where, 'scale', options.scale, 'original', ['original', 'optax', 'match-rms-adamw']);
  const scratchU = new Scratch();
  const workspaces = new ShapeWorkspaces();
  return {
    name: 'scaleByMuon',
    init(x0, shape) {
      const [rows, cols] = matrixShape('muon', shape);
      if (x0.length !== rows * cols) throw new DescentError('SHAPE_MISMATCH', where, `block has ${x0.length} entries, shape ${rows}×${cols}`);
      return { rows, cols, buf: new Float64Array(rows * cols), count: 0 };
    },
    updateInto(g, state, _x, u, out) {
      const { rows, cols } = state;
      const U = scratchU.get(rows * cols);
      momentumInto(m, g, state.buf, out.buf, U, state.count + 1);
      checkMomentumFinite('muon.step', U);
      orthogonalizeResolved({ rows, cols, data: U }, { rows, cols, data: u }, o, workspaces);
      const c = muonShapeScale(scale, rows, cols);
      if (c !== 1) for (let i = 0; i < u.length; i++) u[i] = c * u[i]!;
      (out as { rows: number }).rows = rows;
      (out as { cols: number }).cols = cols;
      (out as { count: number }).count = state.count + 1;
      return out;
    },
  };
}

/** Config of {@link muon}. */
export interface MuonConfig extends MuonOptions {
  /** The parameter layout: which blocks are matrices. */
  readonly layout: Layout;
  /** Muon learning rate η. Default 0.02 (Keller Jordan). */
  readonly lr?: number;
  /** Decoupled weight decay λ of the Muon blocks: W ← W·(1 − ηλ) − η·O. Default 0. */
  readonly weightDecay?: number;
  /**
   * Names of the blocks Muon updates. Default: every block with 2 or more dimensions (a convolution
   * [out, in, kh, kw] is viewed as out × in·kh·kw, as Muon does). Naming a vector or scalar block is a
   * `SHAPE_MISMATCH`.
   */
  readonly matrixBlocks?: readonly string[];
  /** AdamW for the other blocks. Default lr 3e-4, betas (0.9, 0.95), eps 1e-10, weight decay 0 (muon.py). */
  readonly adamw?: AuxAdamWOptions;
  /** Check every gradient for finiteness (O(n)). Default true. */
  readonly check?: boolean;
}

/** The plain config kept in a {@link muon} state. */
export interface MuonResolvedConfig {
  readonly layout: Layout;
  readonly matrixBlocks: readonly string[];
  readonly lr: number;
  readonly weightDecay: number;
  readonly muon: MuonOptions;
  readonly adamw: Required<AuxAdamWOptions>;
}

/** State of {@link muon}. */
export type MuonState = TransformMethodState<unknown, MuonResolvedConfig>;

/**
 * Muon (Keller Jordan; spec §4.1): for each matrix block, momentum (EMA or SGD convention, Nesterov),
 * orthogonalisation (Newton–Schulz or exact SVD), shape scale (original / optax / match-RMS-AdamW),
 * decoupled weight decay; AdamW for every other block, in one method routed by the layout.
 * All in float64 (the reference runs Newton–Schulz in bfloat16).
 *
 * @example
 * ```ts
 * import { muon } from '@descent/optimizers';
 * const layout = [{ name: 'W', shape: [2, 2] }, { name: 'b', shape: [2] }];
 * const s0 = muon.init({ layout, lr: 0.1, orthogonalizer: 'svd', nesterov: false }, new Float64Array(6));
 * Array.from(muon.step(s0, new Float64Array([5, 0, 0, 1, 0, 0])).x.subarray(0, 4));
 * // [-0.1, 0, 0, -0.1]
 * ```
 */
export const muon: FirstOrderMethod<MuonConfig, MuonState> = transformMethod<MuonConfig, MuonResolvedConfig>(
  'muon',
  (cfg) => {
    const where = 'muon.init';
    assertKnownKeys(cfg, MUON_KEYS, where);
    assertKnownKeys(cfg.adamw ?? {}, AUX_ADAMW_KEYS, where, 'adamw');
    const matrixBlocks = resolveMatrixBlocks('muon', cfg.layout, cfg.matrixBlocks);
    const { layout: _l, lr: _lr, weightDecay: _wd, matrixBlocks: _mb, adamw: _a, check: _c, ...opts } = cfg;
    // Validate the matrix options now, at the boundary.
    scaleByMuon(opts);
    return {
      layout: cfg.layout,
      matrixBlocks,
      lr: param(where, 'lr', cfg.lr, 0.02, nonNegative, 'a non-negative number'),
      weightDecay: param(where, 'weightDecay', cfg.weightDecay, 0, nonNegative, 'non-negative'),
      muon: opts,
      adamw: resolveAux(where, cfg.adamw, { lr: 3e-4, betas: [0.9, 0.95], eps: 1e-10, weightDecay: 0 }),
    };
  },
  (c) =>
    route(c.layout, (b) => (c.matrixBlocks.includes(b.name) ? 'muon' : 'adamw'), {
      muon: chain(scaleByMuon(c.muon), addDecayedWeights(c.weightDecay), scaleByLearningRate(c.lr)),
      adamw: auxAdamW(c.adamw),
    }),
  (cfg) => cfg?.check,
);
