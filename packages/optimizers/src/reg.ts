import { assertKnownKeys, assertMatrix, assertShape, configKeys, DescentError, racs, racsGongInto, racsInto, type Layout, type Matrix, type RacsOptions } from '@descent/linalg';
import type { FirstOrderMethod } from './method.js';
import { transformMethod, type Transform, type TransformMethodState } from './transform.js';
import { chain } from './chain.js';
import { route } from './route.js';
import { addDecayedWeights } from './weight-decay.js';
import { scaleByLearningRate } from './scale.js';
import { AUX_ADAMW_KEYS, auxAdamW, resolveAux, type AuxAdamWOptions } from './internal/aux-adamw.js';
import { choice, flag, nonNegative, param, positive, positiveInteger, unitInterval } from './internal/checks.js';
import { checkMomentumFinite, matrixShape, momentumInto, resolveMomentum, Scratch, type MatrixMomentum, type MomentumStyle } from './internal/matrix-momentum.js';
import { resolveMatrixBlocks } from './internal/blocks.js';
import { normalizeByPowerOfTwo } from './internal/normalize.js';
import type { Mutable } from './internal/mutable.js';

/** Options of REG's RACS operator (spec §4.2; all variants [RECON]). */
export interface RacsVariantOptions {
  /**
   * `'sinkhorn'` (default, R1): full balancing, every row norm √B and column norm √A.
   * `'oneshot'` (R2): diag(r)^{−1/2}·M·diag(c)^{−1/2} from M's row and column norms.
   * `'gong'` (R3): Gong et al.'s stateful row/column EMA scaling with the norm-growth limiter.
   */
  readonly racs?: 'sinkhorn' | 'oneshot' | 'gong';
  /**
   * 'sinkhorn': iteration count. Default 50: a fixed cost per step, which balances typical (Gaussian)
   * matrices to < 1e-8; matrices with a large spread of magnitudes converge more slowly (the rate is
   * Birkhoff's contraction tanh(Δ/4), Δ the log of the largest cross-ratio of M⊙M).
   */
  readonly sinkhornIterations?: number;
  /**
   * 'sinkhorn': iterate until every row norm² is within this relative tolerance (at most
   * `sinkhornIterations` iterations, then `NOT_CONVERGED`). Default: none (fixed iteration count).
   */
  readonly sinkhornTol?: number;
  /** 'gong': EMA β (0.9), ε (1e-8), growth limit γ (1.01). */
  readonly gongBeta?: number;
  readonly gongEps?: number;
  readonly gongGamma?: number;
}

const RACS_KEYS = configKeys<RacsVariantOptions>()('racs', 'sinkhornIterations', 'sinkhornTol', 'gongBeta', 'gongEps', 'gongGamma');
const REG_OPTION_KEYS = configKeys<RegOptions>()('racs', 'sinkhornIterations', 'sinkhornTol', 'gongBeta', 'gongEps', 'gongGamma', 'momentum', 'momentumStyle', 'nesterov', 'rmsNormalize', 'rms');
const REG_KEYS = configKeys<RegConfig>()('racs', 'sinkhornIterations', 'sinkhornTol', 'gongBeta', 'gongEps', 'gongGamma', 'momentum', 'momentumStyle', 'nesterov', 'rmsNormalize', 'rms', 'layout', 'lr', 'weightDecay', 'matrixBlocks', 'adamw', 'check');

interface ResolvedRacs {
  readonly racs: 'sinkhorn' | 'oneshot' | 'gong';
  readonly sinkhornIterations: number;
  readonly sinkhornTol: number | undefined;
  readonly gongBeta: number;
  readonly gongEps: number;
  readonly gongGamma: number;
}

function resolveRacs(where: string, o: RacsVariantOptions): ResolvedRacs {
  return {
    racs: choice(where, 'racs', o.racs, 'sinkhorn', ['sinkhorn', 'oneshot', 'gong']),
    sinkhornIterations: param(where, 'sinkhornIterations', o.sinkhornIterations, 50, (v) => positiveInteger(v) && v <= 1e6, 'an integer in [1, 1e6]'),
    sinkhornTol: o.sinkhornTol === undefined ? undefined : param(where, 'sinkhornTol', o.sinkhornTol, 0, positive, 'positive'),
    gongBeta: param(where, 'gongBeta', o.gongBeta, 0.9, unitInterval, 'in [0, 1)'),
    gongEps: param(where, 'gongEps', o.gongEps, 1e-8, positive, 'positive'),
    gongGamma: param(where, 'gongGamma', o.gongGamma, 1.01, positive, 'positive'),
  };
}

