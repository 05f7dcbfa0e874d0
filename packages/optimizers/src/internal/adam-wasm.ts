import { section, sleb, uleb, wasmApi, wasmName, type WasmMemory } from '@descent/linalg/wasm';
import { threadPool, type ArenaLanes } from './adam-threads.js';

// Adam's step as a hand-assembled WebAssembly module with 128-bit SIMD (f64x2), for the drivers' hot
// loop. At 1e6 parameters the step is bound by one square root and two divisions per element (PyTorch's
// exact order); V8 does those one at a time in JavaScript and two at a time here, which makes the step
// about twice as fast. WebAssembly f64 arithmetic is IEEE round-to-nearest with no fused multiply-add,
// and every operation below is the one `adamRange` performs, in its order, so results are
// bit-identical to the JavaScript kernel (tested). The kernel reads and writes one memory, so it runs
// only on states laid out in an arena by `adamArenaPair`; anything else takes the JavaScript path.

/** The four specialised loops, as in `adamRange`: each computes exactly what that loop computes. */
export type AdamKernelVariant = 'plain' | 'decay' | 'general' | 'amsgrad';

const VARIANTS: readonly AdamKernelVariant[] = ['plain', 'decay', 'general', 'amsgrad'];
const I32 = 0x7f;
const F64 = 0x7c;
const V128 = 0x7b;

// Params: i32 byte offsets px pg pm pv pw pxo pmo pvo pwo, the byte length, then the f64 scalars.
const PX = 0, PG = 1, PM = 2, PV = 3, PW = 4, PXO = 5, PMO = 6, PVO = 7, PWO = 8, NB = 9;
const SCALARS = ['sgn', 'l2', 'b1', 'c1', 'b2', 'c2', 'decay', 'ns', 'bc2s', 'eps'] as const;
const FIRST_SCALAR = 10;
// Locals: the loop offset, a splat of each scalar, then the working vectors.
const I = 20;
const SPLAT = (k: number) => 21 + k;
const [SGN, L2, B1, C1, B2, C2, DEC, NS, BC, EPS] = SCALARS.map((_, k) => SPLAT(k)) as number[] as [number, number, number, number, number, number, number, number, number, number];
const X = 31, D = 32, M = 33, V = 34, W = 35, ACC = 36;
const N_V128 = ACC - SPLAT(0) + 1;

const get = (i: number) => [0x20, ...uleb(i)];
const set = (i: number) => [0x21, ...uleb(i)];
const simd = (op: number) => [0xfd, ...uleb(op)];
const load = [...simd(0x00), 0x03, 0x00];
const store = [...simd(0x0b), 0x03, 0x00];
const splat = simd(0x14);
const gt = simd(0x4a);
const bitselect = simd(0x52);
const sqrt = simd(0xef);
const add = simd(0xf0);
const sub = simd(0xf1);
const mul = simd(0xf2);
const div = simd(0xf3);
const at = (base: number) => [...get(base), ...get(I), 0x6a];

