import { awaitLane, laneWorkerSource, nodeWorkerThreads, postLane, startLane, type WorkerLane } from '@descent/linalg/wasm';

// Worker threads that run slices of the Adam kernel on a shared WebAssembly arena, for `threads > 1`.
// Each element's arithmetic is the same whichever thread does it, so results do not depend on the
// thread count. The step stays synchronous: the caller's thread posts each worker its slice through a
// shared control block, runs the first slice itself, and waits (Atomics.wait, which Node allows on the
// main thread) for the others. Where worker threads, shared memory or blocking waits are missing
// (browsers without cross-origin isolation), `threadPool` returns undefined and the step runs on one
// thread. Workers are unref'd: they never keep a process alive.

const VARIANT_INDEX = { plain: 0, decay: 1, general: 2, amsgrad: 3 } as const;
/** Control block (Int32): the lane's two sequence slots, 2 arena id (0: only read messages), 3 variant, 4 status. */
const CTL = 5;
/** Parameter block (Float64): the kernel's 20 arguments, then its result. */
const PRM = 21;

const WORKER_SOURCE = laneWorkerSource(
  'Float64Array',
  `const variants = ['plain', 'decay', 'general', 'amsgrad'];
const arenas = new Map();`,
  `for (let m = receiveMessageOnPort(port); m !== undefined; m = receiveMessageOnPort(port)) {
    const d = m.message;
    if (d.type === 'arena') arenas.set(d.id, new WebAssembly.Instance(d.module, { env: { mem: d.memory } }).exports);
    else arenas.delete(d.id);
  }
  const id = ctl[2];
  if (id !== 0) {
    const e = arenas.get(id);
    if (e === undefined) ctl[4] = 0;
    else {
      const p = prm;
      p[20] = e[variants[ctl[3]]](p[0], p[1], p[2], p[3], p[4], p[5], p[6], p[7], p[8], p[9],
        p[10], p[11], p[12], p[13], p[14], p[15], p[16], p[17], p[18], p[19]);
      ctl[4] = 1;
    }
  }`,
);

type Lane = WorkerLane<Float64Array>;
const lanes: Lane[] = [];
/** Set when a worker stopped answering: every later step runs on the calling thread. */
let broken = false;

/** A kernel call: byte offsets and length (ten i32s), then the ten f64 scalars. */
export type KernelArgs = Float64Array;

/** The pool's handle on one arena: run kernel slices on workers, and release the arena. */
export interface ArenaLanes {
  /** Workers available to this arena (the calling thread is one more). */
  readonly size: number;
  /**
   * Posts elements [lo, hi) to worker `lane` (0-based) and returns at once. `args` holds the kernel's
   * arguments for the whole arrays (byte offsets of element 0; the length slot is ignored).
   */
  post(lane: number, variant: keyof typeof VARIANT_INDEX, args: KernelArgs, lo: number, hi: number): void;
  /** Waits for worker `lane`'s slice: its result (Σ(m − m)), or undefined if the worker could not run it. */
  wait(lane: number): number | undefined;
}

const released = new FinalizationRegistry<number>((id) => {
  for (const lane of lanes) lane.port.postMessage({ type: 'drop', id });
  // Wake each worker so it reads the message now, and wait: a command must never overlap another.
  for (let k = 0; k < lanes.length; k++) {
    command(lanes[k]!, 0, 0);
    await_(lanes[k]!);
  }
});
let nextArenaId = 1;

function command(lane: Lane, id: number, variant: number): void {
  lane.ctl[2] = id;
  lane.ctl[3] = variant;
  postLane(lane);
}

/** Waits for the lane's last command; false when it did not answer within 30 s (the pool is then retired). */
function await_(lane: Lane): boolean {
  if (!broken && awaitLane(lane, 30_000)) return true;
  broken = true;
  return false;
}

/**
 * Registers a shared arena (its compiled module and memory) with `threads − 1` workers, starting them
 * on first use, and returns its handle; undefined when threads are unavailable.
 */
export function threadPool(threads: number, module: object, memory: object, owner: object): ArenaLanes | undefined {
  const wt = nodeWorkerThreads();
  if (wt === null || broken || threads < 2) return undefined;
  try {
    while (lanes.length < threads - 1) lanes.push(startLane(wt, WORKER_SOURCE, CTL, 'Float64Array', PRM));
  } catch {
    return undefined;
  }
  const id = nextArenaId++;
  const mine = lanes.slice(0, threads - 1);
  for (const lane of mine) lane.port.postMessage({ type: 'arena', id, module, memory });
  released.register(owner, id);
  return {
    size: mine.length,
    post(k, variant, args, lo, hi) {
      const lane = mine[k]!;
      const p = lane.prm;
      for (let i = 0; i < 9; i++) p[i] = args[i]! + 8 * lo;
      p[9] = 8 * (hi - lo);
      for (let i = 10; i < 20; i++) p[i] = args[i]!;
      command(lane, id, VARIANT_INDEX[variant]);
    },
    wait(k) {
      const lane = mine[k]!;
      if (!await_(lane) || lane.ctl[4] !== 1) return undefined;
      return lane.prm[20]!;
    },
  };
}

/** Stops every worker (tests; a process exits without it, since workers are unref'd). */
export async function terminateAdamWorkers(): Promise<void> {
  const all = lanes.splice(0);
  await Promise.all(all.map((l) => l.worker.terminate()));
}
