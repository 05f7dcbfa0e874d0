import { wasmApi, type WasmMemory } from '../wasm/api.js';
import { decodeBase64 } from '../wasm/base64.js';
import { LEVEL2_WASM_BASE64 } from './level2-wasm-bytes.js';

// The level-2 (matrix-vector) kernels of eigh's tridiagonal, svd's bidiagonal and qr's panel
// reductions (LAPACK dlatrd's, dlabrd's and dgeqr2's dsymv, dgemv and dger calls): WebAssembly SIMD
// compiled from assembly/level2.ts, or, where that is missing, the same arithmetic in JavaScript,
// operation for operation, so both give the same bits. The working data (matrix, panels, vectors)
// lives in one heap of doubles, the module's memory; every argument is an index into it. One
// reduction at a time holds the heap: eigh, svd and qr take it for the length of a call and call
// nothing else that takes it.

/** A heap of doubles and the kernels that work on it (see assembly/level2.ts for each one). */
export interface Level2Kernels {
  /** The heap; replaced (contents kept) by {@link Level2Kernels.reserve}. */
  heap: Float64Array;
  /** The first index free for the caller. */
  readonly start: number;
  /** Whether the kernels are the WebAssembly ones. */
  readonly wasm: boolean;
  /** Grows the heap to at least start + `doubles` doubles and returns it; false if it cannot. */
  reserve(doubles: number): boolean;
  /** y ← y + A·x, A symmetric n×n from its lower triangle (column-major, leading dimension lda). */
  symvLower(a: number, lda: number, x: number, y: number, n: number): void;
  /** y[r] ← y[r] − Σ_p (A[p, r]·s[p] + B[p, r]·t[p]), A and B np×n row-major with row stride ld. */
  gemvPairSub(y: number, a: number, b: number, ld: number, np: number, s: number, t: number, n: number): void;
  /** s[p] ← A[p, :]·x, t[p] ← B[p, :]·x over n entries (A, B row-major with row stride ld). */
  gemvPairDots(a: number, b: number, ld: number, np: number, x: number, n: number, s: number, t: number): void;
  /** y[c] ← A[:, c]·x for c < n, A m×n column-major (leading dimension lda). */
  gemvT(a: number, lda: number, m: number, n: number, x: number, y: number): void;
  /** y ← y + A·x, A m×n column-major (leading dimension lda). */
  gemvN(a: number, lda: number, m: number, n: number, x: number, y: number): void;
  /** A[:, c] ← A[:, c] + x·y[c], A m×n column-major (leading dimension lda). */
  rank1Update(a: number, lda: number, m: number, n: number, x: number, y: number): void;
}

/** The module's exports: the kernels as in {@link Level2Kernels}, and its memory. */
type KernelExports = Pick<Level2Kernels, 'symvLower' | 'gemvPairSub' | 'gemvPairDots' | 'gemvT' | 'gemvN' | 'rank1Update'> & {
  memory: WasmMemory;
  heapStart(): number;
  reserve(doubles: number): number;
};

/** The largest heap (doubles) kept between calls; a larger problem gets kernels of its own. */
const KEEP = 2 * 512 * 512;

let compiled: object | null | undefined;
let kept: Level2Kernels | undefined;
let forceJs = false;

/** The compiled module, or null where WebAssembly SIMD is missing or refuses synchronous compilation. */
function wasmModule(): object | null {
  if (compiled === undefined) {
    try {
      const bytes = decodeBase64(LEVEL2_WASM_BASE64);
      compiled = wasmApi !== undefined && wasmApi.validate(bytes) ? new wasmApi.Module(bytes) : null;
    } catch {
      compiled = null;
    }
  }
  return compiled;
}

/** The module's bytes (for the test that compares them with a fresh compilation). @internal */
export function level2WasmBytes(): Uint8Array {
  return decodeBase64(LEVEL2_WASM_BASE64);
}

/** Makes {@link level2Kernels} hand out the JavaScript kernels (tests compare both). @internal */
export function useJsLevel2Kernels(on: boolean): void {
  forceJs = on;
  kept = undefined;
}

