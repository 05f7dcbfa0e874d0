import { DescentError } from '../errors.js';
import type { Matrix } from '../matrix.js';
import { assertDims, assertMatrix, assertMatrixStructure, assertShape, describeValue } from '../validate.js';
import { optionalBoolean, optionalNumber, readOptions } from '../options.js';
import { gemmInto } from '../kernels/gemm.js';
import { gramInto } from '../kernels/gram.js';
import { overlaps } from '../kernels/transpose.js';
import { norm2 } from '../kernels/vector.js';

/** Muon's quintic coefficients (a, b, c) of p(x) = a·x + b·x³ + c·x⁵ (Keller Jordan's `muon.py`). */
/** Largest `steps` of {@link newtonSchulz} (Muon uses 5). */
const MAX_STEPS = 1000;

export const MUON_COEFFICIENTS: readonly [number, number, number] = [3.4445, -4.775, 2.0315];

/** Options of {@link newtonSchulz}. */
export interface NewtonSchulzOptions {
  /** Iterations of X ← aX + (bS + cS²)X with S = XXᵀ. Default 5. */
  steps?: number;
  /** (a, b, c). Default {@link MUON_COEFFICIENTS}. */
  coefficients?: readonly [number, number, number];
  /** X₀ = G / (‖G‖_F + eps). Default 1e-7 (as Muon). */
  eps?: number;
  /** Scan the input for non-finite values. Default true. */
  check?: boolean;
}

/**
 * Newton–Schulz quintic orthogonalization, Muon's `zeropower_via_newtonschulz5` in float64: with
 * X₀ = G/(‖G‖_F + eps) (transposed first when G is tall so the Gram matrix is the small one),
 * iterate X ← aX + (bS + cS²)X, S = XXᵀ. Exactly U·f(S/(‖G‖_F + eps))·Vᵀ with f = p∘…∘p (`steps`
 * times), because odd matrix polynomials keep the singular vectors. With the default coefficients the
 * output singular values lie in [0.68, 1.21] whenever every normalised σ is ≥ 2e-3.
 *
 * @example
 * ```ts
 * const o = newtonSchulz(fromRows([[1, 0], [0, 1]]));
 * o.data[0].toFixed(3); // σ = 1/√2 after normalisation, then five quintic steps
 * // '1.108'
 * ```
 */
export function newtonSchulz(g: Matrix, options: NewtonSchulzIntoOptions = {}): Matrix {
  // Structure first: the output is allocated from G's claimed shape.
  assertMatrixStructure(g, 'newtonSchulz', 'G');
  return newtonSchulzInto(g, { rows: g.rows, cols: g.cols, data: new Float64Array(g.rows * g.cols) }, options);
}

/** Options of {@link newtonSchulzInto}: those of {@link newtonSchulz} plus a reusable workspace. */
export interface NewtonSchulzIntoOptions extends NewtonSchulzOptions {
  /** Scratch from {@link newtonSchulzWorkspace}(rows, cols) of G's shape; without it a shared module-level one is used. */
  workspace?: NewtonSchulzWorkspace;
}

/** Scratch space of {@link newtonSchulzInto} for one shape (opaque: create with {@link newtonSchulzWorkspace}). */
export interface NewtonSchulzWorkspace {
  readonly rows: number;
  readonly cols: number;
}

interface NsBuffers extends NewtonSchulzWorkspace {
  /** The iterate's other ping-pong buffer (rows×cols; `out` is the first). */
  x: Float64Array;
  /** S = XXᵀ or XᵀX and T = bS + cS², each r×r with r = min(rows, cols). */
  s: Float64Array;
  t: Float64Array;
}

/**
 * Scratch for {@link newtonSchulzInto} on rows×cols matrices: one rows×cols buffer and two r×r ones
 * (r = min(rows, cols)). Hold one per matrix shape so a training loop allocates nothing.
 *
 * @example
 * ```ts
 * const ws = newtonSchulzWorkspace(3, 2);
 * const out = zeros(3, 2);
 * newtonSchulzInto(fromRows([[1, 0], [0, 1], [0, 0]]), out, { workspace: ws });
 * +out.data[0].toFixed(3);
 * // 1.108
 * ```
 */
export function newtonSchulzWorkspace(rows: number, cols: number): NewtonSchulzWorkspace {
  if (!Number.isSafeInteger(rows) || !Number.isSafeInteger(cols) || rows < 0 || cols < 0) {
    throw new DescentError('INVALID_CONFIG', 'newtonSchulzWorkspace', `rows and cols must be non-negative integers, got ${describeValue(rows)}×${describeValue(cols)}`);
  }
  assertDims(rows, cols, 'newtonSchulzWorkspace', 'G');
  const r = Math.min(rows, cols);
  const ws: NsBuffers = { rows, cols, x: new Float64Array(rows * cols), s: new Float64Array(r * r), t: new Float64Array(r * r) };
  workspaces.add(ws);
  return ws;
}

// Workspaces made by newtonSchulzWorkspace: anything else passed as one (a copy, a forged object whose
// buffers are too short) is rejected instead of being written out of bounds.
const workspaces = new WeakSet<object>();

