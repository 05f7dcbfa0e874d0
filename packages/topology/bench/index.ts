// npm run bench: Rips persistence against the ripser CLI (Debian 1.2.1) on the same points in the same
// run, plus diagram distances and sublevel persistence. Ratios > 1 mean descent is faster.
// Rips rows come in two kinds:
// - in-process: ripsPersistence on the points, median of repeated calls in this process;
// - whole process: our CLI (dist/cli.js, `descent-ripser`, the same flags and byte-identical output) and
//   `ripser --format point-cloud`, each spawned `reps` times, interleaved so load hits both alike; median
//   wall time and the peak RSS of each process (/usr/bin/time -v). The CLI's stdout must equal ripser's.
// `--quick` skips n = 2000 and H2 at n = 400.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { measure, printTable, type BenchRow } from '@descent/bench';
import { key, uniform } from '@descent/linalg';
import { bottleneck, diagram, ripsPersistence, sublevelPersistence0, wasserstein, type Diagram } from '../src/index.js';

const quick = process.argv.includes('--quick');
const RIPSER = '/usr/bin/ripser';
const TIME = '/usr/bin/time';
const CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const haveRipser = existsSync(RIPSER);
const haveTime = existsSync(TIME);
const dir = mkdtempSync(join(tmpdir(), 'descent-topology-bench-'));

interface ProcessRun {
  seconds: number;
  mb?: number;
  stdout: string;
}

/** One spawn of `cmd args`, timed; peak RSS from /usr/bin/time -v when available. */
function spawnTimed(cmd: string, args: string[]): ProcessRun | undefined {
  const t0 = performance.now();
  const p = haveTime ? spawnSync(TIME, ['-v', cmd, ...args], { encoding: 'utf8', maxBuffer: 1 << 28 }) : spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 1 << 28 });
  const seconds = (performance.now() - t0) / 1000;
  if (p.status !== 0) return undefined;
  const m = /Maximum resident set size \(kbytes\): (\d+)/.exec(p.stderr ?? '');
  const run: ProcessRun = { seconds, stdout: p.stdout };
  if (m) run.mb = Number(m[1]) / 1024;
  return run;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;

/** Spawns ours and ripser alternately `reps` times: median seconds, max peak RSS, and whether stdout matched. */
function processes(args: string[], reps: number): { ours: { seconds: number; mb?: number }; ref?: { seconds: number; mb?: number }; identical?: boolean } {
  const ot: number[] = [];
  const rt: number[] = [];
  let om: number | undefined;
  let rm: number | undefined;
  let identical: boolean | undefined;
  for (let r = 0; r < reps; r++) {
    const o = spawnTimed(process.execPath, [CLI, ...args]);
    if (!o) throw new Error(`descent-ripser ${args.join(' ')} failed (build first: npm run build)`);
    ot.push(o.seconds);
    if (o.mb !== undefined) om = Math.max(om ?? 0, o.mb);
    if (haveRipser) {
      const x = spawnTimed(RIPSER, args);
      if (x) {
        rt.push(x.seconds);
        if (x.mb !== undefined) rm = Math.max(rm ?? 0, x.mb);
        identical = (identical ?? true) && x.stdout === o.stdout;
      }
    }
  }
  const ours: { seconds: number; mb?: number } = { seconds: median(ot) };
  if (om !== undefined) ours.mb = om;
  if (rt.length === 0) return { ours };
  const ref: { seconds: number; mb?: number } = { seconds: median(rt) };
  if (rm !== undefined) ref.mb = rm;
  return identical === undefined ? { ours, ref } : { ours, ref, identical };
}

const rows: BenchRow[] = [];
const REF = 'ripser 1.2.1 process';

// ---- Rips on uniform points in [0,1]³: H1 at n = 500, 1000, 2000; H2 at n = 200, 400 ----
const ripsCases: Array<{ dim: number; n: number }> = [
  { dim: 1, n: 500 },
  { dim: 1, n: 1000 },
  ...(quick ? [] : [{ dim: 1, n: 2000 }]),
  { dim: 2, n: 200 },
  ...(quick ? [] : [{ dim: 2, n: 400 }]),
];
for (const { dim, n } of ripsCases) {
  // float32-exact coordinates, so ripser (float32) and we see the same points
  const pts = uniform(key(n + dim), 3 * n).map(Math.fround);
  const file = join(dir, `cube-${n}.txt`);
  writeFileSync(file, Array.from({ length: n }, (_, i) => `${pts[3 * i]},${pts[3 * i + 1]},${pts[3 * i + 2]}`).join('\n') + '\n');
  const args = ['--format', 'point-cloud', '--dim', String(dim), file];
  const big = n >= 2000 || (dim === 2 && n >= 400);
  const reps = big ? 3 : 5;
  const proc = processes(args, reps);
  const input = { kind: 'points' as const, n, d: 3, data: pts };
  let h: Diagram = diagram([], dim);
  const m = measure(() => (h = ripsPersistence(input, { maxDim: dim }).diagrams[dim]!), { minSeconds: big ? 0 : 0.5, warmup: 1 });
  const op = `Rips H≤${dim}, uniform cube R³`;
  const mem = `peak RSS ours ${proc.ours.mb?.toFixed(0) ?? '?'} MB${proc.ref?.mb !== undefined ? `, ripser ${proc.ref.mb.toFixed(0)} MB (${(proc.ours.mb! / proc.ref.mb).toFixed(2)}×)` : ''}`;
  const same = proc.identical === undefined ? '' : proc.identical ? '; stdout identical to ripser' : '; STDOUT DIFFERS FROM RIPSER';
  const whole: BenchRow = { operation: `${op}, whole process`, size: `n=${n}`, seconds: proc.ours.seconds, note: `descent-ripser; ${mem}${same}` };
  const inproc: BenchRow = { operation: `${op}, in-process`, size: `n=${n}`, seconds: m.seconds, note: `${h.birth.length} H${dim} bars; reference is ripser's whole process` };
  if (proc.ref) {
    whole.referenceSeconds = proc.ref.seconds;
    whole.reference = REF;
    inproc.referenceSeconds = proc.ref.seconds;
    inproc.reference = REF;
  }
  rows.push(whole, inproc);
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
