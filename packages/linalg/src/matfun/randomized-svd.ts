import { DescentError } from '../errors.js';
import type { Matrix } from '../matrix.js';
import { assertDims, assertMatrix } from '../validate.js';
import { readOptions } from '../options.js';
import { gemmInto } from '../kernels/gemm.js';
import { normalInto, type Key } from '../random.js';
import { qrBuffers, qrCore, type QrBuffers } from '../decompositions/qr.js';
import { svdBuffers, svdCore, type Svd, type SvdBuffers } from '../decompositions/svd.js';

/** Options of {@link randomizedSvd}. */
export interface RandomizedSvdOptions {
  /** Subspace (power) iterations, each re-orthonormalised by QR. Default 2. */
  powerIterations?: number;
  /** Extra sketch columns beyond k (Halko et al. use 5–10). Default 0, as EGD's reference code. */
  oversample?: number;
}

/**
 * Rank-k randomized SVD (Halko, Martinsson, Tropp 2011): sketch Y = A·Ω with a Gaussian Ω drawn from
 * `key`, refine by power iterations with QR, project B = QᵀA and take B's exact SVD. Returns the top k
 * triplets (u m×k, s, v n×k). With k ≥ rank(A) it reproduces the exact thin SVD's nonzero part.
 *
 * @example
 * ```ts
 * Array.from(randomizedSvd(fromRows([[3, 0], [0, 1]]), 2, key(0)).s, (v) => +v.toFixed(12));
 * // [3, 1]
 * ```
 */
export function randomizedSvd(a: Matrix, k: number, rngKey: Key, options: RandomizedSvdOptions = {}): Svd {
  const o = readOptions(options, 'randomizedSvd');
  assertMatrix(a, 'randomizedSvd', 'A');
  const { l } = checkSketch(a.rows, a.cols, k, o, 'randomizedSvd');
  const f = sketchSvd(a, k, rngKey, o.powerIterations ?? 2, allocate(a.rows, a.cols, k, l));
  return { u: copyMatrix(f.u), s: f.s.slice(), v: copyMatrix(f.v), rank: f.rank };
}

/** Scratch of {@link randomizedSvdInto} for one shape, rank and oversampling (opaque). */
export interface RandomizedSvdWorkspace {
  readonly rows: number;
  readonly cols: number;
  readonly k: number;
  readonly oversample: number;
}

/**
 * Scratch for {@link randomizedSvdInto} on rows×cols matrices at rank k with `oversample` extra sketch
 * columns (default 0): the sketch, two QR and one small SVD working space, and the result's factors.
 *
 * @example
 * ```ts
 * const ws = randomizedSvdWorkspace(3, 2, 1);
 * Array.from(randomizedSvdInto(fromRows([[3, 0], [0, 0], [0, 0]]), 1, key(0), { workspace: ws }).s, (v) => +v.toFixed(12));
 * // [3]
 * ```
 */
export function randomizedSvdWorkspace(rows: number, cols: number, k: number, oversample = 0): RandomizedSvdWorkspace {
  const { l } = checkSketch(rows, cols, k, { oversample }, 'randomizedSvdWorkspace');
  return allocate(rows, cols, k, l);
}

/**
 * {@link randomizedSvd} in a workspace from {@link randomizedSvdWorkspace}: allocates no arrays, and
 * the returned factors are views into the workspace (valid until its next use). Bit-identical to
 * {@link randomizedSvd} with the same key and options.
 *
 * @example
 * ```ts
 * const ws = randomizedSvdWorkspace(2, 2, 2);
 * const f = randomizedSvdInto(fromRows([[3, 0], [0, 1]]), 2, key(0), { workspace: ws });
 * [f.rank, f.s === randomizedSvdInto(fromRows([[1, 0], [0, 1]]), 2, key(0), { workspace: ws }).s];
 * // [2, true]
 * ```
 */
export function randomizedSvdInto(a: Matrix, k: number, rngKey: Key, options: RandomizedSvdOptions & { workspace: RandomizedSvdWorkspace }): Svd {
  const where = 'randomizedSvdInto';
  assertMatrix(a, where, 'A');
  if (options === null || typeof options !== 'object') throw new DescentError('INVALID_CONFIG', where, 'options must be an object with a workspace');
  const { l } = checkSketch(a.rows, a.cols, k, options, where);
  const ws = options.workspace as SketchBuffers;
  if (ws === null || typeof ws !== 'object' || !(ws.omega instanceof Float64Array) || ws.rows !== a.rows || ws.cols !== a.cols || ws.k !== k || ws.l !== l) {
    throw new DescentError('SHAPE_MISMATCH', where, `workspace is not a randomizedSvdWorkspace(${a.rows}, ${a.cols}, ${k}, ${l - k})`);
  }
  return sketchSvd(a, k, rngKey, options.powerIterations ?? 2, ws);
}

interface SketchBuffers extends RandomizedSvdWorkspace {
  readonly l: number;
  /** n×l Gaussian test matrix. */
  readonly omega: Float64Array;
  /** m×l products A·Ω, A·Z. */
  readonly ym: Float64Array;
  /** n×l products Aᵀ·Q. */
  readonly yn: Float64Array;
  readonly qrM: QrBuffers;
  readonly qrN: QrBuffers;
  /** m×l basis Q and n×l basis Z (row-major). */
  readonly basis: Float64Array;
  readonly z: Float64Array;
  /** l×n projection B = QᵀA and its SVD. */
  readonly b: Float64Array;
  readonly svd: SvdBuffers;
  /** l×l and n×l row-major factors of B, and Q·U_B (m×l). */
  readonly ub: Float64Array;
  readonly vb: Float64Array;
  readonly uFull: Float64Array;
  /** The result: U m×k, s (k), V n×k. */
  readonly u: Matrix;
  readonly s: Float64Array;
  readonly v: Matrix;
}

