import { DescentError } from '@descent/linalg';
import { MAX_MAP_WORK, mapKernelRaw } from './scalarKernel.js';
import { section, sleb, uleb, wasmApi, wasmName as name, type WasmMemory } from '@descent/linalg/wasm';
import { requireFinite, requireFiniteVector, requireInteger, requireNonNegative, requireStepSize, requireOptions } from './validate.js';

// A hand-assembled WebAssembly module with 128-bit SIMD (f64x2) for the bare d = 1 map: `lanes` vectors
// (2·lanes pixels) advance together. The operations are those of scalarMapKernel in the same order —
// r = u·v − y, g = r·v + λ·u, u − η·g — and wasm f64 arithmetic is IEEE round-to-nearest without
// fused multiply-add, so the results are bit-identical to the scalar kernel.

const OP = {
  block: [0x02, 0x40],
  loop: [0x03, 0x40],
  end: [0x0b],
  br: (d: number) => [0x0c, d],
  brIf: (d: number) => [0x0d, d],
  get: (i: number) => [0x20, i],
  set: (i: number) => [0x21, i],
  i32: (v: number) => [0x41, ...sleb(v)],
  i32Add: [0x6a],
  i32Sub: [0x6b],
  i32Shl: [0x74],
  i32GeU: [0x4f],
  i32Eqz: [0x45],
  load: (offset: number) => [0xfd, 0x00, 0x04, ...uleb(offset)],
  store: (offset: number) => [0xfd, 0x0b, 0x04, ...uleb(offset)],
  splat: [0xfd, 0x14],
  add: [0xfd, 0xf0, 0x01],
  sub: [0xfd, 0xf1, 0x01],
  mul: [0xfd, 0xf2, 0x01],
};


/**
 * The bytes of the SIMD map module: export `map(ptrX, ptrZ, n, steps, eta, y, lam)` iterates n pixels
 * (n a multiple of 2·lanes) at byte offsets ptrX, ptrZ of the exported memory `mem`.
 *
 * @example
 * ```ts
 * WebAssembly.validate(wasmMapModuleBytes(4));
 * // true
 * ```
 */
export function wasmMapModuleBytes(lanes: number): Uint8Array {
  // Each lane is five v128 locals in one function: a few dozen lanes is already past any gain.
  requireInteger(lanes, 1, 'wasmMapModuleBytes', 'lanes');
  if (lanes > 64) throw new DescentError('INVALID_CONFIG', 'wasmMapModuleBytes', `lanes must be at most 64, got ${lanes}`);
  // Params: 0 ptrX, 1 ptrZ, 2 n, 3 steps, 4 eta, 5 y, 6 lam. Locals: 7 p, 8 t, 9 nbytes, then v128s.
  const P = 7;
  const T = 8;
  const NB = 9;
  const ETA = 10;
  const Y = 11;
  const LAM = 12;
  const U = (l: number) => 13 + 5 * l;
  const V = (l: number) => 14 + 5 * l;
  const R = (l: number) => 15 + 5 * l;
  const G = (l: number) => 16 + 5 * l;
  const H = (l: number) => 17 + 5 * l;
  const nV128 = 3 + 5 * lanes;
  const code: number[] = [];
  const emit = (...xs: (number[] | number)[]) => {
    for (const x of xs) Array.isArray(x) ? code.push(...x) : code.push(x);
  };
  emit(OP.get(4), OP.splat, OP.set(ETA), OP.get(5), OP.splat, OP.set(Y), OP.get(6), OP.splat, OP.set(LAM));
  emit(OP.get(2), OP.i32(3), OP.i32Shl, OP.set(NB));
  emit(OP.block, OP.loop);
  emit(OP.get(P), OP.get(NB), OP.i32GeU, OP.brIf(1));
  for (let l = 0; l < lanes; l++) {
    emit(OP.get(0), OP.get(P), OP.i32Add, OP.load(16 * l), OP.set(U(l)));
    emit(OP.get(1), OP.get(P), OP.i32Add, OP.load(16 * l), OP.set(V(l)));
  }
  emit(OP.get(3), OP.set(T));
  emit(OP.block, OP.loop);
  emit(OP.get(T), OP.i32Eqz, OP.brIf(1));
  for (let l = 0; l < lanes; l++) {
    emit(OP.get(U(l)), OP.get(V(l)), OP.mul, OP.get(Y), OP.sub, OP.set(R(l)));
    emit(OP.get(R(l)), OP.get(V(l)), OP.mul, OP.get(LAM), OP.get(U(l)), OP.mul, OP.add, OP.set(G(l)));
    emit(OP.get(R(l)), OP.get(U(l)), OP.mul, OP.get(LAM), OP.get(V(l)), OP.mul, OP.add, OP.set(H(l)));
    emit(OP.get(U(l)), OP.get(ETA), OP.get(G(l)), OP.mul, OP.sub, OP.set(U(l)));
    emit(OP.get(V(l)), OP.get(ETA), OP.get(H(l)), OP.mul, OP.sub, OP.set(V(l)));
  }
  emit(OP.get(T), OP.i32(1), OP.i32Sub, OP.set(T), OP.br(0), OP.end, OP.end);
  for (let l = 0; l < lanes; l++) {
    emit(OP.get(0), OP.get(P), OP.i32Add, OP.get(U(l)), OP.store(16 * l));
    emit(OP.get(1), OP.get(P), OP.i32Add, OP.get(V(l)), OP.store(16 * l));
  }
  emit(OP.get(P), OP.i32(16 * lanes), OP.i32Add, OP.set(P), OP.br(0), OP.end, OP.end, OP.end);
  const body = [2, 3, 0x7f, ...uleb(nV128), 0x7b, ...code];
  const bytes = [
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    ...section(1, [1, 0x60, 7, 0x7f, 0x7f, 0x7f, 0x7f, 0x7c, 0x7c, 0x7c, 0]),
    ...section(3, [1, 0]),
    ...section(5, [1, 0, 1]),
    ...section(7, [2, ...name('map'), 0, 0, ...name('mem'), 2, 0]),
    ...section(10, [1, ...uleb(body.length), ...body]),
  ];
  return Uint8Array.from(bytes);
}


