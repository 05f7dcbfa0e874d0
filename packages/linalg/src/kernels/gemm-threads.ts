import { DescentError } from '../errors.js';
import { createArena, type GemmArena } from './gemm-arena.js';
import { awaitLane, laneWorkerSource, nodeWorkerThreads, postLane, startLane, type WorkerLane } from '../wasm/worker-lanes.js';

// Worker threads for large products. The arena's memory is shared: the calling thread copies A and B in,
// posts each worker a block of C (rows or columns, whole tiles), computes the first block itself and
// waits. Every element of C is computed by one thread with the same operations in the same order, so
// the result does not depend on the thread count. Where worker lanes are unavailable (see
// wasm/worker-lanes.ts) products run on one thread.

/** Control block (Int32): the lane's two sequence slots, 2 status (1 ok, 2 failed), 3 fail-next (tests). */
const CTL = 4;
/** The 18 i32 arguments of `slice`. */
const PRM = 18;

const WORKER_SOURCE = laneWorkerSource(
  'Int32Array',
  'let slice = null;',
  `try {
    for (let m = receiveMessageOnPort(port); m !== undefined; m = receiveMessageOnPort(port)) {
      const d = m.message;
      slice = new WebAssembly.Instance(d.module, { env: { mem: d.memory } }).exports.slice;
    }
    if (ctl[3] === 1) { ctl[3] = 0; throw new Error('injected failure'); }
    const p = prm;
    slice(p[0], p[1], p[2], p[3], p[4], p[5], p[6], p[7], p[8], p[9], p[10], p[11], p[12], p[13], p[14], p[15], p[16], p[17]);
    ctl[2] = 1;
  } catch (e) {
    ctl[2] = 2;
    port.postMessage(String(e && e.message || e));
  }`,
);

let sharedArena: GemmArena | null | undefined;
const lanes: WorkerLane<Int32Array>[] = [];
/** Lanes that have been sent the shared arena. */
let attached = 0;
/** Set when a worker stopped answering: later products run on the calling thread. */
let broken = false;

/** The shared arena and `threads − 1` workers bound to it, or undefined where threads are unavailable. */
export function threadedArena(threads: number): { arena: GemmArena; lanes: number } | undefined {
  if (threads < 2 || broken) return undefined;
  const wt = nodeWorkerThreads();
  if (wt === null) return undefined;
  if (sharedArena === undefined) sharedArena = createArena(true);
  if (sharedArena === null) return undefined;
  try {
    while (lanes.length < threads - 1) lanes.push(startLane(wt, WORKER_SOURCE, CTL, 'Int32Array', PRM));
  } catch {
    return undefined;
  }
  for (; attached < lanes.length; attached++) {
    lanes[attached]!.port.postMessage({ module: sharedArena.module, memory: sharedArena.memory });
  }
  return { arena: sharedArena, lanes: threads - 1 };
}

/** Posts `slice(args)` to lane `k` and returns at once. */
export function postSlice(k: number, args: readonly number[]): void {
  const lane = lanes[k]!;
  lane.prm.set(args);
  lane.ctl[2] = 0;
  postLane(lane);
}

/**
 * Waits for lane `k`'s slice. A worker that reported a failure, or did not finish within
 * `deadlineMs` (it died), is a DescentError, and the pool is retired: later products use one thread.
 */
export function awaitSlice(k: number, deadlineMs: number): void {
  const lane = lanes[k]!;
  if (!awaitLane(lane, deadlineMs)) {
    retire();
    throw new DescentError('NOT_CONVERGED', 'gemm', `worker thread ${k + 1} did not finish its block within ${Math.round(deadlineMs / 1000)} s; later products run on one thread`);
  }
  if (lane.ctl[2] !== 1) {
    const reply = nodeWorkerThreads()?.receiveMessageOnPort(lane.port);
    retire();
    throw new DescentError('NOT_CONVERGED', 'gemm', `worker thread ${k + 1} failed (${String(reply?.message ?? 'no message')}); later products run on one thread`);
  }
}

/** Stops using the workers (they are left to exit: they are unref'd and never written to again). */
function retire(): void {
  broken = true;
  for (const lane of lanes.splice(0)) void lane.worker.terminate();
  attached = 0;
  sharedArena = undefined;
}

/** Test hook: the next slice posted to lane `k` throws inside the worker. */
export function failNextSlice(k: number): void {
  const lane = lanes[k];
  if (lane !== undefined) lane.ctl[3] = 1;
}

/** Test hook: forget a retired pool so threads can be used again. */
export function resetThreads(): void {
  broken = false;
}

/** Stops every worker (a process exits without it, since workers are unref'd). */
export async function terminateGemmWorkers(): Promise<void> {
  const all = lanes.splice(0);
  attached = 0;
  await Promise.all(all.map((l) => l.worker.terminate()));
}