function checkSketch(m: number, n: number, k: number, options: RandomizedSvdOptions, where: string): { l: number } {
  if (!Number.isInteger(m) || !Number.isInteger(n) || m < 1 || n < 1) throw new DescentError('SHAPE_MISMATCH', where, `need positive integer dimensions, got ${m}×${n}`);
  if (!Number.isInteger(k) || k < 1 || k > Math.min(m, n)) {
    throw new DescentError('INVALID_CONFIG', where, `k must be an integer in [1, ${Math.min(m, n)}], got ${k}`);
  }
  const q = options.powerIterations ?? 2;
  const p = options.oversample ?? 0;
  // Each power iteration is two products and two QRs: a bound keeps a typo such as 1e9 from hanging.
  if (!Number.isInteger(q) || q < 0 || q > 1000) throw new DescentError('INVALID_CONFIG', where, `powerIterations must be an integer in [0, 1000], got ${q}`);
  if (!Number.isInteger(p) || p < 0) throw new DescentError('INVALID_CONFIG', where, `oversample must be a non-negative integer, got ${p}`);
  assertDims(m, n, where, 'A');
  return { l: Math.min(k + p, Math.min(m, n)) };
}

function allocate(m: number, n: number, k: number, l: number): SketchBuffers {
  return {
    rows: m, cols: n, k, oversample: l - k, l,
    omega: new Float64Array(n * l), ym: new Float64Array(m * l), yn: new Float64Array(n * l),
    qrM: qrBuffers(m, l), qrN: qrBuffers(n, l), basis: new Float64Array(m * l), z: new Float64Array(n * l),
    b: new Float64Array(l * n), svd: svdBuffers(l, n), ub: new Float64Array(l * l), vb: new Float64Array(n * l), uFull: new Float64Array(m * l),
    u: { rows: m, cols: k, data: new Float64Array(m * k) }, s: new Float64Array(k), v: { rows: n, cols: k, data: new Float64Array(n * k) },
  };
}

/** Orthonormal basis of the m×l matrix `y` into `q` (row-major), through the QR scratch `ws`. */
function orthonormalize(y: Matrix, ws: QrBuffers, q: Float64Array): void {
  qrCore(y, ws);
  q.set(ws.q.subarray(0, ws.m * ws.k));
}

function sketchSvd(a: Matrix, k: number, rngKey: Key, powerIterations: number, ws: SketchBuffers): Svd {
  const { rows: m, cols: n } = a;
  const l = ws.l;
  const mat = (rows: number, cols: number, data: Float64Array): Matrix => ({ rows, cols, data });
  normalInto(rngKey, ws.omega);
  const basis = mat(m, l, ws.basis);
  const z = mat(n, l, ws.z);
  orthonormalize(gemmInto(a, mat(n, l, ws.omega), mat(m, l, ws.ym)), ws.qrM, ws.basis); // m×l
  for (let i = 0; i < powerIterations; i++) {
    orthonormalize(gemmInto(a, basis, mat(n, l, ws.yn), { transA: true }), ws.qrN, ws.z); // n×l
    orthonormalize(gemmInto(a, z, mat(m, l, ws.ym)), ws.qrM, ws.basis);
  }
  const b = gemmInto(basis, a, mat(l, n, ws.b), { transA: true }); // l×n
  // B's thin SVD (l ≤ n): U_B l×l, V_B n×l, converted from the tall frame as svd() does.
  const sv = ws.svd;
  svdCore(b, sv, 0);
  const kk = sv.n;
  const uTall = sv.wide ? ws.vb : ws.ub;
  const vTall = sv.wide ? ws.ub : ws.vb;
  for (let j = 0; j < kk; j++) {
    for (let i = 0; i < sv.m; i++) uTall[i * kk + j] = sv.u[j * sv.m + i]!;
    for (let i = 0; i < kk; i++) vTall[i * kk + j] = sv.v[j * kk + i]!;
  }
  gemmInto(basis, mat(l, l, ws.ub), mat(m, l, ws.uFull)); // m×l
  const u = ws.u.data;
  const v = ws.v.data;
  for (let i = 0; i < m; i++) for (let j = 0; j < k; j++) u[i * k + j] = ws.uFull[i * l + j]!;
  for (let i = 0; i < n; i++) for (let j = 0; j < k; j++) v[i * k + j] = ws.vb[i * l + j]!;
  const s = ws.s;
  for (let i = 0; i < k; i++) s[i] = sv.s[i]!;
  const cutoff = Math.max(m, n) * 2 ** -52 * (s[0] ?? 0);
  let rank = 0;
  for (let i = 0; i < k; i++) if (s[i]! > cutoff) rank++;
  return { u: ws.u, s, v: ws.v, rank };
}

function copyMatrix(x: Matrix): Matrix {
  return { rows: x.rows, cols: x.cols, data: x.data.slice() };
}
