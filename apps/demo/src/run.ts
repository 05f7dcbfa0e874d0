import { fork, type ChildProcess } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { Experiment, ExperimentResult, Scale } from './experiment.js';
import type { Outcome } from './report.js';
import type { WorkerJob } from './worker.js';

/** Options of {@link runExperiments}. */
export interface RunOptions {
  seed: number;
  /** Seeds per experiment (default: 2 at quick scale, 5 otherwise). */
  seeds?: number;
  scale: Scale;
  only?: readonly string[];
  /** Called with one progress line per experiment when it starts and when it ends. */
  log?: (line: string) => void;
  /** Called with the progress inside a running experiment (fraction in [0, 1]). */
  onProgress?: (id: string, fraction: number) => void;
  /** Called when an experiment has ended (the progress display drops it). */
  onEnd?: (id: string) => void;
  /**
   * Worker processes: 1 (default) runs every experiment in this process, one after another; N ≥ 2
   * forks up to N processes that run one experiment each at a time. Results are the same bit for bit
   * (every experiment derives its randomness from its own seeds only).
   */
  workers?: number;
  /**
   * The module the worker processes load the experiments from (it exports `experiments`, found by
   * id); default: registry.js beside this file. Only read when workers ≥ 2.
   */
  registry?: URL;
  /** Expected cost of an experiment (any unit, e.g. CPU seconds): workers take the costliest first. */
  cost?: (id: string) => number;
}

/** What {@link runAll} returns: the outcomes in registry order, and what the workers used. */
export interface RunSummary {
  outcomes: Outcome[];
  /** Processes the experiments ran in (1: this process). */
  workers: number;
  /** CPU time of the worker processes (0 with one worker: it is this process's own). */
  workerCpuSeconds: number;
}

/** What a worker process sends back (see worker.ts). */
export type WorkerReply =
  | { type: 'ready'; processCpuSeconds: number }
  | { type: 'progress'; index: number; fraction: number }
  | { type: 'done'; index: number; result: ExperimentResult; svg?: string; seconds: number; cpuSeconds: number; processCpuSeconds: number }
  | { type: 'error'; index: number; message: string; seconds: number; cpuSeconds: number; processCpuSeconds: number };

/** Default seeds per experiment at a scale. */
export function defaultSeeds(scale: Scale): number {
  return scale === 'quick' ? 2 : scale === 'full' ? 10 : 5;
}

/** Thrown for experiment ids the registry does not know (the CLI prints it as a usage error). */
export class UnknownExperimentError extends Error {}

/**
 * The experiments `only` selects (all when empty), in registry order.
 *
 * @throws UnknownExperimentError for an id the registry does not know.
 */
export function selectExperiments(all: readonly Experiment[], only?: readonly string[]): Experiment[] {
  const unknown = (only ?? []).filter((id) => !all.some((e) => e.id === id));
  if (unknown.length > 0) {
    throw new UnknownExperimentError(`unknown experiment id${unknown.length > 1 ? 's' : ''} ${unknown.map((u) => `'${u}'`).join(', ')}; known: ${all.map((e) => e.id).join(', ')}`);
  }
  return only && only.length > 0 ? all.filter((e) => only.includes(e.id)) : [...all];
}

/**
 * Longest-processing-time-first schedule on `workers` machines: the makespan (largest load) when the
 * costliest remaining job always goes to the least loaded worker, which is what the runner does.
 */
export function makespan(costs: readonly number[], workers: number): number {
  const load = new Array<number>(Math.max(1, workers)).fill(0);
  for (const c of [...costs].sort((a, b) => b - a)) {
    let k = 0;
    for (let i = 1; i < load.length; i++) if (load[i]! < load[k]!) k = i;
    load[k]! += c;
  }
  return Math.max(...load);
}

/**
 * Default worker count: the CPUs of this machine, capped where one more worker would not shorten the
 * schedule (an experiment is the unit of work, so the longest one bounds the wall time).
 */
export function defaultWorkers(costs: readonly number[], cpus = availableParallelism()): number {
  let w = 1;
  while (w < Math.min(cpus, costs.length) && makespan(costs, w + 1) < makespan(costs, w)) w++;
  return w;
}