function functionBody(variant: AdamKernelVariant): number[] {
  const c: number[] = [];
  const emit = (...parts: number[][]) => {
    for (const p of parts) c.push(...p);
  };
  SCALARS.forEach((_, k) => emit(get(FIRST_SCALAR + k), splat, set(SPLAT(k))));
  emit([0x41, 0x00], set(I)); // i = 0
  emit(simd(0x0c), new Array<number>(16).fill(0), set(ACC)); // acc = (0, 0)
  emit([0x02, 0x40, 0x03, 0x40]); // block, loop
  emit(get(I), get(NB), [0x4f, 0x0d, 0x01]); // i ≥ nbytes → exit
  emit(at(PX), load, set(X));
  // d = g (plain, decay) or sgn·g + l2·x (general, amsgrad)
  if (variant === 'plain' || variant === 'decay') emit(at(PG), load, set(D));
  else emit(get(SGN), at(PG), load, mul, get(L2), get(X), mul, add, set(D));
  // m ← m·β1 + (1−β1)·d;  v ← v·β2 + ((1−β2)·d)·d
  emit(at(PM), load, get(B1), mul, get(C1), get(D), mul, add, set(M));
  emit(at(PV), load, get(B2), mul, get(C2), get(D), mul, get(D), mul, add, set(V));
  // acc += (m − m) + (v − v): NaN exactly when some new m or v is not finite (the fused gradient
  // check; v overflows first, at |d| ≳ 1e154, where d² passes the largest double).
  emit(get(ACC), get(M), get(M), sub, add, get(V), get(V), sub, add, set(ACC));
  emit(at(PMO), get(M), store, at(PVO), get(V), store);
  let normaliser = V;
  if (variant === 'amsgrad') {
    // w = v > vMax ? v : vMax, lane by lane (bitselect keeps `vMax` on NaN, as the ternary does).
    emit(get(V), at(PW), load, get(V), at(PW), load, gt, bitselect, set(W));
    emit(at(PWO), get(W), store);
    normaliser = W;
  }
  // x ← x[·decay] + (ns·m) / (√w / √(1−β2ᵗ) + ε)
  emit(at(PXO), get(X));
  if (variant !== 'plain') emit(get(DEC), mul);
  emit(get(NS), get(M), mul, get(normaliser), sqrt, get(BC), div, get(EPS), add, div, add, store);
  emit(get(I), [0x41, ...sleb(16), 0x6a], set(I), [0x0c, 0x00, 0x0b, 0x0b]); // i += 16; loop; end; end
  emit(get(ACC), simd(0x21), [0x00], get(ACC), simd(0x21), [0x01], [0xa0]); // lane 0 + lane 1
  emit([0x0b]);
  const locals = [0x02, 0x01, I32, ...uleb(N_V128), V128];
  return [...uleb(locals.length + c.length), ...locals, ...c];
}

/**
 * The bytes of the Adam kernel module: it imports its memory as `env.mem` (declared shared when
 * `shared`, for worker threads) and exports one function
 * per {@link AdamKernelVariant}, `(px, pg, pm, pv, pw, pxo, pmo, pvo, pwo, nbytes, sgn, l2, β1, 1−β1, β2,
 * 1−β2, decay, ns, √(1−β2ᵗ), ε) → f64`, which updates the nbytes/8 (even) elements at those byte
 * offsets and returns Σ(m − m) + (v − v) over the new moments (NaN when one is not finite).
 */
export function adamModuleBytes(shared = false): Uint8Array {
  const params = [...new Array<number>(FIRST_SCALAR).fill(I32), ...SCALARS.map(() => F64)];
  const type = [0x01, 0x60, ...uleb(params.length), ...params, 0x01, F64];
  // A shared memory (for worker threads) must be imported as shared, with a maximum.
  const limits = shared ? [0x03, 0x00, ...uleb(65536)] : [0x00, 0x00];
  const imports = [0x01, ...wasmName('env'), ...wasmName('mem'), 0x02, ...limits];
  const funcs = [VARIANTS.length, ...VARIANTS.map(() => 0x00)];
  const exports = [VARIANTS.length, ...VARIANTS.flatMap((v, k) => [...wasmName(v), 0x00, k])];
  const code = [VARIANTS.length, ...VARIANTS.flatMap(functionBody)];
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, type), ...section(2, imports), ...section(3, funcs), ...section(7, exports), ...section(10, code),
  ]);
}

type Kernel = (
  px: number, pg: number, pm: number, pv: number, pw: number, pxo: number, pmo: number, pvo: number, pwo: number, nbytes: number,
  sgn: number, l2: number, b1: number, c1: number, b2: number, c2: number, decay: number, ns: number, bc2s: number, eps: number,
) => number;

const compiled: (object | null | undefined)[] = [undefined, undefined];

/**
 * The compiled module, or null where WebAssembly SIMD (or shared memory) is unavailable or the engine
 * refuses a synchronous compilation (a browser's main thread may): the JavaScript kernel then runs.
 */
function adamModule(shared: boolean): object | null {
  const k = shared ? 1 : 0;
  if (compiled[k] === undefined) {
    try {
      const bytes = adamModuleBytes(shared);
      compiled[k] = wasmApi !== undefined && wasmApi.validate(bytes) ? new wasmApi.Module(bytes) : null;
    } catch {
      compiled[k] = null;
    }
  }
  return compiled[k]!;
}

