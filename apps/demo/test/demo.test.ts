import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { experiments } from '../src/registry.js';
import { writeReport } from '../src/report.js';
import { runExperiments } from '../src/run.js';
import { leastSquares } from '../src/experiments/least-squares.js';

test('least squares recovers the planted solution to the noise level', () => {
  const r = leastSquares(1, 200, 20, 1e-3);
  // Error ≈ σ·√(n/(m−n))/‖x★‖ ≈ 1e-3·0.33/4.5 ≈ 7e-5; a factor 10 above that fails.
  expect(r.relativeError).toBeLessThan(7e-4);
  // Residual ≈ σ·√(m − n) ≈ 1.3e-2.
  expect(r.residual).toBeGreaterThan(5e-3);
  expect(r.residual).toBeLessThan(3e-2);
});

test('--quick runs every experiment to a figure and a verdict, and the HTML references every plot', async () => {
  const outcomes = await runExperiments(experiments, { seed: 0, quick: true });
  expect(outcomes.map((o) => o.experiment.id)).toEqual(experiments.map((e) => e.id));
  for (const o of outcomes) {
    expect(o.error, `${o.experiment.id} threw`).toBeUndefined();
    expect(o.result?.figure.length).toBeGreaterThan(0);
    expect(['reproduced', 'partially reproduced', 'not reproduced']).toContain(o.result?.verdict);
  }
  const dir = mkdtempSync(join(tmpdir(), 'descent-report-'));
  const html = readFileSync(await writeReport(dir, outcomes, { seed: 0, quick: true }), 'utf8');
  for (const e of experiments) {
    expect(html).toContain(`src="${e.id}.svg"`);
    const svg = readFileSync(join(dir, `${e.id}.svg`), 'utf8');
    expect(svg.startsWith('<svg')).toBe(true);
  }
  const json = JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8'));
  expect(json.experiments).toHaveLength(experiments.length);
  expect(existsSync(join(dir, 'index.html'))).toBe(true);
}, 120_000);
