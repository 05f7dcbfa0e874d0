import type { Experiment, Scale } from './experiment.js';
import type { Outcome } from './report.js';

/** Options of {@link runExperiments}. */
export interface RunOptions {
  seed: number;
  /** Seeds per experiment (default: 2 at quick scale, 5 otherwise). */
  seeds?: number;
  scale: Scale;
  only?: readonly string[];
  /** Called with one progress line per experiment. */
  log?: (line: string) => void;
  /** Called with the progress inside the running experiment (fraction in [0, 1]). */
  onProgress?: (id: string, fraction: number) => void;
}

/** Default seeds per experiment at a scale. */
export function defaultSeeds(scale: Scale): number {
  return scale === 'quick' ? 2 : scale === 'full' ? 10 : 5;
}

/** Thrown for experiment ids the registry does not know (the CLI prints it as a usage error). */
export class UnknownExperimentError extends Error {}

/** Runs the selected experiments in order; an experiment that throws is reported, not fatal. */
export async function runExperiments(all: readonly Experiment[], options: RunOptions): Promise<Outcome[]> {
  const unknown = (options.only ?? []).filter((id) => !all.some((e) => e.id === id));
  if (unknown.length > 0) {
    throw new UnknownExperimentError(`unknown experiment id${unknown.length > 1 ? 's' : ''} ${unknown.map((u) => `'${u}'`).join(', ')}; known: ${all.map((e) => e.id).join(', ')}`);
  }
  const selected = options.only && options.only.length > 0 ? all.filter((e) => options.only!.includes(e.id)) : all;
  const log = options.log ?? (() => {});
  const seeds = options.seeds ?? defaultSeeds(options.scale);
  const outcomes: Outcome[] = [];
  for (const [i, e] of selected.entries()) {
    const tag = `[${i + 1}/${selected.length}] ${e.id}`;
    log(`${tag}: ${e.claim} ...`);
    const t0 = performance.now();
    const cpu0 = process.cpuUsage();
    const progress = (done: number, total: number) => options.onProgress?.(e.id, total > 0 ? Math.min(1, Math.max(0, done / total)) : 0);
    try {
      const result = await e.run({ seed: options.seed, seeds, scale: options.scale, progress });
      const seconds = (performance.now() - t0) / 1000;
      const used = process.cpuUsage(cpu0);
      const cpuSeconds = (used.user + used.system) / 1e6;
      outcomes.push({ experiment: e, seconds, cpuSeconds, result });
      log(`${tag}: ${result.verdict} in ${seconds.toFixed(1)} s (${cpuSeconds.toFixed(1)} s CPU)`);
    } catch (err) {
      const seconds = (performance.now() - t0) / 1000;
      const message = err instanceof Error ? err.message : String(err);
      outcomes.push({ experiment: e, seconds, error: message });
      log(`${tag}: failed after ${seconds.toFixed(1)} s: ${message}`);
    }
  }
  return outcomes;
}

/**
 * A one-line progress bar for a terminal stream: redraws in place at most ten times a second;
 * `done()` clears the line.
 */
export function progressBar(write: (s: string) => void, width = 30): { update: (id: string, fraction: number) => void; done: () => void } {
  let last = 0;
  let shown = false;
  return {
    update(id, fraction) {
      const now = performance.now();
      if (now - last < 100 && fraction < 1) return;
      last = now;
      const full = Math.round(fraction * width);
      write(`\r  ${id.padEnd(10)} [${'#'.repeat(full)}${'.'.repeat(width - full)}] ${String(Math.round(100 * fraction)).padStart(3)}%`);
      shown = true;
    },
    done() {
      if (shown) write(`\r${' '.repeat(width + 22)}\r`);
      shown = false;
    },
  };
}
