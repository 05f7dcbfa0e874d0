import { expect, test } from 'vitest';
import { fileURLToPath } from 'node:url';
import { checkExamples } from '../../../scripts/check-examples.js';

test('every TSDoc example runs and its last line shows the value it returns', async () => {
  const outcomes = await checkExamples(fileURLToPath(new URL('..', import.meta.url)));
  expect(outcomes.length).toBeGreaterThan(80);
  const bad = outcomes.filter((o) => !o.ok).map((o) => `${o.file}: expected ${o.expected}, got ${o.got}`);
  expect(bad).toEqual([]);
});
