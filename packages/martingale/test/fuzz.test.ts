import { expect, test } from 'vitest';
import { fuzzInWorker } from '../../../scripts/fuzz-run.js';

// The API fuzz (scripts/fuzz-api.ts) over the built main entry, with the rows of test/fuzz-table.ts
// (every exported function, none skipped, and the detector method's init, step and stepInto):
// one bad argument or field at a time, every rejection must be a DescentError, no input may be
// mutated, and every call must return (a per-call watchdog in the parent names a hang).
test('fuzz: every exported function rejects bad input with a DescentError, mutates nothing and returns', async () => {
  const report = await fuzzInWorker({ entry: '@descent/martingale', table: new URL('./fuzz-table.ts', import.meta.url).href, members: true, watchdogMs: Number(process.env.FUZZ_WATCHDOG_MS ?? 60_000) });
  expect(report.missing).toEqual([]);
  expect(report.stale).toEqual([]);
  expect(report.failures.map((f) => `${f.fn} [${f.site}]: ${f.problem}`)).toEqual([]);
  expect(report.calls).toBeGreaterThan(9000);
  expect(report.skipped).toEqual({});
}, 600_000);