/** Forgets the compiled modules, so the next arena compiles again (tests stub the compiler). @internal */
export function resetAdamModules(): void {
  compiled[0] = undefined;
  compiled[1] = undefined;
}

/** One arena: a memory holding a gradient slot and two Adam states, with the kernel bound to it. */
export interface AdamArena {
  readonly kernels: Readonly<Record<AdamKernelVariant, Kernel>>;
  /** The gradient slot: gradients that live elsewhere are copied here before the kernel runs. */
  readonly g: Float64Array;
  /** Worker threads sharing this arena (`threads > 1`), and the scratch for their arguments. */
  readonly lanes?: ArenaLanes;
  readonly args: Float64Array;
}

const arenas = new WeakMap<ArrayBufferLike, AdamArena>();

/** True when `buffer` is the memory of an Adam arena (its views must be copied, not structured-cloned). */
export function isArenaBuffer(buffer: ArrayBufferLike): boolean {
  return arenas.has(buffer);
}

/** Below this many parameters the JavaScript kernel is as fast, and an arena is not worth its memory. */
export const ARENA_MIN_LENGTH = 2048;

/** Below this many parameters one thread is as fast as several (a hand-off costs some 10–50 µs). */
export const PARALLEL_MIN_LENGTH = 1 << 17;

/** The arrays of an Adam state that the kernel reads or writes. */
export interface AdamArrays {
  readonly x: Float64Array;
  readonly m: Float64Array;
  readonly v: Float64Array;
  readonly vMax: Float64Array;
}

/**
 * Lays out a gradient slot and two copies of `state`'s arrays in one fresh WebAssembly memory, and
 * returns the two copies (other fields as in `state`). With `threads > 1` (and from
 * {@link PARALLEL_MIN_LENGTH} parameters) the memory is shared with `threads − 1` worker threads that
 * step slices of it. Undefined when the state is small, WebAssembly SIMD is missing, or the memory
 * cannot be had: callers then use ordinary copies.
 */
export function adamArenaPair<S extends AdamArrays & { readonly query: Float64Array }>(state: S, threads = 1): [S, S] | undefined {
  const n = state.x.length;
  const w = state.vMax.length;
  if (n < ARENA_MIN_LENGTH || wasmApi === undefined) return undefined;
  const pages = Math.ceil((8 * (n + 2 * (3 * n + w))) / 65536);
  if (pages > 65536) return undefined;
  const parallel = threads > 1 && n >= PARALLEL_MIN_LENGTH;
  return (parallel ? layOut(state, pages, true, threads) : undefined) ?? layOut(state, pages, false, 1);
}

function layOut<S extends AdamArrays & { readonly query: Float64Array }>(state: S, pages: number, shared: boolean, threads: number): [S, S] | undefined {
  const api = wasmApi!;
  const module = adamModule(shared);
  if (module === null) return undefined;
  let memory: WasmMemory;
  let instance: { exports: Record<string, unknown> };
  try {
    memory = new api.Memory({ initial: pages, maximum: pages, ...(shared ? { shared: true } : {}) });
    instance = new api.Instance(module, { env: { mem: memory } });
  } catch {
    return undefined;
  }
  const buffer = memory.buffer;
  const n = state.x.length;
  const w = state.vMax.length;
  let offset = 0;
  const take = (len: number, from?: Float64Array): Float64Array => {
    const view = new Float64Array(buffer, offset, len);
    offset += 8 * len;
    if (from !== undefined) view.set(from);
    return view;
  };
  const g = take(n);
  const copy = (): S => {
    const x = take(n, state.x);
    return { ...state, x, query: x, m: take(n, state.m), v: take(n, state.v), vMax: take(w, state.vMax) };
  };
  const pair: [S, S] = [copy(), copy()];
  const e = instance.exports as unknown as Record<AdamKernelVariant, Kernel>;
  const kernels = { plain: e.plain, decay: e.decay, general: e.general, amsgrad: e.amsgrad };
  const arena: { -readonly [K in keyof AdamArena]: AdamArena[K] } = { kernels, g, args: new Float64Array(20) };
  if (shared) {
    // The arena object lives as long as its buffer (the WeakMap below): when it is collected the
    // workers are told to drop their instance of it.
    const lanes = threadPool(threads, module, memory, arena);
    if (lanes === undefined) return undefined;
    arena.lanes = lanes;
  }
  arenas.set(buffer, arena);
  return pair;
}

