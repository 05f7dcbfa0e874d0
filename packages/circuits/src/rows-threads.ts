import type { MessagePort, Worker } from 'node:worker_threads';
import { DescentError, type Matrix } from '@descent/linalg';
import type { CompiledCircuit } from './compile.js';
import { CHUNK } from './cache.js';
import { backward, forward, loadBatch, workspace, type Workspace } from './engine.js';

// Worker threads that evaluate whole chunks of a batch's rows (CHUNK rows each) over shared memory.
// A chunk's forward and flow passes are the same code whichever thread runs them, each chunk writes
// its own partial statistics, and the calling thread adds the partials in chunk order: exactly the
// sums the one-thread path forms, so results do not depend on the thread count. The call stays
// synchronous: the caller posts each worker a contiguous range of chunks through a shared control
// block, runs the first range itself and waits (Atomics.wait, which Node allows on the main thread).
// Where worker threads or shared memory are missing (browsers without cross-origin isolation),
// `runRowsThreaded` returns undefined and everything runs on the calling thread. Workers are unref'd.
//
// A worker runs this very module (its compiled form in dist/, also when the caller runs the TypeScript
// sources under a test runner) and calls `serveRowWorker`.

/** Control block (Int32). */
const C_CMD = 0; // command sequence (caller → worker)
const C_DONE = 1; // done sequence (worker → caller)
const C_ARENA = 2;
const C_MODE = 3; // 1: statistics, 2: log-likelihoods
const C_LO = 4; // first chunk
const C_HI = 5; // end chunk
const C_ROWS = 6; // rows in the batch
const C_FLAGS = 7; // 1: missing mask, 2: row weights
const C_STATUS = 8; // 1 done, 2 failed (message on the port)
const C_PROGRESS = 9; // chunks finished (a sign of life while the caller waits)
const CTL = 10;

/** @internal Per-chunk partials: edge flows, input statistics, root flow, log-likelihood. */
export function partStride(cc: CompiledCircuit): number {
  return cc.numSumParams + cc.numStats + 2;
}

/**
 * @internal One chunk [c·CHUNK, …) of `data` (already the batch's rows, in order): the forward pass,
 * then (mode 1) the flow pass into the zeroed partial `part` (edge flows, input statistics, root flow,
 * Σ w·log p), or (mode 2) the root log-likelihoods into `lls` at the chunk's rows.
 */
export function runChunk(
  cc: CompiledCircuit, params: Float64Array, ws: Workspace, data: Matrix, c: number, nRows: number, soft: number,
  mode: 1 | 2, missing: Uint8Array | undefined, rows: Int32Array | undefined, weights: Float64Array | undefined,
  part: Float64Array, lls: Float64Array | undefined, gemmThreads = 1,
): void {
  const start = c * CHUNK;
  const B = Math.min(CHUNK, nRows - start);
  loadBatch(ws, data, start, B, missing, rows, soft, gemmThreads);
  forward(cc, params, ws, 'flows');
  const ro = (cc.numNodes - 1) * B;
  if (mode === 2) {
    lls!.set(ws.L.subarray(ro, ro + B), start);
    return;
  }
  const E = cc.numSumParams;
  const S = cc.numStats;
  part.fill(0);
  const count = backward(cc, params, ws, part.subarray(0, E), part.subarray(E, E + S), weights, start);
  let ll = 0;
  const L = ws.L;
  for (let b = 0; b < B; b++) ll += (weights !== undefined ? weights[start + b]! : 1) * L[ro + b]!;
  part[E + S] = count;
  part[E + S + 1] = ll;
}

// ---------------------------------------------------------------------------------------------------
// Worker side.

interface WorkerArena {
  cc: CompiledCircuit;
  ws: Workspace;
  params: Float64Array;
  scalars: Float64Array;
  data: Float64Array;
  missing: Uint8Array;
  weights: Float64Array;
  parts: Float64Array;
  lls: Float64Array;
}

type ArenaBuffers = { params: SharedArrayBuffer; scalars: SharedArrayBuffer; data: SharedArrayBuffer; missing: SharedArrayBuffer; weights: SharedArrayBuffer; parts: SharedArrayBuffer; lls: SharedArrayBuffer };

type PoolMessage =
  | { type: 'arena'; id: number; cc: CompiledCircuit; buffers: ArenaBuffers }
  | { type: 'buffers'; id: number; buffers: ArenaBuffers }
  | { type: 'drop'; id: number }
  | { type: 'fail' };