/**
 * The stateless RACS variants ('sinkhorn', 'oneshot') of one matrix, written into `out` (may not
 * alias `m`). Zero rows and columns stay zero and the rest is balanced as its own submatrix (the
 * balancing problem has no solution with a zero row; a training gradient can have one). Entries below
 * 2^−500 of the largest count as zero (their squares underflow).
 * [RECON: REG's exact operator was not retrievable.]
 *
 * @example
 * ```ts
 * import { racsDirectionInto } from '@descent/optimizers';
 * Array.from(racsDirectionInto({ rows: 2, cols: 2, data: new Float64Array([6, 2, 3, 4]) }, { rows: 2, cols: 2, data: new Float64Array(4) }, { racs: 'sinkhorn' }).data, (v) => +(v * v).toFixed(6)).reduce((a, b) => a + b); // ‖R‖_F² = rows·cols
 * // 4
 * ```
 */
export function racsDirectionInto(m: Matrix, out: Matrix, options: RacsVariantOptions = {}): Matrix {
  const where = 'racsDirectionInto';
  assertKnownKeys(options, RACS_KEYS, where, 'options');
  const o = resolveRacs(where, options);
  if (o.racs === 'gong') throw new DescentError('INVALID_CONFIG', where, "'gong' is stateful: use scaleByReg or reg");
  assertMatrix(m, where, 'M');
  assertShape(out, m.rows, m.cols, where, 'out');
  if (out.data === m.data) throw new DescentError('SHAPE_MISMATCH', where, 'out must not alias M');
  return racsStateless(m, out, o);
}

/** Below this (relative to the largest entry) an entry's square underflows in the balancing: treat it as zero. */
const RACS_FLUSH = 2 ** -500;

// The unit-scale copy of the block, reused across steps (racsStateless never runs re-entrantly).
const unitScratch = new Scratch();

function racsStateless(m0: Matrix, out: Matrix, o: ResolvedRacs): Matrix {
  const { rows: A, cols: B } = m0;
  // RACS is scale-invariant: balance at unit scale so that no square under- or overflows.
  const d = unitScratch.get(A * B);
  normalizeByPowerOfTwo(m0.data, d, RACS_FLUSH);
  const m: Matrix = { rows: A, cols: B, data: d };
  const rowsIn: number[] = [];
  const colsIn: number[] = [];
  for (let i = 0; i < A; i++) {
    let nz = false;
    for (let j = 0; j < B && !nz; j++) nz = d[i * B + j] !== 0;
    if (nz) rowsIn.push(i);
  }
  for (let j = 0; j < B; j++) {
    let nz = false;
    for (let i = 0; i < A && !nz; i++) nz = d[i * B + j] !== 0;
    if (nz) colsIn.push(j);
  }
  const opts: RacsOptions =
    o.racs === 'oneshot'
      ? { variant: 'oneshot' }
      : o.sinkhornTol === undefined
        ? { variant: 'sinkhorn', iterations: o.sinkhornIterations }
        : { variant: 'sinkhorn', tol: o.sinkhornTol, maxIterations: o.sinkhornIterations };
  if (rowsIn.length === A && colsIn.length === B) {
    racsInto(m, out, opts);
    return out;
  }
  out.data.fill(0);
  if (rowsIn.length === 0) return out;
  const a = rowsIn.length, b = colsIn.length;
  const sub = new Float64Array(a * b);
  for (let r = 0; r < a; r++) for (let c = 0; c < b; c++) sub[r * b + c] = d[rowsIn[r]! * B + colsIn[c]!]!;
  const res = racs({ rows: a, cols: b, data: sub }, opts).data;
  for (let r = 0; r < a; r++) for (let c = 0; c < b; c++) out.data[rowsIn[r]! * B + colsIn[c]!] = res[r * b + c]!;
  return out;
}

