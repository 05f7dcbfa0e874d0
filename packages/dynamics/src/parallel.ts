import type { Worker } from 'node:worker_threads';
import { DescentError, assertSize } from '@descent/linalg';
import {
  type ScalarVectorRegion,
  type ScalarVectorRegionConfig,
  assembleScalarRegion,
  fillScalarStarts,
  planScalarVectorRegion,
} from './region.js';
import { mapKernelRaw, regionKernelRaw } from './scalarKernel.js';
import { WASM_LANES, wasmMapModuleBytes } from './wasmMap.js';
import { wasmClassifyModuleBytes, wasmRegionKernelFromRaw } from './wasmClassify.js';
import { requireFinite, requireInteger, requireNonNegative, requireStepSize } from './validate.js';

// The worker runs the very same kernel functions, shipped as source text (they are self-contained).
// An `eval` worker works identically from the compiled dist/ and from TypeScript sources under vitest,
// so there is no separate worker file to keep in sync or to resolve.
const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
// Transpilers that keep function names (esbuild's keepNames, as under tsx) wrap inner functions in
// __name(...); the kernel's source text then needs this identity helper to run on its own.
var __name = (f) => f;
const regionKernel = ${regionKernelRaw.toString()};
const wasmRegionKernelFrom = ${wasmRegionKernelFromRaw.toString()};
let simdRegion = null;
const mapKernel = ${mapKernelRaw.toString()};
let wasm = null;
function mapWasm(bytes, x, z, start, end, eta, y, lam, steps) {
  if (wasm === null) {
    try {
      const inst = new WebAssembly.Instance(new WebAssembly.Module(bytes), {});
      wasm = inst.exports;
    } catch (e) {
      wasm = undefined;
    }
  }
  const n = end - start;
  const nv = wasm ? n - (n % ${2 * WASM_LANES}) : 0;
  if (nv > 0) {
    const need = 16 * nv;
    if (wasm.mem.buffer.byteLength < need) wasm.mem.grow(Math.ceil((need - wasm.mem.buffer.byteLength) / 65536));
    const view = new Float64Array(wasm.mem.buffer, 0, 2 * nv);
    view.set(x.subarray(start, start + nv), 0);
    view.set(z.subarray(start, start + nv), nv);
    wasm.map(0, 8 * nv, nv, steps, eta, y, lam);
    x.set(view.subarray(0, nv), start);
    z.set(view.subarray(nv, 2 * nv), start);
  }
  if (nv < n) mapKernel(x, z, start + nv, end, eta, y, lam, steps);
}
parentPort.on('message', (m) => {
  try {
    let total = 0;
    if (m.kind === 'region') {
      let k = regionKernel;
      if (m.cwasm) {
        if (simdRegion === null) {
          try { simdRegion = wasmRegionKernelFrom(m.cwasm, regionKernel, WebAssembly); } catch (e) { simdRegion = undefined; }
        }
        if (simdRegion) k = simdRegion;
      }
      total = k(new Float64Array(m.x), new Float64Array(m.z), new Uint8Array(m.status), new Uint8Array(m.label),
        new Int32Array(m.steps), m.start, m.end, ...m.args);
    } else if (m.wasm) {
      mapWasm(m.wasm, new Float64Array(m.x), new Float64Array(m.z), m.start, m.end, ...m.args);
    } else {
      mapKernel(new Float64Array(m.x), new Float64Array(m.z), m.start, m.end, ...m.args);
    }
    parentPort.postMessage({ id: m.id, job: m.job, total });
  } catch (e) {
    parentPort.postMessage({ id: m.id, job: m.job, error: String(e && e.stack || e) });
  }
});
`;

/** A pool of worker threads that split grid computations into row bands over shared memory. */
export interface RegionPool {
  /** Number of worker threads. */
  readonly size: number;
  /** {@link scalarVectorRegion} on every worker; bit-identical to the single-thread result. */
  scalarVectorRegion(cfg: ScalarVectorRegionConfig): Promise<ScalarVectorRegion>;
  /**
   * {@link iterateScalarMap} on every worker (WebAssembly SIMD unless `simd: false`, same bits either
   * way); x and z must be backed by a `SharedArrayBuffer` (see {@link sharedFloat64}).
   */
  scalarMap(x: Float64Array, z: Float64Array, params: { eta: number; y: number; lambda?: number; steps: number; simd?: boolean }): Promise<void>;
  /** Terminates the workers. */
  close(): Promise<void>;
}

interface Job {
  kind: 'region' | 'map';
  wasm?: Uint8Array;
  cwasm?: Uint8Array;
  buffers: Record<string, SharedArrayBuffer>;
  args: readonly number[];
  n1: number;
  rows: number;
}

interface NodeThreads {
  Worker: typeof Worker;
  availableParallelism(): number;
}

// Node's modules are looked up when a pool is created (process.getBuiltinModule, no static import),
// so the package's main entry bundles for browsers; there a pool is a DescentError.
function nodeThreads(where: string): NodeThreads {
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  const wt = proc?.getBuiltinModule?.('node:worker_threads') as { Worker?: typeof Worker } | undefined;
  const os = proc?.getBuiltinModule?.('node:os') as { availableParallelism?: () => number } | undefined;
  if (!wt?.Worker || !os?.availableParallelism) {
    throw new DescentError('INVALID_CONFIG', where, 'worker pools need Node worker threads (node:worker_threads); use scalarVectorRegion on this thread elsewhere');
  }
  return { Worker: wt.Worker, availableParallelism: os.availableParallelism };
}

/**
 * A `Float64Array` of length n over a `SharedArrayBuffer`, so worker threads write into it directly.
 *
 * @example
 * ```ts
 * sharedFloat64(3).buffer instanceof SharedArrayBuffer;
 * // true
 * ```
 */
export function sharedFloat64(n: number): Float64Array {
  assertSize(n, 'sharedFloat64', 'n');
  if (typeof SharedArrayBuffer !== 'function') throw new DescentError('DOMAIN', 'sharedFloat64', 'SharedArrayBuffer is not available here');
  return new Float64Array(new SharedArrayBuffer(8 * n));
}

/** Most worker threads a region pool starts. */
const MAX_WORKERS = 1024;

/**
 * Starts `size` worker threads (default: every core, `os.availableParallelism()`); Node only (a
 * `DescentError` elsewhere). Work is cut into
 * row bands (about 8 per worker, handed out on demand, so bands of fast-diverging pixels do not leave
 * workers idle); outputs live in `SharedArrayBuffer`s written in place. Idle workers do not keep the
 * process alive; call `close()` when done.
 *
 * @example
 * ```ts
 * const pool = createRegionPool(2);
 * const r = await pool.scalarVectorRegion({ y: 0.5, lambda: 0.2, eta: 1, grid: squareGrid(4, 64) });
 * await pool.close();
 * r.counts.converged > 0;
 * // true
 * ```
 */
export function createRegionPool(workerCount?: number): RegionPool {
  const node = nodeThreads('createRegionPool');
  const size = requireInteger(workerCount ?? node.availableParallelism(), 1, 'createRegionPool', 'size');
  // Each worker is a thread with its own heap: a typo such as 1e9 must not try to start them all.
  if (size > MAX_WORKERS) throw new DescentError('INVALID_CONFIG', 'createRegionPool', `size must be at most ${MAX_WORKERS} workers, got ${size}`);
  const workers = Array.from({ length: size }, () => {
    const w = new node.Worker(WORKER_SOURCE, { eval: true });
    w.unref();
    return w;
  });
  let closed = false;
  let queue = Promise.resolve();
  // Messages carry their job number, so a late reply from a job that already failed is ignored.
  let jobCounter = 0;
  const wasmBytes = wasmMapModuleBytes(WASM_LANES);
  const classifyBytes = wasmClassifyModuleBytes();

  const runJob = (job: Job): Promise<number> =>
    new Promise<number>((resolve, reject) => {
      const jobNumber = ++jobCounter;
      const bandRows = Math.max(1, Math.ceil(job.rows / (size * 8)));
      const bands: [number, number][] = [];
      for (let j = 0; j < job.rows; j += bandRows) bands.push([j * job.n1, Math.min(job.rows, j + bandRows) * job.n1]);
      let next = 0;
      let pending = 0;
      let total = 0;
      let failed = false;
      const cleanups: (() => void)[] = [];
      const finish = (err?: Error): void => {
        for (const c of cleanups) c();
        for (const w of workers) w.unref();
        if (err) reject(err);
        else resolve(total);
      };
      const feed = (w: Worker, id: number): boolean => {
        if (next >= bands.length) return false;
        const [start, end] = bands[next++]!;
        pending++;
        w.postMessage({ kind: job.kind, id, job: jobNumber, start, end, args: job.args, wasm: job.wasm, cwasm: job.cwasm, ...job.buffers });
        return true;
      };
      workers.forEach((w, id) => {
        const onMessage = (m: { id: number; job: number; total: number; error?: string }): void => {
          if (failed || m.job !== jobNumber) return;
          pending--;
          if (m.error !== undefined) {
            failed = true;
            finish(new DescentError('DOMAIN', 'RegionPool', `worker failed: ${m.error}`));
            return;
          }
          total += m.total;
          if (!feed(w, id) && pending === 0) finish();
        };
        const onError = (e: Error): void => {
          if (failed) return;
          failed = true;
          finish(e);
        };
        w.on('message', onMessage);
        w.on('error', onError);
        cleanups.push(() => {
          w.off('message', onMessage);
          w.off('error', onError);
        });
        w.ref();
      });
      let started = 0;
      workers.forEach((w, id) => {
        if (feed(w, id)) started++;
      });
      if (started === 0) finish();
    });

  // Jobs are serialized: each one uses every worker.
  const enqueue = <T>(f: () => Promise<T>): Promise<T> => {
    if (closed) return Promise.reject(new DescentError('INVALID_CONFIG', 'RegionPool', 'the pool is closed'));
    const p = queue.then(f);
    queue = p.then(
      () => undefined,
      () => undefined,
    );
    return p;
  };

  return {
    size,
    scalarVectorRegion(cfg) {
      const plan = planScalarVectorRegion(cfg, 'RegionPool.scalarVectorRegion');
      const n = plan.grid.n1 * plan.grid.n2;
      const bx = new SharedArrayBuffer(8 * n);
      const bz = new SharedArrayBuffer(8 * n);
      const bs = new SharedArrayBuffer(n);
      const bl = new SharedArrayBuffer(n);
      const bt = new SharedArrayBuffer(4 * n);
      const x = new Float64Array(bx);
      const z = new Float64Array(bz);
      fillScalarStarts(plan, x, z);
      return enqueue(async () => {
        const total = await runJob({
          kind: 'region',
          buffers: { x: bx, z: bz, status: bs, label: bl, steps: bt },
          args: plan.kernelArgs,
          n1: plan.grid.n1,
          rows: plan.grid.n2,
          ...(plan.simd ? { cwasm: classifyBytes } : {}),
        });
        return assembleScalarRegion(plan, x, z, new Uint8Array(bs), new Uint8Array(bl), new Int32Array(bt), total);
      });
    },
    scalarMap(x, z, params) {
      const where = 'RegionPool.scalarMap';
      if (!(x.buffer instanceof SharedArrayBuffer) || !(z.buffer instanceof SharedArrayBuffer)) {
        throw new DescentError('INVALID_CONFIG', where, 'x and z must be backed by a SharedArrayBuffer (use sharedFloat64)');
      }
      if (x.length !== z.length || x.byteOffset !== 0 || z.byteOffset !== 0 || x.buffer.byteLength !== 8 * x.length || z.buffer.byteLength !== 8 * z.length) {
        throw new DescentError('SHAPE_MISMATCH', where, 'x and z must be whole shared buffers of equal length');
      }
      const eta = requireStepSize(params.eta, where);
      const y = requireFinite(params.y, where, 'y');
      const lam = requireNonNegative(params.lambda ?? 0, where, 'lambda');
      const steps = requireInteger(params.steps, 0, where, 'steps');
      const n = x.length;
      // Treat the flat arrays as rows of 1024 so bands stay reasonably sized.
      const n1 = Math.min(1024, Math.max(1, n));
      if (n % n1 !== 0) throw new DescentError('SHAPE_MISMATCH', where, `length ${n} must be a multiple of ${n1}`);
      return enqueue(async () => {
        await runJob({
          kind: 'map',
          buffers: { x: x.buffer as SharedArrayBuffer, z: z.buffer as SharedArrayBuffer },
          args: [eta, y, lam, steps],
          n1,
          rows: n / n1,
          ...(params.simd === false ? {} : { wasm: wasmBytes }),
        });
      });
    },
    async close() {
      if (closed) return;
      closed = true;
      await queue;
      await Promise.all(workers.map((w) => w.terminate()));
    },
  };
}

/**
 * {@link scalarVectorRegion} on `workers` threads (default every core), creating and closing a pool.
 *
 * @example
 * ```ts
 * const r = await scalarVectorRegionParallel({ y: 1, eta: 0.5, grid: squareGrid(3, 32) });
 * r.status.length;
 * // 1024
 * ```
 */
export async function scalarVectorRegionParallel(cfg: ScalarVectorRegionConfig, options: { workers?: number } = {}): Promise<ScalarVectorRegion> {
  const pool = createRegionPool(options.workers);
  try {
    return await pool.scalarVectorRegion(cfg);
  } finally {
    await pool.close();
  }
}
