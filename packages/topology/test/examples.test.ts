import { readdirSync } from 'node:fs';
import { expect, test } from 'vitest';
import { fileURLToPath } from 'node:url';
import { checkExamples } from '../../../scripts/check-examples.js';

// One test per source file, so no single test carries every example's cost (the paper-scale
// experiment examples dominate) and a failure names its file.
const dir = fileURLToPath(new URL('..', import.meta.url));
const files = readdirSync(new URL('../src', import.meta.url), { recursive: true, encoding: 'utf8' })
  .filter((f) => f.endsWith('.ts'))
  .map((f) => `src/${f.split('\\').join('/')}`)
  .sort();
let total = 0;

for (const file of files) {
  test(`TSDoc examples of ${file} run and their last line shows the value returned`, async () => {
    const outcomes = await checkExamples(dir, (f) => f === file);
    total += outcomes.length;
    const bad = outcomes.filter((o) => !o.ok).map((o) => `${o.file}: expected ${o.expected}, got ${o.got}`);
    expect(bad).toEqual([]);
  });
}

test('the examples were found', () => {
  expect(files).toContain('src/rips.ts');
  expect(total).toBeGreaterThan(68);
});
