import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { experiments } from './registry.js';
import { formatTable, writeReport } from './report.js';
import { runExperiments } from './run.js';

const { values } = parseArgs({
  options: {
    only: { type: 'string' },
    quick: { type: 'boolean', default: false },
    seed: { type: 'string', default: '0' },
    out: { type: 'string', default: 'report' },
    list: { type: 'boolean', default: false },
  },
});

if (values.list) {
  for (const e of experiments) console.log(`${e.id.padEnd(14)} ${e.paper}: ${e.claim}`);
  process.exit(0);
}
const seed = Number(values.seed);
if (!Number.isSafeInteger(seed)) {
  console.error(`--seed must be an integer, got ${values.seed}`);
  process.exit(2);
}
const only = values.only ? values.only.split(',').map((s) => s.trim()).filter(Boolean) : undefined;
const t0 = performance.now();
const outcomes = await runExperiments(experiments, { seed, quick: values.quick, only, log: (l) => console.log(l) });
console.log('');
console.log(formatTable(outcomes));
// The report goes next to where the user ran `npm run demo` (npm sets INIT_CWD), not into apps/demo.
const outDir = resolve(process.env.INIT_CWD ?? process.cwd(), values.out);
const html = await writeReport(outDir, outcomes, { seed, quick: values.quick, generatedAt: new Date().toISOString() });
console.log(`\nreport: ${html} (${((performance.now() - t0) / 1000).toFixed(1)} s)`);
process.exit(outcomes.some((o) => o.error) ? 1 : 0);
