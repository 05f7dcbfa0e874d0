import { DescentError } from '../errors.js';
import type { Matrix } from '../matrix.js';
import { assertDims, assertMatrix, assertShape, assertVector, describeValue } from '../validate.js';
import { optionalNumber, readOptions } from '../options.js';
import { overlaps } from '../kernels/transpose.js';
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
  /**
   * Sinkhorn: iteration cap when iterating to `tol`; `NOT_CONVERGED` past it. Default 1000. In the Newton
   * phase (see {@link racs}) every pass over M, a residual or a Hessian product, counts as one iteration.
   */
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
 * Iterating to `tol` with `eps` = 0 and no zero in Q, 20 Sinkhorn sweeps are followed by Newton's method
 * on the same balancing equations (quadratic convergence where Sinkhorn's linear rate tends to 1, as for
 * nearly triangular or block-diagonal M); matrices with zeros keep plain Sinkhorn, whose stalling is what
 * reports `NOT_CONVERGED` for a pattern without total support. `iterations` is always plain Sinkhorn.
 *
 * @example
 * ```ts
 * Array.from(racs(fromRows([[1, 2], [3, 4]])).data, (v) => +v.toFixed(6)); // every row and column has norm √2
 * // [0.894427, 1.095445, 1.095445, 0.894427]
 * ```
 */
export function racs(m: Matrix, options: RacsOptions = {}): Matrix {
  assertMatrix(m, 'racs', 'M');
  checkRacsOptions(options);
  return racsInto(m, { rows: m.rows, cols: m.cols, data: new Float64Array(m.rows * m.cols) }, options);
}

/** Largest iteration count of the Sinkhorn/Newton loop (each is a pass over M). */
const MAX_RACS_ITERATIONS = 1e6;

/** Type and range checks of {@link RacsOptions} before anything is read or written. */
function checkRacsOptions(options: RacsOptions | undefined): RacsOptions {
  const o = readOptions(options, 'racs');
  if (o.variant !== undefined && o.variant !== 'sinkhorn' && o.variant !== 'oneshot') {
    throw new DescentError('INVALID_CONFIG', 'racs', `unknown variant ${describeValue(o.variant)} (expected 'sinkhorn' or 'oneshot')`);
  }
  const count = (v: number) => Number.isInteger(v) && v >= 1 && v <= MAX_RACS_ITERATIONS;
  optionalNumber(o.iterations, 'racs', 'options.iterations', count, `an integer in [1, ${MAX_RACS_ITERATIONS}]`);
  optionalNumber(o.maxIterations, 'racs', 'options.maxIterations', count, `an integer in [1, ${MAX_RACS_ITERATIONS}]`);
  optionalNumber(o.tol, 'racs', 'options.tol', (v) => v >= 0, 'a finite number >= 0');
  optionalNumber(o.eps, 'racs', 'options.eps', (v) => v >= 0, 'a finite number >= 0');
  return o;
}

// Scratch of racsInto, reused across calls (JavaScript runs one call at a time on a thread): each use
// is zero-filled, exactly as a fresh array, so results do not depend on earlier calls.
const pool: Float64Array[] = [];
function scratch(slot: number, n: number): Float64Array {
  let b = pool[slot];
  if (b === undefined || b.length < n) {
    b = new Float64Array(n);
    pool[slot] = b;
  }
  const v = b.length === n ? b : b.subarray(0, n);
  v.fill(0);
  return v;
}

/**
 * {@link racs} written into `into` (same shape as M, must not alias it), with scratch reused across
 * calls: after the first call at a size, a loop of balancings allocates no typed array.
 *
 * @example
 * ```ts
 * const out = zeros(2, 2);
 * racsInto(fromRows([[1, 2], [3, 4]]), out, { variant: 'oneshot' });
 * Array.from(out.data, (v) => +v.toFixed(6));
 * // [0.37606, 0.632456, 0.75446, 0.845897]
 * ```
 */
