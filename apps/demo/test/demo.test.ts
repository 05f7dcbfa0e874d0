import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { expect, test } from 'vitest';
import type { PlotSpec } from '../src/experiment.js';
import { expectedCpuSeconds, experiments } from '../src/registry.js';
import { renderSvg } from '../src/plot.js';
import { formatTable, writeReport, type Outcome } from '../src/report.js';
import { defaultWorkers, makespan, progressBar, runAll, runExperiments } from '../src/run.js';
import { experiments as crashing } from './fixtures/crash-registry.js';
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

/**
 * An outcome's result as text in which every number is its exact bit pattern (so −0, NaN and the last
 * bit count) and key order matters. Fields named `seconds` are wall-clock measurements, not results.
 */
function exact(o: Outcome): string {
  const bits = new DataView(new ArrayBuffer(8));
  const hex = (v: number) => {
    bits.setFloat64(0, v);
    return `f${bits.getBigUint64(0).toString(16)}`;
  };
  return JSON.stringify({ error: o.error, result: o.result }, (k, v: unknown) => {
    if (k === 'seconds') return 'time';
    if (typeof v === 'number') return hex(v);
    if (v === undefined) return 'undefined';
    if (ArrayBuffer.isView(v) && !(v instanceof DataView)) return { [v.constructor.name]: Array.from(v as unknown as ArrayLike<number>, hex) };
    return v;
  });
}

// The in-process run (one worker) of the whole registry at --quick scale, shared by the tests below.
let inProcess: Outcome[] | undefined;
const quickInProcess = async (onProgress?: (id: string, f: number) => void) => (inProcess ??= await runExperiments(experiments, { seed: 0, scale: 'quick', onProgress }));