/**
 * Kernels whose heap holds at least `doubles` doubles past `start`: up to {@link KEEP} doubles the ones
 * kept from the last call (grown if need be), else new ones of their own, dropped after the call (a
 * WebAssembly memory never shrinks, so one large problem must not grow the kept one).
 */
export function level2Kernels(doubles: number): Level2Kernels {
  const keep = doubles <= KEEP;
  if (keep && kept !== undefined && kept.reserve(doubles)) return kept;
  const module = forceJs ? null : wasmModule();
  let k: Level2Kernels | undefined;
  if (module !== null) {
    try {
      k = wasmKernels(module);
    } catch {
      k = undefined;
    }
  }
  if (k === undefined || !k.reserve(doubles)) k = jsKernels();
  k.reserve(doubles);
  if (keep) kept = k;
  return k;
}

function wasmKernels(module: object): Level2Kernels {
  const x = new wasmApi!.Instance(module, {}).exports as unknown as KernelExports;
  const start = x.heapStart();
  const k: Level2Kernels = {
    heap: new Float64Array(x.memory.buffer),
    start,
    wasm: true,
    reserve(doubles) {
      if (start + doubles > 2 ** 28 || !x.reserve(start + doubles)) return false;
      if (k.heap.buffer !== x.memory.buffer) k.heap = new Float64Array(x.memory.buffer);
      return true;
    },
    symvLower: x.symvLower,
    gemvPairSub: x.gemvPairSub,
    gemvPairDots: x.gemvPairDots,
    gemvT: x.gemvT,
    gemvN: x.gemvN,
    rank1Update: x.rank1Update,
  };
  return k;
}

function jsKernels(): Level2Kernels {
  const k: Level2Kernels = {
    heap: new Float64Array(0),
    start: 0,
    wasm: false,
    reserve(doubles) {
      if (k.heap.length < doubles) {
        const h = new Float64Array(doubles);
        h.set(k.heap);
        k.heap = h;
      }
      return true;
    },
    symvLower: (a, lda, x, y, n) => symvLowerJs(k.heap, a, lda, x, y, n),
    gemvPairSub: (y, a, b, ld, np, s, t, n) => gemvPairSubJs(k.heap, y, a, b, ld, np, s, t, n),
    gemvPairDots: (a, b, ld, np, x, n, s, t) => gemvPairDotsJs(k.heap, a, b, ld, np, x, n, s, t),
    gemvT: (a, lda, m, n, x, y) => gemvTJs(k.heap, a, lda, m, n, x, y),
    gemvN: (a, lda, m, n, x, y) => gemvNJs(k.heap, a, lda, m, n, x, y),
    rank1Update: (a, lda, m, n, x, y) => rank1UpdateJs(k.heap, a, lda, m, n, x, y),
  };
  return k;
}

