/** One measured operation. */
export interface Measurement {
  /** Median seconds per call. */
  seconds: number;
  /** Calls timed. */
  calls: number;
}

function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

/**
 * Times `fn` by calling it until `minSeconds` have passed (after warm-up) and returns the median of
 * per-batch timings: medians resist the odd GC pause on a shared two-core machine.
 */
export function measure(fn: () => unknown, options: { minSeconds?: number; warmup?: number; clock?: 'wall' | 'cpu' } = {}): Measurement {
  const minSeconds = options.minSeconds ?? 1;
  // 'cpu': this process's user+system CPU time instead of wall time, for single-threaded work on a
  // loaded machine (time spent waiting for a core is not counted).
  const now = options.clock === 'cpu' ? cpuMs : () => performance.now();
  const warmup = options.warmup ?? 2;
  for (let i = 0; i < warmup; i++) fn();
  // Size a batch so one batch takes roughly 1/10 of the budget.
  let batch = 1;
  for (;;) {
    const t0 = now();
    for (let i = 0; i < batch; i++) fn();
    const dt = (now() - t0) / 1000;
    if (dt >= minSeconds / 10 || batch >= 1 << 20) break;
    batch *= 2;
  }
  const samples: number[] = [];
  const start = now();
  let calls = 0;
  while ((now() - start) / 1000 < minSeconds || samples.length < 3) {
    const t0 = now();
    for (let i = 0; i < batch; i++) fn();
    samples.push((now() - t0) / 1000 / batch);
    calls += batch;
  }
  samples.sort((a, b) => a - b);
  return { seconds: samples[samples.length >> 1]!, calls };
}