export function racsInto(m: Matrix, into: Matrix, options: RacsOptions = {}): Matrix {
  options = checkRacsOptions(options);
  assertMatrix(m, 'racs', 'M');
  assertShape(into, m.rows, m.cols, 'racs', 'out');
  if (overlaps(into.data, m.data)) throw new DescentError('SHAPE_MISMATCH', 'racs', 'out must not alias M');
  const { rows: A, cols: B } = m;
  const d = m.data;
  const variant = options.variant ?? 'sinkhorn';
  if (variant !== 'sinkhorn' && variant !== 'oneshot') throw new DescentError('INVALID_CONFIG', 'racs', `unknown variant '${String(variant)}'`);
  const rowMax = scratch(0, A);
  const colMax = scratch(1, B);
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
    const rs = scratch(2, A);
    const cs = scratch(3, B);
    for (let i = 0; i < A; i++) {
      for (let j = 0; j < B; j++) {
        const v = d[i * B + j]!;
        rs[i] += (v / rowMax[i]!) ** 2;
        cs[j] += (v / colMax[j]!) ** 2;
      }
    }
    for (let i = 0; i < A; i++) rs[i] = Math.sqrt(rowMax[i]! * Math.sqrt(rs[i]!));
    for (let j = 0; j < B; j++) cs[j] = Math.sqrt(colMax[j]! * Math.sqrt(cs[j]!));
    const out = into.data;
    for (let i = 0; i < A; i++) for (let j = 0; j < B; j++) out[i * B + j] = d[i * B + j]! / rs[i]! / cs[j]!;
    return into;
  }
  // RACS(D₁·M·D₂) = RACS(M) for positive diagonals, so balance the equivalent W = M scaled to unit
  // row maxima and then unit column maxima: every row and column of W has an entry of magnitude 1,
  // so the squares below cannot underflow to a zero row or column whatever the range of M.
  const w = scratch(5, A * B);
  const wColMax = scratch(6, B);
  for (let i = 0; i < A; i++) {
    for (let j = 0; j < B; j++) {
      const v = d[i * B + j]! / rowMax[i]!;
      w[i * B + j] = v;
      if (Math.abs(v) > wColMax[j]!) wColMax[j] = Math.abs(v);
    }
  }
  const q = scratch(7, A * B);
  for (let i = 0; i < A; i++) {
    for (let j = 0; j < B; j++) {
      const v = w[i * B + j]! / wColMax[j]!;
      w[i * B + j] = v;
      q[i * B + j] = v * v;
    }
  }
  const x = scratch(8, A);
  const y = scratch(9, B);
  const eps = options.eps ?? 0;
  const fixed = options.iterations;
  if (fixed !== undefined && (!Number.isInteger(fixed) || fixed < 1)) {
    throw new DescentError('INVALID_CONFIG', 'racs', `iterations must be a positive integer, got ${fixed}`);
  }
  const tol = options.tol ?? 1e-13;
  const maxIterations = fixed ?? options.maxIterations ?? 1000;
  y.fill(1);
  const qx = scratch(10, B);
  let converged = false;
  // Sinkhorn first: it is cheap per sweep and reaches tol within a few dozen sweeps on well-spread
  // matrices. When Q is nearly decomposable (e.g. nearly triangular) its linear rate approaches 1 and
  // thousands of sweeps are needed; after SINKHORN_SWEEPS sweeps a strictly positive Q switches to
  // Newton's method, which converges quadratically whatever the rate.
  const newtonAt = fixed === undefined && eps === 0 && A > 1 && B > 1 && q.every((v) => v > 0) ? Math.min(SINKHORN_SWEEPS, maxIterations) : -1;
  let it = 0;
  for (; it < maxIterations; it++) {
    if (it === newtonAt) {
      const nt = newtonBalance(q, A, B, x, y, tol, maxIterations - it);
      it += nt.used;
      if (nt.converged) {
        converged = true;
        break;
      }
      // The line search stalled (rounding): the remaining budget goes to plain Sinkhorn sweeps from the
      // best x found, which are always well defined.
      if (it >= maxIterations) break;
    }
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
  const out = into.data;
  for (let i = 0; i < A; i++) {
    const sx = Math.sqrt(x[i]!);
    for (let j = 0; j < B; j++) out[i * B + j] = w[i * B + j]! * sx * Math.sqrt(y[j]!);
  }
  return into;
}

/** Sinkhorn sweeps before a strictly positive Q switches to Newton's method (see {@link racs}). */
const SINKHORN_SWEEPS = 20;