/** assembly/level2.ts's symvLower: lane 0 of a vector holds the even rows of a pair, lane 1 the odd. */
function symvLowerJs(h: Float64Array, a: number, lda: number, x: number, y: number, n: number): void {
  let c = 0;
  for (; c + 4 <= n; c += 4) {
    const k0 = a + c * lda;
    const k1 = k0 + lda;
    const k2 = k1 + lda;
    const k3 = k2 + lda;
    const x0 = h[x + c]!;
    const x1 = h[x + c + 1]!;
    const x2 = h[x + c + 2]!;
    const x3 = h[x + c + 3]!;
    let e0 = 0, e1 = 0, e2 = 0, e3 = 0;
    let o0 = 0, o1 = 0, o2 = 0, o3 = 0;
    let r = c + 4;
    for (; r + 2 <= n; r += 2) {
      const v = h[x + r]!;
      const w = h[x + r + 1]!;
      const p0 = h[k0 + r]!, q0 = h[k0 + r + 1]!;
      const p1 = h[k1 + r]!, q1 = h[k1 + r + 1]!;
      const p2 = h[k2 + r]!, q2 = h[k2 + r + 1]!;
      const p3 = h[k3 + r]!, q3 = h[k3 + r + 1]!;
      e0 += p0 * v;
      o0 += q0 * w;
      e1 += p1 * v;
      o1 += q1 * w;
      e2 += p2 * v;
      o2 += q2 * w;
      e3 += p3 * v;
      o3 += q3 * w;
      h[y + r] = h[y + r]! + p0 * x0 + p1 * x1 + p2 * x2 + p3 * x3;
      h[y + r + 1] = h[y + r + 1]! + q0 * x0 + q1 * x1 + q2 * x2 + q3 * x3;
    }
    let t0 = e0 + o0;
    let t1 = e1 + o1;
    let t2 = e2 + o2;
    let t3 = e3 + o3;
    if (r < n) {
      const v = h[x + r]!;
      const p0 = h[k0 + r]!;
      const p1 = h[k1 + r]!;
      const p2 = h[k2 + r]!;
      const p3 = h[k3 + r]!;
      t0 += p0 * v;
      t1 += p1 * v;
      t2 += p2 * v;
      t3 += p3 * v;
      h[y + r] = h[y + r]! + p0 * x0 + p1 * x1 + p2 * x2 + p3 * x3;
    }
    const a00 = h[k0 + c]!, a10 = h[k0 + c + 1]!, a20 = h[k0 + c + 2]!, a30 = h[k0 + c + 3]!;
    const a11 = h[k1 + c + 1]!, a21 = h[k1 + c + 2]!, a31 = h[k1 + c + 3]!;
    const a22 = h[k2 + c + 2]!, a32 = h[k2 + c + 3]!;
    const a33 = h[k3 + c + 3]!;
    const yc = y + c;
    h[yc] = h[yc]! + t0 + (a00 * x0 + a10 * x1 + a20 * x2 + a30 * x3);
    h[yc + 1] = h[yc + 1]! + t1 + (a10 * x0 + a11 * x1 + a21 * x2 + a31 * x3);
    h[yc + 2] = h[yc + 2]! + t2 + (a20 * x0 + a21 * x1 + a22 * x2 + a32 * x3);
    h[yc + 3] = h[yc + 3]! + t3 + (a30 * x0 + a31 * x1 + a32 * x2 + a33 * x3);
  }
  for (let i = c; i < n; i++) {
    let s = 0;
    for (let j = c; j < n; j++) s += (i >= j ? h[a + j * lda + i]! : h[a + i * lda + j]!) * h[x + j]!;
    h[y + i] = h[y + i]! + s;
  }
}

/** assembly/level2.ts's gemvPairSub: each row subtracts its p terms in increasing p. */
function gemvPairSubJs(h: Float64Array, y: number, a: number, b: number, ld: number, np: number, s: number, t: number, n: number): void {
  for (let r = 0; r < n; r++) {
    let v = h[y + r]!;
    let pa = a + r;
    let pb = b + r;
    for (let p = 0; p < np; p++) {
      v -= h[pa]! * h[s + p]! + h[pb]! * h[t + p]!;
      pa += ld;
      pb += ld;
    }
    h[y + r] = v;
  }
}

/** assembly/level2.ts's gemvPairDots: partial sums by r mod 4, combined ((0 + 2) + (1 + 3)). */
function gemvPairDotsJs(h: Float64Array, a: number, b: number, ld: number, np: number, x: number, n: number, s: number, t: number): void {
  const even = n - (n & 1);
  for (let p = 0; p < np; p++) {
    const pa = a + p * ld;
    const pb = b + p * ld;
    let a0 = 0, a1 = 0, a2 = 0, a3 = 0;
    let b0 = 0, b1 = 0, b2 = 0, b3 = 0;
    let r = 0;
    for (; r + 4 <= even; r += 4) {
      const x0 = h[x + r]!, x1 = h[x + r + 1]!, x2 = h[x + r + 2]!, x3 = h[x + r + 3]!;
      a0 += h[pa + r]! * x0;
      a1 += h[pa + r + 1]! * x1;
      a2 += h[pa + r + 2]! * x2;
      a3 += h[pa + r + 3]! * x3;
      b0 += h[pb + r]! * x0;
      b1 += h[pb + r + 1]! * x1;
      b2 += h[pb + r + 2]! * x2;
      b3 += h[pb + r + 3]! * x3;
    }
    if (r < even) {
      const x0 = h[x + r]!, x1 = h[x + r + 1]!;
      a0 += h[pa + r]! * x0;
      a1 += h[pa + r + 1]! * x1;
      b0 += h[pb + r]! * x0;
      b1 += h[pb + r + 1]! * x1;
      r += 2;
    }
    let sa = a0 + a2 + (a1 + a3);
    let sb = b0 + b2 + (b1 + b3);
    if (r < n) {
      const v = h[x + r]!;
      sa += h[pa + r]! * v;
      sb += h[pb + r]! * v;
    }
    h[s + p] = sa;
    h[t + p] = sb;
  }
}

