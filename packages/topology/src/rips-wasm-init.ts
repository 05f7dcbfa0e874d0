import { compileRipsWasm } from './internal/rips-wasm.js';

/**
 * Compiles the WebAssembly Rips kernel asynchronously and keeps it for every later
 * `ripsPersistence` (and `ripserOutput`) call with `engine: 'auto'` or `'wasm'`. A browser's
 * main thread may refuse to compile the kernel synchronously on first use (Chromium refused modules
 * over 4 KiB for years; WebViews and Electron renderers may still), and there `'auto'` runs the slower
 * JS engine and `'wasm'` throws `INVALID_CONFIG` until this promise has resolved to true: await it once
 * at start-up. In Node and in workers it is optional (the kernel compiles synchronously on first use).
 *
 * Resolves to whether the kernel is available. Never rejects: where WebAssembly is missing or refuses
 * the module it resolves to false and the JS engine stays in use (same results). Every call returns
 * the same promise.
 *
 * @example
 * ```ts
 * const ready = await initRipsWasm();
 * const r = ripsPersistence({ kind: 'points', n: 4, d: 2, data: new Float64Array([0, 0, 1, 0, 1, 1, 0, 1]) });
 * [ready, r.stats.engine];
 * // [true, 'wasm']
 * ```
 */
export function initRipsWasm(): Promise<boolean> {
  return compileRipsWasm();
}