/** Options of {@link scaleByReg}. */
export interface RegOptions extends RacsVariantOptions {
  /** Momentum β. Default 0.95. */
  readonly momentum?: number;
  /** `'ema'` (default), `'sgd'` or `'ema-debiased'` momentum, as Muon. */
  readonly momentumStyle?: MomentumStyle;
  /** Nesterov, as Muon. Default true. */
  readonly nesterov?: boolean;
  /**
   * RMS normalisation O ← rms·√(AB)·O/‖O‖_F (RMS(O) = rms, AdamW-matched). Default true for 'sinkhorn'
   * and 'oneshot', false for 'gong' (normalising would undo Gong's norm limiter, and it stalls on
   * rows whose gradient has vanished: their EMA-scaled entries dominate the normalised update).
   */
  readonly rmsNormalize?: boolean;
  /** Target RMS. Default 0.2. */
  readonly rms?: number;
}

/** State of {@link scaleByReg} for one block: shape, momentum buffer, and the 'gong' EMAs (empty otherwise). */
export interface RegBlockState {
  readonly rows: number;
  readonly cols: number;
  readonly buf: Float64Array;
  readonly gongS: Float64Array;
  readonly gongQ: Float64Array;
  readonly gongTheta: number;
  readonly gongT: number;
  /** Steps taken (for the debiased momentum). */
  readonly count: number;
}

/**
 * REG's direction for a 2-D block as a transform [RECON]: Muon's structure with RACS in place of the
 * matrix sign — momentum (as Muon), O = RACS(U) (variant behind `racs`), then RMS normalisation
 * O ← 0.2·√(AB)·O/‖O‖_F. With `racs: 'gong'` the normalisation is off by default, which keeps Gong's
 * norm limiter ‖O_t‖ ≤ γ‖O_{t−1}‖.
 *
 * @example
 * ```ts
 * import { scaleByReg, applyTransform } from '@descent/optimizers';
 * const t = scaleByReg({ momentum: 0, nesterov: false, rms: 1 });
 * Array.from(applyTransform(t, new Float64Array([1, -2, 3, 4]), t.init(new Float64Array(4), [2, 2]), new Float64Array(4)).update, (v) => Math.sign(v));
 * // [1, -1, 1, 1]
 * ```
 */
export function scaleByReg(options: RegOptions = {}): Transform<RegBlockState> {
  const where = 'scaleByReg';
  assertKnownKeys(options, REG_OPTION_KEYS, where, 'options');
  const m: MatrixMomentum = resolveMomentum(where, options);
  const o = resolveRacs(where, options);
  const rmsNormalize = flag(where, 'rmsNormalize', options.rmsNormalize, o.racs !== 'gong');
  const rms = param(where, 'rms', options.rms, 0.2, positive, 'positive');
  const scratchU = new Scratch();
  return {
    name: 'scaleByReg',
    init(x0, shape) {
      const [rows, cols] = matrixShape('reg', shape);
      if (x0.length !== rows * cols) throw new DescentError('SHAPE_MISMATCH', where, `block has ${x0.length} entries, shape ${rows}×${cols}`);
      const gong = o.racs === 'gong';
      return {
        rows,
        cols,
        buf: new Float64Array(rows * cols),
        gongS: new Float64Array(gong ? rows : 0),
        gongQ: new Float64Array(gong ? cols : 0).fill(1),
        gongTheta: 0,
        gongT: 0,
        count: 0,
      };
    },
    updateInto(g, state, _x, u, out) {
      const { rows, cols } = state;
      const U = scratchU.get(rows * cols);
      momentumInto(m, g, state.buf, out.buf, U, state.count + 1);
      checkMomentumFinite('reg.step', U);
      const w = out as Mutable<RegBlockState>;
      if (o.racs === 'gong') {
        const r = racsGongInto(
          { rows, cols, s: state.gongS, q: state.gongQ, theta: state.gongTheta, t: state.gongT }, { rows, cols, data: U }, { rows, cols, data: u },
          { s: w.gongS, q: w.gongQ }, { beta: o.gongBeta, eps: o.gongEps, gamma: o.gongGamma },
        );
        w.gongTheta = r.theta;
        w.gongT = r.t;
      } else {
        racsStateless({ rows, cols, data: U }, { rows, cols, data: u }, o);
        w.gongTheta = state.gongTheta;
        w.gongT = state.gongT;
      }
      if (rmsNormalize) {
        let s = 0;
        for (let i = 0; i < u.length; i++) s += u[i]! * u[i]!;
        const nrm = Math.sqrt(s);
        if (nrm > 0) {
          const c = (rms * Math.sqrt(rows * cols)) / nrm;
          for (let i = 0; i < u.length; i++) u[i] = c * u[i]!;
        }
      }
      w.rows = rows;
      w.cols = cols;
      w.count = state.count + 1;
      return out;
    },
  };
}

