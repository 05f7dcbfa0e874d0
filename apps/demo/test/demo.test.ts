import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { experiments } from '../src/registry.js';
import { formatTable, writeReport } from '../src/report.js';
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

test('the terminal table wraps long cells without losing words', () => {
  const figure = 'alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi omicron pi rho sigma tau upsilon phi chi psi omega-supercalifragilisticexpialidocious-long-token';
  const table = formatTable([
    { experiment: { id: 'x', paper: 'a paper', claim: 'a claim', run: () => { throw new Error('unused'); } }, seconds: 0, result: { measured: 'm', figure, verdict: 'reproduced', criterion: 'c', plot: {}, data: {} } },
  ]);
  const lines = table.split('\n');
  expect(Math.max(...lines.map((l) => l.length))).toBeLessThanOrEqual(22 + 30 + 32 + 48 + 12 + 4 * 3);
  // The figure column starts after three columns and their ' | ' separators.
  const start = 22 + 3 + 30 + 3 + 32 + 3;
  const col = lines.slice(2, -1).map((l) => l.slice(start, start + 48).trim()).join('');
  expect(col.replace(/\s+/g, '')).toBe(figure.replace(/\s+/g, ''));
});