/** Runs the selected experiments; an experiment that throws is reported, not fatal. Outcomes in registry order. */
export async function runExperiments(all: readonly Experiment[], options: RunOptions): Promise<Outcome[]> {
  return (await runAll(all, options)).outcomes;
}

/**
 * Runs the selected experiments in this process (one worker) or in worker processes, costliest first.
 * An experiment that throws, or whose worker process dies, is reported as an error; the others run on
 * (a dead worker is replaced while experiments remain).
 */
export async function runAll(all: readonly Experiment[], options: RunOptions): Promise<RunSummary> {
  const selected = selectExperiments(all, options.only);
  const seeds = options.seeds ?? defaultSeeds(options.scale);
  const workers = Math.max(1, Math.min(options.workers ?? 1, selected.length));
  const log = options.log ?? (() => {});
  const tag = (i: number) => `[${i + 1}/${selected.length}] ${selected[i]!.id}`;
  const outcomes: (Outcome | undefined)[] = new Array(selected.length);
  // A start line fits the table's 100 columns: the claim is cut with an ellipsis where it would not.
  const started = (i: number) => {
    const head = `${tag(i)}: `;
    const claim = selected[i]!.claim;
    const room = 100 - head.length - 4;
    log(`${head}${[...claim].length <= room ? claim : `${[...claim].slice(0, room - 1).join('')}…`} ...`);
  };
  const finished = (i: number, o: Outcome) => {
    outcomes[i] = o;
    options.onEnd?.(o.experiment.id);
    log(o.result ? `${tag(i)}: ${o.result.verdict} in ${o.seconds.toFixed(1)} s (${o.cpuSeconds!.toFixed(1)} s CPU)` : `${tag(i)}: failed after ${o.seconds.toFixed(1)} s: ${o.error}`);
  };
  if (workers === 1) {
    for (const [i, e] of selected.entries()) {
      started(i);
      const t0 = performance.now();
      const cpu0 = process.cpuUsage();
      const progress = (done: number, total: number) => options.onProgress?.(e.id, total > 0 ? Math.min(1, Math.max(0, done / total)) : 0);
      const elapsed = () => {
        const used = process.cpuUsage(cpu0);
        return { seconds: (performance.now() - t0) / 1000, cpuSeconds: (used.user + used.system) / 1e6 };
      };
      try {
        const result = await e.run({ seed: options.seed, seeds, scale: options.scale, progress });
        finished(i, { experiment: e, result, ...elapsed() });
      } catch (err) {
        finished(i, { experiment: e, error: err instanceof Error ? err.message : String(err), ...elapsed() });
      }
    }
    return { outcomes: outcomes as Outcome[], workers: 1, workerCpuSeconds: 0 };
  }
  const cost = options.cost ?? (() => 1);
  // Costliest first (ties in registry order): the long experiments start at once and the short ones
  // fill the gaps at the end.
  const queue = selected.map((_, i) => i).sort((a, b) => cost(selected[b]!.id) - cost(selected[a]!.id) || a - b);
  const registry = options.registry ?? new URL(`./registry${extension()}`, import.meta.url);
  const cpuOf = new Map<ChildProcess, number>();
  let exited = 0;
  let spawned = 0;
  await new Promise<void>((resolve) => {
    const settle = () => {
      if (outcomes.every((o) => o !== undefined) && exited === spawned) resolve();
    };
    // Each worker is forked with its first job, sent once the worker says it is ready; the next job
    // goes to it when it answers. A worker that dies fails its job, and a new worker takes the next one.
    const spawn = (first: number) => {
      const child = forkWorker(registry);
      spawned++;
      let job: number | undefined = first;
      let t0 = performance.now();
      let stderr = '';
      child.stderr?.on('data', (chunk: Buffer) => {
        process.stderr.write(chunk);
        stderr = (stderr + chunk.toString('utf8')).slice(-4000);
      });
      const sendNext = () => {
        job = queue.shift();
        if (job === undefined) {
          child.disconnect();
          return;
        }
        send(job);
      };
      const send = (i: number) => {
        started(i);
        t0 = performance.now();
        const msg: WorkerJob = { type: 'run', index: i, id: selected[i]!.id, seed: options.seed, seeds, scale: options.scale };
        child.send(msg);
      };
      child.on('message', (m: WorkerReply) => {
        if (m.type === 'ready') {
          cpuOf.set(child, m.processCpuSeconds);
          if (job !== undefined) send(job);
        } else if (m.type === 'progress') {
          options.onProgress?.(selected[m.index]!.id, m.fraction);
        } else if (m.type === 'done' || m.type === 'error') {
          cpuOf.set(child, m.processCpuSeconds);
          const e = selected[m.index]!;
          finished(m.index, m.type === 'done' ? { experiment: e, result: m.result, ...(m.svg === undefined ? {} : { svg: m.svg }), seconds: m.seconds, cpuSeconds: m.cpuSeconds } : { experiment: e, error: m.message, seconds: m.seconds, cpuSeconds: m.cpuSeconds });
          sendNext();
        }
      });
      let gone = false;
      const onGone = (why: string) => {
        if (gone) return;
        gone = true;
        exited++;
        if (job !== undefined && outcomes[job] === undefined) {
          const lastLine = stderr.trim().split('\n').at(-1);
          const i = job;
          finished(i, { experiment: selected[i]!, error: `its worker process ${why}${lastLine ? ` (${lastLine})` : ''}`, seconds: (performance.now() - t0) / 1000 });
          job = undefined;
          const next = queue.shift();
          if (next !== undefined) spawn(next);
        }
        settle();
      };
      child.on('exit', (code, signal) => onGone(signal ? `was killed by ${signal}` : `exited with code ${code}`));
      child.on('error', (err) => {
        // Failing to start or to send: the process is of no use; make sure it is gone.
        child.kill();
        onGone(`failed: ${err.message}`);
      });
    };
    for (let w = 0; w < workers; w++) {
      const first = queue.shift();
      if (first !== undefined) spawn(first);
    }
  });
  let workerCpuSeconds = 0;
  for (const c of cpuOf.values()) workerCpuSeconds += c;
  return { outcomes: outcomes as Outcome[], workers, workerCpuSeconds };
}

