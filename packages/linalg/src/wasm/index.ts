export { uleb, sleb, section, wasmName, f64bytes } from './encoding.js';
export { wasmApi, type WasmApi, type WasmMemory } from './api.js';