/**
 * Row residuals of the scaling x with the column scaling that makes every column sum of
 * P = diag(x)·Q·diag(y) exactly A: writes y and g (g_i = r_i/B − 1, r = row sums of P) and returns
 * ‖g‖². `s` (B) is scratch. One sweep over Q and one over Qᵀ, as a Sinkhorn iteration.
 */
function rowResiduals(q: Float64Array, A: number, B: number, x: Float64Array, y: Float64Array, g: Float64Array, s: Float64Array): number {
  s.fill(0);
  for (let i = 0; i < A; i++) {
    const xi = x[i]!;
    const row = i * B;
    for (let j = 0; j < B; j++) s[j] += q[row + j]! * xi;
  }
  for (let j = 0; j < B; j++) y[j] = A / s[j]!;
  let n2 = 0;
  for (let i = 0; i < A; i++) {
    let t = 0;
    const row = i * B;
    for (let j = 0; j < B; j++) t += q[row + j]! * y[j]!;
    const gi = (x[i]! * t) / B - 1;
    g[i] = gi;
    n2 += gi * gi;
  }
  return n2;
}

/**
 * Newton's method for the row scalings of a strictly positive Q (the Sinkhorn–Newton method of Brauer,
 * Clason, Lorenz & Wirth 2017, in the reduced form where the column scaling is eliminated; cf. Knight &
 * Ruiz 2013). With u = log x and y(u) making the column sums exactly A, the row residual
 * g(u) = r(u)/B − 1 is the gradient of the convex F(u) = (A·Σⱼ log(Qᵀx)ⱼ − B·Σᵢ uᵢ)/B, whose Hessian
 * H = (diag(r) − P·Pᵀ/A)/B is positive semidefinite with null space span(1) (a common factor of x is
 * absorbed by y). Each step solves H·d = −g by Jacobi-preconditioned conjugate gradients (inexact,
 * relative residual ≤ min(1/2, √‖g‖)) and backtracks on ‖g‖² (d is a descent direction for it since
 * gᵀH·d = −‖g‖² + gᵀ(residual)). Stops when max|gᵢ| ≤ tol. `budget` counts passes as Sinkhorn
 * iterations do: one per residual evaluation and one per Hessian product. x (in/out) starts from the
 * Sinkhorn iterate; on return y is the column scaling of the returned x.
 */
