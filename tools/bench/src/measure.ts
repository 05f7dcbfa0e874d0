/** One measured operation. */
export interface Measurement {
  /** Median seconds per call. */
  seconds: number;
  /** Calls timed. */
  calls: number;
}

/**
 * Times `fn` by calling it until `minSeconds` have passed (after warm-up) and returns the median of
 * per-batch timings: medians resist the odd GC pause on a shared two-core machine.
 */
export function measure(fn: () => unknown, options: { minSeconds?: number; warmup?: number } = {}): Measurement {
  const minSeconds = options.minSeconds ?? 1;
  const warmup = options.warmup ?? 2;
  for (let i = 0; i < warmup; i++) fn();
  // Size a batch so one batch takes roughly 1/10 of the budget.
  let batch = 1;
  for (;;) {
    const t0 = performance.now();
    for (let i = 0; i < batch; i++) fn();
    const dt = (performance.now() - t0) / 1000;
    if (dt >= minSeconds / 10 || batch >= 1 << 20) break;
    batch *= 2;
  }
  const samples: number[] = [];
  const start = performance.now();
  let calls = 0;
  while ((performance.now() - start) / 1000 < minSeconds || samples.length < 3) {
    const t0 = performance.now();
    for (let i = 0; i < batch; i++) fn();
    samples.push((performance.now() - t0) / 1000 / batch);
    calls += batch;
  }
  samples.sort((a, b) => a - b);
  return { seconds: samples[samples.length >> 1]!, calls };
}
