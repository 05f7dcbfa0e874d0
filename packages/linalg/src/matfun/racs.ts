import { DescentError } from '../errors.js';
import type { Matrix } from '../matrix.js';
import { assertMatrix } from '../validate.js';
import { norm2 } from '../kernels/vector.js';

/** Options of {@link racs}. */
export interface RacsOptions {
  /**
   * `'sinkhorn'` (default): full matrix balancing, R = D_r·M·D_c with every row norm √cols and every
   * column norm √rows. `'oneshot'`: one half-step, R = diag(r)^{-1/2}·M·diag(c)^{-1/2} from the row and
   * column norms of M. (The stateful `'gong'` variant is {@link racsGong}.)
   */
  variant?: 'sinkhorn' | 'oneshot';
  /** Sinkhorn: run exactly this many iterations (fixed cost, e.g. 50). Default: iterate to `tol`. */
  iterations?: number;
  /** Sinkhorn: stop when every row norm² is within `tol` (relative) of `cols`. Default 1e-13. */
  tol?: number;
  /** Sinkhorn: iteration cap when iterating to `tol`; `NOT_CONVERGED` past it. Default 1000. */
  maxIterations?: number;
  /** Sinkhorn: added to Q·y and Qᵀ·x (a guard for matrices without full support). Default 0. */
  eps?: number;
}

/**
 * RACS, the row-and-column scaling operator of REG [RECON: the paper's exact formula was not
 * retrievable; see ../shared/specs/optimizers.md §4.2]. `'sinkhorn'` balances M⊙M by alternating
 * scalings (x ← cols/(Q·y), y ← rows/(Qᵀ·x), Q = M⊙M), returning diag(√x)·M·diag(√y): every row norm is
 * √cols, every column norm √rows (so ‖R‖_F = √(rows·cols)), signs and zeros of M are kept, and the
 * result is invariant under positive diagonal scalings of M. Throws `DOMAIN` on a zero row or column.
 *
 * @example
 * ```ts
 * Array.from(racs(fromRows([[1, 2], [3, 4]])).data, (v) => +v.toFixed(6)); // every row and column has norm √2
 * // [0.894427, 1.095445, 1.095445, 0.894427]
 * ```
 */
