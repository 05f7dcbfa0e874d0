import { DescentError } from '../errors.js';
import type { Matrix } from '../matrix.js';
import { assertMatrix } from '../validate.js';
import { createArena, layout, reserve, type GemmArena, type GemmLayout } from './gemm-arena.js';
import { gemmSumsJs } from './gemm-js.js';
import { MR, NR } from './gemm-module.js';
import { awaitSlice, postSlice, threadedArena } from './gemm-threads.js';
import { kernelThreads } from './threads.js';
import { overlaps } from './transpose.js';

/** Options of {@link gemm}: C ← α·op(A)·op(B) + β·C. */
export interface GemmOptions {
  /** Use Aᵀ in place of A. */
  transA?: boolean;
  /** Use Bᵀ in place of B. */
  transB?: boolean;
  /** Default 1. */
  alpha?: number;
  /** Default 0: the previous content of `out` is ignored (even if it holds NaN). */
  beta?: number;
  /**
   * Threads for this product (default {@link setKernelThreads}'s value, 1 unless set). Worker threads
   * are used in Node for products of at least 2·128³ flops; the result is the same for every count.
   */
  threads?: number;
}

// Below this many multiply-adds the copies into the WebAssembly memory cost more than they save.
const SMALL = 16 * 16 * 16;
// Below this many multiply-adds a product stays on the calling thread.
const THREADED = 128 * 128 * 128;

let arena: GemmArena | null | undefined;

/** The single-thread arena, or null where WebAssembly SIMD is unavailable. */
function localArena(): GemmArena | null {
  if (arena === undefined) arena = createArena(false);
  return arena;
}

/** The problem after validation: dimensions of op(A) (m×k) and op(B) (k×n), and the options. */
interface Product {
  readonly a: Matrix;
  readonly b: Matrix;
  readonly transA: boolean;
  readonly transB: boolean;
  readonly m: number;
  readonly n: number;
  readonly k: number;
  readonly alpha: number;
  readonly beta: number;
  /** Only C's lower triangle is needed (it is mirrored to the upper one): AᵀA or AAᵀ. */
  readonly lowerOnly: boolean;
  readonly threads: number;
}

/** out ← α·S + β·out, or α·S when β = 0 (NaN in out ignored), from the row-major sums S (row stride ld). */
function writeOut(p: Product, sums: Float64Array, base: number, ld: number, c: Float64Array): void {
  const { m, n, alpha, beta } = p;
  for (let i = 0; i < m; i++) {
    const s = base + i * ld;
    const o = i * n;
    const jEnd = p.lowerOnly ? i + 1 : n;
    if (beta === 0) {
      if (alpha === 1) c.set(sums.subarray(s, s + jEnd), o);
      else for (let j = 0; j < jEnd; j++) c[o + j] = alpha * sums[s + j]!;
    } else if (alpha === -1 && beta === 1) {
      // (−1)·s + 1·c is c − s exactly (the blocked reflectors' update).
      for (let j = 0; j < jEnd; j++) c[o + j] = c[o + j]! - sums[s + j]!;
    } else {
      for (let j = 0; j < jEnd; j++) c[o + j] = alpha * sums[s + j]! + beta * c[o + j]!;
    }
  }
  if (p.lowerOnly) for (let i = 0; i < m; i++) for (let j = 0; j < i; j++) c[j * n + i] = c[i * n + j]!;
}

/** The naive loop, for tiny products: the same sums in the same order as the blocked kernels. */
function naiveInto(p: Product, c: Float64Array): void {
  const { a, b, transA, transB, m, n, k, alpha, beta } = p;
  const ad = a.data;
  const bd = b.data;
  const sAi = transA ? 1 : a.cols, sAk = transA ? a.cols : 1;
  const sBk = transB ? 1 : b.cols, sBj = transB ? b.cols : 1;
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let q = 0; q < k; q++) s += ad[i * sAi + q * sAk]! * bd[q * sBk + j * sBj]!;
      const o = i * n + j;
      c[o] = beta === 0 ? alpha * s : alpha * s + beta * c[o]!;
    }
  }
}

/** Splits [0, total) tiles of `size` into `parts` ranges (element indices); `lower` balances a triangle. */
function split(total: number, size: number, parts: number, lower: boolean): number[] {
  const tiles = total / size;
  const cuts = [0];
  for (let t = 1; t < parts; t++) {
    const frac = lower ? Math.sqrt(t / parts) : t / parts;
    cuts.push(Math.max(cuts[t - 1]!, Math.round(frac * tiles) * size));
  }
  cuts.push(total);
  return cuts;
}