type WorkerThreads = typeof import('node:worker_threads');

function nodeWorkerThreads(): WorkerThreads | undefined {
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  return proc?.getBuiltinModule?.('node:worker_threads') as WorkerThreads | undefined;
}

/** @internal A worker's loop: runs the chunk ranges it is posted until the process ends. */
export function serveRowWorker(wd: { ctl: SharedArrayBuffer; port: MessagePort }): void {
  const wt = nodeWorkerThreads()!;
  const ctl = new Int32Array(wd.ctl);
  const port = wd.port;
  const arenas = new Map<number, WorkerArena>();
  let failNext = false;
  let seen = 0;
  for (;;) {
    Atomics.wait(ctl, C_CMD, seen);
    seen = Atomics.load(ctl, C_CMD);
    try {
      for (let m = wt.receiveMessageOnPort(port); m !== undefined; m = wt.receiveMessageOnPort(port)) {
        const d = m.message as PoolMessage;
        if (d.type === 'arena') arenas.set(d.id, { cc: d.cc, ws: workspace(d.cc, CHUNK), ...views(d.buffers) });
        else if (d.type === 'buffers') Object.assign(arenas.get(d.id)!, views(d.buffers));
        else if (d.type === 'drop') arenas.delete(d.id);
        else failNext = true;
      }
      const id = ctl[C_ARENA]!;
      if (id !== 0) {
        if (failNext) {
          failNext = false;
          throw new Error('worker failure requested');
        }
        const a = arenas.get(id);
        if (a === undefined) throw new Error(`unknown arena ${id}`);
        const mode = ctl[C_MODE] as 1 | 2;
        const nRows = ctl[C_ROWS]!;
        const flags = ctl[C_FLAGS]!;
        const data: Matrix = { rows: nRows, cols: a.cc.numVars, data: a.data };
        const stride = partStride(a.cc);
        for (let c = ctl[C_LO]!; c < ctl[C_HI]!; c++) {
          runChunk(a.cc, a.params, a.ws, data, c, nRows, a.scalars[0]!, mode, flags & 1 ? a.missing : undefined, undefined,
            flags & 2 ? a.weights : undefined, a.parts.subarray(c * stride, (c + 1) * stride), a.lls);
          Atomics.add(ctl, C_PROGRESS, 1);
        }
      }
      ctl[C_STATUS] = 1;
    } catch (e) {
      ctl[C_STATUS] = 2;
      port.postMessage(String((e as Error)?.stack ?? e));
    }
    Atomics.store(ctl, C_DONE, seen);
    Atomics.notify(ctl, C_DONE);
  }
}

function views(b: ArenaBuffers): Omit<WorkerArena, 'cc' | 'ws'> {
  return {
    params: new Float64Array(b.params), scalars: new Float64Array(b.scalars), data: new Float64Array(b.data),
    missing: new Uint8Array(b.missing), weights: new Float64Array(b.weights), parts: new Float64Array(b.parts), lls: new Float64Array(b.lls),
  };
}

// ---------------------------------------------------------------------------------------------------
// Caller side.

interface Lane {
  readonly worker: Worker;
  readonly port: MessagePort;
  readonly ctl: Int32Array;
  seq: number;
}

/** The shared buffers of one compiled circuit, as the caller sees them. */
interface Arena {
  readonly id: number;
  /** Workers that know this arena. */
  readonly lanes: Set<Lane>;
  rowsCap: number;
  buffers: ArenaBuffers;
  params: Float64Array;
  scalars: Float64Array;
  data: Float64Array;
  missing: Uint8Array;
  weights: Float64Array;
  parts: Float64Array;
  lls: Float64Array;
  /** The caller's own workspace for its range. */
  ws: Workspace;
}

let threadsModule: WorkerThreads | null | undefined;
let lanes: Lane[] = [];
const arenas = new WeakMap<CompiledCircuit, Arena>();
let nextArenaId = 1;
let generation = 0;
/** Seconds without any progress after which a worker counts as failed. */
const STALL_SECONDS = 120;

function workerThreads(): WorkerThreads | null {
  if (threadsModule === undefined) {
    const ok = typeof SharedArrayBuffer === 'function' && typeof Atomics?.wait === 'function';
    threadsModule = ok ? (nodeWorkerThreads() ?? null) : null;
  }
  return threadsModule;
}

