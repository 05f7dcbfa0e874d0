// npm run bench: Rips persistence against the ripser CLI (Debian 1.2.1) on the same points in the same
// run, plus diagram distances and sublevel persistence. Ratios > 1 mean descent is faster.
// Memory: our peak RSS (process.resourceUsage().maxRSS, cumulative over the run, so it is reported after
// each size in increasing order) and ripser's maximum resident set size from /usr/bin/time -v.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { measure, printTable, type BenchRow } from '@descent/bench';
import { key, uniform } from '@descent/linalg';
import { bottleneck, diagram, ripsPersistence, sublevelPersistence0, wasserstein, type Diagram } from '../src/index.js';

const quick = process.argv.includes('--quick');
const RIPSER = '/usr/bin/ripser';
const TIME = '/usr/bin/time';
const haveRipser = existsSync(RIPSER);
const dir = mkdtempSync(join(tmpdir(), 'descent-topology-bench-'));

/** Median wall time and peak RSS (MB) of `ripser args file` over `reps` runs, or undefined. */
function ripser(args: string[], file: string, reps: number): { seconds: number; mb?: number; h1?: Diagram } | undefined {
  if (!haveRipser) return undefined;
  const times: number[] = [];
  let mb: number | undefined;
  let lastOut = '';
  for (let r = 0; r < reps; r++) {
    const useTime = existsSync(TIME);
    const t0 = performance.now();
    const p = useTime ? spawnSync(TIME, ['-v', RIPSER, ...args, file], { encoding: 'utf8' }) : spawnSync(RIPSER, [...args, file], { encoding: 'utf8' });
    times.push((performance.now() - t0) / 1000);
    if (p.status !== 0) return undefined;
    const m = /Maximum resident set size \(kbytes\): (\d+)/.exec(p.stderr ?? '');
    if (m) mb = Number(m[1]) / 1024;
    if (r === reps - 1) lastOut = p.stdout;
  }
  times.sort((a, b) => a - b);
  const out: { seconds: number; mb?: number; h1?: Diagram } = { seconds: times[times.length >> 1]! };
  if (mb !== undefined) out.mb = mb;
  // live cross-check: ripser's H1 bars (printed with 6 significant digits)
  const part = lastOut.split('persistence intervals in dim 1:')[1]?.split('persistence intervals in dim')[0] ?? '';
  const bars = [...part.matchAll(/\[([^,]+),([^)]*)\)/g)].map((x) => [Number(x[1]), x[2]!.trim() ? Number(x[2]) : Infinity] as const);
  out.h1 = diagram(bars, 1);
  return out;
}

const maxRssMb = () => process.resourceUsage().maxRSS / 1024;
const rows: BenchRow[] = [];

// ---- Rips H1 on uniform points in [0,1]³ ----
for (const n of quick ? [500, 1000] : [500, 1000, 2000]) {
  // float32-exact coordinates, so ripser (float32) and we see the same points
  const pts = uniform(key(n), 3 * n).map(Math.fround);
  const file = join(dir, `cube-${n}.txt`);
  writeFileSync(file, Array.from({ length: n }, (_, i) => `${pts[3 * i]},${pts[3 * i + 1]},${pts[3 * i + 2]}`).join('\n') + '\n');
  const input = { kind: 'points' as const, n, d: 3, data: pts };
  let h1: Diagram = diagram([], 1);
  const m = measure(() => (h1 = ripsPersistence(input, { maxDim: 1 }).diagrams[1]!), { minSeconds: n >= 2000 ? 0 : 0.5, warmup: 1 });
  const bars = h1.birth.length;
  const ours = maxRssMb();
  const ref = ripser(['--format', 'point-cloud', '--dim', '1'], file, n >= 2000 ? 2 : 3);
  const row: BenchRow = {
    operation: 'Rips H≤1, uniform cube R³',
    size: `n=${n}`,
    seconds: m.seconds,
    note: `${bars} H1 bars${ref?.h1 ? ` (ripser ${ref.h1.birth.length}, d_B ${bottleneck(h1, ref.h1).distance.toExponential(1)})` : ''}; peak RSS ours ${ours.toFixed(0)} MB${ref?.mb !== undefined ? `, ripser ${ref.mb.toFixed(0)} MB` : ''}; target ≤ 2× ripser`,
  };
  if (ref) {
    row.referenceSeconds = ref.seconds;
    row.reference = 'ripser 1.2.1 (process incl.)';
  }
  rows.push(row);
}