/** The product through the WebAssembly kernel, on one thread or split over worker threads. */
function wasmInto(p: Product, c: Float64Array): boolean {
  const { a, b, transA, transB, m, n, k } = p;
  const sameAB = a.data === b.data;
  const pool = p.threads > 1 && m * n * k >= THREADED ? threadedArena(p.threads) : undefined;
  const ar = pool?.arena ?? localArena();
  if (ar === null) return false;
  const lanes = pool === undefined ? 1 : pool.lanes + 1;
  const L: GemmLayout = layout(m, n, k, a.data.length, b.data.length, sameAB, lanes);
  if (!reserve(ar, L.bytes)) return false;
  const f = new Float64Array(ar.memory.buffer);
  f.set(a.data, L.a / 8);
  if (!sameAB) f.set(b.data, L.b / 8);
  f.fill(0, L.c / 8, L.c / 8 + L.mPad * L.nPad);
  const sAi = transA ? 8 : a.cols * 8, sAk = transA ? a.cols * 8 : 8;
  const sBk = transB ? 8 : b.cols * 8, sBj = transB ? b.cols * 8 : 8;
  const lower = p.lowerOnly ? 1 : 0;
  const args = (t: number, i0: number, i1: number, j0: number, j1: number) => [
    m, n, k, L.a, sAi, sAk, L.b, sBk, sBj, L.c, L.nPad * 8, i0, i1, j0, j1, L.pa + t * L.paBytes, L.pb + t * L.pbBytes, lower,
  ];
  if (lanes === 1) {
    ar.slice(...(args(0, 0, L.mPad, 0, L.nPad) as Parameters<GemmArena['slice']>));
  } else {
    const byRows = p.lowerOnly || L.mPad >= L.nPad;
    const cuts = byRows ? split(L.mPad, MR, lanes, p.lowerOnly) : split(L.nPad, NR, lanes, false);
    const range = (t: number) => (byRows ? args(t, cuts[t]!, cuts[t + 1]!, 0, L.nPad) : args(t, 0, L.mPad, cuts[t]!, cuts[t + 1]!));
    for (let t = 1; t < lanes; t++) postSlice(t - 1, range(t));
    let failure: unknown;
    try {
      ar.slice(...(range(0) as Parameters<GemmArena['slice']>));
    } catch (e) {
      failure = e;
    }
    // A worker that has not answered after 30 s plus a generous 10 MFLOP/s for its block has died.
    const deadline = 30_000 + (2 * m * n * k) / lanes / 1e7;
    for (let t = 1; t < lanes; t++) {
      try {
        awaitSlice(t - 1, deadline);
      } catch (e) {
        failure ??= e;
      }
    }
    if (failure !== undefined) throw failure;
  }
  writeOut(p, new Float64Array(ar.memory.buffer), L.c / 8, L.nPad, c);
  return true;
}

/** The JavaScript fallback (no WebAssembly SIMD, or a product beyond the WebAssembly memory). */
function jsInto(p: Product, c: Float64Array): void {
  const nPad = Math.ceil(p.n / 4) * 4;
  const sums = new Float64Array(Math.ceil(p.m / 4) * 4 * nPad);
  gemmSumsJs(p.a, p.b, p.transA, p.transB, p.m, p.n, p.k, sums);
  writeOut(p, sums, 0, nPad, c);
}

