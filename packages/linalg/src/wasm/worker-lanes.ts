// Synchronous worker threads over shared memory, for kernels that split one call across threads.
// The calling thread writes a lane's arguments into its shared parameter block, bumps the command
// sequence (ctl[0]) and later waits (Atomics.wait, which Node allows on its main thread) until the
// worker has copied that sequence into ctl[1]. Node-only: worker_threads is looked up at run time
// (process.getBuiltinModule), so browser bundles never reference it. Workers are unref'd, so they never
// keep a process alive.

/** Control-block slots every lane has: 0 command sequence, 1 done sequence. Kernels add their own after. */
export const LANE_CONTROL_SLOTS = 2;

/** A worker thread, as far as the lanes use it (declared here, so the types need no `@types/node`). */
export interface LaneWorker {
  unref(): void;
  terminate(): Promise<number>;
}

/** One end of a message channel, as far as the lanes use it. */
export interface LanePort {
  postMessage(value: unknown): void;
  unref(): void;
}

/** The part of Node's `worker_threads` module the lanes use. */
export interface WorkerThreadsModule {
  Worker: new (source: string, options: { eval: boolean; workerData: unknown; transferList: unknown[] }) => LaneWorker;
  MessageChannel: new () => { port1: LanePort; port2: LanePort };
  receiveMessageOnPort(port: LanePort): { message: unknown } | undefined;
}

let threadsModule: WorkerThreadsModule | null | undefined;

/**
 * Node's `worker_threads` module where synchronous shared-memory threads can work (worker threads,
 * `SharedArrayBuffer` and a blocking `Atomics.wait`), otherwise null (browsers, other runtimes).
 *
 * @example
 * ```ts
 * import { nodeWorkerThreads } from '@descent/linalg/wasm';
 * typeof nodeWorkerThreads()?.Worker; // in Node
 * // 'function'
 * ```
 */
export function nodeWorkerThreads(): WorkerThreadsModule | null {
  if (threadsModule === undefined) {
    const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
    const ok = typeof SharedArrayBuffer === 'function' && typeof Atomics?.wait === 'function';
    threadsModule = ok ? ((proc?.getBuiltinModule?.('node:worker_threads') as WorkerThreadsModule | undefined) ?? null) : null;
  }
  return threadsModule;
}

/** One worker thread and its shared blocks. */
export interface WorkerLane<P extends Int32Array | Float64Array> {
  readonly worker: LaneWorker;
  /** The calling thread's end of the lane's message channel (unref'd). */
  readonly port: LanePort;
  /** Control block: {@link LANE_CONTROL_SLOTS} sequence slots, then the kernel's own. */
  readonly ctl: Int32Array;
  /** Parameter block. */
  readonly prm: P;
  /** The last command sequence posted. */
  seq: number;
}

/**
 * The source of a lane's worker: `setup` runs once with `ctl`, `prm` (typed views of the shared
 * blocks, `prm` as `prmType`), `port` and `receiveMessageOnPort` in scope; `body` runs for every
 * command, between the worker seeing the new sequence and publishing it as done.
 *
 * @example
 * ```ts
 * import { laneWorkerSource } from '@descent/linalg/wasm';
 * laneWorkerSource('Float64Array', '', 'prm[1] = 2 * prm[0];').includes('prm[1] = 2 * prm[0];');
 * // true
 * ```
 */
export function laneWorkerSource(prmType: 'Int32Array' | 'Float64Array', setup: string, body: string): string {
  return `
const { workerData, receiveMessageOnPort } = require('node:worker_threads');
const ctl = new Int32Array(workerData.ctl);
const prm = new ${prmType}(workerData.prm);
const port = workerData.port;
${setup}
let seen = 0;
for (;;) {
  Atomics.wait(ctl, 0, seen);
  seen = Atomics.load(ctl, 0);
  ${body}
  Atomics.store(ctl, 1, seen);
  Atomics.notify(ctl, 1);
}
`;
}

/**
 * Starts a worker on `source` (from {@link laneWorkerSource}) with a control block of `controlSlots`
 * Int32s and a parameter block of `params` elements of `prmType`. The worker and port are unref'd.
 *
 * @example
 * ```ts
 * import { awaitLane, laneWorkerSource, nodeWorkerThreads, postLane, startLane } from '@descent/linalg/wasm';
 * const lane = startLane(nodeWorkerThreads()!, laneWorkerSource('Float64Array', '', 'prm[1] = 2 * prm[0];'), 2, 'Float64Array', 2);
 * lane.prm[0] = 21;
 * postLane(lane);
 * awaitLane(lane, 10_000);
 * lane.prm[1];
 * // 42
 * ```
 */
export function startLane<T extends 'Int32Array' | 'Float64Array'>(
  wt: WorkerThreadsModule, source: string, controlSlots: number, prmType: T, params: number,
): WorkerLane<T extends 'Int32Array' ? Int32Array : Float64Array> {
  const { port1, port2 } = new wt.MessageChannel();
  const ctl = new Int32Array(new SharedArrayBuffer(4 * Math.max(controlSlots, LANE_CONTROL_SLOTS)));
  const prm = prmType === 'Int32Array' ? new Int32Array(new SharedArrayBuffer(4 * params)) : new Float64Array(new SharedArrayBuffer(8 * params));
  const worker = new wt.Worker(source, { eval: true, workerData: { ctl: ctl.buffer, prm: prm.buffer, port: port2 }, transferList: [port2] });
  worker.unref();
  port1.unref();
  return { worker, port: port1, ctl, prm: prm as T extends 'Int32Array' ? Int32Array : Float64Array, seq: 0 };
}

/**
 * Posts the next command to `lane` (its parameter and control blocks already written) and returns at once.
 *
 * @example
 * ```ts
 * import { postLane } from '@descent/linalg/wasm';
 * const idle = { ctl: new Int32Array(new SharedArrayBuffer(8)), seq: 0 };
 * postLane(idle);
 * [idle.seq, idle.ctl[0]];
 * // [1, 1]
 * ```
 */
export function postLane(lane: { readonly ctl: Int32Array; seq: number }): void {
  lane.seq++;
  Atomics.store(lane.ctl, 0, lane.seq);
  Atomics.notify(lane.ctl, 0);
}

/**
 * Waits until `lane` has finished its last command: true, or false when `deadlineMs` passed first
 * (the worker died or hangs; the caller then retires its pool).
 *
 * @example
 * ```ts
 * import { awaitLane } from '@descent/linalg/wasm';
 * awaitLane({ ctl: new Int32Array(new SharedArrayBuffer(8)), seq: 1 }, 0); // nobody answers
 * // false
 * ```
 */
export function awaitLane(lane: { readonly ctl: Int32Array; readonly seq: number }, deadlineMs: number): boolean {
  const deadline = Date.now() + deadlineMs;
  for (;;) {
    const done = Atomics.load(lane.ctl, 1);
    if (done === lane.seq) return true;
    if (Date.now() > deadline) return false;
    Atomics.wait(lane.ctl, 1, done, Math.min(100, Math.max(1, deadline - Date.now())));
  }
}
