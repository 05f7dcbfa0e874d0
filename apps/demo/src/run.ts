import type { Experiment } from './experiment.js';
import type { Outcome } from './report.js';

/** Options of {@link runExperiments}. */
export interface RunOptions {
  seed: number;
  quick: boolean;
  only?: readonly string[];
  /** Called with one progress line per experiment. */
  log?: (line: string) => void;
}

/** Runs the selected experiments in order; an experiment that throws is reported, not fatal. */
export async function runExperiments(all: readonly Experiment[], options: RunOptions): Promise<Outcome[]> {
  const selected = options.only && options.only.length > 0 ? all.filter((e) => options.only!.includes(e.id)) : all;
  const unknown = (options.only ?? []).filter((id) => !all.some((e) => e.id === id));
  if (unknown.length > 0) throw new Error(`unknown experiment id(s): ${unknown.join(', ')}; known: ${all.map((e) => e.id).join(', ')}`);
  const log = options.log ?? (() => {});
  const outcomes: Outcome[] = [];
  for (const [i, e] of selected.entries()) {
    log(`[${i + 1}/${selected.length}] ${e.id}: ${e.claim} ...`);
    const t0 = performance.now();
    try {
      const result = await e.run({ seed: options.seed, quick: options.quick });
      const seconds = (performance.now() - t0) / 1000;
      outcomes.push({ experiment: e, seconds, result });
      log(`[${i + 1}/${selected.length}] ${e.id}: ${result.verdict} (${result.figure}) in ${seconds.toFixed(1)} s`);
    } catch (err) {
      const seconds = (performance.now() - t0) / 1000;
      const message = err instanceof Error ? err.message : String(err);
      outcomes.push({ experiment: e, seconds, error: message });
      log(`[${i + 1}/${selected.length}] ${e.id}: failed after ${seconds.toFixed(1)} s: ${message}`);
    }
  }
  return outcomes;
}