/** Validates a product and returns it; `where` names the public function. */
function product(a: Matrix, b: Matrix, out: Matrix, options: GemmOptions, where: string, lowerOnly: boolean): Product {
  assertMatrix(a, where, 'A', { nonEmpty: false, finite: false });
  assertMatrix(b, where, 'B', { nonEmpty: false, finite: false });
  assertMatrix(out, where, 'out', { nonEmpty: false, finite: false });
  if (options === null || typeof options !== 'object') throw new DescentError('INVALID_CONFIG', where, 'options must be an object');
  const transA = options.transA ?? false;
  const transB = options.transB ?? false;
  const alpha = options.alpha ?? 1;
  const beta = options.beta ?? 0;
  const threads = options.threads ?? kernelThreads();
  if (typeof alpha !== 'number' || typeof beta !== 'number') {
    throw new DescentError('INVALID_CONFIG', where, 'alpha and beta must be numbers');
  }
  if (!Number.isInteger(threads) || threads < 1 || threads > 256) {
    throw new DescentError('INVALID_CONFIG', where, `threads must be an integer from 1 to 256, got ${threads}`);
  }
  const m = transA ? a.cols : a.rows;
  const k = transA ? a.rows : a.cols;
  const kb = transB ? b.cols : b.rows;
  const n = transB ? b.rows : b.cols;
  if (k !== kb) {
    throw new DescentError('SHAPE_MISMATCH', where, `inner dimensions differ: op(A) is ${m}×${k}, op(B) is ${kb}×${n}`);
  }
  if (out.rows !== m || out.cols !== n) {
    throw new DescentError('SHAPE_MISMATCH', where, `out is ${out.rows}×${out.cols}, expected ${m}×${n}`);
  }
  if (overlaps(out.data, a.data) || overlaps(out.data, b.data)) {
    throw new DescentError('SHAPE_MISMATCH', where, 'out must not alias A or B');
  }
  return { a, b, transA, transB, m, n, k, alpha, beta, lowerOnly, threads };
}

/** Runs a validated product into `c` (m×n). */
function run(p: Product, c: Float64Array): void {
  const { m, n, k } = p;
  if (m === 0 || n === 0) return;
  if (m * n * k <= SMALL) naiveInto(p, c);
  else if (!wasmInto(p, c)) jsInto(p, c);
}

/**
 * C ← α·op(A)·op(B) + β·C into `out`, where op is the identity or the transpose. `out` must not alias A
 * or B. Each entry is α·s + β·c where s = Σ_k op(A)[i,k]·op(B)[k,j] is summed in increasing k with one
 * rounding per multiply and per add, so the result equals that naive loop bit for bit, whatever the
 * shape, the path (WebAssembly SIMD, JavaScript) or the thread count. Non-finite entries propagate as
 * in that loop (no finiteness check).
 *
 * @example
 * ```ts
 * const a = fromRows([[1, 2], [3, 4]]);
 * gemmInto(a, a, zeros(2, 2), { transA: true }).data;
 * // Float64Array [10, 14, 14, 20]
 * ```
 */
export function gemmInto(a: Matrix, b: Matrix, out: Matrix, options: GemmOptions = {}): Matrix {
  run(product(a, b, out, options, 'gemm', false), out.data);
  return out;
}

/**
 * α·op(A)·op(B) as a new matrix.
 *
 * @example
 * ```ts
 * gemm(fromRows([[1, 2]]), fromRows([[3], [4]])).data;
 * // Float64Array [11]
 * ```
 */
export function gemm(a: Matrix, b: Matrix, options: Omit<GemmOptions, 'beta'> = {}): Matrix {
  assertMatrix(a, 'gemm', 'A', { nonEmpty: false, finite: false });
  assertMatrix(b, 'gemm', 'B', { nonEmpty: false, finite: false });
  if (options === null || typeof options !== 'object') throw new DescentError('INVALID_CONFIG', 'gemm', 'options must be an object');
  const m = options.transA ? a.cols : a.rows;
  const n = options.transB ? b.rows : b.cols;
  return gemmInto(a, b, { rows: m, cols: n, data: new Float64Array(m * n) }, options);
}

/**
 * out ← AᵀA (`side: 'left'`) or AAᵀ (`'right'`) through the gemm kernel, computing only the tiles on
 * or below the diagonal and mirroring them (half the flops of gemm). Internal to {@link gramInto}.
 */
export function symmetricProductInto(a: Matrix, out: Matrix, side: 'left' | 'right', where: string): Matrix {
  return lowerProductInto(a, a, out, side === 'left' ? { transA: true } : { transB: true }, where);
}

/**
 * out ← α·op(A)·op(B) + β·out on and below the diagonal only (the tiles wholly above it are skipped,
 * and the upper triangle of `out` is overwritten with the mirror of the lower), for square products
 * known to be symmetric such as V·Wᵀ + W·Vᵀ = [V W]·[W V]ᵀ. Internal to the decompositions.
 */
export function lowerProductInto(a: Matrix, b: Matrix, out: Matrix, options: GemmOptions, where: string): Matrix {
  const p = product(a, b, out, options, where, true);
  if (p.m !== p.n) throw new DescentError('SHAPE_MISMATCH', where, `a lower-triangle product must be square, got ${p.m}×${p.n}`);
  run(p, out.data);
  return out;
}