// Under a test runner this module runs from src/*.ts; a worker loads the compiled twin in dist/.
function moduleUrl(): string {
  return import.meta.url.replace(/\/src\/([^/]+)\.ts$/, '/dist/$1.js');
}

const WORKER_SOURCE = `
const { workerData } = require('node:worker_threads');
import(workerData.url).then((m) => m.serveRowWorker(workerData), (e) => {
  workerData.port.postMessage(String(e && e.stack || e));
  const ctl = new Int32Array(workerData.ctl);
  ctl[${C_STATUS}] = 2;
  Atomics.store(ctl, ${C_DONE}, -1);
  Atomics.notify(ctl, ${C_DONE});
});
`;

function startLanes(wt: WorkerThreads, n: number): void {
  while (lanes.length < n) {
    const { port1, port2 } = new wt.MessageChannel();
    const ctl = new Int32Array(new SharedArrayBuffer(4 * CTL));
    const worker = new wt.Worker(WORKER_SOURCE, { eval: true, workerData: { url: moduleUrl(), ctl: ctl.buffer, port: port2 }, transferList: [port2] });
    worker.unref();
    port1.unref();
    lanes.push({ worker, port: port1, ctl, seq: 0 });
  }
}

/** Stops every worker and forgets them: the next threaded call starts fresh ones. */
function retire(): void {
  for (const l of lanes) void l.worker.terminate();
  lanes = [];
  generation++;
}

function allocate(cc: CompiledCircuit, rowsCap: number): ArenaBuffers {
  const chunks = Math.ceil(rowsCap / CHUNK);
  return {
    params: new SharedArrayBuffer(8 * cc.numParams),
    scalars: new SharedArrayBuffer(8),
    data: new SharedArrayBuffer(8 * rowsCap * cc.numVars),
    missing: new SharedArrayBuffer(rowsCap * cc.numVars),
    weights: new SharedArrayBuffer(8 * rowsCap),
    parts: new SharedArrayBuffer(8 * chunks * partStride(cc)),
    lls: new SharedArrayBuffer(8 * rowsCap),
  };
}

const arenaGeneration = new WeakMap<Arena, number>();

function arenaFor(cc: CompiledCircuit, nRows: number): Arena {
  let a = arenas.get(cc);
  if (a !== undefined && arenaGeneration.get(a) !== generation) a = undefined;
  if (a === undefined) {
    const rowsCap = Math.max(nRows, CHUNK);
    const buffers = allocate(cc, rowsCap);
    a = { id: nextArenaId++, lanes: new Set(), rowsCap, buffers, ...views(buffers), ws: workspace(cc, CHUNK) };
    arenas.set(cc, a);
    arenaGeneration.set(a, generation);
    dropOnCollect.register(a, a.id);
  } else if (a.rowsCap < nRows) {
    a.rowsCap = Math.max(nRows, 2 * a.rowsCap);
    a.buffers = allocate(cc, a.rowsCap);
    Object.assign(a, views(a.buffers));
    for (const l of a.lanes) l.port.postMessage({ type: 'buffers', id: a.id, buffers: a.buffers } satisfies PoolMessage);
  }
  return a;
}

// A collected circuit's arena is forgotten by the workers with their next command.
const dropOnCollect = new FinalizationRegistry<number>((id) => {
  for (const l of lanes) l.port.postMessage({ type: 'drop', id } satisfies PoolMessage);
});

function post(lane: Lane, a: Arena, mode: number, lo: number, hi: number, nRows: number, flags: number): void {
  const ctl = lane.ctl;
  ctl[C_ARENA] = a.id;
  ctl[C_MODE] = mode;
  ctl[C_LO] = lo;
  ctl[C_HI] = hi;
  ctl[C_ROWS] = nRows;
  ctl[C_FLAGS] = flags;
  ctl[C_STATUS] = 0;
  lane.seq++;
  Atomics.store(ctl, C_CMD, lane.seq);
  Atomics.notify(ctl, C_CMD);
}

/** Waits for the lane's command; a failure message, or undefined when it succeeded. */
function await_(lane: Lane): string | undefined {
  const wt = threadsModule!;
  let progress = Atomics.load(lane.ctl, C_PROGRESS);
  let last = Date.now();
  for (;;) {
    const done = Atomics.load(lane.ctl, C_DONE);
    if (done === lane.seq) return lane.ctl[C_STATUS] === 1 ? undefined : (wt.receiveMessageOnPort(lane.port)?.message as string | undefined) ?? 'no message';
    if (done === -1) return (wt.receiveMessageOnPort(lane.port)?.message as string | undefined) ?? 'the worker could not start';
    const p = Atomics.load(lane.ctl, C_PROGRESS);
    if (p !== progress) {
      progress = p;
      last = Date.now();
    } else if (Date.now() - last > STALL_SECONDS * 1000) return `no progress for ${STALL_SECONDS} s`;
    Atomics.wait(lane.ctl, C_DONE, done, 1000);
  }
}

