// The WebAssembly Rips kernel (assembly/rips.ts, committed as bytes in rips-wasm-bytes.ts): compiled
// once per process, one instance (its own memory) per run. The kernel owns the dense matrix: callers
// write distances into `matrix()` and must take a fresh view after every call that may allocate
// (growing WebAssembly memory detaches the old views).
import { decodeBase64 } from '@descent/linalg/wasm';
import { RIPS_WASM_BASE64 } from './rips-wasm-bytes.js';

// The compiler's lib (ES2022, no DOM) has no WebAssembly types: the part used here.
interface WasmMemory {
  readonly buffer: ArrayBuffer;
}
type WasmModule = object;
interface WasmApi {
  Module: new (bytes: Uint8Array) => WasmModule;
  Instance: new (module: WasmModule, imports: object) => { exports: unknown };
}
const wasmApi = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;

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

/**
 * The compiled kernel, or undefined where WebAssembly is missing or refuses a synchronous compilation
 * (a browser's main thread may): the caller then runs the JS engine.
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

/** One run of the kernel on an n×n matrix held in its memory. @internal */
export class DenseKernel {
  private readonly x: KernelExports;
  private readonly ptr: number;

  constructor(
    module: WasmModule,
    readonly n: number,
    readonly f32: boolean,
  ) {
    this.x = new wasmApi!.Instance(module, {}).exports as KernelExports;
    this.x.reset();
    this.ptr = this.x.alloc(n * n * (f32 ? 4 : 8));
  }

  /** A fresh view of the matrix (zero-filled until written). */
  matrix(): Float32Array | Float64Array {
    const buf = this.x.memory.buffer;
    return this.f32 ? new Float32Array(buf, this.ptr, this.n * this.n) : new Float64Array(buf, this.ptr, this.n * this.n);
  }

  /** ripser's float32 point distances (coordinates rounded to float) into the matrix. */
  pointMatrix(data: Float64Array, d: number): void {
    const x = this.x;
    const p = x.alloc(4 * data.length);
    new Float32Array(x.memory.buffer, p, data.length).set(data);
    x.pointMatrix(p, this.n, d, this.ptr);
  }

  /** Range, edges ≤ t, enclosing radius, and the position of the first negative or NaN entry below the diagonal (−1: none). */
  stats(t: number): { min: number; maxFinite: number; edges: number; enclosing: number; bad: number } {
    const x = this.x;
    x.useMatrix(this.ptr, this.n, this.f32 ? 1 : 0);
    x.matrixStats(t);
    return { min: x.getStat(0), maxFinite: x.getStat(1), edges: x.getStat(2), enclosing: x.getStat(3), bad: x.getStat(4) };
  }

  countEdges(t: number): number {
    this.x.useMatrix(this.ptr, this.n, this.f32 ? 1 : 0);
    return this.x.countEdges(t);
  }

  /** Dimensions 0 and (when dimMax ≥ 1) 1. */
  run(dimMax: number, p: number, t: number, ratio: number, keepZero: boolean, wantEdges: boolean): KernelResult {
    const x = this.x;
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