function newtonBalance(
  q: Float64Array,
  A: number,
  B: number,
  x: Float64Array,
  y: Float64Array,
  tol: number,
  budget: number,
): { converged: boolean; used: number } {
  const g = scratch(12, A);
  const gTrial = scratch(13, A);
  const xTrial = scratch(14, A);
  const yTrial = scratch(15, B);
  const s = scratch(16, B);
  const w = scratch(17, B);
  const h = scratch(18, A);
  const d = scratch(19, A);
  const res = scratch(20, A);
  const z = scratch(21, A);
  const p = scratch(22, A);
  const hp = scratch(23, A);
  let used = 1;
  let n2 = rowResiduals(q, A, B, x, y, g, s);
  const maxAbs = (v: Float64Array): number => {
    let m = 0;
    for (let i = 0; i < v.length; i++) m = Math.max(m, Math.abs(v[i]!));
    return m;
  };
  while (used < budget) {
    if (maxAbs(g) <= tol) return { converged: true, used };
    // H·v = (r∘v − P·(Pᵀv)/A)/B with P = diag(x)·Q·diag(y) and r = B(1 + g).
    const hessian = (v: Float64Array, out: Float64Array): void => {
      w.fill(0);
      for (let i = 0; i < A; i++) {
        const xv = x[i]! * v[i]!;
        const row = i * B;
        for (let j = 0; j < B; j++) w[j] += q[row + j]! * xv;
      }
      for (let j = 0; j < B; j++) w[j] *= (y[j]! * y[j]!) / A;
      for (let i = 0; i < A; i++) {
        let t = 0;
        const row = i * B;
        for (let j = 0; j < B; j++) t += q[row + j]! * w[j]!;
        out[i] = (1 + g[i]!) * v[i]! - (x[i]! * t) / B;
      }
    };
    // Jacobi preconditioner: Hᵢᵢ = (rᵢ − Σⱼ Pᵢⱼ²/A)/B, positive because every Pᵢⱼ < A when Q > 0, A > 1.
    for (let i = 0; i < A; i++) {
      let t = 0;
      const row = i * B;
      const xi = x[i]!;
      for (let j = 0; j < B; j++) {
        const pij = q[row + j]! * xi * y[j]!;
        t += pij * pij;
      }
      h[i] = Math.max(1 + g[i]! - t / (A * B), Number.MIN_VALUE);
    }
    // The right-hand side −g, projected onto 1⊥ (the range of H) so the singular system is consistent.
    let mean = 0;
    for (let i = 0; i < A; i++) mean += g[i]!;
    mean /= A;
    let rr = 0;
    for (let i = 0; i < A; i++) {
      res[i] = -(g[i]! - mean);
      rr += res[i]! * res[i]!;
    }
    const stop = Math.min(0.5, Math.sqrt(Math.sqrt(n2))) ** 2 * rr;
    d.fill(0);
    let rz = 0;
    for (let i = 0; i < A; i++) {
      z[i] = res[i]! / h[i]!;
      p[i] = z[i]!;
      rz += res[i]! * z[i]!;
    }
    for (let k = 0; k < 2 * A && rr > stop && used < budget; k++) {
      hessian(p, hp);
      used++;
      let php = 0;
      for (let i = 0; i < A; i++) php += p[i]! * hp[i]!;
      if (!(php > 0)) break; // p in the null space up to rounding: nothing left to solve for
      const alpha = rz / php;
      rr = 0;
      let rzNew = 0;
      for (let i = 0; i < A; i++) {
        d[i] += alpha * p[i]!;
        res[i] -= alpha * hp[i]!;
        z[i] = res[i]! / h[i]!;
        rr += res[i]! * res[i]!;
        rzNew += res[i]! * z[i]!;
      }
      const beta = rzNew / rz;
      rz = rzNew;
      for (let i = 0; i < A; i++) p[i] = z[i]! + beta * p[i]!;
    }
    // Backtracking on ‖g‖² (Armijo with c = 1e-4).
    let step = 1;
    let accepted = false;
    while (used < budget && step > 1e-10) {
      let top = -Infinity;
      for (let i = 0; i < A; i++) {
        xTrial[i] = Math.log(x[i]!) + step * d[i]!;
        top = Math.max(top, xTrial[i]!);
      }
      // x is only defined up to a common factor: keep max x = 1 so no step can overflow it.
      for (let i = 0; i < A; i++) xTrial[i] = Math.exp(Math.max(xTrial[i]! - top, -700));
      const trial = rowResiduals(q, A, B, xTrial, yTrial, gTrial, s);
      used++;
      if (trial <= (1 - 1e-4 * step) * n2) {
        x.set(xTrial);
        y.set(yTrial);
        g.set(gTrial);
        n2 = trial;
        accepted = true;
        break;
      }
      step /= 2;
    }
    if (!accepted) break;
  }
  return { converged: maxAbs(g) <= tol, used };
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
  assertDims(rows, cols, 'racsGongInit', 'G');
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
  const out: Matrix = { rows: g.rows, cols: g.cols, data: new Float64Array(g.rows * g.cols) };
  const next = { s: new Float64Array(g.rows), q: new Float64Array(g.cols) };
  const { theta, t } = racsGongStep(state, g, out, next, options, 'racsGong');
  return { out, state: { rows: g.rows, cols: g.cols, s: next.s, q: next.q, theta, t } };
}

/**
 * {@link racsGong} into caller buffers, allocating nothing: writes ρ·Ĝ into `out` (rows×cols) and
 * the new EMAs into `next.s` (rows) and `next.q` (cols), and returns the new θ and step count. The
 * buffers may alias `state`'s own arrays (each entry is read before it is written). Bit-identical to
 * {@link racsGong}.
 *
 * @example
 * ```ts
 * const s0 = racsGongInit(1, 2);
 * const out = { rows: 1, cols: 2, data: new Float64Array(2) };
 * const { t } = racsGongInto(s0, fromRows([[1, 1]]), out, { s: new Float64Array(1), q: new Float64Array(2) });
 * [t, Array.from(out.data).every((v, i) => v === racsGong(s0, fromRows([[1, 1]])).out.data[i])];
 * // [1, true]
 * ```
 */