export function racs(m: Matrix, options: RacsOptions = {}): Matrix {
  assertMatrix(m, 'racs', 'M');
  const { rows: A, cols: B } = m;
  const d = m.data;
  const variant = options.variant ?? 'sinkhorn';
  if (variant !== 'sinkhorn' && variant !== 'oneshot') throw new DescentError('INVALID_CONFIG', 'racs', `unknown variant '${String(variant)}'`);
  const rowMax = new Float64Array(A);
  const colMax = new Float64Array(B);
  for (let i = 0; i < A; i++) {
    for (let j = 0; j < B; j++) {
      const a = Math.abs(d[i * B + j]!);
      if (a > rowMax[i]!) rowMax[i] = a;
      if (a > colMax[j]!) colMax[j] = a;
    }
  }
  for (let i = 0; i < A; i++) if (rowMax[i] === 0) throw new DescentError('DOMAIN', 'racs', `row ${i} of M is zero: it cannot be scaled to norm √${B}`);
  for (let j = 0; j < B; j++) if (colMax[j] === 0) throw new DescentError('DOMAIN', 'racs', `column ${j} of M is zero: it cannot be scaled to norm √${A}`);
  if (variant === 'oneshot') {
    // R = diag(r)^{-1/2}·M·diag(c)^{-1/2} with r, c the row and column norms, each computed relative to
    // its largest entry so that squares neither overflow nor underflow.
    const rs = new Float64Array(A);
    const cs = new Float64Array(B);
    for (let i = 0; i < A; i++) {
      for (let j = 0; j < B; j++) {
        const v = d[i * B + j]!;
        rs[i] += (v / rowMax[i]!) ** 2;
        cs[j] += (v / colMax[j]!) ** 2;
      }
    }
    for (let i = 0; i < A; i++) rs[i] = Math.sqrt(rowMax[i]! * Math.sqrt(rs[i]!));
    for (let j = 0; j < B; j++) cs[j] = Math.sqrt(colMax[j]! * Math.sqrt(cs[j]!));
    const out = new Float64Array(A * B);
    for (let i = 0; i < A; i++) for (let j = 0; j < B; j++) out[i * B + j] = d[i * B + j]! / rs[i]! / cs[j]!;
    return { rows: A, cols: B, data: out };
  }
  // RACS(D₁·M·D₂) = RACS(M) for positive diagonals, so balance the equivalent W = M scaled to unit
  // row maxima and then unit column maxima: every row and column of W has an entry of magnitude 1,
  // so the squares below cannot underflow to a zero row or column whatever the range of M.
  const w = new Float64Array(A * B);
  const wColMax = new Float64Array(B);
  for (let i = 0; i < A; i++) {
    for (let j = 0; j < B; j++) {
      const v = d[i * B + j]! / rowMax[i]!;
      w[i * B + j] = v;
      if (Math.abs(v) > wColMax[j]!) wColMax[j] = Math.abs(v);
    }
  }
  const q = new Float64Array(A * B);
  for (let i = 0; i < A; i++) {
    for (let j = 0; j < B; j++) {
      const v = w[i * B + j]! / wColMax[j]!;
      w[i * B + j] = v;
      q[i * B + j] = v * v;
    }
  }
  const x = new Float64Array(A);
  const y = new Float64Array(B);
  const eps = options.eps ?? 0;
  const fixed = options.iterations;
  if (fixed !== undefined && (!Number.isInteger(fixed) || fixed < 1)) {
    throw new DescentError('INVALID_CONFIG', 'racs', `iterations must be a positive integer, got ${fixed}`);
  }
  const tol = options.tol ?? 1e-13;
  const maxIterations = fixed ?? options.maxIterations ?? 1000;
  y.fill(1);
  const qy = new Float64Array(A);
  const qx = new Float64Array(B);
  let converged = false;
  for (let it = 0; it < maxIterations; it++) {
    // x ← B / (Q y)
    for (let i = 0; i < A; i++) {
      let s = 0;
      const row = i * B;
      for (let j = 0; j < B; j++) s += q[row + j]! * y[j]!;
      x[i] = B / (s + eps);
    }
    // y ← A / (Qᵀ x)
    qx.fill(0);
    for (let i = 0; i < A; i++) {
      const xi = x[i]!;
      const row = i * B;
      for (let j = 0; j < B; j++) qx[j] += q[row + j]! * xi;
    }
    for (let j = 0; j < B; j++) y[j] = A / (qx[j]! + eps);
    if (fixed === undefined) {
      // Column norms are exact after the y-update; measure the row norms² x_i (Q y)_i against B.
      let dev = 0;
      for (let i = 0; i < A; i++) {
        let s = 0;
        const row = i * B;
        for (let j = 0; j < B; j++) s += q[row + j]! * y[j]!;
        qy[i] = s;
        dev = Math.max(dev, Math.abs((x[i]! * s) / B - 1));
      }
      if (dev <= tol) {
        converged = true;
        break;
      }
    }
  }
  if (fixed === undefined && !converged) {
    throw new DescentError('NOT_CONVERGED', 'racs', `Sinkhorn balancing did not reach tol ${tol} in ${maxIterations} iterations (does M have full support?)`);
  }
  const out = new Float64Array(A * B);
  for (let i = 0; i < A; i++) {
    const sx = Math.sqrt(x[i]!);
    for (let j = 0; j < B; j++) out[i * B + j] = w[i * B + j]! * sx * Math.sqrt(y[j]!);
  }
  return { rows: A, cols: B, data: out };
}

/** State of {@link racsGong}: EMAs of the row and column mean squares, and the last update norm. */
export interface RacsGongState {
  readonly rows: number;
  readonly cols: number;
  /** EMA of row means of G² (starts at 0). */
  readonly s: Float64Array;
  /** EMA of column means of G² (starts at 1). */
  readonly q: Float64Array;
  /** ‖ρ·Ĝ‖ of the previous step (θ), 0 before the first. */
  readonly theta: number;
  readonly t: number;
}

