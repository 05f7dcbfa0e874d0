// The Python side of the linalg benches: NumPy's import and a timer `t(f, reps)` (one warm-up call,
// then the median of `reps` timed calls) on the given clock, shared by every bench script so the
// reference is measured the same way everywhere. `time.process_time` counts the CPU seconds of the
// process (fair on a loaded machine, and what one-thread rows compare against `clock: 'cpu'`);
// `time.perf_counter` counts wall seconds (multi-thread rows).
export function numpyPrelude(clock: 'process_time' | 'perf_counter'): string {
  return `
import json, time, numpy as np
def t(f, reps):
    f(); best = []
    for _ in range(reps):
        s = time.${clock}(); f(); best.append(time.${clock}() - s)
    best.sort(); return best[len(best) // 2]
rng = np.random.default_rng(0)
`;
}