/** assembly/level2.ts's gemvT: each column's even and odd rows summed apart, then added, then an odd last row. */
function gemvTJs(h: Float64Array, a: number, lda: number, m: number, n: number, x: number, y: number): void {
  const even = m - (m & 1);
  let c = 0;
  for (; c + 4 <= n; c += 4) {
    const k0 = a + c * lda;
    const k1 = k0 + lda;
    const k2 = k1 + lda;
    const k3 = k2 + lda;
    let e0 = 0, e1 = 0, e2 = 0, e3 = 0;
    let o0 = 0, o1 = 0, o2 = 0, o3 = 0;
    for (let r = 0; r < even; r += 2) {
      const v = h[x + r]!;
      const w = h[x + r + 1]!;
      e0 += h[k0 + r]! * v;
      o0 += h[k0 + r + 1]! * w;
      e1 += h[k1 + r]! * v;
      o1 += h[k1 + r + 1]! * w;
      e2 += h[k2 + r]! * v;
      o2 += h[k2 + r + 1]! * w;
      e3 += h[k3 + r]! * v;
      o3 += h[k3 + r + 1]! * w;
    }
    let s0 = e0 + o0;
    let s1 = e1 + o1;
    let s2 = e2 + o2;
    let s3 = e3 + o3;
    if (even < m) {
      const v = h[x + even]!;
      s0 += h[k0 + even]! * v;
      s1 += h[k1 + even]! * v;
      s2 += h[k2 + even]! * v;
      s3 += h[k3 + even]! * v;
    }
    h[y + c] = s0;
    h[y + c + 1] = s1;
    h[y + c + 2] = s2;
    h[y + c + 3] = s3;
  }
  for (; c < n; c++) {
    const k0 = a + c * lda;
    let e0 = 0;
    let o0 = 0;
    for (let r = 0; r < even; r += 2) {
      e0 += h[k0 + r]! * h[x + r]!;
      o0 += h[k0 + r + 1]! * h[x + r + 1]!;
    }
    let s0 = e0 + o0;
    if (even < m) s0 += h[k0 + even]! * h[x + even]!;
    h[y + c] = s0;
  }
}

/** assembly/level2.ts's gemvN: each row adds its terms in increasing column order. */
function gemvNJs(h: Float64Array, a: number, lda: number, m: number, n: number, x: number, y: number): void {
  let c = 0;
  for (; c + 4 <= n; c += 4) {
    const k0 = a + c * lda;
    const k1 = k0 + lda;
    const k2 = k1 + lda;
    const k3 = k2 + lda;
    const x0 = h[x + c]!;
    const x1 = h[x + c + 1]!;
    const x2 = h[x + c + 2]!;
    const x3 = h[x + c + 3]!;
    for (let r = 0; r < m; r++) h[y + r] = h[y + r]! + h[k0 + r]! * x0 + h[k1 + r]! * x1 + h[k2 + r]! * x2 + h[k3 + r]! * x3;
  }
  for (; c < n; c++) {
    const k0 = a + c * lda;
    const x0 = h[x + c]!;
    for (let r = 0; r < m; r++) h[y + r] = h[y + r]! + h[k0 + r]! * x0;
  }
}

/** assembly/level2.ts's rank1Update. */
function rank1UpdateJs(h: Float64Array, a: number, lda: number, m: number, n: number, x: number, y: number): void {
  for (let c = 0; c < n; c++) {
    const k0 = a + c * lda;
    const yc = h[y + c]!;
    for (let r = 0; r < m; r++) h[k0 + r] = h[k0 + r]! + h[x + r]! * yc;
  }
}