const shared: NsBuffers = { rows: 0, cols: 0, x: new Float64Array(0), s: new Float64Array(0), t: new Float64Array(0) };

function sharedBuffers(rows: number, cols: number): NsBuffers {
  const r = Math.min(rows, cols);
  if (shared.x.length < rows * cols) shared.x = new Float64Array(rows * cols);
  if (shared.s.length < r * r) {
    shared.s = new Float64Array(r * r);
    shared.t = new Float64Array(r * r);
  }
  return shared;
}

/**
 * {@link newtonSchulz} written into `out` (same shape as G, must not alias it). `out` is one of the
 * two ping-pong buffers of the iteration; the rest of the scratch comes from `options.workspace` (or a
 * shared module-level one), so a training loop allocates nothing. Tall G iterates X ← aX + X(bS + cS²)
 * with S = XᵀX, wide G with S = XXᵀ: the Gram matrix is always the min(m, n)-sided one, formed by
 * `gramInto` (S and S² are symmetric).
 *
 * @example
 * ```ts
 * const g = fromRows([[3, 0], [0, 4]]);
 * newtonSchulzInto(g, zeros(2, 2)).rows;
 * // 2
 * ```
 */
export function newtonSchulzInto(g: Matrix, out: Matrix, options: NewtonSchulzIntoOptions = {}): Matrix {
  const o = readOptions(options, 'newtonSchulz');
  optionalBoolean(o.check, 'newtonSchulz', 'options.check');
  assertMatrix(g, 'newtonSchulz', 'G', { finite: o.check ?? true });
  assertShape(out, g.rows, g.cols, 'newtonSchulz', 'out');
  if (overlaps(out.data, g.data)) throw new DescentError('SHAPE_MISMATCH', 'newtonSchulz', 'out must not alias G');
  const steps = o.steps ?? 5;
  // Each step costs O(mn·min(m, n)): a bound keeps a typo such as 1e9 from running for hours.
  optionalNumber(steps, 'newtonSchulz', 'options.steps', (v) => Number.isInteger(v) && v >= 0 && v <= MAX_STEPS, `an integer in [0, ${MAX_STEPS}]`);
  const coefficients = o.coefficients ?? MUON_COEFFICIENTS;
  if (!Array.isArray(coefficients) || coefficients.length !== 3) {
    throw new DescentError('INVALID_CONFIG', 'newtonSchulz', `options.coefficients must be an array of 3 numbers, got ${describeValue(coefficients)}`);
  }
  const [a, b, c] = coefficients as readonly [number, number, number];
  if (![a, b, c].every((x) => typeof x === 'number' && Number.isFinite(x))) throw new DescentError('INVALID_CONFIG', 'newtonSchulz', 'coefficients must be finite');
  const eps = o.eps ?? 1e-7;
  optionalNumber(eps, 'newtonSchulz', 'options.eps', (v) => v >= 0, 'a finite number >= 0');
  const { rows: m, cols: n } = g;
  let ws: NsBuffers;
  if (o.workspace !== undefined) {
    ws = o.workspace as NsBuffers;
    if (!workspaces.has(ws)) throw new DescentError('INVALID_CONFIG', 'newtonSchulz', `options.workspace must come from newtonSchulzWorkspace, got ${describeValue(ws)}`);
    if (ws.rows !== m || ws.cols !== n) {
      throw new DescentError('SHAPE_MISMATCH', 'newtonSchulz', `workspace is for ${ws.rows}×${ws.cols}, G is ${m}×${n}`);
    }
  } else {
    ws = sharedBuffers(m, n);
  }
  const tall = m > n;
  const r = tall ? n : m;
  const size = m * n;
  const denom = norm2(g.data) + eps;
  if (denom === 0) {
    out.data.fill(0);
    return out;
  }
  // Start in whichever buffer makes the last step land in `out`.
  let X = steps % 2 === 0 ? out.data : ws.x.subarray(0, size);
  let Y = steps % 2 === 0 ? ws.x.subarray(0, size) : out.data;
  // Divide rather than multiply by 1/denom, which overflows when ‖G‖_F is subnormal and eps = 0.
  for (let i = 0; i < size; i++) X[i] = g.data[i]! / denom;
  const mx = { rows: m, cols: n, data: X };
  const my = { rows: m, cols: n, data: Y };
  const ms = { rows: r, cols: r, data: ws.s.subarray(0, r * r) };
  const mt = { rows: r, cols: r, data: ws.t.subarray(0, r * r) };
  const S = ms.data;
  const T = mt.data;
  for (let k = 0; k < steps; k++) {
    mx.data = X;
    my.data = Y;
    gramInto(mx, ms, tall ? 'left' : 'right'); // S = XᵀX (tall) or XXᵀ (wide)
    gramInto(ms, mt, 'left'); // S² = SᵀS
    // T = b·S + c·S²
    for (let i = 0; i < r * r; i++) T[i] = c * T[i]! + b * S[i]!;
    // Y = a·X + T·X (wide) or a·X + X·T (tall)
    Y.set(X);
    if (tall) gemmInto(mx, mt, my, { beta: a });
    else gemmInto(mt, mx, my, { beta: a });
    const t = X;
    X = Y;
    Y = t;
  }
  return out;
}