/**
 * Vectors of two pixels advanced together by the SIMD module (4: 8 pixels per pass).
 *
 * @example
 * ```ts
 * 2 * WASM_LANES;
 * // 8
 * ```
 */
export const WASM_LANES = 4;

/** A compiled SIMD map runner, reused across calls. */
export interface WasmMap {
  /** Iterates the bare map over x[start..end), z[start..end) in place (copying through wasm memory). */
  run(x: Float64Array, z: Float64Array, start: number, end: number, eta: number, y: number, lam: number, steps: number): void;
}

/**
 * Compiles the SIMD map module, or returns `undefined` where WebAssembly SIMD is unavailable (callers
 * then use {@link scalarMapKernel}, which gives the same bits).
 *
 * @example
 * ```ts
 * const x = new Float64Array([1, 1, 1, 1, 1, 1, 1, 1, 1]), z = new Float64Array(9);
 * createWasmMap()?.run(x, z, 0, 9, 0.5, 1, 0, 1);
 * z[8];
 * // 0.5
 * ```
 */
export function createWasmMap(): WasmMap | undefined {
  const bytes = wasmMapModuleBytes(WASM_LANES);
  if (wasmApi === undefined || !wasmApi.validate(bytes)) return undefined;
  const instance = new wasmApi.Instance(new wasmApi.Module(bytes), {});
  const mem = instance.exports.mem as WasmMemory;
  const map = instance.exports.map as (px: number, pz: number, n: number, steps: number, eta: number, y: number, lam: number) => void;
  const block = 2 * WASM_LANES;
  return {
    run(x, z, start, end, eta, y, lam, steps) {
      const n = end - start;
      const nv = n - (n % block);
      if (nv > 0) {
        const need = 16 * nv;
        if (mem.buffer.byteLength < need) mem.grow(Math.ceil((need - mem.buffer.byteLength) / 65536));
        const view = new Float64Array(mem.buffer, 0, 2 * nv);
        view.set(x.subarray(start, start + nv), 0);
        view.set(z.subarray(start, start + nv), nv);
        map(0, 8 * nv, nv, steps, eta, y, lam);
        x.set(view.subarray(0, nv), start);
        z.set(view.subarray(nv, 2 * nv), start);
      }
      if (nv < n) mapKernelRaw(x, z, start + nv, end, eta, y, lam, steps);
    },
  };
}

let cached: WasmMap | undefined | null = null;

/**
 * Iterates the bare d = 1 scalar–vector GD map u′ = u − η(rv + λu), v′ = v − η(ru + λv), r = uv − y,
 * `steps` times over every pixel of x, z in place — no per-step checks, no early exit (the benchmark's
 * "same computation as NumPy"; use {@link scalarVectorRegion} to classify). Uses the WebAssembly SIMD
 * module when available, else {@link scalarMapKernel}'s loop; both give the same bits. The arguments
 * are checked first; steps × pixels is at most 2³⁰ per call (split larger work).
 *
 * @example
 * ```ts
 * const x = new Float64Array([1]), z = new Float64Array([0]);
 * iterateScalarMap(x, z, { eta: 0.5, y: 1, steps: 1 });
 * [x[0], z[0]];
 * // [1, 0.5]
 * ```
 */
export function iterateScalarMap(
  x: Float64Array,
  z: Float64Array,
  params: { eta: number; y: number; lambda?: number; steps: number; simd?: boolean },
): void {
  const where = 'iterateScalarMap';
  params = requireOptions(params, where, 'params');
  if (!(x instanceof Float64Array) || !(z instanceof Float64Array) || x.length !== z.length) {
    throw new DescentError('SHAPE_MISMATCH', where, 'x and z must be Float64Arrays of equal length');
  }
  const eta = requireStepSize(params.eta, where);
  const y = requireFinite(params.y, where, 'y');
  const lam = requireNonNegative(params.lambda ?? 0, where, 'lambda');
  const steps = requireInteger(params.steps, 0, where, 'steps');
  // Step counts are i32 in the wasm map.
  if (steps > 2 ** 31 - 1) throw new DescentError('INVALID_CONFIG', where, `steps must be at most ${2 ** 31 - 1}, got ${steps}`);
  if (steps * x.length > MAX_MAP_WORK) throw new DescentError('INVALID_CONFIG', where, `steps × pixels = ${steps * x.length} is above the work limit of ${MAX_MAP_WORK} per call: split the arrays`);
  requireFiniteVector(x, where, 'x');
  requireFiniteVector(z, where, 'z');
  if (params.simd !== false) {
    if (cached === null) cached = createWasmMap();
    if (cached !== undefined) {
      cached.run(x, z, 0, x.length, eta, y, lam, steps);
      return;
    }
  }
  mapKernelRaw(x, z, 0, x.length, eta, y, lam, steps);
}
