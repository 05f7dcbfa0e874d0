// Worker side of scripts/fuzz-run.ts: imports a package's main entry and its fuzz table, fuzzes, and
// posts a message before and after every call so the parent can name a call that never returns.
import { parentPort, workerData } from 'node:worker_threads';
import { fuzzModule, type FuzzTable } from './fuzz-api.js';

const { entry, table, seed, skip, members } = workerData as { entry: string; table: string; seed: number; skip: string[]; members: boolean };
const mod = (await import(entry)) as Record<string, unknown>;
const rows = ((await import(table)) as { fuzzTable: FuzzTable }).fuzzTable;
const port = parentPort!;
const report = fuzzModule(mod, rows, {
  before: (fn, site) => port.postMessage({ type: 'before', fn, site }),
  after: () => port.postMessage({ type: 'after' }),
  failure: (f) => port.postMessage({ type: 'failure', failure: f }),
}, { seed, skip, members });
port.postMessage({ type: 'report', report });
