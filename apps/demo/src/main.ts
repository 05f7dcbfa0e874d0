import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { Scale } from './experiment.js';
import { experiments } from './registry.js';
import { formatTable, writeReport } from './report.js';
import { defaultSeeds, progressBar, runExperiments, UnknownExperimentError } from './run.js';

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
  --out DIR          report directory (default: report, relative to where npm was run)
  --list             list the experiments and exit
  -h, --help         this help
`;

function fail(message: string): never {
  process.stderr.write(`demo: ${message}\n\n${USAGE}`);
  process.exit(2);
}

let values: { only?: string; quick?: boolean; full?: boolean; seed?: string; seeds?: string; out?: string; list?: boolean; help?: boolean };
try {
  values = parseArgs({
    options: {
      only: { type: 'string' },
      quick: { type: 'boolean', default: false },
      full: { type: 'boolean', default: false },
      seed: { type: 'string', default: '0' },
      seeds: { type: 'string' },
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

const t0 = performance.now();
const cpu0 = process.cpuUsage();
const bar = process.stderr.isTTY ? progressBar((s) => process.stderr.write(s)) : undefined;
let outcomes;
try {
  outcomes = await runExperiments(experiments, {
    seed,
    seeds,
    scale,
    only,
    log: (l) => {
      bar?.done();
      console.log(l);
    },
    onProgress: bar?.update,
  });
} catch (err) {
  if (err instanceof UnknownExperimentError) fail(err.message);
  throw err;
}
bar?.done();
const seconds = (performance.now() - t0) / 1000;
const used = process.cpuUsage(cpu0);
// CPU time of this (single-threaded) process: on a shared machine the wall time is inflated by other
// jobs, and CPU time is what the run would take on an idle core.
const cpuSeconds = (used.user + used.system) / 1e6;
console.log('');
console.log(formatTable(outcomes));
// The report goes next to where the user ran `npm run demo` (npm sets INIT_CWD), not into apps/demo.
const outDir = resolve(process.env.INIT_CWD ?? process.cwd(), values.out ?? 'report');
const html = await writeReport(outDir, outcomes, { seed, scale, seconds, cpuSeconds, generatedAt: new Date().toISOString() });
console.log(`\nreport: ${html} (${seconds.toFixed(1)} s wall, ${cpuSeconds.toFixed(1)} s CPU; ${scale} scale, ${seeds} seeds each)`);
process.exit(outcomes.some((o) => o.error) ? 1 : 0);