/** '.ts' when this module runs from its TypeScript source (tsx, vitest), '.js' from dist. */
function extension(): '.ts' | '.js' {
  return import.meta.url.endsWith('.ts') ? '.ts' : '.js';
}

function forkWorker(registry: URL): ChildProcess {
  const ts = extension() === '.ts';
  const script = fileURLToPath(new URL(`./worker${extension()}`, import.meta.url));
  // From TypeScript sources the worker needs tsx; from dist it gets this process's node options.
  return fork(script, [registry.href], {
    serialization: 'advanced',
    stdio: ['ignore', 'inherit', 'pipe', 'ipc'],
    ...(ts ? { execArgv: ['--import', 'tsx'] } : {}),
  });
}

/**
 * A one-line progress display for a terminal stream, one bar per running experiment, at most `width`
 * characters: redraws in place at most ten times a second; `end(id)` drops an experiment's bar;
 * `done()` clears the line.
 */
export function progressBar(write: (s: string) => void, width = 100): { update: (id: string, fraction: number) => void; end: (id: string) => void; done: () => void } {
  let last = 0;
  let shown = false;
  let drawn = 0;
  const running = new Map<string, number>();
  return {
    update(id, fraction) {
      running.set(id, fraction);
      const now = performance.now();
      if (now - last < 100 && fraction < 1) return;
      last = now;
      // Several bars share the line (at most `width` characters wide in all, wider bars for fewer
      // experiments); when even short bars do not fit, percentages only.
      const n = running.size;
      const w = Math.min(30, Math.floor((width - 2 - 21 * n) / n));
      const parts = [...running].map(([k, f]) => {
        const pct = `${String(Math.round(100 * f)).padStart(3)}%`;
        if (w < 6) return `${k} ${pct.trim()}`;
        const full = Math.round(f * w);
        return `${k.padEnd(10)} [${'#'.repeat(full)}${'.'.repeat(w - full)}] ${pct}`;
      });
      const line = parts.join('  ').slice(0, width - 2);
      write(`\r  ${line}${' '.repeat(Math.max(0, drawn - line.length))}`);
      drawn = line.length;
      shown = true;
    },
    end(id) {
      running.delete(id);
    },
    done() {
      if (shown) write(`\r${' '.repeat(drawn + 2)}\r`);
      shown = false;
      drawn = 0;
    },
  };
}
