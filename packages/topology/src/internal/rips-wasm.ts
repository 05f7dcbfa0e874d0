// The WebAssembly Rips kernel (assembly/rips.ts, committed as bytes in rips-wasm-bytes.ts): compiled
// once per process (synchronously on first use, or ahead of it by initRipsWasm where a synchronous
// compilation is refused), and one instance kept for every run whose matrix fits in KEEP_MATRIX_BYTES.
// The kernel owns the dense matrix: callers write distances into `matrix()` and must take a fresh view
// after every call that may allocate (growing WebAssembly memory detaches the old views).
import { decodeBase64, wasmApi, type WasmMemory } from '@descent/linalg/wasm';
import { RIPS_WASM_BASE64 } from './rips-wasm-bytes.js';

type WasmModule = object;

interface KernelExports {
  memory: WasmMemory;
  reset(): void;
  alloc(size: number): number;
  pointMatrix(x: number, n: number, d: number, out: number): void;
  useMatrix(m: number, n: number, f32: number): void;
  matrixStats(t: number): void;
  getStat(k: number): number;
  countEdges(t: number): number;
  setup(m: number, n: number, f32: number, p: number, t: number, ratio: number, keepZero: number): void;
  sortEdges(): number;
  edgesPtr(): number;
  dim0(wantColumns: number, keepZero: number): void;
  dim1(keepZero: number): void;
  h0Ptr(): number;
  h0Count(): number;
  rootCount(): number;
  columnCount(): number;
  apparentCount(): number;
  emergentCount(): number;
  additionCount(): number;
  pairsPtr(): number;
  pairCount(): number;
  pivotsPtr(): number;
  pivotCount(): number;
}

let compiled: WasmModule | null | undefined;
let initializing: Promise<boolean> | undefined;

/**
 * The compiled kernel, or undefined where WebAssembly is missing or refuses a synchronous compilation
 * (a browser's main thread may, unless `initRipsWasm` compiled it first): the caller then runs
 * the JS engine.
 */
export function ripsWasmModule(): WasmModule | undefined {
  if (compiled === undefined) {
    try {
      compiled = wasmApi ? new wasmApi.Module(decodeBase64(RIPS_WASM_BASE64)) : null;
    } catch {
      compiled = null;
    }
  }
  return compiled ?? undefined;
}

/** The promise behind the public `initRipsWasm` (one per process). */
export function compileRipsWasm(): Promise<boolean> {
  initializing ??= compileAsync();
  return initializing;
}

async function compileAsync(): Promise<boolean> {
  if (compiled) return true;
  if (wasmApi === undefined || typeof wasmApi.compile !== 'function') return false;
  try {
    compiled = await wasmApi.compile(decodeBase64(RIPS_WASM_BASE64));
    return true;
  } catch {
    return false;
  }
}

/** The raw module bytes (for the test that compares them with a fresh compilation). @internal */
export function ripsWasmBytes(): Uint8Array {
  return decodeBase64(RIPS_WASM_BASE64);
}

/** What the kernel reports after dimensions 0 and 1. */
export interface KernelResult {
  /** Finite H0 deaths (births are 0), in the order found. */
  h0Deaths: Float64Array;
  /** Number of components (essential H0 bars). */
  roots: number;
  /** Sorted edges as matrix positions i·n + j (i > j). */
  edgePositions?: Uint32Array;
  columns: number;
  apparent: number;
  emergent: number;
  additions: number;
  /** H1 (birth, death) pairs in column order, interleaved; death +∞ for essential classes. */
  pairs?: Float64Array;
  /** H1 pivot indices (for clearing in dimension 2). */
  pivots?: Float64Array;
}

/**
 * The largest matrix (bytes) of a run on the kept instance. Every H1 run reserves ≈ 45 MiB of heaps
 * and vectors (address space: pages count once written), so a kept instance is ≈ 50 MiB plus its
 * matrix; a larger matrix gets an instance of its own, dropped after the run, because a WebAssembly
 * memory never shrinks.
 */
const KEEP_MATRIX_BYTES = 8 * 2 ** 20;
/** A run that grew the kept instance's memory beyond this many bytes (many edges) drops it. */
const KEEP_MEMORY_BYTES = 96 * 2 ** 20;

let keepMatrixBytes = KEEP_MATRIX_BYTES;
let keepMemoryBytes = KEEP_MEMORY_BYTES;
let kept: KernelExports | undefined;
/** Bumped whenever a run takes the kept instance: a kernel of an earlier run must not touch it again. */
let keptRun = 0;

/** The kept instance's memory (undefined: none kept), for the tests. @internal */
export function keptRipsKernelMemory(): WasmMemory | undefined {
  return kept?.memory;
}

/**
 * Sets the kept instance's limits (matrix bytes, memory bytes) and drops the kept instance; no
 * argument restores the defaults. For the tests, which need small problems beyond the limits. @internal
 */
export function setRipsKernelKeep(limits?: { matrixBytes: number; memoryBytes: number }): void {
  keepMatrixBytes = limits?.matrixBytes ?? KEEP_MATRIX_BYTES;
  keepMemoryBytes = limits?.memoryBytes ?? KEEP_MEMORY_BYTES;
  kept = undefined;
}

