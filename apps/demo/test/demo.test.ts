import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test } from 'vitest';
import type { PlotSpec } from '../src/experiment.js';
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

/** Every `data.values` array of a vega-lite spec, through layers and concatenations. */
function dataArrays(spec: unknown): unknown[][] {
  if (spec === null || typeof spec !== 'object') return [];
  const s = spec as Record<string, unknown>;
  const own = s.data && typeof s.data === 'object' && Array.isArray((s.data as { values?: unknown }).values) ? [(s.data as { values: unknown[] }).values] : [];
  const children = ['layer', 'vconcat', 'hconcat', 'concat'].flatMap((k) => (Array.isArray(s[k]) ? (s[k] as unknown[]).flatMap(dataArrays) : []));
  const nested = s.spec ? dataArrays(s.spec) : [];
  return [...own, ...children, ...nested];
}

// The whole registry at --quick scale. No assertion depends on time; the timeout only guards against
// a hang (the run takes well under a minute on an idle 2-core machine).
test('--quick: every experiment reports ≥ 2 seeds, intervals and a verdict, and every plot has data', async () => {
  const progress = new Map<string, number>();
  const outcomes = await runExperiments(experiments, { seed: 0, scale: 'quick', onProgress: (id, f) => progress.set(id, f) });
  expect(outcomes.map((o) => o.experiment.id)).toEqual(experiments.map((e) => e.id));
  for (const o of outcomes) {
    const id = o.experiment.id;
    expect(o.error, `${id} threw`).toBeUndefined();
    const r = o.result!;
    expect(r.seeds, id).toBeGreaterThanOrEqual(2);
    expect(r.effects.length, id).toBeGreaterThan(0);
    for (const e of r.effects) {
      expect(e.interval.n, `${id}: ${e.label}`).toBeGreaterThanOrEqual(2);
      expect(Number.isFinite(e.interval.lo) && Number.isFinite(e.interval.hi), `${id}: ${e.label} has a finite interval`).toBe(true);
      expect(e.interval.lo, `${id}: ${e.label}`).toBeLessThanOrEqual(e.interval.hi);
      expect(['pass', 'fail', 'inconclusive']).toContain(e.outcome);
    }
    expect(['reproduced', 'partially reproduced', 'not reproduced', 'inconclusive']).toContain(r.verdict);
    expect(r.setup.length, id).toBeGreaterThan(0);
    const arrays = dataArrays(r.plot as PlotSpec);
    expect(arrays.length, `${id} plot has data`).toBeGreaterThan(0);
    for (const a of arrays) expect(a.length, `${id}: a plot layer without data`).toBeGreaterThan(0);
    expect(progress.get(id), `${id} reported progress`).toBeGreaterThan(0);
  }
  const dir = mkdtempSync(join(tmpdir(), 'descent-report-'));
  const html = readFileSync(await writeReport(dir, outcomes, { seed: 0, scale: 'quick', seconds: 0 }), 'utf8');
  for (const e of experiments) {
    expect(html).toContain(`src="${e.id}.svg"`);
    const svg = readFileSync(join(dir, `${e.id}.svg`), 'utf8');
    expect(svg.startsWith('<svg')).toBe(true);
    // Drawn data: a mark group with at least one element, and no NaN coordinates (an empty log-scale
    // bar chart renders its bars with NaN or not at all).
    expect(svg, `${e.id}.svg draws marks`).toMatch(/role-mark[^>]*>\s*<(path|image|line|rect)/);
    expect(svg.includes('NaN'), `${e.id}.svg has NaN coordinates`).toBe(false);
  }
  const json = JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8'));
  expect(json.experiments).toHaveLength(experiments.length);
  expect(existsSync(join(dir, 'summary.md'))).toBe(true);
  // The terminal table fits 100 columns.
  for (const line of formatTable(outcomes).split('\n')) expect(line.length).toBeLessThanOrEqual(100);
}, 3_600_000);

const main = fileURLToPath(new URL('../src/main.ts', import.meta.url));
const cli = (...args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', main, ...args], { encoding: 'utf8' });

test('the CLI: --help, and clear errors for an unknown flag or experiment id', () => {
  const help = cli('--help');
  expect(help.status).toBe(0);
  expect(help.stdout).toMatch(/usage: npm run demo/);
  expect(help.stdout).toMatch(/--full/);
  const flag = cli('--bogus');
  expect(flag.status).toBe(2);
  expect(flag.stderr).toMatch(/Unknown option '--bogus'/);
  expect(flag.stderr).toMatch(/usage:/);
  const id = cli('--only', 'nope', '--quick');
  expect(id.status).toBe(2);
  expect(id.stderr).toMatch(/unknown experiment id 'nope'; known: lstsq/);
  const both = cli('--quick', '--full');
  expect(both.status).toBe(2);
  expect(both.stderr).toMatch(/exclude each other/);
}, 600_000);