/** @internal The job of one threaded call; fields describe the batch as the caller passed it. */
export interface RowJob {
  readonly mode: 1 | 2;
  readonly data: Matrix;
  readonly nRows: number;
  readonly rows: Int32Array | undefined;
  readonly missing: Uint8Array | undefined;
  readonly weights: Float64Array | undefined;
  readonly soft: number;
}

/**
 * @internal Runs every chunk of the job on `threads` threads (the caller included) and returns the
 * per-chunk partials (mode 1: `partStride(cc)` doubles per chunk) or the per-row log-likelihoods (mode
 * 2), or undefined when worker threads are unavailable (the caller then runs the one-thread path).
 * A worker failure throws a DescentError naming `where`.
 */
export function runRowsThreaded(cc: CompiledCircuit, params: Float64Array, job: RowJob, threads: number, where: string): Float64Array | undefined {
  const nChunks = Math.ceil(job.nRows / CHUNK);
  const T = Math.min(threads, nChunks);
  if (T < 2) return undefined;
  const wt = workerThreads();
  if (wt === null) return undefined;
  try {
    startLanes(wt, T - 1);
  } catch {
    return undefined;
  }
  const a = arenaFor(cc, job.nRows);
  const nv = cc.numVars;
  // The batch's rows, gathered in order: workers read them without the row index.
  const src = job.data.data;
  for (let i = 0; i < job.nRows; i++) {
    const r = job.rows !== undefined ? job.rows[i]! : i;
    a.data.set(src.subarray(r * nv, (r + 1) * nv), i * nv);
    if (job.missing !== undefined) a.missing.set(job.missing.subarray(r * nv, (r + 1) * nv), i * nv);
  }
  if (job.weights !== undefined) a.weights.set(job.weights.subarray(0, job.nRows));
  a.params.set(params);
  a.scalars[0] = job.soft;
  const flags = (job.missing !== undefined ? 1 : 0) | (job.weights !== undefined ? 2 : 0);
  const mine = lanes.slice(0, T - 1);
  for (const l of mine) {
    if (!a.lanes.has(l)) {
      l.port.postMessage({ type: 'arena', id: a.id, cc, buffers: a.buffers } satisfies PoolMessage);
      a.lanes.add(l);
    }
  }
  // Contiguous ranges of chunks: the caller takes the first, worker t the (t + 1)-th.
  const bound = (t: number): number => Math.floor((t * nChunks) / T);
  for (let t = 1; t < T; t++) post(mine[t - 1]!, a, job.mode, bound(t), bound(t + 1), job.nRows, flags);
  const data: Matrix = { rows: job.nRows, cols: nv, data: a.data };
  const stride = partStride(cc);
  let error: unknown;
  try {
    for (let c = 0; c < bound(1); c++) {
      runChunk(cc, a.params, a.ws, data, c, job.nRows, job.soft, job.mode, job.missing !== undefined ? a.missing : undefined, undefined,
        job.weights !== undefined ? a.weights : undefined, a.parts.subarray(c * stride, (c + 1) * stride), a.lls);
    }
  } catch (e) {
    error = e;
  }
  const failures: string[] = [];
  for (const l of mine) {
    const f = await_(l);
    if (f !== undefined) failures.push(f);
  }
  if (error !== undefined) throw error;
  if (failures.length > 0) {
    retire();
    throw new DescentError('DOMAIN', where, `a worker thread failed (threads = ${threads}): ${failures[0]}`);
  }
  return job.mode === 1 ? a.parts : a.lls;
}

/** @internal Makes the next command of every running worker fail (tests of the failure path). */
export function failNextRowJob(): void {
  for (const l of lanes) l.port.postMessage({ type: 'fail' } satisfies PoolMessage);
}

/** @internal Stops every worker (tests; a process exits without it, since workers are unref'd). */
export async function terminateRowWorkers(): Promise<void> {
  const all = lanes;
  lanes = [];
  generation++;
  await Promise.all(all.map((l) => l.worker.terminate()));
}