// The whole registry at --quick scale. No assertion depends on time; the timeout only guards against
// a hang (the run takes well under a minute on an idle 2-core machine).
test('--quick: every experiment reports ≥ 2 seeds, intervals and a verdict, and every plot has data', async () => {
  const progress = new Map<string, number>();
  const outcomes = await quickInProcess((id, f) => progress.set(id, f));
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

// Two worker processes, costliest experiment first: the same outcomes bit for bit, in registry order.
test('--quick with 2 worker processes: results identical to the in-process run, in the same order', async () => {
  const progress = new Map<string, number>();
  const parallel = await runAll(experiments, { seed: 0, scale: 'quick', workers: 2, cost: (id) => expectedCpuSeconds[id] ?? 1, onProgress: (id, f) => progress.set(id, f) });
  expect(parallel.workers).toBe(2);
  expect(parallel.workerCpuSeconds).toBeGreaterThan(0);
  const serial = await quickInProcess();
  expect(parallel.outcomes.map((o) => o.experiment.id)).toEqual(experiments.map((e) => e.id));
  for (const [i, o] of parallel.outcomes.entries()) {
    expect(o.error, `${o.experiment.id} threw in a worker`).toBeUndefined();
    expect(exact(o), `${o.experiment.id}: worker result differs from the in-process one`).toBe(exact(serial[i]!));
    expect(o.cpuSeconds, o.experiment.id).toBeGreaterThan(0);
    expect(progress.get(o.experiment.id), `${o.experiment.id} reported progress through its worker`).toBeGreaterThan(0);
    // The worker drew the plot: the same SVG as drawn here.
    expect(o.svg, `${o.experiment.id}: the worker's SVG`).toBe(await renderSvg(serial[i]!.result!.plot));
  }
}, 3_600_000);

test('a worker that dies or an experiment that throws is an error of that experiment; the rest run on', async () => {
  const registry = new URL('./fixtures/crash-registry.ts', import.meta.url);
  const lines: string[] = [];
  for (const workers of [2, 3]) {
    const { outcomes } = await runAll(crashing, { seed: 0, scale: 'quick', workers, registry, log: (l) => lines.push(l) });
    expect(outcomes.map((o) => o.experiment.id)).toEqual(crashing.map((e) => e.id));
    const byId = Object.fromEntries(outcomes.map((o) => [o.experiment.id, o]));
    for (const id of ['first', 'second', 'third']) expect(byId[id]!.result?.verdict, id).toBe('reproduced');
    expect(byId.second!.result?.data).toEqual({ values: [2, 3] });
    expect(byId.throws!.error).toBe('deliberate failure');
    expect(byId.dies!.error).toMatch(/worker process exited with code 3 \(about to exit\)/);
  }
  expect(lines.some((l) => /dies: failed after/.test(l))).toBe(true);
  // An id the workers' registry does not have: an error, not a hang.
  const stranger = { ...crashing[0]!, id: 'stranger' };
  const [lost] = (await runAll([stranger, crashing[0]!], { seed: 0, scale: 'quick', workers: 2, registry })).outcomes;
  expect(lost!.error).toMatch(/'stranger' is not in the worker's registry/);
}, 600_000);

test('start lines fit 100 columns: a long claim is cut with an ellipsis, a short one kept whole', async () => {
  const lines: string[] = [];
  const long = { ...crashing[0]!, id: 'long', claim: `a claim that goes on ${'and on '.repeat(30)}to the end` };
  await runAll([long, crashing[0]!], { seed: 0, scale: 'quick', workers: 1, log: (l) => lines.push(l) });
  const starts = lines.filter((l) => l.endsWith(' ...'));
  expect(starts.length).toBe(2);
  for (const l of starts) expect([...l].length, l).toBeLessThanOrEqual(100);
  expect(starts[0]).toMatch(/^\[1\/2\] long: a claim that goes on and on .*… \.\.\.$/);
  expect(starts[1]).toBe(`[2/2] ${crashing[0]!.id}: ${crashing[0]!.claim} ...`);
});

test('schedule: the makespan is at least the longest job and the mean load; the default worker count', () => {
  const costs = fc.array(fc.double({ min: 0.01, max: 100, noNaN: true }), { minLength: 1, maxLength: 20 });
  fc.assert(
    fc.property(costs, fc.integer({ min: 1, max: 8 }), (c, w) => {
      const m = makespan(c, w);
      const total = c.reduce((a, b) => a + b, 0);
      expect(m).toBeGreaterThanOrEqual(Math.max(...c));
      expect(m).toBeGreaterThanOrEqual(total / w - 1e-9 * total);
      expect(m).toBeLessThanOrEqual(total + 1e-9 * total);
      expect(makespan(c, 1)).toBeCloseTo(total, 9);
    }),
  );
  fc.assert(
    fc.property(costs, fc.integer({ min: 1, max: 64 }), (c, cpus) => {
      const w = defaultWorkers(c, cpus);
      expect(w).toBeGreaterThanOrEqual(1);
      expect(w).toBeLessThanOrEqual(Math.min(cpus, c.length));
      // It stops only where one more worker would not shorten the schedule.
      if (w < Math.min(cpus, c.length)) expect(makespan(c, w + 1)).toBeGreaterThanOrEqual(makespan(c, w));
    }),
  );
  const registryCosts = experiments.map((e) => expectedCpuSeconds[e.id] ?? 1);
  expect(defaultWorkers(registryCosts, 2)).toBe(2);
  expect(defaultWorkers(registryCosts, 1)).toBe(1);
  expect(defaultWorkers([5], 8)).toBe(1);
  // The longest experiment bounds the wall time: more workers than that needs bring nothing.
  const many = defaultWorkers(registryCosts, 64);
  expect(makespan(registryCosts, many)).toBe(Math.max(...registryCosts));
  expect(many).toBeLessThan(experiments.length);
});

test('the progress line shows every running experiment and never exceeds its width', () => {
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 11 }), fc.integer({ min: 40, max: 200 }), fc.double({ min: 0, max: 1, noNaN: true }), (n, width, f) => {
      const out: string[] = [];
      const bar = progressBar((s) => out.push(s), width);
      const ids = experiments.slice(0, n).map((e) => e.id);
      for (const id of ids) bar.update(id, f);
      bar.update(ids[0]!, 1); // a finished experiment always redraws
      const line = out.at(-1)!.replace(/^\r/, '');
      expect(line.trimEnd().length).toBeLessThanOrEqual(width);
      if (n <= 2) for (const id of ids) expect(line).toContain(id);
      bar.end(ids[0]!);
      bar.done();
      expect(out.at(-1)!.endsWith('\r')).toBe(true);
    }),
  );
});

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
  expect(help.stdout).toMatch(/--workers N/);
  const workers = cli('--workers', '0', '--quick');
  expect(workers.status).toBe(2);
  expect(workers.stderr).toMatch(/--workers must be a positive integer, got '0'/);
}, 600_000);
