// A worker process of the parallel runner (run.ts forks it): loads the registry module given as its
// first argument, then runs the experiments it is sent, one at a time, and answers each with its result
// (or error), its wall and CPU time. It exits when the runner closes the channel.
import type { Experiment, Scale } from './experiment.js';
import { renderSvg } from './plot.js';
import type { WorkerReply } from './run.js';

/** A job the runner sends: experiment `id` at these settings; `index` identifies the answer. */
export interface WorkerJob {
  type: 'run';
  index: number;
  id: string;
  seed: number;
  seeds: number;
  scale: Scale;
}

if (!process.send) throw new Error('worker.ts runs as a child process of the demo runner (run.ts)');
const send = (reply: WorkerReply) => process.send!(reply);
const registry = process.argv[2]!;
const { experiments } = (await import(registry)) as { experiments: readonly Experiment[] };

/** Progress messages at most ten a second (an experiment may report thousands of units). */
const PROGRESS_INTERVAL_MS = 100;

async function run(job: WorkerJob): Promise<void> {
  const e = experiments.find((x) => x.id === job.id);
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const elapsed = () => {
    const used = process.cpuUsage(cpu0);
    return { seconds: (performance.now() - t0) / 1000, cpuSeconds: (used.user + used.system) / 1e6, processCpuSeconds: processCpu() };
  };
  let last = -Infinity;
  let unsent: number | undefined;
  const progress = (done: number, total: number) => {
    const now = performance.now();
    const fraction = total > 0 ? Math.min(1, Math.max(0, done / total)) : 0;
    unsent = fraction;
    if (now - last < PROGRESS_INTERVAL_MS && fraction < 1) return;
    last = now;
    unsent = undefined;
    send({ type: 'progress', index: job.index, fraction });
  };
  // The last progress the experiment reported reaches the runner even when it came within the interval.
  const flush = () => {
    if (unsent !== undefined) send({ type: 'progress', index: job.index, fraction: unsent });
    unsent = undefined;
  };
  try {
    if (!e) throw new Error(`experiment '${job.id}' is not in the worker's registry ${registry}`);
    const result = await e.run({ seed: job.seed, seeds: job.seeds, scale: job.scale, progress });
    flush();
    const times = elapsed();
    // The plot is drawn here too, beside the other experiments, instead of one after another at the
    // end; if drawing fails the runner draws it again and reports that error.
    const svg = await renderSvg(result.plot).catch(() => undefined);
    const reply: WorkerReply = { type: 'done', index: job.index, result, ...(svg === undefined ? {} : { svg }), ...times, processCpuSeconds: processCpu() };
    try {
      send(reply);
    } catch (err) {
      // A result the IPC channel cannot clone (a function in a plot spec, say) is the experiment's error.
      throw new Error(`its result cannot be sent to the runner: ${err instanceof Error ? err.message : String(err)}`);
    }
  } catch (err) {
    flush();
    send({ type: 'error', index: job.index, message: err instanceof Error ? err.message : String(err), ...elapsed() });
  }
}

function processCpu(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}

// Jobs run one after another: the runner sends the next one only after this one's answer.
process.on('message', (m: WorkerJob) => {
  if (m.type === 'run') void run(m);
});
process.on('disconnect', () => process.exit(0));
send({ type: 'ready', processCpuSeconds: processCpu() });
