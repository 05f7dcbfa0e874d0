// The compiler's lib (ES2022, no DOM) has no WebAssembly types; this is the part descent's kernels use.

/** The part of `WebAssembly.Memory` the kernels use. */
export interface WasmMemory {
  /** An `ArrayBuffer`, or a `SharedArrayBuffer` for a shared memory. */
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}

/** The part of the global `WebAssembly` namespace the kernels use. */
export interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
  Memory: new (descriptor: { initial: number; maximum?: number; shared?: boolean }) => WasmMemory;
  /** Asynchronous compilation (what a browser's main thread allows for any size); optional in stubs. */
  compile?: (bytes: Uint8Array) => Promise<object>;
}

/**
 * The global `WebAssembly` namespace, or `undefined` where the runtime has none (kernels then fall back
 * to their JavaScript loops).
 *
 * @example
 * ```ts
 * import { wasmApi } from '@descent/linalg/wasm';
 * typeof wasmApi?.validate;
 * // 'function'
 * ```
 */
export const wasmApi: WasmApi | undefined = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
