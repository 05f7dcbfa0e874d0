import { loadavg } from 'node:os';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { Scale } from './experiment.js';
import { expectedCpuSeconds, experiments } from './registry.js';
import { formatTable, writeReport } from './report.js';
import { defaultSeeds, defaultWorkers, progressBar, runAll, selectExperiments, UnknownExperimentError } from './run.js';

const USAGE = `usage: npm run demo -- [options]

Reproduces each paper's headline claim at small scale over several seeds, judges it by an effect
with a 95% confidence interval, prints a table and writes report/ (index.html, one SVG per
experiment, results.json, summary.md).

options:
  --only ID[,ID...]  run these experiments only (see --list)
  --quick            small sizes, 2 seeds (what the test runs)
  --full             closer to the papers' scale, 10 seeds (at most ~10 minutes per experiment)
  --seeds N          seeds per experiment (default: 5; 2 with --quick; 10 with --full)
  --seed N           base seed (default 0); every experiment derives its seeds from it
  --workers N        worker processes running experiments side by side (default: the CPUs, capped
                     where more would not finish sooner; 1: everything in this process, in order);
                     the results are the same for every N
  --out DIR          report directory (default: report, relative to where npm was run)
  --list             list the experiments and exit
  -h, --help         this help
`;

function fail(message: string): never {
  process.stderr.write(`demo: ${message}\n\n${USAGE}`);
  process.exit(2);
}

let values: { only?: string; quick?: boolean; full?: boolean; seed?: string; seeds?: string; workers?: string; out?: string; list?: boolean; help?: boolean };
try {
  values = parseArgs({
    options: {
      only: { type: 'string' },
      quick: { type: 'boolean', default: false },
      full: { type: 'boolean', default: false },
      seed: { type: 'string', default: '0' },
      seeds: { type: 'string' },
      workers: { type: 'string' },
      out: { type: 'string', default: 'report' },
      list: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
    allowPositionals: false,
  }).values;
} catch (err) {
  // node:util reports unknown flags and missing values with a readable message; add the usage.
  fail(err instanceof Error ? err.message : String(err));
}

if (values.help) {
  process.stdout.write(USAGE);
  process.exit(0);
}
if (values.list) {
  for (const e of experiments) console.log(`${e.id.padEnd(10)} ${e.paper}: ${e.claim}`);
  process.exit(0);
}
if (values.quick && values.full) fail('--quick and --full exclude each other');
const seed = Number(values.seed);
if (!Number.isSafeInteger(seed) || seed < 0) fail(`--seed must be a non-negative integer, got '${values.seed}'`);
const scale: Scale = values.quick ? 'quick' : values.full ? 'full' : 'default';
const seeds = values.seeds === undefined ? defaultSeeds(scale) : Number(values.seeds);
if (!Number.isSafeInteger(seeds) || seeds < 2) fail(`--seeds must be an integer ≥ 2 (an interval needs two seeds), got '${values.seeds}'`);
const only = values.only ? values.only.split(',').map((s) => s.trim()).filter(Boolean) : undefined;

let selected;
try {
  selected = selectExperiments(experiments, only);
} catch (err) {
  if (err instanceof UnknownExperimentError) fail(err.message);
  throw err;
}
const cost = (id: string) => expectedCpuSeconds[id] ?? 1;
const workers = values.workers === undefined ? defaultWorkers(selected.map((e) => cost(e.id))) : Number(values.workers);
if (!Number.isSafeInteger(workers) || workers < 1) fail(`--workers must be a positive integer, got '${values.workers}'`);

const t0 = performance.now();
const cpu0 = process.cpuUsage();
// The 1-minute load average, sampled at the start, at every progress line and at the end: what else
// ran on the machine (the workers count in it too).
const loads = [loadavg()[0]!];
const bar = process.stderr.isTTY ? progressBar((s) => process.stderr.write(s), Math.min(100, process.stderr.columns || 80)) : undefined;
const summary = await runAll(experiments, {
  seed,
  seeds,
  scale,
  only,
  workers,
  cost,
  log: (l) => {
    loads.push(loadavg()[0]!);
    bar?.done();
    console.log(l);
  },
  onProgress: bar?.update,
  onEnd: bar?.end,
});
const outcomes = summary.outcomes;
bar?.done();
const seconds = (performance.now() - t0) / 1000;
const used = process.cpuUsage(cpu0);
// CPU time of this process and its workers: on a shared machine the wall time is inflated by other
// jobs; the CPU time is what the run needs on idle cores.
const cpuSeconds = (used.user + used.system) / 1e6 + summary.workerCpuSeconds;
loads.push(loadavg()[0]!);
const load = { mean: loads.reduce((a, b) => a + b, 0) / loads.length, max: Math.max(...loads) };
console.log('');
console.log(formatTable(outcomes));
// The report goes next to where the user ran `npm run demo` (npm sets INIT_CWD), not into apps/demo.
const outDir = resolve(process.env.INIT_CWD ?? process.cwd(), values.out ?? 'report');
const meta = { seed, scale, seconds, cpuSeconds, workers: summary.workers, load, generatedAt: new Date().toISOString() };
const html = await writeReport(outDir, outcomes, meta);
console.log(`\nreport: ${html} (${seconds.toFixed(1)} s wall, ${cpuSeconds.toFixed(1)} s CPU in ${summary.workers} process${summary.workers > 1 ? 'es' : ''}; load average ${load.mean.toFixed(1)} (max ${load.max.toFixed(1)}); ${scale} scale, ${seeds} seeds each)`);
process.exit(outcomes.some((o) => o.error) ? 1 : 0);