/** One run of the kernel on an n×n matrix held in its memory. @internal */
export class DenseKernel {
  private readonly x: KernelExports;
  private readonly ptr: number;
  /** The value of keptRun when this run took the kept instance; −1 on an instance of its own. */
  private readonly run_: number;

  constructor(
    module: WasmModule,
    readonly n: number,
    readonly f32: boolean,
  ) {
    const bytes = n * n * (f32 ? 4 : 8);
    if (bytes <= keepMatrixBytes) {
      kept ??= new wasmApi!.Instance(module, {}).exports as unknown as KernelExports;
      this.x = kept;
      this.run_ = ++keptRun;
    } else {
      this.x = new wasmApi!.Instance(module, {}).exports as unknown as KernelExports;
      this.run_ = -1;
    }
    this.x.reset();
    this.ptr = this.x.alloc(bytes);
    // A fresh memory is zero; a reused one holds the last run's data, and callers write only the
    // entries off the diagonal.
    if (this.run_ >= 0) this.matrix().fill(0);
  }

  /** Throws if a later run has taken this run's kept instance (its memory then holds that run's data). */
  private own(): KernelExports {
    if (this.run_ >= 0 && (this.run_ !== keptRun || this.x !== kept)) throw new Error('internal: the WebAssembly Rips kernel was taken by a later run');
    return this.x;
  }

  /**
   * Ends the run: the kept instance is dropped if the run grew its memory beyond the limit (the
   * caller's views stay valid).
   */
  finish(): void {
    if (this.run_ >= 0 && this.x === kept && this.x.memory.buffer.byteLength > keepMemoryBytes) kept = undefined;
  }

  /** A fresh view of the matrix (zero-filled until written). */
  matrix(): Float32Array | Float64Array {
    const buf = this.own().memory.buffer;
    return this.f32 ? new Float32Array(buf, this.ptr, this.n * this.n) : new Float64Array(buf, this.ptr, this.n * this.n);
  }

  /** ripser's float32 point distances (coordinates rounded to float) into the matrix. */
  pointMatrix(data: Float64Array, d: number): void {
    const x = this.own();
    const p = x.alloc(4 * data.length);
    new Float32Array(x.memory.buffer, p, data.length).set(data);
    x.pointMatrix(p, this.n, d, this.ptr);
  }

  /** Range, edges ≤ t, enclosing radius, and the position of the first negative or NaN entry below the diagonal (−1: none). */
  stats(t: number): { min: number; maxFinite: number; edges: number; enclosing: number; bad: number } {
    const x = this.own();
    x.useMatrix(this.ptr, this.n, this.f32 ? 1 : 0);
    x.matrixStats(t);
    return { min: x.getStat(0), maxFinite: x.getStat(1), edges: x.getStat(2), enclosing: x.getStat(3), bad: x.getStat(4) };
  }

  countEdges(t: number): number {
    const x = this.own();
    x.useMatrix(this.ptr, this.n, this.f32 ? 1 : 0);
    return x.countEdges(t);
  }

  /** Dimensions 0 and (when dimMax ≥ 1) 1. */
  run(dimMax: number, p: number, t: number, ratio: number, keepZero: boolean, wantEdges: boolean): KernelResult {
    const x = this.own();
    x.setup(this.ptr, this.n, this.f32 ? 1 : 0, p, t, ratio, keepZero ? 1 : 0);
    const m = x.sortEdges();
    x.dim0(dimMax > 0 ? 1 : 0, keepZero ? 1 : 0);
    if (dimMax > 0) x.dim1(keepZero ? 1 : 0);
    const buf = x.memory.buffer;
    const out: KernelResult = {
      h0Deaths: new Float64Array(buf, x.h0Ptr(), x.h0Count()).slice(),
      roots: x.rootCount(),
      columns: x.columnCount(),
      apparent: x.apparentCount(),
      emergent: dimMax > 0 ? x.emergentCount() : 0,
      additions: dimMax > 0 ? x.additionCount() : 0,
    };
    if (wantEdges) out.edgePositions = new Uint32Array(buf, x.edgesPtr(), m).slice();
    if (dimMax > 0) {
      out.pairs = new Float64Array(buf, x.pairsPtr(), 2 * x.pairCount()).slice();
      const k = x.pivotCount();
      const piv = new BigInt64Array(buf, x.pivotsPtr(), k);
      const pivots = new Float64Array(k);
      for (let i = 0; i < k; i++) pivots[i] = Number(piv[i]!);
      out.pivots = pivots;
    }
    return out;
  }
}

const owners = new WeakMap<object, DenseKernel>();

/** Remembers that `view` is `kernel`'s matrix (the CLI builds it before the engine exists). @internal */
export function registerKernelMatrix(view: Float32Array | Float64Array, kernel: DenseKernel): void {
  owners.set(view, kernel);
}

/** The kernel whose matrix `view` is, if any. @internal */
export function kernelOfMatrix(view: object): DenseKernel | undefined {
  return owners.get(view);
}