// ---- Rips H≤2 on a 2-sphere sample of 192 points (like sphere_3_192) ----
{
  const n = 192;
  const g = uniform(key(7), 2 * n);
  const pts = new Float64Array(3 * n);
  for (let i = 0; i < n; i++) {
    const z = 2 * g[2 * i]! - 1;
    const phi = 2 * Math.PI * g[2 * i + 1]!;
    const r = Math.sqrt(1 - z * z);
    pts[3 * i] = Math.fround(r * Math.cos(phi));
    pts[3 * i + 1] = Math.fround(r * Math.sin(phi));
    pts[3 * i + 2] = Math.fround(z);
  }
  const file = join(dir, 'sphere.txt');
  writeFileSync(file, Array.from({ length: n }, (_, i) => `${pts[3 * i]},${pts[3 * i + 1]},${pts[3 * i + 2]}`).join('\n') + '\n');
  const m = measure(() => ripsPersistence({ kind: 'points', n, d: 3, data: pts }, { maxDim: 2 }), { minSeconds: 0, warmup: 1 });
  const ref = ripser(['--format', 'point-cloud', '--dim', '2'], file, 2);
  const row: BenchRow = { operation: 'Rips H≤2, sphere sample', size: `n=${n}`, seconds: m.seconds, note: `peak RSS ours ${maxRssMb().toFixed(0)} MB${ref?.mb !== undefined ? `, ripser ${ref.mb.toFixed(0)} MB` : ''}` };
  if (ref) {
    row.referenceSeconds = ref.seconds;
    row.reference = 'ripser 1.2.1 (process incl.)';
  }
  rows.push(row);
}

// ---- diagram distances ----
function randomDiagram(seed: number, s: number): Diagram {
  const u = uniform(key(seed), 2 * s);
  return diagram(Array.from({ length: s }, (_, i) => [u[2 * i]!, u[2 * i]! + 0.5 * u[2 * i + 1]! + 1e-3] as const));
}
for (const s of [100, 250]) {
  const a = randomDiagram(1, s);
  const b = randomDiagram(2, s);
  rows.push({ operation: 'bottleneck (exact)', size: `${s}+${s} points`, seconds: measure(() => bottleneck(a, b), { minSeconds: 0.3 }).seconds, note: 'target < 50 ms at S = 500 [RECON]' });
  rows.push({ operation: 'Wasserstein W1 (exact, Hungarian)', size: `${s}+${s} points`, seconds: measure(() => wasserstein(a, b), { minSeconds: 0.3, warmup: 1 }).seconds, note: 'target < 0.5 s at S = 500 [RECON]' });
}

// ---- sublevel H0 on a grid ----
{
  const side = 401;
  const f = new Float64Array(side * side);
  for (let i = 0; i < side; i++)
    for (let j = 0; j < side; j++) {
      const x = -5 + (10 * j) / (side - 1);
      const y = -5 + (10 * i) / (side - 1);
      f[i * side + j] = (x * x + y - 11) ** 2 + (x + y * y - 7) ** 2;
    }
  const m = measure(() => sublevelPersistence0(f, { kind: 'grid', shape: [side, side], connectivity: 8 }), { minSeconds: 0.5, warmup: 1 });
  rows.push({ operation: 'sublevel H0 (union–find, 8-conn)', size: `${side}² grid`, seconds: m.seconds, work: side * side, unit: 'vertices' });
}

rmSync(dir, { recursive: true, force: true });
printTable('@descent/topology', rows);
if (!haveRipser) console.log('ripser not installed: no reference timings');
