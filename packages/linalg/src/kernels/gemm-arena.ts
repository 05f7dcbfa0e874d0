import { wasmApi, type WasmMemory } from '../wasm/api.js';
import { gemmModuleBytes, KC, MC, MR, NC, NR } from './gemm-module.js';

// A WebAssembly memory with the gemm module bound to it. A product copies op(A)'s and op(B)'s storage
// in as it is (transposes are absorbed when packing), zeroes a padded C, runs the loop nest (on one
// thread, or split over worker threads when the memory is shared), and copies C out.

/** The `slice` export of the gemm module (see gemm-module.ts), all arguments i32. */
export type GemmSlice = (
  m: number, n: number, k: number,
  a: number, sAi: number, sAk: number,
  b: number, sBk: number, sBj: number,
  c: number, ldc: number,
  i0: number, i1: number, j0: number, j1: number,
  pa: number, pb: number, lowerOnly: number,
) => void;

/** Addressable bytes of one arena: 2 GiB keeps every byte offset a non-negative i32. */
export const MAX_PAGES = 32768;
const PAGE = 65536;

/** One memory and the module instance bound to it. */
export interface GemmArena {
  readonly memory: WasmMemory;
  readonly module: object;
  readonly slice: GemmSlice;
  readonly shared: boolean;
}

const modules: (object | null | undefined)[] = [undefined, undefined];

/** The compiled module (shared-memory variant or not), or null where WebAssembly SIMD is unavailable. */
export function gemmModule(shared: boolean): object | null {
  const k = shared ? 1 : 0;
  if (modules[k] === undefined) {
    try {
      const bytes = gemmModuleBytes(shared, MAX_PAGES);
      modules[k] = wasmApi !== undefined && wasmApi.validate(bytes) ? new wasmApi.Module(bytes) : null;
    } catch {
      modules[k] = null;
    }
  }
  return modules[k]!;
}

/** A new arena, or null where WebAssembly SIMD (or, for `shared`, shared memory) is unavailable. */
export function createArena(shared: boolean): GemmArena | null {
  const module = gemmModule(shared);
  if (module === null || wasmApi === undefined) return null;
  try {
    const memory = new wasmApi.Memory(shared ? { initial: 1, maximum: MAX_PAGES, shared: true } : { initial: 1, maximum: MAX_PAGES });
    const instance = new wasmApi.Instance(module, { env: { mem: memory } });
    return { memory, module, slice: instance.exports['slice'] as GemmSlice, shared };
  } catch {
    return null;
  }
}

/** Grows the arena to at least `bytes`; false when that is beyond {@link MAX_PAGES}. */
export function reserve(arena: GemmArena, bytes: number): boolean {
  const pages = Math.ceil(bytes / PAGE);
  if (pages > MAX_PAGES) return false;
  const have = arena.memory.buffer.byteLength / PAGE;
  if (pages > have) arena.memory.grow(pages - have);
  return true;
}

/** Round up to a multiple of `q`. */
export const roundUp = (x: number, q: number): number => Math.ceil(x / q) * q;

/** The byte layout of one product in an arena: per-lane packing buffers, A, B and the padded C. */
export interface GemmLayout {
  /** Padded C: mPad×nPad, whole MR×NR tiles. */
  readonly mPad: number;
  readonly nPad: number;
  /** Lane t packs A at pa + t·paBytes and B at pb + t·pbBytes. */
  readonly pa: number;
  readonly paBytes: number;
  readonly pb: number;
  readonly pbBytes: number;
  readonly a: number;
  readonly b: number;
  readonly c: number;
  readonly bytes: number;
}

/** Lays out a product of op(A) (m×k, stored in `aLen` doubles) by op(B) (k×n, `bLen`) for `lanes` lanes. */
export function layout(m: number, n: number, k: number, aLen: number, bLen: number, sameAB: boolean, lanes: number): GemmLayout {
  const mPad = roundUp(m, MR);
  const nPad = roundUp(n, NR);
  const kc = Math.min(KC, k);
  const paBytes = roundUp(Math.min(MC, mPad) * kc * 8, 64);
  const pbBytes = roundUp(Math.min(NC, nPad) * kc * 8, 64);
  const pa = 0;
  const pb = pa + lanes * paBytes;
  const a = pb + lanes * pbBytes;
  const b = sameAB ? a : a + roundUp(aLen * 8, 64);
  const c = b + (sameAB ? roundUp(aLen * 8, 64) : roundUp(bLen * 8, 64));
  const bytes = c + mPad * nPad * 8;
  return { mPad, nPad, pa, paBytes, pb, pbBytes, a, b, c, bytes };
}