/**
 * The initial state of {@link racsGong} for rows×cols gradients.
 *
 * @example
 * ```ts
 * racsGongInit(2, 3).q;
 * // Float64Array [1, 1, 1]
 * ```
 */
export function racsGongInit(rows: number, cols: number): RacsGongState {
  if (!Number.isInteger(rows) || !Number.isInteger(cols) || rows < 1 || cols < 1) {
    throw new DescentError('SHAPE_MISMATCH', 'racsGongInit', `need positive integer dimensions, got ${rows}×${cols}`);
  }
  return { rows, cols, s: new Float64Array(rows), q: new Float64Array(cols).fill(1), theta: 0, t: 0 };
}

/**
 * The 'gong' RACS variant (Gong et al. 2025, "Row and Column Scaled SGD", as in kozistr/pytorch_optimizer
 * `racs.py`): s ← βs + (1−β)·rowmean(G²), q ← βq + (1−β)·colmean(G²), Ĝ = G ⊘ (√(s+ε)·√(q+ε)ᵀ), and
 * the norm limiter ρ = min(1, γθ/‖Ĝ‖) (ρ = 1 on the first step), θ ← ρ‖Ĝ‖. Returns ρ·Ĝ and the new
 * state (pure). So ‖ρ·Ĝ‖ ≤ γ·θ_previous.
 *
 * @example
 * ```ts
 * const { out, state } = racsGong(racsGongInit(1, 2), fromRows([[1, 1]]));
 * state.t;
 * // 1
 * ```
 */
export function racsGong(
  state: RacsGongState,
  g: Matrix,
  options: { beta?: number; eps?: number; gamma?: number } = {},
): { out: Matrix; state: RacsGongState } {
  assertMatrix(g, 'racsGong', 'G');
  if (g.rows !== state.rows || g.cols !== state.cols) {
    throw new DescentError('SHAPE_MISMATCH', 'racsGong', `G is ${g.rows}×${g.cols}, the state is for ${state.rows}×${state.cols}`);
  }
  const beta = options.beta ?? 0.9;
  const eps = options.eps ?? 1e-8;
  const gamma = options.gamma ?? 1.01;
  if (!(beta >= 0 && beta < 1)) throw new DescentError('INVALID_CONFIG', 'racsGong', `beta must be in [0, 1), got ${beta}`);
  if (!(eps > 0)) throw new DescentError('INVALID_CONFIG', 'racsGong', `eps must be > 0, got ${eps}`);
  if (!(gamma > 0)) throw new DescentError('INVALID_CONFIG', 'racsGong', `gamma must be > 0, got ${gamma}`);
  const { rows: A, cols: B } = g;
  const d = g.data;
  const s = new Float64Array(A);
  const q = new Float64Array(B);
  for (let i = 0; i < A; i++) {
    let rs = 0;
    for (let j = 0; j < B; j++) {
      const v = d[i * B + j]!;
      rs += v * v;
      q[j] += v * v;
    }
    s[i] = beta * state.s[i]! + ((1 - beta) * rs) / B;
  }
  for (let j = 0; j < B; j++) q[j] = beta * state.q[j]! + ((1 - beta) * q[j]!) / A;
  const out = new Float64Array(A * B);
  const sq = new Float64Array(B);
  for (let j = 0; j < B; j++) sq[j] = Math.sqrt(q[j]! + eps);
  for (let i = 0; i < A; i++) {
    const si = Math.sqrt(s[i]! + eps);
    for (let j = 0; j < B; j++) out[i * B + j] = d[i * B + j]! / (si * sq[j]!);
  }
  // The limiter compares norms across steps: a plain sum of squares underflows for |Ĝ| ≲ 1e-154
  // and would let the update grow past γ·θ.
  const nrm = norm2(out);
  const rho = state.t === 0 || nrm === 0 ? 1 : Math.min(1, (gamma * state.theta) / nrm);
  if (rho !== 1) for (let k = 0; k < out.length; k++) out[k] *= rho;
  return { out: { rows: A, cols: B, data: out }, state: { rows: A, cols: B, s, q, theta: rho * nrm, t: state.t + 1 } };
}
