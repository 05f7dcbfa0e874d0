// Parent side of the API fuzz: runs scripts/fuzz-worker.ts in a worker thread and watches it. A call
// that makes no progress for `watchdogMs` (default 60 s: generous, so a loaded machine never trips
// it, while a call that loops for ever or allocates without bound is caught and named) terminates the
// worker and is reported as a failure. There is no bound on the run as a whole.
import { Worker } from 'node:worker_threads';
import type { FuzzReport } from './fuzz-api.js';

export interface FuzzRunOptions {
  /** The module to fuzz (a file URL or package name the worker can import). */
  entry: string;
  /** The table module (exports `fuzzTable`). */
  table: string;
  seed?: number;
  watchdogMs?: number;
  /** Also fuzz the function members of exported plain objects (methods' `init`, `step`, …) as `name.member`. */
  members?: boolean;
}

/**
 * Fuzzes `entry` in a worker; resolves with the report. A call that hangs (or exhausts the worker's
 * memory) is a failure naming it; the worker is then restarted after that function, so one hang does
 * not hide the rest of the module.
 */
export async function fuzzInWorker(options: FuzzRunOptions): Promise<FuzzReport> {
  const total: FuzzReport = { calls: 0, rejected: 0, failures: [], missing: [], stale: [], skipped: {}, pending: {} };
  const after: string[] = [];
  for (;;) {
    const r = await oneWorker(options, after);
    total.calls += r.report.calls;
    total.rejected += r.report.rejected;
    total.failures.push(...r.report.failures);
    total.missing = [...new Set([...total.missing, ...r.report.missing])];
    total.stale = r.report.stale;
    Object.assign(total.skipped, r.report.skipped);
    Object.assign(total.pending, r.report.pending);
    if (r.hungIn === undefined) return total;
    after.push(r.hungIn);
  }
}

function oneWorker(options: FuzzRunOptions, skip: readonly string[]): Promise<{ report: FuzzReport; hungIn?: string }> {
  const watchdogMs = options.watchdogMs ?? 60_000;
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./fuzz-worker-entry.mjs', import.meta.url), {
      workerData: { entry: options.entry, table: options.table, seed: options.seed ?? 19, skip, members: options.members ?? false },
      // A call that allocates without bound dies here instead of taking the machine down.
      resourceLimits: { maxOldGenerationSizeMb: 4096 },
    });
    const partial: FuzzReport = { calls: 0, rejected: 0, failures: [], missing: [], stale: [], skipped: {}, pending: {} };
    let fn = '';
    let site = 'loading the module';
    let timer: NodeJS.Timeout | undefined;
    const fail = (problem: string) => {
      clearTimeout(timer);
      void worker.terminate();
      partial.failures.push({ fn, site, problem });
      if (fn === '') reject(new Error(`fuzz worker: ${problem} while ${site}`));
      else resolve({ report: partial, hungIn: fn });
    };
    const arm = () => {
      clearTimeout(timer);
      // Loading the module (tsx transpiling the table on a loaded machine) gets five times longer.
      const ms = fn === '' ? 5 * watchdogMs : watchdogMs;
      timer = setTimeout(() => fail(`no progress for ${ms} ms: ${fn === '' ? 'the module did not load' : 'the call never returns'}`), ms);
    };
    arm();
    worker.on('message', (m: { type: string; fn?: string; site?: string; report?: FuzzReport; failure?: FuzzReport['failures'][number]; ok?: boolean }) => {
      if (m.type === 'before') {
        fn = m.fn!;
        site = m.site!;
      } else if (m.type === 'after') {
        partial.calls++;
        if (m.ok === false) partial.rejected++;
      } else if (m.type === 'failure') {
        partial.failures.push(m.failure!);
      } else if (m.type === 'report') {
        clearTimeout(timer);
        void worker.terminate();
        resolve({ report: { ...m.report!, failures: partial.failures } });
        return;
      }
      arm();
    });
    worker.on('error', (e) => fail(`the worker died: ${String(e)}`));
  });
}