export function racsGongInto(
  state: RacsGongState,
  g: Matrix,
  out: Matrix,
  next: { readonly s: Float64Array; readonly q: Float64Array },
  options: { beta?: number; eps?: number; gamma?: number } = {},
): { theta: number; t: number } {
  return racsGongStep(state, g, out, next, options, 'racsGongInto');
}

/** Column sums of G², then √(q + ε): one scratch row shared by every call (never part of a result). */
let columnScratch = new Float64Array(0);

function racsGongStep(
  state: RacsGongState,
  g: Matrix,
  out: Matrix,
  next: { readonly s: Float64Array; readonly q: Float64Array },
  options: { beta?: number; eps?: number; gamma?: number },
  where: string,
): { theta: number; t: number } {
  assertMatrix(g, where, 'G');
  if (state === null || typeof state !== 'object') throw new DescentError('INVALID_STATE', where, 'state must be a racsGongInit state');
  if (g.rows !== state.rows || g.cols !== state.cols) {
    throw new DescentError('SHAPE_MISMATCH', where, `G is ${g.rows}×${g.cols}, the state is for ${state.rows}×${state.cols}`);
  }
  const { rows: A, cols: B } = g;
  assertVector(state.s, where, 'state.s', A);
  assertVector(state.q, where, 'state.q', B);
  if (!(typeof state.theta === 'number' && state.theta >= 0) || !Number.isInteger(state.t) || state.t < 0) {
    throw new DescentError('INVALID_STATE', where, `state.theta (${String(state.theta)}) must be ≥ 0 and state.t (${String(state.t)}) a non-negative integer`);
  }
  assertMatrix(out, where, 'out', { finite: false });
  if (out.rows !== A || out.cols !== B) throw new DescentError('SHAPE_MISMATCH', where, `out is ${out.rows}×${out.cols}, G is ${A}×${B}`);
  if (next === null || typeof next !== 'object') throw new DescentError('INVALID_CONFIG', where, 'next must be { s, q }');
  assertVector(next.s, where, 'next.s', A);
  assertVector(next.q, where, 'next.q', B);
  if (options === null || typeof options !== 'object') throw new DescentError('INVALID_CONFIG', where, 'options must be an object');
  const beta = options.beta ?? 0.9;
  const eps = options.eps ?? 1e-8;
  const gamma = options.gamma ?? 1.01;
  if (!(beta >= 0 && beta < 1)) throw new DescentError('INVALID_CONFIG', where, `beta must be in [0, 1), got ${beta}`);
  if (!(eps > 0)) throw new DescentError('INVALID_CONFIG', where, `eps must be > 0, got ${eps}`);
  if (!(gamma > 0)) throw new DescentError('INVALID_CONFIG', where, `gamma must be > 0, got ${gamma}`);
  const d = g.data;
  const o = out.data;
  const { s, q } = next;
  if (columnScratch.length < B) columnScratch = new Float64Array(B);
  const col = columnScratch;
  col.fill(0, 0, B);
  for (let i = 0; i < A; i++) {
    let rs = 0;
    for (let j = 0; j < B; j++) {
      const v = d[i * B + j]!;
      rs += v * v;
      col[j] += v * v;
    }
    s[i] = beta * state.s[i]! + ((1 - beta) * rs) / B;
  }
  for (let j = 0; j < B; j++) {
    q[j] = beta * state.q[j]! + ((1 - beta) * col[j]!) / A;
    col[j] = Math.sqrt(q[j]! + eps);
  }
  for (let i = 0; i < A; i++) {
    const si = Math.sqrt(s[i]! + eps);
    for (let j = 0; j < B; j++) o[i * B + j] = d[i * B + j]! / (si * col[j]!);
  }
  // The limiter compares norms across steps: a plain sum of squares underflows for |Ĝ| ≲ 1e-154
  // and would let the update grow past γ·θ.
  const nrm = norm2(o);
  const rho = state.t === 0 || nrm === 0 ? 1 : Math.min(1, (gamma * state.theta) / nrm);
  if (rho !== 1) for (let k = 0; k < o.length; k++) o[k] *= rho;
  return { theta: rho * nrm, t: state.t + 1 };
}