/** The arena holding all eight arrays (state, then out), or undefined: the JavaScript kernel then runs. */
export function sharedArena(
  x: Float64Array, m: Float64Array, v: Float64Array, vMax: Float64Array,
  xo: Float64Array, mo: Float64Array, vo: Float64Array, vMaxo: Float64Array,
): AdamArena | undefined {
  const buffer = xo.buffer;
  const arena = arenas.get(buffer);
  if (arena === undefined) return undefined;
  const same = x.buffer === buffer && m.buffer === buffer && v.buffer === buffer && vMax.buffer === buffer;
  return same && mo.buffer === buffer && vo.buffer === buffer && vMaxo.buffer === buffer ? arena : undefined;
}

/**
 * Runs the kernel on the even-length prefix [0, 2⌊n/2⌋) of arrays living in `arena`, after copying the
 * gradient into the arena's slot unless it already lives there. Returns whether every new m and v is finite.
 */
export function adamArenaStep(
  arena: AdamArena, variant: AdamKernelVariant, even: number,
  x: Float64Array, g: Float64Array, m: Float64Array, v: Float64Array, vMax: Float64Array,
  xo: Float64Array, mo: Float64Array, vo: Float64Array, vMaxo: Float64Array,
  sgn: number, l2: number, beta1: number, c1: number, beta2: number, c2: number, decay: number, ns: number, bc2Sqrt: number, eps: number,
): boolean {
  const inArena = g.buffer === xo.buffer;
  const a = arena.args;
  a[0] = x.byteOffset; a[1] = inArena ? g.byteOffset : arena.g.byteOffset; a[2] = m.byteOffset; a[3] = v.byteOffset;
  a[4] = vMax.byteOffset; a[5] = xo.byteOffset; a[6] = mo.byteOffset; a[7] = vo.byteOffset; a[8] = vMaxo.byteOffset;
  a[10] = sgn; a[11] = l2; a[12] = beta1; a[13] = c1; a[14] = beta2; a[15] = c2; a[16] = decay; a[17] = ns; a[18] = bc2Sqrt; a[19] = eps;
  const kernel = arena.kernels[variant];
  const lanes = arena.lanes;
  const parts = lanes !== undefined && even >= PARALLEL_MIN_LENGTH ? lanes.size + 1 : 1;
  // Slices of even length: slice 0 is the calling thread's, the others go to the workers (their part
  // of the gradient is copied first, so they start while this thread copies its own).
  const chunk = 2 * Math.ceil(even / (2 * parts));
  for (let k = 1; k < parts; k++) {
    const lo = Math.min(even, k * chunk);
    const hi = Math.min(even, lo + chunk);
    if (!inArena) arena.g.set(g.subarray(lo, hi), lo);
    lanes!.post(k - 1, variant, a, lo, hi);
  }
  const hi0 = Math.min(even, chunk);
  if (!inArena) arena.g.set(hi0 === g.length ? g : g.subarray(0, hi0));
  let acc = call(kernel, a, 0, hi0);
  for (let k = 1; k < parts; k++) {
    const lo = Math.min(even, k * chunk);
    // A worker that could not run its slice (only when the pool broke) leaves it to this thread.
    acc += lanes!.wait(k - 1) ?? call(kernel, a, lo, Math.min(even, lo + chunk));
  }
  return acc === 0;
}

/** Calls the kernel on elements [lo, hi) of the arrays whose byte offsets (and scalars) `a` holds. */
function call(k: Kernel, a: Float64Array, lo: number, hi: number): number {
  const o = 8 * lo;
  return k(a[0]! + o, a[1]! + o, a[2]! + o, a[3]! + o, a[4]! + o, a[5]! + o, a[6]! + o, a[7]! + o, a[8]! + o, 8 * (hi - lo),
    a[10]!, a[11]!, a[12]!, a[13]!, a[14]!, a[15]!, a[16]!, a[17]!, a[18]!, a[19]!);
}