/** Config of {@link reg}. */
export interface RegConfig extends RegOptions {
  readonly layout: Layout;
  /** Learning rate η of the REG blocks. Default 1e-3 (RMS-matched to AdamW, so AdamW's lr transfers). */
  readonly lr?: number;
  /** Decoupled weight decay λ: W ← W·(1 − ηλ) − η·O. Default 0. */
  readonly weightDecay?: number;
  /** Blocks REG updates. Default every block with ≥ 2 dimensions (viewed as out × rest); a vector is a SHAPE_MISMATCH. */
  readonly matrixBlocks?: readonly string[];
  /** AdamW for the other blocks. Default lr = REG's lr, betas (0.9, 0.95), eps 1e-10, weight decay = REG's. */
  readonly adamw?: AuxAdamWOptions;
  readonly check?: boolean;
}

/** The plain config kept in a {@link reg} state. */
export interface RegResolvedConfig {
  readonly layout: Layout;
  readonly matrixBlocks: readonly string[];
  readonly lr: number;
  readonly weightDecay: number;
  readonly reg: RegOptions;
  readonly adamw: Required<AuxAdamWOptions>;
}

/** State of {@link reg}. */
export type RegState = TransformMethodState<unknown, RegResolvedConfig>;

/**
 * REG (Liu, Wu, Fu et al., arXiv 2510.03691; spec §4.2) — **reconstructed** [RECON]: the paper's RACS
 * formula, RMS constant and momentum form were not retrievable. Muon's structure (momentum, Nesterov,
 * decoupled weight decay, AdamW for non-matrix blocks) with the RACS row-and-column balancing in place
 * of the matrix sign, three RACS candidates behind `racs`, and RMS normalisation to 0.2 (off by
 * default for 'gong').
 *
 * @example
 * ```ts
 * import { reg } from '@descent/optimizers';
 * const layout = [{ name: 'W', shape: [2, 2] }];
 * const s = reg.step(reg.init({ layout, lr: 0.1, rms: 1 }, new Float64Array(4)), new Float64Array([1, 1, 1, 1]));
 * Array.from(s.x, (v) => +v.toFixed(9));
 * // [-0.1, -0.1, -0.1, -0.1]
 * ```
 */
export const reg: FirstOrderMethod<RegConfig, RegState> = transformMethod<RegConfig, RegResolvedConfig>(
  'reg',
  (cfg) => {
    const where = 'reg.init';
    assertKnownKeys(cfg, REG_KEYS, where);
    assertKnownKeys(cfg.adamw ?? {}, AUX_ADAMW_KEYS, where, 'adamw');
    const matrixBlocks = resolveMatrixBlocks('reg', cfg.layout, cfg.matrixBlocks);
    const { layout: _l, lr: _lr, weightDecay: _wd, matrixBlocks: _mb, adamw: _a, check: _c, ...opts } = cfg;
    scaleByReg(opts);
    const lr = param(where, 'lr', cfg.lr, 1e-3, nonNegative, 'a non-negative number');
    const weightDecay = param(where, 'weightDecay', cfg.weightDecay, 0, nonNegative, 'non-negative');
    return {
      layout: cfg.layout,
      matrixBlocks,
      lr,
      weightDecay,
      reg: opts,
      adamw: resolveAux(where, cfg.adamw, { lr, betas: [0.9, 0.95], eps: 1e-10, weightDecay }),
    };
  },
  (c) =>
    route(c.layout, (b) => (c.matrixBlocks.includes(b.name) ? 'reg' : 'adamw'), {
      reg: chain(scaleByReg(c.reg), addDecayedWeights(c.weightDecay), scaleByLearningRate(c.lr)),
      adamw: auxAdamW(c.adamw),
    }),
  (cfg) => cfg?.check,
);
