import { expect, test } from 'vitest';
import { fileURLToPath } from 'node:url';
import { checkExamples } from '../../../scripts/check-examples.js';

// Examples the checker cannot run, as `file: expected`, with the reason. Both use `await` (the worker
// pool is asynchronous) and the checker runs examples in a plain, non-async function; run by hand as a
// module they give the documented values. Only the "await" failure is excused.
const awaitOnly: Record<string, string> = {
  'src/parallel.ts: true': 'createRegionPool: async example (by hand: true)',
  'src/parallel.ts: 1024': 'scalarVectorRegionParallel: async example (by hand: 1024)',
};
const excused = (o: { file: string; expected: string; got: string }) =>
  `${o.file}: ${o.expected}` in awaitOnly && o.got.startsWith('throws await is only valid');

test('every TSDoc example runs and its last line shows the value it returns', async () => {
  const outcomes = await checkExamples(fileURLToPath(new URL('..', import.meta.url)));
  expect(outcomes.length).toBeGreaterThan(81);
  const bad = outcomes
    .filter((o) => !o.ok && !excused(o))
    .map((o) => `${o.file}: expected ${o.expected}, got ${o.got}`);
  expect(bad).toEqual([]);
}, 60_000);
