import type { MessagePort, Worker } from 'node:worker_threads';
import { DescentError } from '../errors.js';
import { createArena, type GemmArena } from './gemm-arena.js';

// Worker threads for large products. The arena's memory is shared: the calling thread copies A and B in,
// posts each worker a block of C (rows or columns, whole tiles), computes the first block itself and
// waits (Atomics.wait, which Node allows on its main thread). Every element of C is computed by one
// thread with the same operations in the same order, so the result does not depend on the thread count.
// Node-only: worker_threads is looked up at run time (process.getBuiltinModule), so bundles for the
// browser never reference it, and anything missing (no workers, no SharedArrayBuffer, no blocking wait)
// means one thread. Workers are unref'd: they never keep a process alive.

/** Control block (Int32): 0 command sequence, 1 done sequence, 2 status (1 ok, 2 failed), 3 fail-next (tests). */
const CTL = 4;
/** The 18 i32 arguments of `slice`. */
const PRM = 18;

const WORKER_SOURCE = `
const { workerData, receiveMessageOnPort } = require('node:worker_threads');
const ctl = new Int32Array(workerData.ctl);
const prm = new Int32Array(workerData.prm);
const port = workerData.port;
let slice = null;
let seen = 0;
for (;;) {
  Atomics.wait(ctl, 0, seen);
  seen = Atomics.load(ctl, 0);
  try {
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
  }
  Atomics.store(ctl, 1, seen);
  Atomics.notify(ctl, 1);
}
`;

interface Lane {
  readonly worker: Worker;
  readonly port: MessagePort;
  readonly ctl: Int32Array;
  readonly prm: Int32Array;
  seq: number;
}

type WorkerThreads = typeof import('node:worker_threads');

let threadsModule: WorkerThreads | null | undefined;
let sharedArena: GemmArena | null | undefined;
const lanes: Lane[] = [];
/** Lanes that have been sent the shared arena. */
let attached = 0;
/** Set when a worker stopped answering: later products run on the calling thread. */
let broken = false;

function workerThreads(): WorkerThreads | null {
  if (threadsModule === undefined) {
    const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
    const ok = typeof SharedArrayBuffer === 'function' && typeof Atomics?.wait === 'function';
    threadsModule = ok ? ((proc?.getBuiltinModule?.('node:worker_threads') as WorkerThreads | undefined) ?? null) : null;
  }
  return threadsModule;
}

/** The shared arena and `threads − 1` workers bound to it, or undefined where threads are unavailable. */
export function threadedArena(threads: number): { arena: GemmArena; lanes: number } | undefined {
  if (threads < 2 || broken) return undefined;
  const wt = workerThreads();
  if (wt === null) return undefined;
  if (sharedArena === undefined) sharedArena = createArena(true);
  if (sharedArena === null) return undefined;
  try {
    while (lanes.length < threads - 1) {
      const { port1, port2 } = new wt.MessageChannel();
      const ctl = new Int32Array(new SharedArrayBuffer(4 * CTL));
      const prm = new Int32Array(new SharedArrayBuffer(4 * PRM));
      const worker = new wt.Worker(WORKER_SOURCE, { eval: true, workerData: { ctl: ctl.buffer, prm: prm.buffer, port: port2 }, transferList: [port2] });
      worker.unref();
      port1.unref();
      lanes.push({ worker, port: port1, ctl, prm, seq: 0 });
    }
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
  lane.seq++;
  Atomics.store(lane.ctl, 0, lane.seq);
  Atomics.notify(lane.ctl, 0);
}

/**
 * Waits for lane `k`'s slice. A worker that reported a failure, or did not finish within
 * `deadlineMs` (it died), is a DescentError, and the pool is retired: later products use one thread.
 */
export function awaitSlice(k: number, deadlineMs: number): void {
  const lane = lanes[k]!;
  const deadline = Date.now() + deadlineMs;
  for (;;) {
    const done = Atomics.load(lane.ctl, 1);
    if (done === lane.seq) break;
    if (Date.now() > deadline) {
      retire();
      throw new DescentError('NOT_CONVERGED', 'gemm', `worker thread ${k + 1} did not finish its block within ${Math.round(deadlineMs / 1000)} s; later products run on one thread`);
    }
    Atomics.wait(lane.ctl, 1, done, 100);
  }
  if (lane.ctl[2] !== 1) {
    const reply = workerThreads()?.receiveMessageOnPort(lane.port);
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
